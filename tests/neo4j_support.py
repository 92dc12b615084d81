"""Fixtures and helpers for the tests that talk to the real Neo4j server (scripts/neo4j-server.sh).

The server is found through NEO4J_URI (CI exports it), else through the running local instance started
by `scripts/neo4j-server.sh start`. Without a server the tests skip on a developer's machine and FAIL
when CI=true, so a CI run can never pass by not testing Neo4j.
"""
from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from conftest import IN_CI, REPO

SERVER_SCRIPT = REPO / "scripts" / "neo4j-server.sh"
LEVEL_ORDER = ("central", "provincial", "municipal", "county", "township")


def _local_instance_uri() -> str | None:
    run = REPO / ".neo4j" / "test"
    try:
        pid = int((run / "neo4j.pid").read_text().strip())
        os.kill(pid, 0)
        return f"bolt://127.0.0.1:{int((run / 'bolt.port').read_text().strip())}"
    except (OSError, ValueError):
        return None


def neo4j_settings() -> dict:
    uri = os.environ.get("NEO4J_URI") or _local_instance_uri()
    if not uri:
        msg = "no Neo4j server: set NEO4J_URI or run scripts/neo4j-server.sh build && scripts/neo4j-server.sh start"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return {"uri": uri, "user": os.environ.get("NEO4J_USER", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD", ""), "database": os.environ.get("NEO4J_DATABASE", "neo4j")}


@pytest.fixture(scope="session")
def neo4j_conn() -> dict:
    """uri/user/password/database of a reachable server (fails, never skips, once a server was named)."""
    from polgraph.graph.neo4j_store import connect

    conn = neo4j_settings()
    driver = connect(**conn)  # raises ServiceError -> the test errors: a named server must answer
    driver.close()
    return conn


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_conn):
    from polgraph.graph.neo4j_store import connect

    driver = connect(**neo4j_conn)
    yield driver
    driver.close()


@pytest.fixture(scope="module", autouse=True)
def wipe_after_module():
    """Leave no Document behind for the next module (the notebook loads the sample into the same database)."""
    yield
    from polgraph.errors import ServiceError
    from polgraph.graph.neo4j_store import connect, wipe_documents

    uri = os.environ.get("NEO4J_URI") or _local_instance_uri()
    if not uri:
        return
    try:
        driver = connect(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                         os.environ.get("NEO4J_DATABASE", "neo4j"))
    except ServiceError:
        return
    try:
        wipe_documents(driver, os.environ.get("NEO4J_DATABASE", "neo4j"))
    finally:
        driver.close()


@pytest.fixture
def empty_db(neo4j_driver, neo4j_conn):
    """The test database with no Document nodes (the schema stays)."""
    from polgraph.graph.neo4j_store import wipe_documents

    wipe_documents(neo4j_driver, neo4j_conn["database"])
    return neo4j_driver


def run_query(driver, conn: dict, query: str, **params) -> list[dict]:
    return [r.data() for r in driver.execute_query(query, parameters_=params, database_=conn["database"]).records]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_port() -> int:
    """A loopback port nobody listens on (bound then released)."""
    return free_port()


def polgraph_cli(*args, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    exe = Path(os.environ.get("POLGRAPH_EXE", REPO / ".venv" / "bin" / "polgraph"))
    full_env = {**os.environ, **(env or {})}
    full_env.pop("POLGRAPH_DEBUG", None)
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout, env=full_env,
                          cwd=REPO)


def chain_graph(n_chains: int, seed: int = 0) -> nx.MultiDiGraph:
    """A hand-made polgraph graph (graph/model.py contract): chains central <- provincial <- ... <- township.

    Every chain's documents IMPLEMENT the one above; every third chain also cites a placeholder (BASED_ON)
    and the previous chain's central document (REFERS_TO). Deterministic for (n_chains, seed).
    """
    G = nx.MultiDiGraph()
    for c in range(n_chains):
        ids = []
        for depth, level in enumerate(LEVEL_ORDER):
            nid = f"测{depth}发〔{2000 + (c + seed) % 20}〕{c}号" if depth < 4 else f"t:{seed:04d}{c:08d}"
            G.add_node(nid, label=nid, title=f"第{c}号链的{level}文件", aliases=[], doc_number=nid if depth < 4 else None,
                       issuer=[f"{level}机关{c}"], date=f"{2000 + (c + seed) % 20}-0{1 + depth}-15",
                       year=2000 + (c + seed) % 20, level=level, region=None if depth == 0 else "山西省",
                       in_corpus=True, path=f"chain/{c}/{depth}.txt", carries=[])
            if ids:
                G.add_edge(nid, ids[-1], key="IMPLEMENTS", relation="IMPLEMENTS", method="number", score=100.0,
                           mentions=[{"path": f"chain/{c}/{depth}.txt", "sentence": "为贯彻落实……", "start": 3,
                                      "end": 12, "cue": "为贯彻落实", "doc_number": ids[-1], "title": None,
                                      "cited_issuer": None}], flags=[])
            ids.append(nid)
        if c % 3 == 0:
            ph = f"t:ph{seed:04d}{c:08d}"
            G.add_node(ph, label=f"缺失的法规{c}", title=f"缺失的法规{c}", aliases=[], doc_number=None, issuer=[],
                       date=None, year=None, level="unknown", region=None, in_corpus=False, path=None, carries=[])
            G.add_edge(ids[1], ph, key="BASED_ON", relation="BASED_ON", method="placeholder", score=100.0,
                       mentions=[{"path": f"chain/{c}/1.txt", "sentence": "根据《缺失的法规》", "start": 2, "end": 9,
                                  "cue": "根据", "doc_number": None, "title": f"缺失的法规{c}", "cited_issuer": None}],
                       flags=[])
            if c > 0:
                prev = f"测0发〔{2000 + (c - 1 + seed) % 20}〕{c - 1}号"
                G.add_edge(ids[2], prev, key="REFERS_TO", relation="REFERS_TO", method="number", score=100.0,
                           mentions=[], flags=["cites_later"])
    return G

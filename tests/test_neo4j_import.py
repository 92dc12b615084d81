"""`polgraph export --format neo4j-csv` imported with `neo4j-admin database import full` (through
scripts/neo4j-server.sh import-csv) into a second, throwaway server instance: the same counts, labels and
properties as the transactional loader gives, and the same trace."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from neo4j_support import (SERVER_SCRIPT, neo4j_conn, neo4j_driver, polgraph_cli, run_query,  # noqa: F401
                           wipe_after_module)
from polgraph.graph.neo4j_store import (apply_schema, connect, database_counts, load_graph_into_neo4j, trace_neo4j,
                                        wipe_documents)
from polgraph.graph.trace import trace

pytestmark = pytest.mark.neo4j
INSTANCE = f"pytest-import-{os.getpid()}"

LABEL_COUNTS = ("MATCH (d:Document) UNWIND labels(d) AS label "
                "RETURN label, count(*) AS n ORDER BY label")
NODE_PROPS = "MATCH (d:Document) RETURN d.id AS id, properties(d) AS p ORDER BY id"
REL_PROPS = ("MATCH (s:Document)-[r]->(t:Document) RETURN s.id AS s, t.id AS t, type(r) AS type, properties(r) AS p "
             "ORDER BY s, t, type")


def _script(*args, timeout=300) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEO4J_INSTANCE": INSTANCE, "NEO4J_HEAP": "512m", "NEO4J_PAGECACHE": "64m"}
    env.pop("NEO4J_BOLT_PORT", None)
    return subprocess.run(["bash", str(SERVER_SCRIPT), *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=REPO)


@pytest.fixture(scope="module")
def imported(tmp_path_factory, neo4j_driver, neo4j_conn):
    """(graph, conn of the imported instance); the instance is stopped and deleted afterwards."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import synthetic_graph
    finally:
        sys.path.remove(str(REPO / "bench"))
    from polgraph.graph.io import save_graph

    G = synthetic_graph(2500, seed=3)
    work = tmp_path_factory.mktemp("neo4j-import")
    save_graph(G, work / "graph.json")
    r = polgraph_cli("export", str(work / "graph.json"), "--format", "neo4j-csv", "-o", str(work / "csv"), "--quiet")
    assert r.returncode == 0, r.stderr
    r = _script("import-csv", str(work / "csv"), timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert f"{G.number_of_nodes()} nodes" in r.stdout and f"{G.number_of_edges()} relationships" in r.stdout
    r = _script("start", timeout=400)
    try:
        assert r.returncode == 0, r.stdout + r.stderr
        uri = _script("uri").stdout.strip()
        assert uri.startswith("bolt://127.0.0.1:") and uri != neo4j_conn["uri"]
        driver = connect(**{**neo4j_conn, "uri": uri})
        try:  # what the README says to do after an import: the indexes `trace` resolves REF through
            apply_schema(driver, neo4j_conn["database"])
        finally:
            driver.close()
        yield G, {**neo4j_conn, "uri": uri}
    finally:
        stop = _script("stop", timeout=120)
        shutil.rmtree(REPO / ".neo4j" / INSTANCE, ignore_errors=True)
        assert stop.returncode == 0, stop.stderr


def test_import_has_the_graph_counts(imported):
    G, conn = imported
    driver = connect(**conn)
    try:
        assert database_counts(driver, conn["database"]) == (G.number_of_nodes(), G.number_of_edges())
    finally:
        driver.close()


def test_import_matches_the_transactional_loader(imported, neo4j_driver, neo4j_conn):
    G, conn = imported
    wipe_documents(neo4j_driver, neo4j_conn["database"])
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    driver = connect(**conn)
    try:
        for q in (LABEL_COUNTS, NODE_PROPS, REL_PROPS):
            assert run_query(driver, conn, q) == run_query(neo4j_driver, neo4j_conn, q), q.split(" RETURN")[0]
    finally:
        driver.close()


def test_trace_on_the_imported_store(imported):
    G, conn = imported
    central = sorted(n for n, d in G.nodes(data=True) if d["level"] == "central" and G.in_degree(n))[:5]
    for ref in central:
        assert trace_neo4j(ref, **conn) == trace(G, ref)
        title = G.nodes[ref]["title"]
        assert trace_neo4j(title, **conn) == trace(G, title)

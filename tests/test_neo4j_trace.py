"""`trace --backend neo4j` and the Cypher kit's implementers query give exactly what the networkx trace gives,
on the sample and on a synthetic graph of more than 10k documents."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE
from neo4j_support import (neo4j_conn, neo4j_driver, polgraph_cli, run_query,  # noqa: F401
                           wipe_after_module)
from polgraph.errors import NotFoundError, PolgraphError
from polgraph.graph.neo4j_store import load_graph_into_neo4j, reachable_query, trace_neo4j, wipe_documents
from polgraph.graph.trace import trace

pytestmark = pytest.mark.neo4j
QUERIES = REPO / "cypher" / "queries"


def _synthetic_graph(n_docs: int, seed: int):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import synthetic_graph
    finally:
        sys.path.remove(str(REPO / "bench"))
    return synthetic_graph(n_docs, seed)


def _load(driver, conn, G):
    wipe_documents(driver, conn["database"])
    counts = load_graph_into_neo4j(G, quiet=True, **conn)
    assert (counts["db_nodes"], counts["db_relationships"]) == (G.number_of_nodes(), G.number_of_edges())
    return G


@pytest.fixture(scope="module")
def synthetic_loaded(neo4j_driver, neo4j_conn):
    G = _synthetic_graph(10_000, seed=7)
    assert G.number_of_nodes() >= 10_000
    return _load(neo4j_driver, neo4j_conn, G)


def _implementers_query_ids(driver, conn, ref: str) -> dict[str, set[str]]:
    rows = run_query(driver, conn, (QUERIES / "implementers_by_level.cypher").read_text(encoding="utf-8"), ref=ref)
    return {r["level"]: set(r["ids"]) for r in rows}


def _by_level(result: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for d in result["documents"]:
        out.setdefault(d["level"], set()).add(d["id"])
    return out


def _refs(G, level: str, k: int) -> list[str]:
    """k documents of a level, spread over the id order, with something to trace."""
    cands = sorted(n for n, d in G.nodes(data=True) if d.get("level") == level and d.get("in_corpus")
                   and (G.in_degree(n) if level == "central" else G.out_degree(n)))
    step = max(1, len(cands) // k)
    return cands[::step][:k]


def test_depth_must_be_a_positive_int():
    for bad in (0, -1, 1.5, "2", True, "1}]->(x) DETACH DELETE x //"):
        with pytest.raises(PolgraphError):
            reachable_query("down", bad)
    assert "{1,3}" in reachable_query("down", 3) and "{1,}" in reachable_query("up", None)


def test_synthetic_trace_down_matches_networkx(synthetic_loaded, neo4j_driver, neo4j_conn):
    G = synthetic_loaded
    refs = _refs(G, "central", 12)
    assert len(refs) == 12
    total = 0
    for ref in refs:
        expected = trace(G, ref)
        got = trace_neo4j(ref, **neo4j_conn)
        assert got == expected, ref
        total += expected["count"]
        assert _implementers_query_ids(neo4j_driver, neo4j_conn, ref) == _by_level(expected)
    assert total > 50  # the chains really go down several levels


@pytest.mark.parametrize("kwargs", [{"depth": 2}, {"relations": ["IMPLEMENTS"]}, {"depth": 1, "relations": ["BASED_ON", "CITES"]}])
def test_synthetic_trace_options_match_networkx(synthetic_loaded, neo4j_conn, kwargs):
    G = synthetic_loaded
    for ref in _refs(G, "central", 5) + _refs(G, "municipal", 3):
        assert trace_neo4j(ref, **kwargs, **neo4j_conn) == trace(G, ref, **kwargs), (ref, kwargs)


def test_synthetic_trace_up_matches_networkx(synthetic_loaded, neo4j_conn):
    G = synthetic_loaded
    for ref in _refs(G, "township", 4) + _refs(G, "county", 4):
        expected = trace(G, ref, direction="up")
        assert expected["count"] >= 1
        assert trace_neo4j(ref, direction="up", **neo4j_conn) == expected, ref


def test_ref_forms_resolve_like_networkx(synthetic_loaded, neo4j_conn):
    G = synthetic_loaded
    ref = _refs(G, "central", 3)[1]
    code, rest = ref.split("〔", 1)
    year, serial = rest.split("〕", 1)
    other_brackets = f"{code}[{year}]{serial}"
    assert trace_neo4j(other_brackets, **neo4j_conn) == trace(G, other_brackets)
    title = G.nodes[ref]["title"]
    assert trace_neo4j(title, **neo4j_conn) == trace(G, title)
    for missing in ("完全不存在的文件标题词", "国发〔1900〕1号"):
        with pytest.raises(NotFoundError) as nx_err:
            trace(G, missing)
        with pytest.raises(NotFoundError) as neo_err:
            trace_neo4j(missing, **neo4j_conn)
        assert str(neo_err.value) == str(nx_err.value)


def test_cli_trace_neo4j_prints_what_networkx_prints(neo4j_driver, neo4j_conn, tmp_path):
    from polgraph.graph.build import open_graph
    from polgraph.graph.io import save_graph

    from polgraph.graph.status import annotate_status, parse_as_of

    G = open_graph([str(SAMPLE)], quiet=True)
    graph_file = tmp_path / "sample.json"
    save_graph(G, graph_file)
    annotate_status(G, parse_as_of(None))  # what `polgraph load` writes: the status as of today, as trace shows it
    _load(neo4j_driver, neo4j_conn, G)
    ref = "国办发〔2015〕33号"
    assert ref in G
    for fmt in ("text", "json"):
        for direction in ("down", "up"):
            nx_out = polgraph_cli("trace", str(graph_file), ref, "--format", fmt, "--direction", direction)
            neo_out = polgraph_cli("trace", str(graph_file), ref, "--format", fmt, "--direction", direction,
                                   "--backend", "neo4j", "--uri", neo4j_conn["uri"], "--database", neo4j_conn["database"])
            assert nx_out.returncode == 0 and neo_out.returncode == 0, (nx_out.stderr, neo_out.stderr)
            assert neo_out.stdout == nx_out.stdout
    # every in-corpus sample document, both directions, through the library
    for n, d in sorted(G.nodes(data=True)):
        if d.get("in_corpus"):
            for direction in ("down", "up"):
                assert trace_neo4j(n, direction=direction, **neo4j_conn) == trace(G, n, direction=direction)


def test_cli_trace_missing_ref_is_one_line_exit_5(neo4j_conn):
    r = polgraph_cli("trace", str(SAMPLE), "国发〔1900〕1号", "--backend", "neo4j", "--uri", neo4j_conn["uri"])
    assert r.returncode == 5, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr

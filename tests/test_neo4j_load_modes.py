"""The loader's fast paths against the real Neo4j 5.26 server: CREATE into an empty database and MERGE
otherwise give the same database, and so do one writer and several concurrent ones (deadlocks retried)."""
from __future__ import annotations

import json
import sys

import networkx as nx
import pytest

from conftest import REPO
from neo4j_support import (chain_graph, empty_db, neo4j_conn, neo4j_driver, run_query,  # noqa: F401
                           wipe_after_module)
from polgraph.graph.neo4j_store import load_graph_into_neo4j, wipe_documents

pytestmark = pytest.mark.neo4j


def _synthetic_graph(n_docs: int, seed: int = 0) -> nx.MultiDiGraph:
    # laws and central opinions cited from every level: hubs that concurrent relationship batches share
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import synthetic_graph
    finally:
        sys.path.remove(str(REPO / "bench"))
    return synthetic_graph(n_docs, seed)


def _snapshot(driver, conn, skip_id: str | None = None):
    """Every Document (id, labels, properties) and relationship, in a canonical order."""
    nodes = sorted(json.dumps([r["id"], sorted(r["labels"]), r["p"]], sort_keys=True, ensure_ascii=False)
                   for r in run_query(driver, conn, "MATCH (d:Document) RETURN d.id AS id, labels(d) AS labels, "
                                                    "properties(d) AS p") if r["id"] != skip_id)
    rels = sorted(json.dumps([r["s"], r["t"], r["type"], r["p"]], sort_keys=True, ensure_ascii=False)
                  for r in run_query(driver, conn, "MATCH (s:Document)-[r]->(t:Document) RETURN s.id AS s, "
                                                   "t.id AS t, type(r) AS type, properties(r) AS p"))
    return nodes, rels


def test_create_into_empty_database_equals_merge(empty_db, neo4j_conn):
    G = _synthetic_graph(400)
    created: dict = {}
    counts = load_graph_into_neo4j(G, quiet=True, batch_size=50, timings=created, **neo4j_conn)
    assert created["mode"] == "create"
    assert (counts["db_nodes"], counts["db_relationships"]) == (G.number_of_nodes(), G.number_of_edges())
    by_create = _snapshot(empty_db, neo4j_conn)
    assert len(by_create[0]) == G.number_of_nodes() and len(by_create[1]) == G.number_of_edges()

    # one unrelated Document makes the database non-empty: the same graph then goes through MERGE
    wipe_documents(empty_db, neo4j_conn["database"])
    run_query(empty_db, neo4j_conn, "CREATE (:Document:Unknown {id: 'zz:unrelated'})")
    merged: dict = {}
    load_graph_into_neo4j(G, quiet=True, batch_size=50, timings=merged, **neo4j_conn)
    assert merged["mode"] == "merge"
    assert _snapshot(empty_db, neo4j_conn, skip_id="zz:unrelated") == by_create

    again: dict = {}
    load_graph_into_neo4j(G, quiet=True, batch_size=50, timings=again, **neo4j_conn)
    assert again["mode"] == "merge"
    assert _snapshot(empty_db, neo4j_conn, skip_id="zz:unrelated") == by_create


@pytest.mark.parametrize("wipe_first", [True, False], ids=["create", "merge"])
def test_concurrent_writers_give_the_one_writer_database(empty_db, neo4j_conn, wipe_first):
    G = _synthetic_graph(400, seed=3)
    load_graph_into_neo4j(G, quiet=True, batch_size=40, writers=1, **neo4j_conn)
    one_writer = _snapshot(empty_db, neo4j_conn)
    if wipe_first:
        wipe_documents(empty_db, neo4j_conn["database"])
    # small batches, many writers: batches share hub documents (laws, central opinions), so they wait on each
    # other's locks, and may deadlock (then the batch is sent again)
    timings: dict = {}
    counts = load_graph_into_neo4j(G, quiet=True, batch_size=7, writers=6, timings=timings, **neo4j_conn)
    assert timings["mode"] == ("create" if wipe_first else "merge")
    assert (counts["db_nodes"], counts["db_relationships"]) == (G.number_of_nodes(), G.number_of_edges())
    assert _snapshot(empty_db, neo4j_conn) == one_writer


def test_ids_equal_as_strings_fall_back_to_merge(empty_db, neo4j_conn):
    # two networkx nodes whose ids print the same are one Document, as MERGE has always made them
    G = nx.MultiDiGraph()
    for n in (7, "7"):
        G.add_node(n, label="七", title="七号文件", level="county", in_corpus=True)
    G.add_node("x", label="x", title="引用七号的文件", level="township", in_corpus=True)
    for n in (7, "7"):
        G.add_edge("x", n, key="IMPLEMENTS", relation="IMPLEMENTS", method="number", score=100.0, mentions=[])
    timings: dict = {}
    counts = load_graph_into_neo4j(G, quiet=True, timings=timings, **neo4j_conn)
    assert timings["mode"] == "merge"
    assert (counts["db_nodes"], counts["db_relationships"]) == (2, 1)


def test_writers_must_be_positive(neo4j_conn):
    from polgraph.errors import PolgraphError

    with pytest.raises(PolgraphError, match="writers must be at least 1"):
        load_graph_into_neo4j(chain_graph(1), quiet=True, writers=0, **neo4j_conn)


def test_load_plan_sends_edges_in_string_order():
    """Batches are the same on every load: nodes and edges sorted by their ids as strings, whatever order the
    graph was built in."""
    from polgraph.graph.neo4j_store import load_plan

    def graph(order):
        G = nx.MultiDiGraph()
        for n in order:
            G.add_node(n, level="county", in_corpus=True)
        for u, v in [("b", "a"), ("a", "c"), ("a", "b"), ("c", "a"), (10, "a"), (9, "a")]:
            if u in order:
                G.add_edge(u, v, key="CITES", relation="CITES")
        G.add_edge("a", "b", key="IMPLEMENTS", relation="IMPLEMENTS")
        return G

    plans = [load_plan(graph(order)) for order in (["a", "b", "c", 10, 9], [9, "c", 10, "b", "a"])]
    assert plans[0] == plans[1]
    nodes, rels = plans[0]
    assert nodes == {("county", False): [10, 9, "a", "b", "c"]}
    assert rels == {"CITES": [(10, "a", "CITES"), (9, "a", "CITES"), ("a", "b", "CITES"), ("a", "c", "CITES"),
                              ("b", "a", "CITES"), ("c", "a", "CITES")],
                    "IMPLEMENTS": [("a", "b", "IMPLEMENTS")]}


def test_a_batch_of_rows_has_a_short_repr():
    # the driver repr()s every RUN's parameters for its debug log, logging on or not
    from polgraph.graph.neo4j_store import _Rows

    rows = _Rows([{"mentions_json": "据" * 10_000}] * 1000)
    assert isinstance(rows, list) and len(rows) == 1000 and rows[999]["mentions_json"] == "据" * 10_000
    assert repr(rows) == "<1000 rows>" and repr({"rows": rows}) == "{'rows': <1000 rows>}"


def test_loading_leaves_no_rows_for_the_cycle_collector(empty_db, neo4j_conn):
    """The driver keeps each run's parameters in reference cycles; the loader empties its batches, so the rows
    it built are gone when it returns, before any cyclic collection."""
    import gc

    G = _synthetic_graph(300)
    gc.collect()
    gc.disable()
    try:
        load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
        rows = [o for o in gc.get_objects() if type(o) is dict and ("props" in o or "mentions_json" in o)]
    finally:
        gc.enable()
    assert rows == []


def _indexes(driver, conn) -> dict[str, tuple[int, str]]:
    return {r["name"]: (r["id"], r["state"]) for r in run_query(
        driver, conn, "SHOW INDEXES YIELD name, id, state, type WHERE type <> 'LOOKUP' RETURN name, id, state")}


def test_indexes_built_after_the_nodes_are_online_when_the_load_returns(empty_db, neo4j_conn):
    """Into an empty database the schema's indexes are dropped and built again once the nodes are in (one
    population costs the server less than keeping them up to date batch by batch); a database holding documents
    keeps its indexes (an update maintains them), and one that lost them gets them back. Every look-up index
    answers as soon as the load returns."""
    from polgraph.graph.neo4j_store import Neo4jDocuments, schema_parts
    from polgraph.graph.resolve import title_keys

    _, indexes = schema_parts()
    assert len(indexes) >= 8 and "document_id" not in indexes
    G = _synthetic_graph(300, seed=5)
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    before = _indexes(empty_db, neo4j_conn)

    wipe_documents(empty_db, neo4j_conn["database"])
    created: dict = {}
    load_graph_into_neo4j(G, quiet=True, timings=created, **neo4j_conn)
    assert created["mode"] == "create"
    after_create = _indexes(empty_db, neo4j_conn)
    assert set(after_create) == set(before) >= {"document_id"} | set(indexes)
    assert all(state == "ONLINE" for _, state in after_create.values())
    assert after_create["document_id"] == before["document_id"]  # the constraint stays
    assert all(after_create[name][0] != before[name][0] for name in indexes)  # dropped and built again

    docs = Neo4jDocuments(empty_db, neo4j_conn["database"])
    docs.check_indexes()
    n, attrs = next((n, a) for n, a in sorted(G.nodes(data=True)) if a.get("in_corpus") and a.get("title"))
    assert n in docs.by_title_keys(set(title_keys(attrs["title"]))).first
    numbered = next(n for n, a in sorted(G.nodes(data=True)) if a.get("doc_number"))
    assert numbered in docs.by_number(G.nodes[numbered]["doc_number"], "")

    merged: dict = {}
    load_graph_into_neo4j(G, quiet=True, timings=merged, **neo4j_conn)
    assert merged["mode"] == "merge"
    assert _indexes(empty_db, neo4j_conn) == after_create

    for name in indexes:
        run_query(empty_db, neo4j_conn, f"DROP INDEX {name}")
    load_graph_into_neo4j(G, quiet=True, timings=merged, **neo4j_conn)
    assert merged["mode"] == "merge"
    rebuilt = _indexes(empty_db, neo4j_conn)
    assert set(rebuilt) == set(after_create) and all(state == "ONLINE" for _, state in rebuilt.values())
    docs.check_indexes()

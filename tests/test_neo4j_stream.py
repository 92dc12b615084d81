"""`polgraph load CORPUS` streamed from the records (graph/stream.py) leaves the database `polgraph load` of the
built graph leaves: the same labels, node and relationship properties (statuses included)."""
from __future__ import annotations

import pytest

from conftest import SAMPLE
from neo4j_support import neo4j_conn, neo4j_driver, polgraph_cli, run_query, wipe_after_module  # noqa: F401
from polgraph.graph.build import open_graph
from polgraph.graph.neo4j_store import load_graph_into_neo4j, load_streamed, wipe_documents
from polgraph.graph.status import annotate_status
from test_stream import _synthetic_jsonl

pytestmark = pytest.mark.neo4j
AS_OF = "2024-06-30"
LABEL_COUNTS = "MATCH (d:Document) UNWIND labels(d) AS label RETURN label, count(*) AS n ORDER BY label"
NODE_PROPS = "MATCH (d:Document) RETURN d.id AS id, properties(d) AS p ORDER BY id"
REL_PROPS = ("MATCH (s:Document)-[r]->(t:Document) RETURN s.id AS s, t.id AS t, type(r) AS type, properties(r) AS p "
             "ORDER BY s, t, type")


def _database(driver, conn):
    return [run_query(driver, conn, q) for q in (LABEL_COUNTS, NODE_PROPS, REL_PROPS)]


@pytest.mark.parametrize("corpus", ["sample", "synthetic"])
def test_streamed_load_equals_the_graph_load(neo4j_driver, neo4j_conn, tmp_path, corpus):
    paths = [str(SAMPLE)] if corpus == "sample" else [str(_synthetic_jsonl(tmp_path / "c.jsonl", 2500, 3))]
    G = open_graph(paths, quiet=True)
    annotate_status(G, AS_OF)
    wipe_documents(neo4j_driver, neo4j_conn["database"])
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    expected = _database(neo4j_driver, neo4j_conn)
    assert len(expected[1]) == G.number_of_nodes() and len(expected[2]) == G.number_of_edges()
    assert all(r["p"].get("status_as_of") == AS_OF for r in expected[1])
    wipe_documents(neo4j_driver, neo4j_conn["database"])
    counts, skipped = load_streamed(paths, AS_OF, quiet=True, **neo4j_conn)
    assert skipped == []
    assert (counts["nodes"], counts["relationships"]) == (G.number_of_nodes(), G.number_of_edges())
    assert _database(neo4j_driver, neo4j_conn) == expected
    # again, into the loaded database: MERGE, nothing added or changed
    counts, _ = load_streamed(paths, AS_OF, quiet=True, **neo4j_conn)
    assert (counts["db_nodes"], counts["db_relationships"]) == (G.number_of_nodes(), G.number_of_edges())
    assert _database(neo4j_driver, neo4j_conn) == expected


def test_cli_load_of_documents_streams(neo4j_conn, neo4j_driver):
    wipe_documents(neo4j_driver, neo4j_conn["database"])
    r = polgraph_cli("load", str(SAMPLE), "--uri", neo4j_conn["uri"], "--database", neo4j_conn["database"], "--quiet")
    assert r.returncode == 0, r.stderr
    G = open_graph([str(SAMPLE)], quiet=True)
    assert f"database now holds {G.number_of_nodes()} node(s), {G.number_of_edges()} relationship(s)" in r.stderr

"""Status in Neo4j (real server): `load` writes status, dates and the changing document as properties, and the
saved query documents_resting_on_repealed.cypher lists what the cites_void check flags."""
from __future__ import annotations

from importlib import resources

import pytest

from neo4j_support import neo4j_conn, neo4j_driver, run_query, wipe_after_module  # noqa: F401
from polgraph.graph.build import graph_from_records
from polgraph.graph.checks import CITES_VOID, flagged_edges
from polgraph.graph.neo4j_store import load_graph_into_neo4j, wipe_documents
from polgraph.graph.status import annotate_status
from test_lifecycle_flags import records

pytestmark = pytest.mark.neo4j


def test_load_writes_status_and_the_query_lists_documents_resting_on_repealed_ones(neo4j_driver, neo4j_conn):
    G = graph_from_records(records())
    annotate_status(G, "2022-06-01")
    wipe_documents(neo4j_driver, neo4j_conn["database"])
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    rows = run_query(neo4j_driver, neo4j_conn, "MATCH (d:Document) RETURN d.id AS id, d.status AS status, "
                     "d.status_changed_by AS by, d.status_changed_on AS on, d.effective AS effective, "
                     "d.expires AS expires, d.status_as_of AS as_of ORDER BY id")
    by_id = {r["id"]: r for r in rows}
    assert by_id["某政发〔2010〕5号"] == {"id": "某政发〔2010〕5号", "status": "repealed", "by": "某政发〔2021〕8号",
                                     "on": "2021-09-01", "effective": None, "expires": None, "as_of": "2022-06-01"}
    assert by_id["某政办发〔2018〕3号"]["status"] == "expired" and by_id["某政办发〔2018〕3号"]["expires"] == "2020-12-31"
    assert by_id["某政发〔2021〕8号"]["effective"] == "2021-09-01"
    assert {r["status"] for r in rows} == {"in_force", "repealed", "expired"}
    query = resources.files("polgraph.cypher").joinpath("queries", "documents_resting_on_repealed.cypher")
    found = run_query(neo4j_driver, neo4j_conn, query.read_text(encoding="utf-8"))
    want = {(e["source"], e["target"]) for e in flagged_edges(G) if e["flag"] == CITES_VOID}
    assert {(r["id"], r["rests_on"]) for r in found} == want and len(want) == 2

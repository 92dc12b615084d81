"""`diffusion --backend neo4j` prints exactly what the networkx backend prints, and the saved query
cypher/queries/adoption_by_unit.cypher gives the same province table, against the real server."""
from __future__ import annotations

import sys

import pytest

from conftest import REPO
from click.testing import CliRunner

from neo4j_support import neo4j_conn, neo4j_driver, run_query, wipe_after_module  # noqa: F401
from polgraph.cli import cli
from polgraph.graph.build import build_graph
from polgraph.graph.diffusion import adoption_query, diffusion, diffusion_neo4j
from polgraph.graph.neo4j_store import load_graph_into_neo4j, wipe_documents
from polgraph.graph.status import annotate_status, parse_as_of

pytestmark = pytest.mark.neo4j
UNITS = ("province", "city", "county")


def _bench(name):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        return __import__("synth").__dict__[name]
    finally:
        sys.path.remove(str(REPO / "bench"))


def _load(driver, conn, G):
    wipe_documents(driver, conn["database"])
    counts = load_graph_into_neo4j(G, quiet=True, **conn)
    assert (counts["db_nodes"], counts["db_relationships"]) == (G.number_of_nodes(), G.number_of_edges())


@pytest.mark.parametrize("seed", range(4))
def test_known_adoptions_match_networkx_and_the_saved_query(neo4j_driver, neo4j_conn, seed):
    records, truth = _bench("diffusion_records")(seed)
    G = build_graph(records, quiet=True)
    _load(neo4j_driver, neo4j_conn, G)
    for unit in UNITS:
        expected = diffusion(G, truth["ref"], unit=unit)
        assert expected["units"]
        assert diffusion_neo4j(truth["ref"], unit=unit, **neo4j_conn) == expected, unit
    # the saved query's table: one row per province (every synthetic document's region is its issuer's)
    rows = run_query(neo4j_driver, neo4j_conn, adoption_query(), ref=truth["ref"])
    table = {r["unit"]: (r["first_id"], r["date"], r["lag_days"], r["via"], r["documents"]) for r in rows}
    expected = diffusion(G, truth["ref"])
    assert table == {u["unit"]: (u["first"]["id"], u["first"]["date"], u["lag_days"], u["via"], u["documents"])
                     for u in expected["units"]}


def test_versions_match_networkx(neo4j_driver, neo4j_conn):
    from test_diffusion import versioned_law_records

    records, truth = versioned_law_records()
    G = build_graph(records, quiet=True)
    _load(neo4j_driver, neo4j_conn, G)
    for all_versions in (False, True):
        for unit in UNITS:
            expected = diffusion(G, truth["law"], unit=unit, all_versions=all_versions)
            assert len(expected["target"]["versions"]) == 3
            assert diffusion_neo4j(truth["law"], unit=unit, all_versions=all_versions, **neo4j_conn) == expected


def test_synthetic_corpus_matches_networkx(neo4j_driver, neo4j_conn):
    G = _bench("synthetic_graph")(3000, 11)
    _load(neo4j_driver, neo4j_conn, G)
    centrals = sorted(n for n, d in G.nodes(data=True) if d.get("level") == "central" and d.get("in_corpus"))
    checked = 0
    for ref in centrals[::max(1, len(centrals) // 8)][:8]:
        for unit in UNITS:
            expected = diffusion(G, ref, unit=unit)
            assert diffusion_neo4j(ref, unit=unit, **neo4j_conn) == expected, (ref, unit)
            checked += len(expected["units"])
        within = diffusion(G, ref, unit="city", within="四川省", relations=["IMPLEMENTS"])
        assert diffusion_neo4j(ref, unit="city", within="四川省", relations=["IMPLEMENTS"], **neo4j_conn) == within
    assert checked > 20


def test_cli_prints_the_same_json_and_text(neo4j_driver, neo4j_conn, tmp_path):
    corpus = REPO / "data" / "diffusion_sample"
    G = build_graph([str(corpus)], quiet=True)
    annotate_status(G, parse_as_of(None))  # what `polgraph load` writes and `diffusion` shows: status as of today
    _load(neo4j_driver, neo4j_conn, G)
    runner = CliRunner()
    neo4j = ["--backend", "neo4j", "--uri", neo4j_conn["uri"], "--database", neo4j_conn["database"]]
    for unit in UNITS:
        for fmt in ("json", "text", "csv"):
            args = ["diffusion", str(corpus), "国办发[2019]58号", "--unit", unit, "--format", fmt, "-q"]
            nx_out, neo_out = runner.invoke(cli, args), runner.invoke(cli, args + neo4j)
            assert nx_out.exit_code == 0 and neo_out.exit_code == 0, (nx_out.output, neo_out.output)
            assert neo_out.output == nx_out.output, (unit, fmt)
    missing = runner.invoke(cli, ["diffusion", str(corpus), "国发〔1900〕1号"] + neo4j)
    assert missing.exit_code == 5 and len(missing.output.strip().splitlines()) == 1

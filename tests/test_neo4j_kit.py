"""The Browser kit in cypher/: every saved query runs (with its parameters) and answers what networkx answers,
the guide's runnable blocks run on the sample, the GraSS file parses the way Browser parses it."""
from __future__ import annotations

import html.parser
import re
import sys
from collections import Counter
from importlib import resources

import networkx as nx
import pytest

from conftest import REPO, SAMPLE
from neo4j_support import neo4j_conn, neo4j_driver, run_query, wipe_after_module  # noqa: F401
from polgraph.graph.neo4j_store import LEVEL_LABELS, load_graph_into_neo4j, wipe_documents
from polgraph.graph.trace import trace

pytestmark = pytest.mark.neo4j
KIT = resources.files("polgraph.cypher")
QUERY_FILES = sorted(p.name for p in KIT.joinpath("queries").iterdir() if p.name.endswith(".cypher"))


def _query(name: str) -> str:
    return KIT.joinpath("queries").joinpath(name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def synthetic(neo4j_driver, neo4j_conn):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import synthetic_graph
    finally:
        sys.path.remove(str(REPO / "bench"))
    G = synthetic_graph(3000, seed=11)
    wipe_documents(neo4j_driver, neo4j_conn["database"])
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    return G


def _pick(G, level: str) -> str:
    return sorted(n for n, d in G.nodes(data=True) if d["level"] == level and d["in_corpus"] and G.out_degree(n))[0]


def test_query_files_are_named_and_parameterised_only_by_ref():
    assert len(QUERY_FILES) >= 5
    for name in QUERY_FILES:
        text = _query(name)
        first = text.splitlines()[0]
        assert re.fullmatch(r"// \S.*", first), name  # Browser names a favourite after its first comment line
        assert set(re.findall(r"\$(\w+)", text)) <= {"ref"}, name


def test_every_query_runs(synthetic, neo4j_driver, neo4j_conn):
    ref = _pick(synthetic, "central")
    for name in QUERY_FILES:
        params = {"ref": ref} if "$ref" in _query(name) else {}
        run_query(neo4j_driver, neo4j_conn, _query(name), **params)


def test_implementers_by_level_and_graph_match_trace(synthetic, neo4j_driver, neo4j_conn):
    G = synthetic
    for ref in sorted(n for n, d in G.nodes(data=True) if d["level"] == "central" and G.in_degree(n))[:6]:
        expected = trace(G, ref)
        rows = run_query(neo4j_driver, neo4j_conn, _query("implementers_by_level.cypher"), ref=ref)
        by_level = {r["level"]: set(r["ids"]) for r in rows}
        want: dict[str, set] = {}
        for d in expected["documents"]:
            want.setdefault(d["level"], set()).add(d["id"])
        assert by_level == want
        assert [r["level"] for r in rows] == [lvl for lvl in LEVEL_LABELS if lvl in want]
        ends = run_query(neo4j_driver, neo4j_conn, _query("implementation_graph.cypher").replace(
            "RETURN p", "RETURN last(nodes(p)).id AS id, length(p) AS hops"), ref=ref)
        assert {r["id"]: r["hops"] for r in ends} == {d["id"]: d["hops"] for d in expected["documents"]}


def test_chain_to_centre_is_the_shortest_chain(synthetic, neo4j_driver, neo4j_conn):
    G = synthetic
    H = nx.DiGraph([(u, v) for u, v, k in G.edges(keys=True) if k in ("IMPLEMENTS", "BASED_ON")])
    checked = 0
    for ref in sorted(n for n, d in G.nodes(data=True) if d["level"] == "county" and d["in_corpus"])[:10]:
        dist = nx.single_source_shortest_path_length(H, ref) if ref in H else {}
        central = [n for n, h in dist.items() if G.nodes[n]["level"] == "central" and h > 0]
        rows = run_query(neo4j_driver, neo4j_conn, _query("chain_to_centre.cypher"), ref=ref)
        if not central:
            assert rows == []
            continue
        assert rows, ref
        assert {r["centre"] for r in rows} == set(central) or len(rows) == 25
        for r in rows:
            assert r["hops"] == dist[r["centre"]]
            assert r["levels"][0] == "county" and r["levels"][-1] == "central"
        assert [r["hops"] for r in rows] == sorted(r["hops"] for r in rows)
        checked += 1
    assert checked >= 5


def test_most_cited_matches_networkx(synthetic, neo4j_driver, neo4j_conn):
    G = synthetic
    cited_by = {n: len(set(G.predecessors(n))) for n in G if G.in_degree(n)}
    want = sorted(cited_by.items(), key=lambda kv: (-kv[1], kv[0]))[:25]
    rows = run_query(neo4j_driver, neo4j_conn, _query("most_cited.cypher"))
    assert [(r["id"], r["cited_by"]) for r in rows] == want


def test_unresolved_placeholders_match_networkx(synthetic, neo4j_driver, neo4j_conn):
    G = synthetic
    want = {n: G.in_degree(n) for n, d in G.nodes(data=True) if not d["in_corpus"]}
    rows = run_query(neo4j_driver, neo4j_conn, _query("unresolved_placeholders.cypher"))
    assert {r["id"]: r["citations"] for r in rows} == want
    assert [r["citations"] for r in rows] == sorted((r["citations"] for r in rows), reverse=True)


def test_documents_by_province_and_year_match_networkx(synthetic, neo4j_driver, neo4j_conn):
    G = synthetic
    want = Counter((d["region"], d.get("year")) for _, d in G.nodes(data=True) if d["in_corpus"] and d.get("region"))
    rows = run_query(neo4j_driver, neo4j_conn, _query("documents_by_province_year.cypher"))
    assert {(r["province"], r["year"]): r["documents"] for r in rows} == dict(want)
    assert all(r["documents"] == r["provincial"] + r["municipal"] + r["county"] + r["township"] for r in rows)


class _Guide(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.slides = 0
        self.runnable: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "slide":
            self.slides += 1
        if tag == "pre" and "runnable" in (a.get("class") or "").split():
            assert a.get("mode") == "cypher"
            self._in = True
            self.runnable.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.runnable[-1] += data


def test_guide_runs_on_the_sample(neo4j_driver, neo4j_conn):
    from polgraph.graph.build import open_graph

    text = KIT.joinpath("guide").joinpath("polgraph.html").read_text(encoding="utf-8")
    assert text.lstrip().startswith('<article class="guide"') and "<carousel" in text
    guide = _Guide()
    guide.feed(text)
    guide.close()
    assert guide.slides >= 6 and len(guide.runnable) >= 6
    G = open_graph([str(SAMPLE)], quiet=True)
    wipe_documents(neo4j_driver, neo4j_conn["database"])
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    expected = {d["id"] for d in trace(G, "国办发〔2015〕33号")["documents"]}
    for q in guide.runnable:
        assert "$" not in q  # guide blocks must run with one click, without :param
        rows = run_query(neo4j_driver, neo4j_conn, q)
        if "ANY SHORTEST" in q and q.rstrip().endswith("RETURN p"):
            ends = run_query(neo4j_driver, neo4j_conn, q.rstrip()[: -len("RETURN p")] + "RETURN last(nodes(p)).id AS id")
            assert {r["id"] for r in ends} == expected
        if "RETURN d\n" in q + "\n":
            assert [r["d"]["id"] for r in rows] == ["国办发〔2015〕33号"]


def _grass_rules(text: str) -> dict[str, dict[str, str]]:
    """GraSS read as Browser reads it: `selector { key: value; ... }`, braces inside quotes are text."""
    rules, selector, body, in_props, quote = {}, "", "", False, None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "{" and not in_props:
            in_props = True
            continue
        elif ch == "}" and in_props:
            props = {}
            for decl in filter(None, (d.strip() for d in body.split(";"))):
                key, _, value = decl.partition(":")
                props[key.strip()] = value.strip()
            rules[selector.strip()] = props
            selector, body, in_props = "", "", False
            continue
        if in_props:
            body += ch
        else:
            selector += ch
    assert not in_props and not quote and not selector.strip(), "unbalanced GraSS"
    return rules


def test_grass_styles_every_level_and_relation():
    from polgraph.graph.model import RELATIONS

    text = KIT.joinpath("polgraph.grass").read_text(encoding="utf-8")
    assert "/*" not in text and "//" not in text  # Browser's parser would take a comment as a selector
    rules = _grass_rules(text)
    assert re.sub(r"\s+", "", text) == "".join(
        sel + "{" + "".join(f"{k}:{v};" for k, v in props.items()) + "}" for sel, props in rules.items()
    ).replace(" ", "")
    allowed = {"diameter", "color", "border-color", "border-width", "text-color-internal", "text-color-external",
               "font-size", "shaft-width", "padding", "caption"}
    for sel, props in rules.items():
        assert re.fullmatch(r"node|relationship|node\.\w+|relationship\.\w+", sel), sel
        assert set(props) <= allowed, sel
        for key in ("color", "border-color", "text-color-internal", "text-color-external"):
            if key in props:
                assert re.fullmatch(r"#[0-9A-Fa-f]{6}", props[key]), (sel, key)
    for label in list(LEVEL_LABELS.values()) + ["Placeholder"]:
        assert rules[f"node.{label}"]["caption"] == "'{label}'"
    for rel in RELATIONS:
        assert f"relationship.{rel}" in rules
    selectors = list(rules)
    first_level = min(selectors.index(f"node.{lbl}") for lbl in LEVEL_LABELS.values())
    assert selectors.index("node.Placeholder") < first_level  # Browser applies the first matching label style
    colours = [rules[f"node.{lbl}"]["color"] for lbl in LEVEL_LABELS.values()]
    assert len(set(colours)) == len(colours)


def test_readme_mentions_every_file():
    readme = KIT.joinpath("README.md").read_text(encoding="utf-8")
    for name in QUERY_FILES + ["schema.cypher", "polgraph.grass", "guide/polgraph.html"]:
        assert name in readme, name

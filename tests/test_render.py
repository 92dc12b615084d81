"""polgraph render without a browser: selection, layout, limits, escaping, determinism, the CLI."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest
from click.testing import CliRunner

from browser_support import XSS_SENTENCE, XSS_TITLE, layered_graph, sample_like_graph, xss_graph
from polgraph.cli import cli
from polgraph.errors import EXIT_CHECK, LimitError, NotFoundError, PolgraphError
from polgraph.graph.model import LEVEL_RANK
from polgraph.graph.render import hierarchical_layout, render_html, render_page, script_json, search_key
from polgraph.graph.trace import select_subgraph


def page_data(text: str) -> dict:
    m = re.search(r'<script id="polgraph-data" type="application/json">(.*?)</script>', text, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


@pytest.mark.parametrize("raw", [
    "国办发〔2015〕33号", "国办发[2015]33号", "国办发［2015］33号", "国办发【2015】33号", "国办发(2015)33号",
    "国办发（2015）33号", "国办发﹝2015﹞33号", "国办发〔２０１５〕３３号", "国办发 〔2015〕 33 号",
    "国办发〔2015年〕33号", "国办发〔2015〕第33号", "国办发〔2015〕33號", "国办发\u3000[2015]33号",
])
def test_search_key_folds_bracket_styles(raw):
    assert search_key(raw) == "国办发〔2015〕33号"


def test_search_key_keeps_distinct_numbers_apart():
    assert search_key("国办发[2015]331号") != search_key("国办发〔2015〕33号")
    assert search_key("") == "" and search_key(None) == ""


def test_focus_down_up_both_and_depth():
    G = sample_like_graph()
    down = select_subgraph(G, focus="国办发[2015]33号", direction="down")
    assert set(down) == {"国办发〔2015〕33号", "t:1111111111111111", "安政办发〔2012〕26号", "t:2222222222222222"}
    assert down.number_of_edges() == 3
    one = select_subgraph(G, focus="国办发〔2015〕33号", direction="down", depth=1)
    assert set(one) == {"国办发〔2015〕33号", "t:1111111111111111", "安政办发〔2012〕26号"}
    up = select_subgraph(G, focus="t:2222222222222222", direction="up")
    assert set(up) == {"t:2222222222222222", "晋人社厅〔2012〕106号", "安政办发〔2012〕26号", "国办发〔2015〕33号"}
    both = select_subgraph(G, focus="安政办发〔2012〕26号", direction="both", depth=1)
    # siblings (t:1111 also cites 国办发) are not part of a both-ways neighbourhood
    assert set(both) == {"安政办发〔2012〕26号", "国办发〔2015〕33号", "t:2222222222222222"}


def test_focus_unknown_is_not_found():
    with pytest.raises(NotFoundError, match="^no document matches '国发〔1999〕99号'"):  # the library names no option
        select_subgraph(sample_like_graph(), focus="国发〔1999〕99号")


def test_levels_and_relations_filters():
    G = sample_like_graph()
    H = select_subgraph(G, levels=["central", "county"])
    assert {d["level"] for _, d in H.nodes(data=True)} == {"central", "county"}
    assert all(H.nodes[u]["level"] in ("central", "county") and H.nodes[v]["level"] in ("central", "county")
               for u, v in H.edges())
    R = select_subgraph(G, relations=["BASED_ON"])
    assert {k for _, _, k in R.edges(keys=True)} == {"BASED_ON"}
    # nodes that only had other relations go; documents that never had an edge stay
    assert "t:1111111111111111" not in R and "国办发〔2015〕33号" not in R
    assert "t:0000000000000005" in R
    with pytest.raises(PolgraphError, match="^unknown level 'national'"):
        select_subgraph(G, levels=["national"])
    with pytest.raises(PolgraphError, match="^unknown relation 'LIKES'"):
        select_subgraph(G, relations=["LIKES"])


def test_layout_rows_follow_the_hierarchy():
    G = layered_graph(300)
    pos, bands = hierarchical_layout(G)
    assert [b[0] for b in bands] == sorted((b[0] for b in bands), key=LEVEL_RANK.get)
    top_of = {lvl: y0 for lvl, y0, _ in bands}
    bottom_of = {lvl: y1 for lvl, _, y1 in bands}
    for (a, _, _), (b, _, _) in zip(bands, bands[1:]):
        assert bottom_of[a] < top_of[b]
    for n, (x, y) in pos.items():
        lvl = G.nodes[n]["level"]
        assert top_of[lvl] <= y <= bottom_of[lvl]
    assert len(set(pos.values())) == len(pos)  # no two documents on the same spot


def test_max_nodes_limit_and_force(tmp_path):
    G = layered_graph(120)
    out = tmp_path / "g.html"
    with pytest.raises(LimitError, match="more than the limit of 50: draw the neighbourhood") as e:
        render_html(G, out, max_nodes=50)
    assert "--" not in str(e.value)
    assert not out.exists()
    info = render_html(G, out, max_nodes=50, force=True)
    assert info == {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    data = page_data(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == info["nodes"] and len(data["edges"]) == info["edges"]


def test_styles_placeholders_size_and_arrows(tmp_path):
    G = sample_like_graph()
    data = page_data(render_page(G))
    by_id = {n["id"]: n for n in data["nodes"]}
    ph, doc = by_id["晋人社厅〔2012〕106号"], by_id["t:1111111111111111"]
    assert ph["placeholder"] and ph["shapeProperties"]["borderDashes"]
    assert ph["color"]["background"] == "#ffffff" and doc["color"]["background"] != "#ffffff"
    assert by_id["国办发〔2015〕33号"]["size"] > doc["size"]  # cited twice vs never
    assert {e["arrows"] for e in data["edges"]} == {"to"}
    rels = {e["relation"]: e for e in data["edges"]}
    assert rels["IMPLEMENTS"]["color"] != rels["REFERS_TO"]["color"] and rels["REFERS_TO"]["dashes"]
    assert data["options"]["physics"]["enabled"] is False


def test_an_untitled_document_is_drawn_by_its_issuer_or_file_name():
    """A body-only text (no title, no 文号) is labelled by its path: drawn, that showed only '/data/crawl…'."""
    G = nx.MultiDiGraph()
    for n, issuer in (("f:1", ["某某部办公厅"]), ("f:2", [])):
        path = f"/data/crawl/ministry/0011{n[-1]}.txt"
        G.add_node(n, label=path, path=path, title=None, doc_number=None, issuer=issuer, level="central",
                   in_corpus=True)
    by_id = {x["id"]: x for x in page_data(render_page(G))["nodes"]}
    assert by_id["f:1"]["label"] == "某某部办公厅" and by_id["f:2"]["label"] == "00112.txt"
    assert by_id["f:1"]["info"]["path"] == "/data/crawl/ministry/00111.txt"  # the tooltip keeps the path


def test_self_contained_no_external_references():
    text = render_page(sample_like_graph())

    class Refs(HTMLParser):
        found = []

        def handle_starttag(self, tag, attrs):
            for k, v in attrs:
                if k in ("src", "href", "srcset", "data", "action", "poster"):
                    self.found.append((tag, k, v))

    p = Refs()
    p.feed(text)
    assert p.found == []
    assert "<link" not in text and "@import" not in text
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "cdn" not in text.lower().replace("cdnjs", "")  # no CDN loader left from pyvis's template


def test_every_document_string_is_escaped():
    text = render_page(xss_graph(), title="<b>t</b>")
    assert XSS_TITLE not in text and "<img" not in text and "<iframe" not in text and "<svg" not in text
    assert "</script><script>alert(2)" not in text
    assert text.count("</script>") == 3  # data, vis-network, our code: nothing else closes a script
    assert "<title>&lt;b&gt;t&lt;/b&gt;</title>" in text
    data = page_data(text)  # and the JSON still carries the exact strings
    node = next(n for n in data["nodes"] if n["id"] == "国发〔2020〕1号")
    assert node["info"]["title"] == XSS_TITLE
    assert data["edges"][0]["info"]["mentions"][0]["sentence"] == XSS_SENTENCE


def test_script_json_neutralises_markup_and_line_separators():
    s = script_json({"a": "</script><!--\u2028&"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"a": "</script><!--\u2028&"}


def test_same_graph_same_bytes(tmp_path):
    G = sample_like_graph()
    # the same graph built in another insertion order
    G2 = nx.MultiDiGraph()
    G2.graph.update(G.graph)
    G2.add_nodes_from(sorted(G.nodes(data=True), reverse=True))
    G2.add_edges_from(sorted(G.edges(keys=True, data=True), key=lambda e: (e[1], e[0]), reverse=True))
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    render_html(G, a)
    render_html(G2, b)
    assert a.read_bytes() == b.read_bytes()
    big1, big2 = render_page(layered_graph(400)), render_page(layered_graph(400))
    assert big1 == big2


def test_cli_render_and_its_errors(tmp_path):
    from polgraph.graph.io import save_graph

    gfile = tmp_path / "g.json"
    save_graph(sample_like_graph(), gfile)
    out = tmp_path / "g.html"
    r = CliRunner().invoke(cli, ["render", str(gfile), "-o", str(out), "--focus", "国办发[2015]33号",
                                 "--direction", "down", "--relations", "implements,refers_to,based_on"])
    assert r.exit_code == 0, r.output
    assert "4 node(s), 3 edge(s)" in r.output
    assert len(page_data(out.read_text(encoding="utf-8"))["nodes"]) == 4

    r = CliRunner().invoke(cli, ["render", str(gfile), "-o", str(out), "--max-nodes", "3"])
    assert r.exit_code == EXIT_CHECK
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--focus" in lines[0] and "Traceback" not in r.output

    r = CliRunner().invoke(cli, ["render", str(gfile), "-o", str(out), "--focus", "国发〔1999〕99号"])
    assert r.exit_code == EXIT_CHECK and "--focus: no document matches '国发〔1999〕99号'" in r.output
    assert "Traceback" not in r.output

    r = CliRunner().invoke(cli, ["render", str(gfile), "-o", str(out), "--relations", "IMPLEMENTS,LIKES"])
    assert r.exit_code != 0 and "--relations: unknown relation 'LIKES' (choose from" in r.output

    r = CliRunner().invoke(cli, ["render", str(gfile), "-o", str(tmp_path / "no" / "such" / "dir.html")])
    assert r.exit_code != 0 and "Traceback" not in r.output and "dir.html" in r.output


def test_missing_chromium_fails_in_ci_and_skips_locally(monkeypatch):
    import browser_support

    monkeypatch.setattr(browser_support, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(browser_support, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        browser_support.chromium_or_skip()
    monkeypatch.setattr(browser_support, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception):
        browser_support.chromium_or_skip()

"""polgraph render in real headless Chromium (Debian's /usr/bin/chromium via Playwright), offline."""
from __future__ import annotations

import pytest

from browser_support import (XSS_SENTENCE, XSS_TITLE, launch_browser, open_offline, sample_like_graph,
                             xss_graph)
from polgraph.graph.render import render_html, search_key
from polgraph.graph.trace import select_subgraph

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


def drawn_counts(page):
    return page.evaluate("[polgraph.nodes.length, polgraph.edges.length, polgraph.nodeView.length,"
                         " polgraph.network.body.nodeIndices.length, polgraph.network.body.edgeIndices.length]")


def node_screen_xy(page, node_id):
    return page.evaluate("""(id) => {
        const p = polgraph.network.getPositions([id])[id];
        const d = polgraph.network.canvasToDOM(p);
        const r = document.getElementById('graph').getBoundingClientRect();
        return [r.left + d.x, r.top + d.y];
    }""", node_id)


def assert_clean(op):
    assert op.blocked == [], f"requests to other hosts: {op.blocked}"
    assert op.allowed == [op.url]
    assert op.errors == [], op.errors
    assert op.console_errors == [], op.console_errors  # e.g. a Content-Security-Policy violation
    assert op.dialogs == [] and op.page.evaluate("window.__xss") == []


def test_handmade_sample_draws_every_node_and_edge_offline(browser, tmp_path, artifacts_dir):
    G = sample_like_graph()
    out = tmp_path / "sample.html"
    info = render_html(G, out)
    with open_offline(browser, out) as op:
        n, m, visible, drawn_n, drawn_m = drawn_counts(op.page)
        assert (n, m) == (G.number_of_nodes(), G.number_of_edges()) == (info["nodes"], info["edges"])
        assert (visible, drawn_n, drawn_m) == (n, n, m)
        op.page.screenshot(path=str(artifacts_dir / "render_handmade_sample.png"))
        assert_clean(op)


def test_data_sample_render(browser, tmp_path, artifacts_dir, sample_dir):
    from polgraph.graph.build import open_graph

    G = open_graph([str(sample_dir)], quiet=True)
    out = tmp_path / "data_sample.html"
    render_html(G, out)
    with open_offline(browser, out) as op:
        n, m, visible, drawn_n, drawn_m = drawn_counts(op.page)
        assert (n, m) == (G.number_of_nodes(), G.number_of_edges())
        assert (drawn_n, drawn_m) == (n, m)
        op.page.screenshot(path=str(artifacts_dir / "render_data_sample.png"))
        assert_clean(op)
        # the State Council opinion is in data/sample and is found by a half-width bracket 文号
        op.page.fill("#search", "国办发[2015]33号")
        op.page.press("#search", "Enter")
        selected = op.page.evaluate("polgraph.network.getSelectedNodes()")
        assert len(selected) == 1
        assert G.nodes[selected[0]]["doc_number"] == "国办发〔2015〕33号" and G.nodes[selected[0]]["in_corpus"]


def test_filtered_render_counts_match_networkx(browser, tmp_path):
    G = sample_like_graph()
    H = select_subgraph(G, focus="国办发〔2015〕33号", direction="down", relations=["IMPLEMENTS", "REFERS_TO"])
    out = tmp_path / "focus.html"
    render_html(G, out, focus="国办发〔2015〕33号", direction="down", relations=["IMPLEMENTS", "REFERS_TO"])
    with open_offline(browser, out) as op:
        n, m, _, drawn_n, drawn_m = drawn_counts(op.page)
        assert (n, m) == (drawn_n, drawn_m) == (H.number_of_nodes(), H.number_of_edges()) == (3, 2)
        assert_clean(op)


def test_search_any_bracket_style_selects_the_state_council_document(browser, tmp_path):
    out = tmp_path / "s.html"
    render_html(sample_like_graph(), out)
    with open_offline(browser, out) as op:
        page = op.page
        for query in ["国办发[2015]33号", "国办发（2015）33号", "国办发〔２０１５〕第33号", "国办发 【2015】 33 号"]:
            page.fill("#search", query)
            page.press("#search", "Enter")
            assert page.evaluate("polgraph.network.getSelectedNodes()") == ["国办发〔2015〕33号"], query
            assert "1 " in page.inner_text("#search-status")
        page.fill("#search", "预算管理 普洱")  # title words, in any order
        page.press("#search", "Enter")
        assert page.evaluate("polgraph.network.getSelectedNodes()") == ["普政发〔2022〕38号"]
        page.fill("#search", "公立医院 人事制度")  # two documents: both selected
        page.press("#search", "Enter")
        assert sorted(page.evaluate("polgraph.network.getSelectedNodes()")) == [
            "t:2222222222222222", "晋人社厅〔2012〕106号"]
        page.fill("#search", "国发[1999]99号")
        page.press("#search", "Enter")
        assert page.evaluate("polgraph.network.getSelectedNodes()") == []
        assert_clean(op)


def test_javascript_search_key_matches_python(browser, tmp_path):
    out = tmp_path / "k.html"
    render_html(sample_like_graph(), out)
    samples = ["国办发[2015]33号", "国办发（２０１５）第33號", "  晋人社厅 【2012年】 106 号 ", "关于印发<X>的通知",
               "ABC def\u3000(1)", "﹝2019﹞", "第三条 〔2020〕第 5 号", ""]
    with open_offline(browser, out) as op:
        js = op.page.evaluate("(xs) => xs.map(polgraph.searchKey)", samples)
        assert js == [search_key(s) for s in samples]


def test_xss_title_shows_as_text_and_runs_nothing(browser, tmp_path, artifacts_dir):
    out = tmp_path / "xss.html"
    render_html(xss_graph(), out, title=XSS_TITLE)
    with open_offline(browser, out) as op:
        page = op.page
        assert page.title() == XSS_TITLE
        injected = "document.querySelectorAll('img, iframe, svg, b, i').length + document.scripts.length"
        # hover the node: our tooltip shows the title as text
        x, y = node_screen_xy(page, "国发〔2020〕1号")
        page.mouse.move(x, y)
        page.wait_for_selector("#tooltip:not([hidden])", timeout=5000)
        tip = page.evaluate("document.getElementById('tooltip').textContent")
        assert XSS_TITLE in tip and "<script>alert(4)</script>" in tip
        assert page.evaluate("document.querySelectorAll('#tooltip *').length") > 0
        assert page.evaluate("document.querySelectorAll('#tooltip img, #tooltip script').length") == 0
        # click it: the details panel too
        page.mouse.click(x, y)
        assert XSS_TITLE in page.inner_text("#details-body")
        # the edge's evidence sentence
        page.mouse.move(5, 5)
        ex, ey = page.evaluate("""() => {
            const n = polgraph.network, ps = n.getPositions(['国发〔2020〕1号', 't:<x>']);
            const a = n.canvasToDOM(ps['国发〔2020〕1号']), b = n.canvasToDOM(ps['t:<x>']);
            const r = document.getElementById('graph').getBoundingClientRect();
            return [r.left + (a.x + b.x) / 2, r.top + (a.y + b.y) / 2];
        }""")
        page.mouse.move(ex, ey)
        page.wait_for_function("document.getElementById('tooltip').textContent.includes('alert(2)')", timeout=5000)
        tip = page.evaluate("document.getElementById('tooltip').textContent")
        assert XSS_SENTENCE in tip and "<i>flag</i>" in tip
        # the labels drawn on the canvas are text by construction; the DOM holds no injected element
        assert page.evaluate(injected) == 3  # data, vis-network, our code
        page.screenshot(path=str(artifacts_dir / "render_xss.png"))
        assert_clean(op)


def test_filters_and_chain_highlight(browser, tmp_path):
    G = sample_like_graph()
    out = tmp_path / "f.html"
    render_html(G, out)
    with open_offline(browser, out) as op:
        page = op.page
        n_county = sum(1 for _, d in G.nodes(data=True) if d["level"] == "county")
        page.uncheck("#level-filters input[value=county]")
        assert page.evaluate("polgraph.network.body.nodeIndices.length") == G.number_of_nodes() - n_county
        page.check("#level-filters input[value=county]")
        page.uncheck("#relation-filters input[value=BASED_ON]")
        n_based = sum(1 for _, _, k in G.edges(keys=True) if k == "BASED_ON")
        assert page.evaluate("polgraph.network.body.edgeIndices.length") == G.number_of_edges() - n_based
        page.check("#relation-filters input[value=BASED_ON]")
        # clicking the county plan lights up what it rests on and who implements it, nothing else
        x, y = node_screen_xy(page, "t:2222222222222222")
        page.mouse.click(x, y)
        lit = page.evaluate("""() => polgraph.nodes.get().filter(n => n.color.background !== '#f2f3f4')
                                                          .map(n => n.id).sort()""")
        expected = sorted(select_subgraph(G, focus="t:2222222222222222", direction="both").nodes)
        assert lit == expected
        assert not page.is_hidden("#details")
        page.click("#clear")
        assert page.evaluate("polgraph.nodes.get().filter(n => n.color.background === '#f2f3f4').length") == 0
        assert_clean(op)


def test_status_drawn_faded_and_struck_and_filtered(browser, tmp_path):
    from polgraph.graph.build import graph_from_records
    from polgraph.graph.status import annotate_status
    from test_lifecycle_flags import records

    G = graph_from_records(records())
    annotate_status(G, "2022-06-01")
    out = tmp_path / "status.html"
    render_html(G, out)
    with open_offline(browser, out) as op:
        nodes = op.page.evaluate("polgraph.nodes.get().map(n => [n.id, n.status, n.opacity === undefined ? 1 : "
                                 "n.opacity, n.label, n.info.status])")
        by_id = {n[0]: n[1:] for n in nodes}
        status, opacity, label, info_status = by_id["某政发〔2010〕5号"]
        assert status == info_status == "repealed" and opacity < 0.5 and "\u0336" in label
        assert by_id["某政办发〔2018〕3号"][0] == "expired" and by_id["某政办发〔2018〕3号"][1] < 0.5
        status, opacity, label, _ = by_id["某政发〔2021〕8号"]
        assert status == "in_force" and opacity == 1 and "\u0336" not in label
        drawn = op.page.evaluate("polgraph.network.body.nodes['某政发〔2010〕5号'].options.opacity")
        assert drawn < 0.5  # vis-network took the option: the node is drawn faded
        assert_clean(op)
    kept = tmp_path / "in_force.html"
    info = render_html(G, kept, statuses=["in_force"])
    with open_offline(browser, kept) as op:
        n, m, _, drawn_n, drawn_m = drawn_counts(op.page)
        assert (n, drawn_n) == (info["nodes"], 4) and "某政发〔2010〕5号" not in op.page.evaluate(
            "polgraph.nodes.getIds()")
        assert_clean(op)

"""`polgraph diffusion --html` in real headless Chromium: offline (no request beyond the file), every province
tile drawn, hostile titles shown as text in the tooltips and the table."""
from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from browser_support import launch_browser, open_offline
from conftest import REPO
from polgraph.cli import cli
from polgraph.graph.diffusion import NOT_ADOPTED, diffusion, diffusion_html, province_tiles

pytestmark = pytest.mark.browser
HOSTILE = "<img src=x onerror=alert(1)>关于</script><script>alert(2)</script>的\"实施'意见"


def _hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(created_by="polgraph")
    G.add_node("国发〔2020〕1号", title="国务院关于<b>示例</b>的意见", doc_number="国发〔2020〕1号", issuer=["国务院"],
               date="2020-01-01", level="central", in_corpus=True)
    G.add_node("川府发〔2020〕2号", title="四川省人民政府" + HOSTILE, doc_number="川府发〔2020〕2号",
               issuer=["四川省人民政府"], date="2020-03-01", level="provincial", region="四川省", in_corpus=True)
    G.add_node("t:<svg onload=alert(3)>", title="<svg onload=alert(3)>绵阳市人民政府关于示例的方案", doc_number=None,
               issuer=["绵阳市人民政府"], date=None, level="municipal", region="四川省", in_corpus=True)
    G.add_edge("川府发〔2020〕2号", "国发〔2020〕1号", key="IMPLEMENTS")
    G.add_edge("t:<svg onload=alert(3)>", "川府发〔2020〕2号", key="IMPLEMENTS")
    return G


def test_page_offline_tiles_and_escaped_tooltips(tmp_path):
    G = _hostile_graph()
    page_path = tmp_path / "d.html"
    page_path.write_text(diffusion_html(diffusion(G, "国发〔2020〕1号")), encoding="utf-8")
    with launch_browser() as browser, open_offline(browser, page_path) as op:
        page = op.page
        tiles = page.eval_on_selector_all(".tile", "ts => ts.map(t => [t.dataset.province, t.dataset.adopted, "
                                                   "getComputedStyle(t).backgroundColor, t.getBoundingClientRect().width])")
        assert sorted(t[0] for t in tiles) == sorted(province_tiles())
        assert all(t[3] > 20 for t in tiles)  # drawn, not collapsed
        adopted = {t[0] for t in tiles if t[1] == "1"}
        assert adopted == {"四川省"}
        grey = "rgb({}, {}, {})".format(*(int(NOT_ADOPTED[i:i + 2], 16) for i in (1, 3, 5)))
        assert all(t[2] == grey for t in tiles if t[0] != "四川省")
        assert next(t[2] for t in tiles if t[0] == "四川省") != grey
        page.hover('.tile[data-province="四川省"]')
        tip = page.inner_text("#tip")
        assert HOSTILE in tip and "川府发〔2020〕2号" in tip and "direct" in tip
        assert HOSTILE in page.inner_text("#table")
        assert "<svg onload=alert(3)>" in page.inner_text("#undated")
        assert page.evaluate("document.querySelectorAll('img, svg[onload], h1 b').length") == 0
        assert page.evaluate("document.scripts.length") == 1
        assert "国务院关于<b>示例</b>的意见" in page.inner_text("h1")
        assert page.evaluate("document.querySelectorAll('#curve').length") == 1
        assert page.evaluate("window.__xss") == []
        assert op.blocked == [] and op.errors == [] and op.dialogs == []
        assert op.allowed == [page_path.resolve().as_uri()]


def test_cli_html_on_the_sample_corpus(tmp_path):
    out = tmp_path / "sample.html"
    r = CliRunner().invoke(cli, ["diffusion", str(REPO / "data" / "diffusion_sample"), "国办发〔2019〕58号", "-q",
                                 "--unit", "county", "--html", str(out)])
    assert r.exit_code == 0, r.output
    with launch_browser() as browser, open_offline(browser, out) as op:
        adopted = op.page.eval_on_selector_all('.tile[data-adopted="1"]', "ts => ts.map(t => t.dataset.province)")
        # the map is by province whatever the table's unit; 广东省's document is in traditional characters
        assert sorted(adopted) == ["四川省", "山西省", "广东省"]
        assert "三台县" in op.page.inner_text("#table")
        assert op.blocked == [] and op.errors == []

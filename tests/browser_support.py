"""Real headless Chromium for the render/annotate tests, plus small hand-made graphs.

Debian's /usr/bin/chromium is driven by Playwright (never a downloaded browser). Every request the page
makes is routed: the HTML file itself is allowed, anything else is aborted and recorded, so a test can
assert that an offline file really stays offline. In CI (CI=true) a missing chromium fails; locally it skips.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import pytest

from conftest import IN_CI

CHROMIUM = os.environ.get("POLGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-default-apps", "--disable-extensions", "--lang=zh-CN"]


def chromium_or_skip() -> str:
    path = CHROMIUM if os.path.isabs(CHROMIUM) else shutil.which(CHROMIUM)
    if not path or not os.access(path, os.X_OK):
        msg = f"Debian chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("playwright (Python) is not installed")
        pytest.skip("playwright (Python) is not installed")
    return path


@contextmanager
def launch_browser():
    from playwright.sync_api import sync_playwright

    exe = chromium_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class OfflinePage:
    """A page that opened one local file with every other request blocked and counted."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url
        self.blocked: list[str] = []
        self.allowed: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []


@contextmanager
def open_offline(browser, html_path: Path, viewport=(1400, 900), wait_ready: bool = True,
                 timeout_ms: int = 30000):
    html_path = Path(html_path).resolve()
    url = html_path.as_uri()
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  device_scale_factor=1, service_workers="block")
    page = context.new_page()
    op = OfflinePage(page, url)

    def route(r):
        req_url = r.request.url
        if req_url == url:
            op.allowed.append(req_url)
            r.continue_()
        else:
            op.blocked.append(req_url)
            r.abort()

    context.route("**/*", route)
    page.on("dialog", lambda d: (op.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: op.errors.append(str(e)))
    page.on("console", lambda m: op.console_errors.append(m.text) if m.type == "error" else None)
    # window.alert etc. are hooked before any page script runs: a successful XSS would leave a trace here.
    page.add_init_script("""
        window.__xss = [];
        for (const f of ['alert', 'confirm', 'prompt']) {
          window[f] = (m) => { window.__xss.push(f + ':' + m); };
        }
    """)
    try:
        page.goto(url, wait_until="load")
        if wait_ready:
            page.wait_for_function("window.__polgraphReady === true", timeout=timeout_ms)
        yield op
    finally:
        context.close()


def sample_like_graph() -> nx.MultiDiGraph:
    """A hand-made graph shaped like what data/sample yields (graph/model.py attributes)."""
    G = nx.MultiDiGraph(created_by="polgraph", skipped=[], conflicts=[])

    def doc(nid, title, level, in_corpus=True, number=None, issuer=(), date=None, region=None, path=None,
            aliases=()):
        G.add_node(nid, label=number or title, title=title, aliases=list(aliases), doc_number=number,
                   issuer=list(issuer), date=date, year=int(date[:4]) if date else None, level=level,
                   region=region, in_corpus=in_corpus, path=path, carries=[])

    def cite(u, v, rel, sentence, cue, method="number"):
        G.add_edge(u, v, key=rel, relation=rel, method=method, score=100.0, flags=[],
                   mentions=[{"path": G.nodes[u].get("path"), "sentence": sentence, "start": 0,
                              "end": 10, "cue": cue, "doc_number": G.nodes[v].get("doc_number"),
                              "title": G.nodes[v].get("title"), "cited_issuer": None}])

    doc("国办发〔2015〕33号", "国务院办公厅关于全面推开县级公立医院综合改革的实施意见", "central",
        number="国办发〔2015〕33号", issuer=["国务院办公厅"], date="2015-05-08", path="data/sample/00004.txt")
    doc("t:1111111111111111", "全面深化县级公立医院综合改革实施方案", "municipal",
        path="data/sample/00002.txt")
    doc("t:2222222222222222", "深化县级公立医院人事制度改革意见", "county", path="data/sample/00003.txt")
    doc("晋人社厅〔2012〕106号", "关于印发山西省深化县级公立医院人事制度改革意见的通知", "provincial",
        in_corpus=False, number="晋人社厅〔2012〕106号", issuer=["山西省人力资源和社会保障厅"], region="山西省")
    doc("安政办发〔2012〕26号", "关于印发安泽县深化公立医院改革实施方案(试行)的通知", "county",
        in_corpus=False, number="安政办发〔2012〕26号", issuer=["安泽县人民政府办公室"], region="山西省")
    doc("普政发〔2022〕38号", "普洱市人民政府关于印发《关于强化财政资源统筹深化预算管理制度改革的实施意见》的通知",
        "municipal", number="普政发〔2022〕38号", issuer=["普洱市人民政府"], date="2022-06-20", region="云南省",
        path="data/sample/00008.txt", aliases=["关于强化财政资源统筹深化预算管理制度改革的实施意见"])
    for i, t in [(1, "经济发达镇行政管理体制改革存在的问题及对策"), (5, "县委权力公开透明运行论文"),
                 (9, "深化县级权力运行机制改革")]:
        doc(f"t:{i:016d}", t, "unknown", path=f"data/sample/0000{i}.txt")
    cite("t:1111111111111111", "国办发〔2015〕33号", "IMPLEMENTS",
         "为贯彻落实《国务院办公厅关于全面推开县级公立医院综合改革的实施意见》(国办发〔2015〕33号)", "为贯彻落实")
    cite("t:2222222222222222", "晋人社厅〔2012〕106号", "BASED_ON",
         "根据山西省人力资源和社会保障厅《关于印发<山西省深化县级公立医院人事制度改革意见>的通知》"
         "(晋人社厅[2012]106号)", "根据")
    cite("t:2222222222222222", "安政办发〔2012〕26号", "BASED_ON",
         "和安泽县人民政府办公室《关于印发<安泽县深化公立医院改革实施方案(试行)>的通知》(安政办发[2012]26号)",
         "根据")
    cite("安政办发〔2012〕26号", "国办发〔2015〕33号", "REFERS_TO", "参照国办发〔2015〕33号", "参照")
    return G


XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_SENTENCE = "为贯彻落实</script><script>alert(2)</script><!--《<b>bold</b>》"


def xss_graph() -> nx.MultiDiGraph:
    """Hostile strings in every field a page shows."""
    G = nx.MultiDiGraph(created_by="polgraph")
    G.add_node("国发〔2020〕1号", label="国发〔2020〕1号", title=XSS_TITLE, aliases=["<svg onload=alert(3)>"],
               doc_number="国发〔2020〕1号", issuer=["<script>alert(4)</script>"], date="2020-01-01", year=2020,
               level="central", region=None, in_corpus=True, path="a&b<c>.txt", carries=[])
    G.add_node("t:<x>", label="<iframe src=javascript:alert(5)>", title="<iframe src=javascript:alert(5)>",
               aliases=[], doc_number=None, issuer=[], date=None, year=None, level="county", region="\"'",
               in_corpus=True, path="x.txt", carries=[])
    G.add_edge("t:<x>", "国发〔2020〕1号", key="IMPLEMENTS", relation="IMPLEMENTS", method="number", score=100.0,
               flags=["<i>flag</i>"], mentions=[{"path": "x.txt", "sentence": XSS_SENTENCE, "start": 0, "end": 5,
                                                 "cue": "为贯彻落实", "doc_number": "国发〔2020〕1号", "title": None,
                                                 "cited_issuer": None}])
    return G


def layered_graph(n_docs: int, seed: int = 7) -> nx.MultiDiGraph:
    """A deterministic central -> township tree-ish graph of about `n_docs` nodes (no randomness module)."""
    from polgraph.graph.model import LEVELS

    G = nx.MultiDiGraph(created_by="polgraph")
    shares = [0.03, 0.1, 0.22, 0.45, 0.15, 0.05]
    ids_by_level = []
    k = 0
    for lvl, share in zip(LEVELS, shares):
        ids = []
        for i in range(max(1, int(n_docs * share))):
            nid = f"L{lvl[:3]}{i:05d}"
            G.add_node(nid, label=f"{lvl}-{i}", title=f"{lvl} 文件 {i}", aliases=[], doc_number=None, issuer=[],
                       date=None, year=None, level=lvl, region=None, in_corpus=(k % 5 != 0), path=None,
                       carries=[])
            ids.append(nid)
            k += 1
        ids_by_level.append(ids)
    x = seed
    for li in range(1, len(ids_by_level) - 1):
        for nid in ids_by_level[li]:
            for _ in range(2):
                x = (x * 1103515245 + 12345) % (2 ** 31)
                parents = ids_by_level[li - 1] if x % 3 else ids_by_level[max(0, li - 2)]
                target = parents[x % len(parents)]
                rel = "IMPLEMENTS" if x % 4 else "REFERS_TO"
                G.add_edge(nid, target, key=rel, relation=rel, method="number", score=100.0, flags=[],
                           mentions=[])
    return G


def readme_screenshot(out: Path, sample: Path) -> None:
    """docs/screenshot.png: the data/sample render with the State Council opinion's tooltip open.

    Regenerate with `.venv/bin/python tests/browser_support.py` (needs only chromium and fonts-noto-cjk).
    """
    import tempfile

    from polgraph.graph.build import open_graph
    from polgraph.graph.render import render_html

    G = open_graph([str(sample)], quiet=True)
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "sample.html"
        render_html(G, html_path)
        with launch_browser() as browser, open_offline(browser, html_path, viewport=(1400, 820)) as op:
            page = op.page
            focus = next(n for n, d in G.nodes(data=True) if d.get("doc_number") == "国办发〔2015〕33号")
            x, y = page.evaluate("""(id) => {
                const d = polgraph.network.canvasToDOM(polgraph.network.getPositions([id])[id]);
                const r = document.getElementById('graph').getBoundingClientRect();
                return [r.left + d.x, r.top + d.y]; }""", focus)
            page.mouse.move(x, y)
            page.wait_for_selector("#tooltip:not([hidden])")
            assert op.blocked == [] and op.errors == []
            page.screenshot(path=str(out))


if __name__ == "__main__":
    import sys

    here = Path(__file__).resolve().parent.parent
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "docs" / "screenshot.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chdir(here)  # paths in the tooltip read data/sample/…, as a user running from the checkout sees them
    readme_screenshot(target, Path("data") / "sample")
    print(target)

"""polgraph annotate: highlights at the extractor's offsets, links into the graph, escaping, offline page."""
from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import networkx as nx
import pytest
from click.testing import CliRunner

from browser_support import launch_browser, open_offline
from polgraph.cli import cli
from polgraph.errors import EXIT_USAGE
from polgraph.extract.find import extract_text
from polgraph.extract.read import read_file
from polgraph.graph.annotate import annotate_document
from polgraph.graph.io import save_graph

XSS = "<img src=x onerror=alert(1)>"


class Page(HTMLParser):
    """Collects, per citation number, the text inside its <mark>s, and every href / src."""

    def __init__(self):
        super().__init__()
        self.marked: dict[int, str] = {}
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self._open: list[list[int]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            self._open.append([int(x) for x in a.get("data-citations", "").split()])
        if "href" in a:
            self.hrefs.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "mark":
            self._open.pop()

    def handle_data(self, data):
        for ids in self._open:
            for i in ids:
                self.marked[i] = self.marked.get(i, "") + data


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def record_of(path) -> tuple[str, dict]:
    d = read_file(path)[0]
    return d.text, extract_text(d.text, d.path, d.overrides)


def test_sample_citations_highlighted_and_linked(tmp_path, sample_dir):
    doc = sample_dir / "00002.txt"
    out = tmp_path / "a.html"
    info = annotate_document(str(doc), out, quiet=True)
    text, rec = record_of(str(doc))
    assert info["citations"] == len(rec["citations"]) >= 2
    page = parse(out)
    # every citation is highlighted exactly over text[start:end]
    for i, c in enumerate(rec["citations"], start=1):
        assert page.marked[i] == text[c["start"]:c["end"]]
    # the State Council opinion is in the folder: a relative link that opens data/sample/00004.txt
    local = [h for h in page.hrefs if not h.startswith("#")]
    assert local and all("://" not in h and not h.startswith("/") for h in local)
    targets = {(out.parent / unquote(h)).resolve() for h in local}
    assert (sample_dir / "00004.txt").resolve() in targets
    assert all(t.is_file() for t in targets)
    assert page.scripts == 0
    body = out.read_text(encoding="utf-8")
    assert "贯彻落实 IMPLEMENTS" in body


def test_explicit_graph_file_and_unresolved(tmp_path, sample_dir):
    # a graph that knows 国办发〔2015〕33号 (at another path) but not the annotated document itself
    cited = tmp_path / "corpus" / "gov.txt"
    cited.parent.mkdir()
    cited.write_text("国务院办公厅关于全面推开县级公立医院综合改革的实施意见\n", encoding="utf-8")
    G = nx.MultiDiGraph(created_by="polgraph")
    G.add_node("国办发〔2015〕33号", label="国办发〔2015〕33号", title="国务院办公厅关于全面推开县级公立医院综合改革的实施意见",
               aliases=[], doc_number="国办发〔2015〕33号", issuer=["国务院办公厅"], date=None, year=None,
               level="central", region=None, in_corpus=True, path=str(cited), carries=[])
    gfile = tmp_path / "g.json"
    save_graph(G, gfile)
    out = tmp_path / "out" / "a.html"
    out.parent.mkdir()
    info = annotate_document(str(sample_dir / "00002.txt"), out, graph_source=str(gfile), quiet=True)
    assert info["resolved"] == 1 and info["citations"] >= 2
    page = parse(out)
    assert {unquote(h) for h in page.hrefs if not h.startswith("#")} == {"../corpus/gov.txt"}
    assert out.read_text(encoding="utf-8").count('class="unresolved"') >= 2  # badge + table row


def test_hostile_strings_are_escaped_and_output_is_deterministic(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "x.txt").write_text(
        f"{XSS}关于加强管理的通知\n\n为贯彻落实《国务院关于<script>alert(2)</script>的意见》(国发〔2016〕1号)精神，"
        f"现通知如下。</textarea><!--\n", encoding="utf-8")
    out1, out2 = tmp_path / "1.html", tmp_path / "2.html"
    info = annotate_document(str(folder / "x.txt"), out1, quiet=True)
    annotate_document(str(folder / "x.txt"), out2, quiet=True)
    assert out1.read_bytes() == out2.read_bytes()
    assert info["citations"] >= 1
    body = out1.read_text(encoding="utf-8")
    assert "<img" not in body and "<script" not in body and "</textarea>" not in body and "<!--" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    page = parse(out1)
    assert set(page.tags) <= {"html", "head", "meta", "title", "style", "body", "header", "div", "span", "article",
                              "h1", "h2", "dl", "dt", "dd", "p", "mark", "sup", "a", "table", "thead", "tbody",
                              "tr", "th", "td", "br"}


def test_cli_annotate_and_bad_input(tmp_path, sample_dir):
    out = tmp_path / "a.html"
    r = CliRunner().invoke(cli, ["annotate", str(sample_dir / "00003.txt"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "citation(s)" in r.output and "resolved" in r.output and out.is_file()
    bad = tmp_path / "bad" / "blob.txt"
    bad.parent.mkdir()
    bad.write_bytes(b"\x00\x01\x02\xff" * 100)
    r = CliRunner().invoke(cli, ["annotate", str(bad), "-o", str(out)])
    assert r.exit_code == EXIT_USAGE
    assert "blob.txt" in r.output and "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


@pytest.mark.browser
def test_annotate_page_in_headless_chromium(tmp_path, sample_dir, artifacts_dir):
    folder = tmp_path / "sample"
    shutil.copytree(sample_dir, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "00010.txt").write_text(
        f"{XSS}县实施方案\n\n为贯彻落实《国务院办公厅关于全面推开县级公立医院综合改革的实施意见》(国办发〔2015〕33号)，"
        "根据《关于印发<山西省深化县级公立医院人事制度改革意见>的通知》(晋人社厅[2012]106号)，制定本方案。\n",
        encoding="utf-8")
    out = tmp_path / "a.html"
    info = annotate_document(str(folder / "00010.txt"), out, quiet=True)
    assert info["citations"] == 2
    with launch_browser() as browser, open_offline(browser, out, wait_ready=False) as op:
        page = op.page
        cited = page.evaluate("""() => new Set([...document.querySelectorAll('mark.cit')]
                                   .flatMap(m => m.dataset.citations.split(' '))).size""")
        assert cited == info["citations"]
        assert page.evaluate("document.querySelectorAll('sup.badge').length") == info["citations"]
        assert XSS in page.inner_text(".text")  # the document's own text, shown as text
        assert page.evaluate("document.querySelectorAll('img, script').length") == 0
        assert op.blocked == [] and op.errors == [] and op.dialogs == []
        assert page.evaluate("window.__xss") == []
        page.screenshot(path=str(artifacts_dir / "annotate_sample.png"), full_page=True)

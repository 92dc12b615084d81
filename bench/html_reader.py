"""HTML reading: the lxml walker of extract/read.py against the html.parser walker it replaced.

    .venv/bin/python bench/html_reader.py [--repeat 5] [--pages 400]

Pages: the team-written portal pages of tests/fixtures/real_world/ and the documents of data/sample/ and
../shared/corpora/govcn-statecouncil-2019/ (when present) wrapped in a portal page (navigation, breadcrumb,
metadata table, share bar, footer; a line of the document a <p>). Timed, best of --repeat: the baseline
`html.parser` walker (the code polgraph used before, kept below verbatim), `html_to_text` (lxml, chrome
dropped) and `read_html` (the same walk plus the metadata block's pairs). Prints MB/s of HTML and the ratios.
"""
from __future__ import annotations

import argparse
import html as html_lib
import os
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from polgraph.extract.read import _BLOCK_BREAK, _BLOCK_BREAKS, _BLOCK_TAGS, _HTML_SPACE, _SKIP_TAGS, _VOID_TAGS  # noqa: E402
from polgraph.extract.read import html_to_text, read_html  # noqa: E402


# ------------------------------------------------------------------ the baseline: polgraph's former walker
class _VisibleText(HTMLParser):
    """Collect the text a browser shows: no head/script/style; block elements become line breaks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS:
                self.skip_depth += 1
            return
        if tag == "pre":
            self.pre_depth += 1
        self._break(tag)

    def handle_startendtag(self, tag, attrs):
        if not self.skip_depth:
            self._break(tag)

    def _break(self, tag):
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append(_BLOCK_BREAK)

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag in _BLOCK_TAGS and tag != "br" and not self.skip_depth:
            self.parts.append(_BLOCK_BREAK)

    def handle_data(self, data):
        if self.skip_depth:
            return
        data = data.replace(_BLOCK_BREAK, "")
        if self.pre_depth:
            self.parts.append(data.replace("\xa0", " "))
        else:
            self.parts.append(_HTML_SPACE.sub(" ", data))


def old_html_to_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    text = _BLOCK_BREAKS.sub("\n", "".join(parser.parts))
    lines = (line.strip(" \t") for line in text.split("\n"))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# ------------------------------------------------------------------ pages

def _wrap(title: str, text: str) -> str:
    body = "\n".join(f"<p>{html_lib.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html_lib.escape(title)}_某某市人民政府</title>"
            "<script>var a = 1;</script><style>p{margin:0}</style></head><body>"
            "<div class='nav'><a href='/'>首页</a><a>政务公开</a><a>政务服务</a><a>互动交流</a></div>"
            "<div class='position'>您的位置：首页 &gt; 政务公开 &gt; 政策文件</div>"
            "<table class='xxgk'><tr><td>索引号：</td><td>0001/2020-01</td><td>主题分类：</td><td></td></tr>"
            "<tr><td>发文机关：</td><td>某某市人民政府</td><td>成文日期：</td><td>2020-01-01</td></tr></table>"
            f"<div id='zoom'><h1>{html_lib.escape(title)}</h1>{body}</div>"
            "<div class='share'>分享到：</div><div class='footer'>版权所有 网站标识码0000000000</div></body></html>")


def pages(limit: int) -> list[str]:
    out = [p.read_text(encoding="utf-8", errors="replace") for p in
           sorted((ROOT / "tests" / "fixtures" / "real_world").glob("*.html"))]
    folders = [ROOT / "data" / "sample", ROOT.parent / "shared" / "corpora" / "govcn-statecouncil-2019"]
    for folder in folders:
        if folder.is_dir():
            for p in sorted(folder.glob("*.txt")):
                text = p.read_text(encoding="utf-8")
                out.append(_wrap(text.split("\n", 1)[0][:60], text))
    while len(out) < limit:
        out += out[:limit - len(out)]
    return out[:limit]


def best(fn, items, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for x in items:
            fn(x)
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pages", type=int, default=400)
    args = ap.parse_args(argv)
    items = pages(args.pages)
    mb = sum(len(x.encode("utf-8")) for x in items) / 1e6
    for fn in (old_html_to_text, html_to_text, read_html):
        fn(items[0])  # warm-up: imports, data tables
    print(f"{len(items)} pages, {mb:.2f} MB of HTML; load average {os.getloadavg()[0]:.2f} (2 cores shared)")
    t_old = best(old_html_to_text, items, args.repeat)
    t_new = best(html_to_text, items, args.repeat)
    t_read = best(read_html, items, args.repeat)
    print(f"html.parser walker (baseline)     {mb / t_old:7.1f} MB/s")
    print(f"lxml html_to_text (chrome dropped) {mb / t_new:7.1f} MB/s   {t_old / t_new:.2f}x baseline")
    print(f"lxml read_html (+ metadata block)  {mb / t_read:7.1f} MB/s   {t_old / t_read:.2f}x baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())

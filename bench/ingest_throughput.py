#!/usr/bin/env python3
"""Reading speed of the binary formats (PDF, DOCX, OFD), against baselines measured in the same run.

usage: .venv/bin/python bench/ingest_throughput.py [--docs N] [--repeat N]
       (the PDF baseline needs pdfminer.six: pip install -e '.[bench]')

The corpus: the N largest documents of ../shared/corpora/lawrefbook-laws (default 12), each written once as
PDF (Debian chromium --print-to-pdf of tests/formats_support.py's HTML rendering, CJK fonts, A4, 15 pt), DOCX
(python-docx) and OFD (the tests' GB/T 33190 writer). Writing is not timed.

What is timed, in this one process (one core), best of --repeat, after one warm-up pass -- wall time, and the
process's CPU time (on a host whose other work leaves this process a fraction of a core, CPU time is what one
core would take):
  polgraph        extract/read.py read_documents() on each file: bytes read, format sniffed, text extracted
                  and laid out (PDF, OFD: wrapped lines joined, running lines dropped) -- the work `extract`
                  does before the extractor proper
  PDF baseline    pdfminer.six extract_text() on the same files (one pass: it is slow)
  DOCX baseline   python-docx, "\\n".join(p.text for p in Document(f).paragraphs) (no tables, no text boxes)
  OFD baseline    the standard library's zipfile + ElementTree: every TextCode's text in XML order
pages/s: pages of the PDF (for DOCX the PDF's pages of the same document, for OFD the OFD's own pages);
MB/s: 10^6 bytes of the UTF-8 text each reader returns. Target (issue 12): PDF >= 100 pages/s on one core.
The machine has 2 cores shared with other work: the load average is printed before and after.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
SHARED = Path(os.environ.get("POLGRAPH_SHARED", REPO.parent / "shared")).resolve()
TARGET_PDF_PAGES = 100.0


def pdfminer_text(path: str) -> str:
    import logging

    from pdfminer.high_level import extract_text

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # chromium's CID fonts: a warning a page

    return extract_text(path)


def python_docx_text(path: str) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(path).paragraphs)


def etree_ofd_text(path: str) -> str:
    out = []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if n.endswith("Content.xml")):
            root = ET.fromstring(zf.read(name))
            out.extend(el.text or "" for el in root.iter() if el.tag.endswith("TextCode"))
    return "".join(out)


def polgraph_text(path: str) -> str:
    from polgraph.extract.read import read_documents

    return "\n".join(d.text for d in read_documents(path))


def timed(fn, files: list[str], repeat: int) -> tuple[float, float, int]:
    """(best wall seconds, best CPU seconds of this process, bytes of text)."""
    best, best_cpu, size = float("inf"), float("inf"), 0
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        size = sum(len(fn(f).encode("utf-8")) for f in files)
        best, best_cpu = min(best, time.perf_counter() - t), min(best_cpu, time.process_time() - c)
    return best, best_cpu, size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import pypdfium2

    from formats_support import write_docx, write_ofd, write_pdf

    corpus = SHARED / "corpora" / "lawrefbook-laws"
    sources = sorted(corpus.glob("*.txt"), key=lambda p: (-p.stat().st_size, p.name))[:args.docs]
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores, shared); {len(sources)} documents, "
          f"{sum(p.stat().st_size for p in sources) / 1e6:.2f} MB of text")
    with tempfile.TemporaryDirectory(prefix="polgraph-ingest-") as tmp:
        tmp = Path(tmp)
        files = {"pdf": [], "docx": [], "ofd": []}
        for src in sources:
            text = src.read_text(encoding="utf-8")
            files["pdf"].append(str(write_pdf(text, tmp / f"{src.stem}.pdf")))
            files["docx"].append(str(write_docx(text, tmp / f"{src.stem}.docx")))
            files["ofd"].append(str(write_ofd(text, tmp / f"{src.stem}.ofd")))
        pdf_pages = sum(len(pypdfium2.PdfDocument(f)) for f in files["pdf"])
        ofd_pages = sum(sum(1 for n in zipfile.ZipFile(f).namelist() if n.endswith("Content.xml"))
                        for f in files["ofd"])
        pages = {"pdf": pdf_pages, "docx": pdf_pages, "ofd": ofd_pages}
        baselines = {"pdf": ("pdfminer.six", pdfminer_text, 1), "docx": ("python-docx paragraphs", python_docx_text,
                                                                         args.repeat),
                     "ofd": ("zipfile+ElementTree", etree_ofd_text, args.repeat)}
        print(f"{'format':6} {'reader':24} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'MB/s':>6} {'ratio':>6}"
              f" {'CPU s':>7} {'pages/CPU s':>11}")
        verdict = {}
        for fmt in ("pdf", "docx", "ofd"):
            polgraph_text(files[fmt][0])  # warm-up: imports, PDFium's fonts
            ours, ours_cpu, size = timed(polgraph_text, files[fmt], args.repeat)
            name, fn, repeat = baselines[fmt]
            fn(files[fmt][0])
            base, base_cpu, base_size = timed(fn, files[fmt], repeat)
            for label, secs, cpu, n in (("polgraph", ours, ours_cpu, size), (name, base, base_cpu, base_size)):
                print(f"{fmt:6} {label:24} {pages[fmt]:6d} {secs:8.2f} {pages[fmt] / secs:8.1f} "
                      f"{n / 1e6 / secs:6.2f} {base / secs if label == 'polgraph' else 1.0:5.1f}x"
                      f" {cpu:7.2f} {pages[fmt] / cpu:11.1f}")
            verdict[fmt] = (pages[fmt] / ours, pages[fmt] / ours_cpu)
    wall, cpu = verdict["pdf"]
    print(f"PDF: {wall:.0f} pages/s wall, {cpu:.0f} pages per CPU second (one core's worth); target >= "
          f"{TARGET_PDF_PAGES:.0f}: {'met' if cpu >= TARGET_PDF_PAGES else 'MISSED'} on CPU time, "
          f"{'met' if wall >= TARGET_PDF_PAGES else 'missed'} on wall time; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

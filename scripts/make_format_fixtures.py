#!/usr/bin/env python3
"""Regenerate the committed fixtures of tests/fixtures/formats/ (made once: CI has no LibreOffice).

usage: .venv/bin/python scripts/make_format_fixtures.py   (needs Debian's libreoffice-writer-nogui locally)

- dev-doc/<corpus>/<name>.doc: every document of ../shared/gold/dev.jsonl as legacy Word (.doc), converted by
  LibreOffice headless from the DOCX that tests/formats_support.py writes (tests/test_format_parity.py);
- lo-pdf/<corpus>_<name>.pdf: three of them as PDF exported by LibreOffice (a second PDF producer: it draws
  quotation marks and ○ in another font after their line, and wraps numbers short of the margin);
- encrypted.pdf: a short notice of our own, exported by LibreOffice with an open password (the encrypted-PDF
  case of tests/test_formats.py).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
SHARED = Path(os.environ.get("POLGRAPH_SHARED", REPO.parent / "shared")).resolve()
OUT = REPO / "tests" / "fixtures" / "formats"
NOTICE = "某市人民政府办公室关于做好节日期间安全生产工作的通知\n各区人民政府，市政府各部门：\n请各单位认真做好值班工作。\n"
LO_PDF_DOCS = ("govcn-statecouncil-2019/00047.txt", "seed/00004.txt", "xvshiting-smart-policy/00032.txt")
ENCRYPT = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
           '"DocumentOpenPassword":{"type":"string","value":"secret"}}')


def soffice(src: Path, target: str, outdir: Path) -> None:
    soffice = shutil.which("soffice") or sys.exit("soffice not found: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                        "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=300)


def main() -> None:
    from formats_support import write_docx

    gold = [json.loads(line) for line in (SHARED / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for g in gold:
            corpus, name = g["doc"].split("/")
            text = (SHARED / "corpora" / g["doc"]).read_text(encoding="utf-8")
            (tmp / corpus).mkdir(exist_ok=True)
            docx = write_docx(text, tmp / corpus / (Path(name).stem + ".docx"))
            outdir = OUT / "dev-doc" / corpus
            outdir.mkdir(parents=True, exist_ok=True)
            soffice(docx, "doc", outdir)
            print(outdir / (Path(name).stem + ".doc"))
        lo_pdf = OUT / "lo-pdf"
        lo_pdf.mkdir(exist_ok=True)
        for doc in LO_PDF_DOCS:
            docx = write_docx((SHARED / "corpora" / doc).read_text(encoding="utf-8"),
                              tmp / (doc.replace("/", "_").replace(".txt", ".docx")))
            soffice(docx, "pdf", lo_pdf)
            print(lo_pdf / docx.with_suffix(".pdf").name)
        notice = write_docx(NOTICE, tmp / "encrypted.docx")
        soffice(notice, ENCRYPT, OUT)
        print(OUT / "encrypted.pdf")


if __name__ == "__main__":
    main()

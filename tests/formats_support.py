"""Writers of the formats polgraph reads, for the tests: a document's plain text rendered as PDF (Debian
chromium's --print-to-pdf of a simple HTML page, CJK fonts), DOCX (python-docx) and OFD (a minimal writer
following GB/T 33190: OFD.xml -> Document.xml -> Pages -> Content.xml TextObject/TextCode).

Each renders the text the way such files are laid out: paragraphs wrapped at the right margin with a two-
character first-line indent, pages with a running page number (`— 3 —`), a blank line kept as space.
"""
from __future__ import annotations

import html
import io
import os
import subprocess
import unicodedata
import zipfile
from pathlib import Path

from browser_support import CHROMIUM_ARGS, chromium_or_skip

# ------------------------------------------------------------------------------------------------- PDF

PAGE_CSS = """
@page { size: A4; margin: 25mm 22mm 25mm 25mm;
        @bottom-center { content: "— " counter(page) " —"; font-size: 11pt; } }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 15pt; line-height: 1.55;
       margin: 0; }
p { margin: 0; text-indent: 2em; white-space: pre-wrap; overflow-wrap: anywhere; }
"""


def html_rendering(text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line) if line.strip() else '&#160;'}</p>\n"
                         for line in text.split("\n"))
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{PAGE_CSS}</style></head>'
            f"<body>\n{paragraphs}</body></html>")


def write_pdf(text: str, path: Path) -> Path:
    """`chromium --headless --print-to-pdf` of the HTML rendering."""
    exe = chromium_or_skip()
    page = path.with_suffix(".html")
    page.write_text(html_rendering(text), encoding="utf-8")
    subprocess.run([exe, *CHROMIUM_ARGS, "--no-pdf-header-footer", f"--print-to-pdf={path}",
                    page.resolve().as_uri()], check=True, capture_output=True, timeout=180)
    assert path.stat().st_size > 0
    return path


# ------------------------------------------------------------------------------------------------- DOCX

def write_docx(text: str, path: Path) -> Path:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    for line in text.split("\n"):
        p = document.add_paragraph(line)
        p.paragraph_format.first_line_indent = Pt(24)
    document.save(str(path))
    return path


# ------------------------------------------------------------------------------------------------- OFD

OFD_NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0         # A4, mm
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 28.0, 26.0, 37.0, 35.0
FONT = 5.5                             # mm: about 三号 (16 pt), the 公文 body size
PITCH = 9.0                            # mm between baselines


def _advance(ch: str) -> float:
    return FONT if unicodedata.east_asian_width(ch) in "WF" else FONT / 2


def _wrap(line: str) -> list[tuple[float, str]]:
    """(x offset, text) of each laid-out line of a paragraph: first line indented by two characters."""
    width = PAGE_W - MARGIN_L - MARGIN_R
    out, x0, current, used = [], 2 * FONT, "", 0.0
    for ch in line:
        if current and x0 + used + _advance(ch) > width:
            out.append((x0, current))
            x0, current, used = 0.0, "", 0.0
        current += ch
        used += _advance(ch)
    out.append((x0, current))
    return out


def _text_object(obj_id: int, x: float, y: float, text: str, font_id: int) -> str:
    deltas = " ".join(f"{_advance(c):g}" for c in text[:-1])
    width = sum(_advance(c) for c in text)
    return (f'<ofd:TextObject ID="{obj_id}" Boundary="{x:.2f} {y - FONT:.2f} {width:.2f} {FONT * 1.4:.2f}" '
            f'Font="{font_id}" Size="{FONT}"><ofd:TextCode X="0" Y="{FONT:.2f}"'
            + (f' DeltaX="{deltas}"' if deltas else "") + f">{html.escape(text, quote=False)}</ofd:TextCode>"
            "</ofd:TextObject>")


def write_ofd(text: str, path: Path) -> Path:
    """A minimal OFD: one document, A4 pages, one layer of TextObjects a line and a page-number footer. The
    objects of a page are written in a shuffled (but fixed) order: a reader must order them by position."""
    lines_per_page = int((PAGE_H - MARGIN_T - MARGIN_B) // PITCH)
    laid: list[tuple[float, str] | None] = []
    for para in text.split("\n"):
        laid.extend(_wrap(para) if para.strip() else [None])
    pages = [laid[i:i + lines_per_page] for i in range(0, len(laid), lines_per_page)] or [[]]
    font_id, next_id, contents = 2, 10, []
    for n, page in enumerate(pages, 1):
        objects = []
        for i, item in enumerate(page):
            if item is None:
                continue
            x, s = item
            objects.append(_text_object(next_id, MARGIN_L + x, MARGIN_T + FONT + i * PITCH, s, font_id))
            next_id += 1
        number = f"— {n} —"
        objects.append(_text_object(next_id, (PAGE_W - len(number) * FONT / 2) / 2, PAGE_H - 20.0, number, font_id))
        next_id += 1
        objects = objects[1::2] + objects[::2]  # drawing order is not reading order
        contents.append(f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
                        f'<ofd:Layer ID="{next_id}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')
        next_id += 1
    page_refs = "".join(f'<ofd:Page ID="{100 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>'
                        for n in range(len(pages)))
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
                f"<ofd:MaxUnitID>{next_id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_W:g} {PAGE_H:g}"
                f"</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
                f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>")
    public_res = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
                  f'<ofd:Font ID="{font_id}" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
    ofd = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
           f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>{os.urandom(0).hex() or '0' * 32}</ofd:DocID>"
           f"<ofd:Creator>polgraph tests</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
           f"</ofd:DocBody></ofd:OFD>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", ofd)
        zf.writestr("Doc_0/Document.xml", document)
        zf.writestr("Doc_0/PublicRes.xml", public_res)
        for n, content in enumerate(contents):
            zf.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", content)
    path.write_bytes(buf.getvalue())
    return path

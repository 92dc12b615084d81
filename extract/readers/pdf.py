"""PDF text layer through pypdfium2 (PDFium: Apache-2.0/BSD). The characters' positions give the lines;
extract/readers/layout.py turns them back into paragraphs. A PDF without a text layer (a scan) and an
encrypted PDF are reasons, not empty documents."""
from __future__ import annotations

import ctypes

from polgraph.extract.readers import Probe, Reader, UnreadableError
from polgraph.extract.readers.layout import Line, merge_pieces, pages_to_text

# A scan's pages hold no characters; OCR is out of scope. Below this many characters a page a PDF is a scan.
MIN_CHARS_PER_PAGE = 5


def sniff(probe: Probe) -> bool:
    return b"%PDF-" in probe.data[:1024]


class _Page:
    """One page's characters through PDFium's C API (pypdfium2.raw): the wrappers cost more than the calls."""

    def __init__(self, pdfium_c, textpage, height: float):
        self.c, self.raw, self.height = pdfium_c, textpage.raw, height
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.rect = pdfium_c.FS_RECTF()

    def origin(self, i: int) -> tuple[float, float]:
        self.c.FPDFText_GetCharOrigin(self.raw, i, self.x, self.y)
        return self.x.value, self.height - self.y.value

    def loose_box(self, i: int) -> tuple[float, float, float, float]:
        """(left, right, bottom, top): the font's box, not the glyph's (margins are measured on it)."""
        self.c.FPDFText_GetLooseCharBox(self.raw, i, self.rect)
        r = self.rect
        return r.left, r.right, r.bottom, r.top

    def size(self, i: int) -> float:
        return self.c.FPDFText_GetFontSize(self.raw, i)


def _page_lines(page: _Page, text: str) -> list[Line]:
    """The page's lines: PDFium's lines of text, each checked to run left to right. A producer may draw a run
    in another font after the line (LibreOffice: quotation marks, ○); such a line is taken apart into its
    characters, which merge_pieces puts back in order by position."""
    pieces, pos = [], 0
    for raw in text.split("\n"):
        start = pos
        pos += len(raw) + 1
        stripped = raw.strip(" \r\t\u3000")
        if not stripped:
            continue
        first = start + raw.index(stripped[0])
        last = start + raw.rindex(stripped[-1])
        xs = [page.origin(i)[0] for i in range(first, last + 1)]
        if all(b >= a - 0.5 for a, b in zip(xs, xs[1:])):
            left, _, bottom, top = page.loose_box(first)
            right = page.loose_box(last)[1]
            size = page.size(first) or (top - bottom) or 10.0
            pieces.append(Line(stripped.replace("\r", ""), left, right, page.origin(first)[1], size))
            continue
        for i in range(first, last + 1):
            ch = text[i]
            if ch.isspace():
                continue
            left, right, bottom, top = page.loose_box(i)
            pieces.append(Line(ch, left, right, page.origin(i)[1], page.size(i) or (top - bottom) or 10.0))
    return merge_pieces(pieces)


def read(data: bytes) -> str:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        reason = str(e)
        if "password" in reason.lower():
            raise UnreadableError("encrypted PDF (needs a password)") from None
        raise UnreadableError(f"corrupt PDF ({reason.split(chr(10))[0]})") from None
    try:
        pages, heights, n_chars = [], [], 0
        for i in range(len(pdf)):
            page = pdf[i]
            height = page.get_height()
            textpage = page.get_textpage()
            n_chars += textpage.count_chars()
            pages.append(_page_lines(_Page(pdfium_c, textpage, height), textpage.get_text_range()))
            heights.append(height)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    if n_chars < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise UnreadableError(f"scanned PDF without a text layer ({len(pages)} page(s), {n_chars} characters; "
                              f"OCR it first)")
    return pages_to_text(pages, heights)


READER = Reader("pdf", (".pdf",), sniff, read)

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


def _page_lines(textpage, height: float, font_size, origin_y) -> list[Line]:
    text = textpage.get_text_range()
    pieces, pos = [], 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        stripped = raw.strip(" \r\t\u3000")
        if not stripped:
            continue
        first = start + raw.index(stripped[0])
        last = start + raw.rindex(stripped[-1])
        # loose boxes (the font's, not the glyph's) for the margins; the baseline for the line pitch
        left, bottom, _, top = textpage.get_charbox(first, loose=True)
        right = textpage.get_charbox(last, loose=True)[2]
        size = font_size(textpage, first) or (top - bottom) or 10.0
        pieces.append(Line(stripped.replace("\r", ""), left, right, height - origin_y(textpage, first), size))
    return merge_pieces(pieces)


def read(data: bytes) -> str:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    def font_size(textpage, index):
        return pdfium_c.FPDFText_GetFontSize(textpage.raw, index)

    x, y = ctypes.c_double(), ctypes.c_double()

    def origin_y(textpage, index):
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
        return y.value

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
            pages.append(_page_lines(textpage, height, font_size, origin_y))
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

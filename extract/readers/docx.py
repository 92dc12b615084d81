"""DOCX (Office Open XML) through python-docx: the body's paragraphs and tables in document order, with the
text of text boxes after the paragraph that anchors them. Headers, footers, comments and deleted revisions
are not the document's text and are left out."""
from __future__ import annotations

import io
import re

from polgraph.extract.readers import Probe, Reader, UnreadableError
from polgraph.extract.readers.zipsafe import open_zip, read_member

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_W + t for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _BR, _CR, _TXBX = (_W + t for t in ("t", "tab", "br", "cr", "txbxContent"))


def sniff(probe: Probe) -> bool:
    return probe.is_zip and "word/document.xml" in probe.zip_names


def _paragraph(p, lines: list[str]) -> None:
    """The paragraph's text as one line, then the paragraphs of the text boxes anchored in it."""
    parts, boxes = [], []
    stack = [iter(p)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if tag == _T:
            parts.append(el.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _TXBX:
            boxes.append(el)
        elif tag == _MC_FALLBACK:
            continue  # the same text box again, for old readers (VML)
        elif len(el):
            stack.append(iter(el))
    lines.extend("".join(parts).split("\n"))  # an empty paragraph is a blank line
    for box in boxes:
        _blocks(box, lines)


def _blocks(parent, lines: list[str]) -> None:
    for el in parent:
        if el.tag == _P:
            _paragraph(el, lines)
        elif el.tag == _TBL:
            for row in el.iter(_TR):
                if row.getparent() is not el:
                    continue  # rows of a nested table are read with their cell
                for cell in row:
                    if cell.tag == _TC:
                        _blocks(cell, lines)
        elif el.tag == _SDT:
            for content in el.iter(_SDT_CONTENT):
                _blocks(content, lines)
                break


def read(data: bytes) -> str:
    import docx

    zf = open_zip(data)
    read_member(zf, "word/document.xml")  # inflates within the limit (python-docx reads it again below)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors ... on a damaged package
        raise UnreadableError(f"corrupt DOCX ({type(e).__name__}: {e})".split("\n")[0][:200]) from None
    lines: list[str] = []
    _blocks(document.element.body, lines)
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")  # a run of empty paragraphs is one blank line


READER = Reader("docx", (".docx",), sniff, read)

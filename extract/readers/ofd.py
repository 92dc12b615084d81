"""OFD (GB/T 33190-2016, the Chinese fixed-layout format): a zip of XML. OFD.xml names each document's
Document.xml (DocBody/DocRoot), which lists its pages (Pages/Page@BaseLoc); a page's Content.xml holds
TextObject elements (Boundary, Size) whose TextCode elements place runs of text at X, Y (the baseline) with
per-glyph advances in DeltaX. Runs are put in reading order by position (extract/readers/layout.py) -- the
order of the XML is the producer's drawing order, not the reading order. Page templates (running headers,
letterheads drawn on every page) are not read."""
from __future__ import annotations

import posixpath

from polgraph.extract.readers import Probe, Reader, UnreadableError
from polgraph.extract.readers.layout import Line, merge_pieces, pages_to_text
from polgraph.extract.readers.zipsafe import member_names, open_zip, read_member

DEFAULT_PAGE = (210.0, 297.0)  # A4 in mm, OFD's unit


def sniff(probe: Probe) -> bool:
    return probe.is_zip and any(n.lower() == "ofd.xml" for n in probe.zip_names)


def _parse(zf, names: dict[str, str], path: str):
    from lxml import etree

    name = names.get(path.lstrip("/").lower())
    if name is None:
        raise UnreadableError(f"corrupt OFD: no {path}")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(read_member(zf, name), parser)
    except etree.XMLSyntaxError as e:
        raise UnreadableError(f"corrupt OFD: {path} is not XML ({e})") from None


def _children(el, name: str):
    """Descendants named `name` in any namespace (producers differ: the 2016 namespace, none at all)."""
    return list(el.iter("{*}" + name, name))


def _resolve(base_dir: str, loc: str) -> str:
    loc = loc.strip().replace("\\", "/")
    return posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc))


def _numbers(s: str | None) -> list[float]:
    try:
        return [float(v) for v in (s or "").split()]
    except ValueError:
        return []


def _advances(delta_x: str | None) -> list[float]:
    """DeltaX: space-separated advances, where `g N v` stands for N times v."""
    tokens, out, i = (delta_x or "").split(), [], 0
    if "g" not in tokens:
        try:
            return [float(t) for t in tokens]
        except ValueError:
            return []
    try:
        while i < len(tokens):
            if tokens[i] == "g" and i + 2 < len(tokens):
                out.extend([float(tokens[i + 2])] * int(tokens[i + 1]))
                i += 3
            else:
                out.append(float(tokens[i]))
                i += 1
    except ValueError:
        return []
    return out


def _page_pieces(content) -> list[Line]:
    pieces = []
    for obj in _children(content, "TextObject"):
        box = _numbers(obj.get("Boundary"))
        bx, by = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        size = (_numbers(obj.get("Size")) or [3.5])[0]
        x = y = 0.0
        for code in _children(obj, "TextCode"):
            text = code.text or ""
            # X and Y carry over from the previous TextCode of the object when absent
            x = (_numbers(code.get("X")) or [x])[0]
            y = (_numbers(code.get("Y")) or [y])[0]
            if not text.strip():
                continue
            advances = _advances(code.get("DeltaX"))
            width = sum(advances[:len(text) - 1]) + size if advances else len(text) * size
            pieces.append(Line(text, bx + x, bx + x + width, by + y, size))
    return pieces


def read(data: bytes) -> str:
    zf = open_zip(data)
    names = member_names(zf)
    root = _parse(zf, names, "OFD.xml")
    doc_roots = [el.text.strip() for el in _children(root, "DocRoot") if el.text and el.text.strip()]
    if not doc_roots:
        raise UnreadableError("corrupt OFD: OFD.xml names no DocBody/DocRoot")
    pages, heights = [], []
    for doc_root in doc_roots:
        doc_path = _resolve("", doc_root)
        document = _parse(zf, names, doc_path)
        base = posixpath.dirname(doc_path)
        physical = next((_numbers(el.text) for el in _children(document, "PhysicalBox")), [])
        height = physical[3] if len(physical) == 4 else DEFAULT_PAGE[1]
        for page in _children(document, "Page"):
            loc = page.get("BaseLoc")
            if not loc:
                continue
            content = _parse(zf, names, _resolve(base, loc))
            area = next((_numbers(el.text) for el in _children(content, "PhysicalBox")), [])
            pages.append(merge_pieces(_page_pieces(content)))
            heights.append(area[3] if len(area) == 4 else height)
    if not pages:
        raise UnreadableError("corrupt OFD: its documents list no pages")
    return pages_to_text(pages, heights)


READER = Reader("ofd", (".ofd",), sniff, read)

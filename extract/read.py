"""Read input files into Documents: plain text in any of the encodings Chinese offices use, HTML, JSON Lines,
and through the readers of extract/readers/ PDF, DOCX, DOC/WPS and OFD.

Decisions:
- The format is decided from the bytes, never from the extension: READERS below is the registry of binary
  formats, each recognised by its magic number (or, for a zip, the names inside); a new format is one module
  in extract/readers/ and one entry there. Everything else is text.
- The encoding is decided from the bytes too: a UTF-8 / UTF-16 byte-order mark wins, then strict UTF-8, then
  strict GB18030 (a superset of GBK and GB2312) if the result looks like Chinese text, then charset-normalizer
  among Big5 and UTF-16 without a byte-order mark (see decode_bytes for why GB18030 keeps its own check).
  Anything else -- NUL bytes, many control characters, text that only decodes as noise -- is refused.
- Newlines are normalised to "\\n" (as Python's text mode does); a byte-order mark is dropped. Offsets in the
  records are into this text: other stages that show a document (annotate) read it with read_file() too.
- Inside a folder only .txt, .md, .html, .htm, .jsonl and the readers' extensions (.pdf, .docx, .doc, .wps,
  .ofd) are documents; README files (a corpus'
  description, not a policy document) and hidden files/folders are ignored. A file named explicitly is read
  whatever its extension (HTML is recognised by its extension or by a leading <!DOCTYPE html>/<html>).
- A file reached twice by the same path (named twice, or named and inside a named folder) is read once, at its
  first place. (Two symbolic links to one file are two documents.)
- Only regular files (and symbolic links to them) are read. A FIFO, device, socket or broken link is skipped with
  its reason, never opened for a blocking read. A file over the size cap (POLGRAPH_MAX_FILE_SIZE, default
  512M) is skipped; for JSON Lines the cap is per line, as a .jsonl file is streamed line by line. Symbolic links
  to folders are followed, each real folder once; a link back to a folder being walked is reported as a loop.
- File names are str as the OS gives them: a byte that is not UTF-8 is a surrogate escape (U+DC80..U+DCFF),
  carried as is and escaped only where written (polgraph/output.py).
"""
from __future__ import annotations

import functools
import json
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from polgraph.errors import InputError
from polgraph.extract.readers import Probe, Reader, UnreadableError
from polgraph.extract.readers import docx as docx_reader
from polgraph.extract.readers import ofd as ofd_reader
from polgraph.extract.readers import ole as ole_reader
from polgraph.extract.readers import pdf as pdf_reader
from polgraph.extract.readers.zipsafe import open_zip

# The registry of binary formats, tried in this order on a file's bytes.
READERS: tuple[Reader, ...] = (pdf_reader.READER, docx_reader.READER, ofd_reader.READER, ole_reader.READER)

TEXT_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".jsonl")
DOCUMENT_EXTENSIONS = TEXT_EXTENSIONS + tuple(e for r in READERS for e in r.extensions)
HTML_EXTENSIONS = (".html", ".htm")
JSONL_EXTENSIONS = (".jsonl",)
OVERRIDE_FIELDS = ("id", "title", "doc_number", "issuer", "date")

# Above this share of C0 control characters (other than tab/newline/CR/FF/VT/ESC) a "text" is binary.
MAX_CONTROL_RATIO = 0.01
# A GB18030 reading is accepted only when nearly all of its non-ASCII characters are common CJK ideographs,
# CJK punctuation or full-width forms; random bytes that happen to decode land in rare blocks instead.
MIN_CJK_RATIO = 0.9
MIN_LEVEL1_RATIO = 0.6
SNIFF_CHARS = 20000  # the encoding checks look at the start of the text only
# Guards against endless (/dev/zero behind a link) or huge inputs; a plain file is refused whole, a JSON Lines
# line alone. Bytes, or a number with K/M/G; read from the environment so worker processes see it too.
MAX_FILE_SIZE_ENV = "POLGRAPH_MAX_FILE_SIZE"
DEFAULT_MAX_FILE_SIZE = 512 * 1024 * 1024


@dataclass
class Document:
    """One document to extract.

    path       where it came from: the file path as given or found by recursion; for a JSON Lines document
               ``f"{file}#{line_no}"`` (1-based line), so the file path is always recoverable from it
    text       decoded text, newlines normalised to "\\n" (HTML: visible text only; PDF, DOCX, DOC, OFD: the
               text their reader gives, a paragraph a line)
    overrides  fields given with the document (.jsonl: id, title, doc_number, issuer, date) that replace
               what extraction would find
    source     the file the document was read from (== path except for JSON Lines documents)
    encoding   how the file's bytes were decoded: a text encoding, or the reader's format ("pdf", "docx",
               "doc", "ofd")
    header     what an HTML page's metadata block, <meta> tags and <title> say (extract/portal.py Pair list)
    """

    path: str
    text: str
    overrides: dict = field(default_factory=dict)
    source: str = ""
    encoding: str = "utf-8"
    header: list = field(default_factory=list)

    def __post_init__(self):
        if not self.source:
            self.source = self.path


# ---------------------------------------------------------------------------------------------- decoding

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?")


class UndecodableError(ValueError):
    """The bytes are not text polgraph can read; str() is the one-line reason."""


def _is_common_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF      # CJK unified ideographs
            or 0x3000 <= o <= 0x303F   # CJK symbols and punctuation 、。《》〔〕
            or 0xFF00 <= o <= 0xFFEF   # full-width forms （），：０-９
            or 0xFE30 <= o <= 0xFE6F   # vertical and small forms ︵ ﹝
            or 0x2000 <= o <= 0x206F   # general punctuation “”‘’…—
            or 0x3400 <= o <= 0x4DBF   # extension A (old place names)
            or 0x2460 <= o <= 0x24FF   # enclosed numbers ①
            or 0x2150 <= o <= 0x218F   # roman numerals Ⅰ
            or 0x25A0 <= o <= 0x25FF   # geometric shapes ■ ○
            or 0x00B7 == o or 0x00D7 == o or 0x00A0 <= o <= 0x00FF  # · × and Latin-1 signs
            or 0x0391 <= o <= 0x03C9 or 0x0401 <= o <= 0x0451)  # Greek, Cyrillic (in GB2312)


def _looks_like_cjk_text(text: str, gb_frequency: bool = False) -> bool:
    """Nearly all non-ASCII characters are CJK ones; with gb_frequency, the ideographs are also mostly the
    3,755 common ones of GB2312 level 1 (real text: ~99%; random GBK byte pairs: ~20%)."""
    non_ascii = [c for c in text[:SNIFF_CHARS] if ord(c) > 0x7F]
    if not non_ascii:
        return True
    common = sum(1 for c in non_ascii if _is_common_cjk(c))
    if common < MIN_CJK_RATIO * len(non_ascii):
        return False
    if gb_frequency:
        hanzi = [c for c in non_ascii if 0x4E00 <= ord(c) <= 0x9FFF]
        if len(hanzi) >= 8:
            level1 = sum(1 for c in hanzi if _gb2312_level1(c))
            return level1 >= MIN_LEVEL1_RATIO * len(hanzi)
    return True


def _gb2312_level1(ch: str) -> bool:
    b = ch.encode("gb18030")
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7 and b[1] >= 0xA1


# In UTF-8 and GB18030 a control character is always one byte of its own (never part of a multi-byte
# sequence), so the bytes can be counted: a C-speed translate instead of a regex over the text.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))


def _check_controls(text: str, payload: bytes | None = None) -> None:
    if payload is not None:
        n = len(payload.translate(None, _NOT_CONTROL_BYTES))
    else:
        n = len(_CONTROL.findall(text))
    if n and n > MAX_CONTROL_RATIO * len(text):
        raise UndecodableError(f"binary file ({n} control characters in {len(text)})")


# charset-normalizer decides among these when neither a byte-order mark, UTF-8 nor GB18030 fits; what it
# names is mapped to the codec that decodes it and the name reported.
DETECTED_ENCODINGS = {"big5": ("big5hkscs", "big5"), "cp950": ("big5hkscs", "big5"),
                      "big5hkscs": ("big5hkscs", "big5"),
                      "utf_16_le": ("utf-16-le", "utf-16"), "utf_16_be": ("utf-16-be", "utf-16")}


def _detect(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) by charset-normalizer among Big5 and UTF-16 (no byte-order mark), or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(DETECTED_ENCODINGS)).best()
    if best is None or best.encoding not in DETECTED_ENCODINGS:
        return None
    codec, name = DETECTED_ENCODINGS[best.encoding]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    # charset-normalizer ranks the candidates; it does not say that the best one is Chinese text
    if "\x00" in text or not _looks_like_cjk_text(text):
        return None
    return text, name


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a document's bytes; return (text, encoding name). Raise UndecodableError with the reason.

    Order: BOM (UTF-8, UTF-16), strict UTF-8, strict GB18030 checked to look like Chinese text, then
    charset-normalizer among Big5 and UTF-16 without a BOM. Newlines are normalised to "\\n". The empty
    check is the caller's.

    Why GB18030 keeps its own check before charset-normalizer (bench/encoding_detection.py, 300 corpus
    documents in GB18030): both read every whole document right, but on their first 16 / 8 / 4 characters
    (titles, short notices) charset-normalizer is right for 236 / 14 / 2 of 300 (294 / 26 / 24 limited to
    Chinese encodings) against 300 / 300 / 297 -- it takes short GBK bytes for Big5 (`关于`, `通知` come out
    as `壽衾`, `籵眭`). Ours is the slower one (1.6 s against 0.2-0.4 s for the 300), which UTF-8 input never
    pays. charset-normalizer is used where ours has no answer: Big5 and UTF-16 without a byte-order mark.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data[3:], "utf-8")]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        candidates = [("utf-16", data[2:], codec)]
    else:
        candidates = [("utf-8", data, "utf-8"), ("gb18030", data, "gb18030")] if b"\x00" not in data else []
    for name, payload, codec in candidates:
        try:
            text = payload.decode(codec)
        except UnicodeDecodeError:
            continue
        if name in ("gb18030", "utf-16") and not _looks_like_cjk_text(text, gb_frequency=name == "gb18030"):
            continue
        _check_controls(text, None if name == "utf-16" else payload)
        return _normalise_newlines(text), name
    if len(candidates) == 1:
        raise UndecodableError(f"not valid {candidates[0][0]} despite its byte-order mark")
    detected = _detect(data)
    if detected is not None:
        text, name = detected
        _check_controls(text)
        return _normalise_newlines(text), name
    if b"\x00" in data:
        raise UndecodableError("binary file (contains NUL bytes)")
    raise UndecodableError("not text in UTF-8 or GB18030/GBK encoding (nor Big5, UTF-16)")


def _normalise_newlines(text: str) -> str:
    return _NEWLINES.sub("\n", text) if "\r" in text else text


# ---------------------------------------------------------------------------------------------- HTML

_SKIP_TAGS = frozenset({"script", "style", "head", "template", "noscript", "svg", "math", "object", "iframe"})
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "title", "tr", "ul",
})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                        "source", "track", "wbr"})
_BLOCK_BREAK = "\x00"  # never in decoded text: decode_bytes refuses NUL bytes
_BLOCK_BREAKS = re.compile("[ \t\n]*\x00(?:[ \t\n]*\x00)*[ \t\n]*")
_HTML_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")
_HTML_SNIFF = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                         re.IGNORECASE | re.DOTALL)


_CELL_TAGS = frozenset({"td", "th", "dd"})  # an empty one is an empty cell of a metadata block
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_CHROME_ATTRS = ("class", "id")


@functools.lru_cache(maxsize=1)
def _html_parser():
    from lxml import etree

    # etree's parser, not lxml.html's: that one makes every element through a Python class lookup (a tenth of
    # the reading time here)
    return etree.HTMLParser(huge_tree=True)


def _parse_html(html: str):
    """The lxml tree of a page, or None when it has no elements (an empty string, a lone comment)."""
    from lxml import etree

    html = _XML_DECLARATION.sub("", _MARKS.sub("", html), count=1)  # lxml refuses str with a declaration
    if not html.strip():
        return None
    try:
        return etree.fromstring(html, _html_parser())  # None for a page without elements
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _drop_tree(el) -> None:
    """Remove an element and its content from the tree; its tail stays where it was."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


class _Walk:
    """One pass over a page's tree: the text a browser shows (no head/script/style; block elements become line
    breaks; site chrome dropped) and the cells of the page for extract/portal.py (text between element
    boundaries; a label alone in its element is a cell of its own; an empty <td>/<dd> is an empty cell)."""

    def __init__(self, drop_chrome: bool = True, stop_at_body: bool = False):
        self.stop_at_body = stop_at_body
        self.done = False  # a cell of the document's body was reached (with stop_at_body)
        self.parts: list[str] = []
        self.cells: list[str] = []
        self.cell: list[str] = []
        self.pre_depth = 0
        from polgraph.extract.portal import _label_of, is_body_line, load_chrome

        self.label_of, self.is_body_line = _label_of, is_body_line
        if drop_chrome:
            _, self.chrome_class, self.chrome_tags = load_chrome()
        else:
            self.chrome_class, self.chrome_tags = None, frozenset()

    def _flush(self):
        if self.cell:
            cell = "".join(self.cell).strip()
            self.cell = []
            if cell:
                self.cells.append(cell)
                if self.stop_at_body and self.is_body_line(cell):
                    self.done = True

    def _data(self, data: str):
        if self.pre_depth:
            self.parts.append(data.replace("\xa0", " "))
        else:
            data = _HTML_SPACE.sub(" ", data)
            self.parts.append(data)
        stripped = data.strip()
        if stripped and len(stripped) <= 14 and self.label_of(stripped) is not None:
            self._flush()  # <span>标题</span><span>X</span>: two cells
            self.cells.append(stripped)
        else:
            self.cell.append(data)

    def _hidden(self, el) -> bool:
        tag = el.tag
        if tag in _SKIP_TAGS or tag in self.chrome_tags:
            return True
        if self.chrome_class is not None:
            for attr in _CHROME_ATTRS:
                value = el.get(attr)
                if value and self.chrome_class.search(value):
                    return True
        return False

    def walk(self, root):
        stack = [(root, iter(root), len(self.cells))]
        self._start(root)
        while stack and not self.done:
            el, children, mark = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                self._end(el, mark)
                continue
            if not isinstance(child.tag, str) or self._hidden(child):
                if child.tail:  # a comment, a processing instruction, a hidden element: only its tail shows
                    self._data(child.tail)
                continue
            self._flush()
            mark = len(self.cells)
            self._start(child)
            stack.append((child, iter(child), mark))

    def _start(self, el):
        tag = el.tag
        if tag == "pre":
            self.pre_depth += 1
        if tag == "br":
            self.parts.append("\n")
            self._flush()
        elif tag in _BLOCK_TAGS:
            self.parts.append(_BLOCK_BREAK)
            self._flush()
        if el.text:
            self._data(el.text)

    def _end(self, el, mark):
        tag = el.tag
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag in _BLOCK_TAGS and tag != "br":
            self.parts.append(_BLOCK_BREAK)
            self._flush()
            if tag in _CELL_TAGS and len(self.cells) == mark:
                self.cells.append("")
        if el.tail and el.getparent() is not None:
            self._data(el.tail)


def _visible_text(parts: list[str]) -> str:
    # A run of block boundaries (</p> <p>, </td></tr>) is one line break, as in text converted from web pages;
    # only <br><br> makes a blank line.
    text = _BLOCK_BREAKS.sub("\n", "".join(parts))
    lines = (line.strip(" \t") for line in text.split("\n"))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _drop_chrome_lines(text: str) -> str:
    from polgraph.extract.portal import chrome_line_starts, is_end_line

    starts = chrome_line_starts(text) if text else None
    if not starts:
        return text
    # a line that ends the document (相关文件, 上一篇：…) stays: extraction cuts what follows it (portal.document_end)
    starts = {a for a in starts if not is_end_line(text, a)}
    kept, pos = [], 0
    for line in text.split("\n"):
        if pos not in starts:
            kept.append(line)
        pos += len(line) + 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


# Marks put in the tree's text (lxml takes no control characters there): noncharacters, removed from pages first.
_TREE_BREAK = "\ufdd0"
_PRE_PROTECT = str.maketrans({" ": "\ufdd1", "\xa0": "\ufdd1", "\t": "\ufdd3", "\n": "\ufdd2", "\r": "\ufdd2"})
_RESTORE = (("\ufdd1", " "), ("\ufdd3", "\t"), ("\ufdd2", "\n"), ("\ufdd0", _BLOCK_BREAK))
_MARKS = re.compile("[\x00\ufdd0-\ufdd3]")
_HIDDEN = "|".join(["//comment()", "//processing-instruction()"] + [f"//{t}" for t in sorted(_SKIP_TAGS)])


def _tree_text(root) -> str:
    """The visible text of a parsed page, chrome elements dropped (the tree is changed). The tree is marked
    -- hidden elements dropped, a break before and after each block element, <pre> white space protected --
    and its text read in one C-level pass (itertext): ~3x faster than walking the elements in Python."""
    from polgraph.extract.portal import load_chrome

    _, chrome_class, chrome_tags = load_chrome()
    hidden = root.xpath(_HIDDEN + "".join(f"|//{t}" for t in sorted(chrome_tags)))
    hidden += [el for el in root.xpath("//*[@class or @id]")
               if any(chrome_class.search(el.get(a) or "") for a in _CHROME_ATTRS)]
    for el in hidden:
        if el is not root:
            _drop_tree(el)
    for pre in root.iter("pre"):
        for el in pre.iter():
            if el.text:
                el.text = el.text.translate(_PRE_PROTECT)
            if el is not pre and el.tail:
                el.tail = el.tail.translate(_PRE_PROTECT)
    for el in root.iter(*_BLOCK_TAGS):
        if el.tag == "br":
            el.tail = "\ufdd2" + el.tail if el.tail else "\ufdd2"  # a line break that white space collapsing keeps
        else:
            el.text = _TREE_BREAK + el.text if el.text else _TREE_BREAK
            el.tail = _TREE_BREAK + el.tail if el.tail else _TREE_BREAK
    text = _HTML_SPACE.sub(" ", "".join(root.itertext()))
    for mark, char in _RESTORE:  # str.replace: C speed, where translate() goes a character at a time
        if mark in text:
            text = text.replace(mark, char)
    return _visible_text([text])


def read_html(html: str) -> tuple[str, list]:
    """(visible text, header pairs) of an HTML page: the text without head, script, style and site chrome
    (data/portal_chrome.tsv), and the label/value pairs of its metadata block, <meta> tags and <title>
    (extract/portal.py)."""
    from polgraph.extract.portal import read_html_header

    root = _parse_html(html)
    if root is None:
        return "", []
    walk = _Walk(stop_at_body=True)  # the cells of the page's head, before its tree is marked for the text
    walk.walk(root)
    walk._flush()
    header = read_html_header(root, walk.cells)
    return _drop_chrome_lines(_tree_text(root)), header


def html_to_text(html: str) -> str:
    """The visible text of an HTML page: a line per block element or <br>, white space collapsed, entities
    decoded, no head/script/style, no site chrome (breadcrumbs, share/print bars, footers: data/portal_chrome.tsv).

    lxml (libxml2's HTML parser) parses the page and repairs broken markup as browsers do; bench/html_reader.py
    compares it with the html.parser walker it replaced."""
    root = _parse_html(html)
    if root is None:
        return ""
    return _drop_chrome_lines(_tree_text(root))


def _is_html(path: str, data: bytes) -> bool:
    return path.lower().endswith(HTML_EXTENSIONS) or _HTML_SNIFF.match(data[:4096]) is not None


# ---------------------------------------------------------------------------------------------- JSON Lines

def _jsonl_document(path: str, line_no: int, line: str, encoding: str) -> Document | InputError:
    """The document of one JSON Lines line (already decoded, not blank), or the InputError saying why not."""
    where = f"{path}:{line_no}"
    try:
        obj = json.loads(line)
    except ValueError as e:
        return InputError(where, f"not valid JSON ({e.msg} at column {e.colno})")
    if not isinstance(obj, dict):
        return InputError(where, f"expected a JSON object, got {type(obj).__name__}")
    doc_text, header = obj.get("text"), []
    if doc_text is None and isinstance(obj.get("html"), str):  # a crawler's record: the page as fetched
        doc_text, header = read_html(_SURROGATE.sub("\ufffd", obj["html"]))
        if not doc_text.strip():
            return InputError(where, "no visible text in \"html\"")
    if not isinstance(doc_text, str):
        return InputError(where, "no \"text\" or \"html\" string")
    if not doc_text.strip():
        return InputError(where, "empty \"text\"")
    overrides = {}
    for key in OVERRIDE_FIELDS:
        value = obj.get(key)
        if value is None:
            continue
        if key == "issuer" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            pass
        elif key == "issuer" and isinstance(value, str):
            value = [value]
        elif key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif not isinstance(value, str):
            return InputError(where, f"\"{key}\" must be a string"
                              + (" or a list of strings" if key == "issuer" else ""))
        overrides[key] = value
    if _has_surrogates(doc_text, overrides):
        return InputError(where, "contains an unpaired surrogate (\\ud800-\\udfff escape), which is not text")
    if "\r" in doc_text:
        doc_text = _NEWLINES.sub("\n", doc_text)
    return Document(path=f"{path}#{line_no}", text=doc_text, overrides=overrides, source=path, encoding=encoding,
                    header=header)


def _jsonl_documents(path: str, text: str, encoding: str) -> list[Document | InputError]:
    """The documents of a JSON Lines file decoded whole (a UTF-16 one, which cannot be split on bytes)."""
    return [_jsonl_document(path, line_no, line, encoding)
            for line_no, line in enumerate(text.split("\n"), start=1) if line.strip()]


def _decode_line(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of one JSON Lines line; UndecodableError when it is not text."""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        try:
            return decode_bytes(raw)
        except UndecodableError:
            raise UndecodableError(f"not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})") from None


def iter_jsonl_documents(path: str, start: int = 0, end: int | None = None, first_line: int = 1
                         ) -> Iterator[Document | InputError]:
    """The documents of a JSON Lines file, or of its bytes [start, end) whose first line is line `first_line`
    (the pipeline's slices of a large file), streamed: one line in memory at a time, each at most the size
    cap. A bad line (not JSON, not UTF-8, too long) is an InputError "file:line" in its place.

    Raise InputError when the file as a whole cannot be used (unreadable, not a regular file, empty,
    extraction records); those checks are made by the slice that starts the file."""
    path = str(path)
    cap = max_file_size()
    with _open_regular(path) as f:
        if start == 0:
            head = f.read(4)
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: cannot be split on bytes; read whole
                f.seek(0)
                yield from read_documents(path, _whole=True)
                return
            if not head:
                raise InputError(path, "empty file")
            f.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
        else:
            f.seek(start)
        pos = f.tell()
        line_no = first_line - 1
        first = start == 0
        n_lines = 0
        while end is None or pos < end:
            raw = f.readline(cap + 1)
            if not raw:
                break
            line_no += 1
            pos += len(raw)
            if len(raw) > cap and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a chunk at a time
                    raw = f.readline(1 << 20)
                    pos += len(raw)
                yield InputError(f"{path}:{line_no}", f"line longer than the size cap ({_size_text(cap)}; "
                                 f"set {MAX_FILE_SIZE_ENV})")
                continue
            if not raw.strip():
                continue
            n_lines += 1
            try:
                line, encoding = _decode_line(raw)
            except UndecodableError as e:
                yield InputError(f"{path}:{line_no}", str(e))
                continue
            if first:
                first = False
                if _is_records_line(line):
                    raise InputError(path, "extraction records (output of polgraph extract), not documents "
                                           "with \"text\"")
            yield _jsonl_document(path, line_no, line, encoding)
        if start == 0 and end is None and not n_lines:
            raise InputError(path, "no documents (only blank lines)")


def _is_records_line(line: str) -> bool:
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return (isinstance(obj, dict) and "text" not in obj and "html" not in obj
            and isinstance(obj.get("citations"), list))


def _is_records_file(text: str) -> bool:
    return _is_records_line(next((line for line in text.split("\n", 50)[:50] if line.strip()), ""))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogates(text: str, overrides: dict) -> bool:
    values = [text] + [v for v in overrides.values() if isinstance(v, str)]
    values += [x for v in overrides.values() if isinstance(v, list) for x in v]
    return any(_SURROGATE.search(v) for v in values)


# ---------------------------------------------------------------------------------------------- files

def _size_text(n: int) -> str:
    for unit, size in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size}{unit}"
    return f"{n} bytes"


def parse_size(text: str) -> int:
    """Bytes of "1048576", "512K", "512M", "2G" (powers of 1024); ValueError otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMG]?)i?B?\s*", str(text), re.IGNORECASE)
    if not m or int(m.group(1)) <= 0:
        raise ValueError(f"not a size: {text!r} (bytes, or a number with K, M or G)")
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2).upper()]


def max_file_size() -> int:
    """The per-file (per JSON Lines line) size cap in bytes: POLGRAPH_MAX_FILE_SIZE, default 512M."""
    value = os.environ.get(MAX_FILE_SIZE_ENV)
    if not value:
        return DEFAULT_MAX_FILE_SIZE
    try:
        return parse_size(value)
    except ValueError:
        return DEFAULT_MAX_FILE_SIZE


def file_kind(mode: int) -> str:
    """What a non-regular file is, for a skip reason."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def _not_regular(path: str) -> str | None:
    """The skip reason of a path that is not a regular file (or a link to one), else None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "broken symbolic link" if os.path.islink(path) else "no such file or directory"
    except OSError as e:
        return f"cannot read ({e.strerror or e})"
    if stat.S_ISREG(mode):
        return None
    return f"{file_kind(mode)}, not a regular file"


def _open_regular(path: str):
    """A binary file object of `path`, checked to be a regular file after opening (so a FIFO never blocks
    the open, and a file swapped for a device after listing is still refused)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except FileNotFoundError:
        raise InputError(path, "broken symbolic link" if os.path.islink(path) else "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(path, f"{file_kind(mode)}, not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_bytes(path: str) -> bytes:
    cap = max_file_size()
    with _open_regular(path) as f:
        try:
            size = os.fstat(f.fileno()).st_size
            if size > cap:
                raise InputError(path, f"larger than the size cap ({size} bytes > {_size_text(cap)}; "
                                       f"set {MAX_FILE_SIZE_ENV})")
            data = f.read(cap + 1)
        except OSError as e:
            raise InputError(path, f"cannot read ({e.strerror or e})") from None
    if len(data) > cap:  # it grew while being read
        raise InputError(path, f"larger than the size cap ({_size_text(cap)}; set {MAX_FILE_SIZE_ENV})")
    return data


def is_jsonl(path: str) -> bool:
    return str(path).lower().endswith(JSONL_EXTENSIONS)


def read_documents(path: str, _whole: bool = False) -> list[Document | InputError]:
    """Documents of one file, with an InputError in place of each bad JSON Lines line.

    Raise InputError when the file as a whole cannot be used (unreadable, binary, empty, undecodable).
    """
    path = str(path)
    if is_jsonl(path) and not _whole:
        return list(iter_jsonl_documents(path))
    data = _read_bytes(path)
    if not data.strip():
        raise InputError(path, "empty file" if not data else "empty file (only white space)")
    reader = reader_for(data)
    if reader is not None:
        return [Document(path=path, text=_read_with(reader, path, data), overrides={}, source=path,
                         encoding=reader.name)]
    if data.startswith(b"PK\x03\x04"):
        try:
            open_zip(data)
        except UnreadableError as e:
            raise InputError(path, str(e)) from None
        raise InputError(path, "a zip archive that is neither DOCX nor OFD")
    try:
        text, encoding = decode_bytes(data)
    except UndecodableError as e:
        raise InputError(path, str(e)) from None
    if is_jsonl(path):
        if _is_records_file(text):
            raise InputError(path, "extraction records (output of polgraph extract), not documents with \"text\"")
        docs = _jsonl_documents(path, text, encoding)
        if not docs:
            raise InputError(path, "no documents (only blank lines)")
        return docs
    header = []
    if _is_html(path, data):
        text, header = read_html(text)
        if not text.strip():
            raise InputError(path, "no visible text in the HTML")
    elif not text.strip():
        raise InputError(path, "empty file (only white space)")
    return [Document(path=path, text=text, overrides={}, source=path, encoding=encoding, header=header)]


def reader_for(data: bytes) -> Reader | None:
    """The registered reader whose format these bytes are, or None (text)."""
    probe = Probe(data)
    return next((r for r in READERS if r.sniff(probe)), None)


def _read_with(reader: Reader, path: str, data: bytes) -> str:
    try:
        text = reader.read(data)
    except UnreadableError as e:
        raise InputError(path, str(e)) from None
    except Exception as e:  # a library's own error on a damaged file: the file's problem, not polgraph's
        detail = str(e).strip().split("\n")[0][:160]
        raise InputError(path, f"cannot read this {reader.name.upper()} file ({type(e).__name__}"
                               f"{': ' + detail if detail else ''})") from None
    text = _normalise_newlines(text).strip("\n")
    if not text.strip():
        raise InputError(path, f"no text in this {reader.name.upper()} file")
    return text


def jsonl_slices(path: str, target: int) -> Iterator[tuple[int, int | None, int, bool]]:
    """(start, end, first line number, last) of consecutive byte ranges of whole lines of about `target`
    bytes, so a large JSON Lines file is extracted in pieces; reads the file once, `target` bytes at a time.
    A UTF-16 file, which cannot be cut on bytes, is one range."""
    try:
        f = open(path, "rb")
    except OSError:
        yield 0, None, 1, True
        return
    with f:
        if f.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            yield 0, None, 1, True
            return
        start, line = 0, 1
        f.seek(0)
        while True:
            chunk = f.read(target)
            if len(chunk) < target:
                yield start, None, line, True
                return
            cut = chunk.rfind(b"\n") + 1
            n_lines = chunk.count(b"\n")
            end = start + cut
            if not cut:  # one line longer than target: run to its end
                end = start + len(chunk)
                while True:
                    more = f.read(target)
                    i = more.find(b"\n")
                    if not more:
                        yield start, None, line, True
                        return
                    if i >= 0:
                        end += i + 1
                        n_lines = 1
                        break
                    end += len(more)
            if f.read(1) == b"" and f.tell() == end:
                yield start, None, line, True
                return
            yield start, end, line, False
            start, line = end, line + n_lines
            f.seek(start)


def read_file(path) -> list[Document]:
    """Documents of one file; raise InputError(path, reason) for a binary, empty or undecodable file.

    Bad lines of a JSON Lines file are dropped here; use read_documents() to get their reasons too.
    """
    return [d for d in read_documents(str(path)) if isinstance(d, Document)]


def _is_document_name(name: str) -> bool:
    lower = name.lower()
    return not name.startswith(".") and lower.endswith(DOCUMENT_EXTENSIONS) and not lower.startswith("readme.")


def _walk(root: str) -> tuple[list[tuple[str, str]], list[InputError]]:
    """(path, path relative to root) of every document file under root, sorted; and the entries skipped
    with a reason (special files with a document's name, symbolic link loops).

    Symbolic links to folders are followed, each real folder once (a second link to a folder already read
    is ignored; a link to a folder being walked is a loop, reported)."""
    found, skipped = [], []
    try:
        st = os.stat(root)
        visited = {(st.st_dev, st.st_ino)}
    except OSError:
        return [], [InputError(root, "cannot read folder")]

    def walk(folder: str, parts: tuple, ancestors: tuple) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            skipped.append(InputError(folder, f"cannot read folder ({e.strerror or e})"))
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                try:
                    st = entry.stat()
                except OSError:
                    continue
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    skipped.append(InputError(entry.path, "symbolic link loop (links back to a folder being "
                                                          "read), not followed"))
                    continue
                if key in visited:
                    continue
                visited.add(key)
                walk(entry.path, parts + (name,), ancestors + (key,))
            elif _is_document_name(name):
                if is_file:
                    found.append((parts + (name,), entry.path))
                else:
                    reason = _not_regular(entry.path)
                    if reason:
                        skipped.append(InputError(entry.path, reason))

    walk(root, (), tuple(visited))
    # Sort by path components so "a/b.txt" and "a.b/c.txt" order the same on every file system.
    found.sort()
    return [(path, os.path.join(*key)) for key, path in found], skipped


def list_input_files(paths: Iterable[str]) -> list[str | InputError]:
    """The files to read, in order: each path as given, folders expanded recursively and sorted.

    A path that does not exist or is not a regular file becomes an InputError in its place (for a folder,
    its skipped entries come after its files); a file reached twice by the same absolute path is kept once.
    """
    out: list[str | InputError] = []
    seen: set[str] = set()
    for p in paths:
        p = os.fspath(p)
        skipped: list[InputError] = []
        if os.path.isdir(p):
            # string work only (realpath() would cost 5 syscalls a file), and abspath() once a folder: a walked
            # path is the folder's path joined with a relative path that has no "." or ".." in it
            base = os.path.abspath(p)
            walked, skipped = _walk(p)
            files = [(f, os.path.join(base, rel)) for f, rel in walked]
        else:
            reason = _not_regular(p)
            if reason:
                out.append(InputError(p, reason))
                continue
            files = [(p, os.path.abspath(p))]
        for f, key in files:
            if key not in seen:
                seen.add(key)
                out.append(f)
        out.extend(skipped)
    return out


def reads_path(inputs: Iterable[str], path: str) -> str | None:
    """The input among `inputs` that would read `path` (the same file, or a folder whose walk lists it), or
    None: an output written there would destroy an input or be read back as one."""
    path = os.fspath(path)
    target = os.path.realpath(path)
    for p in inputs:
        p = os.fspath(p)
        if os.path.isdir(p):
            rel = os.path.relpath(target, os.path.realpath(p))
            parts = rel.split(os.sep)
            if rel != os.curdir and parts[0] != os.pardir and all(not x.startswith(".") for x in parts) \
                    and _is_document_name(parts[-1]):
                return p
        elif os.path.exists(path) and os.path.exists(p):
            try:
                if os.path.samefile(p, path):
                    return p
            except OSError:
                pass
        elif os.path.realpath(p) == target:
            return p
    return None


_LINE_SKIP = re.compile(r"\.jsonl:\d+\Z", re.IGNORECASE)


def is_line_skip(path: str) -> bool:
    """A skipped item that is one JSON Lines line ("file.jsonl:12"), not a whole file."""
    return _LINE_SKIP.search(str(path)) is not None


def iter_documents(paths: list[str]) -> Iterator[Document | InputError]:
    """Every document under `paths` (files or folders), in a deterministic order; an InputError for each
    file or JSON Lines line that cannot be used, in its place."""
    for item in list_input_files(paths):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield from read_documents(item)
        except InputError as e:
            yield e

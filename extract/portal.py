"""Portal pages (政府信息公开 pages): the metadata block a page puts around the document, and the site chrome.

A portal page carries the document's own title, 文号, issuing organ and dates in a labelled block -- `<table>`
label/value cells (2 or 4 a row, some empty), `<dl><dt><dd>`, `<div>`/`<span>`/`<li>` pairs, `<meta
name="ArticleTitle">` -- and wraps it in chrome: breadcrumbs, navigation, share/print/font-size bars, 【我要纠错】,
扫一扫, 责任编辑 lines, footers, related links. Saved or converted to text, the block becomes pipe rows
(`文号 | X | 索引号 | Y |`), several `label：value` pairs on a line, labels with spaces (`文 号：`), a label on one
line and its value on the next, or labels and values separated by spaces only.

Decisions:
- The label vocabulary and the chrome patterns are data: data/portal_labels.tsv, data/portal_chrome.tsv.
- One reader for both forms: the HTML is read as a sequence of cells (text between element boundaries; an empty
  `<td>`/`<dd>` is an empty cell), a text as its lines split at `|`. A cell that is a label takes the next cell
  as its value unless that cell is empty or a label: an empty cell gives nothing, never the next label.
- A value is used only when it is one of its field: a 文号 that parses, a date that parses, an organ name, a
  title that reads as one. `发布机构：县政府网站` or `来源：本站原创` give no issuer.
- Only the head of the page is read: cells/lines before the first body sentence (a line with 。).
- Rank 1 labels (发文字号, 发文机关, 成文日期, 标题 …) are authoritative over what the text gives; rank 2
  (发布机构, 来源, 发布日期, the `<title>` tag, `<meta>`) are used only when the text gives nothing: a web
  posting date is not the 成文日期 a signature gives.
- An authoritative issuer that names no place (`发文机构：地区行署`, an abbreviation) does not replace an
  inferred issuer that does: the graph groups documents by region.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from polgraph.data import table_rows
from polgraph.extract.dates import parse_date
from polgraph.extract.docnumber import normalize_docnumber
from polgraph.extract.organs import looks_like_organ, split_issuers
from polgraph.extract.prefilter import required_literals, shortest_literals

FIELDS = ("title", "doc_number", "issuer", "date", "index_number", "topic", "repeal_date", "validity", "other")
OWN_FIELDS = ("title", "doc_number", "issuer", "date")
# carried into the record when a page gives them
EXTRA_FIELDS = ("index_number", "topic", "repeal_date", "validity")
HEAD_LINES = 80
HEAD_CHARS = 6000
MAX_CELLS = 400

_SPACE = "[ \\t\\u3000\\xa0]"
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_BULLET = re.compile(r"^[\s\u3000\xa0•·\-*▪◆●○■□>》]+")
_VALUE_STRIP = " \t\u3000\xa0|｜:：;；,，"


@dataclass(frozen=True)
class Label:
    label: str
    field: str
    rank: int


VALIDITY = ("in_force", "amended", "repealed", "expired", "not_yet_effective")


@functools.lru_cache(maxsize=1)
def validity_terms() -> dict[str, str]:
    """What a page's 有效性/时效性 cell may say (有效, 已废止, 失效 …) -> a status word (graph/status.py), from
    data/validity_terms.tsv."""
    out = {}
    for n, parts in table_rows("validity_terms.tsv"):
        if len(parts) != 2 or parts[1] not in VALIDITY:
            raise ValueError(f"data/validity_terms.tsv line {n}: expected term<TAB>{'|'.join(VALIDITY)}")
        out[parts[0]] = parts[1]
    return out


@functools.lru_cache(maxsize=1)
def load_labels() -> dict[str, Label]:
    """label (no spaces, no colon; `meta:NAME` for a <meta> tag) -> Label, from data/portal_labels.tsv."""
    out = {}
    for n, parts in table_rows("portal_labels.tsv"):
        if len(parts) != 3 or parts[1] not in FIELDS or parts[2] not in ("1", "2"):
            raise ValueError(f"data/portal_labels.tsv line {n}: expected label<TAB>field<TAB>1|2")
        out[parts[0]] = Label(parts[0], parts[1], int(parts[2]))
    return out


@functools.lru_cache(maxsize=1)
def _chrome_kinds() -> dict[str, tuple[str, ...]]:
    """The patterns of data/portal_chrome.tsv by kind (line, class, keep, tag, end), read once."""
    kinds = {"line": [], "class": [], "keep": [], "tag": [], "end": []}
    for n, parts in table_rows("portal_chrome.tsv"):
        if len(parts) != 2 or parts[0] not in kinds:
            raise ValueError(f"data/portal_chrome.tsv line {n}: expected line|class|keep|tag|end<TAB>pattern")
        kinds[parts[0]].append(parts[1])
    return {k: tuple(v) for k, v in kinds.items()}


@functools.lru_cache(maxsize=1)
def load_chrome() -> tuple["ChromeLines", "ChromeClass", frozenset]:
    """(line pattern, class/id test, tag names) from data/portal_chrome.tsv."""
    kinds = _chrome_kinds()
    any_of = lambda ps: re.compile("|".join(f"(?:{p})" for p in ps), re.IGNORECASE)  # noqa: E731
    return (ChromeLines(tuple(kinds["line"])),
            ChromeClass(any_of(kinds["class"]), any_of(kinds["keep"])), frozenset(kinds["tag"]))


class ChromeLines:
    """The chrome line patterns of data/portal_chrome.tsv as one test, `search(text)`, equal to searching their
    alternation: every document's head is tested, and `re` tries all branches of an alternation at every
    position (0.35 ms a law's head), while the branches anchored with ^ can only match at the start and each
    unanchored one alone opens with a literal that `re` skips to (0.04 ms: bench/extract_throughput.py)."""

    def __init__(self, patterns: tuple[str, ...]):
        self.patterns = patterns
        self.pattern = "|".join(f"(?:{p})" for p in patterns)  # the alternation, for the whole-text scan
        anchored = [p for p in patterns if p.startswith("^")]
        self._anchored = re.compile("|".join(f"(?:{p})" for p in anchored)) if anchored else None
        self._unanchored = [re.compile(p) for p in patterns if not p.startswith("^")]

    def search(self, text: str):
        """The first match found (not necessarily the leftmost), or None."""
        m = self._anchored.match(text) if self._anchored is not None else None
        if m is not None:
            return m
        for rx in self._unanchored:
            m = rx.search(text)
            if m is not None:
                return m
        return None


_CLASS_WORDS = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class ChromeClass:
    chrome: re.Pattern
    keep: re.Pattern

    def search(self, value: str) -> bool:
        """Does a class or id attribute value name site chrome (BreadcrumbNav, share) and not content?"""
        words = [w for w in _CLASS_WORDS.split(value) if w]
        return (any(self.chrome.fullmatch(w) for w in words)
                and not any(self.keep.fullmatch(w) for w in words))


@functools.lru_cache(maxsize=1)
def _end_lines() -> tuple[tuple[str, ...], re.Pattern | None]:
    """(the words an `end` line of data/portal_chrome.tsv holds, one pattern matching such a line at its start)."""
    patterns = _chrome_kinds()["end"]
    if not patterns:
        return (), None
    words = []
    for p in patterns:
        required = required_literals(p)
        if required is None:
            raise ValueError(f"data/portal_chrome.tsv: end pattern {p!r} holds no fixed text to look for")
        words.extend(required)
    return tuple(shortest_literals(words)), re.compile("|".join(f"(?:{p})" for p in patterns))


def document_end(text: str, body_start: int) -> int | None:
    """Where the document ends on a page, when a line after `body_start` (where its body begins) opens what the
    page appends to it -- previous/next links, related documents and their interpretations
    (data/portal_chrome.tsv `end`: 上一篇：…, 相关文件：, 相关解读：…): the start of that line; else None. What
    follows names other documents, none of which the document cites.

    >>> text = "关于X的通知\n各单位：\n现通知如下。\n某某局\n2021年1月1日\n上一篇：关于Y的通知\n"
    >>> text[document_end(text, text.index("现")):]
    '上一篇：关于Y的通知\n'
    >>> document_end(text.replace("上一篇", "上一步"), 0) is None
    True
    """
    words, line = _end_lines()
    end = None
    for w in words:
        k = text.find(w, body_start)
        while k >= 0 and (end is None or k < end):
            a = text.rfind("\n", 0, k) + 1
            if a >= body_start and line.match(text, a) is not None:
                end = a
                break
            k = text.find(w, k + 1)
    return end


def is_end_line(text: str, start: int) -> bool:
    """Does the line of `text` at `start` open what a page appends to its document (document_end)?"""
    line = _end_lines()[1]
    return line is not None and line.match(text, start) is not None


def is_chrome_line(line: str) -> bool:
    """Is this line of a page's text site chrome (a breadcrumb, a print bar, 责任编辑：…, a footer)?"""
    return load_chrome()[0].search(line) is not None


@functools.lru_cache(maxsize=1)
def _chrome_lines_rx():
    """The line patterns for a whole text at once (one scan instead of one a line): ^ and $ at line breaks,
    white space never a line break."""
    import regex  # ~1.7x faster than re on this alternation of mostly unanchored branches

    pattern = load_chrome()[0].pattern.replace("\\s", "[^\\S\\n]")
    return regex.compile(pattern, regex.MULTILINE | regex.VERSION0)


CHROME_LINE_MAX = 160  # a longer line is a paragraph of the document, never chrome: not scanned


def chrome_line_starts(text: str) -> set[int]:
    """The start offsets of the lines of `text` that are site chrome."""
    finditer = _chrome_lines_rx().finditer
    if len(text) <= 4 * CHROME_LINE_MAX:
        return {text.rfind("\n", 0, m.start()) + 1 for m in finditer(text)}
    out, pos = set(), 0
    for line in text.split("\n"):
        if len(line) <= CHROME_LINE_MAX and line and next(finditer(line), None) is not None:
            out.add(pos)
        pos += len(line) + 1
    return out


@functools.lru_cache(maxsize=1)
def _label_patterns():
    labels = [lab for lab in load_labels() if not lab.startswith("meta:")]
    labels.sort(key=len, reverse=True)
    spaced = "|".join((_SPACE + "*").join(map(re.escape, lab)) for lab in labels)
    # a label then a colon, at the start of a cell or after white space / a separator; an unknown label (2-6
    # ideographs) there also ends the value before it
    colon = re.compile(rf"(?:^|(?<=[\s|｜•·]))(?P<label>{spaced}|[\u4e00-\u9fff]{{2,6}}){_SPACE}*[：:]")
    # the quick test: does the head hold a known label at all?
    any_label = re.compile(spaced)
    return colon, any_label


@functools.lru_cache(maxsize=1)
def _bracket_label():
    """A label in square brackets before its value (`[ 索引号 ]1150…/2021-00004 [ 发文字号 ]城府办发〔2020〕243号`):
    a block some portals print as one row."""
    labels = sorted((lab for lab in load_labels() if not lab.startswith("meta:")), key=len, reverse=True)
    spaced = "|".join((_SPACE + "*").join(map(re.escape, lab)) for lab in labels)
    return re.compile(rf"[\[［]{_SPACE}*(?P<label>{spaced}|[\u4e00-\u9fff]{{2,6}}){_SPACE}*[\]］]{_SPACE}*[：:]?")


def _norm_label(s: str) -> str:
    return _SPACES.sub("", s).rstrip(":：")


def _label_of(cell: str) -> Label | None:
    """The Label when the cell is a label alone (`文 号：`, `发文机关`), else None."""
    if len(cell) > 14:
        return None
    cell = _BULLET.sub("", cell)
    if cell[:1] in "[［" and cell.rstrip(" \t\u3000\xa0:：")[-1:] in "]］":  # [ 发文字号 ]
        cell = cell.strip(" \t\u3000\xa0:：")[1:-1]
    return load_labels().get(_norm_label(cell))


def _starts_with_label(cell: str) -> bool:
    cell = _BULLET.sub("", cell)
    if _label_of(cell) is not None:
        return True
    m = (_bracket_label() if cell[:1] in "[［" else _label_patterns()[0]).match(cell)
    return m is not None and _norm_label(m.group("label")) in load_labels()


# ---------------------------------------------------------------------------------------------- values

def _title_value(v: str) -> str | None:
    from polgraph.extract.titles import clean_title

    v = v.strip()
    if v.startswith("《") and v.endswith("》") and v.count("《") == 1:
        v = v[1:-1]
    if not 4 <= len(v) <= 200 or "。" in v or _starts_with_label(v) or normalize_docnumber(v) == v:
        return None
    return clean_title(v)


def _issuer_value(v: str) -> list[str] | None:
    v = v.strip()
    organs = split_issuers(v) or ([v] if looks_like_organ(v) else [])
    return organs or None


_COMPACT_DATE = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)")
_INDEX_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-/_.()（）\u2014－—]{3,60}")


def field_value(name: str, raw: str):
    """The value of field `name` read from `raw` (a cell's text), or None when it is not one."""
    v = raw.strip(_VALUE_STRIP)
    if not v:
        return None
    if name == "doc_number":
        return normalize_docnumber(_SPACES.sub("", v))
    if name in ("date", "repeal_date"):
        v = _SPACES.sub("", v)
        compact = _COMPACT_DATE.fullmatch(v)  # a cell may write its date as digits alone: 20210630
        return parse_date(f"{compact[1]}-{compact[2]}-{compact[3]}" if compact else v)
    if name == "issuer":
        return _issuer_value(v)
    if name == "title":
        return _title_value(v)
    if name == "index_number":
        v = _SPACES.sub("", v)
        return v if _INDEX_NUMBER.fullmatch(v) else None
    if name == "validity":
        return validity_terms().get(_SPACES.sub("", v).rstrip("。"))
    if name == "topic":
        return v if len(v) <= 30 and "。" not in v else None
    return None


def _could_be_value(cell: str) -> bool:
    """A short cell that no field reads (`县政府网站`, `主动公开`) is still the value of the label before it, not a
    line of the document: short, no sentence mark, not a document title."""
    from polgraph.extract.titles import title_verdict

    s = cell.strip()
    return 0 < len(s) <= 30 and not re.search("[。，；]", s) and title_verdict(s) != "cite"


# ---------------------------------------------------------------------------------------------- cells

@dataclass
class Pair:
    field: str
    rank: int
    value: object   # the parsed value (str, or [str] for issuer)
    where: str      # "header" (a labelled cell), "meta" (<meta>), "page_title" (<title>)
    first: int = -1  # the cells it was read from
    last: int = -1


@functools.lru_cache(maxsize=1)
def _spaced_label():
    """A known label written with white space between its characters (`索   引   号`, `发 文 日 期`), standing
    alone between white space: a page's text rendering pads its labels to one width."""
    _, any_label = _label_patterns()
    return re.compile(rf"(?:^|(?<=\s))(?:{any_label.pattern})(?=\s|$)")


def _joined_labels(s: str) -> str:
    """`s` with each spaced label written without its spaces (`文        号 X` -> `文号 X`)."""
    if not re.search(r"[\u4e00-\u9fff][ \t\u3000\xa0]+[\u4e00-\u9fff]", s):
        return s
    return _spaced_label().sub(lambda m: _SPACES.sub("", m.group(0)), s)


def _inline_pairs(cell: str) -> list[tuple[str, str]]:
    """(label, value) of a cell holding label-value pairs: `索引号:X 公文目录:Y 文  号: 成文日期:` or
    `索引号 X 主题分类 Y` (labels known, no colons). [] when the cell does not start with a label."""
    s = _BULLET.sub("", cell)
    labels = load_labels()
    colon = _bracket_label() if s[:1] in "[［" else _label_patterns()[0]
    marks = list(colon.finditer(s))
    if marks and marks[0].start() == 0 and any(_norm_label(m.group("label")) in labels for m in marks):
        out = []
        for k, m in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(s)
            out.append((_norm_label(m.group("label")), s[m.end():end]))
        return out
    tokens = [t for t in _SPACES.split(_joined_labels(s)) if t]
    if len(tokens) >= 2 and tokens[0] in labels:
        out, n_labels = [], 0
        for t in tokens:
            if t in labels:
                out.append((t, ""))
                n_labels += 1
            else:
                out[-1] = (out[-1][0], out[-1][1] + t)
        label = labels[out[0][0]]
        if n_labels >= 2 or field_value(label.field, out[0][1]) is not None:
            return out
    return []


_TIME_OF_DAY = re.compile(r"\d{1,2}[ \t]*[:：][ \t]*\d{2}")


def _rank(label: Label, raw: str) -> int:
    """A date with a time of day (`发文日期：2024年04月06日 16:40`) is when the page was posted, whatever its
    label says: rank 2."""
    if label.field == "date" and label.rank == 1 and _TIME_OF_DAY.search(raw):
        return 2
    return label.rank


def read_cells(cells: list[str], where: str = "header") -> list[Pair]:
    """The label/value pairs of a sequence of cells (see the module docstring)."""
    labels = load_labels()
    out: list[Pair] = []
    i, n = 0, min(len(cells), MAX_CELLS)
    while i < n:
        cell = cells[i]
        label = _label_of(cell) if cell else None
        columns = _column_pairs(cells, i, n, where) if label is not None else None
        if columns:  # a row of labels over a row of values (索引号 | 发布机构 | 成文日期 | 文号 ⏎ values)
            out.extend(columns)
            i = columns[-1].last + 1
            continue
        if label is not None:
            j, value, last = i + 1, None, i
            if j + 1 < n and cells[j].strip() in _COLONS:  # 文　　号 | ： | 东建〔2021〕15号: the colon has a cell
                j, last = j + 1, j
            if j < n and not cells[j].strip():
                last = j  # an empty cell: no value
            elif j < n and not _starts_with_label(cells[j]):
                value = field_value(label.field, cells[j])
                if value is not None or _could_be_value(cells[j]):
                    last = j  # else the next cell is the document, not this label's value
            out.append(Pair(label.field, _rank(label, cells[last]), value, where, i, last))
            i = last + 1
            continue
        pairs = _inline_pairs(cell) if cell else []
        for name, raw in pairs:
            label = labels.get(name)
            if label is not None:
                out.append(Pair(label.field, _rank(label, raw), field_value(label.field, raw), where, i, i))
            else:
                out.append(Pair("other", 1, None, where, i, i))
        i += 1
    return out


_COLONS = ("：", ":")
COLUMN_LABELS_MIN = 3  # a header row of fewer labels is read as label-value cells


def _column_pairs(cells: list[str], i: int, n: int, where: str) -> list[Pair] | None:
    """The pairs of a table whose first row holds only labels and whose next row holds their values, one a
    column, when cells[i] opens such a label row; else None. The value row must read as those fields (every 文号
    and date cell parses, and no value cell is a label), so a run of empty labels over the document is none."""
    run = i
    while run < n and cells[run] and _label_of(cells[run]) is not None:
        run += 1
    k = run - i
    if k < COLUMN_LABELS_MIN or run + k > n:
        return None
    labels = [_label_of(cells[i + c]) for c in range(k)]
    values = cells[run:run + k]
    if any(v and _starts_with_label(v) for v in values):
        return None
    checked = 0
    for label, raw in zip(labels, values):
        if label.field in ("doc_number", "date") and raw.strip():
            if field_value(label.field, raw) is None:
                return None
            checked += 1
        elif raw.strip() and not _could_be_value(raw) and label.field != "title":
            return None
    if checked == 0:
        return None
    return [Pair(label.field, _rank(label, raw), field_value(label.field, raw), where, i + c, run + c)
            for c, (label, raw) in enumerate(zip(labels, values))]


def is_body_line(s: str) -> bool:
    """A line of the document's body -- a sentence, or the addressee line (`各有关单位：`) that opens it: the page's
    metadata block is above it."""
    if "。" in s:
        return True
    if _starts_with_label(s):
        return False
    return s.endswith(("：", ":")) and s not in _COLONS or len(s) >= 30 and "，" in s


# ---------------------------------------------------------------------------------------------- text

_NUMBER_HEAD = re.compile(
    r"^[ \t\u3000]*(?P<number>[^\s《》〈〉()（）]{1,20}?[〔\[【(（［{｛][ \t\u3000]*(?:19|20)\d\d[ \t\u3000]*[〕\]】)）］}｝]"
    r"[ \t\u3000]*第?[ \t\u3000]*\d{1,5}[ \t\u3000]*号)[ \t\u3000]*(?P<title>\S.*?)[ \t\u3000]*$")
_NUMBER_TAIL = re.compile(
    r"^[ \t\u3000]*(?P<title>\S.*?)[ \t\u3000]*[（(][ \t\u3000]*(?P<number>[^\s()（）]{1,20}?[〔\[【(（][ \t\u3000]*"
    r"(?:19|20)\d\d[ \t\u3000]*[〕\]】)）][ \t\u3000]*第?[ \t\u3000]*\d{1,5}[ \t\u3000]*号)[ \t\u3000]*[)）][ \t\u3000]*$")


def number_and_title(line: str) -> tuple[str, str] | None:
    """(文号, title) of a heading line that holds both: `鲁政发〔2014〕20号《山东省人民政府关于…的实施意见》`,
    `瑞政办(2011)129号 转发…的通知`, `…印发《…》的通知(岳办发〔2017〕2号)`; else None."""
    from polgraph.extract.titles import title_verdict

    if "号" not in line:  # both patterns end their number with 号
        return None
    for rx in (_NUMBER_HEAD, _NUMBER_TAIL):
        m = rx.match(line)
        if m is None:
            continue
        number = normalize_docnumber(_SPACES.sub("", m.group("number")))
        title = _title_value(m.group("title"))
        if number and title and (title_verdict(title) == "cite" or title.endswith(("通知", "意见", "办法", "方案",
                                                                                    "规定", "决定", "规则", "函"))):
            return number, title
    return None


@dataclass
class PageHeader:
    """What the head of a page says about the document: `pairs` (label/value pairs read from the HTML, then
    from the text), `masked` (start, end) spans of the text's lines that are the metadata block or chrome."""

    pairs: list[Pair] = field(default_factory=list)
    masked: list[tuple[int, int]] = field(default_factory=list)

    def best(self, name: str, rank: int) -> Pair | None:
        """The first pair of field `name` with a value, of rank `rank`."""
        return next((p for p in self.pairs if p.field == name and p.rank == rank and p.value is not None), None)

    def is_masked(self, start: int, end: int | None = None) -> bool:
        end = start + 1 if end is None else end
        return any(a < end and start < b for a, b in self.masked)

    def masked_text(self, text: str) -> str:
        """The text with the masked lines blanked (same length, line breaks kept: offsets stay valid)."""
        parts, at = [], 0
        for a, b in sorted(self.masked):
            if a < at:
                continue
            parts.append(text[at:a])
            parts.append(" " * (b - a))
            at = b
        parts.append(text[at:])
        return "".join(parts)


BANNER_LINES = 6


def _above_chrome(head: str, chrome_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The short lines above a page's first chrome line (a breadcrumb, a print bar) near its top: the site's
    banner and menu (`牟定县人民政府` above `首页 >> 公开信息内容`), never the document -- unless a line reads as
    a document's title."""
    from polgraph.extract.titles import title_verdict

    if not chrome_spans:
        return []
    first = chrome_spans[0][0]
    lines, pos = [], 0
    for line in head[:first].split("\n"):
        if line.strip():
            lines.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    if len(lines) > BANNER_LINES:
        return []
    return [(a, b) for a, b, s in lines
            if len(s) <= 30 and not re.search("[。，；]", s) and title_verdict(s) != "cite"
            and not _starts_with_label(s)]


@functools.lru_cache(maxsize=1)
def _block_cues() -> re.Pattern | None:
    """One search for what any metadata block or chrome line must hold: a label of data/portal_labels.tsv
    (its characters apart by white space at most, as _norm_label reads a cell) or a literal every match of a
    chrome line pattern holds (prefilter.required_literals); None when a chrome pattern gives no literal."""
    literals = []
    for p in load_chrome()[0].patterns:
        required = required_literals(p)
        if required is None:
            return None
        literals.extend(required)
    labels = [lab for lab in load_labels() if not lab.startswith("meta:")]
    words = shortest_literals(literals + labels)
    return re.compile("|".join("\\s*".join(map(re.escape, w)) for w in sorted(words, key=lambda w: (-len(w), w))))


def _walk_end(text: str, end: int) -> int:
    """Where read_text_header's line walk over text[:end] has stopped at the latest unless a chrome line holds
    。: the end of the first line with 。 and no | or ｜ (a body line, is_body_line)."""
    end = min(end, len(text))
    i = text.find("。", 0, end)
    while i >= 0:
        a, b = text.rfind("\n", 0, i) + 1, text.find("\n", i, end)
        b = end if b < 0 else b
        if "|" not in text[a:b] and "｜" not in text[a:b]:
            return b
        i = text.find("。", b, end)
    return end


def may_hold_block(text: str, end: int = HEAD_CHARS) -> bool:
    """False when the lines read_text_header walks in text[:end] hold neither a label nor a chrome line's
    literal, so that it finds nothing there (a law, a report: most documents); a necessary condition, read in
    one search. The walk reaches past the first body line only over chrome lines, which hold a literal."""
    cues = _block_cues()
    return cues is None or cues.search(text, 0, _walk_end(text, end)) is not None


def read_text_header(text: str) -> PageHeader:
    """The metadata block and chrome lines of the head of a text (a page's text rendering, or a page read from
    HTML): their pairs and line spans."""
    if not may_hold_block(text):
        return PageHeader()
    return read_head_lines(text[:HEAD_CHARS])


def read_head_lines(head: str) -> PageHeader:
    """read_text_header of a head without its prefilter (may_hold_block): the plain definition."""
    chrome = load_chrome()[0]
    _, any_label = _label_patterns()
    if any_label.search(head) is None and chrome.search(head) is None:
        return PageHeader()
    cells: list[str] = []
    spans: list[tuple[int, int]] = []  # the line span of each cell
    chrome_spans: list[tuple[int, int]] = []
    pos, n_lines = 0, 0
    for line in head.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        s = line.strip()
        if not s:
            continue
        n_lines += 1
        if n_lines > HEAD_LINES:
            break
        if chrome.search(s) and not _starts_with_label(s):
            chrome_spans.append((start, end))
            continue
        if "|" in s or "｜" in s:
            parts = [p.strip() for p in re.split("[|｜]", s)]
            if parts and not parts[0]:
                parts = parts[1:]
            if parts and not parts[-1]:
                parts = parts[:-1]
            for p in parts:
                cells.append(p)
                spans.append((start, end))
            continue
        if is_body_line(s):
            break
        cells.append(s)
        spans.append((start, end))
    pairs = read_cells(cells)
    masked = list(chrome_spans) + _above_chrome(head, chrome_spans)
    for p in pairs:
        for k in range(p.first, p.last + 1):
            if 0 <= k < len(spans):
                masked.append(spans[k])
    return PageHeader(pairs=pairs, masked=sorted(set(masked)))


# ---------------------------------------------------------------------------------------------- HTML

_SITE_SUFFIX = re.compile(r"[ \t\u3000]*(?:[_|｜]|——|--|[ \t\u3000]-[ \t\u3000]|[ \t\u3000]—[ \t\u3000])[ \t\u3000]*")


def page_title(title: str) -> str | None:
    """The document's title in a page's <title>: without the site's name (`…的通知_XX市人民政府`,
    `… - 中国政府网`): the longest part."""
    parts = [p for p in _SITE_SUFFIX.split(_SPACES.sub(" ", title).strip()) if p.strip()]
    if not parts:
        return None
    best = max(parts, key=len)
    bare = _BARE_SITE_SUFFIX.search(best)
    if bare is not None and _is_site_name(bare.group("site")):
        best = best[:bare.start()]  # …的通知-泗洪县人民政府: a hyphen without spaces before the site's name
    return _title_value(best)


_BARE_SITE_SUFFIX = re.compile(r"[-—](?P<site>[^-—\s]{2,30})$")


def _is_site_name(s: str) -> bool:
    return looks_like_organ(s) or s.endswith(("网", "网站", "门户"))


def read_html_header(root, cells: list[str]) -> list[Pair]:
    """The header pairs of a parsed page: its metadata block (the cells before the first body sentence), its
    <meta> tags (data/portal_labels.tsv `meta:NAME`) and its <title>."""
    labels = load_labels()
    head = []
    for cell in cells:
        if is_body_line(cell):
            break
        head.append(cell)
    pairs = [p for p in read_cells(head[-MAX_CELLS:]) if p.value is not None]
    for el in root.iter("meta"):
        name, content = el.get("name"), el.get("content")
        label = labels.get(f"meta:{name}") if name and content else None
        if label is not None:
            value = page_title(content) if label.field == "title" else field_value(label.field, content)
            if value is not None:
                pairs.append(Pair(label.field, label.rank, value, "meta"))
    title = root.find(".//title")
    title = "".join(title.itertext()) if title is not None else ""
    if title.strip():
        value = page_title(title)
        if value is not None:
            pairs.append(Pair("title", 3, value, "page_title"))
    return pairs


# ---------------------------------------------------------------------------------------------- merging

def read_page(text: str, header: list | None = None) -> PageHeader:
    """The page header of a document: the pairs read from its HTML (`header`, Document.header) first, then
    those of its text's head, and the text's masked lines."""
    page = read_text_header(text)
    if header:
        page.pairs = list(header) + page.pairs
    return page


def number_match(numbers, number: str, fallback=None):
    """The NumberMatch of `numbers` that is `number` (a 文号 read from a header), else a NumberMatch at -1
    (the number is not in the text), else `fallback`."""
    from polgraph.extract.docnumber import NumberMatch, parse_docnumber

    parsed = parse_docnumber(number)
    if parsed is None:
        return fallback
    key = parsed.key
    found = fallback if fallback is not None and fallback.number.key == key else \
        next((n for n in numbers if n.number.key == key), None)
    if found is None:
        return NumberMatch(parsed, -1, -1)
    # the same document; the header's writing is the record's (国令第707号 where the text has 中华人民共和国国务院令…)
    return found if found.number.normalized == parsed.normalized else NumberMatch(parsed, found.start, found.end)


def _head_line_of(text: str, title: str) -> tuple[int, int] | None:
    """The span of a line of the text's head that is `title`."""
    from polgraph.extract.titles import title_key

    key, pos, lines = title_key(title), 0, []
    for line in text[:HEAD_CHARS].split("\n"):
        if line.strip():
            lines.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    for k, (start, _, _) in enumerate(lines):
        joined = ""
        for _, end, s in lines[k:k + 3]:  # a heading wrapped over up to three lines
            joined += s
            if title_key(joined) == key:
                return start, end
            if len(joined) >= len(title):
                break
    return None


def _posted_date(p: Pair | None, number) -> Pair | None:
    """A page's rank-2 date (when it was posted: 发布时间, a bare 时间 beside the view count) as the document's, unless
    it is years after the year of the document's own 文号: an aggregator re-posting 皖政发〔2016〕12号 in 2019 dates
    its page, not the document."""
    year = getattr(getattr(number, "number", None), "year", None)
    if p is None or year is None or not p.value[:4].isdigit():
        return p
    return None if int(p.value[:4]) > year + 1 else p


def merge(page: PageHeader, text: str, numbers, own: dict, levels) -> dict:
    """`own` (title, title_span, number (NumberMatch), issuer, date, sources: what the text gives) with the page
    header merged in; adds `extra` (index_number, topic, repeal_date). See the module docstring for the ranks."""
    from polgraph.extract.titles import title_key, title_verdict

    if not page.pairs:  # no field below has a pair to take (most documents)
        own["extra"] = {}
        return own
    sources, extra = own["sources"], {}
    p = page.best("title", 1)
    if p is not None:
        if own["title"] is None or title_key(own["title"]) != title_key(p.value):
            own["title_span"] = _head_line_of(text, p.value) or (-1, -1)
        own["title"], sources["title"] = p.value, p.where
    else:
        # a page's <title> or <meta name="ArticleTitle"> names the heading when the text's first heading-like
        # line is something else (a site banner)
        p = page.best("title", 2) or page.best("title", 3)
        span = _head_line_of(text, p.value) if p is not None else None
        # ... and a title the text only gives by an attachment's file name or a self-introduction is weaker than
        # the page's own
        if p is not None and (own["title"] is None or sources["title"] == "text"
                              or span is not None and title_verdict(own["title"]) != "cite"
                              and title_key(own["title"]) != title_key(p.value)):
            own["title"], own["title_span"] = p.value, span or (-1, -1)
            sources["title"] = "heading" if span else p.where
    p = page.best("doc_number", 1)
    if p is not None:
        own["number"] = number_match(numbers, p.value, own["number"])
        sources["doc_number"] = p.where
    p = page.best("issuer", 1)
    if p is not None:
        level_of_issuer = levels[1]
        placed = lambda names: any(level_of_issuer(x)[0] != "unknown" for x in names)  # noqa: E731
        if not own["issuer"] or placed(p.value) or not placed(own["issuer"]):
            own["issuer"], sources["issuer"] = list(p.value), p.where
    elif not own["issuer"] and (p := page.best("issuer", 2)) is not None:
        own["issuer"], sources["issuer"] = list(p.value), p.where
    p = page.best("date", 1) or (_posted_date(page.best("date", 2), own["number"]) if own["date"] is None else None)
    if p is not None:
        own["date"], sources["date"] = p.value, p.where
    for name in EXTRA_FIELDS:
        p = page.best(name, 1)
        if p is not None:
            extra[name] = p.value
    own["extra"] = extra
    return own

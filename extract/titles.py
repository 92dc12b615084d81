"""Find 《title》 spans: nested brackets, hard line breaks inside, prose captures rejected.

A title is matched with one level of nesting (`《关于印发<…>的通知》`, `〈〉`, an inner `《》`); the
returned title has its inner brackets written as `《》` and line breaks removed, while `start`/`end`
stay offsets into the original text (so ``text[start:end]`` is the bracketed span).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from importlib.resources import files
from typing import NamedTuple

# One nesting level, bounded length; the inner alternatives are disjoint from the outer character
# class, so the regex cannot backtrack badly. 。 and a blank line end prose, never a title.
_TITLE_RE = re.compile(
    r"《((?:[^《》〈〉<>。！？\n]|\n(?![ \t\u3000]*\n)|[《〈<][^《》〈〉<>。\n]{1,150}[》〉>]){1,200})》")
# _TITLE_RE, fast: a title without brackets or line breaks inside (most titles) is tried first as one run of
# characters (group 1) -- _TITLE_RE's greedy loop would take each of them as one unit and stop at the same 》 --
# and only otherwise by _TITLE_RE's loop (group 2). Same matches, same spans.
_TITLE_SCAN = re.compile(r"《(?:([^《》〈〉<>。！？\n]{1,200})》|(" + _TITLE_RE.pattern[2:-2] + r")》)")
_INNER_OPEN = str.maketrans({"<": "《", "〈": "《", ">": "》", "〉": "》"})
_LINE_BREAKS = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")
# Trailing parts that do not change what kind of document a title names.
_TRAILING = re.compile(r"(?:[（(][^（()）]{0,30}[)）]|[\s“”\"'’‘]+)+$")
_TRAILING_LAST = frozenset("）)“”\"'’‘")  # and white space (str.isspace is re's \s)


class TitleMatch(NamedTuple):
    """A 《title》 in a text: `title` is cleaned, `start`/`end` cover the outer brackets."""

    # a named tuple, not a frozen dataclass: a document has dozens of titles, and a frozen dataclass costs
    # three object.__setattr__ calls to build

    title: str
    start: int
    end: int


@functools.lru_cache(maxsize=1 << 14)  # the same titles recur across a corpus (《中华人民共和国宪法》)
def clean_title(raw: str) -> str:
    """Title text as the gold writes it: inner brackets as 《》, hard line breaks removed."""
    if "<" in raw or ">" in raw or "〈" in raw or "〉" in raw:  # translate looks every character up in a dict
        raw = raw.translate(_INNER_OPEN)
    if "\n" in raw:
        raw = _LINE_BREAKS.sub("", raw)
    return raw.strip()


_new_tuple = tuple.__new__


def find_titles(text: str) -> list[TitleMatch]:
    """Every balanced 《…》 span of `text`, in text order (prose captures and unclosed 《 skipped)."""
    out = []
    for m in _TITLE_SCAN.finditer(text):
        raw = m.group(1)
        # a flat title holds no bracket and no line break: clean_title would only strip it
        title = raw.strip() if raw is not None else clean_title(m.group(2))
        if title:
            out.append(_new_tuple(TitleMatch, (title, *m.span())))  # TitleMatch(...) without its Python __new__
    return out


# The two title keys, from one set of characters. Within one document (extraction: the mentions of one cited
# document, the document's own title and what it carries) titles are the same when they differ in book-title marks,
# quotes and white space only; across documents (graph/resolve.py: a citation against the corpus, node ids, trace)
# punctuation goes too, since a citing document writes the cited title's 、，：— freely. Dropping punctuation inside
# one document would merge two different documents cited side by side (《关于A、B的通知》 and 《关于AB的通知》).
_MARKS = "《》〈〉<>“”\"'‘’「」『』"
_PUNCTUATION = "·•.,，、。:：;；!！?？_\\-—–"
_KEY_DROP = re.compile(f"[{_MARKS}\\s]")
_LOOSE_DROP = re.compile(f"[\\s{_MARKS}{_PUNCTUATION}]+")


# A notice that carries another document (关于印发《X》的通知): its verbs and endings, once. Extraction reads the
# carried instrument from a document's own title with it (metadata.py), resolution indexes a notice under what
# it carries (graph/resolve.py).
CARRY_VERBS = ("印发", "转发", "批转", "颁布", "发布", "颁发")
CARRY_ENDS = ("通知", "通告", "决定", "函", "复函")
CARRY_VERB = "(?:关于)?(?:" + "|".join(CARRY_VERBS) + ")"
CARRY_END = "的(?:" + "|".join(CARRY_ENDS) + ")$"


@functools.lru_cache(maxsize=1 << 14)
def title_key(title: str | None) -> str | None:
    """A comparison key for titles within one document: NFKC (full-width ASCII folded), book-title marks, quotes
    and white space removed; None for no title.

    >>> title_key("《国务院关于 “十四五” 规划的通知》"), title_key("")
    ('国务院关于十四五规划的通知', None)
    """
    if not title:
        return None
    s = unicodedata.normalize("NFKC", title)
    s = _KEY_DROP.sub("", s)
    return s or None


def normalize_title(title: str | None) -> str:
    """A comparison key for titles across documents: `title_key` without punctuation either; "" for no title.

    >>> normalize_title("《关于A、B的通知》"), title_key("《关于A、B的通知》")
    ('关于AB的通知', '关于A、B的通知')
    """
    if not title:
        return ""
    return _LOOSE_DROP.sub("", unicodedata.normalize("NFKC", title))


@functools.lru_cache(maxsize=1)
def _kinds() -> tuple[dict[str, str], int]:
    table = {}
    text = files("polgraph.data").joinpath("title_kinds.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        suffix, verdict = line.split("\t")[:2]
        table[suffix.strip()] = verdict.strip()
    return table, max(map(len, table))


def title_verdict(title: str) -> str:
    """'cite' when the title names a document (law, notice, plan, list, standard, treaty …),
    'exclude' for forms, tables, periodicals and speeches, 'unknown' otherwise."""
    table, longest = _kinds()
    # _TRAILING can only match a title that ends with a bracket, a quote or white space
    core = _TRAILING.sub("", title) or title if title and (title[-1] in _TRAILING_LAST or title[-1].isspace()) else title
    for n in range(min(longest, len(core)), 0, -1):
        v = table.get(core[-n:])
        if v is not None:
            return v
    return "unknown"


@functools.lru_cache(maxsize=1 << 14)
def is_document_title(title: str) -> bool:
    """True when a 《title》 names an instrument that counts as a cited document.

    A bare kind word (《办法》, 《章程》, 《方案》) is an abbreviation, not a name of its own."""
    table, _ = _kinds()
    if title in table or (title.startswith("本") and title[1:] in table):
        return False
    v = title_verdict(title)
    if v == "cite":
        return True
    if v == "exclude":
        return False
    return "关于" in title

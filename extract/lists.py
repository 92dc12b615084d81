"""Lists of documents: an intro line ending in a colon (现决定废止下列文件：) and item lines below it.

An item line that is one citation and nothing more (`1.国务院办公厅关于…的通知（国办发〔2005〕12号）`,
`2.《X》（国发〔2008〕3号）；`, `3.国办发〔2004〕28号`) takes its relation from the intro line's cue, and such a
line is never the line of the document's own number. find.py and metadata.py use these helpers.
"""
from __future__ import annotations

import re

# 1.  2、  12．  (3)  （三）  四、
LIST_MARKER = re.compile(r"[ \t\u3000]*(?:[0-9０-９]{1,4}[.、．)）]|[（(][0-9０-９一二三四五六七八九十]{1,3}[)）]|"
                         r"[一二三四五六七八九十]{1,3}、)[ \t\u3000]*")
# what may follow the citation on an item line: a closing bracket, punctuation, then the line's end
_LINE_REST = re.compile(r"[)）]?[ \t\u3000；;。，,、]*(?:\n|$)")
_LINE_REST_FIRST = frozenset(")）；;。，,、 \t\u3000\r\n")  # its first character, a quick test before the regex
MAX_LIST_LINES = 400


# the last character of a list marker, or the white space after it: what stands right before an item's citation
MARKER_LAST = frozenset(".、．)） \t\u3000")


def may_be_item(text: str, start: int, end: int) -> bool:
    """A quick test before item_line: a marker (or its space) right before `start`, only punctuation after `end`."""
    return start > 0 and text[start - 1] in MARKER_LAST and ends_line(text, end)


def ends_line(text: str, end: int) -> bool:
    """Is what follows a citation ending at `end` only a closing bracket and punctuation up to the line's end?"""
    return end >= len(text) or text[end] in _LINE_REST_FIRST and _LINE_REST.match(text, end) is not None


def item_line(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(line start, marker end) when text[start:end] ends a list item line that begins with a marker
    (`2.《X》（国发〔2008〕3号）；`), else None. What stands between the marker and `start` is the caller's to judge."""
    if not ends_line(text, end):
        return None
    line_start = text.rfind("\n", 0, start) + 1
    m = LIST_MARKER.match(text, line_start, start)
    return None if m is None else (line_start, m.end())


def intro_colon(text: str, line_start: int, known: dict[int, int | None]) -> int | None:
    """The offset of the colon closing the intro line of the list whose item is the line at line_start, else
    None. Every line between them must be an item too (a wrapped item line is allowed); a paragraph of running
    text ends the list. `known` holds the answers for earlier lines of the same text: asked in text order, a
    long list costs one step an item."""
    i = line_start
    answer = None
    for _ in range(MAX_LIST_LINES):
        if i <= 0:
            break
        prev = text.rfind("\n", 0, i - 1) + 1
        line = text[prev:i - 1].rstrip(" \t\u3000\r")
        if line.endswith(("：", ":")):
            answer = prev + len(line) - 1
            break
        line = line.rstrip("”’」』\"'")
        if line and not LIST_MARKER.match(line) and line[-1] in "。；;，,！？":
            break
        if prev in known:
            answer = known[prev]
            break
        i = prev
    known[line_start] = answer
    return answer

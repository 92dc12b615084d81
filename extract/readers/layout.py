"""Positioned lines of text (PDF, OFD) back to the text of a document: one paragraph a line.

A page lays a paragraph out over several lines and a document over several pages; the metadata stage reads
line structure (heading lines, the number line, signature and date at the end), so the layout is undone:
- running headers and footers are dropped: a page number in any of the usual forms (`— 3 —`, `-3-`, `第3页`,
  `第 3 页 共 9 页`, `3/9`) as the first or last line of a page, and any line at the top or bottom edge that
  repeats (digits aside) on at least half of the pages;
- a line that reaches the right margin continues on the next line -- across a page break too -- unless the
  next one starts indented (a new paragraph: Chinese documents indent paragraphs by two characters) or the
  line ends a sentence at the margin and the next is flush left;
- a vertical gap of about two lines or more is a blank line.
So a title or a 文号 wrapped inside a sentence, or broken across pages, comes out whole.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# A line ends at the margin when it stops within this many of its characters of the right margin: justified
# Chinese text ends on it, left-aligned text within a character, a wrapped Latin word or number a few more.
FULL_LINE_SLACK = 2.0
# A line starts a paragraph when it starts this many of its characters right of the left margin.
INDENT = 0.9
# A gap between lines of this many line pitches (the page's median) holds a blank line.
BLANK_GAP = 1.75
# Header and footer band: this share of the page height at the top and at the bottom.
EDGE_BAND = 0.12
SAME_LINE = 0.4  # two pieces whose baselines differ by less than this many characters are one line

PAGE_NUMBER = re.compile(
    r"[-—–－―─~～\s]*\d{1,4}[-—–－―─~～\s]*"            # 3   -3-   — 3 —
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"   # 第3页   第 3 页 共 9 页
    r"|(?:共\s*\d{1,4}\s*页\s*[,，]?\s*)?第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"                          # 3/9
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?")
SENTENCE_END = "。！？!?"
OPENING = "〔（《“‘「『【〈［｛([{"
# A line breaks before a run it cannot split (a number, a Latin word, with the closing bracket after it), so
# it may stop that much short of the margin: 自然资规〔 | 2022〕1号）.
_UNBREAKABLE_HEAD = re.compile(r"[!-~]+[〕）》”’」』】〉］｝]?")


def _unbreakable_head(text: str) -> float:
    """The width, in characters, of the unsplittable run a line opens with (half-width ASCII)."""
    m = _UNBREAKABLE_HEAD.match(text)
    if not m:
        return 0.0
    run = m.group()
    return 0.55 * len(run.rstrip("〕）》”’」』】〉］｝")) + (1.0 if run[-1] in "〕）》”’」』】〉］｝" else 0.0)
_LATIN_END = re.compile(r"[A-Za-z0-9,.;:]\Z")
_LATIN_START = re.compile(r"\A[A-Za-z]")
_DIGITS = re.compile(r"\d+")


@dataclass
class Line:
    """A line of text on a page; coordinates with y growing downwards (top of the page is 0)."""

    text: str
    x0: float
    x1: float
    y: float       # baseline
    size: float    # font size (character height)


def merge_pieces(pieces: list[Line]) -> list[Line]:
    """Pieces of text (in any order) grouped into lines: same baseline within tolerance, left to right; a
    gap wider than a character between two pieces is a space."""
    pieces = sorted((p for p in pieces if p.text.strip()), key=lambda p: (p.y, p.x0))
    lines: list[list[Line]] = []
    for p in pieces:
        if lines and abs(p.y - lines[-1][0].y) < SAME_LINE * max(p.size, lines[-1][0].size, 1.0):
            lines[-1].append(p)
        else:
            lines.append([p])
    out = []
    for group in lines:
        group.sort(key=lambda p: p.x0)
        text = group[0].text
        for prev, p in zip(group, group[1:]):
            text += (" " if p.x0 - prev.x1 > 0.9 * max(p.size, 1.0) else "") + p.text
        out.append(Line(text.strip(), group[0].x0, max(p.x1 for p in group), group[0].y,
                        max(p.size for p in group)))
    return out


def _drop_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    def at_edge(line: Line, height: float) -> str | None:
        if line.y <= EDGE_BAND * height:
            return "top"
        if line.y >= (1 - EDGE_BAND) * height:
            return "bottom"
        return None

    repeats: Counter = Counter()
    for lines, height in zip(pages, heights):
        seen = {(at_edge(ln, height), _DIGITS.sub("#", ln.text)) for ln in lines if at_edge(ln, height)}
        repeats.update(seen)
    running = {key for key, n in repeats.items() if n >= 2 and n >= 0.5 * len(pages)}
    out = []
    for lines, height in zip(pages, heights):
        kept = [ln for ln in lines
                if (at_edge(ln, height), _DIGITS.sub("#", ln.text)) not in running]
        # a page number opens or closes a page (after the running lines are gone)
        while kept and PAGE_NUMBER.fullmatch(kept[-1].text) and at_edge(kept[-1], height):
            kept.pop()
        while kept and PAGE_NUMBER.fullmatch(kept[0].text) and at_edge(kept[0], height):
            kept.pop(0)
        out.append(kept)
    return out


def _median(values: list[float], default: float) -> float:
    """The lower median: of two pitches, one of them a gap, the line pitch is the smaller."""
    values = sorted(values)
    return values[(len(values) - 1) // 2] if values else default


def pages_to_text(pages: list[list[Line]], heights: list[float]) -> str:
    """The text of a document laid out on pages of lines (each page's lines in reading order)."""
    pages = _drop_running_lines(pages, heights)
    body = [ln for lines in pages for ln in lines]
    if not body:
        return ""
    left = min(ln.x0 for ln in body)
    right = max(ln.x1 for ln in body)
    # Does the document indent its paragraphs? Then a flush line after a full one continues it even after a
    # full stop; otherwise a full stop at the margin is taken as the paragraph's end.
    indents = sum(1 for ln in body if 1.5 * ln.size <= ln.x0 - left <= 2.5 * ln.size) >= 2
    out: list[str] = []
    prev: Line | None = None
    for lines in pages:
        pitches = [b.y - a.y for a, b in zip(lines, lines[1:]) if b.y > a.y]
        pitch = _median(pitches, 0.0)
        for i, ln in enumerate(lines):
            if prev is None:
                out.append(ln.text)
            else:
                gap = ln.y - lines[i - 1].y if i else 0.0  # a page break is no blank line
                full = prev.x1 >= right - (FULL_LINE_SLACK + _unbreakable_head(ln.text)) * prev.size
                indented = ln.x0 > left + INDENT * ln.size
                if i and pitch and gap > BLANK_GAP * pitch:
                    out.append("")
                    out.append(ln.text)
                elif prev.text[-1] in OPENING:  # no paragraph ends on an opening bracket: （国发〔 | 2015〕
                    out[-1] += ln.text
                elif full and not indented and not (prev.text[-1] in SENTENCE_END and not indents):
                    glue = " " if _LATIN_END.search(out[-1]) and _LATIN_START.match(ln.text) else ""
                    out[-1] += glue + ln.text
                else:
                    out.append(ln.text)
            prev = ln
    return "\n".join(out)

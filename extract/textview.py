"""The extractor's view of a traditional-character or noisy document: simplified, de-noised, with an offset map.

Pages in traditional characters (`雲政發〔2021〕20號`) must meet their simplified documents in the graph, and
scraped text carries noise between characters (zero-width spaces, soft hyphens, a BOM in the middle, spaces
inside a title, a marker such as `@@` every few characters) that breaks numbers and titles. Rather than teach
every rule of the extractor both scripts and every kind of noise, the extractor reads such a document through a
*view*: a copy with the noise removed and traditional characters converted to simplified ones (OpenCC t2s,
character for character, so the conversion keeps lengths; in a text that is simplified but for a few
characters, only inside its numbers), plus a map from the view's offsets back to the decoded text. Numbers,
titles, issuers and carried titles are read on the view and so come out simplified and clean; a citation's
`start`/`end` are mapped back, its `sentence` is cut from the original text and its `doc_number_raw` is the
number as the original writes it.

Speed: most documents are plain simplified text and must cost what they cost without this module. The tests
that decide whether a document needs a view (`needs_view`, `fields_need_view`) look only at what the extractor
anchors on anyway -- its numbers, 《titles》 and own title, or the first PREFIX_CHARS of a document where it
found no title -- never at the whole text: a full scan for traditional characters would cost about a third of
the extraction time. A document whose numbers, titles and own title are plain is read as it is (every
traditional rendering of the dev gold documents shows itself in one of them), so one that is traditional or
noisy only away from all of these (a cue phrase broken by noise) is read as it is.

What counts as noise (data/scrape_noise.tsv):
  - `invisible` characters are dropped everywhere;
  - a repeated marker is found from the data: a run of 1-4 symbols (no letter, digit, `_`, space or content
    punctuation) standing inside running text (a Han character on one side, no white space on the other) at
    least MARKER_MIN_COUNT times, at least once every MARKER_MAX_GAP Han characters over the stretch where it
    occurs -- far more often than any symbol stands inside running text by chance. Every occurrence of such a
    marker is dropped. Letters and digits are never markers (list markers such as `2.`, ASCII in numbers,
    PPP), nor is `content` punctuation (a half-width comma, a table bar), however often it appears;
  - pinyin notes: pages that render ruby annotations as text write a syllable in parentheses after each
    character (`滬府發(fā)〔2017〕92號`, `國(guó)務(wù)院`). Where a text holds MARKER_MIN_COUNT notes or more with a
    `tone` letter (a tone-marked vowel, ü), every note of pinyin letters right after a Han character is dropped,
    toneless ones (`的(de)`) included;
  - `space` characters standing alone between two Han characters of a 《title》 are dropped when the title has
    TITLE_MIN_SPACES of them or more (scraped in: 国务院 关于 进一步 …); fewer may be meant (最高人民法院
    最高人民检察院关于…) and are kept -- title keys ignore white space anyway. The reported own title and
    carried titles follow the same rule.
"""
from __future__ import annotations

import bisect
import functools
import re

from polgraph.data import table_rows

PREFIX_CHARS = 200  # looked at when nothing else was found: a traditional document shows it in its first lines
MARKER_MIN_COUNT = 5
MARKER_MAX_GAP = 20  # Han characters per marker occurrence, at most, over the stretch the marker covers
MARKER_MAX_LEN = 4
TITLE_MIN_SPACES = 3
# Traditional characters per Han character from which a text is taken as written in traditional characters
# (30-44% of the Han characters of the dev gold texts converted with OpenCC s2t; a simplified text holds a handful at
# most, 昇腾 or 乾隆)
TRADITIONAL_SHARE = 0.05

HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # BMP ideographs, compatibility ones included
_HAN = "".join(f"{chr(a)}-{chr(b)}" for a, b in HAN_RANGES)
_HAN_RE = re.compile(f"[{_HAN}]")
_TITLE_SPAN = re.compile(r"《[^《》\n]{1,200}》")


@functools.lru_cache(maxsize=1)
def _noise_table() -> dict[str, frozenset[str]]:
    """role -> characters, from data/scrape_noise.tsv."""
    by_role: dict[str, set[str]] = {}
    for n, parts in table_rows("scrape_noise.tsv"):
        if len(parts) < 2 or not parts[0].startswith("U+"):
            raise ValueError(f"scrape_noise.tsv line {n}: expected U+XXXX<TAB>role<TAB>name")
        by_role.setdefault(parts[1].strip(), set()).add(chr(int(parts[0][2:], 16)))
    return {role: frozenset(chars) for role, chars in by_role.items()}


def _class(chars) -> str:
    return "".join(re.escape(c) for c in sorted(chars))


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc  # Apache-2.0; loaded on the first document that needs it

    return opencc.OpenCC("t2s.json")


@functools.lru_cache(maxsize=1)
def _traditional_chars() -> dict[str, str]:
    """Every Han character (BMP) that OpenCC's t2s converts on its own, mapped to its simplified form: the
    characters that mark a text as traditional, and the fallback table when a phrase changes lengths. Read from
    data/traditional_chars.tsv (scripts/traditional_chars.py writes it from OpenCC; a test compares), so that a
    plain document never loads OpenCC."""
    out = {}
    for n, parts in table_rows("traditional_chars.tsv"):
        if len(parts) != 2 or len(parts[0]) != 1 or len(parts[1]) != 1:
            raise ValueError(f"traditional_chars.tsv line {n}: expected one character<TAB>one character")
        out[parts[0]] = parts[1]
    return out


def _ranges_class(chars) -> str:
    """A regex class of `chars` as ranges: far fewer items for the regex parser than one a character."""
    out, start, prev = [], None, None
    for cp in sorted(map(ord, chars)):
        if start is not None and cp == prev + 1:
            prev = cp
            continue
        if start is not None:
            out.append((start, prev))
        start = prev = cp
    if start is not None:
        out.append((start, prev))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in out)


@functools.lru_cache(maxsize=1)
def _suspect_chars() -> re.Pattern:
    """A traditional or an invisible character."""
    return re.compile(f"[{_ranges_class(set(_traditional_chars()) | _noise_table()['invisible'])}]")


def _symbol_class() -> str:
    """The characters a noise marker is made of, as a regex class: any character but a letter, a digit, `_`,
    white space, an invisible one or content punctuation (Han characters are letters)."""
    table = _noise_table()
    return f"[^\\s\\w{_class(table['content'] | table['invisible'])}]"


@functools.lru_cache(maxsize=1)
def _marker_run() -> re.Pattern:
    """A run of symbols that could be a noise marker."""
    return re.compile(_symbol_class() + "+")


def _has_marker(s: str) -> bool:
    """`s` holds a run of symbols inside running text as noise_markers counts it (a Han character on one side,
    no white space on the other)."""
    han = _HAN_RE.match
    for m in _marker_run().finditer(s):
        a, b = m.span()
        if b - a <= MARKER_MAX_LEN and a and b < len(s):
            before, after = s[a - 1], s[b]
            if (han(before) and not after.isspace()) or (han(after) and not before.isspace()):
                return True
    return False


@functools.lru_cache(maxsize=1)
def _pinyin_notes() -> tuple[re.Pattern, re.Pattern]:
    """(a note of pinyin letters in parentheses right after a Han character, one that holds a `tone` letter)."""
    tone = _class(_noise_table()["tone"])
    syllable = f"[a-z{tone}]{{1,6}}"
    toned = f"(?=[a-z]{{0,5}}[{tone}])"
    return (re.compile(f"(?<=[{_HAN}])[(（]{syllable}[)）]"),
            re.compile(f"(?<=[{_HAN}])[(（]{toned}{syllable}[)）]"))


def _has_pinyin_note(s: str) -> bool:
    return _pinyin_notes()[1].search(s) is not None


def _pinyin_note_cuts(text: str) -> list[tuple[int, int]]:
    """The pinyin notes of `text` when it is annotated (MARKER_MIN_COUNT toned notes or more), else none."""
    notes, toned = _pinyin_notes()
    found = 0
    for _ in toned.finditer(text):
        found += 1
        if found >= MARKER_MIN_COUNT:
            return [m.span() for m in notes.finditer(text)]
    return []


@functools.lru_cache(maxsize=1)
def _space_between_han() -> re.Pattern:
    """One space character alone between two Han characters (a run of two or more is layout: 疫情  坚决…)."""
    space = f"[{_class(_noise_table()['space'])}]"
    return re.compile(f"{space}(?<=[{_HAN}]{space})(?=[{_HAN}])")


def _spaced_out(title: str) -> bool:
    """A title with single spaces between Han characters in TITLE_MIN_SPACES places or more: scraped in. A title
    may hold one or two on purpose (最高人民法院 最高人民检察院关于…, an issuer apart); title keys ignore them."""
    return len(_space_between_han().findall(title)) >= TITLE_MIN_SPACES


# ------------------------------------------------------------------------------------ does it need a view?

def _suspect(s: str) -> bool:
    """`s` (titles, one a line) holds a traditional or invisible character, a marker-like symbol between Han
    characters, or a spaced-out title."""
    return (_suspect_chars().search(s) is not None or _has_marker(s) or _has_pinyin_note(s)
            or (_space_between_han().search(s) is not None and any(map(_spaced_out, s.split("\n")))))


def needs_view(text: str, numbers, titles) -> bool:
    """True when a 《title》 or a number of the document (or the character just before a number) shows a
    traditional or invisible character, a marker-like symbol between Han characters, or, in a title, a space
    between Han characters. Looks at nothing else of the text (see the module doc)."""
    if titles:
        verdicts = _TITLE_VERDICTS
        for t in titles:
            verdict = verdicts.get(t[0])
            if verdict is None:
                verdict = _title_verdict(t[0])
            if verdict:
                return True
    if numbers:
        marker_run = _marker_run()
        for n in numbers:
            if n.start and marker_run.match(text, n.start - 1):
                return True  # 国@@办发〔2015〕33号 is found as 办发〔2015〕33号
            if n.start and text[n.start - 1] in ")）" and _has_pinyin_note(text[max(0, n.start - 9):n.start]):
                return True  # 沪(hù)府(fǔ)发(fā)〔2017〕92号 is found as 〔2017〕92号
        if _suspect_chars().search("".join([n.number.raw for n in numbers])) is not None:
            return True
    return False


def fields_need_view(text: str, own: dict) -> bool:
    """needs_view for the own title extract_metadata found (a noisy or traditional issuer or carried title
    comes with a noisy or traditional own title or 《title》); for a document where it found no title, for
    the first PREFIX_CHARS of its text."""
    title = own["title"]
    if not title:
        s = text[:PREFIX_CHARS]
        return _suspect_chars().search(s) is not None or _has_marker(s) or _has_pinyin_note(s)
    verdict = _TITLE_VERDICTS.get(title)
    return _title_verdict(title) if verdict is None else verdict


# Verdicts of _suspect on titles seen: the same titles recur across a corpus (《中华人民共和国宪法》), and a
# regex class of some 4,000 characters is scanned at ~5-20 ns a character; a dict lookup costs less than
# the call. Bounded: emptied when it grows past _MAX_VERDICTS.
_TITLE_VERDICTS: dict[str, bool] = {}
_MAX_VERDICTS = 1 << 16


def _title_verdict(title: str) -> bool:
    verdict = _suspect(title)
    if len(_TITLE_VERDICTS) >= _MAX_VERDICTS:
        _TITLE_VERDICTS.clear()
    _TITLE_VERDICTS[title] = verdict
    return verdict


# ------------------------------------------------------------------------------------ the view

class TextView:
    """`text` is what the extractor reads; `original` the decoded text; offsets map view -> original."""

    __slots__ = ("text", "original", "_view_starts", "_orig_starts")

    def __init__(self, text: str, original: str, runs: list[tuple[int, int, int]]):
        self.text, self.original = text, original
        self._view_starts = [r[0] for r in runs]
        self._orig_starts = [r[1] for r in runs]

    def _at(self, v: int) -> int:
        k = bisect.bisect_right(self._view_starts, v) - 1
        return self._orig_starts[k] + (v - self._view_starts[k])

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that view[start:end] was made from (what was dropped inside kept)."""
        if not self.text:
            return 0, 0
        if end <= start:
            s = self._at(min(start, len(self.text) - 1)) if start < len(self.text) else len(self.original)
            return s, s
        return self._at(start), self._at(end - 1) + 1


def _delete(text: str, runs: list[tuple[int, int, int]], cuts: list[tuple[int, int]]):
    """text without the spans `cuts` (sorted, in text's offsets), and its runs (view start, original start,
    length) composed with `runs`, the map of `text` to the original."""
    if not cuts:
        return text, runs
    kept, prev = [], 0
    for a, b in cuts:
        if a > prev:
            kept.append((prev, a))
        prev = max(prev, b)
    if prev < len(text):
        kept.append((prev, len(text)))
    starts = [r[0] for r in runs]
    pieces, new_runs, out_len = [], [], 0
    for a, b in kept:
        pieces.append(text[a:b])
        k = bisect.bisect_right(starts, a) - 1
        while a < b:
            rs, os_, ln = runs[k]
            e = min(b, rs + ln)
            o = os_ + (a - rs)
            if new_runs and new_runs[-1][1] + new_runs[-1][2] == o and new_runs[-1][0] + new_runs[-1][2] == out_len:
                last = new_runs.pop()
                new_runs.append((last[0], last[1], last[2] + e - a))
            else:
                new_runs.append((out_len, o, e - a))
            out_len += e - a
            a = e
            k += 1
    return "".join(pieces), new_runs


def noise_markers(text: str) -> list[str]:
    """The repeated noise markers of `text` (see the module doc), longest first."""
    han_at = [m.start() for m in _HAN_RE.finditer(text)]
    between: dict[str, list[int]] = {}
    for m in _marker_run().finditer(text):
        a, b = m.span()
        if b - a > MARKER_MAX_LEN or not a or b >= len(text):
            continue
        before, after = text[a - 1], text[b]
        # inside running text: a Han character on one side and no white space on the other
        if ((_HAN_RE.match(before) and not after.isspace()) or (_HAN_RE.match(after) and not before.isspace())):
            between.setdefault(m.group(), []).append(a)
    markers = []
    for token, at in between.items():
        if len(at) < MARKER_MIN_COUNT:
            continue
        han = bisect.bisect_right(han_at, at[-1]) - bisect.bisect_left(han_at, at[0])
        if han <= MARKER_MAX_GAP * len(at):
            markers.append(token)
    return sorted(markers, key=lambda t: (-len(t), t))


def _marker_cuts(text: str, markers: list[str]) -> list[tuple[int, int]]:
    pattern = re.compile("|".join(map(re.escape, markers)))
    return [m.span() for m in pattern.finditer(text)]


def _title_space_cuts(text: str) -> list[tuple[int, int]]:
    """The single spaces between Han characters of the spaced-out 《titles》 of `text`."""
    spaces = _space_between_han()
    cuts = []
    for t in _TITLE_SPAN.finditer(text):
        found = [m.span() for m in spaces.finditer(text, t.start(), t.end())]
        if len(found) >= TITLE_MIN_SPACES:
            cuts.extend(found)
    return cuts


def simplified(text: str) -> str:
    """`text` in simplified characters, of the same length (OpenCC t2s; character by character where a phrase
    would change the length). Text without traditional characters is returned as it is."""
    if not text or _suspect_chars().search(text) is None:
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    table = _traditional_chars()
    out = []
    for line in text.splitlines(keepends=True):
        c = _converter().convert(line)
        out.append(c if len(c) == len(line) else "".join([table.get(ch, ch) for ch in line]))
    return "".join(out)


def _simplified_view(text: str) -> str:
    """`text` simplified (lengths kept): all of it when it is written in traditional characters, else only its
    numbers. A simplified text may hold a character that OpenCC would convert but that is meant (昇腾, a
    brand; 乾隆): it is converted only where it is part of a 文号 (根据雲政發〔2021〕20號文件)."""
    suspect = _suspect_chars()
    found = suspect.findall(text)
    if not found:
        return text
    if len(found) >= TRADITIONAL_SHARE * len(_HAN_RE.findall(text)):
        return simplified(text)
    from polgraph.extract.docnumber import find_docnumbers

    pieces, at = [], 0
    for n in find_docnumbers(text):
        raw = text[n.start:n.end]
        if suspect.search(raw) is not None:
            pieces += [text[at:n.start], simplified(raw)]
            at = n.end
    return "".join(pieces) + text[at:] if pieces else text


def build_view(text: str) -> TextView | None:
    """The simplified, de-noised view of `text`, or None when it would be `text` itself."""
    runs = [(0, 0, len(text))]
    invisible = _noise_table()["invisible"]
    view = text
    cuts = [m.span() for m in re.finditer(f"[{_class(invisible)}]+", view)]
    view, runs = _delete(view, runs, cuts)
    # before the markers: a note's parentheses stand between Han characters and letters as often as a marker
    view, runs = _delete(view, runs, _pinyin_note_cuts(view))
    markers = noise_markers(view)
    if markers:
        view, runs = _delete(view, runs, _marker_cuts(view, markers))
    view, runs = _delete(view, runs, _title_space_cuts(view))
    view = _simplified_view(view)
    if view == text:
        return None
    return TextView(view, text, runs)


def clean_spaces(s: str | None) -> str | None:
    """A reported title without the spaces scraped into it between Han characters (when it is spaced out)."""
    if not s or not _spaced_out(s):
        return s
    return _space_between_han().sub("", s)

"""Cue phrases -> the relation of a citation (data/cues.tsv; GUIDELINES "relation").

The verb in the clause before a mention decides (按照《X》精神 is BASED_ON); a phrase after the mention
(《X》同时废止) can decide instead. The clause is bounded: clause punctuation, a sentence end, a hard
line break or MAX_WINDOW characters, whichever comes first; bracketed parts (other titles, numbers in
parentheses) are skipped over, so every title of a list `根据《A》和《B》` sees the same 根据.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.resources import files

MAX_WINDOW = 120        # characters looked back from a mention for its cue
MAX_POST_WINDOW = 1500  # characters looked ahead to the end of the sentence for a post-cue
CLAUSE_END = set("，,；;。！？!?：:")
SENTENCE_END = set("。！？!?；;")
_CLOSERS = {"》": "《", "）": "（", ")": "(", "〕": "〔", "]": "[", "】": "【", "〉": "〈", ">": "<", "”": "“"}

from polgraph.vocabulary import RELATIONS  # noqa: E402  (data/relations.tsv)


@dataclass(frozen=True)
class Cue:
    phrase: str
    relation: str   # a RELATIONS value, or FUTURE (to be drafted: not a citation) or NONE (no relation)
    position: str   # pre | post


@functools.lru_cache(maxsize=1)
def load_cues() -> tuple[tuple[Cue, ...], tuple[Cue, ...]]:
    """The (pre, post) cue tables from data/cues.tsv, longest phrase first."""
    pre, post = [], []
    text = files("polgraph.data").joinpath("cues.tsv").read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 3 or parts[2] not in ("pre", "next", "post"):
            raise ValueError(f"data/cues.tsv line {n}: expected phrase<TAB>relation<TAB>pre|next|post")
        cue = Cue(parts[0], parts[1], parts[2])
        (post if cue.position == "post" else pre).append(cue)
    key = lambda c: -len(c.phrase)  # noqa: E731
    return tuple(sorted(pre, key=key)), tuple(sorted(post, key=key))


@functools.lru_cache(maxsize=1)
def _pre_regex():
    pre, _ = load_cues()
    by_phrase = {c.phrase: c for c in pre}
    # Search the reversed window so that the match nearest the mention comes first, longest first.
    alts = sorted((p[::-1] for p in by_phrase), key=lambda s: -len(s))
    return re.compile("|".join(map(re.escape, alts))), by_phrase


# A character right before a newline that makes it a paragraph end (_hard_break's first test, for callers that
# look at text[i - 1] themselves before calling it).
PARAGRAPH_END_BEFORE = frozenset("。！？；：:;!?\n")


def _hard_break(text: str, i: int) -> bool:
    """Is the newline at text[i] a paragraph end (not a PDF line wrap inside a sentence)?"""
    j = i - 1
    while j >= 0 and text[j] in " \t\u3000\r":
        j -= 1
    if j < 0 or text[j] in PARAGRAPH_END_BEFORE:
        return True
    k = i + 1
    if k < len(text) and text[k] in " \t\u3000\n":
        return True
    return False


_CONTINUES_LIST = ("以及", "及", "和", "与", "并", "或")


# Where the backward walk of clause_before must stop and look: clause punctuation, line breaks, closing brackets.
_CLAUSE_STOPS = "[" + re.escape("".join(sorted(CLAUSE_END | set(_CLOSERS))) + "\n") + "]"
# The last stop character of a window: `.*` runs to the window's end and backs off to it (a backward scan in C).
_LAST_CLAUSE_STOP = re.compile("(?s).*" + _CLAUSE_STOPS)


def clause_before(text: str, start: int, limit: int = MAX_WINDOW) -> str:
    """The clause before text[start], bracketed parts dropped (each replaced by a space), newest last.

    `limit` counts the characters kept; a clause that opens with 以及/和 (`参照…，以及《X》`) continues the
    enumeration of the clause before it, so the search goes on past that comma.
    """
    return clause_and_stop(text, start, limit)[0]


def clause_and_stop(text: str, start: int, limit: int = MAX_WINDOW) -> tuple[str, int]:
    """(clause_before(text, start, limit), k): no clause stop (CLAUSE_END, a closing bracket, a line break)
    stands in text[k + 1:start] -- so no sentence end either, and a search for the sentence's start may
    begin at k (k < 0 or below the window: none in the whole window)."""
    stop = start - 4 * limit
    if stop < 0:
        stop = 0
    # the common case: plain characters back to a clause end (or a paragraph start), nothing to skip
    m = _LAST_CLAUSE_STOP.match(text, stop, start)
    if m is None:
        return _clause_walk(text, start, limit, stop), stop - 1
    k = m.end() - 1
    if start - k <= limit:
        ch = text[k]
        if ch in CLAUSE_END:
            clause = text[k + 1:start]
            if (ch != "，" and ch != ",") or not clause.lstrip().startswith(_CONTINUES_LIST):
                return clause, k
        elif ch == "\n" and (k == 0 or text[k - 1] in PARAGRAPH_END_BEFORE or _hard_break(text, k)):
            return text[k + 1:start], k
    return _clause_walk(text, start, limit, stop), k


def _clause_walk(text: str, start: int, limit: int, stop: int) -> str:
    """clause_before by a walk back over stops: brackets skipped, a long clause cut at `limit`, a clause
    opening with 以及/和 continued past its comma."""
    out = []  # pieces in backward order
    i = start - 1
    kept = 0
    while i >= stop and kept < limit:
        m = _LAST_CLAUSE_STOP.match(text, stop, i + 1)
        k = m.end() - 1 if m is not None else stop - 1  # the next stop character, going back
        if k < i:
            take = min(i - k, limit - kept)  # a run of plain characters, kept whole up to the limit
            out.append(text[i - take + 1:i + 1])
            kept += take
            i -= take
            if kept >= limit or i < stop:
                break
        ch = text[i]
        if ch in CLAUSE_END:
            if ch in "，," and "".join(reversed(out)).lstrip().startswith(_CONTINUES_LIST):
                out.append(" ")
                i -= 1
                continue
            break
        if ch == "\n":
            if _hard_break(text, i):
                break
            i -= 1
            continue
        opener = _CLOSERS[ch]
        j = text.rfind(opener, stop, i)
        if j >= 0 and text.find("\n\n", j, i) < 0 and text.find("。", j, i) < 0:
            out.append(" ")
            i = j - 1
            continue
        out.append(ch)
        kept += 1
        i -= 1
    return "".join(reversed(out))


_DATED = re.compile(r"^\s*(?:(?:19|20)\d\d|[一二][〇○零0一二三四五六七八九]{3})\s*年")
_ADJACENT_GAP = re.compile(r"^[\s了、和及与]*$")


_HISTORY_VERBS = re.compile("修正|修改|修订")


@functools.lru_cache(maxsize=1 << 14)  # clauses repeat (根据, 依照): two in three in the law corpus
def find_pre_cue(clause: str, history: bool = False) -> Cue | None:
    """The cue nearest to the end of `clause` (the longest one where several end at the same place).

    A `next` cue counts only right before the mention; 根据 followed by a date opens a history clause
    (根据1997年…《决定》修正的《X》) and is passed over when the clause, or the mention itself
    (`history`: 《决定》修正), says so; 依据2021年…发布的《X》 keeps its 依据.
    """
    rx, by_phrase = _pre_regex()
    for m in rx.finditer(clause[::-1]):
        cue = by_phrase[m.group(0)[::-1]]
        after = clause[len(clause) - m.start():]
        if cue.position == "next" and not _ADJACENT_GAP.match(after):
            continue
        if cue.relation == "BASED_ON" and _DATED.match(after) and (history or _HISTORY_VERBS.search(after)):
            continue
        return cue
    return None


_SENTENCE_STOP = re.compile(r"[。！？!?；;\n]")


def sentence_end(text: str, end: int, limit: int = MAX_POST_WINDOW) -> int:
    """Where the sentence holding text[end] ends: at 。！？； or a hard line break (not at a PDF wrap)."""
    stop = end + limit
    if stop > len(text):
        stop = len(text)
    pos = end
    while True:
        m = _SENTENCE_STOP.search(text, pos, stop)
        if m is None:
            return stop
        i = m.start()
        if text[i] != "\n" or i == 0 or text[i - 1] in PARAGRAPH_END_BEFORE or _hard_break(text, i):
            return i
        pos = i + 1


def sentence_after(text: str, end: int, limit: int = MAX_POST_WINDOW) -> str:
    """Text from `end` to the end of its sentence, line breaks removed."""
    return text[end:sentence_end(text, end, limit)].replace("\n", "")


@functools.lru_cache(maxsize=1)
def _post_regex():
    """The post cues as one alternation in table order (longest first): its match is the first cue that the
    text starts with; phrase -> that cue."""
    _, post = load_cues()
    first_cue: dict[str, Cue] = {}
    for cue in post:
        first_cue.setdefault(cue.phrase, cue)
    return re.compile("|".join(re.escape(c.phrase) for c in post)), first_cue


@functools.lru_cache(maxsize=1)
def _post_openers() -> frozenset[str]:
    """Characters a post cue or a list joiner starts with, and those _AFTER_MENTION may skip first."""
    _, post = load_cues()
    return frozenset(c.phrase[0] for c in post) | frozenset(j[0] for j in _LIST_JOINERS) | frozenset("（(")


_AFTER_MENTION = re.compile(r"^\s*(?:[（(][^（()）]{0,60}[)）])?\s*")
_LIST_JOINERS = ("，", ",", "、", "和", "及", "以及", "与", "等")


def find_post_cue(text: str, end: int, stop: int | None = None) -> tuple[Cue | None, bool]:
    """(cue, adjacent) after the mention ending at `end`: 《X》（…）同时废止 / 《X》精神 (adjacent), or a
    repeal at the end of the sentence when the mention heads a list item (《A》，《B》同时废止).
    `stop` is sentence_end(text, end) when the caller has it already."""
    if end < len(text) and not text[end].isspace() and text[end] not in _post_openers():
        return None, False  # nothing after the mention can start a cue: most mentions stop here
    tail = text[end:sentence_end(text, end) if stop is None else stop].replace("\n", "")
    # the rest of a sentence repeats (，制定本条例; 同时废止: 4 in 9 in the law corpus); long ones are not kept
    return _post_cue_in_short(tail) if len(tail) <= 120 else _post_cue_in(tail)


def _post_cue_in(tail: str) -> tuple[Cue | None, bool]:
    """find_post_cue on the rest of the sentence after the mention, line breaks removed."""
    rx, first_cue = _post_regex()
    m = _AFTER_MENTION.match(tail)
    rest = m.end() if m else 0
    c = rx.match(tail, rest)
    if c is not None:
        return first_cue[c.group()], True
    if tail.startswith(_LIST_JOINERS, rest):
        repeals, ends = _repeal_cues()
        stripped = tail.rstrip()
        if stripped.endswith(ends):
            for cue in repeals:
                if stripped.endswith(cue.phrase):
                    return cue, False
    return None, False


_post_cue_in_short = functools.lru_cache(maxsize=1 << 12)(_post_cue_in)


@functools.lru_cache(maxsize=1)
def _repeal_cues() -> tuple[tuple[Cue, ...], tuple[str, ...]]:
    """The REPEALS post cues in table order, and their phrases (one endswith test rules them all out)."""
    _, post = load_cues()
    repeals = tuple(c for c in post if c.relation == "REPEALS")
    return repeals, tuple(c.phrase for c in repeals)


def describes_history(text: str, end: int) -> bool:
    """《X》修正的 / 修改的 / 发布的…: the mention names an earlier instrument in a history clause."""
    tail = text[end:end + 24]
    m = _AFTER_MENTION.match(tail)
    rest = tail[m.end():] if m else tail
    return rest.startswith(("修正", "修改", "修订", "第一次修正", "第二次修正", "第一次修改", "第二次修改"))


_INTRO_LINE_END = re.compile(r"[：:][ \t\u3000]*\n")


def find_list_cue(text: str, start: int, limit: int = 1500) -> Cue | None:
    """The cue of the line that introduces a list (`现对以下规范性文件宣布失效：`), for an item at `start`: the last
    intro line within `limit` characters before it."""
    last = None
    for last in _INTRO_LINE_END.finditer(text, max(0, start - limit), start):
        pass
    return intro_line_cue(text, last.start()) if last is not None else None


def intro_line_cue(text: str, colon: int) -> Cue | None:
    """The cue of the list intro line whose closing colon is text[colon]: its last cue phrase (the longest of
    those ending at the same place)."""
    line_start = text.rfind("\n", 0, colon) + 1
    intro = text[line_start:colon]
    pre, post = load_cues()
    best = None
    for cue in pre + post:
        k = intro.rfind(cue.phrase)
        if k >= 0 and (best is None or k + len(cue.phrase) > best[0] or
                       k + len(cue.phrase) == best[0] and len(cue.phrase) > len(best[1].phrase)):
            best = (k + len(cue.phrase), cue)
    return best[1] if best else None

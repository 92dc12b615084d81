"""Necessary-condition prefilters: the literal strings a regular expression cannot match without.

A rule whose patterns live in a data table (portal chrome lines, labels, lifecycle phrases) often runs a slow
path -- a Python loop over lines, many regexes -- on every document, while only a few documents hold anything it
could find. `required_literals(pattern)` reads a pattern's syntax tree and returns a set of strings such that
every match of the pattern contains one of them (`责任编辑|编辑` then `[：:]` gives {责任编辑, 编辑}); a text
that holds none of a rule's literals is skipped without running it. The literals come from the patterns
themselves, so a pattern added to a table is covered without a second list to keep; a pattern from which no
literal can be read (`.+`, a case-insensitive one) gives None, and the caller then keeps the slow path.
"""
from __future__ import annotations

import re
from itertools import product

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MAX_STRINGS = 64   # a product of alternatives larger than this is cut (the run so far is kept as a candidate)
MAX_CLASS = 12     # a character class of more characters is no literal
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT) + ((_c.POSSESSIVE_REPEAT,) if hasattr(_c, "POSSESSIVE_REPEAT") else ())


def _exact(item) -> set[str] | None:
    """The finite set of strings one parsed item matches, or None (a repeat, a category, a large class)."""
    op, av = item
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.AT:
        return {""}
    if op is _c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _c.LITERAL:
                chars.add(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < MAX_CLASS:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:
                return None
        return chars if 0 < len(chars) <= MAX_CLASS else None
    if op is _c.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return _exact_seq(sub) if not add_flags and not del_flags else None
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            e = _exact_seq(branch)
            if e is None:
                return None
            out |= e
        return out if len(out) <= MAX_STRINGS else None
    if op in _REPEATS and av[0] == av[1] == 1:
        return _exact_seq(av[2])
    return None


def _exact_seq(seq) -> set[str] | None:
    out = {""}
    for item in seq:
        e = _exact(item)
        if e is None:
            return None
        out = {a + b for a, b in product(out, e)}
        if len(out) > MAX_STRINGS:
            return None
    return out


def _score(strings: set[str]) -> tuple[int, int]:
    return min(map(len, strings)), -len(strings)


def _best(candidates: list[set[str]]) -> set[str] | None:
    candidates = [c for c in candidates if c and "" not in c]
    return max(candidates, key=_score) if candidates else None


def _candidates(seq) -> list[set[str]]:
    """Sets of strings each of which every match of `seq` contains one of: runs of exact items multiplied out,
    and what the mandatory items (a group, a repeat of at least one, an alternation) require."""
    out: list[set[str]] = []
    run = {""}

    def close():
        nonlocal run
        if run != {""}:
            out.append(run)
        run = {""}

    for item in seq:
        e = _exact(item)
        if e is not None:
            joined = {a + b for a, b in product(run, e)}
            if len(joined) > MAX_STRINGS:
                close()
                joined = e
            run = joined
            continue
        close()
        op, av = item
        if op is _c.SUBPATTERN and not av[1] and not av[2]:
            out.extend(_candidates(av[3]))
        elif op in _REPEATS and av[0] >= 1:
            out.extend(_candidates(av[2]))
        elif op is _c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                best = _best(_candidates(branch))
                if best is None:
                    union = set()
                    break
                union |= best
            if union:
                out.append(union)
    close()
    return out


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings such that every match of `pattern` (a `re` pattern, no flags) contains at least one of them, the
    longest such set found; None when none can be read (the pattern can match without any fixed text, or is
    case-insensitive)."""
    parsed = _p.parse(pattern)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None

    def has_local_flags(seq) -> bool:
        for op, av in seq:
            if op is _c.SUBPATTERN and (av[1] or av[2] or has_local_flags(av[3])):
                return True
            if op is _c.BRANCH and any(has_local_flags(b) for b in av[1]):
                return True
            if op in _REPEATS and has_local_flags(av[2]):
                return True
            if op in (_c.ASSERT, _c.ASSERT_NOT) and has_local_flags(av[1]):
                return True
        return False

    if has_local_flags(parsed):
        return None
    best = _best(_candidates(parsed))
    return frozenset(best) if best else None


def shortest_literals(literals) -> list[str]:
    """`literals` without those that hold another of them (位置 is found wherever 当前位置 is), sorted."""
    ordered = sorted(set(literals), key=lambda s: (len(s), s))
    kept: list[str] = []
    for s in ordered:
        if not any(k in s for k in kept):
            kept.append(s)
    return sorted(kept)

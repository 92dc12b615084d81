"""A document's own lifecycle read from its text: when it takes effect, when it expires, what it repeals then.

Phrases are data (data/lifecycle_phrases.tsv). A clause counts as the document's own only when it speaks of the
document itself: `本条例自2021年3月1日起施行`, `现予公布，自…起施行` (nothing else before 自 in its clause), a
head line `2021年3月1日 施行`; `《X》自…起施行` (another document's date) does not.

  effective  {"date", "phrase", "original_version", "sentence", "start", "end"} or None
             phrase: on_date (自2021年3月1日起施行) | on_issue (自印发之日起施行: the document's own date) |
                     after_issue (自发布之日起30日后施行) | head_line (a head line `2021年3月1日 施行`) |
                     field (a page's metadata field `【施行日期】2022.06.20`)
             original_version: the text's history names an amendment after that date, so the date is the
                     first version's, not this version's (a consolidated law keeps its 1997 施行 article)
  expires    {"date", "phrase", "sentence", "start", "end"} or None; date is the last day in force
             phrase: term (有效期5年: from the effective date, else the document's date) | until (有效期至…)
  repeals    [{"title", "doc_number", "date", "sentence", "start", "end"}]: REPEALS citations that take effect
             with the document (《X》同时废止), date = the effective date
"""
from __future__ import annotations

import calendar
import datetime
import functools
import re

from polgraph.data import table_rows
from polgraph.extract.dates import _cn_number, parse_date
from polgraph.models import EFFECTIVE_KEYS, EXPIRY_KEYS

ROLES = ("subject", "verb", "event", "term", "until", "field", "distinct", "repeal")
HEAD_CHARS = 3000      # where a head line `2021年3月1日 施行` and a law's history are looked for
MAX_SENTENCE = 300
_SPACE = "[ \t\u3000]*"
_DATE = (r"(?:19|20)\d\d[ \t\u3000]*年[ \t\u3000]*\d{1,2}[ \t\u3000]*月[ \t\u3000]*\d{1,2}[ \t\u3000]*日"
         r"|[一二][〇○零OＯ0０一二三四五六七八九]{3}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日")
_NUMBER = r"\d{1,4}|[一二两三四五六七八九十百]{1,4}"
_CLAUSE_BREAK = "，,。；;！？!?：:\n"
_BEFORE_VERB = "起后日始式"  # what a clause has right before its verb (起施行, 之日施行, 开始施行 …)
CLAUSE_CHUNK = 4000    # the largest chunk; the first is FIRST_CHUNK, each next one four times larger
FIRST_CHUNK = 250      # a law's closing article (本条例自…起施行) is mostly within its last 250 characters
ANCHOR_CHARS = 3
CLAUSE_WINDOW = 80  # characters before its verb a clause starts within (自二〇二一年十二月三十一日起三十日后开始施行)
_SENTENCE_BREAK = "。；;！？!?\n"


@functools.lru_cache(maxsize=1)
def load_phrases() -> dict[str, tuple[str, ...]]:
    """role -> phrases (longest first) from data/lifecycle_phrases.tsv."""
    out: dict[str, list[str]] = {r: [] for r in ROLES}
    for n, parts in table_rows("lifecycle_phrases.tsv"):
        if len(parts) != 2 or parts[0] not in out or not parts[1].strip():
            raise ValueError(f"data/lifecycle_phrases.tsv line {n}: expected role<TAB>phrase, role one of "
                             + ", ".join(ROLES))
        out[parts[0]].append(parts[1].strip())
    return {r: tuple(sorted(set(p), key=lambda s: (-len(s), s))) for r, p in out.items()}


def _alts(words) -> str:
    return "|".join(map(re.escape, words))


@functools.lru_cache(maxsize=1)
def _patterns():
    p = load_phrases()
    subject = re.compile(f"本[\u4e00-\u9fff]{{0,8}}?(?:{_alts(p['subject'])}){_SPACE}(?:的)?{_SPACE}$")
    clause = re.compile(
        f"[自从于]{_SPACE}(?:(?P<date>{_DATE})|(?P<event>{_alts(p['event'])})之日){_SPACE}起?{_SPACE}"
        f"(?:(?P<n>{_NUMBER}){_SPACE}(?P<unit>日|天|个月|月){_SPACE}后{_SPACE})?(?:开始|正式)?"
        f"(?:{_alts(p['verb'])})(?![的之])")
    head_line = re.compile(f"^{_SPACE}[（(]?{_SPACE}(?P<date>{_DATE}){_SPACE}起?{_SPACE}(?:{_alts(p['verb'])})"
                           f"{_SPACE}[)）]?{_SPACE}$", re.M)
    term = re.compile(
        f"(?:{_alts(p['term'])}){_SPACE}(?:为|是)?{_SPACE}"
        f"(?:(?P<n>{_NUMBER}){_SPACE}(?P<unit>年|个月)|(?:{_alts(p['until'])}){_SPACE}"
        f"(?P<date>{_DATE}|(?:19|20)\\d\\d{_SPACE}年{_SPACE}(?:\\d{{1,2}}{_SPACE}月)?{_SPACE}(?:底|末)?))")
    history = re.compile(f"^{_SPACE}(?:[（(]|根据)?{_SPACE}(?P<date>{_DATE})[^\n]*", re.M)
    field = re.compile(f"【?(?:{_alts(p['field'])}){_SPACE}[】\\]:：]{_SPACE}"
                       f"(?P<date>{_DATE}|(?:19|20)\\d\\d[.\\-/]\\d{{1,2}}[.\\-/]\\d{{1,2}})")
    verbs = tuple(p["verb"])
    anchor = re.compile(f"[{_BEFORE_VERB}](?:{_alts(verbs)})")
    return (subject, clause, head_line, term, history, verbs, tuple(p["term"]), tuple(p["repeal"]), field,
            anchor)


# What every match of the patterns above holds, for the scans below to look for first: each _DATE holds 年, its
# month and 月 (_DATE_CORE: 年 is a literal `re` skips to); a head line ends with its date's 日 and a verb.
_DATE_CORE = re.compile(r"年[ \t\u3000]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t\u3000]*月")


@functools.lru_cache(maxsize=1)
def _head_line_end():
    verbs = load_phrases()["verb"]
    return re.compile(f"日{_SPACE}起?{_SPACE}(?:{_alts(verbs)}){_SPACE}[)）]?{_SPACE}$", re.M)


def head_line_search(text: str, end: int = HEAD_CHARS):
    """head_line.search(text[:end]), the multi-line regex tried only at the starts of the lines that end as a
    head line does (日, a verb; _head_line_end, one scan with a literal to skip to): `^` with re.M is tried at
    every position of the head."""
    head_line = _patterns()[2]
    for m in _head_line_end().finditer(text, 0, end):
        found = head_line.match(text, text.rfind("\n", 0, m.start()) + 1, end)
        if found is not None:
            return found
    return None


def field_search(text: str, end: int = HEAD_CHARS):
    """field.search(text[:end]), tried only where a field phrase starts (word_starts) and at a 【 right before
    it: the pattern opens with an optional 【, so `re` tries it at every position."""
    field = _patterns()[8]
    starts = word_starts(text, load_phrases()["field"], end)
    for start in sorted(starts | {i - 1 for i in starts if i > 0 and text[i - 1] == "【"}):
        m = field.match(text, start, end)
        if m is not None:
            return m
    return None


@functools.lru_cache(maxsize=8)
def _common_core(words: tuple[str, ...]) -> str | None:
    """The longest string that every word of `words` holds (日期 of 施行日期 and 生效日期), or None."""
    first = min(words, key=len, default="")
    for size in range(len(first), 0, -1):
        for i in range(len(first) - size + 1):
            core = first[i:i + size]
            if all(core in w for w in words):
                return core
    return None


@functools.lru_cache(maxsize=8)
def _word_scan(words: tuple[str, ...]) -> tuple[re.Pattern, dict[str, int]] | None:
    """A scan for the words of `words` by a character they all hold (期 of 有效期, 实施期限): that character, a
    literal `re` skips to, then each word around it (look-behind, look-ahead), and where the character stands
    in each word; None when they share none."""
    core = _common_core(words)
    if not core:
        return None
    c = core[0]
    offsets = {w: w.index(c) for w in words}
    branches = [f"(?<={re.escape(w[:k + 1])})" + (f"(?={re.escape(w[k + 1:])})" if w[k + 1:] else "")
                for w, k in offsets.items()]
    return re.compile(f"{re.escape(c)}(?:{'|'.join(branches)})"), offsets


@functools.lru_cache(maxsize=8)
def _by_last_char(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[-1:], []).append(w)
    return tuple(tuple(g) for g in groups.values())


def word_starts(text: str, words: tuple[str, ...], end: int | None = None) -> set[int]:
    """Where any word of `words` starts in `text[:end]` (overlapping occurrences too): one scan (_word_scan)
    instead of one str.find over the whole text per word."""
    end = len(text) if end is None else min(end, len(text))
    scan = _word_scan(words)
    starts = set()
    if scan is None and len(groups := _by_last_char(words)) > 1:
        # 施行日期 … 生效时间: no character common to all, one scan per last character (日期, 时间)
        return set().union(*(word_starts(text, group, end) for group in groups))
    if scan is None:
        for word in words:
            i = text.find(word, 0, end)
            while i >= 0:
                starts.add(i)
                i = text.find(word, i + 1, end)
        return starts
    rx, offsets = scan
    for m in rx.finditer(text, 0, end):
        q = m.start()
        for w, k in offsets.items():
            if q >= k and text.startswith(w, q - k, end):
                starts.add(q - k)
    return starts


def _clause_start(text: str, i: int) -> int:
    j = i - 1
    while j >= 0 and text[j] not in _CLAUSE_BREAK and i - j < 60:
        j -= 1
    return j + 1


def _sentence(text: str, start: int, end: int) -> str:
    a = start
    while a > 0 and text[a - 1] not in _SENTENCE_BREAK and start - a < MAX_SENTENCE // 2:
        a -= 1
    b = end
    while b < len(text) and text[b - 1] not in _SENTENCE_BREAK and b - end < MAX_SENTENCE // 2:
        b += 1
    return text[a:b].strip()


def _number(s: str) -> int:
    s = s.replace("两", "二")
    if s.isdigit():
        return int(s)
    if "百" in s:
        head, _, tail = s.partition("百")
        return (_cn_number(head) if head else 1) * 100 + (_cn_number(tail) if tail else 0)
    return _cn_number(s)


def _add_months(date: datetime.date, months: int) -> datetime.date:
    y, m = divmod(date.month - 1 + months, 12)
    y += date.year
    return date.replace(year=y, month=m + 1, day=min(date.day, calendar.monthrange(y, m + 1)[1]))


def _iso(d: datetime.date) -> str:
    return d.isoformat()


def _from_iso(s: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _last_day(spec: str) -> str | None:
    """`2025年12月31日` / `2025年12月` / `2025年底` -> the last day it names."""
    full = parse_date(spec)
    if full:
        return full
    m = re.match(r"((?:19|20)\d\d)\s*年\s*(?:(\d{1,2})\s*月)?", spec)
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2) or 12)
    if not 1 <= mo <= 12:
        return None
    return f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"


def _own_clause(text: str, start: int, subject) -> bool:
    """True when the words before `自` in its clause name the document itself (本条例) or nothing at all."""
    before = text[_clause_start(text, start):start]
    before = re.sub(r"^[ \t\u3000]*第[一二三四五六七八九十百零〇\d]+条[ \t\u3000]*", "", before)
    return not before.strip(" \t\u3000") or bool(subject.search(before))


def _clause_ends(text: str, anchor):
    """Ends of every `起施行`, `后施行`, `日施行`, `开始施行`, `正式施行` (any verb), where a clause can end, the
    last first: read from the end in chunks growing from FIRST_CHUNK to CLAUSE_CHUNK characters, as the clause is
    mostly a text's last article or line (each position the regex is tried at costs the same)."""
    hi, size = len(text), FIRST_CHUNK
    while hi > 0:
        lo = max(0, hi - size)
        yield from reversed([m.end() for m in anchor.finditer(text, lo, hi)])
        if lo == 0:
            return
        hi = lo + ANCHOR_CHARS - 1  # an anchor across the boundary is read with the earlier chunk
        size = min(4 * size, CLAUSE_CHUNK)


def _effective(text: str, own_date: str | None):
    subject, clause, head_line, _, history, verbs, _, _, field, anchor = _patterns()
    m = field_search(text)
    if m and parse_date(m.group("date")):
        return {"date": parse_date(m.group("date")), "phrase": "field", "start": m.start(),
                "end": m.end()}, m.end()
    m = head_line_search(text)
    if m:
        return {"date": parse_date(m.group("date")), "phrase": "head_line", "start": m.start("date"),
                "end": m.end()}, m.end()
    found = None
    # the last own clause (a law's closing article, a notice's closing line): clause ends found with str.find,
    # latest first, each read by the regex in a short window -- a regex scan of every 自 in a law costs more
    # than the rest of the extraction
    seen = set()
    for end in _clause_ends(text, anchor):
        if end in seen:
            continue
        seen.add(end)
        if text[end:end + 1] in ("的", "之"):
            continue
        for m in clause.finditer(text, max(0, end - CLAUSE_WINDOW), end):
            if m.end() == end and _own_clause(text, m.start(), subject):
                found = m
        if found is not None:
            break
    if found is None:
        return None, None
    own = _from_iso(own_date)
    if found.group("date"):
        date, phrase = parse_date(found.group("date")), "on_date"
    elif found.group("n"):
        phrase = "after_issue"
        n, unit = _number(found.group("n")), found.group("unit")
        date = None if own is None else _iso(own + datetime.timedelta(days=n) if unit in ("日", "天")
                                             else _add_months(own, n))
    else:
        date, phrase = own_date, "on_issue"
        # a history line `1996年10月30日 劳动部令第4号发布` dates the publication when it is not the own date
        event = found.group("event")
        published = [parse_date(h.group("date")) for h in _history_lines(text, HEAD_CHARS) if event in h.group(0)]
        if published and published[-1]:
            date = published[-1]
    return {"date": date, "phrase": phrase, "start": found.start(), "end": found.end()}, found.end()


def _history_lines(text: str, end: int):
    """The matches of the history pattern on the lines of text[:end], in order: tried at the start of each line
    that holds a date (_DATE_CORE; a multi-line regex tries every position of the head, and a law's head has
    ~100 lines, most of them blank)."""
    history = _patterns()[4]
    line_start = -1
    for d in _DATE_CORE.finditer(text, 0, end):
        start = text.rfind("\n", 0, d.start()) + 1
        if start == line_start:
            continue
        line_start = start
        m = history.match(text, start, end)
        if m:
            yield m


def _history(text: str) -> tuple[list[str], list[str]]:
    """(every date of the text's history lines, the dates of its later versions) from the head's dated lines
    (`2001年10月27日 …第一次修正`, `（根据2009年8月27日…修正）`): an amendment (修正/修订/修改), or an adoption
    (通过) after the first one (a court re-adopting its interpretation)."""
    dates, later, adopted = [], [], False
    for m in _history_lines(text, HEAD_CHARS):
        date = parse_date(m.group("date"))
        if not date:
            continue
        dates.append(date)
        line = m.group(0)
        if any(w in line for w in ("修正", "修订", "修改")):
            later.append(date)
        elif "通过" in line:
            if adopted:
                later.append(date)
            adopted = True
    return dates, later


@functools.lru_cache(maxsize=8)
def _shortest(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words no other word of `words` opens (有效期 for 有效期 and 有效期限)."""
    return tuple(w for w in words if not any(o != w and w.startswith(o) for o in words))


def _expires(text: str, effective: dict | None, effective_end: int | None, own_date: str | None):
    subject, _, _, term, _, _, terms, _, _, _ = _patterns()
    starts = word_starts(text, _shortest(terms))  # 有效期 finds 有效期限 too
    for m in filter(None, (term.match(text, i) for i in sorted(starts))):
        before = text[_clause_start(text, m.start()):m.start()]
        own = bool(subject.search(before))
        if not own and not before.strip(" \t\u3000"):
            # `本办法自…起施行，有效期5年`: the clause right after the effective clause, in its sentence
            own = (effective_end is not None and effective_end <= m.start()
                   and not any(c in _SENTENCE_BREAK for c in text[effective_end:m.start()]))
        if not own:
            continue
        if m.group("date"):
            return {"date": _last_day(m.group("date")), "phrase": "until", "start": m.start(), "end": m.end()}
        start = _from_iso((effective or {}).get("date") if effective and not effective.get("original_version")
                          else None) or _from_iso(own_date)
        date = None
        if start is not None:
            n = _number(m.group("n")) * (12 if m.group("unit") == "年" else 1)
            date = _iso(_add_months(start, n) - datetime.timedelta(days=1))
        return {"date": date, "phrase": "term", "start": m.start(), "end": m.end()}
    return None


def extract_lifecycle(text: str, own_date: str | None, citations: list[dict] | None = None) -> dict:
    """{"effective", "expires", "repeals"} of the document `text` dated `own_date` (module doc)."""
    effective, effective_end = _effective(text, own_date)
    if effective is not None:
        # A consolidated text keeps its first version's clause: a date before a later version's is that one's;
        # 自公布之日起施行 then means the first version's publication, the earliest date of the history.
        dates, later = _history(text)
        if effective["phrase"] in ("on_issue", "after_issue"):
            effective["original_version"] = bool(later)
            if later and effective["phrase"] == "on_issue":
                effective["date"] = min(dates)
        else:
            effective["original_version"] = any(d > (effective["date"] or "9") for d in later)
        effective["sentence"] = (text[effective["start"]:effective["end"]] if effective["phrase"] == "field"
                                 else _sentence(text, effective["start"], effective["end"]))
        effective = {k: effective[k] for k in EFFECTIVE_KEYS}
    expires = _expires(text, effective, effective_end, own_date)
    if expires is not None:
        expires["sentence"] = _sentence(text, expires["start"], expires["end"])
        expires = {k: expires[k] for k in EXPIRY_KEYS}
    repeal_words = _patterns()[7]
    repeals = []
    for c in citations or ():
        if c.get("relation") == "REPEALS" and any(w in (c.get("sentence") or "") for w in repeal_words):
            repeals.append({"title": c.get("title"), "doc_number": c.get("doc_number"),
                            "date": effective["date"] if effective else own_date,
                            "sentence": c.get("sentence"), "start": c.get("start"), "end": c.get("end")})
    return {"effective": effective, "expires": expires, "repeals": repeals}

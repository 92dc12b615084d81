"""发文字号 (document numbers): parse one, normalise it, find every one in a text.

Shapes handled (see ../shared/reference/docnumbers.md §1.2):

* standard  ``国发〔2012〕11号`` with any bracket pair (``[] ［］ 【】 () （） ﹝﹞ 〈〉 《》 ‘’``), full-width
  digits, spaces and hard line breaks, ``第`` before the serial, ``年`` inside the bracket, lists
  ``33号、34号`` / ``33、34号`` / ``33号和〔2016〕2号``;
* order     ``国务院令第588号``, ``中国人民银行令〔2019〕第1号``, ``市人民政府第17号令``;
* announcement ``国家税务总局公告2016年第23号``, ``…常务委员会公告（第138号）``, ``国家税务总局2020年第1号公告``,
  ``证监会公告〔2008〕38号``;
* legacy    ``（81）卫防字26号`` (year first);
* placeholders ``xx 办函〔x〕529号``, ``〔20XX〕X号`` (found, flagged ``anonymised``).

Speed: :func:`find_docnumbers` never scans a leading Han class over the text. One anchored regex finds the
*core* (bracket-year-serial-号, ``令…第N号``, ``公告…第N号``, ``第N号令``); only then is the 机关代字 read
backwards from the anchor over a bounded window and trimmed with the word table ``data/docnumber_words.tsv``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

__all__ = ["DocNumber", "NumberMatch", "parse_docnumber", "normalize_docnumber", "docnumber_key", "number_key",
           "find_docnumbers"]

# --- characters -------------------------------------------------------------------------------------------
_OPEN = "〔[［【(（﹝〈《‘〚〖〘"
_CLOSE = "〕]］】)）﹞〉》’〛〗〙"
_O = re.escape(_OPEN)  # for use inside [...]
_C = re.escape(_CLOSE)
_WS = " \t\r\n\u3000\u00a0\u2002\u2003\u200b\u200c\u200d\ufeff"
_S = "[ \\t\\r\\n\\u3000\\u00a0\\u2002\\u2003\\u200b\\u200c\\u200d\\ufeff]"
_DIG = "0-9０-９"
_CN_DIGITS = "〇○零O一二三四五六七八九"
_PH = "xXＸｘ×?？*＊"  # placeholder characters in templates
_CN_NUM = "〇○零一二两三四五六七八九十百千"

# 1-to-1 map (keeps offsets) used for normalised output: full-width digits, bracket variants, 號.
_CHAR_MAP = {ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")}
_CHAR_MAP.update({ord(c): "〔" for c in "[［【﹝〖〘〚(（〈《‘"})
_CHAR_MAP.update({ord(c): "〕" for c in "]］】﹞〗〙〛)）〉》’"})
_CHAR_MAP[ord("號")] = "号"
_WS_RE = re.compile(_S + "+")
_BLANK_LINE = re.compile("(?:\r\n|[\r\n])[ \t\u3000\u00a0\u2002\u2003\u200b\u200c\u200d\ufeff]*(?:\r\n|[\r\n])")

_YEAR = (f"[12１２][{_DIG}]{{3}}"
         f"|[5-9５-９][{_DIG}](?=[^{_DIG}])"
         f"|[一二][{_CN_DIGITS}]{{3}}"
         f"|[{_DIG}]{{0,3}}[{_PH}○〇]{{1,4}}"
         "|YYYY|yyyy|年份")
_SERIAL_CN = f"[{_CN_NUM}]{{1,8}}"

# One anchored scanner; alternatives start with an opener, 令, 公, or 第 -- never with a Han class.
_CORE = re.compile(
    # standard / legacy: opener year closer ...
    f"(?P<open>[{_O}]){_S}{{0,3}}(?P<year>{_YEAR}){_S}{{0,2}}(?P<nian>年)?{_S}{{0,2}}[{_C}]{_S}{{0,3}}"
    "(?:"
    # legacy: code ending in 字 after the year-first bracket
    f"(?P<lcode>[\u4e00-\u9fff]{{1,8}}字){_S}{{0,2}}第?{_S}{{0,2}}(?P<lserial>[{_DIG}]{{1,5}}){_S}{{0,2}}[号號]"
    "|"
    f"(?:字{_S}{{0,2}})?(?:第{_S}{{0,2}})?(?P<serial>[{_DIG}]{{1,6}}|[{_PH}]{{1,4}})?"
    f"(?P<more>(?:{_S}{{0,2}}[、,，]{_S}{{0,2}}第?{_S}{{0,2}}[{_DIG}]{{1,6}})*){_S}{{0,3}}[号號]"
    ")"
    # order: …令 [〔YYYY〕] [（]第N号[）]
    f"|(?P<ling>令){_S}{{0,3}}(?:[{_O}]{_S}{{0,2}}(?P<oyear>[12１２][{_DIG}]{{3}}){_S}{{0,2}}年?{_S}{{0,2}}[{_C}]{_S}{{0,3}}"
    f"|(?P<oyear2>[12１２][{_DIG}]{{3}}){_S}{{0,2}}年{_S}{{0,2}})?"
    f"(?P<opar>[（(])?{_S}{{0,2}}第{_S}{{0,2}}(?P<oserial>[{_DIG}]{{1,6}}|{_SERIAL_CN}){_S}{{0,2}}[号號]"
    "(?(opar)[）)])"
    # announcement: …公告 [YYYY年] [（]第N号[）]
    f"|(?P<gonggao>公告){_S}{{0,3}}(?:(?P<ayear>[12１２][{_DIG}]{{3}}){_S}{{0,2}}年{_S}{{0,2}})?"
    f"(?P<apar>[（(])?{_S}{{0,2}}第{_S}{{0,2}}(?P<aserial>[{_DIG}]{{1,6}}|{_SERIAL_CN}){_S}{{0,2}}[号號]"
    "(?(apar)[）)])"
    # reversed: 第N号令 / 第N号公告 (the year, if any, precedes 第 and is read backwards)
    f"|第{_S}{{0,2}}(?P<rserial>[{_DIG}]{{1,6}}|{_SERIAL_CN}){_S}{{0,2}}[号號]{_S}{{0,2}}(?P<rkind>令|公告)"
)

# A list continuation right after a number: 、34号 / 和〔2016〕2号 / ，第35号
_CONT = re.compile(
    f"{_S}{{0,2}}[、,，和及]{_S}{{0,2}}"
    f"(?:[{_O}]{_S}{{0,2}}(?P<year>[12１２][{_DIG}]{{3}}){_S}{{0,2}}年?{_S}{{0,2}}[{_C}]{_S}{{0,2}})?"
    f"第?{_S}{{0,2}}(?P<serial>[{_DIG}]{{1,6}}){_S}{{0,2}}[号號]"
    "(?![楼院线令房室场馆门])"  # ，3号楼 / 、5号令 are not items of the list
)
_MORE_ITEM = re.compile(f"[{_DIG}]{{1,6}}")
_YEAR_BEFORE = re.compile(f"(?:[12１２][{_DIG}]{{3}}){_S}{{0,2}}年{_S}{{0,2}}$")

# Court case numbers written like a legacy number: （2015）民申字第1号
_COURT = re.compile("[民刑行执赔商知破]" "[初终申再监提抗他复赔恢异保特]")

_CORE_WINDOW = 64
_BEFORE_HAO = frozenset("0123456789０１２３４５６７８９" + _PH + _CN_NUM + _CLOSE)
_HAN_LO, _HAN_HI = "\u3400", "\u9fff"
_AGENCY_LETTERS = frozenset("xXＸｘ×")
_LEFT_WINDOW = {"standard": 24, "order": 40, "announcement": 48, "legacy": 0}
_MAX_AGENCY = {"standard": 14, "order": 30, "announcement": 40}


@dataclass(frozen=True)
class DocNumber:
    """One 发文字号 as parsed.

    ``normalized`` is the number *as written* in the GUIDELINES sense (brackets 〔〕, ASCII digits, no spaces, no
    第 before a standard serial; an order keeps its 第, its 中华人民共和国 and its zero padding): what a record's
    ``doc_number`` holds. ``key`` is the canonical identity of the document it names, for graph nodes and
    resolution: 中华人民共和国国务院令第588号, 国务院令第588号 and 国令第588号 share one key.
    """

    raw: str
    agency: str
    year: int | None
    serial: str
    kind: str
    anonymised: bool

    # computed once per number (a frozen dataclass keeps a cached_property's value in its __dict__, outside
    # its fields: equality, hashing and repr are unchanged)
    @cached_property
    def normalized(self) -> str:
        return _normalized(self)

    @cached_property
    def key(self) -> str:
        return _key(self)


@dataclass(frozen=True)
class NumberMatch:
    """A number found in a text; ``text[start:end]`` is its span."""

    number: DocNumber
    start: int
    end: int


# --- data ---------------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _words() -> dict[str, tuple[str, ...]]:
    text = resources.files("polgraph.data").joinpath("docnumber_words.tsv").read_text(encoding="utf-8")
    by_role: dict[str, list[str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValueError(f"docnumber_words.tsv line {n}: expected word<TAB>role")
        by_role.setdefault(parts[1].strip(), []).append(parts[0].strip())
    # longest first so that 贯彻落实 wins over 落实
    return {role: tuple(sorted(ws, key=lambda w: (-len(w), w))) for role, ws in by_role.items()}


@lru_cache(maxsize=None)
def _cut_re() -> re.Pattern:
    w = _words()
    alts = sorted(set(w.get("leadin", ()) + w.get("titletail", ())), key=lambda x: (-len(x), x))
    return re.compile("|".join(map(re.escape, alts)))


@lru_cache(maxsize=None)
def _organ_last_chars() -> frozenset[str]:
    w = _words()
    return frozenset(x[-1] for x in w.get("organ", ()) + w.get("place", ()))


@lru_cache(maxsize=None)
def _afterdigit_re() -> re.Pattern:
    return re.compile("^(?:" + "|".join(map(re.escape, _words().get("afterdigit", ()))) + ")")


# --- helpers ------------------------------------------------------------------------------------------------
def _is_agency_char(c: str) -> bool:
    return (_HAN_LO <= c <= _HAN_HI) or c == "〇" or c in _AGENCY_LETTERS


def _ascii_digits(s: str) -> str:
    return s.translate(_CHAR_MAP)


def _cn_to_int(s: str) -> int | None:
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    digits.update({"○": 0, "零": 0, "O": 0, "两": 2})
    if all(c in digits for c in s):
        return int("".join(str(digits[c]) for c in s))
    units = {"十": 10, "百": 100, "千": 1000}
    total, cur = 0, 0
    for c in s:
        if c in digits:
            cur = digits[c]
        elif c in units:
            total += (cur or 1) * units[c]
            cur = 0
        else:
            return None
    return total + cur


def _serial_text(s: str | None) -> str:
    if not s:
        return ""
    s = _ascii_digits(s)
    if s.isdigit() or any(c in _PH for c in s):
        return s
    n = _cn_to_int(s)
    return str(n) if n is not None else s


def _year_value(s: str) -> tuple[int | None, bool]:
    """(year, is_placeholder)."""
    s = _ascii_digits(s)
    if s.isdigit():
        if len(s) == 2:
            return 1900 + int(s), False
        return int(s), False
    if s and all(c in _CN_DIGITS for c in s):
        return _cn_to_int(s), False
    return None, True


def _collect_back(text: str, pos: int, window: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Indices of the agency characters before ``pos`` (forward order), and the white-space gaps inside that
    run as (offset into the index list, number of line breaks)."""
    lo = max(0, pos - window)
    idx: list[int] = []
    gaps: list[tuple[int, int]] = []  # (characters collected when the gap was met, line breaks)
    i = pos - 1
    ws = nl = 0
    while i >= lo:
        c = text[i]
        if _is_agency_char(c):
            if ws and idx:
                gaps.append((len(idx), nl))
            idx.append(i)
            ws = nl = 0
        elif c in _WS:
            ws += 1
            # a line break is \n, \r\n or a lone \r (old Mac files); two of them make a blank line, and a
            # heading above a blank line is never part of the code (…的答复⏎⏎民函〔2021〕742号)
            if c == "\n" or (c == "\r" and text[i + 1:i + 2] != "\n"):
                nl += 1
            if ws > 4 or nl > 1:
                break
        else:
            break
        i -= 1
    idx.reverse()
    n = len(idx)
    return idx, [(n - g, k) for g, k in reversed(gaps)]


def _trim_agency(text: str, idx: list[int], gaps: list[int], kind: str) -> tuple[int, int]:
    """(span_start, code_start) offsets into ``idx``: where the number's span starts and where the 机关代字
    starts (they differ only by a dropped state prefix such as 中华人民共和国). len(idx) when nothing is left."""
    s = "".join([text[i] for i in idx])
    after_digit = False
    if idx:
        j = idx[0] - 1
        while j >= 0 and text[j] in _WS:
            j -= 1
        after_digit = j >= 0 and (text[j].translate(_CHAR_MAP).isdigit() or text[j] in _CLOSE)
    return _trim_code(s, tuple(gaps), kind, after_digit)


@lru_cache(maxsize=1 << 12)  # a pure function of a short run of characters, which documents repeat (国务院令)
def _trim_code(s: str, gaps: tuple, kind: str, after_digit: bool) -> tuple[int, int]:
    """_trim_agency on the run `s` of agency characters; `after_digit`: a digit or a closing bracket is
    written right before the run."""
    n = len(s)
    w = _words()
    cut = 0
    # a unit word right after a digit or a closing bracket (2012年, 17日, 33号文, 〔2023〕号) is not a code
    if after_digit:
        m = _afterdigit_re().match(s)
        if m:
            cut = m.end()
    # 中华人民共和国 is an organ-name prefix; cue words inside it (和) are not cues
    protected = [(k, k + len(p)) for p in w.get("dropprefix", ()) for k in _all_find(s, p)]
    tails = set(w.get("titletail", ()))
    for m in _cut_re().finditer(s, cut):
        if m.end() > cut and not any(a < m.end() and m.start() < b for a, b in protected):
            if m.end() == n and m.group() in tails and m.start() > cut:
                break  # a code may end in such a word (沪科指南, 工作通知) when something precedes it
            cut = m.end()
    cut = _after_joiners(s, cut, w)
    if kind != "standard":
        code, again = cut, True
        while again:
            again = False
            for p in w.get("dropprefix", ()):
                if s.startswith(p, code) and n - code > len(p) + 1:
                    code += len(p)
                    again = True
        return cut, code
    # white space inside the run: a space between a long head and a code of ≥2 characters separates them
    # (中办国办 厅字) while a short head joins (国 保发, xx 办函); a line break joins a code broken by PDF
    # extraction (工信部联⏎通装) unless the line before ends a title (…的函⏎国办函) or is itself spaced out
    ends = tuple(w.get("titletail", ())) + tuple(w.get("titleend", ()))
    for j, (g, nl) in enumerate(gaps):
        if g <= cut or n - g < 1:
            continue
        if nl:
            line_start = max([cut] + [h for h, k in gaps[:j] if k])
            spaced = any(line_start < h < g for h, _ in gaps[:j])
            if s[cut:g].endswith(ends) or spaced:
                cut = g
        elif g - cut >= 3 and n - g >= 2 or s[g - 1] == "号":
            cut = g  # (号 before a space ends a label padded to width, 文        号 吉市政办发: no code holds it)
    # an organ or place name written before the code is the issuer, not part of the code
    w = _words()
    best = cut
    organ_last = _organ_last_chars()
    for k in range(cut + 1, n - 1):
        if s[k - 1] not in organ_last:
            continue
        head = s[cut:k]
        if any(head.endswith(o) for o in w.get("organ", ())) and (len(head) >= 4 or head == "国务院"):
            best = k
        elif any(head.endswith(p) for p in w.get("place", ())) and len(head) >= 3:
            best = k
    # a bare well-known code closes the run: prose before it is not part of the code (抢抓国发 -> 国发)
    for code in w.get("boundcode", ()):
        if s.endswith(code) and n - len(code) > best:
            best = n - len(code)
            break
    best = _after_joiners(s, best, w)  # 晋人社厅与晋人社厅〔…〕: the organ cut leaves 与 before the code
    return best, best


def _after_joiners(s: str, at: int, w: dict) -> int:
    """`at` moved past list joiners that open the code (《A》和国发 -> 国发), but not past a joiner that is the
    place abbreviation of a placeless code (和政发 of 和政县)."""
    joiners, placeless = w.get("joiner", ()), w.get("placeless", ())
    while at < len(s) and any(s.startswith(j, at) for j in joiners):
        if s[at].isalpha() and any(s.startswith(p, at + 1) for p in placeless):
            break
        at += 1
    return at


def _all_find(s: str, sub: str) -> list[int]:
    out, k = [], s.find(sub)
    while k >= 0:
        out.append(k)
        k = s.find(sub, k + 1)
    return out


def _make(text: str, start: int, end: int, agency: str, year: int | None, serial: str, kind: str,
          placeholder: bool) -> NumberMatch:
    raw = text[start:end]
    anon = placeholder or any(c in _AGENCY_LETTERS for c in agency) or not serial \
        or any(c in _PH for c in serial)
    return NumberMatch(DocNumber(raw, agency, year, serial, kind, anon), start, end)


def _agency_span(text: str, anchor: int, kind: str) -> tuple[int, str] | None:
    idx, gaps = _collect_back(text, anchor, _LEFT_WINDOW[kind])
    if not idx:
        return None
    cut, code = _trim_agency(text, idx, gaps, kind)
    if code >= len(idx):
        return None
    agency = "".join(text[i] for i in idx[code:])
    if len(agency) > _MAX_AGENCY[kind]:
        return None
    return idx[cut], agency


# --- finding -------------------------------------------------------------------------------------------------
def find_docnumbers(text: str) -> list[NumberMatch]:
    """Every 发文字号 in ``text``, in text order; list items (``33号、34号``) are separate matches."""
    out: list[NumberMatch] = []
    last_end = 0
    prev: DocNumber | None = None
    for m in _cores(text):
        if m.start() < last_end:
            continue
        found = _from_core(text, m, prev, last_end)
        if not found:
            continue
        out.extend(found)
        last_end = found[-1].end
        prev = found[-1].number
        # continuations: 、34号 / 和〔2016〕2号
        if found[-1].number.kind in ("standard", "legacy") and not found[-1].number.raw.endswith(("〕", "]")):
            base = found[-1].number
            pos = last_end
            while True:
                c = _CONT.match(text, pos)
                if not c:
                    break
                year = base.year
                if c.group("year"):
                    year = int(_ascii_digits(c.group("year")))
                # the item's span is its own bracket (if any) or digits, through 号
                s0 = _opener_before(text, c) if c.group("year") else c.start("serial")
                nm = NumberMatch(DocNumber(text[s0:c.end()], base.agency, year, _serial_text(c.group("serial")),
                                           base.kind, base.anonymised), s0, c.end())
                out.append(nm)
                pos = last_end = c.end()
    return out


# str.find looks for a character's low byte with memchr: 號's (0x5F) is common in CJK text, and the regex
# engine's plain loop is faster there
_TRADITIONAL_HAO = re.compile("號")


def _hao_positions(text: str) -> list[int]:
    """Positions of 号 (and 號): every shape we accept has one, and they are rare in prose."""
    out: list[int] = []
    find = text.find
    i = find("号")
    while i >= 0:
        out.append(i)
        i = find("号", i + 1)
    if _TRADITIONAL_HAO.search(text) is not None:  # rare: a second pass only finds it, a sort only when there
        i = find("號")
        while i >= 0:
            out.append(i)
            i = find("號", i + 1)
        out.sort()
    return out


def _cores(text: str):
    """The core matches of ``_CORE`` in text order, found from each 号 by matching a short window before it
    (a number's core is at most ~60 characters), so the scan never runs a regex over the whole text."""
    n = len(text)
    done = 0  # no core may start before this
    for p in _hao_positions(text):
        if p < done:
            continue
        j = p - 1
        while j >= 0 and text[j] in _WS:
            j -= 1
        if j < 0 or text[j] not in _BEFORE_HAO:
            continue  # 号 after a word (编号, 型号, 口号) ends no number
        lo = max(done, p - _CORE_WINDOW)
        for m in _CORE.finditer(text, lo, min(n, p + 6)):
            if m.end() <= p:
                continue
            if m.start() <= p:
                done = m.end()
                yield m
            break


def _opener_before(text: str, c: re.Match) -> int:
    i = c.start("year") - 1
    while i > c.start() and text[i] not in _OPEN:
        i -= 1
    return i


def _from_core(text: str, m: re.Match, prev: DocNumber | None, prev_end: int) -> list[NumberMatch]:
    g = m.group
    if g("open") is not None:
        year, ph = _year_value(g("year"))
        if not ph and year is not None and not (1900 <= year <= 2199 or len(_ascii_digits(g("year"))) == 2):
            return []
        if g("lcode") is not None:
            # legacy （81）卫防字26号; court numbers （2015）民申字第1号 are not documents
            code = g("lcode")
            if ph or _COURT.search(code):
                return []
            ytxt = _ascii_digits(g("year"))
            if len(ytxt) == 2 and int(ytxt) < 50:
                return []
            return [_make(text, m.start(), m.end(), code, year, _serial_text(g("lserial")), "legacy", False)]
        if len(_ascii_digits(g("year"))) == 2 and not ph:
            return []
        if _BLANK_LINE.search(text, m.start(), m.end()):
            return []  # 〔2021〕⏎⏎742号: a blank line ends a number; the bracket and the serial are not one
        span = _agency_span(text, m.start(), "standard")
        if span is None:
            # 国发〔2015〕33号和〔2016〕2号: a bare bracket right after a number inherits its code
            if prev is not None and prev.kind == "standard" and _joined(text, prev_end, m.start()):
                agency, start = prev.agency, m.start()
            else:
                # 《…指示》(〔1982〕3号): a number written without its code is still a number
                agency, start = "", m.start()
        else:
            start, agency = span
        kind = "announcement" if agency.endswith("公告") else ("order" if agency.endswith("令") else "standard")
        serial = _serial_text(g("serial"))
        more = g("more")
        if not more:
            return [_make(text, start, m.end(), agency, year, serial, kind, ph)]
        # 33、34号: the first item ends at its digits, each further item is its own digits (+号 on the last)
        items: list[NumberMatch] = []
        first_end = m.end("serial")
        items.append(_make(text, start, first_end, agency, year, serial, kind, ph))
        base = m.start("more")
        its = list(_MORE_ITEM.finditer(more))
        for j, it in enumerate(its):
            s0, e0 = base + it.start(), base + it.end()
            if j == len(its) - 1:
                e0 = m.end()
            items.append(_make(text, s0, e0, agency, year, _serial_text(it.group()), kind, ph))
        return items
    if g("ling") is not None:
        span = _agency_span(text, m.start(), "order")
        if span is None:
            return []
        start, organ = span
        oy = g("oyear") or g("oyear2")
        year = int(_ascii_digits(oy)) if oy else None
        return [_make(text, start, m.end(), organ + "令", year, _serial_text(g("oserial")), "order", False)]
    if g("gonggao") is not None:
        span = _agency_span(text, m.start(), "announcement")
        if span is None:
            return []
        start, organ = span
        year = int(_ascii_digits(g("ayear"))) if g("ayear") else None
        return [_make(text, start, m.end(), organ + "公告", year, _serial_text(g("aserial")), "announcement",
                      False)]
    # reversed 第N号令 / [YYYY年]第N号公告
    anchor = m.start()
    year = None
    y = _YEAR_BEFORE.search(text, max(0, anchor - 12), anchor)
    if y:
        year = int(_ascii_digits(text[y.start():y.start() + 4]))
        anchor = y.start()
    kind = "order" if g("rkind") == "令" else "announcement"
    span = _agency_span(text, anchor, kind)
    if span is None:
        # 海关总署2010年第47号公告和2011年第55号公告: the second item inherits the organ
        if prev is not None and prev.kind == kind and _joined(text, prev_end, anchor):
            return [_make(text, anchor, m.end(), prev.agency, year, _serial_text(g("rserial")), kind, False)]
        return []
    start, organ = span
    # an order needs an issuing organ, not a word such as 命 (第N号命令 is not a shape we know)
    return [_make(text, start, m.end(), organ + g("rkind"), year, _serial_text(g("rserial")), kind, False)]


def _joined(text: str, prev_end: int, pos: int) -> bool:
    """True when only a list joiner (和, 及, 、) and spaces stand between the previous number and ``pos``."""
    between = text[prev_end:pos].strip(_WS)
    return 0 < pos - prev_end <= 6 and between in ("、", ",", "，", "和", "及", "与", "以及")


# --- parsing one string -------------------------------------------------------------------------------------
_LABEL = re.compile(
    f"^[{_WS}•·]*(?:[【\\[［]{_S}*)?(?:发文字号|发文文号|文件字号|文件编号|文号|字号|编号|发文号){_S}*"
    f"(?:[】\\]］]{_S}*)?[:：]?[{_WS}]*")
_NO_HAO = re.compile(f"(?:[{_C}]{_S}{{0,2}}第?|令{_S}{{0,2}}第|第){_S}{{0,2}}[{_DIG}]{{1,6}}{_S}*$")
_BARE_ANNOUNCEMENT = re.compile(
    f"^(?P<agency>[^{_DIG}\\s]{{2,30}}?){_S}{{0,2}}(?P<year>[12][0-9]{{3}}){_S}{{0,2}}年{_S}{{0,2}}第{_S}{{0,2}}"
    f"(?P<serial>[{_DIG}]{{1,6}}){_S}{{0,2}}号$")
_BARE_PLACEHOLDER = re.compile(f"^(?P<agency>[^{_DIG}\\s号]{{0,12}}?){_S}*第?(?P<serial>[{_PH}]{{1,4}}){_S}*号$")
_BARE_DI = re.compile(f"^(?P<agency>[\u4e00-\u9fff]{{2,12}}){_S}{{0,2}}第{_S}{{0,2}}(?P<serial>[{_DIG}]{{1,6}}){_S}{{0,2}}号$")


def parse_docnumber(s: str) -> DocNumber | None:
    """Parse one whole string as a 发文字号; labels such as ``发文字号：`` or ``【字号】`` are skipped.

    More tolerant than :func:`find_docnumbers`: a missing ``号`` after a bracketed year or an order's ``第N``
    (``晋政办发〔2012〕18``, ``国令第846``) and announcement numbers without the word 公告
    (``国家税务总局2018年第12号``) are accepted here because the string is known to be a number.
    """
    if not s:
        return None
    t = _LABEL.sub("", s, count=1).strip(_WS)
    if not t:
        return None
    found = find_docnumbers(t)
    if not found and _NO_HAO.search(t):
        found = find_docnumbers(t + "号")
        if found:
            f = found[0]
            n = f.number
            return DocNumber(t[f.start:min(f.end, len(t))], n.agency, n.year, n.serial, n.kind, n.anonymised)
    if found:
        return found[0].number
    t2 = t.translate(_CHAR_MAP)
    b = _BARE_ANNOUNCEMENT.match(t2)
    if b:
        agency = _WS_RE.sub("", b.group("agency"))
        return DocNumber(t, agency, int(b.group("year")), b.group("serial"),
                         "announcement", False)
    b = _BARE_PLACEHOLDER.match(t2)
    if b:
        return DocNumber(t, _WS_RE.sub("", b.group("agency")), None, b.group("serial"), "standard", True)
    b = _BARE_DI.match(t2)
    if b:
        return DocNumber(t, b.group("agency"), None, b.group("serial"), "standard", False)
    return None


def normalize_docnumber(s: str | None) -> str | None:
    """``parse_docnumber(s).normalized`` (the number as written), or None."""
    if not s:
        return None
    d = parse_docnumber(s)
    return d.normalized if d else None


@lru_cache(maxsize=65536)
def docnumber_key(s: str | None) -> str | None:
    """``parse_docnumber(s).key`` (the canonical identity: 国令第707号 -> 国务院令第707号), or None.

    Used where only a written number is at hand (a record's ``doc_number``, a number a user typed)."""
    if not s:
        return None
    d = parse_docnumber(s)
    return d.key if d else None


def number_key(s: str | None) -> str | None:
    """The identity of a written 文号: its ``docnumber_key``, or the written form itself when it does not parse
    (so two unparsed numbers are still the same document when written alike); None for no number.

    >>> number_key("国令第707号"), number_key("国发〔2015〕33号"), number_key("某某字第一号"), number_key("")
    ('国务院令第707号', '国发〔2015〕33号', '某某字第一号', None)
    """
    if not s:
        return None
    return _plain_standard_key(s) or docnumber_key(s) or s


# The common shape written plainly: up to 24 Han characters, 〔YYYY〕, an ASCII serial, 号 -- nothing else (no
# white space, label, 第, 令, 公告, variant bracket or digit). Of all the parser does, only the trim of the code
# (_trim_code, cached by code) can change such a number, so its key is read here without the scanner: a build
# meets a million distinct 文号 and parsing each took ~15 µs. Excluded characters, because the parser reads them
# as something else than a code: 第 and 令/公告 (order and announcement cores), 号/號 (labels, another core).
_PLAIN_STANDARD = re.compile("([\u3400-\u9fff]{1,24})〔([12][0-9]{3})〕([0-9]{1,6})号")
_NOT_PLAIN = re.compile("[第令号號]|公告")


def _plain_standard_key(s: str) -> str | None:
    """The key `docnumber_key` gives a plainly written standard number (see _PLAIN_STANDARD), or None for any
    other string: the caller parses those (tests/test_docnumber.py checks both agree on every number we have)."""
    m = _PLAIN_STANDARD.fullmatch(s)
    if m is None:
        return None
    code, year, serial = m.groups()
    if _NOT_PLAIN.search(code) or not 1900 <= int(year) <= 2199:
        return None
    _, start = _trim_code(code, (), "standard", False)
    if not 0 < len(code) - start <= _MAX_AGENCY["standard"]:
        return None  # nothing left of the code, or too long a code: the parser's own cases
    return f"{code[start:]}〔{year}〕{int(serial)}号"


_DI_PAREN = re.compile(r"〔(第[^〔〕]*号)〕$")
_DI_SERIAL = re.compile(r"第([^第]*?)号")


def _normalized(d: DocNumber) -> str:
    raw = _WS_RE.sub("", d.raw).translate(_CHAR_MAP)
    if d.anonymised:
        return raw
    if d.kind == "standard":
        y = str(d.year) if d.year is not None else ""
        return f"{d.agency}〔{y}〕{d.serial}号" if y else f"{d.agency}第{d.serial}号"
    if d.kind == "legacy":
        m = re.match(r"〔(\d+)", raw)
        y = m.group(1) if m else str(d.year)
        return f"〔{y}〕{d.agency}{d.serial}号"
    organ_kind = "令" if d.kind == "order" else "公告"
    organ = d.agency[:-len(organ_kind)] if d.agency.endswith(organ_kind) else d.agency
    if raw.startswith("原") and len(raw) > 1:
        raw = raw[1:]  # 原海关总署2012年第26号公告: "the former …" qualifies the document, it is not its number
    if organ and organ in raw:
        # written with its organ: keep it as written (中华人民共和国国务院令第588号, 主席令第七十三号, 第0026号)
        if not raw.endswith(("号", "令", "公告", "〕")):
            raw += "号"  # 国令第846 (a number known to be one, written without 号)
        return _DI_PAREN.sub(r"（\1）", raw)
    # an item of a list that inherits the organ (海关总署2010年第47号公告和2011年第55号公告)
    y = f"{d.year}年" if d.year is not None else ""
    if raw.endswith("号" + organ_kind):
        return f"{organ}{y}第{d.serial}号{organ_kind}"
    return f"{d.agency}{y}第{d.serial}号"


@lru_cache(maxsize=None)
def _organ_aliases() -> dict[str, str]:
    """Other names of an order/announcement organ (data/number_organs.tsv): 国 -> 国务院 (国令第707号)."""
    text = resources.files("polgraph.data").joinpath("number_organs.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValueError(f"number_organs.tsv line {n}: expected written<TAB>canonical")
        if parts[0] in out:
            raise ValueError(f"number_organs.tsv line {n}: {parts[0]} listed twice")
        out[parts[0]] = parts[1]
    return out


def _serial_key(serial: str) -> str:
    s = _serial_text(serial)
    return str(int(s)) if s.isdigit() else s


def _key(d: DocNumber) -> str:
    if d.anonymised:
        return _normalized(d)
    agency = _WS_RE.sub("", d.agency).translate(_CHAR_MAP)
    serial = _serial_key(d.serial)
    if d.kind == "standard":
        return f"{agency}〔{d.year}〕{serial}号" if d.year is not None else f"{agency}第{serial}号"
    if d.kind == "legacy":
        return f"〔{d.year}〕{agency}{serial}号"
    organ_kind = "令" if d.kind == "order" else "公告"
    organ = agency[:-len(organ_kind)] if agency.endswith(organ_kind) else agency
    again = True
    while again:  # 中华人民共和国, 原: the same organ
        again = False
        for p in _words().get("dropprefix", ()):
            if organ.startswith(p) and len(organ) > len(p):
                organ, again = organ[len(p):], True
    organ = _organ_aliases().get(organ, organ)
    # 国务院令 serials run on across years, some ministries restart each year: a written year stays in the key
    y = f"〔{d.year}〕" if d.year is not None else ""
    return f"{organ}{organ_kind}{y}第{serial}号"


def _main(argv: list[str] | None = None) -> int:
    """``python -m polgraph.extract.docnumber [DIR_OR_FILE ...]``: throughput of find_docnumbers over .txt files
    against the naive one-regex baseline, measured in the same run on the same text."""
    import sys
    import time
    from pathlib import Path

    args = argv if argv is not None else sys.argv[1:]
    if not args:
        args = [str(Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "lawrefbook-laws")]
    files: list[Path] = []
    for a in args:
        p = Path(a)
        files.extend(sorted(p.rglob("*.txt")) if p.is_dir() else [p])
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    naive = re.compile(r"[\u4e00-\u9fa5A-Za-z]{1,12}[〔\[［【(（](?:19|20)\d{2}[〕\]］】)）]第?\d{1,5}号")
    t0 = time.perf_counter()
    n_naive = sum(1 for t in texts for _ in naive.finditer(t))
    t_naive = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_ours = sum(len(find_docnumbers(t)) for t in texts)
    t_ours = time.perf_counter() - t0
    print(f"{len(texts)} files, {mb:.1f} MB: find_docnumbers {mb / t_ours:.0f} MB/s ({n_ours} numbers); "
          f"naive regex {mb / t_naive:.1f} MB/s ({n_naive}); ratio {t_naive / t_ours:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())

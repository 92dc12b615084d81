"""Dates as government documents write them: `2022年6月20日`, `二〇〇四年六月二十六日`, `2022.06.20`, `2016-12-28`.

Shared by the own-metadata rules (extract/metadata.py), the portal header reader (extract/portal.py) and the
lifecycle clauses (extract/lifecycle.py).

>>> parse_date("二〇〇四年六月二十六日"), parse_date("2022.06.20"), parse_date("2022年13月1日")
('2004-06-26', '2022-06-20', None)
>>> parse_date("二O一一年5月16日"), parse_date("二〇一一年五月16日")
('2011-05-16', '2011-05-16')
"""
from __future__ import annotations

import functools
import re

# \d is any decimal digit, full-width too (２０２１年６月３０日: int() reads them), but a year's century is spelled out
_DATE_RE = re.compile(r"((?:19|20|１９|２０)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# _DATE_RE within one line (the match at a position is unique, so this finds the _DATE_RE matches without \n)
_DATE_IN_LINE = re.compile(_DATE_RE.pattern.replace(r"\s", r"[^\S\n]"))
# a year spelled out may come with its month and day in digits (二〇一一年5月16日)
_CN_DATE_RE = re.compile(r"([一二][〇○零OＯ0０一二三四五六七八九]{3})年([一二三四五六七八九十]{1,3}|\d{1,2})月"
                         r"([一二三四五六七八九十]{1,3}|\d{1,2})日")
_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0, "0": 0, "０": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_DOTTED_DATE = re.compile(r"((?:19|20|１９|２０)\d\d)[.\-/．－／](\d{1,2})[.\-/．－／](\d{1,2})")


def _cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if "十" in s:
        head, _, tail = s.partition("十")
        return (_CN_DIGIT.get(head, 1) if head else 1) * 10 + (_CN_DIGIT.get(tail, 0) if tail else 0)
    n = 0
    for ch in s:
        n = n * 10 + _CN_DIGIT.get(ch, 0)
    return n


@functools.lru_cache(maxsize=4096)  # dates repeat (a law's history lines, its signature): a pure function
def parse_date(s: str) -> str | None:
    """`2022年6月20日`, `二〇〇四年六月二十六日`, `2022.06.20`, `2016-12-28` -> ISO date, else None."""
    m = _DATE_RE.search(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _CN_DATE_RE.search(s)
        if m:
            y, mo, d = _cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3))
        else:
            m = _DOTTED_DATE.search(s)
            if not m:
                return None
            y, mo, d = (int(g) for g in m.groups())
    return _iso_date(y, mo, d)


def _iso_date(y: int, mo: int, d: int) -> str | None:
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"

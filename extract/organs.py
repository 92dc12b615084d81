"""Organ names as documents write them: is a name an organ's (政府, 办公厅, 局 ...), and the organs of a signature or
masthead line (`最高人民法院、最高人民检察院`, `科 技 部`, names run together).

Shared by the own-metadata rules (extract/metadata.py), the citation finder (extract/find.py) and the portal header
reader (extract/portal.py).

>>> split_issuers("最高人民法院、最高人民检察院"), split_issuers("科 技 部")
(['最高人民法院', '最高人民检察院'], ['科技部'])
"""
from __future__ import annotations

import functools
import re

_ORGAN_END = ("政府", "办公厅", "办公室", "委员会", "常委会", "部", "厅", "局", "委", "院", "署", "会", "办",
              "中央", "国务院", "党校", "法院", "检察院", "银行", "总局", "政协", "人大", "府", "军区", "公司",
              "中心", "小组", "课题组", "协会", "联合会")
_NOT_IN_ORGAN = re.compile(r"[，。；：“”\d]")
_ISSUER_SEPARATOR = re.compile(r"[、，,\s\u3000]+|(?<=[院部委局厅府])和")


@functools.lru_cache(maxsize=1)
def _levels_api():
    from polgraph.extract.levels import central_name_at, find_place, level_of_agency, level_of_issuer
    # pure functions of short strings that documents repeat (issuer names, codes, title heads): memoised
    cached = functools.lru_cache(maxsize=1 << 14)
    return cached(level_of_agency), cached(level_of_issuer), cached(find_place), cached(central_name_at)


def looks_like_organ(name: str) -> bool:
    name = name.strip()
    return 2 <= len(name) <= 40 and name.endswith(_ORGAN_END) and not _NOT_IN_ORGAN.search(name)


def split_issuers(head: str) -> list[str]:
    """`最高人民法院、最高人民检察院` / `中共中央 国务院` / `科 技 部` / `国家发展改革委国家能源局` -> the organs."""
    return list(_split_issuers(head))


@functools.lru_cache(maxsize=4096)  # organ names repeat across documents (a law's adopting committee)
def _split_issuers(head: str) -> tuple[str, ...]:
    out = []
    for part in _ISSUER_SEPARATOR.split(" ".join(_closed_up(head))):
        part = part.strip()
        if part and looks_like_organ(part):
            out.extend(_run_together(part))
    return tuple(out)


_ENTITY_RESIDUE = re.compile(r"&[A-Za-z]{1,8};?")  # `国务院办公厅   &sp;`: an HTML entity a scraper left
_WHITE_RUN = re.compile(r"\s+")


def _closed_up(line: str) -> list[str]:
    """The words of a line with letter-spaced names closed up (GUIDELINES: `科 技 部` is 科技部): a run of
    one-character words is one name, split only where its gap is wider than its narrowest one
    (`国 务 院   财 政 部` -> 国务院, 财政部)."""
    line = _ENTITY_RESIDUE.sub(" ", line).strip()
    if not line:
        return []
    pieces = _WHITE_RUN.split(line)
    gaps = [len(g) for g in _WHITE_RUN.findall(line)]
    out, i = [], 0
    while i < len(pieces):
        j = i
        while j + 1 < len(pieces) and len(pieces[j]) == 1 and len(pieces[j + 1]) == 1:
            j += 1
        if j == i:
            out.append(pieces[i])
        else:
            narrow = min(gaps[i:j])
            word = pieces[i]
            for k in range(i, j):
                if gaps[k] > narrow:
                    out.append(word)
                    word = ""
                word += pieces[k + 1]
            out.append(word)
        i = j + 1
    return out


def _run_together(name: str) -> list[str]:
    """Organ names written without a separator (`工业和信息化部办公厅国家标准化管理委员会办公室`) split where a
    known central organ's name (data/central_organs.tsv) starts right after an organ's ending; a name that is
    itself listed whole (中央纪委国家监委) or a division after a central name (国家税务总局山西省税务局) is one organ."""
    starts = _levels_api()[3]
    out, start = [], 0
    skip_to = start + starts(name, start)
    for j in range(2, len(name) - 2):
        if j < skip_to or not name[:j].endswith(_ORGAN_END):
            continue
        k = starts(name, j)
        if k and looks_like_organ(name[start:j]):
            out.append(name[start:j])
            start, skip_to = j, j + k
    out.append(name[start:])
    return out

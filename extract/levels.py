"""Administrative level (central → provincial → municipal → county → township) of an issuer.

Two ways in:

* :func:`level_of_agency` reads a 机关代字 (国办发, 晋人社厅, 云政发 …) against ``data/issuer_codes.tsv`` (longest
  listed prefix wins) and the provincial code abbreviations of ``data/province_names.tsv``. A code that real
  documents show in use by several issuers (安政办发: 安康市 and 安泽县) stays ``unknown``: a one-character local code
  is never guessed (../shared/reference/docnumbers.md §2.5).
* :func:`level_of_issuer` reads an organ name (山西省人力资源和社会保障厅, 安泽县人民政府办公室, 国务院办公厅) against
  full division names with their suffix (``data/divisions/``, NBS 2023 via modood/Administrative-divisions-of-China,
  WTFPL) and the central organ names of ``data/central_organs.tsv``. No 1–2 character stem fallback.

Levels follow ../shared/gold/GUIDELINES.md: the four 直辖市 are provincial, their districts county; 地区/盟/自治州
are municipal; 县级市 (also 省直辖县级) are county; 乡/镇/街道 are township.

All tables are read lazily, once, with importlib.resources from ``polgraph.data``.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["level_of_agency", "level_of_issuer", "find_place", "LEVELS"]

LEVELS = ("central", "provincial", "municipal", "county", "township", "unknown")
_UNKNOWN: tuple[str, None] = ("unknown", None)
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b]+")
_TERM = re.compile(r"^第[〇一二三四五六七八九十百]+届")


def _read(name: str) -> str:
    return resources.files("polgraph.data").joinpath(name).read_text(encoding="utf-8")


def _tsv(name: str, min_cols: int) -> list[list[str]]:
    rows = []
    for n, line in enumerate(_read(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < min_cols or not cols[0].strip():
            raise ValueError(f"{name} line {n}: expected at least {min_cols} tab-separated columns")
        rows.append([c.strip() for c in cols])
    return rows


# --- tables --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IssuerCode:
    code: str
    organ: str
    level: str          # central | provincial | municipal | county | ambiguous
    province: str | None
    exact: bool


@lru_cache(maxsize=None)
def issuer_codes() -> dict[str, IssuerCode]:
    """The rows of data/issuer_codes.tsv by code."""
    out: dict[str, IssuerCode] = {}
    for cols in _tsv("issuer_codes.tsv", 3):
        code, organ, level = cols[0], cols[1], cols[2]
        province = cols[3] if len(cols) > 3 and cols[3] else None
        exact = code.endswith("=")
        code = code.rstrip("=")
        if level not in ("central", "provincial", "municipal", "county", "ambiguous"):
            raise ValueError(f"issuer_codes.tsv: bad level {level!r} for {code}")
        if code in out:
            raise ValueError(f"issuer_codes.tsv: {code} listed twice")
        out[code] = IssuerCode(code, organ, level, province, exact)
    return out


@dataclass(frozen=True)
class _Divisions:
    province_names: dict[str, str]          # full or short name -> full province name
    province_full: frozenset[str]
    code_abbr: dict[str, str]               # 晋 -> 山西省
    shared_abbr: frozenset[str]             # abbreviations that a city or county also uses in its codes (苏: 苏州市)
    city_heads: frozenset[str]              # first two characters of prefecture names opening with an abbreviation
    cities: dict[str, list[tuple[str, str]]]                 # name -> [(city code, province)]
    areas: dict[str, list[tuple[str, str | None, str]]]      # name -> [(code, city code or None, province)]
    city_of_code: dict[str, str]
    max_len: int


@lru_cache(maxsize=None)
def _divisions() -> _Divisions:
    def rows(name):
        return list(csv.DictReader(io.StringIO(_read(f"divisions/{name}"))))

    provinces = {r["code"]: r["name"] for r in rows("provinces.csv")}
    names: dict[str, str] = {}
    code_abbr: dict[str, str] = {}
    for cols in _tsv("province_names.tsv", 3):
        full, short, abbr = cols[0], cols[1], cols[2]
        if full not in provinces.values():
            raise ValueError(f"province_names.tsv: {full} is not in divisions/provinces.csv")
        names[full] = full
        names[short] = full
        code_abbr[abbr] = full
    cities: dict[str, list[tuple[str, str]]] = {}
    city_of_code: dict[str, str] = {}
    placeholder = set()
    for r in rows("cities.csv"):
        if r["name"] in ("市辖区", "县") or "直辖" in r["name"]:
            placeholder.add(r["code"])
            continue
        cities.setdefault(r["name"], []).append((r["code"], provinces[r["provinceCode"]]))
        city_of_code[r["code"]] = r["name"]
    for cols in _tsv("divisions_former.tsv", 3):
        # names in use before the 2023 NBS vintage (莱芜市, 思茅市, 许昌县): same level, same province
        if cols[2] not in provinces.values():
            raise ValueError(f"divisions_former.tsv: {cols[2]} is not a province")
        if cols[1] == "municipal":
            cities.setdefault(cols[0], []).append(("former:" + cols[0], cols[2]))
    areas: dict[str, list[tuple[str, str | None, str]]] = {}
    for cols in _tsv("divisions_former.tsv", 3):
        if cols[1] == "county":
            areas.setdefault(cols[0], []).append(("former:" + cols[0], None, cols[2]))
    for r in rows("areas.csv"):
        city = None if r["cityCode"] in placeholder else r["cityCode"]
        areas.setdefault(r["name"], []).append((r["code"], city, provinces[r["provinceCode"]]))
    shared = frozenset(cols[2] for cols in _tsv("province_names.tsv", 3)
                       if len(cols) > 4 and cols[4] == "ambiguous")
    city_heads = frozenset(n[:2] for n in cities if n[0] in code_abbr and n[:2] not in names)
    max_len = max(len(n) for n in list(names) + list(cities) + list(areas))
    return _Divisions(names, frozenset(provinces.values()), code_abbr, shared, city_heads, cities, areas,
                      city_of_code, max_len)


@lru_cache(maxsize=None)
def _words() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for cols in _tsv("issuer_words.tsv", 2):
        out.setdefault(cols[1], []).append((cols[0], cols[2] if len(cols) > 2 else ""))
    for v in out.values():
        v.sort(key=lambda x: (-len(x[0]), x[0]))
    return out


@lru_cache(maxsize=None)
def _central_names() -> tuple[str, ...]:
    names = {cols[0] for cols in _tsv("central_organs.tsv", 1)}
    return tuple(sorted(names, key=lambda x: (-len(x), x)))


@lru_cache(maxsize=None)
def _township_re() -> re.Pattern:
    w = _words()
    units = "|".join(re.escape(x) for x, _ in w.get("township", []))
    organs = "|".join(re.escape(x) for x, _ in w.get("townshiporgan", []))
    return re.compile(f"^[\u4e00-\u9fffA-Za-z×Ｘ]{{1,10}}?(?:{units})(?:{organs}|$)")


@lru_cache(maxsize=None)
def _anon_re() -> re.Pattern:
    """XX省 / ××县 / 某市: an anonymised place name; its suffix still gives the level."""
    w = _words()
    marks = "|".join(re.escape(x) for x, _ in w.get("anonmark", []))
    suffixes = "|".join(re.escape(x) for x, _ in w.get("anonsuffix", []))
    return re.compile(f"^(?:{marks})+({suffixes})")


# --- agency codes --------------------------------------------------------------------------------------------
def level_of_agency(agency: str) -> tuple[str, str | None]:
    """(level, province or None) of a 机关代字 such as 国办发, 晋人社厅, 云政发, or of an order/announcement organ
    such as 国务院令, 山西省人民政府令, 国家税务总局公告. Known collisions and unknown local codes give
    ("unknown", None)."""
    a = _SPACE.sub("", agency or "")
    if not a:
        return _UNKNOWN
    # 令 / 公告 numbers carry the organ's name: read it as an issuer first
    for tail in ("公告", "令"):
        if a.endswith(tail) and len(a) > len(tail) + 1:
            r = level_of_issuer(a[: -len(tail)])
            if r[0] != "unknown":
                return r
    codes = issuer_codes()
    for k in range(len(a), 0, -1):
        row = codes.get(a[:k])
        if row is None or (row.exact and k != len(a)):
            continue
        if row.level == "ambiguous":
            return _UNKNOWN
        return row.level, row.province
    d = _divisions()
    prov = d.code_abbr.get(a[0])
    if prov is None or len(a) < 2:
        return _UNKNOWN
    rest = a[1:]
    municipality = prov.endswith("市")  # 京津沪渝: 沪市监 is the 直辖市's own 市场监管局
    if a[:2] in d.city_heads or (rest[0] in "市县区" and not municipality) or any(a.startswith(c) for c in d.cities):
        # 晋中, 黔东南, 辽阳, 赣市府发, 吉林市…: the code names a city or county, not the province
        return _UNKNOWN
    if rest[0] in "政府":
        # a government code not attested for this province (苏府 is Suzhou, 云府 is Yunfu): do not guess
        return _UNKNOWN
    if "厅" in rest:
        # 厅 is a provincial department (city bureaus are 局): 晋人社厅, 冀人社厅字
        return "provincial", prov
    if a[0] in d.shared_abbr:
        # 苏住建规 (苏州), 青工信字 (青岛): a city uses the same character
        return _UNKNOWN
    return "provincial", prov


# --- issuer names --------------------------------------------------------------------------------------------
def _match_divisions(s: str, pos: int = 0, allow_short_province: bool = True):
    """Follow division names from ``pos``: province, then city, then county, each optional but in order.
    Returns (level, province, end) or None."""
    d = _divisions()
    notafter = {x for x, _ in _words().get("notafter", [])}
    generic = {x for x, _ in _words().get("genericarea", [])}
    level = None
    prov = None
    city_code = None
    n = len(s)

    def longest(table, at):
        for k in range(min(d.max_len, n - at), 1, -1):
            if s[at:at + k] in table:
                yield s[at:at + k]

    # province (a city name that is longer wins: 吉林市 is the city, not 吉林 the province)
    city_here = next(longest(d.cities, pos), "")
    for name in longest(d.province_names, pos):
        full = d.province_names[name]
        if name != full and not allow_short_province:
            continue
        if len(city_here) > len(name):
            break
        level, prov, pos = "provincial", full, pos + len(name)
        break
    # city
    for name in longest(d.cities, pos):
        if pos + len(name) < n and s[pos + len(name)] in notafter:
            continue
        cands = [c for c in d.cities[name] if prov is None or c[1] == prov]
        if len(cands) != 1:
            continue
        city_code, prov = cands[0]
        level, pos = "municipal", pos + len(name)
        break
    # county
    for name in longest(d.areas, pos):
        if pos + len(name) < n and s[pos + len(name)] in notafter:
            continue
        cands = d.areas[name]
        if city_code is not None:
            cands = [c for c in cands if c[1] == city_code]
        elif prov is not None:
            cands = [c for c in cands if c[2] == prov]
        elif name in generic:
            continue
        if not cands:
            continue
        provs = {c[2] for c in cands}
        prov = provs.pop() if len(provs) == 1 else None
        level, pos = "county", pos + len(name)
        break
    if level is None:
        return None
    return level, prov, pos


def level_of_issuer(name: str) -> tuple[str, str | None]:
    """(level, province or None) of an issuing organ named in full: 国务院办公厅 → central;
    山西省人力资源和社会保障厅 → provincial; 普洱市人民政府 → municipal; 安泽县人民政府办公室 → county;
    …镇人民政府 → township. Joint issuers (space- or 、-separated) are read by the first one."""
    s = _SPACE.sub(" ", name or "").strip()
    if not s:
        return _UNKNOWN
    s = re.split(r"[ 、，,]", s)[0]
    w = _words()
    for p, _ in w.get("stateprefix", []):
        if s.startswith(p) and len(s) > len(p):
            s = s[len(p):]
            break
    s = _TERM.sub("", s)  # 第九届全国人民代表大会常务委员会: the term number is not part of the name
    central = next((c for c in _central_names() if s.startswith(c)), None)
    for p, _ in w.get("partyprefix", []):
        if s.startswith(p) and len(s) > len(p) + 1:
            s = s[len(p):]
            break
    m = _match_divisions(s)
    if m is not None:
        level, prov, end = m
        if _township_re().match(s[end:]):
            return "township", prov
        return level, prov
    if central is not None:
        # 国家税务总局山西省税务局: a division after the central name decides
        rest = s[len(central):] if s.startswith(central) else ""
        m = _match_divisions(rest, allow_short_province=False) if rest else None
        if m is not None:
            return m[0], m[1]
        return "central", None
    a = _anon_re().match(s)
    if a:
        return dict(w.get("anonsuffix", []))[a.group(1)], None
    if _township_re().match(s):
        return "township", None
    for g, level in w.get("generic", []):
        if s.startswith(g):
            return level, None
    return _UNKNOWN


@lru_cache(maxsize=None)
def _place_re() -> re.Pattern:
    d = _divisions()
    generic = {x for x, _ in _words().get("genericarea", [])}
    names = set(d.province_full) | set(d.cities) | {a for a in d.areas if a not in generic}
    return re.compile("|".join(re.escape(x) for x in sorted(names, key=lambda x: (-len(x), x))))


def find_place(text: str) -> tuple[str, str | None] | None:
    """(level, province) of the first division name in ``text`` (full names with their suffix; a province
    followed by its city and county gives the most specific level), or None."""
    if not text:
        return None
    notafter = {x for x, _ in _words().get("notafter", [])}
    for m in _place_re().finditer(text):
        if m.end() < len(text) and text[m.end()] in notafter and m.group() not in _divisions().province_full:
            continue
        r = _match_divisions(text, m.start(), allow_short_province=False)
        if r is not None:
            return r[0], r[1]
    return None

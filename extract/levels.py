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

__all__ = ["level_of_agency", "level_of_issuer", "level_of_title", "level_of_text", "addressee_level", "find_place",
           "divisions_of_issuer", "division_table", "Division", "LEVELS"]

from polgraph.vocabulary import LEVELS  # noqa: E402  (data/levels.tsv)
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
        if level != "ambiguous" and (level not in LEVELS or level in ("township", "unknown")):
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
    full_name: dict[str, str]               # short name of an autonomous division -> its full name (海南州 -> 海南藏族自治州)


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
    full_name = _add_short_names(cities, areas)
    shared = frozenset(cols[2] for cols in _tsv("province_names.tsv", 3)
                       if len(cols) > 4 and cols[4] == "ambiguous")
    city_heads = frozenset(n[:2] for n in cities if n[0] in code_abbr and n[:2] not in names)
    max_len = max(len(n) for n in list(names) + list(cities) + list(areas))
    return _Divisions(names, frozenset(provinces.values()), code_abbr, shared, city_heads, cities, areas,
                      city_of_code, max_len, full_name)


_AUTONOMOUS = (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗"))


def autonomous_short_name(full: str) -> str | None:
    """The short name of an autonomous division: its name without the 民族 (data/ethnic_groups.tsv, with or
    without 族) and without 自治 (海南藏族自治州 -> 海南州, 黔东南苗族侗族自治州 -> 黔东南州, 伊犁哈萨克自治州 ->
    伊犁州, 鄂伦春自治旗 -> 鄂伦春旗), or None for another name."""
    suffix = next(((a, b) for a, b in _AUTONOMOUS if full.endswith(a)), None)
    if suffix is None:
        return None
    core = stem = full[:-len(suffix[0])]
    peoples = _ethnic_groups()
    while True:
        for people in peoples:
            if stem.endswith(people + "族") and len(stem) > len(people) + 1:
                stem = stem[:-len(people) - 1]
                break
            if len(people) >= 2 and stem.endswith(people) and len(stem) > len(people):
                stem = stem[:-len(people)]
                break
        else:
            break
    if len(stem) < 2:  # the division is named by its people (鄂伦春自治旗)
        stem = core
    if stem.endswith("族") and stem[:-1] in peoples:  # 鄂温克族自治旗 -> 鄂温克旗, 东乡族自治县 -> 东乡县
        stem = stem[:-1]
    return stem + suffix[1] if len(stem) >= 2 else None


@lru_cache(maxsize=None)
def _ethnic_groups() -> tuple[str, ...]:
    return tuple(sorted((cols[0] for cols in _tsv("ethnic_groups.tsv", 1)), key=lambda x: (-len(x), x)))


def _add_short_names(cities: dict, areas: dict) -> dict[str, str]:
    """Autonomous prefectures, counties and banners under their short names too (海南州, 长阳县): derived by
    autonomous_short_name, plus the irregular ones of data/division_aliases.tsv. A short name that is already
    another division's name is not added."""
    aliases = {}
    for table in (cities, areas):
        for full in list(table):
            short = autonomous_short_name(full)
            if short:
                aliases[short] = full
    for cols in _tsv("division_aliases.tsv", 2):
        if cols[1] not in cities and cols[1] not in areas:
            raise ValueError(f"division_aliases.tsv: {cols[1]} is not in data/divisions/")
        aliases[cols[0]] = cols[1]
    added = {}
    for short, full in sorted(aliases.items()):
        if short in cities or short in areas:
            continue
        table = cities if full in cities else areas
        table[short] = table[full]
        added[short] = full
    return added


@lru_cache(maxsize=None)
def _words() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for cols in _tsv("issuer_words.tsv", 2):
        out.setdefault(cols[1], []).append((cols[0], cols[2] if len(cols) > 2 else ""))
    for v in out.values():
        v.sort(key=lambda x: (-len(x[0]), x[0]))
    return out


def issuer_words(role: str) -> list[tuple[str, str]]:
    """(word, value) of data/issuer_words.tsv rows of one role, longest word first."""
    return _words().get(role, [])


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
    m = _match_division_units(s, pos, allow_short_province)
    return None if m is None else (m[0], m[1], m[4])


def _match_division_units(s: str, pos: int = 0, allow_short_province: bool = True):
    """_match_divisions with the codes of what it matched: (level, province, city code or None,
    (county name, county code) or None, end), or None."""
    d = _divisions()
    notafter = {x for x, _ in _words().get("notafter", [])}
    generic = {x for x, _ in _words().get("genericarea", [])}
    level = None
    prov = None
    city_code = None
    county = None
    n = len(s)

    def longest(table, at):
        for k in range(min(d.max_len, n - at), 1, -1):
            if s[at:at + k] in table:
                yield s[at:at + k]

    # province (a city or county name that is longer wins: 吉林市 is the city, not 吉林 the province, and 河南县
    # the county of 青海, not 河南)
    unit_here = max(next(longest(d.cities, pos), ""), next(longest(d.areas, pos), ""), key=len)
    for name in longest(d.province_names, pos):
        full = d.province_names[name]
        if name != full and not allow_short_province:
            continue
        if len(unit_here) > len(name):
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
        if len(cands) == 1:
            county, city_code = (name, cands[0][0]), cands[0][1]
        level, pos = "county", pos + len(name)
        break
    if level is None:
        return None
    return level, prov, city_code, county, pos


def _issuer_core(name: str) -> tuple[str, str | None]:
    """The first organ of an issuer string without its state, term and party prefixes, and the central
    organ name it opens with (or None)."""
    s = _SPACE.sub(" ", name or "").strip()
    if not s:
        return "", None
    if " " in s and all(len(p) == 1 for p in s.split(" ")):
        s = s.replace(" ", "")  # a signature spaced out letter by letter: 科 技 部
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
    return s, central


def level_of_issuer(name: str) -> tuple[str, str | None]:
    """(level, province or None) of an issuing organ named in full: 国务院办公厅 → central;
    山西省人力资源和社会保障厅 → provincial; 普洱市人民政府 → municipal; 安泽县人民政府办公室 → county;
    …镇人民政府 → township. Joint issuers (space- or 、-separated) are read by the first one."""
    s, central = _issuer_core(name)
    if not s:
        return _UNKNOWN
    w = _words()
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


# --- division units with their codes (polgraph diffusion) --------------------------------------------------
@dataclass(frozen=True)
class Division:
    name: str
    adcode: str | None       # six digits (510000, 510700, 510722); None for a name no longer in the table
    level: str               # provincial | municipal | county
    province: str
    city: str | None = None  # the prefecture of a county; None under a 直辖市 or for a 省直辖 county


@lru_cache(maxsize=None)
def division_table() -> tuple[Division, ...]:
    """Every province, prefecture and county-level division of ``data/divisions/`` (placeholders such as 市辖区
    dropped), provinces first, each in code order."""
    d = _divisions()
    rows = [Division(r["name"], r["code"] + "0000", "provincial", r["name"])
            for r in csv.DictReader(io.StringIO(_read("divisions/provinces.csv")))]
    prov_of = {r["code"]: r["name"] for r in csv.DictReader(io.StringIO(_read("divisions/provinces.csv")))}
    for r in csv.DictReader(io.StringIO(_read("divisions/cities.csv"))):
        if r["code"] in d.city_of_code:
            rows.append(Division(r["name"], r["code"] + "00", "municipal", prov_of[r["provinceCode"]]))
    for r in csv.DictReader(io.StringIO(_read("divisions/areas.csv"))):
        rows.append(Division(r["name"], r["code"], "county", prov_of[r["provinceCode"]],
                             d.city_of_code.get(r["cityCode"])))
    return tuple(rows)


@lru_cache(maxsize=None)
def _division_by_code() -> dict[str, Division]:
    return {x.adcode: x for x in division_table()}


def _code_division(code: str | None, adcode: str | None) -> Division | None:
    return _division_by_code().get(adcode) if code and not code.startswith("former:") else None


def divisions_of_issuer(name: str) -> dict[str, Division] | None:
    """The divisions an issuing organ belongs to, keyed ``province``, ``city`` and ``county`` (the keys it
    has), read like :func:`level_of_issuer` reads the level; None when it names no division.

    >>> {k: (v.name, v.adcode) for k, v in divisions_of_issuer("安泽县人民政府办公室").items()}
    {'province': ('山西省', '140000'), 'city': ('临汾市', '141000'), 'county': ('安泽县', '141026')}
    """
    s, central = _issuer_core(name)
    if not s:
        return None
    m = _match_division_units(s)
    if m is None and central is not None and s.startswith(central) and len(s) > len(central):
        m = _match_division_units(s[len(central):], allow_short_province=False)  # 国家税务总局山西省税务局
    if m is None or m[1] is None:
        return None
    _, prov, city_code, county, _ = m
    by_name = {x.name: x for x in division_table() if x.level == "provincial"}
    out = {"province": by_name[prov]}
    if city_code is not None:
        city = _code_division(city_code, city_code + "00") if not city_code.startswith("former:") else None
        out["city"] = city or Division(city_code.removeprefix("former:"), None, "municipal", prov)
    if county is not None:
        cname, ccode = county
        out["county"] = _code_division(ccode, ccode) or Division(cname, None, "county", prov,
                                                                 out["city"].name if "city" in out else None)
    return out


def central_name_at(name: str, pos: int) -> int:
    """The length of the longest central organ name (data/central_organs.tsv, 3+ characters) that starts at
    ``pos`` in ``name``, else 0."""
    return next((len(c) for c in _central_names() if len(c) >= 3 and name.startswith(c, pos)), 0)


# --- organs named without their place (市工业和信息化局 in a 天津 document) ------------------------------------------
_UNIT_KINDS = {  # kind of division a level word stands for -> ((table, name ending), ...)
    "autonomousregion": (("province", "自治区"),),
    "province": (("province", "省"),),
    "city": (("province", "市"), ("city", "市"), ("area", "市")),
    "prefecture": (("city", "州"),),
    "league": (("city", "盟"),),
    "county": (("area", "县"),),
    "district": (("area", "区"),),
    "banner": (("area", "旗"),),
}
PLACE_HEAD_CHARS = 2000  # where a document names its own place: its head (addressees, the opening) ...
PLACE_TAIL_CHARS = 1000  # ... and its tail (signature, contact address)
TITLE_PLACE_WEIGHT = 3
_CITED_TITLE = re.compile(r"《[^《》]*》")


def bare_organ_word(name: str) -> bool:
    """Whether `name` is only an organ word that needs a place or unit before it (政府, 人民政府, 党委: the
    townshiporgan words of data/issuer_words.tsv): `政府令〔2012〕第9号` names no organ."""
    return _SPACE.sub("", name or "") in _organ_words()


@lru_cache(maxsize=None)
def _organ_words() -> frozenset[str]:
    return frozenset(x for x, _ in _words().get("townshiporgan", []))


def abbreviated_unit(name: str) -> str | None:
    """The level word (data/issuer_words.tsv, role abbrevunit) that opens an organ named without its place:
    市工业和信息化局 -> 市, 省财政厅 -> 省, 自治区人民政府 -> 自治区; None for a name with a place, a central organ
    (市场监管总局) or another word (区域, 省级)."""
    s = _SPACE.sub("", name or "")
    w = _words()
    for p, _ in w.get("partyprefix", []):
        if s.startswith(p) and len(s) > len(p) + 1:
            s = s[len(p):]
            break
    notafter = {x for x, _ in w.get("abbrevnotafter", [])}
    for unit, _ in w.get("abbrevunit", []):
        if (s.startswith(unit) and len(s) > len(unit) and s[len(unit)] not in notafter
                and not central_name_at(s, 0) and _match_divisions(s) is None):
            return unit
    return None


def place_of_unit(text: str, unit: str, title: str | None = None) -> str | None:
    """The full name of the division of the kind `unit` stands for (市: a city, a 直辖市 or a county-level city;
    省: a province; 州: a prefecture …) that the document names as its own: every division named in its title,
    head and tail counts for itself and for the divisions above it (河西区 counts for 天津市); the most counted
    wins, the first named on a tie. None when it names none."""
    kinds = _UNIT_KINDS.get(dict(_words().get("abbrevunit", [])).get(unit, ""))
    if not kinds:
        return None
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    # the title names the document's own place (a cited 《title》 in it does not): its names weigh more; in the
    # body a two-character name is too often part of other words (市和县 is no 和县)
    parts = [(_CITED_TITLE.sub("", title or ""), TITLE_PLACE_WEIGHT, 2), (text[:PLACE_HEAD_CHARS], 1, 3)]
    if len(text) > PLACE_HEAD_CHARS:
        parts.append((text[max(PLACE_HEAD_CHARS, len(text) - PLACE_TAIL_CHARS):], 1, 3))
    order = 0
    for part, weight, shortest in parts:
        for start, end in _place_matches(part):
            order += 1
            if end - start < shortest:
                continue
            for table, name in _division_chain(part[start:end]):
                if any(table == t and name.endswith(e) for t, e in kinds):
                    counts[name] = counts.get(name, 0) + weight
                    first.setdefault(name, order)
    if not counts:
        return None
    return min(counts, key=lambda n: (-counts[n], first[n]))


def _place_of_agency(agency: str | None, unit: str) -> str | None:
    """The province a 机关代字 names (level_of_agency), where it is of the kind `unit` stands for, else None."""
    if not agency:
        return None
    level, province = level_of_agency(agency)
    kinds = _UNIT_KINDS.get(dict(_words().get("abbrevunit", [])).get(unit, ""), ())
    if level != "provincial" or province is None:
        return None
    return province if any(t == "province" and province.endswith(e) for t, e in kinds) else None


def _division_chain(name: str) -> list[tuple[str, str]]:
    """(table, full name) of a division named `name` and of the divisions above it, where the name is unique:
    河西区 -> [(area, 河西区), (province, 天津市)]; 海南州 -> [(city, 海南藏族自治州), (province, 青海省)]."""
    d = _divisions()
    full = d.full_name.get(name, name)
    if name in d.province_full:
        return [("province", name)]
    if name in d.cities:
        entries = d.cities[name]
        if len(entries) == 1:
            return [("city", full), ("province", entries[0][1])]
        return []
    entries = d.areas.get(name, [])
    if len(entries) != 1:
        return []
    _, city, province = entries[0]
    chain = [("area", full)]
    if city is not None and city in d.city_of_code:
        chain.append(("city", d.city_of_code[city]))
    chain.append(("province", province))
    return chain


def with_place(name: str, text: str, title: str | None = None, agency: str | None = None) -> str:
    """An organ named without its place, with the place the document names as its own (GUIDELINES:
    市工业和信息化局 in a 天津 document is 天津市工业和信息化局); else the name as written. The own number's
    机关代字 (``agency``) names a province first where it names one of the kind (省财政厅 under 云财预 -> 云南省,
    市财政局 under 津财预 -> 天津市)."""
    unit = abbreviated_unit(name)
    if unit is None:
        return name
    place = _place_of_agency(agency, unit) or place_of_unit(text, unit, title)
    if place is None:
        return name
    s = _SPACE.sub("", name)
    k = s.find(unit)
    return s[:k] + place + s[k + len(unit):]


def _place_names() -> set[str]:
    """Full division names (provinces, cities, counties but the generic ones) that find_place looks for."""
    d = _divisions()
    generic = {x for x, _ in _words().get("genericarea", [])}
    return set(d.province_full) | set(d.cities) | {a for a in d.areas if a not in generic}


@lru_cache(maxsize=None)
def _place_re() -> re.Pattern:
    """_place_names as one alternation, longest first (the definition _place_matches implements)."""
    return re.compile("|".join(re.escape(x) for x in sorted(_place_names(), key=lambda x: (-len(x), x))))


def find_place(text: str) -> tuple[str, str | None] | None:
    """(level, province) of the first division name in ``text`` (full names with their suffix; a province
    followed by its city and county gives the most specific level), or None."""
    if not text:
        return None
    notafter = {x for x, _ in _words().get("notafter", [])}
    for start, end in _place_matches(text):
        if end < len(text) and text[end] in notafter and text[start:end] not in _divisions().province_full:
            continue
        r = _match_divisions(text, start, allow_short_province=False)
        if r is not None:
            return r[0], r[1]
    return None


@lru_cache(maxsize=None)
def _place_index() -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """The names _place_re alternates, and for each first character the lengths of its names, longest first."""
    names = frozenset(_place_names())
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[0], set()).add(len(name))
    return names, {c: tuple(sorted(ks, reverse=True)) for c, ks in lengths.items()}


def _place_matches(text: str):
    """(start, end) of _place_re.finditer(text): at each position the longest name written there (the
    alternation is ordered longest first), the search going on after it. Set lookups by first character
    instead of the regex's thousands of alternatives tried at every position."""
    names, lengths = _place_index()
    n = len(text)
    p = 0
    while p < n:
        for k in lengths.get(text[p], ()):
            if p + k <= n and text[p:p + k] in names:
                yield p, p + k
                p += k
                break
        else:
            p += 1


# --- the body of a document ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _TextRules:
    self_re: re.Pattern          # self phrases and scope phrases, one alternation
    level_of: dict[str, str]     # phrase -> level
    notbefore: frozenset[str]
    notafter: frozenset[str]
    rankbefore: frozenset[str]   # 居全省, 入选全省: the author ranked within the division, not the division
    rankafter: frozenset[str]    # 全省第一, 全省前列, 全省率先
    municipalities: tuple[str, ...]
    autonomous: tuple[str, ...]
    addressee_re: re.Pattern
    addressees: dict[str, str]
    lawkinds: tuple[str, ...]
    zones: tuple[str, ...]
    duty_re: re.Pattern | None   # （X、Y按职责分工负责）: X is the author's own organ or its subordinate
    duty_cores: tuple[str, ...]  # duty words holding no other: every duty_re match holds one
    duty_reach: int              # a duty_re match lies within this many characters of the duty core it holds
    national: tuple[str, ...]    # how a body speaks of the whole country (全国, 我国, 各地区)
    local_organs: tuple[str, ...]  # a local government or party committee named in a body (市政府, 省委)


@lru_cache(maxsize=None)
def _text_rules() -> _TextRules:
    level_of: dict[str, str] = {}
    chars: dict[str, set[str]] = {"notbefore": set(), "notafter": set(), "rankbefore": set(),
                                  "rankafter": set()}  # characters, not phrases
    phrases: dict[str, list[str]] = {"municipality": [], "autonomous": [], "lawkind": [], "zone": [], "duty": [],
                                     "national": [], "localorgan": []}
    for cols in _tsv("text_levels.tsv", 3):
        phrase, level, role = cols[0], cols[1], cols[2]
        if role in ("self", "scope"):
            if level not in LEVELS or level == "unknown":
                raise ValueError(f"text_levels.tsv: bad level {level!r} for {phrase}")
            level_of[phrase] = level
        elif role in chars:
            chars[role].update(phrase)
        elif role in phrases:
            phrases[role].append(phrase)
        else:
            raise ValueError(f"text_levels.tsv: unknown role {role!r} for {phrase}")
    notbefore, notafter = chars["notbefore"], chars["notafter"]
    municipalities, autonomous = phrases["municipality"], phrases["autonomous"]
    lawkinds, zones, duties = phrases["lawkind"], phrases["zone"], phrases["duty"]
    alts = "|".join(re.escape(p) for p in sorted(level_of, key=lambda x: (-len(x), x)))
    addressees = {cols[0]: cols[1] for cols in _tsv("addressee_levels.tsv", 2)}
    for opening, level in addressees.items():
        if level not in LEVELS:
            raise ValueError(f"addressee_levels.tsv: bad level {level!r} for {opening}")
    duty_re = None
    if duties:
        words = "|".join(re.escape(x) for x in sorted(duties, key=lambda x: (-len(x), x)))
        duty_re = re.compile(r"[（(]([^（）()\n]{2,80}?)(?:等(?:相关|有关)?(?:部门|单位))?(?:" + words + r")[^（）()\n]{0,10}[)）]")
    openings = "|".join(re.escape(k) for k in sorted(addressees, key=lambda x: (-len(x), x)))
    # the addressee list ends with a colon on its line (its items may be separated by ；):
    # 各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
    addressee_re = re.compile("(" + openings + ")[^。\n：:]{0,150}[：:]")
    return _TextRules(re.compile(alts), level_of, frozenset(notbefore), frozenset(notafter),
                      frozenset(chars["rankbefore"]), frozenset(chars["rankafter"]),
                      tuple(municipalities), tuple(autonomous), addressee_re, addressees, tuple(lawkinds),
                      tuple(zones), duty_re, tuple(w for w in duties if not any(v != w and v in w for v in duties)),
                      # （ + the organs (80) + 等有关部门 + the duty phrase + 10 + ）
                      1 + 80 + 7 + max(map(len, duties), default=0) + 10 + 1,
                      tuple(phrases["national"]), tuple(phrases["localorgan"]))


ADDRESSEE_CHARS = 3000
SELF_CHARS = 20000
LAW_HEADER_CHARS = 6000
_INFO_END = "<!-- INFO END -->"
_HEADER_DATE = re.compile(r"^\s*(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*")
_HEADER_ACT = re.compile(r"(?:第[^\n]{1,12}?次(?:常务)?(?:会议|全体会议)|会议|[（(]?第\d+号|令第|公告第|公告|发布|公布|颁布|通过|"
                         r"批准|修正|修订)")
_INTERPRETER = re.compile(r"(?:本[\u4e00-\u9fff]{1,8}由|解释权归)([^，。；;,\n]{2,40}?)(?:负责解释|解释|所有)?[。；;\n]")


def addressee_level(text: str) -> str:
    """The sender's level read off an addressee line near the start (data/addressee_levels.tsv):
    各省、自治区、直辖市人民政府… -> central; 各市、县（市、区）人民政府… -> provincial; 各县（市、区）… -> municipal."""
    if text.find("各", 0, ADDRESSEE_CHARS) < 0:  # no slice of the head
        return "unknown"
    r = _text_rules()
    pos = 0
    while True:
        m = r.addressee_re.search(text, pos, ADDRESSEE_CHARS)
        if m is None:
            return "unknown"
        line_start = text.rfind("\n", 0, m.start()) + 1
        if "各" not in text[line_start:m.start()]:
            return r.addressees[m.group(1)]
        # an opening that is not the first item of its line (各市人民政府，各县（市、区）…) does not decide
        pos = m.end()


def _law_header_level(text: str) -> tuple[str, str | None]:
    """A law's history header (lines before ``<!-- INFO END -->``): the organ of its first dated line that names
    one and is not an approval by a higher body (…常务委员会第九次会议通过 / 国务院发布 / 中共中央、国务院发布)."""
    end = text.find(_INFO_END, 0, LAW_HEADER_CHARS)
    if end < 0:
        return _UNKNOWN
    lines = text[:end].split("\n")[1:]
    for i, line in enumerate(lines):
        d = _HEADER_DATE.match(line)
        if not d:
            continue
        rest = line[d.end():]
        if "批准" in rest or "修改" in rest or "决定" in rest:
            continue  # a higher body approving it, or an amending decision: not its author
        if not _HEADER_ACT.search(rest) and i + 1 < len(lines):
            rest += lines[i + 1].strip()  # 青岛市第十五届人民代表大会常务委员会⏎第九次会议通过
        a = _HEADER_ACT.search(rest)
        organ = rest[:a.start()] if a else rest
        organ = organ.strip(" \t\u3000")
        if len(organ) < 2:
            continue
        r = level_of_issuer(organ)
        if r[0] != "unknown":
            return r
    return _UNKNOWN


def _interpreter_level(text: str) -> tuple[str, str | None]:
    """本办法由X负责解释 / 解释权归X: the organ that interprets a rule is the one that issued it."""
    if "解释" not in text:
        return _UNKNOWN
    for m in _INTERPRETER.finditer(text):
        r = level_of_issuer(m.group(1))
        if r[0] != "unknown":
            return r
    return _UNKNOWN


def _self_level(text: str) -> str:
    """The level most named by the text as its own (我省, 全市, 本县, 我部), by a central document's scope
    wording (各省、自治区、直辖市) or by the organs it charges with a task (（省发展改革委、省财政厅按职责分工负责）);
    of levels named equally often, the one named first."""
    r = _text_rules()
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    n = min(len(text), SELF_CHARS)
    said: dict[str, int] = {}  # self phrases alone: the duty parentheses below may name subordinates
    municipality = autonomous = None  # does the head name a 直辖市 / the text an autonomous region: asked once
    for m in r.self_re.finditer(text, 0, n):
        if m.start() > 0 and text[m.start() - 1] in r.notbefore:
            continue
        if m.end() < len(text) and text[m.end()] in r.notafter:
            continue
        if m.group()[0] == "全" and (m.end() < len(text) and text[m.end()] in r.rankafter
                                    or m.start() > 0 and text[m.start() - 1] in r.rankbefore):
            continue  # 居全省第一: a city ranked within its province
        if m.start() > 0 and _ends_a_division_name(text, m.start(), m.end()):
            continue  # 天全县, 全州县: a place whose name ends like a self phrase
        level = r.level_of[m.group()]
        last = m.group()[-1]
        if last == "市":
            if municipality is None:
                municipality = _names_a_municipality(text, r.municipalities)
            if municipality:
                level = "provincial"
        elif last == "区":
            if autonomous is None:
                autonomous = any(text.find(x, 0, n) >= 0 for x in r.autonomous)
            if autonomous:
                level = "provincial"
        counts[level] = counts.get(level, 0) + 1
        first.setdefault(level, m.start())
    said.update(counts)
    if r.duty_re is not None:
        for m in _duty_matches(text, n, r):
            level = level_of_issuer(_ITEM_SEPARATOR.split(m.group(1))[0])[0]
            if level != "unknown":
                counts[level] = counts.get(level, 0) + 1
                first.setdefault(level, m.start())
    if not counts:
        return "unknown"
    # A text speaks of the level above its own too -- a city's report ranks the city within its province
    # (全省第一, 高于全省) far more often than a province speaks of one city -- so the lowest level it names as
    # its own at least SELF_LOWEST times wins; else the level named most.
    lowest = [lv for lv in _LOWEST_FIRST if said.get(lv, 0) >= SELF_LOWEST]
    if lowest:
        return lowest[0]
    return min(counts, key=lambda lv: (-counts[lv], first[lv]))


def _names_a_municipality(text: str, municipalities) -> bool:
    """Does the text name a 直辖市 as its own: in its first line (a title such as 上海市…条例), or throughout its
    head, about once every 500 characters (a Shanghai report says 上海 on every other line; a city near
    Shanghai says 接轨上海 now and then)?"""
    line_end = text.find("\n", 0, MUNICIPALITY_OPENING)
    opening = MUNICIPALITY_OPENING if line_end < 0 else line_end
    if any(text.find(x, 0, opening) >= 0 for x in municipalities):
        return True
    n = min(len(text), ADDRESSEE_CHARS)
    need = max(2, n // 500)
    return any(text.count(x, 0, n) >= need for x in municipalities)


MUNICIPALITY_OPENING = 40  # characters of the first line read: a title names its place up front


def _ends_a_division_name(text: str, start: int, end: int) -> bool:
    """Is text[start:end] the end of a division's name written there (天全县, 全州县)?"""
    d = _divisions()
    return any(text[k:end] in d.cities or text[k:end] in d.areas for k in range(max(0, start - 3), start))


SELF_LOWEST = 3
_LOWEST_FIRST = tuple(reversed(LEVELS[:-1]))  # township ... central: every level but unknown, lowest first
_ITEM_SEPARATOR = re.compile(r"[、，,；;]")


def _duty_matches(text: str, n: int, r: _TextRules):
    """r.duty_re.finditer(text, 0, n), run only around the duty words: a match lies within r.duty_reach of the
    word it holds, so it lies inside one of the merged windows, and the windows hold nothing else."""
    reach = r.duty_reach
    at = []
    for word in r.duty_cores:
        i = text.find(word, 0, n)
        while i >= 0:
            at.append(i)
            i = text.find(word, i + 1, n)
    if not at:
        return
    at.sort()
    lo, hi = max(0, at[0] - reach), min(n, at[0] + reach)
    for i in at[1:]:
        if i - reach > hi:
            yield from r.duty_re.finditer(text, lo, hi)
            lo = i - reach
        hi = min(n, i + reach)
    yield from r.duty_re.finditer(text, lo, hi)


_TITLE_BRACKETS = re.compile(r"[（(][^（()）]{0,20}[)）]$")


@lru_cache(maxsize=4096)
def level_of_title(title: str | None) -> tuple[str, str | None]:
    """(level, province or None) of a document by its title alone: a state prefix (中华人民共和国…法) is central;
    an organ or a full place name opening it (公安部对…的规定, 国家…条例, 青岛市…条例); a province's short name
    (上海港口条例, 中国（上海）自由贸易试验区条例) or a city's name before 经济特区 (汕头经济特区…条例)."""
    t = _SPACE.sub("", title or "")
    if not t:
        return _UNKNOWN
    if _opens_with_state_prefix(t):
        return "central", None
    r = level_of_issuer(t)
    if r[0] != "unknown":
        return r
    d = _divisions()
    province = _province_opening(_title_head(t))
    if province is not None:
        return "provincial", province
    rules = _text_rules()
    for zone in rules.zones:
        k = t.find(zone)
        if 2 <= k <= 4:
            stem = t[:k]
            cities = [c for name, cs in d.cities.items() if name[:-1] == stem and name.endswith("市") for c in cs]
            if len(cities) == 1:
                return "municipal", cities[0][1]
    return _UNKNOWN


@lru_cache(maxsize=1 << 14)
def level_of_cited_title(title: str | None) -> tuple[str, str | None]:
    """(level, province or None) of a cited document by what its title opens with: the state prefix
    (中华人民共和国…), a division (上海市…条例, 崂山区…办法) or a province's short name (浙江省 / 上海港口条例);
    else a law kind with no place in it (物权法, 物业管理条例) is national. Unlike level_of_title, an organ
    inside the title (山东省乡镇人民代表大会工作若干规定) is not read as its issuer."""
    t = _SPACE.sub("", title or "")
    if not t:
        return _UNKNOWN
    if _opens_with_state_prefix(t):
        return "central", None
    head = _title_head(t)
    first = next(_place_matches(head), None)
    if first is not None and first[0] == 0:
        r = _match_divisions(head, 0, allow_short_province=False)
        if r is not None:
            return r[0], r[1]
    province = _province_opening(head)
    if province is not None:
        return "provincial", province
    return _lawkind_level(t), None


def _opens_with_state_prefix(t: str) -> bool:
    """中华人民共和国…法: a title opening with the state's name (and going on) is national."""
    return any(t.startswith(p) and len(t) > len(p) + 1 for p, _ in _words().get("stateprefix", []))


def _title_head(t: str) -> str:
    """The title without a leading 中国（: 中国（上海）自由贸易试验区条例 is Shanghai's."""
    return t[3:] if t.startswith(("中国（", "中国(")) else t


def _province_opening(head: str) -> str | None:
    """The full name of the province whose full or short name opens `head` (上海港口条例 -> 上海市), or None."""
    names = _divisions().province_names
    for k in (3, 2):
        full = names.get(head[:k])
        if full is not None:
            return full
    return None


def _lawkind_level(title: str | None) -> str:
    """A law, regulation, rule or judicial interpretation titled without any place or issuer is national."""
    t = _TITLE_BRACKETS.sub("", _SPACE.sub("", title or ""))
    if not t or not t.endswith(_text_rules().lawkinds) or find_place(t) is not None:
        return "unknown"
    return "central"


def level_of_text(text: str, title: str | None = None) -> tuple[str, str | None]:
    """(level, province or None) when no issuer and no own number decide, first hit wins: the title
    (level_of_title); a law's history header; the addressee line; the organ that interprets the rule
    (本办法由X负责解释); the level the text names as its own (我省/全市/我部 …, data/text_levels.tsv); a law-kind
    title that names no place (national); a body that speaks of the whole country (全国, 我国 …) and of nothing
    of its own, or a substantial body that names no division at all (national)."""
    r = level_of_title(title)
    if r[0] != "unknown":
        return r
    if not text:
        return _UNKNOWN
    r = _law_header_level(text)
    if r[0] != "unknown":
        return r
    level = addressee_level(text)
    if level != "unknown":
        return level, None
    r = _interpreter_level(text)
    if r[0] != "unknown":
        return r
    level = _self_level(text)
    if level != "unknown":
        return level, None
    level = _lawkind_level(title)
    if level != "unknown":
        return level, None
    return _national_level(text), None


# A body that names no place, organ or division of its own but speaks of the whole country this often is a
# central organ's (data/text_levels.tsv, role national): a local body says 我省/全市 at least once. Once is
# enough when it names no local government or party committee either (role localorgan: 市政府, 省委).
NATIONAL_MENTIONS = 2


def _national_level(text: str) -> str:
    n = min(len(text), SELF_CHARS)
    r = _text_rules()
    mentions = 0
    for word in r.national:
        i = text.find(word, 0, n)
        while i >= 0:
            mentions += 1
            if mentions >= NATIONAL_MENTIONS:
                return "central"
            i = text.find(word, i + len(word), n)
    if mentions and not any(text.find(word, 0, n) >= 0 for word in r.local_organs):
        return "central"
    # A substantial body whose head names no division at all -- no province, city or county, not even in
    # passing -- is a central organ's too: local documents name their place.
    if n >= PLACELESS_MIN_CHARS and find_place(text[:PLACELESS_HEAD_CHARS]) is None:
        return "central"
    return "unknown"


PLACELESS_MIN_CHARS = 500
PLACELESS_HEAD_CHARS = 3000  # where the place would be named: find_place walks the text in Python

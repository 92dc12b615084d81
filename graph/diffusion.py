"""Who adopted a document, where and when: adoption of REF by province, city or county.

An *adopter* is a document that reaches REF through the adoption relations (IMPLEMENTS, BASED_ON, FORWARDS
by default), directly or through a chain (a county plan implementing the city's plan implementing the
province's opinion implementing REF). Each adopter belongs to the divisions its issuer names (then its title,
then its region), with adcodes from ``data/divisions/`` (extract/levels.py: divisions_of_issuer); a unit has
adopted when one of its documents has. Per unit: the first adopting document (earliest date), its lag in days
after REF, the chain it came through, and how many documents the unit has. The units that have not adopted
are listed from the division tables; undated adopters are listed apart, never dropped.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("国发〔2015〕1号", title="国务院关于示例的意见", issuer=["国务院"], date="2015-01-10",
...            level="central", in_corpus=True)
>>> G.add_node("川府发〔2015〕9号", title="四川省人民政府关于示例的实施意见", issuer=["四川省人民政府"],
...            date="2015-03-01", level="provincial", region="四川省", in_corpus=True)
>>> G.add_node("绵府发〔2015〕4号", title="绵阳市人民政府关于示例的实施方案", issuer=["绵阳市人民政府"],
...            date="2015-05-01", level="municipal", region="四川省", in_corpus=True)
>>> G.add_edge("川府发〔2015〕9号", "国发〔2015〕1号", key="IMPLEMENTS")
'IMPLEMENTS'
>>> G.add_edge("绵府发〔2015〕4号", "川府发〔2015〕9号", key="IMPLEMENTS")
'IMPLEMENTS'
>>> r = diffusion(G, "国发〔2015〕1号", unit="city")
>>> [(u["unit"], u["adcode"], u["lag_days"], u["via"]) for u in r["units"]]
[('绵阳市', '510700', 111, ['川府发〔2015〕9号'])]
>>> len(r["not_adopted"])  # the other 20 prefectures of 四川省
20
>>> diffusion(G, "国发〔2015〕1号")["units"][0]["first"]["id"]
'川府发〔2015〕9号'
"""
from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import json
import statistics
from functools import lru_cache
from importlib.resources import files

import networkx as nx

from polgraph.data import table_rows
from polgraph.errors import PolgraphError
from polgraph.extract.levels import Division, division_table, divisions_of_issuer
from polgraph.graph.model import LEVEL_RANK, RELATIONS
from polgraph.output import atomic_output, write_text_atomic  # noqa: F401 (write_text_atomic: for the CLI)
from polgraph.vocabulary import RELATION_TABLE

UNITS = ("province", "city", "county")
DEFAULT_RELATIONS = tuple(sorted(r.name for r in RELATION_TABLE if r.adoption))  # data/relations.tsv
_UNIT_LEVEL = {"province": "provincial", "city": "municipal", "county": "county"}


# --- data tables -----------------------------------------------------------------------------------------
def _tsv(name: str) -> list[list[str]]:
    return [cols for _, cols in table_rows(name)]


@lru_cache(maxsize=None)
def province_neighbours() -> dict[str, tuple[str, ...]]:
    """Province → its neighbouring provinces (data/province_adjacency.tsv, read both ways)."""
    provinces = {x.name for x in division_table() if x.level == "provincial"}
    out: dict[str, set[str]] = {p: set() for p in provinces}
    for n, cols in enumerate(_tsv("province_adjacency.tsv"), 1):
        a, b = cols[0].strip(), cols[1].strip()
        if a not in provinces or b not in provinces or a == b:
            raise ValueError(f"province_adjacency.tsv row {n}: {a} / {b} is not a pair of provinces")
        out[a].add(b)
        out[b].add(a)
    return {p: tuple(sorted(v)) for p, v in out.items()}


@lru_cache(maxsize=None)
def province_tiles() -> dict[str, tuple[int, int, str]]:
    """Province → (row, column, short label) of the tile-grid map (data/province_tiles.tsv)."""
    provinces = {x.name for x in division_table() if x.level == "provincial"}
    out = {}
    for cols in _tsv("province_tiles.tsv"):
        name = cols[0].strip()
        if name not in provinces:
            raise ValueError(f"province_tiles.tsv: {name} is not a province")
        out[name] = (int(cols[1]), int(cols[2]), cols[3].strip())
    if set(out) != provinces or len({(r, c) for r, c, _ in out.values()}) != len(out):
        raise ValueError("province_tiles.tsv: every province needs one tile of its own")
    return out


# --- units of a document ---------------------------------------------------------------------------------
def document_divisions(attrs: dict) -> dict[str, Division]:
    """The province / city / county a document belongs to: from its first issuer that names a division, else
    from the opening of its title, else its region (province only). {} for a central or placeless document."""
    for issuer in list(attrs.get("issuer") or []) + [attrs.get("title") or ""]:
        found = divisions_of_issuer(issuer) if issuer else None
        if found:
            return found
    region = attrs.get("region")
    if region:
        prov = _provinces().get(region)
        if prov is not None:
            return {"province": prov}
    return {}


@lru_cache(maxsize=None)
def _provinces() -> dict[str, Division]:
    return {x.name: x for x in division_table() if x.level == "provincial"}


def _municipality(divs: dict[str, Division]) -> Division | None:
    """The 直辖市 (北京市, 天津市, 上海市, 重庆市) a document belongs to, as its own city unit: a municipality has no
    prefecture between it and its districts, and city panels count it as a city (its government and its
    districts adopt as one). None for a document of a province."""
    prov = divs.get("province")
    return prov if prov is not None and prov.name.endswith("市") else None


def _province_direct(divs: dict[str, Division]) -> Division | None:
    """The county-level division directly under its province a document belongs to (济源市, 仙桃市, 神农架林区,
    海南's 琼海市 and 定安县, 新疆's 石河子市), as its own city unit: no prefecture stands between it and the
    province, so a city panel counts it beside the prefectures (as provincial yearbooks list it) rather than
    above them. None for a document of a prefecture or of a 直辖市 (whose districts adopt with it)."""
    county = divs.get("county")
    if county is None or "city" in divs or county.city is not None or _municipality(divs) is not None:
        return None
    return county


def _city_unit(divs: dict[str, Division]) -> Division | None:
    """The city unit of a document: its prefecture, else its 直辖市, else its county directly under the province."""
    return divs.get("city") or _municipality(divs) or _province_direct(divs)


def _unit_row(div: Division) -> dict:
    row = {"unit": div.name, "adcode": div.adcode}
    if div.level != "provincial":
        row["province"] = div.province
    return row


class UnknownDivision(PolgraphError):
    """A name that is no province or city of data/divisions/ (the CLI says which option gave it)."""


class PlotError(PolgraphError):
    """The adoption curve cannot be drawn: a file type other than .png/.svg, or matplotlib missing."""


def _within(name: str) -> dict[str, Division]:
    """The province or city `within` names (full name, or the short name of a province)."""
    from polgraph.extract.levels import _divisions

    full = _divisions().province_names.get(name, name)
    if full in _provinces():
        return {"province": _provinces()[full]}
    found = divisions_of_issuer(name)
    if not found or "county" in found or "city" not in found:
        raise UnknownDivision(f"{name!r}: not a province or city of data/divisions/")
    return found


def _candidates(unit: str, within: dict[str, Division] | None, adopted_parents: set[str]) -> list[Division]:
    """Every unit of the kind asked that could have adopted: all provinces; the cities (a 直辖市 being one) of
    `within` or of the provinces with an adopter; the counties of `within`, or of the cities (for counties outside any city: the
    provinces) with an adopter. NBS statistical zones (county codes x7x: 开发区, 管理区) are not divisions."""
    level = _UNIT_LEVEL[unit]
    out = []
    for x in division_table():
        if unit == "city" and x.level == "provincial" and _municipality({"province": x}) is x:
            pass  # a 直辖市 is its own city unit
        elif unit == "city" and x.level == "county" and x.adcode[4] != "7" and \
                _province_direct({"province": _provinces()[x.province], "county": x}) is x:
            pass  # so is a county directly under its province
        elif x.level != level:
            continue
        if unit == "county" and x.adcode[4] == "7":
            continue
        if within is not None:
            if x.province != within["province"].name:
                continue
            if "city" in within and x.city != within["city"].name:
                continue
        elif unit == "city" and x.province not in adopted_parents:
            continue
        elif unit == "county" and (x.city or "@" + x.province) not in adopted_parents:
            continue
        out.append(x)
    return out


def adoption_relations(relations=None) -> list[str]:
    """The relations an adoption follows, checked and sorted (default IMPLEMENTS, BASED_ON, FORWARDS)."""
    rels = sorted({r.strip().upper() for r in relations}) if relations else list(DEFAULT_RELATIONS)
    unknown = [r for r in rels if r not in RELATIONS]
    if unknown:
        raise PolgraphError(f"unknown relation(s) {', '.join(unknown)}: use {', '.join(RELATIONS)}")
    return rels


# --- the table ---------------------------------------------------------------------------------------------
def _doc(G, n: str) -> dict:
    """A document of the answer; with its status when the graph carries one (graph/status.annotate_status, or a
    database loaded with status)."""
    d = G.nodes[n]
    doc = {"id": n, "doc_number": d.get("doc_number"), "title": d.get("title") or d.get("label"),
           "date": d.get("date"), "level": d.get("level", "unknown")}
    if d.get("status"):
        doc.update(status=d["status"], status_changed_by=d.get("status_changed_by"),
                   status_changed_on=d.get("status_changed_on"))
    return doc


def _chain(found: dict, n: str) -> list[str]:
    """The documents between REF and `n` (REF's side first), along the breadth-first parents."""
    via = []
    parent = found[n][1]
    while parent in found:
        via.append(parent)
        parent = found[parent][1]
    return via[::-1]


def _quantiles(values: list[int]) -> dict | None:
    if not values:
        return None
    vals = sorted(values)
    if len(vals) == 1:
        q1 = q3 = float(vals[0])
    else:
        q1, _, q3 = statistics.quantiles(vals, n=4, method="inclusive")
    return {"min": vals[0], "q1": round(q1, 1), "median": round(float(statistics.median(vals)), 1),
            "q3": round(q3, 1), "max": vals[-1]}


def document_versions(G: nx.MultiDiGraph, node: str) -> list[str]:
    """Every version of `node`'s document, itself included, oldest first: the nodes SUPERSEDES edges join it
    to (graph/versions.py: each newer version SUPERSEDES the one before it)."""
    from polgraph.graph.versions import SUPERSEDES, start_of

    seen, todo = {node}, [node]
    while todo:
        cur = todo.pop()
        for nb in [v for _, v, k in G.out_edges(cur, keys=True) if k == SUPERSEDES] + \
                  [u for u, _, k in G.in_edges(cur, keys=True) if k == SUPERSEDES]:
            if nb not in seen:
                seen.add(nb)
                todo.append(nb)
    return sorted(seen, key=lambda n: (start_of(G.nodes[n]), G.nodes[n].get("date") or "", n))


def diffusion(G: nx.MultiDiGraph, ref: str, unit: str = "province", within: str | None = None,
              relations=None, in_force_only: bool = False, all_versions: bool = False) -> dict:
    """The adoption table of REF by `unit` (province, city or county) as a JSON-serialisable dict.

    `within` limits units and adopters to one province or city; `relations` the edges an adoption follows;
    `in_force_only` counts only adopting documents still in force (the graph's `status`, graph/status.py: a
    province whose implementing opinion was repealed has not adopted any more); `all_versions` counts the
    adopters of every version of REF's document (a law's 2002, 2017 and 2024 texts), the clock starting at its
    first version's date. The target lists its versions when it has several. Same graph and query → the same
    dict.
    """
    from polgraph.graph.neo4j_store import _cyclic_gc_paused

    # The answer allocates little and makes no cycles, but its allocations can trip the collector's full pass
    # over the caller's whole graph (right after a 1M-document build: 294 s at load 23 in bench/diffusion_scale.py)
    with _cyclic_gc_paused():
        return _diffusion(G, ref, unit, within, relations, in_force_only, all_versions)


def _diffusion(G: nx.MultiDiGraph, ref: str, unit: str, within: str | None, relations,
               in_force_only: bool = False, all_versions: bool = False) -> dict:
    from polgraph.graph.status import NOT_IN_FORCE
    from polgraph.graph.trace import _days, bfs_from, find_node

    if unit not in UNITS:
        raise PolgraphError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    rels = adoption_relations(relations)
    root = find_node(G, ref)
    versions = document_versions(G, root)
    found = bfs_from(G, versions if all_versions else [root], "down", None, rels)
    inside = _within(within) if within else None
    target = _doc(G, root)
    target["in_corpus"] = bool(G.nodes[root].get("in_corpus"))
    if G.nodes[root].get("first_date"):
        target["first_date"] = G.nodes[root]["first_date"]
    if len(versions) > 1:
        target["versions"] = [{"id": v, "date": G.nodes[v].get("date"),
                               **({"first_date": G.nodes[v]["first_date"]} if G.nodes[v].get("first_date") else {})}
                              for v in versions]
    clock = _clock_start(target, all_versions)
    key = unit
    groups: dict[str, list[str]] = {}
    division_of: dict[str, Division] = {}
    adopted_parents: set[str] = set()
    higher, unplaced = [], []
    for n in sorted(found):
        if in_force_only and G.nodes[n].get("status") in NOT_IN_FORCE:
            continue
        divs = document_divisions(G.nodes[n])
        if inside is not None and any(divs.get(k) is None or divs[k].name != v.name for k, v in inside.items()):
            continue
        if not divs:
            unplaced.append(n)
            continue
        adopted_parents.update((divs["province"].name, "@" + divs["province"].name))
        if "city" in divs:
            adopted_parents.add(divs["city"].name)
        div = _city_unit(divs) if key == "city" else divs.get(key)
        if div is None:
            higher.append(n)
            continue
        uid = div.adcode or div.name
        division_of[uid] = div
        groups.setdefault(uid, []).append(n)

    def first_order(n):  # earliest date; undated last; then the higher level, the shorter chain, the id
        d = G.nodes[n]
        return (d.get("date") is None, d.get("date") or "", LEVEL_RANK.get(d.get("level"), 99), found[n][0], n)

    units, undated = [], []
    for uid, members in groups.items():
        members.sort(key=first_order)
        first = members[0]
        row = _unit_row(division_of[uid])
        via = _chain(found, first)
        row.update(first=_doc(G, first), lag_days=_days(clock, G.nodes[first].get("date")),
                   route="via" if via else "direct", via=via, documents=len(members))
        units.append(row)
        for n in members:
            if G.nodes[n].get("date") is None:
                undated.append({**_unit_row(division_of[uid]), **_doc(G, n), "via": _chain(found, n)})
    units.sort(key=lambda u: (u["first"]["date"] is None, u["first"]["date"] or "", u["adcode"] or "", u["unit"]))
    undated.sort(key=lambda u: (u["adcode"] or "", u["unit"], u["id"]))
    adopted = {u["adcode"] for u in units}
    not_adopted = [_unit_row(x) for x in _candidates(unit, inside, adopted_parents) if x.adcode not in adopted]
    lags = [u["lag_days"] for u in units if u["lag_days"] is not None]
    direct = sum(1 for u in units if u["route"] == "direct")
    summary = {
        "adopting_documents": sum(u["documents"] for u in units),
        "units_adopted": len(units),
        "units_total": len(units) + len(not_adopted),
        "units_dated": len(lags),
        "lag_days": _quantiles(lags),
        "direct": direct,
        "share_direct": round(direct / len(units), 4) if units else None,
        "undated_documents": len(undated),
        "above_unit": len(higher),
        "unplaced": len(unplaced),
    }
    return {"target": target, "query": ref, "unit": unit, "within": within, "relations": rels,
            **({"in_force_only": True} if in_force_only else {}),
            **({"all_versions": True} if all_versions else {}), "units": units, "not_adopted": not_adopted, "undated": undated,
            "above_unit": sorted(higher), "unplaced": unplaced, "summary": summary}


def _clock_start(target: dict, all_versions: bool) -> str | None:
    """The date lags count from: REF's, or with every version counted its first dated version's. A version whose
    text kept its first version's clause (node `first_date`: a law consolidated in 2017 that first took effect in
    1982) stands for the versions before it that the graph lacks: the clock starts at that first version, for REF
    too when the graph holds no earlier version of it (its adopters of 2005 adopted the law, not the 2017 text)."""
    versions = target.get("versions") or ()
    if all_versions and versions:
        dates = [v.get("first_date") or v["date"] for v in versions if v.get("first_date") or v["date"]]
        if dates:
            return min(dates)
    if target.get("first_date") and (not versions or versions[0]["id"] == target["id"]):
        return min(target["first_date"], target["date"] or "9999")
    return target["date"]


# --- text and CSV --------------------------------------------------------------------------------------------
def _name(d: dict) -> str:
    """文号 and title; a document known only by its 文号 (its title field is that label) is not named twice."""
    number, title = d.get("doc_number"), d.get("title") or d["id"]
    if number and title in (number, d["id"]):
        title = ""
    return "  ".join(x for x in (number, title) if x)


def _plural(unit: str) -> str:
    return {"province": "provinces", "city": "cities", "county": "counties"}[unit]


def format_diffusion_text(result: dict) -> str:
    """The adoption table as text: summary, the adopting units (first document, lag, route), the units
    that have not adopted, and the undated adopters."""
    from polgraph.graph.trace import _status_note

    t, s, unit = result["target"], result["summary"], result["unit"]
    lines = [f"Adoption of {_name(t)}",
             f"  {t['level']}, dated {t['date'] or 'unknown'}{'' if t['in_corpus'] else ', not in corpus'}"
             + (f", first version in force {t['first_date']} (lags count from it)"
                if t.get("first_date") and not result.get("all_versions") and _clock_start(t, False) == t["first_date"]
                else "")
             + f"{_status_note(t)}; "
             f"by {unit}{' within ' + result['within'] if result['within'] else ''}; "
             f"relations {', '.join(result['relations'])}"]
    head = f"{s['units_adopted']} of {s['units_total']} {_plural(unit)} adopted, {s['adopting_documents']} document(s)"
    if s["lag_days"]:
        q = s["lag_days"]
        head += f"; lag median {q['median']:g} d (quartiles {q['q1']:g}-{q['q3']:g} d, range {q['min']}-{q['max']} d)"
    if s["share_direct"] is not None:
        head += f"; {s['direct']} direct ({s['share_direct']:.0%})"
    if result.get("in_force_only"):
        head += "; adopting documents in force only"
    versions = t.get("versions") or []
    if versions and result.get("all_versions"):
        lines.append(f"  every version counted: {', '.join(v['date'] or v['id'] for v in versions)}"
                     + (f" (the oldest text's first version in force {versions[0]['first_date']})"
                        if versions[0].get("first_date") else "") + "; "
                     f"lags from {_clock_start(t, True) or 'unknown'}")
    elif versions:
        others = [v["date"] or v["id"] for v in versions if v["id"] != t["id"]]
        lines.append(f"  this version only: the adopters of {len(others)} other version(s) ({', '.join(others)}) "
                     f"not counted")
    lines += [head, ""]
    if result["units"]:
        lines.append(f"Adopted (first document per {unit}):")
        for u in result["units"]:
            f = u["first"]
            lag = "" if u["lag_days"] is None else f" ({u['lag_days']:+d} d)"
            where = u["unit"] + (f", {u['province']}" if u.get("province") else "")
            lines.append(f"  {where} {u['adcode'] or '?'}: {f['date'] or 'date ?'}{lag}  {_name(f)}  "
                         f"[{f['level']}]{_status_note(f)}  {u['documents']} document(s)")
            lines.append("    " + ("direct" if u["route"] == "direct" else "via " + " > ".join(u["via"])))
    else:
        lines.append(f"No {unit} has adopted it.")
    if result["not_adopted"]:
        lines += ["", f"Not adopted ({len(result['not_adopted'])}):"]
        names = [f"{u['unit']} {u['adcode']}" for u in result["not_adopted"]]
        for i in range(0, len(names), 6):
            lines.append("  " + ", ".join(names[i:i + 6]))
    if result["undated"]:
        lines += ["", f"Undated adopting documents ({len(result['undated'])}, no lag):"]
        for d in result["undated"]:
            lines.append(f"  {d['unit']}: {_name(d)}  [{d['level']}]{_status_note(d)}")
    if s["above_unit"] or s["unplaced"]:
        lines += ["", f"Also adopting: {s['above_unit']} document(s) above the {unit} level, "
                      f"{s['unplaced']} central or without a place."]
    return "\n".join(lines) + "\n"


CSV_COLUMNS = ("unit", "adcode", "province", "adopted", "first_id", "doc_number", "title", "date", "level",
               "lag_days", "route", "via", "documents", "status")


def format_diffusion_csv(result: dict) -> str:
    """One row per unit: the adopting units in table order, then the units that have not adopted."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for u in result["units"]:
        f = u["first"]
        w.writerow([u["unit"], u["adcode"] or "", u.get("province", ""), 1, f["id"], f["doc_number"] or "",
                    f["title"] or "", f["date"] or "", f["level"], "" if u["lag_days"] is None else u["lag_days"],
                    u["route"], " > ".join(u["via"]), u["documents"], f.get("status", "")])
    for u in result["not_adopted"]:
        w.writerow([u["unit"], u["adcode"], u.get("province", ""), 0] + [""] * 8 + [0, ""])
    return out.getvalue()


def format_diffusion_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# --- event-history panel -----------------------------------------------------------------------------------
PANEL_COLUMNS = ("unit", "adcode", "period", "adopted", "level", "neighbour_share")


def _period(date: str, period: str) -> tuple[int, int]:
    d = _dt.date.fromisoformat(date)
    return (d.year, d.month if period == "month" else 0)


def _next(p: tuple[int, int], period: str) -> tuple[int, int]:
    if period == "year":
        return (p[0] + 1, 0)
    return (p[0] + (p[1] == 12), p[1] % 12 + 1)


def _label(p: tuple[int, int], period: str) -> str:
    return f"{p[0]}" if period == "year" else f"{p[0]}-{p[1]:02d}"


def diffusion_panel(result: dict, period: str = "year") -> list[dict]:
    """A discrete-time event-history panel: one row per unit and period from REF's period until the unit
    adopts (adopted = 1 in that period, then it leaves the risk set) or the last period in which any unit
    adopted. `neighbour_share` (provinces only; data/province_adjacency.tsv) is the share of the unit's
    neighbours that adopted in an earlier period. Units adopting only through undated documents are left
    out (when is unknown); a document dated before REF counts in REF's period."""
    if period not in ("year", "month"):
        raise PolgraphError(f"period must be year or month, not {period!r}")
    clock = _clock_start(result["target"], result.get("all_versions", False))
    if not clock:
        raise PolgraphError(f"the panel needs REF's date: {result['target']['id']} has none")
    start = _period(clock, period)
    when = {u["unit"]: max(start, _period(u["first"]["date"], period))
            for u in result["units"] if u["first"]["date"]}
    end = max([start] + list(when.values()))
    neighbours = province_neighbours() if result["unit"] == "province" else None
    rows = []
    units = [u for u in result["units"] if u["first"]["date"]] + list(result["not_adopted"])
    for u in sorted(units, key=lambda u: (u["adcode"] or "", u["unit"])):
        adopted_at = when.get(u["unit"]) if "first" in u else None
        p = start
        while True:
            row = {"unit": u["unit"], "adcode": u["adcode"] or "", "period": _label(p, period),
                   "adopted": int(adopted_at == p), "level": u["first"]["level"] if adopted_at == p else "",
                   "neighbour_share": ""}
            if neighbours is not None:
                near = neighbours.get(u["unit"], ())
                if near:
                    share = sum(1 for x in near if x in when and when[x] < p) / len(near)
                    row["neighbour_share"] = f"{share:.4f}"
            rows.append(row)
            if p == adopted_at or p >= end:
                break
            p = _next(p, period)
    return rows


def format_panel_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, PANEL_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


# --- the cumulative curve ----------------------------------------------------------------------------------
def adoption_curve(result: dict) -> list[tuple[int, float]]:
    """(days since REF, share of units adopted by then) at each dated first adoption, in order."""
    total = result["summary"]["units_total"]
    lags = sorted(u["lag_days"] for u in result["units"] if u["lag_days"] is not None)
    if not total or not lags:
        return []
    points = []
    for i, lag in enumerate(lags, 1):
        if points and points[-1][0] == lag:
            points[-1] = (lag, round(i / total, 4))
        else:
            points.append((lag, round(i / total, 4)))
    return points


MATPLOTLIB_MISSING = "needs matplotlib: pip install 'polgraph[plot]'"


def plot_adoption_curve(result: dict, path: str) -> None:
    """Draw the cumulative adoption curve into `path` (.png or .svg) with matplotlib (the `plot` extra)."""
    if not str(path).lower().endswith((".png", ".svg")):
        raise PlotError(f"{path}: a plot is written as .png or .svg")
    try:
        import matplotlib
    except ImportError:
        raise PlotError(f"drawing the adoption curve {MATPLOTLIB_MISSING}") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = adoption_curve(result)
    # a CJK font first for the 文号 in the title (Debian fonts-noto-cjk); DejaVu Sans when it is missing
    with matplotlib.rc_context({"font.sans-serif": ["Noto Sans CJK SC", "DejaVu Sans"], "svg.hashsalt": "polgraph"}):
        _draw_curve(plt, result, points, path)


def _draw_curve(plt, result: dict, points: list, path: str) -> None:
    fig, ax = plt.subplots(figsize=(6, 3.6), dpi=100)
    try:
        if points:
            xs = [0] + [x for x, _ in points]
            ys = [0.0] + [y for _, y in points]
            ax.step(xs, ys, where="post", color="#c0392b")
        ax.set_xlabel("days since the document")
        ax.set_ylabel(f"share of {_plural(result['unit'])} adopted")
        ax.set_ylim(0, 1)
        ax.set_title(result["target"]["doc_number"] or result["target"]["id"], fontsize=9)
        fig.tight_layout()
        svg = str(path).lower().endswith(".svg")
        _atomic_bytes(path, lambda f: fig.savefig(f, format="svg" if svg else "png",
                                                  metadata={"Date": None} if svg else {"Software": None}))
    finally:
        plt.close(fig)


def _atomic_bytes(path: str, write) -> None:
    """write(f) into a temporary file renamed over `path` when complete (polgraph.output.atomic_output)."""
    with atomic_output(path, "wb") as f:
        write(f)


# --- the offline page ----------------------------------------------------------------------------------------
EARLY, LATE, NOT_ADOPTED, UNDATED = "#b2182b", "#fddbc7", "#cfcfcf", "#8fa3b8"


def _mix(a: str, b: str, t: float) -> str:
    pa, pb = [int(a[i:i + 2], 16) for i in (1, 3, 5)], [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(pa, pb))


def lag_colour(lag: int | None, lo: int, hi: int) -> str:
    """Early adopters dark red, late ones pale; UNDATED for an adoption without a date."""
    if lag is None:
        return UNDATED
    return _mix(EARLY, LATE, 0.0 if hi <= lo else min(1.0, max(0.0, (lag - lo) / (hi - lo))))


def _tip(u: dict) -> str:
    f = u["first"]
    lines = [f"{u['unit']} {u['adcode'] or ''}".strip(),
             f"first: {f['date'] or 'date ?'}" + ("" if u["lag_days"] is None else f" ({u['lag_days']:+d} d)"),
             _name(f) + f" [{f['level']}]",
             "direct" if u["route"] == "direct" else "via " + " > ".join(u["via"]),
             f"{u['documents']} document(s)"]
    return "\n".join(lines)


def _curve_svg(result: dict, width: int = 520, height: int = 220) -> str:
    points = adoption_curve(result)
    pad = 36
    if not points:
        return f'<svg id="curve" width="{width}" height="{height}"><text x="{pad}" y="{height // 2}">no dated adoption</text></svg>'
    xmax = max(1, max(x for x, _ in points))
    xmin = min(0, min(x for x, _ in points))

    def sx(x):
        return pad + (x - xmin) / (xmax - xmin) * (width - 2 * pad)

    def sy(y):
        return height - pad - y * (height - 2 * pad)

    path, y = [f"{sx(0):.1f},{sy(0):.1f}"], 0.0
    for x, ny in points:
        path += [f"{sx(x):.1f},{sy(y):.1f}", f"{sx(x):.1f},{sy(ny):.1f}"]
        y = ny
    path.append(f"{sx(xmax):.1f},{sy(y):.1f}")
    return (f'<svg id="curve" width="{width}" height="{height}" role="img" aria-label="cumulative adoption">'
            f'<line x1="{pad}" y1="{sy(0):.1f}" x2="{width - pad}" y2="{sy(0):.1f}" stroke="#555"/>'
            f'<line x1="{pad}" y1="{sy(0):.1f}" x2="{pad}" y2="{sy(1):.1f}" stroke="#555"/>'
            f'<polyline fill="none" stroke="{EARLY}" stroke-width="2" points="{" ".join(path)}"/>'
            f'<text x="{pad}" y="{height - 8}" font-size="11">0</text>'
            f'<text x="{width - pad}" y="{height - 8}" font-size="11" text-anchor="end">{xmax} days</text>'
            f'<text x="4" y="{sy(1):.1f}" font-size="11">100%</text>'
            f'<text x="4" y="{sy(0.5):.1f}" font-size="11">50%</text></svg>')


_PAGE_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 4px} .meta{color:#555;font-size:13px;margin-bottom:12px}
.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
#map{display:grid;grid-template-columns:repeat(9,56px);grid-auto-rows:56px;gap:4px}
.tile{border-radius:4px;font-size:12px;display:flex;flex-direction:column;align-items:center;justify-content:center;
      cursor:default;color:#111} .tile b{font-weight:600} .tile span{font-size:10px}
.legend span{display:inline-block;width:14px;height:14px;vertical-align:middle;margin:0 4px 0 10px;border-radius:3px}
#tip{position:fixed;display:none;background:#fff;border:1px solid #888;padding:6px 8px;font-size:12px;
     white-space:pre-line;max-width:420px;box-shadow:0 2px 6px rgba(0,0,0,.2);pointer-events:none}
table{border-collapse:collapse;font-size:12px;margin-top:12px} td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}
th{background:#f3f3f3} .na{color:#777}
"""

_PAGE_JS = """
(function () {
  var tip = document.getElementById('tip');
  document.querySelectorAll('.tile').forEach(function (t) {
    t.addEventListener('mouseenter', function () { tip.textContent = t.getAttribute('data-tip'); tip.style.display = 'block'; });
    t.addEventListener('mousemove', function (e) { tip.style.left = (e.clientX + 12) + 'px'; tip.style.top = (e.clientY + 12) + 'px'; });
    t.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  });
  window.__polgraphReady = true;
})();
"""


def diffusion_html(result: dict, provinces: dict | None = None) -> str:
    """One offline page: the 31 provinces as a tile grid coloured by lag (grey: not adopted), a tooltip per
    province with its first document and chain, the cumulative curve and the table. `provinces` is the
    province-level result for the map when `result` is by city or county."""
    provinces = provinces if provinces is not None else result
    if provinces["unit"] != "province":
        raise PolgraphError("the map needs the adoption by province")
    e = html.escape
    by_name = {u["unit"]: u for u in provinces["units"]}
    lags = [u["lag_days"] for u in provinces["units"] if u["lag_days"] is not None]
    lo, hi = (min(lags), max(lags)) if lags else (0, 0)
    tiles = []
    for name, (row, col, label) in sorted(province_tiles().items(), key=lambda kv: kv[1][:2]):
        u = by_name.get(name)
        if u is None:
            colour, tip, small = NOT_ADOPTED, f"{name}\nnot adopted", "—"
        else:
            colour, tip = lag_colour(u["lag_days"], lo, hi), _tip(u)
            small = "date ?" if u["lag_days"] is None else f"{u['lag_days']} d"
        tiles.append(f'<div class="tile" data-province="{e(name)}" data-adopted="{int(u is not None)}" '
                     f'style="grid-row:{row + 1};grid-column:{col + 1};background:{colour}" '
                     f'title="{e(tip)}" data-tip="{e(tip)}"><b>{e(label)}</b><span>{e(small)}</span></div>')
    t, s = result["target"], result["summary"]
    q = s["lag_days"]
    meta = (f"{e(t['level'])}, dated {e(t['date'] or 'unknown')} · by {e(result['unit'])}"
            f"{' within ' + e(result['within']) if result['within'] else ''} · {s['units_adopted']} of "
            f"{s['units_total']} adopted, {s['adopting_documents']} document(s)"
            + (f" · lag median {q['median']:g} d (quartiles {q['q1']:g}–{q['q3']:g} d)" if q else "")
            + (f" · {s['share_direct']:.0%} direct" if s["share_direct"] is not None else ""))
    rows = []
    for u in result["units"]:
        f = u["first"]
        rows.append("<tr>" + "".join(f"<td>{e(str(x))}</td>" for x in (
            u["unit"] + (f", {u['province']}" if u.get("province") else ""), u["adcode"] or "", f["date"] or "date ?",
            "" if u["lag_days"] is None else u["lag_days"], _name(f), f["level"],
            "direct" if u["route"] == "direct" else " > ".join(u["via"]), u["documents"])) + "</tr>")
    for u in result["not_adopted"]:
        rows.append(f'<tr class="na"><td>{e(u["unit"] + (", " + u["province"] if u.get("province") else ""))}</td>'
                    f'<td>{e(u["adcode"])}</td><td colspan="6">not adopted</td></tr>')
    undated = "".join(f"<li>{e(d['unit'])}: {e(_name(d))} [{e(d['level'])}]</li>" for d in result["undated"])
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'\">"
        f"<title>{e('Adoption of ' + (t['doc_number'] or t['id']))}</title><style>{_PAGE_CSS}</style></head><body>\n"
        f"<h1>Adoption of {e(_name(t))}</h1><div class=\"meta\">{meta}</div>\n"
        '<div class="row"><div><div id="map">' + "".join(tiles) + "</div>"
        f'<div class="legend"><span style="background:{EARLY}"></span>early{f" ({lo} d)" if lags else ""}'
        f'<span style="background:{LATE}"></span>late{f" ({hi} d)" if lags else ""}'
        f'<span style="background:{UNDATED}"></span>date unknown<span style="background:{NOT_ADOPTED}"></span>'
        "not adopted</div></div>\n"
        f"<div><h2 style=\"font-size:15px\">Cumulative adoption ({e(_plural(result['unit']))})</h2>"
        f"{_curve_svg(result)}</div></div>\n"
        "<table id=\"table\"><thead><tr><th>unit</th><th>adcode</th><th>first adopted</th><th>lag (days)</th>"
        "<th>first document</th><th>level</th><th>route</th><th>documents</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table>\n"
        + (f"<h2 style=\"font-size:15px\">Undated adopting documents</h2><ul id=\"undated\">{undated}</ul>\n"
           if undated else "")
        + f'<div id="tip"></div><script>{_PAGE_JS}</script></body></html>\n')


# --- Neo4j -------------------------------------------------------------------------------------------------
_DEFAULT_TYPES = "['BASED_ON', 'FORWARDS', 'IMPLEMENTS']"


# the versions of a document: the nodes SUPERSEDES edges join it to (graph/versions.py), itself included
_VERSIONS_QUERY = "MATCH (:Document {id: $ref})-[:SUPERSEDES*0..]-(v:Document) RETURN DISTINCT v.id AS id"


def adoption_query(relations=None) -> str:
    """cypher/queries/adoption_by_unit.cypher (shipped as polgraph.cypher), following `relations` (checked
    against the relation names, so formatting them in is safe; the saved query takes only $ref)."""
    text = files("polgraph.cypher").joinpath("queries/adoption_by_unit.cypher").read_text(encoding="utf-8")
    if _DEFAULT_TYPES not in text:
        raise RuntimeError("adoption_by_unit.cypher no longer lists the default relations")
    return text.replace(_DEFAULT_TYPES, "[" + ", ".join(f"'{r}'" for r in adoption_relations(relations)) + "]")


def diffusion_neo4j(ref: str, unit: str = "province", within: str | None = None, relations=None,
                    uri: str = "bolt://127.0.0.1:7687", user: str = "neo4j", password: str = "",
                    database: str = "neo4j", in_force_only: bool = False, all_versions: bool = False) -> dict:
    """`diffusion` answered by Neo4j: the same dict for the same graph and query.

    The adopters come from cypher/queries/adoption_by_unit.cypher (run for each version with `all_versions`);
    their documents, REF's versions and the edges among them are read back and grouped by the same code as the
    networkx backend (the division tables are not in the database), so units, chains and ordering are shared.
    """
    from polgraph.graph.versions import SUPERSEDES
    from polgraph.graph.neo4j_store import _service_errors, connect, resolve_ref_neo4j, subgraph_neo4j

    rels = adoption_relations(relations)
    driver = connect(uri, user, password, database)
    try:
        with _service_errors(uri, database):
            root = resolve_ref_neo4j(driver, ref, database)
            versions = [r["id"] for r in driver.execute_query(
                _VERSIONS_QUERY, parameters_={"ref": root}, database_=database).records]
            adopters: set[str] = set()
            for v in (versions if all_versions else [root]):
                rows = driver.execute_query(adoption_query(rels), parameters_={"ref": v}, database_=database).records
                adopters.update(i for r in rows for i in r["adopters"])
            H = subgraph_neo4j(driver, adopters | set(versions) | {root}, rels + [SUPERSEDES], database)
    finally:
        driver.close()
    result = diffusion(H, root, unit=unit, within=within, relations=rels, in_force_only=in_force_only,
                       all_versions=all_versions)
    result["query"] = ref
    return result

"""Build the citation graph from extraction records, and the one way in for "paths or a graph file -> graph":
`build_graph` (records, or paths extracted first) and `open_graph` (a graph file, or a corpus built now).

One node per document; a 印发/转发 notice and the instrument it carries are one node. Citations resolve in
order: normalised 文号, normalised title or alias, placeholder already created for the same number or title,
fuzzy title (with issuer/level/date guards), and otherwise a new placeholder. Nothing compares all pairs.
"""
from __future__ import annotations

import gc
import hashlib
import re
from collections import defaultdict
from typing import Iterable

import networkx as nx

from polgraph.errors import InputError
from polgraph.extract.docnumber import number_key
from polgraph.extract.levels import level_of_agency, level_of_issuer
from polgraph.graph.io import is_graph_file, is_records_file, load_graph, read_records
from polgraph.graph.model import LEVELS, METHODS, RELATIONS
from polgraph.graph.resolve import TitleIndex, issuer_compatible, normalize_title, title_id, year_of_number
from polgraph.graph.versions import SUPERSEDES, in_force_version, start_of, version_groups, version_ids
from polgraph.progress import progress

_METHOD_RANK = {m: i for i, m in enumerate(METHODS)}


_AGENCY = re.compile(r"^(.+?)(?:〔|第?\d)")


def _level_of_cited(citation: dict) -> tuple[str, str | None]:
    """(level, province) a citation implies for its target: the extractor's level, else the 机关代字, else the
    cited issuer (polgraph.extract.levels)."""
    level = citation.get("cited_level") or "unknown"
    found = []
    number = None if citation.get("anonymised") else citation.get("doc_number")
    m = _AGENCY.match(number or "")
    if m:
        found.append(level_of_agency(m.group(1)))
    if citation.get("cited_issuer"):
        found.append(level_of_issuer(citation["cited_issuer"]))
    known = [f for f in found if isinstance(f, tuple) and f and f[0] in LEVELS and f[0] != "unknown"]
    if level in LEVELS and level != "unknown":
        region = next((f[1] for f in known if f[0] == level), None)
        return level, (region if level != "central" else None)
    if known:
        return known[0][0], (known[0][1] if known[0][0] != "central" else None)
    return "unknown", None


def document_id(record: dict) -> str:
    """The 文号's canonical key when known, else a hash of the normalised title, else of the path."""
    if record.get("doc_number"):
        return number_key(record["doc_number"])
    if normalize_title(record.get("title")):
        return title_id(record["title"])
    return "f:" + hashlib.sha1(str(record.get("path", "")).encode("utf-8")).hexdigest()[:16]


def _year(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def _doc_node(record: dict) -> dict:
    title = record.get("title") or None
    carries = [c for c in (record.get("carries") or []) if c]
    number = record.get("doc_number") or None
    return {
        "label": number or title or str(record.get("path", "")),
        "title": title,
        "aliases": sorted(set(c for c in carries if c != title)),
        "doc_number": number,
        "issuer": list(record.get("issuer") or []),
        "date": record.get("date") or None,
        "year": _year(record.get("date")),
        "level": record.get("level") if record.get("level") in LEVELS else "unknown",
        "region": record.get("region") or None,
        "in_corpus": True,
        "path": str(record["path"]) if record.get("path") is not None else None,
        "carries": carries,
        "effective": _own_effective(record),
        "expires": (record.get("expires") or {}).get("date") or None,
    }


def _own_effective(record: dict) -> str | None:
    """The day this version takes effect by its own text (None when its clause is a first version's)."""
    eff = record.get("effective") or {}
    return None if eff.get("original_version") else eff.get("date") or None


def _merge_duplicate(node: dict, record: dict) -> None:
    """A second file for the same document: keep the first's attributes, remember what the second adds."""
    other = _doc_node(record)
    aliases = set(node["aliases"])
    for t in [other["title"]] + other["carries"]:
        if t and t != node["title"]:
            aliases.add(t)
    node["aliases"] = sorted(aliases)
    for key in ("date", "region", "title", "effective", "expires"):
        if not node[key] and other[key]:
            node[key] = other[key]
    if node["year"] is None:
        node["year"] = other["year"]
    if node["level"] == "unknown":
        node["level"] = other["level"]
    node["issuer"] = node["issuer"] or other["issuer"]


def _mention(record: dict, c: dict) -> dict:
    return {"path": str(record.get("path")) if record.get("path") is not None else None,
            "sentence": c.get("sentence"), "start": c.get("start"), "end": c.get("end"), "cue": c.get("cue"),
            "doc_number": c.get("doc_number"), "title": c.get("title"), "cited_issuer": c.get("cited_issuer")}


def build_graph(paths_or_records, jobs: int = 1, quiet: bool = False) -> nx.MultiDiGraph:
    """Resolve every citation of a corpus and return the citation graph (citing → cited).

    `paths_or_records` is a list of extraction records (dicts) or of paths (files/folders, extracted here).

    >>> from polgraph.extract.find import extract_text
    >>> opinion = extract_text("国务院关于深化改革的意见\\n国发〔2014〕5号\\n\\n现提出如下意见。\\n\\n国务院\\n2014年3月1日\\n")
    >>> plan = extract_text("山西省人民政府关于贯彻落实深化改革意见的实施方案\\n晋政发〔2014〕9号\\n\\n"
    ...                     "为贯彻落实《国务院关于深化改革的意见》（国发〔2014〕5号），制定本方案。\\n")
    >>> G = build_graph([opinion, plan])
    >>> sorted(G.edges(keys=True))
    [('晋政发〔2014〕9号', '国发〔2014〕5号', 'IMPLEMENTS')]
    >>> G.nodes["国发〔2014〕5号"]["level"], G.nodes["国发〔2014〕5号"]["in_corpus"]
    ('central', True)
    >>> G.edges["晋政发〔2014〕9号", "国发〔2014〕5号", "IMPLEMENTS"]["method"]
    'number'
    """
    items = list(paths_or_records)
    skipped: list = []
    if items and not all(isinstance(x, dict) for x in items):
        items, skipped = records_from_paths([str(x) for x in items], jobs=jobs, quiet=quiet)
    G = graph_from_records(items, quiet=quiet)
    G.graph["skipped"] = [[str(p), str(r)] for p, r in skipped]
    return G


def records_from_paths(paths: list[str], jobs: int = 1, quiet: bool = False) -> tuple[list[dict], list]:
    """Records of the given corpus paths: extract JSON Lines read as they are, everything else extracted."""
    records: list[dict] = []
    to_extract: list[str] = []
    for p in paths:
        if is_records_file(p):
            records.extend(read_records(p))
        elif is_graph_file(p):
            raise InputError(p, "a graph file cannot be mixed with corpus paths; give it alone")
        else:
            to_extract.append(p)
    skipped: list = []
    if to_extract:
        from polgraph.extract.pipeline import extract_paths

        extracted, skipped = extract_paths(to_extract, jobs=jobs, quiet=quiet)
        records.extend(extracted)
    return records, list(skipped)


def open_graph(paths, jobs: int = 1, quiet: bool = False) -> nx.MultiDiGraph:
    """A graph file written by `polgraph build`, or a corpus (files, folders, extract JSON Lines) built now.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "plan.txt").write_text("山西省实施方案\\n晋政发〔2014〕9号\\n\\n根据《国务院关于深化改革的意见》，制定本方案。\\n",
    ...                                      encoding="utf-8")
    >>> G = open_graph([folder])
    >>> [(G.nodes[v]["title"], k, G.nodes[v]["in_corpus"]) for _, v, k in G.edges(keys=True)]
    [('国务院关于深化改革的意见', 'BASED_ON', False)]
    >>> from polgraph.graph.io import save_graph
    >>> save_graph(G, folder / "graph.json")
    >>> sorted(open_graph([folder / "graph.json"]).edges(keys=True)) == sorted(G.edges(keys=True))
    True
    """
    paths = [str(p) for p in paths]
    if len(paths) == 1 and is_graph_file(paths[0]) and not is_records_file(paths[0]):
        return load_graph(paths[0])
    records, skipped = records_from_paths(paths, jobs=jobs, quiet=quiet)
    if not records:
        where = paths[0] if len(paths) == 1 else f"{len(paths)} paths"
        reason = "no readable document" + (f" ({len(skipped)} skipped)" if skipped else "")
        if skipped:
            reason += ": " + "; ".join(f"{p}: {r}" for p, r in list(skipped)[:3])
        raise InputError(where, reason)
    G = build_graph(records, jobs=jobs, quiet=quiet)
    G.graph["skipped"] = [[str(p), str(r)] for p, r in skipped]
    return G


def graph_from_records(records: Iterable[dict], quiet: bool = False) -> nx.MultiDiGraph:
    """The citation graph of extraction records; same records in any order → same graph."""
    # Building allocates millions of small dicts and lists that live on; the cyclic collector would rescan
    # them all again and again (superlinear), and nothing here makes reference cycles worth collecting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _graph_from_records(records, quiet)
    finally:
        if enabled:
            gc.enable()


def _graph_from_records(records: Iterable[dict], quiet: bool) -> nx.MultiDiGraph:
    records = sorted(records, key=lambda r: (str(r.get("path", "")), document_id(r)))
    nodes: dict[str, dict] = {}
    record_node: list[str] = []
    merged: list[list[str]] = []
    numbers: dict[str, str] = {}
    titles = TitleIndex()

    # 1. documents in the corpus (one node per version: graph/versions.py)
    base_ids = [document_id(r) for r in records]
    for rec, base, nid in zip(records, base_ids, version_ids(base_ids, [r.get("date") or _own_effective(r) for r in records])):
        if nid in nodes:
            _merge_duplicate(nodes[nid], rec)
            merged.append([nid, str(rec.get("path"))])
        else:
            nodes[nid] = _doc_node(rec)
        record_node.append(nid)
        if rec.get("doc_number"):
            numbers[number_key(rec["doc_number"])] = base
    groups = version_groups(nodes)
    group_of = {n: i for i, members in enumerate(groups) for n in members}
    for nid in sorted(nodes):
        node = nodes[nid]
        titles.add(nid, node["title"], "title")
        for alias in node["aliases"]:
            titles.add(nid, alias, "alias")

    edges: dict[tuple[str, str, str], dict] = {}
    conflicts: list[dict] = []
    dropped = defaultdict(int)
    pending: list[tuple[str, dict, dict]] = []  # (source, record, citation) not found in the corpus

    def add_edge(src: str, dst: str, rec: dict, c: dict, method: str, score: float, flags=()) -> None:
        relation = c.get("relation") if c.get("relation") in RELATIONS else "CITES"
        key = (src, dst, relation)
        e = edges.get(key)
        mention = _mention(rec, c)
        mention["method"] = method
        mention["score"] = score
        if e is None:
            e = edges[key] = {"relation": relation, "method": method, "score": score, "mentions": [],
                              "flags": []}
        elif _METHOD_RANK[method] < _METHOD_RANK[e["method"]] or (method == e["method"] and score > e["score"]):
            e["method"], e["score"] = method, score
        e["mentions"].append(mention)
        for f in flags:
            if f not in e["flags"]:
                e["flags"].append(f)

    # 2. exact resolution against the corpus
    with progress(list(zip(records, record_node)), label="resolving", quiet=quiet) as bar:
        for rec, src in bar:
            for c in rec.get("citations") or []:
                number = None if c.get("anonymised") else number_key(c.get("doc_number"))
                if number and number == number_key(nodes[src]["doc_number"]):
                    dropped["self"] += 1
                    continue
                by_number = numbers.get(number) if number else None
                by_title = titles.lookup(c.get("title"), exclude=src) if c.get("title") else None
                if by_title is None and c.get("title") and not number:
                    own = titles.lookup(c["title"])
                    if own and src in own[0]:
                        dropped["self"] += 1  # its own title or the instrument it carries
                        continue
                if by_title and src in group_of and not number:
                    # its own title names an earlier version (《信访条例》同时废止 in the 2005 信访条例): the one in
                    # force before this one; none in the corpus: the citation is of itself, as without versions
                    own_group = [n for n in by_title[0] if group_of.get(n) == group_of[src]]
                    if own_group:
                        earlier = in_force_version(own_group, nodes, rec.get("date"), before=start_of(nodes[src]))
                        if earlier is None and len(own_group) == len(by_title[0]):
                            dropped["self"] += 1
                            continue
                        by_title = ([earlier], by_title[1], False) if earlier else (
                            [n for n in by_title[0] if n not in own_group], by_title[1], by_title[2])
                if by_title and (len(by_title[0]) > 1 or by_title[2]):
                    by_title = _disambiguate(by_title, c, nodes, nodes[src], rec.get("date"), group_of)
                if by_number:
                    flags = []
                    # an issuer-less title (weak) shared by many documents is no evidence against the number
                    if by_title and not by_title[2] and by_title[0][0] != by_number:
                        flags.append("number_title_conflict")
                        conflicts.append({"source": src, "path": str(rec.get("path")), "doc_number": number,
                                          "title": c.get("title"), "number_target": by_number,
                                          "title_target": by_title[0][0], "start": c.get("start")})
                    add_edge(src, by_number, rec, c, "number", 100.0, flags)
                elif by_title and not _changes_later(c, nodes[by_title[0][0]], rec.get("date")):
                    add_edge(src, by_title[0][0], rec, c, by_title[1], 100.0)
                elif number or c.get("title"):
                    pending.append((src, rec, c))
                else:
                    dropped["anonymised" if c.get("anonymised") else "empty"] += 1

    # 3. placeholders for numbers missing from the corpus (their cited titles become aliases)
    placeholders: dict[str, dict] = {}
    ph_titles = TitleIndex(fuzzy=False)  # only exact lookups: a placeholder is not a fuzzy target

    def placeholder(pid: str, c: dict) -> dict:
        ph = placeholders.get(pid)
        number = None if c.get("anonymised") else c.get("doc_number")
        if ph is None:
            ph = placeholders[pid] = {
                "label": number or c.get("title") or pid, "title": None, "aliases": [],
                "doc_number": number, "issuer": [], "date": None, "year": year_of_number(number),
                "level": "unknown", "region": None, "in_corpus": False, "path": None, "carries": [],
                "effective": None, "expires": None}
        if c.get("title"):
            if ph["title"] is None:
                ph["title"] = c["title"]
            elif c["title"] != ph["title"] and c["title"] not in ph["aliases"]:
                ph["aliases"].append(c["title"])
            ph_titles.add(pid, c["title"], "alias")
        if c.get("cited_issuer") and c["cited_issuer"] not in ph["issuer"]:
            ph["issuer"].append(c["cited_issuer"])
        if ph["level"] == "unknown":
            ph["level"], region = _level_of_cited(c)
            ph["region"] = ph["region"] or region
        return ph

    still: list[tuple[str, dict, dict]] = []
    for src, rec, c in pending:
        number = None if c.get("anonymised") else number_key(c.get("doc_number"))
        if number:
            placeholder(number, c)
            add_edge(src, number, rec, c, "placeholder", 100.0)
        else:
            still.append((src, rec, c))

    # 4. title-only citations: a placeholder of the same title, a fuzzy corpus match, or a new placeholder
    # A title without its issuer (《关于修改部分地方性法规的决定》) names a different document for each issuer:
    # such placeholders are keyed by the cited issuer, else by the citing document's region or issuer.
    for src, rec, c in still:
        src_node = nodes[src]
        generic = normalize_title(c["title"]).startswith("关于")
        hit = ph_titles.lookup(c["title"])
        if hit and generic:
            hit = _disambiguate(([n for n in hit[0] if placeholders[n]["doc_number"]], hit[1], True), c,
                                placeholders, src_node, rec.get("date")) \
                if any(placeholders[n]["doc_number"] for n in hit[0]) else None
        elif hit and (len(hit[0]) > 1 or hit[2]):
            hit = _disambiguate(hit, c, placeholders, src_node, rec.get("date"))
        if hit:
            add_edge(src, hit[0][0], rec, c, "placeholder", 100.0)
            continue
        fuzzy = titles.fuzzy(c["title"], exclude=src, accept=lambda n: _compatible(nodes[n], c, src_node))
        if fuzzy:
            add_edge(src, fuzzy[0], rec, c, "fuzzy", fuzzy[1])
            continue
        if generic:
            qualifier = c.get("cited_issuer") or src_node["region"] or next(iter(src_node["issuer"]), "")
            pid = title_id(qualifier + c["title"]) if qualifier else title_id(c["title"])
        else:
            pid = title_id(c["title"])
        if pid in nodes:  # a repealed earlier version of a corpus document, itself not in the corpus
            pid = f"{pid}@before-{rec.get('date')}"
        ph = placeholder(pid, c)
        if generic and not c.get("cited_issuer") and ph["region"] is None:
            ph["region"] = src_node["region"]
        add_edge(src, pid, rec, c, "placeholder", 100.0)

    # 5. each version SUPERSEDES the one before it
    for members in groups:
        for older, newer in zip(members, members[1:]):
            edges.setdefault((newer, older, SUPERSEDES), {"relation": SUPERSEDES, "method": "version",
                                                          "score": 100.0, "mentions": [], "flags": []})

    G = nx.MultiDiGraph()
    G.graph["created_by"] = "polgraph"
    G.graph["skipped"] = []
    G.graph["conflicts"] = conflicts
    G.graph["dropped_citations"] = dict(sorted(dropped.items()))
    G.graph["merged"] = merged
    all_nodes = {**placeholders, **nodes}
    for nid in sorted(all_nodes):
        attrs = all_nodes[nid]
        attrs["aliases"] = sorted(set(attrs["aliases"]) - {attrs["title"]})
        G.add_node(nid, **attrs)
    for (src, dst, rel) in sorted(edges):
        e = edges[(src, dst, rel)]
        e["mentions"].sort(key=lambda m: (m["path"] or "", m["start"] if m["start"] is not None else -1))
        G.add_edge(src, dst, key=rel, **e)
    from polgraph.graph.checks import apply_checks

    apply_checks(G)
    return G


def _changes_later(c: dict, target: dict, date: str | None) -> bool:
    """True when a title-only REPEALS/AMENDS citation would change a document that took effect after the citing
    one: 《中华人民共和国国家安全法》同时废止 in 2014 repeals the 1993 law, not the 2015 law of that title."""
    return (c.get("relation") in ("REPEALS", "AMENDS") and not c.get("doc_number") and bool(date)
            and start_of(target) > date)


def _disambiguate(hit, c: dict, nodes: dict, citing: dict, date: str | None, group_of: dict | None = None):
    """Several documents share a cited title, or only its issuer-less form matched: keep the one the cited
    issuer, level and dates allow; if several remain, the version in force on the citing document's date
    (versions of one document), else the latest not after the citing document."""
    cands, method, weak = hit
    ok = [n for n in cands if _compatible(nodes[n], c, citing)]
    if weak and not ok:
        return None
    if len(ok) == 1:
        return [ok[0]], method, weak
    pool = ok or cands
    if group_of and len({group_of.get(n, n) for n in pool}) == 1 and pool[0] in group_of:
        chosen = in_force_version(pool, nodes, date) or min(pool, key=lambda n: (start_of(nodes[n]), n))
        return [chosen], method, weak
    date = date or "9999"
    dated = sorted(pool, key=lambda n: ((nodes[n]["date"] or "") <= date, nodes[n]["date"] or "", n))
    return [dated[-1]], method, weak


def _compatible(node: dict, c: dict, citing: dict | None) -> bool:
    """Issuer, level and date guards for a title match that is not exact or not unique."""
    if not issuer_compatible(c.get("cited_issuer"), node.get("issuer"), node.get("region")):
        return False
    cl = c.get("cited_level")
    if cl and cl != "unknown" and node.get("level") not in (None, "unknown") and node["level"] != cl:
        return False
    if citing is not None and citing.get("date") and node.get("date") and node["date"] > citing["date"]:
        return False
    return True

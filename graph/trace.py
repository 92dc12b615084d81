"""Implementation chains: who implements a document (down), and what a document rests on (up).

Edges go citing → cited, so "down" (the documents that implement or cite REF) is reverse reachability and
"up" is forward reachability.
"""
from __future__ import annotations

import datetime as _dt
from collections import deque
from typing import NamedTuple

import networkx as nx

from polgraph.errors import NotFoundError, PolgraphError
from polgraph.extract.docnumber import normalize_docnumber, number_key
from polgraph.extract.textview import simplified
from polgraph.graph.resolve import normalize_title, title_keys
from polgraph.graph.status import STATUSES
from polgraph.vocabulary import LEVEL_RANK, LEVELS, RELATIONS, level_info


def normalize_ref_number(ref: str) -> str | None:
    """A user's 文号 in any bracket style as the normalised form (国发〔2012〕11号), or None."""
    return normalize_docnumber(ref)


def _describe_attrs(n: str, d: dict) -> str:
    bits = [n]
    if d.get("title") and d.get("title") != n:
        bits.append(d["title"])
    if d.get("date"):
        bits.append(d["date"])
    if not d.get("in_corpus"):
        bits.append("not in corpus")
    return " · ".join(bits)


def _describe(G: nx.MultiDiGraph, n: str) -> str:
    return _describe_attrs(n, G.nodes[n])


class Matches(NamedTuple):
    """The documents one rule of find_node matched, in-corpus ones preferred: how many, and the first few ids
    in sorted order (enough to name the one, or to list them when REF is ambiguous)."""
    count: int
    first: list[str]


SHOWN = 8  # candidates listed in an ambiguity or not-found message


class GraphDocuments:
    """The questions find_node asks of the documents, answered by a networkx graph (every node read).

    graph/neo4j_store.py answers the same questions through the database's indexes; find_node's rules and
    messages are `resolve_ref`'s, whichever answers."""

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G

    def has(self, node_id: str) -> bool:
        return node_id in self.G

    def by_number(self, number: str, key: str) -> list[str]:
        """Documents whose written 文号 is `number` or has the canonical key `key`."""
        from polgraph.graph.build import number_key
        return sorted(n for n, d in self.G.nodes(data=True)
                      if d.get("doc_number") and (d["doc_number"] == number or number_key(d["doc_number"]) == key))

    def by_path(self, ref: str) -> list[str]:
        return _by_path(self.G, ref)

    def by_title_keys(self, keys: set[str]) -> Matches:
        """Documents with a title, alias or carried title of which a title key is one of `keys`."""
        exact = []
        for n, d in self.G.nodes(data=True):
            names = [d.get("title")] + list(d.get("aliases") or []) + list(d.get("carries") or [])
            if any(keys & set(title_keys(t)) for t in names if t):
                exact.append(n)
        return self._matches(exact)

    def by_words(self, words: list[str]) -> Matches:
        """Documents whose normalised title, 文号 or aliases hold every one of `words`."""
        hits = []
        for n, d in self.G.nodes(data=True):
            if all(w in search_text(d) for w in words):
                hits.append(n)
        return self._matches(hits)

    def _matches(self, nodes: list[str]) -> Matches:
        nodes = _prefer_corpus(self.G, sorted(nodes))
        return Matches(len(nodes), nodes[:SHOWN])

    def describe(self, ids: list[str]) -> dict[str, dict]:
        return {n: self.G.nodes[n] for n in ids}

    def suggestion_choices(self, ref: str) -> dict[str, str]:
        """id -> the normalised name a not-found REF is compared with (every document)."""
        return {n: normalize_title(d.get("title") or d.get("label") or n) for n, d in self.G.nodes(data=True)}


def search_text(d: dict) -> str:
    """What title words are looked for in: the normalised title, 文号 and aliases (Neo4j stores it)."""
    names = [d.get("title"), d.get("doc_number")] + list(d.get("aliases") or [])
    # a word holds no space, so it is found within one name whatever separates them
    return " ".join(filter(None, (normalize_title(t) for t in names if t)))


def example_chain() -> nx.MultiDiGraph:
    """A three-document chain, the graph of this module's examples: a State Council opinion, a provincial plan that
    implements it and a city's paper, known only by a citation, that cites the plan.

    >>> G = example_chain()
    >>> sorted(G.edges(keys=True))
    [('t:1', '晋政发〔2014〕9号', 'CITES'), ('晋政发〔2014〕9号', '国发〔2014〕5号', 'IMPLEMENTS')]
    """
    G = nx.MultiDiGraph()
    G.add_node("国发〔2014〕5号", title="国务院关于深化改革的意见", level="central", date="2014-03-01", in_corpus=True)
    G.add_node("晋政发〔2014〕9号", title="山西省实施方案", level="provincial", region="山西省", date="2014-06-01",
               in_corpus=True)
    G.add_node("t:1", title="太原市工作要点", level="municipal", region="山西省", in_corpus=False)
    G.add_edge("晋政发〔2014〕9号", "国发〔2014〕5号", key="IMPLEMENTS")
    G.add_edge("t:1", "晋政发〔2014〕9号", key="CITES")
    return G


def find_node(G: nx.MultiDiGraph, ref: str) -> str:
    """The node a user means by `ref`: a 文号 (any bracket style), a source file (path, name or stem), an exact
    title or alias, or title words.

    Raises NotFoundError (listing candidates) when nothing or several documents match.

    >>> G = example_chain()
    >>> find_node(G, "国发[2014]5号"), find_node(G, "山西 方案")
    ('国发〔2014〕5号', '晋政发〔2014〕9号')
    """
    return resolve_ref(GraphDocuments(G), ref)


def resolve_ref(docs, ref: str) -> str:
    """find_node over `docs` (GraphDocuments, or graph/neo4j_store.py's Neo4jDocuments): the rules in order,
    the first that names one document wins."""
    ref = (ref or "").strip()
    if not ref:
        raise NotFoundError("empty reference: give a 文号 or title words")
    if docs.has(ref):
        return ref
    given = ref
    ref = simplified(ref)  # a REF in traditional characters names the simplified document (國辦發 = 国办发)
    number = normalize_ref_number(ref)
    if number:
        if docs.has(number):
            return number
        # node ids are canonical keys: 国令第707号 finds the document written 国务院令第707号
        key = number_key(number)
        if docs.has(key):
            return key
        hits = docs.by_number(number, key)
        if len(hits) == 1:
            return hits[0]
    by_file = docs.by_path(given)
    if len(by_file) == 1:
        return by_file[0]
    keys = set(title_keys(ref))
    if keys:
        found = _one_of(docs, given, docs.by_title_keys(keys))
        if found is not None:
            return found
    words = [normalize_title(w) for w in ref.split()]
    words = [w for w in words if w]
    if words:
        found = _one_of(docs, given, docs.by_words(words))
        if found is not None:
            return found
    raise NotFoundError(f"no document matches {given!r}" + _suggest(docs, ref))


def latest_version(ids: list[str]) -> str | None:
    """The latest version when `ids` are every version of one document (graph/versions.py: the latest keeps the
    document's id, an earlier one is ``id@date``), as a 文号 names the latest; else None."""
    bases = {i.split("@", 1)[0] for i in ids}
    return ids[0].split("@", 1)[0] if len(bases) == 1 and ids[0].split("@", 1)[0] in ids else None


def _one_of(docs, ref: str, matches: Matches) -> str | None:
    """The one document `ref` matches (in-corpus documents preferred), the latest version when it matches one
    document's versions only; None if none; ambiguity is an error."""
    if 1 < matches.count <= len(matches.first):
        latest = latest_version(matches.first)
        if latest is not None:
            return latest
    if matches.count > 1:
        described = docs.describe(matches.first[:SHOWN])
        shown = "; ".join(_describe_attrs(n, described[n]) for n in matches.first[:SHOWN])
        more = f" (and {matches.count - SHOWN} more)" if matches.count > SHOWN else ""
        raise NotFoundError(f"{ref!r} matches {matches.count} documents: {shown}{more}; "
                            f"give the 文号 or more title words")
    return matches.first[0] if matches.count else None


def _by_path(G, ref: str) -> list[str]:
    """In-corpus documents whose source path, file name or file stem is `ref`."""
    ref = ref.replace("\\", "/")
    hits = []
    for n, d in G.nodes(data=True):
        p = d.get("path") or ""
        if p and path_matches(p, ref):
            hits.append(n)
    return sorted(hits)


def path_matches(path: str, ref: str) -> bool:
    """A document's source `path` is what `ref` (with / separators) names: the path, file name or stem, or
    (longer than 3 characters) a tail of the path."""
    p = path.replace("\\", "/")
    name = p.rsplit("/", 1)[-1]
    return ref in (p, name, name.rsplit(".", 1)[0]) or (len(ref) > 3 and p.endswith("/" + ref))


def file_name_and_stem(path: str | None) -> tuple[str, str] | None:
    """(file name, stem) of a source path, the keys a file-name REF is looked up by (Neo4j stores them)."""
    if not path:
        return None
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name, name.rsplit(".", 1)[0]


def _prefer_corpus(G, nodes: list[str]) -> list[str]:
    inside = [n for n in nodes if G.nodes[n].get("in_corpus")]
    return inside if inside else nodes


def _suggest(docs, ref: str) -> str:
    from rapidfuzz import fuzz, process

    best = process.extract(normalize_title(ref), docs.suggestion_choices(ref), scorer=fuzz.partial_ratio, limit=3,
                           score_cutoff=60)
    if not best:
        return ""
    ranked = [key for _, _, key in sorted(best, key=lambda b: (-b[1], b[2]))]
    described = docs.describe(ranked)
    return "; closest: " + "; ".join(_describe_attrs(key, described[key]) for key in ranked)


def reachable(G: nx.MultiDiGraph, node: str, direction: str = "down", depth: int | None = None,
              relations=None) -> dict[str, int]:
    """Every node reachable from `node` (down: documents citing it, transitively; up: what it cites) → hops.

    `relations` limits the edges followed; `depth` the hops. `node` itself is not included.

    >>> G = example_chain()
    >>> reachable(G, "国发〔2014〕5号")
    {'晋政发〔2014〕9号': 1, 't:1': 2}
    >>> reachable(G, "t:1", direction="up", depth=1)
    {'晋政发〔2014〕9号': 1}
    """
    return {n: h for n, (h, _, _) in _bfs(G, node, direction, depth, relations).items()}


def neighbourhood(G: nx.MultiDiGraph, node, direction: str = "both", depth: int | None = None,
                  relations=None) -> set:
    """`node` and the nodes within `depth` hops of it (all hops when None).

    "down": who implements / cites `node`; "up": what it rests on; "both" is the union of the two —
    not an undirected walk, which would pull in every sibling that cites the same parent.
    """
    result = {node}
    for way in (("down", "up") if direction == "both" else (direction,)):
        result |= set(reachable(G, node, direction=way, depth=depth, relations=relations))
    return result


def select_subgraph(G: nx.MultiDiGraph, focus: str | None = None, depth: int | None = None,
                    direction: str = "both", levels=None, relations=None, statuses=None) -> nx.MultiDiGraph:
    """The part of `G` around the document `focus` (its neighbourhood: `direction`, `depth` hops), of the given
    `levels` and `statuses`, along the given `relations`; all of `G` when none is given. What `polgraph render`
    draws.

    Keeping some relations drops the other edges and any node left without edges by that (documents that never
    had an edge stay); keeping some levels or statuses (graph/status.py) drops nodes of the others (the focus
    document always stays). An unknown status, level or relation is a PolgraphError, a focus that names no
    document a NotFoundError.

    >>> G = example_chain()
    >>> sorted(select_subgraph(G, focus="国发〔2014〕5号", depth=1))
    ['国发〔2014〕5号', '晋政发〔2014〕9号']
    >>> sorted(select_subgraph(G, levels=["provincial", "municipal"]))
    ['t:1', '晋政发〔2014〕9号']
    """
    check_names(statuses, STATUSES, "status")
    check_names(levels, LEVELS, "level")
    check_names(relations, RELATIONS, "relation")
    keep = set(G.nodes)
    focus_node = None
    if focus is not None:
        focus_node = find_node(G, focus)
        keep = neighbourhood(G, focus_node, direction=direction, depth=depth, relations=relations)
    if levels:
        wanted = set(levels)
        keep = {n for n in keep if G.nodes[n].get("level", "unknown") in wanted or n == focus_node}
    if statuses:
        wanted_status = set(statuses)
        keep = {n for n in keep if G.nodes[n].get("status", "unknown") in wanted_status or n == focus_node}
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for n in sorted(keep, key=str))
    rel_ok = set(relations) if relations else None
    for u, v, k, d in G.edges(keys=True, data=True):
        if u in keep and v in keep and (rel_ok is None or k in rel_ok):
            H.add_edge(u, v, key=k, **d)
    if rel_ok is not None:
        lost = [n for n in H.nodes if H.degree(n) == 0 and G.degree(n) > 0 and n != focus_node]
        H.remove_nodes_from(lost)
    return H


def check_names(names, allowed, what: str) -> None:
    """PolgraphError for the first of `names` that is not one of `allowed` (levels, relations).

    >>> check_names(["central", "county"], LEVELS, "level")
    >>> check_names(["national"], LEVELS, "level")
    Traceback (most recent call last):
    polgraph.errors.PolgraphError: unknown level 'national' (choose from central, provincial, municipal, county, township, unknown)
    """
    for name in names or ():
        if name not in allowed:
            raise PolgraphError(f"unknown {what} {name!r} (choose from {', '.join(allowed)})")


def _bfs(G, node, direction, depth, relations) -> dict[str, tuple[int, str, str]]:
    """node → (hops, parent, relation of the edge to the parent), breadth first, ties broken by id."""
    return bfs_from(G, [node], direction, depth, relations)


def bfs_from(G, starts: list, direction, depth, relations) -> dict[str, tuple[int, str, str]]:
    """_bfs from several nodes at once (in the order given, none of them in the answer): each node reached is
    reached from the nearest start."""
    if direction not in ("down", "up"):
        raise ValueError(f"direction must be 'down' or 'up', not {direction!r}")
    rels = set(relations) if relations else None
    seen: dict[str, tuple[int, str, str]] = {}
    queue = deque((node, 0) for node in starts)
    visited = set(starts)
    while queue:
        cur, h = queue.popleft()
        if depth is not None and h >= depth:
            continue
        if direction == "down":
            nbrs = sorted((u, k) for u, _, k in G.in_edges(cur, keys=True))
        else:
            nbrs = sorted((v, k) for _, v, k in G.out_edges(cur, keys=True))
        for nb, rel in nbrs:
            if rels is not None and rel not in rels:
                continue
            if nb in visited:
                continue
            visited.add(nb)
            seen[nb] = (h + 1, cur, rel)
            queue.append((nb, h + 1))
    return seen


def _days(a: str | None, b: str | None) -> int | None:
    try:
        return (_dt.date.fromisoformat(b) - _dt.date.fromisoformat(a)).days
    except (TypeError, ValueError):
        return None


def _doc(G, n: str) -> dict:
    d = G.nodes[n]
    return {"id": n, "label": d.get("label"), "title": d.get("title"), "doc_number": d.get("doc_number"),
            "level": d.get("level", "unknown"), "region": d.get("region"), "date": d.get("date"),
            "issuer": list(d.get("issuer") or []), "in_corpus": bool(d.get("in_corpus")), "path": d.get("path"),
            **({"status": d["status"], "status_changed_by": d.get("status_changed_by"),
                "status_changed_on": d.get("status_changed_on")} if d.get("status") else {})}


def trace(G: nx.MultiDiGraph, ref: str, direction: str = "down", depth: int | None = None,
          relations=None) -> dict:
    """The implementation chain of REF as a JSON-serialisable dict (same graph and query → same dict).

    down: every document that implements or cites REF, transitively; up: everything REF rests on. Each
    document has its hops, the document it was reached through (`via`), the relation of that edge and the
    delay in days from REF's date to its own. `tree` nests documents under `via`; `by_level` groups them by
    level and region.

    >>> G = example_chain()
    >>> result = trace(G, "国发〔2014〕5号")
    >>> [(d["id"], d["hops"], d["via"], d["relation"], d["delay_days"]) for d in result["documents"]]
    [('晋政发〔2014〕9号', 1, '国发〔2014〕5号', 'IMPLEMENTS', 92), ('t:1', 2, '晋政发〔2014〕9号', 'CITES', None)]
    >>> result["by_level"]
    {'provincial': {'山西省': ['晋政发〔2014〕9号']}, 'municipal': {'山西省': ['t:1']}}
    >>> [d["id"] for d in trace(G, "t:1", direction="up")["documents"]]
    ['晋政发〔2014〕9号', '国发〔2014〕5号']
    """
    root = find_node(G, ref)
    rels = sorted({r.upper() for r in relations}) if relations else None
    found = _bfs(G, root, direction, depth, rels)
    root_doc = _doc(G, root)
    docs = []
    for n, (hops, via, rel) in found.items():
        d = _doc(G, n)
        d.update(hops=hops, via=via, relation=rel, delay_days=_days(root_doc["date"], d["date"]))
        docs.append(d)
    docs.sort(key=lambda d: (d["hops"], LEVEL_RANK.get(d["level"], 99), d["region"] or "", d["date"] or "",
                             d["id"]))
    children: dict[str, list[dict]] = {}
    for d in docs:
        children.setdefault(d["via"], []).append(d)

    def subtree(n: str) -> list[dict]:
        return [{"id": d["id"], "relation": d["relation"], "children": subtree(d["id"])}
                for d in children.get(n, [])]

    by_level: dict[str, dict[str, list[str]]] = {}
    for lvl in LEVELS:
        group = [d for d in docs if d["level"] == lvl]
        if group:
            regions: dict[str, list[str]] = {}
            for d in sorted(group, key=lambda d: (d["region"] or "", d["date"] or "", d["id"])):
                regions.setdefault(d["region"] or "", []).append(d["id"])
            by_level[lvl] = regions
    delays = [d["delay_days"] for d in docs if d["delay_days"] is not None]
    return {"ref": root_doc, "query": ref, "direction": direction, "depth": depth, "relations": rels,
            "count": len(docs), "documents": docs, "tree": subtree(root), "by_level": by_level,
            "delay_days": {"min": min(delays), "median": sorted(delays)[len(delays) // 2], "max": max(delays)}
            if delays else None}


def _line(d: dict, down: bool = True) -> str:
    date = d["date"] or "date ?"
    delay = ""
    if d.get("delay_days") is not None:
        delay = f" ({d['delay_days']:+d} d)"
        if down and d["delay_days"] < 0:
            delay = f" ({d['delay_days']:+d} d, before it!)"
    name = d["doc_number"] or ""
    title = d["title"] or (_untitled(d) if not name else "") or _label_beside(d)
    where = d["region"] or ""
    missing = "" if d["in_corpus"] else "  [not in corpus]"
    return (f"{date}{delay}  {name}{'  ' if name else ''}{title}  [{where + ', ' if where else ''}{d['level']}]"
            f"{missing}{_status_note(d)}")


def _label_beside(d: dict) -> str:
    """A document's label (else id) to print beside its 文号: nothing when the label is that 文号 (a document
    known only by its number is not named twice)."""
    label = d["label"] or d["id"]
    return "" if d["doc_number"] and label in (d["doc_number"], d["id"]) else label


def _untitled(d: dict) -> str | None:
    """How to name a document that has neither title nor 文号 (a body-only text): its issuer and where its file
    is (the last folder and the file name), e.g. `untitled, 交通运输部办公厅, policies/00110.txt`."""
    path = d.get("path")
    if not path:
        return None
    where = "/".join(path.replace("\\", "/").rstrip("/").split("/")[-2:])
    return ", ".join(["untitled"] + (d.get("issuer") or [])[:1] + [where])


def _status_note(d: dict) -> str:
    """`  [repealed 2021-09-01 by 国发〔2021〕8号]`; nothing for a document in force or of unknown status."""
    status = d.get("status")
    if status in (None, "in_force", "unknown"):
        return ""
    parts = [status.replace("_", " ")] + [x for x in (d.get("status_changed_on"),) if x]
    if d.get("status_changed_by"):
        parts.append(f"by {d['status_changed_by']}")
    return "  [" + " ".join(parts) + "]"


def format_trace_text(result: dict) -> str:
    """The trace as text for a policy analyst: the chain as a tree, then the documents by level and region."""
    ref = result["ref"]
    down = result["direction"] == "down"
    name = " ".join(x for x in (ref["doc_number"], ref["title"] or _label_beside(ref)) if x)
    head = f"Documents implementing or citing: {name}" if down else f"What {name} rests on:"
    lines = [head,
             f"  {ref['level']}{', ' + ref['region'] if ref['region'] else ''}, dated {ref['date'] or 'unknown'}"
             f"{'' if ref['in_corpus'] else ', not in corpus'}{_status_note(ref)}"]
    if not result["documents"]:
        lines.append("")
        lines.append("No document found " + ("citing it." if down else "that it cites."))
        return "\n".join(lines) + "\n"
    by_id = {d["id"]: d for d in result["documents"]}
    summary = f"{result['count']} document(s)"
    if result.get("delay_days") and down:
        dd = result["delay_days"]
        summary += f"; delay after it: min {dd['min']} d, median {dd['median']} d, max {dd['max']} d"
    lines += [summary, "", "Chain:"]

    def walk(nodes: list[dict], indent: int) -> None:
        for t in nodes:
            d = by_id[t["id"]]
            lines.append("  " * indent + f"└ {t['relation']}  " + _line(d, down))
            walk(t["children"], indent + 1)

    walk(result["tree"], 1)
    lines += ["", "By level and region:"]
    for lvl, regions in result["by_level"].items():
        n = sum(len(v) for v in regions.values())
        lines.append(f"  {level_info(lvl).zh_long} {lvl}: {n}")
        for region, ids in regions.items():
            name = region or ("national" if lvl == "central" else "region unknown")
            lines.append(f"    {name}: {len(ids)}")
            for i in ids:
                lines.append(f"      {_line(by_id[i], down)}")
    return "\n".join(lines) + "\n"

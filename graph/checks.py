"""Consistency checks on citation edges; each failing edge gets a flag, which `stats` lists.

Flags:
  implements_lower_level  IMPLEMENTS/BASED_ON from a higher level to a lower one (a province implementing a
                          county plan): usually a misread level or a misresolved citation.
  cites_later             the cited document is dated after the citing one.
  number_title_conflict   the cited 文号 and the cited title point at different documents (set by build).
  cites_void              the citing document cites, implements or rests on a document already repealed or
                          expired on its own date (graph/status.py; REPEALS, AMENDS, SUPERSEDES are not flagged).

past_term(G, as_of) lists the documents past their own term (有效期) on a day.
"""
from __future__ import annotations

import networkx as nx

from polgraph.graph.model import LEVEL_RANK
from polgraph.vocabulary import RELATION_TABLE  # data/relations.tsv
from polgraph.graph.status import void_from

IMPLEMENTS_LOWER_LEVEL = "implements_lower_level"
CITES_LATER = "cites_later"
NUMBER_TITLE_CONFLICT = "number_title_conflict"
CITES_VOID = "cites_void"
CHECK_FLAGS = (IMPLEMENTS_LOWER_LEVEL, CITES_LATER, NUMBER_TITLE_CONFLICT, CITES_VOID)
CHANGING = frozenset(r.name for r in RELATION_TABLE if r.changes)  # they change the cited document: no reliance on it
HIERARCHICAL = ("IMPLEMENTS", "BASED_ON")


def implements_lower_level(citing: dict, cited: dict, relation: str) -> bool:
    """True when a document implements or rests on a document of a lower level."""
    a, b = citing.get("level", "unknown"), cited.get("level", "unknown")
    if relation not in HIERARCHICAL or "unknown" in (a, b):
        return False
    return LEVEL_RANK[a] < LEVEL_RANK[b]


def cites_later(citing: dict, cited: dict) -> bool:
    """True when the cited document is dated after the citing one (by date, else by year)."""
    if citing.get("date") and cited.get("date"):
        return cited["date"] > citing["date"]
    if citing.get("year") is not None and cited.get("year") is not None:
        return cited["year"] > citing["year"]
    return False


def cites_void(citing: dict, relation: str, void: tuple | None) -> bool:
    """True when a document relies on one that was void (void_from: repealed or expired) on its own date."""
    day = citing.get("date") or citing.get("effective")
    return relation not in CHANGING and bool(day and void and void[0] and void[0] <= day)


def past_term(G: nx.MultiDiGraph, as_of: str) -> list[dict]:
    """In-corpus documents whose own term (有效期, node `expires`) ended before `as_of`, sorted by id."""
    return [{"id": n, "title": d.get("title"), "doc_number": d.get("doc_number"), "expires": d["expires"],
             "path": d.get("path")}
            for n, d in sorted(G.nodes(data=True)) if d.get("in_corpus") and d.get("expires")
            and d["expires"] < as_of]


def edge_flags(citing: dict, cited: dict, relation: str, flags, void: tuple | None) -> list[str]:
    """The flags of one edge: those set by build (kept) and the checks above (recomputed), sorted."""
    flags = [f for f in flags if f not in (IMPLEMENTS_LOWER_LEVEL, CITES_LATER, CITES_VOID)]
    if implements_lower_level(citing, cited, relation):
        flags.append(IMPLEMENTS_LOWER_LEVEL)
    if cites_later(citing, cited):
        flags.append(CITES_LATER)
    if cites_void(citing, relation, void):
        flags.append(CITES_VOID)
    return sorted(set(flags))


def apply_checks(G: nx.MultiDiGraph) -> int:
    """Add the check flags to every failing edge of `G` (in place); return how many edges are flagged."""
    flagged = 0
    void: dict = {}
    for u, v, rel, data in G.edges(keys=True, data=True):
        if v not in void:
            void[v] = void_from(G, v)
        data["flags"] = edge_flags(G.nodes[u], G.nodes[v], rel, data.get("flags", []), void[v])
        flagged += bool(data["flags"])
    return flagged


def flagged_edges(G: nx.MultiDiGraph) -> list[dict]:
    """Every flagged edge as a small dict, sorted by flag then source and target."""
    out = []
    for u, v, rel, data in G.edges(keys=True, data=True):
        for f in data.get("flags", []):
            out.append({"flag": f, "source": u, "target": v, "relation": rel,
                        "source_level": G.nodes[u].get("level"), "target_level": G.nodes[v].get("level"),
                        "source_date": G.nodes[u].get("date"), "target_date": G.nodes[v].get("date"),
                        "path": (data.get("mentions") or [{}])[0].get("path")})
    out.sort(key=lambda d: (d["flag"], d["source"], d["target"], d["relation"]))
    return out

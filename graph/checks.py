"""Consistency checks on citation edges; each failing edge gets a flag, which `stats` lists.

Flags:
  implements_lower_level  IMPLEMENTS/BASED_ON from a higher level to a lower one (a province implementing a
                          county plan): usually a misread level or a misresolved citation.
  cites_later             the cited document is dated after the citing one (its first version's date when
                          its text is a later version's: a 2005 rule citing a law consolidated in 2017 that
                          first took effect in 1982 cites nothing later).
  number_title_conflict   the cited 文号 and the cited title point at different documents (set by build).
  cites_void              the citing document cites, implements or rests on a document already repealed or
                          expired on its own date (graph/status.py; REPEALS, AMENDS, SUPERSEDES are not flagged).

past_term(G, as_of) lists the documents past their own term (有效期) on a day.
"""
from __future__ import annotations

import networkx as nx

from polgraph.graph.model import LEVEL_RANK
from polgraph.vocabulary import RELATION_TABLE  # data/relations.tsv
from polgraph.graph.status import void_candidates, void_from

IMPLEMENTS_LOWER_LEVEL = "implements_lower_level"
CITES_LATER = "cites_later"
NUMBER_TITLE_CONFLICT = "number_title_conflict"
CITES_VOID = "cites_void"
CHECK_FLAGS = (IMPLEMENTS_LOWER_LEVEL, CITES_LATER, NUMBER_TITLE_CONFLICT, CITES_VOID)
CHANGING = frozenset(r.name for r in RELATION_TABLE if r.changes)  # they change the cited document: no reliance on it
HIERARCHICAL = ("IMPLEMENTS", "BASED_ON")


CHECK_FIELDS = ("level", "date", "year", "effective", "first_date")  # what the checks read of each end of an edge
_RECOMPUTED = (IMPLEMENTS_LOWER_LEVEL, CITES_LATER, CITES_VOID)


def check_values(node: dict) -> tuple:
    """The CHECK_FIELDS of a node (its level "unknown" when it has none, or null in a graph file), as
    `check_flags` reads them."""
    return (node.get("level") or "unknown", node.get("date"), node.get("year"), node.get("effective"),
            node.get("first_date"))


def check_flags(relation: str, flags, citing: tuple, cited: tuple, void: tuple | None) -> list[str]:
    """The flags of one edge from the check_values of its two ends: those set by build (kept) and the checks
    (recomputed), sorted.

      implements_lower_level  IMPLEMENTS/BASED_ON and the cited level is lower (neither level unknown)
      cites_later             the cited date (its first version's when it has one) is after the citing one
                              (both dated), else the cited year
      cites_void              a relation that does not change the cited document (not CHANGING), and the
                              cited document was void (void_from: repealed or expired) on the citing
                              document's date, else its effective date
    """
    out = [f for f in flags if f not in _RECOMPUTED] if flags else []
    level, date, year, effective, _ = citing
    cited_level, cited_date, cited_year, _, cited_first = cited
    # the cited document has existed since its first version: a later text of it is no later citation
    if cited_first and (not cited_date or cited_first < cited_date):
        cited_date, cited_year = cited_first, int(cited_first[:4]) if cited_first[:4].isdigit() else cited_year
    if relation in HIERARCHICAL and level != "unknown" and cited_level != "unknown" \
            and LEVEL_RANK[level] < LEVEL_RANK[cited_level]:
        out.append(IMPLEMENTS_LOWER_LEVEL)
    if date and cited_date:
        if cited_date > date:
            out.append(CITES_LATER)
    elif year is not None and cited_year is not None and cited_year > year:
        out.append(CITES_LATER)
    day = date or effective
    if void and day and void[0] and void[0] <= day and relation not in CHANGING:
        out.append(CITES_VOID)
    return sorted(set(out)) if len(out) > 1 else out


def past_term(G: nx.MultiDiGraph, as_of: str) -> list[dict]:
    """In-corpus documents whose own term (有效期, node `expires`) ended before `as_of`, sorted by id."""
    return [{"id": n, "title": d.get("title"), "doc_number": d.get("doc_number"), "expires": d["expires"],
             "path": d.get("path")}
            for n, d in sorted(G.nodes(data=True)) if d.get("in_corpus") and d.get("expires")
            and d["expires"] < as_of]


def edge_flags(citing: dict, cited: dict, relation: str, flags, void: tuple | None) -> list[str]:
    """The flags of one edge between the nodes `citing` and `cited` (attribute dicts): check_flags."""
    return check_flags(relation, flags, check_values(citing), check_values(cited), void)


def apply_checks(G: nx.MultiDiGraph) -> int:
    """Add the check flags to every failing edge of `G` (in place); return how many edges are flagged."""
    flagged = 0
    candidates = void_candidates(G.nodes, G.edges(keys=True))
    void: dict = {}
    for u, v, rel, data in G.edges(keys=True, data=True):
        if v in candidates and v not in void:
            void[v] = void_from(G, v)
        data["flags"] = edge_flags(G.nodes[u], G.nodes[v], rel, data.get("flags", []), void.get(v))
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

"""What a graph holds: documents and citations by level and relation, how citations were resolved, the most
cited documents missing from the corpus, and the edges the checks flagged."""
from __future__ import annotations

from collections import Counter

import networkx as nx

from polgraph.graph.checks import flagged_edges, past_term
from polgraph.graph.model import LEVELS, METHODS, RELATIONS
from polgraph.graph.status import STATUSES

RESOLVED = ("number", "title", "alias", "fuzzy")


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


def graph_stats(G: nx.MultiDiGraph, top: int = 20) -> dict:
    """Counts and rates describing `G`, JSON-serialisable and deterministic."""
    docs = Counter()
    placeholders = Counter()
    for _, d in G.nodes(data=True):
        (docs if d.get("in_corpus") else placeholders)[d.get("level", "unknown")] += 1
    edges_by_rel = Counter()
    mentions_by_rel = Counter()
    by_method = Counter()
    title_cits = Counter()  # citations giving a title without a number, by method
    for _, _, rel, d in G.edges(keys=True, data=True):
        edges_by_rel[rel] += 1
        for m in d.get("mentions") or []:
            mentions_by_rel[rel] += 1
            method = m.get("method", d.get("method"))
            by_method[method] += 1
            if m.get("title") and not m.get("doc_number"):
                title_cits[method] += 1
    dropped = dict(G.graph.get("dropped_citations") or {})
    n_mentions = sum(by_method.values())
    n_citations = n_mentions + sum(dropped.values())
    resolved = sum(by_method[m] for m in RESOLVED)
    n_title = sum(title_cits.values())
    missing = []
    for n, d in G.nodes(data=True):
        if d.get("in_corpus"):
            continue
        citing = {u for u, _ in G.in_edges(n)}
        mentions = sum(len(e.get("mentions") or []) for _, _, e in G.in_edges(n, data=True))
        missing.append({"id": n, "doc_number": d.get("doc_number"), "title": d.get("title"),
                        "level": d.get("level"), "region": d.get("region"), "issuer": list(d.get("issuer") or []),
                        "cited_by": len(citing), "mentions": mentions})
    missing.sort(key=lambda m: (-m["cited_by"], -m["mentions"], m["id"]))
    flags = flagged_edges(G)
    return {
        "documents": {"total": G.number_of_nodes(), "in_corpus": sum(docs.values()),
                      "placeholders": sum(placeholders.values()),
                      "by_level": {lvl: {"in_corpus": docs[lvl], "placeholders": placeholders[lvl]}
                                   for lvl in LEVELS if docs[lvl] or placeholders[lvl]}},
        "citations": {"edges": G.number_of_edges(), "mentions": n_mentions, "dropped": dropped,
                      "by_relation": {r: {"edges": edges_by_rel[r], "mentions": mentions_by_rel[r]}
                                      for r in RELATIONS if edges_by_rel[r]}},
        "resolution": {"citations": n_citations, "resolved_in_corpus": resolved,
                       "rate": _rate(resolved, n_citations),
                       "by_method": {m: {"count": by_method[m], "rate": _rate(by_method[m], n_citations)}
                                     for m in METHODS if by_method[m]},
                       "title_only": {"citations": n_title,
                                      "resolved_in_corpus": sum(title_cits[m] for m in RESOLVED),
                                      "rate": _rate(sum(title_cits[m] for m in RESOLVED), n_title)}},
        "missing_most_cited": missing[:top],
        "flags": {"counts": dict(sorted(Counter(f["flag"] for f in flags).items())), "edges": flags},
        "conflicts": list(G.graph.get("conflicts") or []),
        "skipped": len(G.graph.get("skipped") or []),
        **_status_stats(G),
    }


def _status_stats(G: nx.MultiDiGraph) -> dict:
    """{"status": {...}} when the graph carries status (graph/status.annotate_status), else {}."""
    as_of = G.graph.get("status_as_of")
    if not as_of:
        return {}
    counts = Counter(d.get("status") for _, d in G.nodes(data=True) if d.get("in_corpus"))
    return {"status": {"as_of": as_of, "in_corpus": {s: counts[s] for s in STATUSES if counts[s]},
                       "past_term": past_term(G, as_of)}}


def format_stats_text(s: dict, max_flags: int = 30, see_all: str | None = None) -> str:
    """`graph_stats` as text, at most `max_flags` flagged edges listed; `see_all` says how to see the rest."""
    d, c, r = s["documents"], s["citations"], s["resolution"]
    out = [f"Documents: {d['total']} ({d['in_corpus']} in corpus, {d['placeholders']} cited but missing)"]
    for lvl, v in d["by_level"].items():
        out.append(f"  {lvl:<11} {v['in_corpus']:>7} in corpus  {v['placeholders']:>7} missing")
    out.append(f"Citations: {c['mentions']} mention(s) on {c['edges']} edge(s)")
    for rel, v in c["by_relation"].items():
        out.append(f"  {rel:<11} {v['edges']:>7} edge(s)  {v['mentions']:>7} mention(s)")
    if c["dropped"]:
        out.append("  not linked: " + ", ".join(f"{k} {v}" for k, v in c["dropped"].items()))
    rate = "n/a" if r["rate"] is None else f"{r['rate']:.2f}%"
    out.append(f"Resolution: {r['resolved_in_corpus']} of {r['citations']} citation(s) resolved in the corpus "
               f"({rate})")
    for m, v in r["by_method"].items():
        out.append(f"  {m:<11} {v['count']:>7}  {v['rate']:.2f}%")
    t = r["title_only"]
    if t["citations"]:
        out.append(f"  title-only citations: {t['resolved_in_corpus']} of {t['citations']} resolved "
                   f"({t['rate']:.2f}%)")
    out.append(f"Most cited documents missing from the corpus (top {len(s['missing_most_cited'])}):")
    for m in s["missing_most_cited"]:
        name = " ".join(x for x in (m["doc_number"], m["title"] and f"《{m['title']}》") if x) or m["id"]
        where = ", ".join(x for x in (m.get("region"), m["level"]) if x)
        out.append(f"  {m['cited_by']:>5} citing doc(s)  {name}  [{where}]")
    fl = s["flags"]
    out.append("Flagged edges: " + (", ".join(f"{k} {v}" for k, v in fl["counts"].items()) or "none"))
    for e in fl["edges"][:max_flags]:
        out.append(f"  {e['flag']}: {e['source']} ({e['source_level']}, {e['source_date'] or '?'}) "
                   f"-{e['relation']}-> {e['target']} ({e['target_level']}, {e['target_date'] or '?'})")
    if len(fl["edges"]) > max_flags:
        out.append(f"  … {len(fl['edges']) - max_flags} more" + (f" ({see_all})" if see_all else ""))
    out.append(f"Number/title conflicts: {len(s['conflicts'])}")
    for x in s["conflicts"][:max_flags]:
        out.append(f"  {x['path']}: {x['doc_number']} -> {x['number_target']}, "
                   f"《{x['title']}》 -> {x['title_target']}")
    if s.get("status"):
        st = s["status"]
        out.append(f"Status of the documents in the corpus as of {st['as_of']}: "
                   + (", ".join(f"{k} {v}" for k, v in st["in_corpus"].items()) or "none"))
        out.append(f"Past their own term (有效期): {len(st['past_term'])}")
        for x in st["past_term"][:max_flags]:
            out.append(f"  {x['doc_number'] or x['id']}  {x['title'] or ''}  expired after {x['expires']}")
    if s["skipped"]:
        out.append(f"Skipped input files: {s['skipped']}")
    return "\n".join(out) + "\n"

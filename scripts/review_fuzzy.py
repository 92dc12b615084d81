"""Print fuzzy title matches for a human to judge: cited title → matched title, score, citing file.

    .venv/bin/python scripts/review_fuzzy.py SOURCE [-n 50] [--jobs 2]

SOURCE is a corpus or a graph file (as for `polgraph stats`). With more than N fuzzy mentions, an evenly
spaced sample over the score-sorted list is shown, so low and high scores are both represented.

--loose also lists what the similarity score alone would have matched among the title-only citations left
as placeholders (issuer, level, date, place and year guards kept; the wording-variant check of
data/title_variants.tsv skipped), to judge what that check rejects.
"""
from __future__ import annotations

import argparse
import sys

from polgraph.errors import PolgraphError
from polgraph.graph.build import _compatible, open_graph
from polgraph.graph.resolve import TitleIndex


def fuzzy_mentions(G) -> list[dict]:
    out = []
    for u, v, rel, d in G.edges(keys=True, data=True):
        for m in d.get("mentions") or []:
            if m.get("method") == "fuzzy":
                t = G.nodes[v]
                out.append({"score": m.get("score"), "cited": m.get("title"), "matched": t.get("title"),
                            "matched_aliases": t.get("aliases") or [], "target": v, "relation": rel,
                            "path": m.get("path"), "cited_issuer": m.get("cited_issuer")})
    out.sort(key=lambda x: (x["score"], x["cited"] or "", x["target"], x["path"] or ""))
    return out


def loose_matches(G) -> list[dict]:
    """Title-only citations left as placeholders that the score alone would resolve (see --loose)."""
    idx = TitleIndex()
    for n in sorted(G.nodes):
        d = G.nodes[n]
        if d.get("in_corpus"):
            idx.add(n, d.get("title"), "title")
            for a in d.get("aliases") or []:
                idx.add(n, a, "alias")
    out = []
    for u, v, rel, d in G.edges(keys=True, data=True):
        for m in d.get("mentions") or []:
            if m.get("method") != "placeholder" or m.get("doc_number") or not m.get("title"):
                continue
            c = {"cited_issuer": m.get("cited_issuer"), "cited_level": None}
            hit = idx.fuzzy(m["title"], exclude=u, strict=False,
                            accept=lambda n: _compatible(G.nodes[n], c, G.nodes[u]))
            if hit:
                out.append({"score": hit[1], "cited": m["title"], "matched": G.nodes[hit[0]].get("title"),
                            "target": hit[0], "relation": rel, "path": m.get("path")})
    out.sort(key=lambda x: (x["score"], x["cited"] or "", x["target"], x["path"] or ""))
    return out


def sample(items: list, n: int) -> list:
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def main() -> int:
    ap = argparse.ArgumentParser(description="Print fuzzy title matches for review.")
    ap.add_argument("source")
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--loose", action="store_true", help="also list score-only matches the variant check rejects")
    args = ap.parse_args()
    try:
        G = open_graph([args.source], jobs=args.jobs, quiet=True)
    except PolgraphError as e:
        print(f"review_fuzzy: {e}", file=sys.stderr)
        return e.exit_code
    items = fuzzy_mentions(G)
    print(f"{len(items)} fuzzy mention(s); showing {min(len(items), args.n)}")
    for i, x in enumerate(sample(items, args.n), 1):
        print(f"{i:>3}. {x['score']:6.2f}  《{x['cited']}》")
        print(f"             → 《{x['matched']}》  [{x['target']}]  ({x['relation']}, {x['path']})")
    if args.loose:
        loose = loose_matches(G)
        print(f"\n{len(loose)} score-only match(es) rejected by the wording-variant check; "
              f"showing {min(len(loose), args.n)}")
        for i, x in enumerate(sample(loose, args.n), 1):
            print(f"{i:>3}. {x['score']:6.2f}  《{x['cited']}》")
            print(f"             ≈ 《{x['matched']}》  [{x['target']}]  ({x['relation']}, {x['path']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

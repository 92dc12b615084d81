"""Print fuzzy title matches for a human to judge: cited title → matched title, score, citing file.

    .venv/bin/python scripts/review_fuzzy.py SOURCE [-n 50] [--jobs 2]

SOURCE is a corpus or a graph file (as for `polgraph stats`). With more than N fuzzy mentions, an evenly
spaced sample over the score-sorted list is shown, so low and high scores are both represented.
"""
from __future__ import annotations

import argparse
import sys

from polgraph.errors import PolgraphError
from polgraph.graph.io import open_graph


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
    return 0


if __name__ == "__main__":
    sys.exit(main())

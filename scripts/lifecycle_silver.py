#!/usr/bin/env python3
"""Lifecycle silver: effective dates read from the texts against lawrefbook-laws/STATUS.tsv.

Usage: scripts/lifecycle_silver.py [--corpora DIR] [--misses] [--json]

STATUS.tsv (the upstream database's own flags) gives, for 1,500 central documents, `valid_from` (施行日期).
A document *states* its effective date when the text has an own effective clause (本条例自…起施行, 自公布之日起施行, a
head line `2021年3月1日 施行`) that is this version's: a consolidated law whose history names a later amendment keeps
its first version's 施行 article (`original_version`), which says nothing about the version's own date. The share
of stating documents whose date equals `valid_from` is the effective-date accuracy.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

DEFAULT_CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
CORPUS = "lawrefbook-laws"
AS_OF = "2025-04-19"  # the upstream commit's date: STATUS.tsv's flags are as of then


def load_status(corpora: Path) -> list[dict]:
    with open(corpora / CORPUS / "STATUS.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def extract(corpora: Path, rows: list[dict] | None) -> dict[str, dict]:
    """file name -> extracted record, for the files of `rows` (None: the whole corpus: documents that repeal
    or replace others are anywhere in it)."""
    from polgraph.extract.pipeline import extract_paths

    paths = [str(corpora / CORPUS)] if rows is None else [str(corpora / CORPUS / r["file"]) for r in rows]
    records, _ = extract_paths(paths, quiet=True)
    return {Path(r["path"]).name: r for r in records}


def effective_agreement(rows: list[dict], records: dict[str, dict]) -> dict:
    """{"n", "agree", "accuracy", "unstated", "original_version", "misses": [...]} over rows with a valid_from."""
    n = agree = unstated = original = 0
    misses = []
    for row in rows:
        want = row["valid_from"]
        if not want:
            continue
        eff = records[row["file"]].get("effective")
        if not eff or not eff.get("date"):
            unstated += 1
            continue
        if eff["original_version"]:
            original += 1
            continue
        n += 1
        if eff["date"] == want:
            agree += 1
        else:
            misses.append({"file": row["file"], "title": row["title"], "expected": want, "got": eff["date"],
                           "phrase": eff["phrase"], "publish": row["publish"], "sentence": eff["sentence"][:80]})
    return {"n": n, "agree": agree, "accuracy": agree / n if n else 0.0, "unstated": unstated,
            "original_version": original, "misses": misses}


def status_agreement(rows: list[dict], records: dict[str, dict], as_of: str = AS_OF) -> dict:
    """{"nodes": node_count, "expired": {...}, "in_force": {...}}: the STATUS.tsv flag against the status in the
    graph of the whole corpus as of the upstream commit's date. `accuracy`: expired = any status out of force
    (amended, repealed, expired, not_yet_effective); `valid_flag_accuracy`: expired = repealed or expired only."""
    from polgraph.graph.build import graph_from_records
    from polgraph.graph.status import NOT_IN_FORCE, status_of

    G = graph_from_records(list(records.values()), quiet=True)
    node_of = {Path(d["path"]).name: n for n, d in G.nodes(data=True) if d.get("path")}
    for n, path in G.graph["merged"]:
        node_of.setdefault(Path(path).name, n)
    out = {"nodes": node_count(G)}
    for flag in ("expired", "in_force"):
        n = agree = 0
        misses = []
        by_status: dict[str, int] = {}
        for row in rows:
            if row["status"] != flag:
                continue
            node = node_of.get(row["file"])
            if node is None:
                continue
            n += 1
            s = status_of(G, node, as_of)
            by_status[s["status"]] = by_status.get(s["status"], 0) + 1
            ok = (s["status"] in NOT_IN_FORCE) if flag == "expired" else s["status"] == "in_force"
            if ok:
                agree += 1
            else:
                misses.append({"file": row["file"], "title": row["title"], "expected": flag, "got": s["status"],
                               "changed_by": s["changed_by"], "changed_on": s["changed_on"],
                               "publish": row["publish"], "version": row["version"]})
        # upstream's flag is a validity flag (失效 or not): an older version whose law was amended (已修改) or a
        # law not in force yet is still valid to it; this counts only repealed and expired as 失效
        void = sum(by_status.get(k, 0) for k in ("repealed", "expired"))
        valid_agree = void if flag == "expired" else n - void
        out[flag] = {"n": n, "agree": agree, "accuracy": agree / n if n else 0.0,
                     "valid_flag_agree": valid_agree, "valid_flag_accuracy": valid_agree / n if n else 0.0,
                     "by_status": dict(sorted(by_status.items())), "misses": misses}
    return out


def _history_head(path: str) -> list[str]:
    """The dates of a law file's history header (between its title and `<!-- INFO END -->`) but its 施行 lines:
    two files with the same dates (adopted, amended) are the same version of the same document."""
    text = Path(path).read_text(encoding="utf-8")
    lines = text[:max(text.find("<!-- INFO END -->"), 0)].splitlines()
    return [d for line in lines if "施行" not in line for d in re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", line)]


def node_count(G) -> dict:
    """{"files", "in_corpus_nodes", "same_text_files"}: files merged into another file's node count as the same
    document only when their history headers agree (the same law filed under two folders, the 民法典's books)."""
    merged = G.graph["merged"]
    same = sum(_history_head(path) == _history_head(G.nodes[n]["path"]) for n, path in merged)
    in_corpus = sum(1 for _, d in G.nodes(data=True) if d.get("in_corpus"))
    return {"files": in_corpus + len(merged), "in_corpus_nodes": in_corpus, "same_text_files": same}


def evaluate(corpora: Path = DEFAULT_CORPORA, status: bool = True) -> dict:
    rows = load_status(corpora)
    records = extract(corpora, rows if not status else None)
    result = {"effective": effective_agreement(rows, records)}
    if status:
        for flag, s in status_agreement(rows, records).items():
            result[flag if flag == "nodes" else "status_" + flag] = s
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--misses", action="store_true", help="list every disagreement")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not (args.corpora / CORPUS / "STATUS.tsv").is_file():
        print(f"lifecycle_silver: {args.corpora / CORPUS / 'STATUS.tsv'}: not found", file=sys.stderr)
        return 2
    result = evaluate(args.corpora)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for name, s in result.items():
        if name == "nodes":
            print("nodes: " + "  ".join(f"{k} {v}" for k, v in s.items()))
            continue
        extra = {k: v for k, v in s.items() if k not in ("n", "agree", "accuracy", "misses")}
        print(f"{name}: {s['agree']}/{s['n']} = {s['accuracy']:.4f}  " + "  ".join(f"{k} {v}" for k, v in extra.items()))
        if args.misses:
            for m in s["misses"]:
                print("  " + "  ".join(str(v) for v in m.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

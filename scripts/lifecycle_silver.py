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
import sys
from pathlib import Path

DEFAULT_CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
CORPUS = "lawrefbook-laws"


def load_status(corpora: Path) -> list[dict]:
    with open(corpora / CORPUS / "STATUS.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def extract(corpora: Path, rows: list[dict]) -> dict[str, dict]:
    """file name -> extracted record, for the files of `rows`."""
    from polgraph.extract.pipeline import extract_paths

    records, _ = extract_paths([str(corpora / CORPUS / r["file"]) for r in rows], quiet=True)
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


def evaluate(corpora: Path = DEFAULT_CORPORA) -> dict:
    rows = load_status(corpora)
    records = extract(corpora, rows)
    return {"effective": effective_agreement(rows, records)}


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
        extra = {k: v for k, v in s.items() if k not in ("n", "agree", "accuracy", "misses")}
        print(f"{name}: {s['agree']}/{s['n']} = {s['accuracy']:.4f}  " + "  ".join(f"{k} {v}" for k, v in extra.items()))
        if args.misses:
            for m in s["misses"]:
                print("  " + "  ".join(str(v) for v in m.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

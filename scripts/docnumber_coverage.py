#!/usr/bin/env python3
"""How many real 发文字号 strings does parse_docnumber recognise?

Usage: scripts/docnumber_coverage.py [DOCNUMBER_INDEX.tsv] [--misses FILE|-]

Reads the `doc_number` column (default ../shared/corpora/ptc-docnumber-index/DOCNUMBER_INDEX.tsv), strips labels
such as `发文字号：`, skips values that are empty after that, parses the rest and prints the recognised fraction.
`--misses -` lists the strings that were not recognised on stdout; `--misses FILE` writes them to FILE.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from polgraph.extract.docnumber import _LABEL, _WS, parse_docnumber

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "ptc-docnumber-index" / "DOCNUMBER_INDEX.tsv"


def coverage(path: Path) -> tuple[int, int, list[str]]:
    """(recognised, total non-empty, misses in file order) over the doc_number column of ``path``."""
    try:
        fh = open(path, encoding="utf-8", newline="")
    except OSError as e:
        raise SystemExit(f"{path}: cannot read ({e.strerror})")
    with fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if not reader.fieldnames or "doc_number" not in reader.fieldnames:
            raise SystemExit(f"{path}: no doc_number column")
        ok = total = 0
        misses: list[str] = []
        for row in reader:
            value = (row.get("doc_number") or "")
            if not _LABEL.sub("", value, count=1).strip(_WS):
                continue
            total += 1
            if parse_docnumber(value) is not None:
                ok += 1
            else:
                misses.append(value)
    return ok, total, misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--misses", metavar="FILE", help="list unrecognised strings ('-' for stdout)")
    a = ap.parse_args(argv)
    ok, total, misses = coverage(a.index)
    frac = ok / total if total else 0.0
    print(f"recognised {ok}/{total} = {frac:.4f} ({len(misses)} misses) in {a.index}")
    if a.misses:
        lines = [f"{n}\t{s}" for s, n in sorted(Counter(misses).items(), key=lambda kv: (-kv[1], kv[0]))]
        if a.misses == "-":
            print("\n".join(lines))
        else:
            Path(a.misses).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

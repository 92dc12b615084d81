#!/usr/bin/env python3
"""Write data/traditional_chars.tsv: every BMP Han character that OpenCC's t2s converts on its own, with its
simplified form -- the characters that mark a text as traditional (extract/textview.py).

usage: .venv/bin/python scripts/traditional_chars.py   (rerun when the opencc package is upgraded; a test compares
the table with the installed OpenCC)
"""
from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "traditional_chars.tsv"


def table() -> list[tuple[str, str]]:
    import opencc

    from polgraph.extract.textview import HAN_RANGES

    chars = "".join(chr(c) for a, b in HAN_RANGES for c in range(a, b + 1))
    converted = opencc.OpenCC("t2s.json").convert(chars)
    if len(converted) != len(chars):
        raise SystemExit("OpenCC t2s changed the length of single characters: convert them one by one")
    return [(t, s) for t, s in zip(chars, converted) if t != s]


def main() -> int:
    import opencc

    rows = table()
    head = (f"# Han characters (BMP) that OpenCC {getattr(opencc, '__version__', '')} t2s converts on their own, and their "
            "simplified form: written by scripts/traditional_chars.py, checked against the installed OpenCC by "
            "tests/test_traditional.py\n# traditional<TAB>simplified\n")
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(head + "".join(f"{t}\t{s}\n" for t, s in rows), encoding="utf-8")
    tmp.replace(OUT)
    print(f"{OUT}: {len(rows)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())

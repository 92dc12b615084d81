#!/usr/bin/env python3
"""Why decode_bytes keeps its own GB18030 check ahead of charset-normalizer: both on the same bytes.

usage: .venv/bin/python bench/encoding_detection.py [--files N]

For N corpus documents (seeded sample of ../shared/corpora/*/*.txt) encoded in GB18030, and for their first
4, 8, 16 and 64 characters (titles, short notices, a line of a table), each contender says which text the bytes
are; it is right when the text is the original. Contenders:
  polgraph   extract/read.py decode_bytes (strict UTF-8, then strict GB18030 with its character-class check)
  charset-normalizer   from_bytes(data).best(), every encoding it knows, and the same limited to the
             encodings decode_bytes would hand it (gb18030, big5, utf_16_le, utf_16_be)
Time: seconds over the whole documents (best of 3). The machine is shared: the load average is printed.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=300)
    args = ap.parse_args()
    from charset_normalizer import from_bytes

    from polgraph.extract.read import UndecodableError, decode_bytes

    corpora = Path(os.environ.get("POLGRAPH_SHARED", REPO.parent / "shared")) / "corpora"
    files = sorted(corpora.glob("*/*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in random.Random(7).sample(files, min(args.files, len(files)))]

    def ours(data):
        try:
            return decode_bytes(data)[0]
        except UndecodableError:
            return None

    def cn_any(data):
        best = from_bytes(data).best()
        return str(best) if best else None

    def cn_chinese(data):
        best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16_le", "utf_16_be"]).best()
        return str(best) if best else None

    contenders = {"polgraph": ours, "charset-normalizer": cn_any, "charset-normalizer (Chinese only)": cn_chinese}
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores, shared)")
    print(f"{'contender':36} {'whole':>7} {'64 ch':>7} {'16 ch':>7} {'8 ch':>7} {'4 ch':>7} {'time':>8}")
    for name, fn in contenders.items():
        row = []
        for n in (None, 64, 16, 8, 4):
            sample = [t if n is None else t.strip()[:n] for t in texts]
            sample = [t for t in sample if any(ord(c) > 0x7F for c in t)]
            right = sum(fn(t.encode("gb18030")) == t for t in sample)
            row.append(f"{right}/{len(sample)}")
        datas = [t.encode("gb18030") for t in texts]
        best = min(_timed(fn, datas) for _ in range(3))
        print(f"{name:36} " + " ".join(f"{c:>7}" for c in row) + f" {best:7.2f}s")


def _timed(fn, datas) -> float:
    t = time.perf_counter()
    for d in datas:
        fn(d)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()

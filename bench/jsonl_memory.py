#!/usr/bin/env python3
"""Peak memory of `polgraph extract` over one large JSON Lines file (issue 11: 1M lines once took 3.8 GB).

usage: .venv/bin/python bench/jsonl_memory.py [--lines 1000000] [--baseline-lines 100000] [--jobs 1] [--check]

Generates a JSON Lines corpus (short documents, each with its own 文号, a cited 《title》 and a 文号 citation;
one line in 1,000 is broken JSON, one in 5,000 not UTF-8, so the per-line skips are exercised too) in a
temporary folder, runs `polgraph extract FILE -o OUT --quiet` as a child process over --lines lines and over
--baseline-lines lines, and prints the peak resident set size of each run (ru_maxrss of the child from
wait4(); with --jobs 2 the largest of the parent and the worker). Memory that does not depend on the number
of lines -- the interpreter, the extractor's tables, one ~512 KB slice in flight -- gives a ratio near 1;
a reader that holds the file or its records grows with it (the old one: ~10x for 10x the lines).
Target: peak < 500 MB at 1M lines. --check exits 1 when it is missed. Also checked: the output has one line
per good input line (a complete file), and the wall time of each run is printed (the machine is shared:
time is for information only).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLGRAPH = Path(sys.executable).parent / "polgraph"
TARGET_MB = 500

PROVINCES = ["山西省", "云南省", "四川省", "河南省", "广东省", "浙江省", "安徽省", "贵州省"]


def write_corpus(path: Path, n_lines: int) -> int:
    """Write n_lines lines; return how many are good documents."""
    good = 0
    with open(path, "wb") as f:
        for i in range(n_lines):
            if i % 1000 == 999:
                f.write(b'{"text": "broken\n')
                continue
            if i % 5000 == 4999:
                f.write(b'{"text": "\xff\xfe not utf-8"}\n')
                continue
            prov = PROVINCES[i % len(PROVINCES)]
            year = 2010 + i % 14
            text = (f"{prov}人民政府办公厅关于做好第{i}项工作的通知\n政办发〔{year}〕{i % 300 + 1}号\n"
                    f"各市、县人民政府：\n为贯彻落实《国务院关于加强第{i % 97}项工作的意见》（国发〔{year - 1}〕"
                    f"{i % 50 + 1}号）精神，现就有关事项通知如下。\n{prov}人民政府办公厅\n{year}年3月{i % 28 + 1}日\n")
            f.write(json.dumps({"id": f"d{i}", "text": text}, ensure_ascii=False).encode("utf-8") + b"\n")
            good += 1
    return good


def run_extract(src: Path, out: Path, jobs: int) -> tuple[float, float, int]:
    """(peak RSS in MB, wall seconds, exit code) of `polgraph extract src -o out`."""
    t0 = time.monotonic()
    proc = subprocess.Popen([str(POLGRAPH), "extract", str(src), "-o", str(out), "--quiet", "--jobs", str(jobs)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, time.monotonic() - t0, proc.returncode


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--baseline-lines", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} (2 shared cores: wall times move with it)")
    ok = True
    results = {}
    with tempfile.TemporaryDirectory(prefix="polgraph-jsonl-memory-") as tmp:
        for n in (args.baseline_lines, args.lines):
            src, out = Path(tmp) / f"corpus-{n}.jsonl", Path(tmp) / f"out-{n}.jsonl"
            good = write_corpus(src, n)
            peak, wall, code = run_extract(src, out, args.jobs)
            written = count_lines(out) if out.exists() else 0
            results[n] = peak
            print(f"{n:>9,} lines ({src.stat().st_size / 1e6:6.1f} MB): peak RSS {peak:7.1f} MB, {wall:6.1f} s, "
                  f"exit {code}, {written:,} records for {good:,} good lines")
            if code != 3 or written != good:
                print("  unexpected: exit 3 (some lines skipped) and one record per good line were expected")
                ok = False
            src.unlink()
            out.unlink(missing_ok=True)
    ratio = results[args.lines] / results[args.baseline_lines]
    print(f"peak at {args.lines:,} lines / peak at {args.baseline_lines:,} lines: {ratio:.2f}x "
          f"(for {args.lines / args.baseline_lines:.0f}x the lines)")
    met = results[args.lines] < TARGET_MB
    print(f"target peak < {TARGET_MB} MB at {args.lines:,} lines: {'met' if met else 'MISSED'}")
    return 0 if (met and ok) or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())

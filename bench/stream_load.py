"""A corpus larger than the graph memory allows, to Neo4j: streamed neo4j-admin CSV and streamed `load`.

    .venv/bin/python bench/stream_load.py [--docs 3000000] [--load-docs 1000000] [--seed 0] [--work DIR]
                                          [--heap 2g] [--pagecache 1g] [--skip-csv] [--skip-load]

1. Writes a synthetic corpus of --docs documents as extract JSON Lines (bench/synth.py's
   iter_synthetic_records: the records are made one at a time, never held).
2. `polgraph export CORPUS --format neo4j-csv` (graph/stream.py: two passes over the records), timed, with the
   peak memory of the command and of the sort it runs (wait4's ru_maxrss). Target: peak <= 2 GB.
3. `scripts/neo4j-server.sh import-csv` (neo4j-admin database import full) into a private instance
   (NEO4J_INSTANCE=stream-load), started; the database must hold what the CSV holds and exactly --docs
   documents in the corpus (the generator's promise: every other node is a cited placeholder).
4. A fresh instance; a corpus of --load-docs documents (the same generator) through `polgraph load CORPUS`
   (MERGE into an empty database: CREATE), timed, with peak memory. Target: peak <= 2 GB; the database must
   hold what the command sent and --load-docs documents in the corpus.
Baseline in the same run: none is possible at this size (the graph path needs ~7 KB per document, issue 15);
rates are printed. The instance is stopped and deleted at the end. The host is shared: load averages printed.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synth import iter_synthetic_records  # noqa: E402

from polgraph.extract.pipeline import record_to_json  # noqa: E402

INSTANCE = "stream-load"
POLGRAPH = REPO / ".venv" / "bin" / "polgraph"
GB = 1024 ** 3


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def script(*args, env, timeout=10800) -> str:
    r = subprocess.run(["bash", str(REPO / "scripts" / "neo4j-server.sh"), *args], capture_output=True, text=True,
                       env=env, timeout=timeout, cwd=REPO)
    if r.returncode != 0:
        sys.exit(f"neo4j-server.sh {' '.join(args)} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r.stdout


# Runs a command as the child of a fresh, small process and reports the child's peak. A command started from this
# script directly (vfork + exec) starts with this script's high-water mark in its ru_maxrss -- Linux carries the
# old address space's peak over an exec -- so a 1M `load` after the 3M export printed the export's 1.84 GB. The
# wrapper's own address space is ~10 MB: that is the floor now.
_PEAK_OF_CHILD = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write("\\npolgraph-bench-peak %d %r\\n" % (usage.ru_maxrss, usage.ru_utime + usage.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measured(cmd: list[str], cpu: list | None = None) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in bytes of the command and the processes it waited for, stderr); its CPU seconds
    (user + system, its children's included) appended to `cpu` when given: the host is shared, CPU moves less."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _PEAK_OF_CHILD, *cmd], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, cwd=REPO)
    err = proc.stderr.read()
    proc.wait()
    err, _, report = err.rstrip("\n").rpartition("\npolgraph-bench-peak ")
    if proc.returncode != 0 or not report:
        sys.exit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{err[-3000:]}")
    maxrss, cpu_s = report.split()
    if cpu is not None:
        cpu.append(float(cpu_s))
    return time.perf_counter() - t, int(maxrss) * 1024, err


def write_corpus(path: Path, n_docs: int, seed: int) -> None:
    t = time.perf_counter()
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for rec in iter_synthetic_records(n_docs, seed):
            f.write(record_to_json(rec) + "\n")
            n += 1
    print(f"corpus: {n:,} records, {path.stat().st_size / GB:.2f} GB of JSON Lines in "
          f"{time.perf_counter() - t:.0f} s  [load {load()}]", flush=True)


def csv_rows(path: Path) -> int:
    """Data rows of a CSV written by polgraph (a quoted field may hold no line break: _one_line)."""
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            n += block.count(b"\n")
    return n - 1


def in_corpus_count(uri: str) -> tuple[int, int, int]:
    from polgraph.graph.neo4j_store import connect, database_counts

    driver = connect(uri)
    try:
        nodes, rels = database_counts(driver)
        placeholders = driver.execute_query("MATCH (d:Placeholder) RETURN count(d) AS n").records[0]["n"]
    finally:
        driver.close()
    return nodes, rels, nodes - placeholders


def server_cpu() -> float:
    """CPU seconds (user + system) of the instance's java process so far (its pid file, /proc)."""
    pid = (REPO / ".neo4j" / INSTANCE / "neo4j.pid").read_text().strip()
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=3_000_000)
    ap.add_argument("--load-docs", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", default=None)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="1g")
    ap.add_argument("--skip-csv", action="store_true")
    ap.add_argument("--skip-load", action="store_true")
    args = ap.parse_args()
    env = {**os.environ, "NEO4J_INSTANCE": INSTANCE, "NEO4J_HEAP": args.heap, "NEO4J_PAGECACHE": args.pagecache}
    env.pop("NEO4J_BOLT_PORT", None)
    work = Path(args.work or tempfile.mkdtemp(prefix="polgraph-stream-load-"))
    work.mkdir(parents=True, exist_ok=True)
    ok = True
    try:
        if not args.skip_csv:
            corpus = work / f"corpus-{args.docs}.jsonl"
            write_corpus(corpus, args.docs, args.seed)
            cpu: list = []
            secs, peak, _ = measured([str(POLGRAPH), "export", str(corpus), "--format", "neo4j-csv",
                                      "-o", str(work / "csv"), "--quiet"], cpu)
            corpus.unlink()
            n_nodes, n_rels = csv_rows(work / "csv" / "nodes.csv"), csv_rows(work / "csv" / "relationships.csv")
            print(f"export --format neo4j-csv: {args.docs:,} documents -> {n_nodes:,} nodes, {n_rels:,} "
                  f"relationships in {secs:.0f} s, {cpu[0]:.0f} s CPU ({args.docs / secs:,.0f} documents/s), "
                  f"peak {peak / GB:.2f} GB "
                  f"(target <= 2 GB: {'met' if peak <= 2 * GB else 'NOT met'})  [load {load()}]", flush=True)
            script("stop", env=env)
            t = time.perf_counter()
            out = script("import-csv", str(work / "csv"), env=env)
            m = re.search(r"([\d,]+) nodes", out), re.search(r"([\d,]+) relationships", out)
            print(f"neo4j-admin database import: {time.perf_counter() - t:.0f} s  [load {load()}]", flush=True)
            shutil.rmtree(work / "csv", ignore_errors=True)
            script("start", env=env)
            uri = script("uri", env=env).strip()
            db_nodes, db_rels, db_docs = in_corpus_count(uri)
            same = (db_nodes, db_rels, db_docs) == (n_nodes, n_rels, args.docs)
            ok &= same
            print(f"imported database: {db_nodes:,} nodes ({db_docs:,} documents in the corpus), {db_rels:,} "
                  f"relationships: {'as promised' if same else 'NOT as promised'} ({args.docs:,} documents, the "
                  f"CSV's rows; import report {m[0].group(1) if m[0] else '?'} nodes, "
                  f"{m[1].group(1) if m[1] else '?'} relationships)", flush=True)
            script("stop", env=env)
        if not args.skip_load:
            corpus = work / f"corpus-{args.load_docs}.jsonl"
            write_corpus(corpus, args.load_docs, args.seed)
            shutil.rmtree(REPO / ".neo4j" / INSTANCE, ignore_errors=True)
            script("start", env=env)
            uri = script("uri", env=env).strip()
            load_cpu, server0 = [], server_cpu()
            secs, peak, err = measured([str(POLGRAPH), "load", str(corpus), "--uri", uri, "--quiet"], load_cpu)
            server_secs = server_cpu() - server0
            corpus.unlink()
            m = re.search(r"loaded (\d+) node\(s\), (\d+) relationship\(s\)", err)
            sent = (int(m.group(1)), int(m.group(2))) if m else None
            db_nodes, db_rels, db_docs = in_corpus_count(uri)
            same = sent == (db_nodes, db_rels) and db_docs == args.load_docs
            ok &= same
            print(f"load: {args.load_docs:,} documents -> {db_nodes:,} nodes, {db_rels:,} relationships in "
                  f"{secs:.0f} s ({args.load_docs / secs:,.0f} documents/s, {db_rels / secs:,.0f} relationships/s), "
                  f"peak {peak / GB:.2f} GB (target <= 2 GB: {'met' if peak <= 2 * GB else 'NOT met'}); CPU: polgraph "
                  f"{load_cpu[0]:.0f} s, server {server_secs:.0f} s; database {'as sent' if same else 'NOT as sent'} "
                  f"(sent {f'{sent[0]:,} nodes, {sent[1]:,} relationships' if sent else 'unknown'})  "
                  f"[load {load()}]", flush=True)
            script("stop", env=env)
    finally:
        script("stop", env=env)
        shutil.rmtree(REPO / ".neo4j" / INSTANCE, ignore_errors=True)
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

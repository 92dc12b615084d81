"""A weekly update into a database that holds the corpus: `polgraph load WEEK` against rebuilding the database.

    .venv/bin/python bench/update_load.py [--docs 30000] [--week 1000] [--seed 0] [--heap 2g] [--pagecache 1g]

The synthetic corpus of --docs + --week documents (bench/synth.py, one run of the generator) is split in two: the
first --docs records are the database's corpus, the last --week the new week (they cite the documents before
them, by 文号 and by title, and documents the corpus lacks).

1. The base part goes to the database the documented bulk way, `export --format neo4j-csv` and `neo4j-admin
   database import` (the database before the week), then `polgraph load WEEK`, timed, with its peak memory:
   the update. Its documents, placeholders and relationships (source, type, target, method) are read back, and
   the check flags of the relationships both databases hold.
2. The union (both parts) the bulk way: the database a full rebuild gives, read back and compared.
Baseline in the same run: the rebuild of step 2 (export + import of the union), timed. What the update decides
differently from a rebuild is counted and printed, not hidden: an update resolves a citation of a document loaded
before by its exact title keys or 文号 (graph/neo4j_store.py resolve_placeholders), not by a fuzzy title match,
which a rebuild makes among all documents. Exit 1 when the document counts differ or more than 0.1% of the
relationships do. The host is shared: load averages printed.
"""
from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from stream_load import GB, POLGRAPH, load, measured, script  # noqa: E402
from synth import iter_synthetic_records  # noqa: E402

from polgraph.extract.pipeline import record_to_json  # noqa: E402

INSTANCE = "update-load"


def write(path: Path, records) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for rec in records:
            f.write(record_to_json(rec) + "\n")
            n += 1
    return n


def read_back(uri: str) -> dict:
    """Documents, placeholders and relationships of the database, comparable across databases."""
    from polgraph.graph.neo4j_store import connect

    driver = connect(uri)
    try:
        q = driver.execute_query
        nodes = {r["id"]: r["corpus"] for r in q("MATCH (d:Document) RETURN d.id AS id, d.in_corpus AS corpus").records}
        rels, flags = {}, {}
        for r in q("MATCH (s:Document)-[r]->(t:Document) RETURN s.id AS s, t.id AS t, type(r) AS type, "
                   "r.method AS method, r.flags AS flags").records:
            rels[(r["s"], r["t"], r["type"])] = r["method"]
            flags[(r["s"], r["t"], r["type"])] = tuple(r["flags"] or ())
    finally:
        driver.close()
    return {"nodes": nodes, "rels": rels, "flags": flags}


def bulk(csv_dir: Path, corpus: Path, env: dict, cpu: list) -> tuple[float, str]:
    """export + neo4j-admin import of `corpus` into the (stopped, emptied) instance, started, its schema applied and
    online; (seconds of export, import and indexing, uri)."""
    shutil.rmtree(csv_dir, ignore_errors=True)
    t = time.perf_counter()
    measured([str(POLGRAPH), "export", str(corpus), "--format", "neo4j-csv", "-o", str(csv_dir), "--quiet"], cpu)
    script("stop", env=env)
    shutil.rmtree(REPO / ".neo4j" / INSTANCE, ignore_errors=True)
    script("import-csv", str(csv_dir), env=env)
    script("start", env=env)
    uri = script("uri", env=env).strip()
    # the schema once after the import, as the README says to (cypher/schema.cypher): the week's load then pays
    # for its own documents, not for indexing the whole database
    from polgraph.graph.neo4j_store import apply_schema, await_indexes, connect

    driver = connect(uri)
    try:
        apply_schema(driver)
        await_indexes(driver)
    finally:
        driver.close()
    return time.perf_counter() - t, uri


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=30_000)
    ap.add_argument("--week", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="1g")
    args = ap.parse_args()
    env = {**os.environ, "NEO4J_INSTANCE": INSTANCE, "NEO4J_HEAP": args.heap, "NEO4J_PAGECACHE": args.pagecache}
    env.pop("NEO4J_BOLT_PORT", None)
    work = Path(tempfile.mkdtemp(prefix="polgraph-update-load-"))
    try:
        records = iter_synthetic_records(args.docs + args.week, args.seed)
        base, week, union = work / "base.jsonl", work / "week.jsonl", work / "union.jsonl"
        write(base, itertools.islice(records, args.docs))
        write(week, records)
        with open(union, "wb") as out:
            for part in (base, week):
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out)
        print(f"corpus: {args.docs:,} documents + a week of {args.week:,}  [load {load()}]", flush=True)

        # the update first: a process forked from this one counts this one's pages in its ru_maxrss, so the
        # databases read back are held only after it ran
        _, uri = bulk(work / "csv", base, env, [])
        update_cpu: list = []
        update_s, peak, _ = measured([str(POLGRAPH), "load", str(week), "--uri", uri, "--quiet"], update_cpu)
        updated = read_back(uri)
        print(f"update (`polgraph load WEEK` into the base database): {update_s:.1f} s, CPU {update_cpu[0]:.1f} s, "
              f"peak {peak / GB:.2f} GB; {len(updated['nodes']):,} nodes, {len(updated['rels']):,} relationships  "
              f"[load {load()}]", flush=True)

        rebuild_cpu: list = []
        rebuild_s, uri = bulk(work / "csv", union, env, rebuild_cpu)
        rebuilt = read_back(uri)
        print(f"rebuild (export + import + indexes of the union): {rebuild_s:.1f} s, export CPU {rebuild_cpu[0]:.1f} s; "
              f"{len(rebuilt['nodes']):,} nodes, {len(rebuilt['rels']):,} relationships  [load {load()}]", flush=True)
        print(f"update / rebuild wall: {update_s / rebuild_s:.3f}", flush=True)

        docs = lambda db: {n for n, corpus in db["nodes"].items() if corpus}  # noqa: E731
        only_rebuilt = set(rebuilt["nodes"]) - set(updated["nodes"])
        only_updated = set(updated["nodes"]) - set(rebuilt["nodes"])
        rel_diff = set(rebuilt["rels"].items()) ^ set(updated["rels"].items())
        same_docs = docs(rebuilt) == docs(updated)
        print(f"documents in the corpus: {'the same' if same_docs else 'DIFFERENT'} "
              f"({len(docs(updated)):,} against {len(docs(rebuilt)):,})")
        print(f"nodes only in the rebuild: {len(only_rebuilt):,}; only in the update: {len(only_updated):,} "
              f"(placeholders a fuzzy title match of a rebuild joins to a document)")
        print(f"relationships (source, target, type, method) in one database only: {len(rel_diff):,} "
              f"of {len(rebuilt['rels']):,}")
        both = set(rebuilt["flags"]) & set(updated["flags"])
        flag_diff = sorted(k for k in both if rebuilt["flags"][k] != updated["flags"][k])
        print(f"relationships in both whose check flags differ: {len(flag_diff):,} of {len(both):,}"
              + (f", e.g. {flag_diff[0]}: {rebuilt['flags'][flag_diff[0]]} in the rebuild, "
                 f"{updated['flags'][flag_diff[0]]} in the update" if flag_diff else ""))
        kinds: dict = {}
        for (s, t, rel), _ in sorted(rel_diff):
            kind = (rebuilt["rels"].get((s, t, rel)), updated["rels"].get((s, t, rel)))
            kinds.setdefault(kind, []).append(f"{s} -{rel}-> {t}")
        for (was, now), rels in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), str(kv[0]))):
            print(f"  {len(set(rels)):,} relationship(s) by {was or '-'} in the rebuild, by {now or '-'} in the "
                  f"update, e.g. {', '.join(sorted(set(rels))[:2])}")
        ok = same_docs and len(rel_diff) <= len(rebuilt["rels"]) / 1000
        sys.exit(0 if ok else 1)
    finally:
        script("stop", env=env)
        shutil.rmtree(REPO / ".neo4j" / INSTANCE, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

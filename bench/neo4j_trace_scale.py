"""`trace --backend neo4j` on a database of a million documents: REF by number and by title, and parity.

    .venv/bin/python bench/neo4j_trace_scale.py [--docs 1000000] [--seed 0] [--refs 5] [--work DIR]
                                                [--heap 2g] [--pagecache 2g] [--keep]

Builds the synthetic graph (bench/synth.py), writes it with `polgraph export --format neo4j-csv` (the same
export_graph call, in this process, so the graph is built once), imports the CSV with
`scripts/neo4j-server.sh import-csv` (neo4j-admin database import full) into a private instance
(NEO4J_INSTANCE=trace-scale), starts it, applies cypher/schema.cypher (the look-up indexes are populated
then; their time is printed), and times `trace_neo4j` for --refs central documents by number and by title,
each compared with the networkx `trace` of the same graph. Baseline in the same run: the same REFs resolved
the way trace_neo4j did before this bench (every document read into Python, find_node over them), once.
Targets: each trace <= 2 s, output equal to networkx. The instance is stopped and deleted at the end
unless --keep. The host is shared: the load average is printed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synth import synthetic_graph  # noqa: E402

from polgraph.graph.export import export_graph  # noqa: E402
from polgraph.graph.neo4j_store import apply_schema, connect, database_counts, trace_neo4j  # noqa: E402
from polgraph.graph.trace import find_node, trace  # noqa: E402

INSTANCE = "trace-scale"


def script(*args, env, timeout=7200):
    r = subprocess.run(["bash", str(REPO / "scripts" / "neo4j-server.sh"), *args], capture_output=True, text=True,
                       env=env, timeout=timeout, cwd=REPO)
    if r.returncode != 0:
        sys.exit(f"neo4j-server.sh {' '.join(args)} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r.stdout


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def all_nodes_resolve(driver, ref: str) -> str:
    """The resolution trace_neo4j used before the look-up indexes: every document into Python."""
    import networkx as nx

    H = nx.MultiDiGraph()
    for rec in driver.execute_query("MATCH (d:Document) RETURN d.id AS id, properties(d) AS props").records:
        H.add_node(rec["id"], **{k: v for k, v in rec["props"].items() if k != "id"})
    return find_node(H, ref)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--refs", type=int, default=5)
    ap.add_argument("--work", default=None, help="folder for the CSV (default: a temporary one)")
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="2g")
    ap.add_argument("--keep", action="store_true", help="leave the instance running")
    args = ap.parse_args()
    env = {**os.environ, "NEO4J_INSTANCE": INSTANCE, "NEO4J_HEAP": args.heap, "NEO4J_PAGECACHE": args.pagecache}
    env.pop("NEO4J_BOLT_PORT", None)

    t = time.perf_counter()
    G = synthetic_graph(args.docs, args.seed)
    n_docs = sum(1 for _, d in G.nodes(data=True) if d.get("in_corpus"))
    print(f"graph: {G.number_of_nodes():,} nodes ({n_docs:,} documents), {G.number_of_edges():,} edges "
          f"in {time.perf_counter() - t:.0f} s  [load {load()}]", flush=True)
    work = Path(args.work or tempfile.mkdtemp(prefix="polgraph-trace-scale-"))
    t = time.perf_counter()
    export_graph(G, "neo4j-csv", work / "csv")
    print(f"export --format neo4j-csv: {time.perf_counter() - t:.0f} s  [load {load()}]", flush=True)
    script("stop", env=env)
    t = time.perf_counter()
    script("import-csv", str(work / "csv"), env=env)
    print(f"neo4j-admin database import: {time.perf_counter() - t:.0f} s  [load {load()}]", flush=True)
    shutil.rmtree(work / "csv", ignore_errors=True)
    script("start", env=env)
    uri = script("uri", env=env).strip()
    conn = {"uri": uri, "user": "neo4j", "password": "", "database": "neo4j"}
    driver = connect(**conn)
    try:
        counts = database_counts(driver)
        print(f"database: {counts[0]:,} nodes, {counts[1]:,} relationships "
              f"({'=' if counts == (G.number_of_nodes(), G.number_of_edges()) else '!='} the graph)", flush=True)
        t = time.perf_counter()
        apply_schema(driver)
        print(f"schema and look-up indexes populated: {time.perf_counter() - t:.0f} s  [load {load()}]", flush=True)

        central = sorted(n for n, d in G.nodes(data=True)
                         if d.get("level") == "central" and d.get("in_corpus") and d.get("title") and G.in_degree(n))
        step = max(1, len(central) // args.refs)
        refs = central[::step][:args.refs]
        warm = central[-1]  # the server's first queries compile: one REF of each kind, not counted
        trace_neo4j(warm, **conn), trace_neo4j(G.nodes[warm]["title"], **conn)
        times = {"number": [], "title": []}
        same = 0
        for ref in refs:
            for kind, q in (("number", ref), ("title", G.nodes[ref]["title"])):
                t = time.perf_counter()
                got = trace_neo4j(q, **conn)
                dt = time.perf_counter() - t
                times[kind].append(dt)
                expected = trace(G, q)
                same += got == expected
                print(f"  trace by {kind:6s} {q[:40]:40s} {dt:6.2f} s  {got['count']:6,} documents  "
                      f"{'same as networkx' if got == expected else 'DIFFERS from networkx'}  [load {load()}]",
                      flush=True)
        t = time.perf_counter()
        assert all_nodes_resolve(driver, G.nodes[refs[0]]["title"]) == refs[0]
        baseline = time.perf_counter() - t
    finally:
        driver.close()
        if not args.keep:
            script("stop", env=env)
            shutil.rmtree(REPO / ".neo4j" / INSTANCE, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True) if not args.work else None
    for kind, ts in times.items():
        print(f"trace by {kind}: median {statistics.median(ts):.2f} s, max {max(ts):.2f} s over {len(ts)} REFs "
              f"(target <= 2 s: {'met' if max(ts) <= 2 else 'NOT met'})")
    print(f"baseline (the old title resolution, every document read into Python): {baseline:.1f} s, "
          f"{baseline / statistics.median(times['title']):.0f}x the indexed trace by title")
    print(f"parity with networkx: {same}/{2 * len(refs)}")


if __name__ == "__main__":
    main()

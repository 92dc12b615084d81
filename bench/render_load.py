"""How long a `polgraph render` page takes to be drawn in headless Chromium, at 500 / 2,000 / 10,000 nodes.

For each size a synthetic graph (bench/synth.py) is rendered with render_html(force=True) and opened from
file:// in Debian's /usr/bin/chromium (Playwright, every non-file request blocked and counted). "Ready" is
the page's own hook: window.__polgraphReadyMs, set on vis-network's first `afterDrawing` (physics is off, so
the first frame is the final layout); it is measured from navigation start, so it includes parsing the
inlined vis-network and the data. Target: 2,000 nodes <= 3 s.

Baselines measured in the same run, on the same machine:
  empty   our page with a one-node graph (the fixed cost: parse ~470 KB of vis-network, first paint)
  pyvis   pyvis's stock output for the same graph (Network.from_nx, default physics, in_line resources),
          ready when its stabilisation finishes (`stabilizationIterationsDone`); capped by --pyvis-timeout.

Usage: .venv/bin/python bench/render_load.py [--sizes 500,2000,10000] [--repeat 3] [--pyvis-sizes 500]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def graph_of_about(n_nodes: int):
    """A synthetic graph with about `n_nodes` nodes (documents plus their placeholders)."""
    from synth import synthetic_graph

    n_docs = max(5, int(n_nodes / 1.03))
    return synthetic_graph(n_docs, seed=0)


def open_and_wait(browser, path: Path, ready_js: str, ms_js: str, timeout_s: float):
    """(seconds from navigation start to ready, wall seconds, blocked requests) or (None, ..) on timeout."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    url = path.resolve().as_uri()
    blocked = []

    def route(r):
        if r.request.url == url:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    t0 = time.perf_counter()
    try:
        page.goto(url, wait_until="load", timeout=timeout_s * 1000)
        page.wait_for_function(ready_js, timeout=timeout_s * 1000, polling=50)
        wall = time.perf_counter() - t0
        return page.evaluate(ms_js) / 1000.0, wall, blocked
    except Exception as e:  # playwright TimeoutError
        if "Timeout" not in type(e).__name__ and "Timeout" not in str(e):
            raise
        return None, time.perf_counter() - t0, blocked
    finally:
        context.close()


OURS = ("window.__polgraphReady === true", "window.__polgraphReadyMs")
# pyvis's stock template hides its loading bar on stabilizationIterationsDone; the time is taken then.
PYVIS_READY = ("(() => { const b = document.getElementById('loadingBar');"
               " if (b && b.style.opacity === '0') { window.__t = window.__t || performance.now(); return true; }"
               " return false; })()")
PYVIS = (PYVIS_READY, "window.__t")


def pyvis_stock(G, path: Path) -> None:
    import networkx as nx
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    simple = nx.DiGraph()
    for n, d in G.nodes(data=True):
        simple.add_node(n, label=str(d.get("label") or n), title=str(d.get("title") or ""))
    simple.add_edges_from((u, v) for u, v in G.edges())
    net.from_nx(simple)
    path.write_text(net.generate_html(), encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,2000,10000")
    ap.add_argument("--pyvis-sizes", default="500", help="sizes to also time pyvis's stock page at")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--pyvis-timeout", type=float, default=60.0)
    a = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from polgraph.graph.render import render_html

    sizes = [int(s) for s in a.sizes.split(",") if s]
    pyvis_sizes = {int(s) for s in a.pyvis_sizes.split(",") if s}
    tmp = Path(tempfile.mkdtemp(prefix="polgraph-render-bench-"))
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            import networkx as nx

            one = nx.MultiDiGraph()
            one.add_node("x", label="x", level="central", in_corpus=True)
            empty_path = tmp / "empty.html"
            render_html(one, empty_path)
            open_and_wait(browser, empty_path, *OURS, a.timeout)  # warm-up: first launch pays for fonts, caches
            empty = statistics.median(open_and_wait(browser, empty_path, *OURS, a.timeout)[0]
                                      for _ in range(a.repeat))
            print(f"baseline (one-node page): {empty:.3f} s", flush=True)
            for size in sizes:
                G = graph_of_about(size)
                path = tmp / f"ours_{size}.html"
                t = time.perf_counter()
                info = render_html(G, path, force=True)
                render_s = time.perf_counter() - t
                runs = [open_and_wait(browser, path, *OURS, a.timeout) for _ in range(a.repeat)]
                ready = [r[0] for r in runs if r[0] is not None]
                blocked = sum(len(r[2]) for r in runs)
                med = statistics.median(ready) if ready else None
                line = (f"{info['nodes']:>6} nodes {info['edges']:>6} edges | python render {render_s:6.2f} s | "
                        f"file {path.stat().st_size / 1e6:5.1f} MB | drawn in {med:6.2f} s "
                        f"(runs {', '.join(f'{r:.2f}' for r in ready)}) | x{med / empty:5.1f} the one-node page | "
                        f"blocked requests {blocked}")
                base = None
                if size in pyvis_sizes:
                    ppath = tmp / f"pyvis_{size}.html"
                    pyvis_stock(G, ppath)
                    pr, pwall, pblocked = open_and_wait(browser, ppath, *PYVIS, a.pyvis_timeout)
                    base = pr
                    line += (f" | pyvis stock: {'> %.0f' % a.pyvis_timeout if pr is None else '%.2f' % pr} s, "
                             f"{len(set(pblocked))} blocked CDN request(s)")
                    if pr is not None:
                        line += f", ours = {med / pr:.2f} x pyvis"
                print(line, flush=True)
                rows.append((info["nodes"], med, base))
        finally:
            browser.close()
    for n, med, _ in rows:
        if 1500 <= n <= 2500:
            verdict = "OK" if med is not None and med <= 3.0 else "OVER TARGET"
            print(f"target: ~2,000 nodes drawn in <= 3 s: {med:.2f} s -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""polgraph: trace how Chinese policy documents cite and implement each other.

Pipeline (one module per stage, see the folder names at the repository root)::

    read  ->  find (own metadata + citations)  ->  resolve/build (networkx)  ->  trace / stats / export
                                                                           ->  render (pyvis HTML)
                                                                           ->  load (Neo4j)

The public API mirrors the CLI (each function's docstring has a runnable example)::

    >>> import polgraph
    >>> from importlib.resources import files
    >>> sample = files("polgraph.data") / "sample"             # the sample corpus shipped with polgraph
    >>> G = polgraph.build_graph([str(sample)])
    >>> G.number_of_nodes(), G.number_of_edges()
    (20, 12)
    >>> result = polgraph.trace(G, "国办发〔2015〕33号")
    >>> [(d["level"], d["relation"]) for d in result["documents"]]
    [('municipal', 'IMPLEMENTS')]
    >>> polgraph.extract_text("为贯彻落实《国务院关于深化改革的意见》，制定本方案。")["citations"][0]["relation"]
    'IMPLEMENTS'
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "extract_text", "extract_paths", "build_graph", "open_graph", "load_graph", "save_graph",
           "trace"]


def __getattr__(name):  # lazy: `import polgraph` stays cheap for the CLI and worker processes
    if name == "extract_text":
        from polgraph.extract.find import extract_text
        return extract_text
    if name == "extract_paths":
        from polgraph.extract.pipeline import extract_paths
        return extract_paths
    if name in ("build_graph", "open_graph"):
        from polgraph.graph import build
        return getattr(build, name)
    if name in ("load_graph", "save_graph"):
        from polgraph.graph import io
        return getattr(io, name)
    if name == "trace":
        from polgraph.graph.trace import trace
        return trace
    raise AttributeError(name)

"""polgraph: trace how Chinese policy documents cite and implement each other.

Pipeline (one module per stage, see the folder names at the repository root)::

    read  ->  find (own metadata + citations)  ->  resolve/build (networkx)  ->  trace / stats / export
                                                                           ->  render (pyvis HTML)
                                                                           ->  load (Neo4j)

The public API mirrors the CLI::

    >>> import polgraph
    >>> G = polgraph.build_graph(["data/sample"])            # doctest: +SKIP
    >>> polgraph.trace(G, "国办发〔2015〕33号")                # doctest: +SKIP
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "extract_paths", "build_graph", "load_graph", "save_graph", "trace"]


def __getattr__(name):  # lazy: `import polgraph` stays cheap for the CLI and worker processes
    if name == "extract_paths":
        from polgraph.extract.pipeline import extract_paths
        return extract_paths
    if name == "build_graph":
        from polgraph.graph.build import build_graph
        return build_graph
    if name in ("load_graph", "save_graph"):
        from polgraph.graph import io
        return getattr(io, name)
    if name == "trace":
        from polgraph.graph.trace import trace
        return trace
    raise AttributeError(name)

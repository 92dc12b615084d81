"""The citation graph: resolve citations to documents, build a networkx MultiDiGraph, query it.

Modules: model (node/edge attributes), resolve, build, io (graph files), trace, stats, checks,
export, render, annotate, neo4j_store.
"""

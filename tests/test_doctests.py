"""The examples in the library's docstrings run (the API a user reads first: polgraph.build_graph, trace,
extract_text, the graph functions, the vocabulary). A module listed here whose examples fail, or that has none,
fails the test."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "polgraph",
    "polgraph.vocabulary",
    "polgraph.models",
    "polgraph.extract.dates",
    "polgraph.extract.docnumber",
    "polgraph.extract.find",
    "polgraph.extract.organs",
    "polgraph.extract.titles",
    "polgraph.graph.build",
    "polgraph.graph.status",
    "polgraph.graph.trace",
    "polgraph.graph.diffusion",
    "polgraph.graph.neo4j_store",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.attempted > 0, f"{name} has no example"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed (see above)"


def test_the_public_api_has_examples():
    import polgraph

    for name in ("build_graph", "open_graph", "trace", "extract_text"):
        fn = getattr(polgraph, name)
        assert ">>> " in (fn.__doc__ or ""), f"polgraph.{name} has no example"

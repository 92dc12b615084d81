"""The shape of the code: no import cycle among polgraph's modules, and a library that names no CLI option."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parent.parent
# the source folders and the package each is installed as (pyproject.toml [tool.setuptools] package-dir)
PACKAGES = {"polgraph": "polgraph", "extract": "polgraph.extract", "graph": "polgraph.graph",
            "data": "polgraph.data", "cypher": "polgraph.cypher"}


def modules() -> dict[str, Path]:
    out = {}
    for folder, package in PACKAGES.items():
        for path in sorted((REPO / folder).rglob("*.py")):  # subpackages too (extract/readers/)
            parts = path.relative_to(REPO / folder).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            if (REPO / folder / Path(*parts[:-1]) / "__init__.py").exists() or len(parts) <= 1:
                out[".".join((package,) + parts)] = path
    return out


def import_graph() -> nx.DiGraph:
    """module -> the polgraph modules it imports, at the top or inside a function (a late import is still one)."""
    mods = modules()
    G = nx.DiGraph()
    for name, path in mods.items():
        G.add_node(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                base = node.module
                if node.level:  # relative: from the module's package
                    package = name if path.stem == "__init__" else name.rsplit(".", 1)[0]
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base])
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            else:
                continue
            G.add_edges_from((name, t) for t in targets if t in mods and t != name)
    return G


def test_the_walk_sees_the_imports():
    G = import_graph()
    assert G.has_edge("polgraph.extract.find", "polgraph.extract.cues")
    assert G.has_edge("polgraph.graph.annotate", "polgraph.extract.find")  # a late import counts
    assert G.has_edge("polgraph.graph.build", "polgraph.graph.io")
    assert "polgraph.extract.readers" in G  # a subpackage


# Cycles that landed before this test could stop them; the set may only shrink (it is empty: portal <-> metadata
# went when the date and organ readers moved to extract/dates.py and extract/organs.py).
KNOWN_CYCLES: set[str] = set()


def _canonical(cycle: list[str]) -> str:
    i = cycle.index(min(cycle))
    cycle = cycle[i:] + cycle[:i]
    return " -> ".join(cycle + [cycle[0]])


def test_no_import_cycle():
    cycles = {_canonical(c) for c in nx.simple_cycles(import_graph())}
    assert sorted(cycles - KNOWN_CYCLES) == []
    assert not KNOWN_CYCLES - cycles, "a known cycle is gone: take it off KNOWN_CYCLES"


def test_stages_import_downstream_only():
    """Extraction knows nothing of the graph stage or the CLI; nothing but the CLI imports the CLI."""
    G = import_graph()
    for name in G:
        imported = set(G.successors(name))
        if name.startswith("polgraph.extract"):
            assert not {m for m in imported if m.startswith("polgraph.graph")}, name
        if name != "polgraph.__main__":
            assert "polgraph.cli" not in imported, name


def test_library_names_no_cli_option():
    """Messages of the library speak of documents, levels and relations, not of --flags."""
    option = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
    found = []
    for name, path in modules().items():
        if name in ("polgraph.cli", "polgraph.__main__"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if id(node) in docstrings:  # a docstring may say which command or option uses the function
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and option.search(node.value):
                found.append(f"{name}:{node.lineno}: {option.search(node.value).group()}")
    assert found == []

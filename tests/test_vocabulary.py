"""Levels and relations have one source (data/levels.tsv, data/relations.tsv via polgraph.vocabulary), and every
place that names or styles them agrees with it: the code, the CLI, render/annotate styles, Neo4j labels and
relationship types, the Browser style sheet and the cue table."""
from __future__ import annotations

import ast
import json
from importlib.resources import files
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from polgraph import vocabulary
from polgraph.cli import cli
from polgraph.vocabulary import LEVEL_TABLE, LEVELS, RELATION_TABLE, RELATIONS, browser_style

REPO = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("polgraph", "extract", "graph", "cypher", "data")


def _source_files():
    for folder in SOURCE_DIRS:
        yield from sorted((REPO / folder).rglob("*.py"))


def _string_constants(node) -> list[str]:
    if isinstance(node, ast.Dict):
        items = node.keys
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = node.elts
    else:
        return []
    return [x.value for x in items if isinstance(x, ast.Constant) and isinstance(x.value, str)]


def test_the_tables_are_well_formed():
    assert LEVELS[-1] == "unknown" and "CITES" in RELATIONS
    assert len(set(LEVELS)) == len(LEVELS) and len(set(RELATIONS)) == len(RELATIONS)
    labels = [lv.neo4j_label for lv in LEVEL_TABLE]
    assert len(set(labels)) == len(labels) and "Placeholder" not in labels and "Document" not in labels
    for lv in LEVEL_TABLE:
        assert lv.colour.startswith("#") and lv.browser_color.startswith("#") and lv.browser_diameter.endswith("px")
    for r in RELATION_TABLE:
        assert r.name.isupper() and r.zh and r.width > 0 and r.browser_shaft_width.endswith("px")
        assert r.dashes is False or (isinstance(r.dashes, list) and all(x > 0 for x in r.dashes))


def test_no_module_keeps_its_own_list_of_levels_or_relations():
    """A literal naming three or more levels (or relations, or Neo4j level labels) is a copy of the tables."""
    labels = {lv.neo4j_label for lv in LEVEL_TABLE}
    copies = []
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = set(_string_constants(node))
            for vocab in (set(LEVELS), set(RELATIONS), labels):
                if len(names & vocab) >= 3:
                    copies.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert copies == []


def test_one_loader_reads_the_tables():
    readers = set()
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ("levels.tsv", "relations.tsv"):
                readers.add(str(path.relative_to(REPO)))
    assert readers == {"polgraph/vocabulary.py"}


def test_cue_table_relations_are_the_vocabulary():
    text = files("polgraph.data").joinpath("cues.tsv").read_text(encoding="utf-8")
    used = {line.split("\t")[1] for line in text.splitlines() if line.strip() and not line.startswith("#")}
    by_cue = {r.name for r in RELATION_TABLE if r.by_cue}
    # the cue table says exactly the relations the vocabulary says a cue says
    assert used - {"FUTURE", "NONE"} == by_cue
    from polgraph.extract import cues
    assert cues.RELATIONS is vocabulary.RELATIONS


def test_the_stages_take_the_vocabulary_from_one_place():
    from polgraph.extract import levels
    from polgraph.graph import model, neo4j_store
    assert levels.LEVELS is LEVELS and model.LEVELS is LEVELS and model.RELATIONS is RELATIONS
    assert neo4j_store.LEVEL_LABELS == {lv.name: lv.neo4j_label for lv in LEVEL_TABLE}
    assert set(neo4j_store.RELATIONSHIP_QUERIES) == set(RELATIONS)
    assert {lvl for lvl, _ in neo4j_store.NODE_QUERIES} == set(LEVELS)


def test_browser_style_sheet_is_written_from_the_tables():
    grass = files("polgraph.cypher").joinpath("polgraph.grass").read_text(encoding="utf-8")
    assert grass == browser_style(), (
        "cypher/polgraph.grass is out of date: .venv/bin/python -c 'import sys; from polgraph.vocabulary import "
        "browser_style; sys.stdout.write(browser_style())' > cypher/polgraph.grass")
    for lv in LEVEL_TABLE:
        assert f"node.{lv.neo4j_label} {{\n  diameter: {lv.browser_diameter};\n  color: {lv.browser_color};" in grass
    for r in RELATION_TABLE:
        assert f"relationship.{r.name} {{\n  color: {r.browser_color};\n  shaft-width: {r.browser_shaft_width};" in grass


def test_render_and_annotate_styles_are_the_tables():
    from polgraph.graph.annotate import citation_table
    from polgraph.graph.render import page_config, render_page
    from test_render import page_data

    cfg = page_config()
    assert cfg["levels"] == [{"name": lv.name, "zh": lv.zh, "colour": lv.colour} for lv in LEVEL_TABLE]
    assert cfg["relations"] == [{"name": r.name, "zh": r.zh, "colour": r.colour, "dashes": r.dashes,
                                 "width": r.width} for r in RELATION_TABLE]
    G = nx.MultiDiGraph()
    for i, lvl in enumerate(LEVELS):
        G.add_node(f"n{i}", level=lvl, in_corpus=True, title=f"文件{i}")
    for i, rel in enumerate(RELATIONS):
        G.add_edge(f"n{i % len(LEVELS)}", f"n{(i + 1) % len(LEVELS)}", key=rel, relation=rel, mentions=[])
    data = page_data(render_page(G))
    assert {n["color"]["background"] for n in data["nodes"]} == {lv.colour for lv in LEVEL_TABLE}
    edge_colours = {e["color"]["color"] if isinstance(e["color"], dict) else e["color"] for e in data["edges"]}
    assert edge_colours == {r.colour for r in RELATION_TABLE}
    record = {"citations": [{"relation": r.name} for r in RELATION_TABLE]}
    table = citation_table(record, [(None, None)] * len(RELATION_TABLE), G, Path("out.html"))
    for r in RELATION_TABLE:
        assert f'style="background:{r.colour}">{r.zh} {r.name}</span>' in table


def test_cli_offers_the_vocabulary(tmp_path):
    from polgraph.graph.io import save_graph

    runner = CliRunner()
    help_text = " ".join(runner.invoke(cli, ["render", "--help"]).output.split())
    assert f"levels to keep: {', '.join(LEVELS)}." in help_text
    assert f"relations to keep: {', '.join(RELATIONS)}." in help_text
    assert ", ".join(RELATIONS) in " ".join(runner.invoke(cli, ["trace", "--help"]).output.split())
    G = nx.MultiDiGraph()
    G.add_node("a", level="county", in_corpus=True, title="甲")
    gfile = tmp_path / "g.json"
    save_graph(G, gfile)
    r = runner.invoke(cli, ["render", str(gfile), "-o", str(tmp_path / "g.html"), "--levels", "national"])
    assert r.exit_code != 0 and f"(choose from {', '.join(LEVELS)})" in r.output
    r = runner.invoke(cli, ["render", str(gfile), "-o", str(tmp_path / "g.html"), "--levels", ",".join(LEVELS),
                            "--relations", ",".join(RELATIONS).lower()])
    assert r.exit_code == 0, r.output


def test_trace_text_names_levels_from_the_table():
    from polgraph.graph.trace import format_trace_text, trace

    G = nx.MultiDiGraph()
    G.add_node("国发〔2015〕1号", level="central", in_corpus=True, title="甲", doc_number="国发〔2015〕1号")
    for i, lvl in enumerate(LEVELS[1:]):
        G.add_node(f"d{i}", level=lvl, in_corpus=True, title=f"乙{i}")
        G.add_edge(f"d{i}", "国发〔2015〕1号", key="IMPLEMENTS", relation="IMPLEMENTS", mentions=[])
    text = format_trace_text(trace(G, "国发〔2015〕1号"))
    for lv in LEVEL_TABLE[1:]:
        assert f"  {lv.zh_long} {lv.name}: 1" in text
    assert json.dumps(list(trace(G, "国发〔2015〕1号")["by_level"])) == json.dumps(list(LEVELS[1:]))

"""Export a graph: GraphML and GEXF for Gephi, JSON Lines, and neo4j-admin import CSV.

Gephi and neo4j-admin take only scalar attributes: lists are joined (" | " for Gephi, ";" for Neo4j
arrays), mentions become a JSON string plus a count, and a missing value is left out rather than written
as None.
"""
from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import networkx as nx

from polgraph.errors import InputError
from polgraph.output import atomic_output, display
from polgraph.vocabulary import level_info

FORMATS = ("graphml", "gexf", "jsonl", "neo4j-csv")
NODE_LIST_PROPS = ("aliases", "issuer", "carries")
NODE_SCALAR_PROPS = ("title", "doc_number", "date", "level", "region", "path", "label")
NEO4J_NODE_HEADER = ["id:ID(Document)", ":LABEL", "title", "doc_number", "aliases:string[]", "issuer:string[]",
                     "date", "year:int", "level", "region", "in_corpus:boolean", "path", "carries:string[]",
                     "label", "number_key", "file_name", "file_stem", "title_keys:string[]", "search_text"]
NEO4J_REL_HEADER = [":START_ID(Document)", ":END_ID(Document)", ":TYPE", "method", "score:float",
                    "mention_count:int", "cues:string[]", "flags:string[]", "mentions_json"]


def _mentions_json(mentions) -> str:
    return json.dumps(mentions or [], ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _cues(mentions) -> list[str]:
    return sorted({m.get("cue") for m in mentions or [] if m.get("cue")})


# What XML 1.0 forbids (C0 controls but tab/newline/CR, surrogates, U+FFFE/U+FFFF), plus DEL and the C1
# controls it only discourages: scraped titles carry \x08 or \x1b, and Gephi refuses such files.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """`value` with the characters XML cannot carry removed; a surrogate-escaped byte of a non-UTF-8 file
    name is kept visible as \\xNN. Non-strings pass through."""
    if not isinstance(value, str) or not _NOT_XML.search(value):
        return value
    return _NOT_XML.sub("", display(value))


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `G` with only str/int/float/bool attribute values, every string fit for XML 1.0, for GraphML
    and GEXF."""
    H = nx.MultiDiGraph()
    H.graph["created_by"] = "polgraph"
    for n in sorted(G.nodes):
        attrs = {}
        for k, v in G.nodes[n].items():
            if v is None:
                continue
            if isinstance(v, (list, tuple)):
                v = " | ".join(str(x) for x in v)
            elif not isinstance(v, (str, int, float, bool)):
                v = json.dumps(v, ensure_ascii=False, sort_keys=True)
            attrs[xml_text(k)] = xml_text(v)
        H.add_node(xml_text(n), **attrs)
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        mentions = d.get("mentions") or []
        attrs = {"id": f"{u}|{v}|{k}", "relation": d.get("relation", k), "method": d.get("method") or "",
                 "score": float(d.get("score") or 0.0), "mention_count": len(mentions),
                 "cues": " | ".join(_cues(mentions)), "flags": " | ".join(d.get("flags") or []),
                 "mentions_json": _mentions_json(mentions)}
        H.add_edge(xml_text(u), xml_text(v), key=xml_text(k), **{a: xml_text(x) for a, x in attrs.items()})
    return H


def write_jsonl(G: nx.MultiDiGraph, path) -> None:
    """Nodes then edges, one JSON object per line, sorted; nodes have "type": "node", edges "type": "edge"."""
    with atomic_output(path) as f:
        for n in sorted(G.nodes):
            f.write(json.dumps({"type": "node", "id": n, **G.nodes[n]}, ensure_ascii=False, sort_keys=True) + "\n")
        for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
            f.write(json.dumps({"type": "edge", "source": u, "target": v, "key": k, **d}, ensure_ascii=False,
                               sort_keys=True) + "\n")


def _one_line(v) -> str:
    return " ".join(str(v).split()) if v is not None else ""


def _array(values) -> str:
    # neo4j-admin splits arrays on ';', so an item must not contain one
    return ";".join(_one_line(x).replace(";", "；") for x in values or [] if x is not None and str(x).strip())


def neo4j_label(d: dict) -> str:
    """`Document;<Level>` (+ `;Placeholder`) for the :LABEL column."""
    label = "Document;" + level_info(d.get("level")).neo4j_label  # data/levels.tsv, as `load` labels it
    return label + ("" if d.get("in_corpus") else ";Placeholder")


def neo4j_node_row(n: str, d: dict) -> list:
    """One row of nodes.csv (NEO4J_NODE_HEADER) for node `n` with attributes `d`, its look-up properties
    (graph/neo4j_store.py: LOOKUP_PROPERTIES) included, so an imported database answers `trace` by index."""
    from polgraph.graph.neo4j_store import lookup_properties

    look = lookup_properties(d)
    return [n, neo4j_label(d), _one_line(d.get("title")) or None, d.get("doc_number"),
            _array(d.get("aliases")), _array(d.get("issuer")), d.get("date"),
            "" if d.get("year") is None else int(d["year"]), d.get("level") or "unknown",
            d.get("region"), "true" if d.get("in_corpus") else "false", d.get("path"),
            _array(d.get("carries")), _one_line(d.get("label")), look["number_key"], look["file_name"],
            look["file_stem"], _array(look["title_keys"]), look["search_text"]]


def neo4j_relationship_row(u: str, v: str, k: str, d: dict) -> list:
    """One row of relationships.csv (NEO4J_REL_HEADER) for the edge (u, v, k) with attributes `d`."""
    mentions = d.get("mentions") or []
    return [u, v, k, d.get("method"), float(d.get("score") or 0.0), len(mentions), _array(_cues(mentions)),
            _array(d.get("flags")), _mentions_json(mentions)]


def write_neo4j_csv(G: nx.MultiDiGraph, folder) -> list[str]:
    """nodes.csv and relationships.csv for `neo4j-admin database import full` (default ',' and ';')."""
    return write_neo4j_csv_rows(((n, G.nodes[n]) for n in sorted(G.nodes)),
                                sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])), folder)


def write_neo4j_csv_rows(node_items, edge_items, folder) -> list[str]:
    """nodes.csv and relationships.csv of (id, attributes) and (source, target, key, attributes) items, written
    as they come (graph/stream.py streams them from records)."""
    folder = Path(folder)
    folder.mkdir(exist_ok=True)
    nodes_path, rels_path = folder / "nodes.csv", folder / "relationships.csv"
    with atomic_output(nodes_path, newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(NEO4J_NODE_HEADER)
        for n, d in node_items:
            w.writerow(neo4j_node_row(n, d))
    with atomic_output(rels_path, newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(NEO4J_REL_HEADER)
        for u, v, k, d in edge_items:
            w.writerow(neo4j_relationship_row(u, v, k, d))
    return [str(nodes_path), str(rels_path)]


def export_streamed(paths, output, jobs: int = 1, quiet: bool = False) -> tuple[list[str], list]:
    """neo4j-admin CSV of a corpus (documents or extract JSON Lines) made from its records in two passes
    (graph/stream.py), never holding the graph: the rows `export_graph(build(...), "neo4j-csv")` writes.
    Returns the files written and the paths extraction skipped."""
    from polgraph.graph.stream import StreamedGraph

    output = str(output)
    if os.path.exists(output) and not os.path.isdir(output):
        raise InputError(output, "neo4j-csv writes a folder, and this is a file")
    with StreamedGraph(paths, jobs=jobs, quiet=quiet) as g:
        try:
            return write_neo4j_csv_rows(g.node_items(), g.edge_items(), output), g.skipped
        except OSError as e:
            raise InputError(output, f"cannot write: {e.strerror or e}") from None


def export_graph(G: nx.MultiDiGraph, fmt: str, output) -> list[str]:
    """Write `G` in `fmt` (graphml, gexf, jsonl, neo4j-csv) to `output` (a folder for neo4j-csv)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    output = str(output)
    try:
        if fmt == "neo4j-csv":
            if os.path.exists(output) and not os.path.isdir(output):
                raise InputError(output, "neo4j-csv writes a folder, and this is a file")
            return write_neo4j_csv(G, output)
        if os.path.isdir(output):
            raise InputError(output, f"{fmt} writes a file, and this is a folder")
        if fmt == "jsonl":
            write_jsonl(G, output)
        elif fmt == "graphml":
            H = flat_graph(G)
            with atomic_output(output, "wb") as f:
                nx.write_graphml(H, f, encoding="utf-8", prettyprint=True, edge_id_from_attribute="id")
        else:
            H = flat_graph(G)
            with atomic_output(output, "wb") as f:
                nx.write_gexf(H, f, encoding="utf-8", prettyprint=True)
    except OSError as e:
        raise InputError(output, f"cannot write: {e.strerror or e}") from None
    return [output]

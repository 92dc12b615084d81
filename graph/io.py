"""Graph files (node-link JSON written by `polgraph build`) and opening any SOURCE as a graph.

A SOURCE is a graph file, or a corpus: files and folders of documents, or `polgraph extract` JSON Lines
(lines with "citations"), which are built directly without extracting again.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx

from polgraph.errors import InputError

GRAPH_FORMAT = "polgraph-graph"
GRAPH_VERSION = 1


def _sorted_node_link(G: nx.MultiDiGraph) -> dict:
    data = nx.node_link_data(G, edges="edges")
    data["nodes"].sort(key=lambda n: n["id"])
    data["edges"].sort(key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def _graph_data(G: nx.MultiDiGraph) -> dict:
    data = _sorted_node_link(G)
    data["format"] = GRAPH_FORMAT
    data["version"] = GRAPH_VERSION
    return data


_JSON_ARGS = {"ensure_ascii": False, "sort_keys": True, "indent": 1}


def graph_to_json(G: nx.MultiDiGraph) -> str:
    """The graph as node-link JSON text: nodes and edges sorted, keys sorted; same graph → same bytes."""
    return json.dumps(_graph_data(G), **_JSON_ARGS) + "\n"


def save_graph(G: nx.MultiDiGraph, path) -> None:
    """Write `G` as node-link JSON (UTF-8); written to a temporary file first so a crash leaves no half file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(_graph_data(G), f, **_JSON_ARGS)  # streamed: no second copy of the text in memory
            f.write("\n")
        os.replace(tmp, path)
    except OSError as e:
        raise InputError(path, f"cannot write the graph: {e.strerror or e}") from None


def graph_from_json(data: dict, path="<graph>") -> nx.MultiDiGraph:
    if data.get("format") != GRAPH_FORMAT:
        raise InputError(path, "not a polgraph graph file (write one with `polgraph build`)")
    try:
        G = nx.node_link_graph({k: v for k, v in data.items() if k not in ("format", "version")},
                               directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError, nx.NetworkXError) as e:
        raise InputError(path, f"malformed graph file: {e}") from None
    return G


def load_graph(path) -> nx.MultiDiGraph:
    """Read a graph file written by `save_graph`."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except UnicodeDecodeError:
        raise InputError(path, "graph file is not UTF-8") from None
    except json.JSONDecodeError as e:
        raise InputError(path, f"graph file is not valid JSON (line {e.lineno}: {e.msg})") from None
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}") from None
    if not isinstance(data, dict):
        raise InputError(path, "not a polgraph graph file (write one with `polgraph build`)")
    return graph_from_json(data, path)


def _head(path: str, n: int = 4096) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(n)
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}") from None


def is_graph_file(path) -> bool:
    """A polgraph graph file (JSON object with the polgraph format marker)."""
    p = str(path)
    if not os.path.isfile(p):
        return False
    head = _head(p).lstrip()
    if not head.startswith(b"{"):
        return False
    # keys are written sorted, so a graph file opens with "directed"; the format marker is checked on load.
    # Any other JSON object in a .json file is meant as a graph too: better a clear "not a graph file" than
    # reading it as the text of a policy document.
    return (head.startswith(b'{\n "directed"') or head.startswith(b'{"directed"')
            or p.lower().endswith(".json"))


def is_records_file(path) -> bool:
    """`polgraph extract` JSON Lines: the first non-empty line is an object with "citations"."""
    p = str(path)
    if not os.path.isfile(p) or not p.endswith((".jsonl", ".json", ".ndjson")):
        return False
    with open(p, "rb") as f:
        for line in f:
            if line.strip():
                try:
                    obj = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    return False
                return isinstance(obj, dict) and "citations" in obj
    return False


def read_records(path) -> list[dict]:
    """The records of a `polgraph extract` JSON Lines file; a malformed line is an InputError naming it."""
    out = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(path, f"line {i}: not valid JSON ({e.msg})") from None
            if not isinstance(rec, dict) or not isinstance(rec.get("citations"), list):
                raise InputError(path, f"line {i}: not an extraction record (no \"citations\" list)")
            if not rec.get("path"):
                rec["path"] = f"{path}:{i}"
            out.append(rec)
    return out


def records_from_paths(paths: list[str], jobs: int = 1, quiet: bool = False) -> tuple[list[dict], list]:
    """Records of the given corpus paths: extract JSON Lines read as they are, everything else extracted."""
    records: list[dict] = []
    to_extract: list[str] = []
    for p in paths:
        if is_records_file(p):
            records.extend(read_records(p))
        elif is_graph_file(p):
            raise InputError(p, "a graph file cannot be mixed with corpus paths; give it alone")
        else:
            to_extract.append(p)
    skipped: list = []
    if to_extract:
        from polgraph.extract.pipeline import extract_paths

        extracted, skipped = extract_paths(to_extract, jobs=jobs, quiet=quiet)
        records.extend(extracted)
    return records, list(skipped)


def open_graph(paths, jobs: int = 1, quiet: bool = False) -> nx.MultiDiGraph:
    """A graph file written by `polgraph build`, or a corpus (files, folders, extract JSON Lines) built now."""
    paths = [str(p) for p in paths]
    if len(paths) == 1 and is_graph_file(paths[0]) and not is_records_file(paths[0]):
        return load_graph(paths[0])
    from polgraph.graph.build import build_graph

    records, skipped = records_from_paths(paths, jobs=jobs, quiet=quiet)
    if not records:
        where = paths[0] if len(paths) == 1 else f"{len(paths)} paths"
        reason = "no readable document" + (f" ({len(skipped)} skipped)" if skipped else "")
        if skipped:
            reason += ": " + "; ".join(f"{p}: {r}" for p, r in list(skipped)[:3])
        raise InputError(where, reason)
    G = build_graph(records, jobs=jobs, quiet=quiet)
    G.graph["skipped"] = [[str(p), str(r)] for p, r in skipped]
    return G

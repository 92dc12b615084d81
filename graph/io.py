"""The files of the graph stage: graph files (node-link JSON written by `polgraph build`) and `polgraph extract`
JSON Lines (records read back without extracting again).

A graph file is validated on load (format marker, version, node and edge shapes and attribute types, unique ids,
edges between existing nodes); a UTF-8 byte-order mark is accepted. A file named with a `.json` extension is always
a graph file (or extract records), never the text of a document: a JSON file that is not a valid graph is refused
with the reason.

Opening any SOURCE (a graph file, or a corpus of documents and records) as a graph is `build.open_graph`: this
module only reads and writes files, so it imports no other stage.
"""
from __future__ import annotations

import io
import json
import operator
import os
import sys

import networkx as nx

from polgraph.errors import InputError
from polgraph.graph.model import LEVELS
from polgraph.output import atomic_output

GRAPH_FORMAT = "polgraph-graph"
GRAPH_VERSION = 1


_JSON_ARGS = {"ensure_ascii": False, "sort_keys": True, "indent": 1}
_string = json.encoder.encode_basestring  # the C encoder json itself uses with ensure_ascii=False


def _json(value, indent: str) -> str:
    """`value` as `json.dumps(value, **_JSON_ARGS)` writes it at indentation `indent` (same bytes), built from
    C-encoded strings and joins: json's own indented encoder is pure Python and took most of a save's time."""
    t = type(value)
    if t is str:
        return _string(value)
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return int.__repr__(value)
    if t is float and value == value and value not in (float("inf"), float("-inf")):
        return float.__repr__(value)
    if t is list or t is tuple:
        if not value:
            return "[]"
        inner = indent + " "
        return "[\n" + inner + (",\n" + inner).join([_json(x, inner) for x in value]) + "\n" + indent + "]"
    if t is dict and all(type(k) is str for k in value):
        if not value:
            return "{}"
        inner = indent + " "
        return "{\n" + inner + (",\n" + inner).join(
            [_string(k) + ": " + _json(value[k], inner) for k in sorted(value)]) + "\n" + indent + "}"
    return json.dumps(value, **_JSON_ARGS).replace("\n", "\n" + indent)


def write_node_link(f, graph_attrs: dict, nodes, edges) -> None:
    """Write a graph file to the text file `f` as it streams: `nodes` yields (id, attributes) sorted by id,
    `edges` (source, target, key, attributes) sorted by (source, target, key). The bytes are those of
    `json.dumps(node_link_data, sort_keys=True, indent=1, ensure_ascii=False)` without ever holding that
    document or its text; only one node or edge is encoded at a time."""
    write_node_link_texts(f, graph_attrs, (node_json(n, attrs) for n, attrs in nodes),
                          (_edge_json(u, v, k, attrs) for u, v, k, attrs in edges))


def write_node_link_texts(f, graph_attrs: dict, node_texts, edge_texts) -> None:
    """`write_node_link` of nodes and edges already encoded (node_json, edge_values_json), in the same order."""
    f.write('{\n "directed": true,\n "edges": ')
    _write_items(f, edge_texts)
    f.write(f',\n "format": {_string(GRAPH_FORMAT)},\n "graph": {_json(graph_attrs, " ")},\n "multigraph": true,'
            '\n "nodes": ')
    _write_items(f, node_texts)
    f.write(f",\n \"version\": {GRAPH_VERSION}\n}}\n")


def write_node_link_chunks(f, graph_attrs: dict, node_chunks, edge_chunks) -> None:
    """`write_node_link_texts` of nodes and edges already encoded and given as lists of texts (chunks), in
    the same order: one join and one write a chunk, nothing per item."""
    f.write('{\n "directed": true,\n "edges": ')
    _write_chunks(f, edge_chunks)
    f.write(f',\n "format": {_string(GRAPH_FORMAT)},\n "graph": {_json(graph_attrs, " ")},\n "multigraph": true,'
            '\n "nodes": ')
    _write_chunks(f, node_chunks)
    f.write(f",\n \"version\": {GRAPH_VERSION}\n}}\n")


def _write_chunks(f, chunks) -> None:
    """A JSON list at the second level of indentation of the items of `chunks` (lists of encoded items)."""
    first = True
    for chunk in chunks:
        if chunk:
            f.write(("[\n  " if first else ",\n  ") + ",\n  ".join(chunk))
            first = False
    f.write("[]" if first else "\n ]")


def _write_items(f, texts) -> None:
    """A JSON list of already encoded items at the second level of indentation, written in chunks."""
    chunk: list[str] = []
    first = True
    for text in texts:
        chunk.append(text)
        if len(chunk) >= 4000:
            f.write(("[\n  " if first else ",\n  ") + ",\n  ".join(chunk))
            chunk, first = [], False
    if chunk:
        f.write(("[\n  " if first else ",\n  ") + ",\n  ".join(chunk))
        first = False
    f.write("[]" if first else "\n ]")


# The shapes `polgraph build` writes (graph/model.py), encoded by templates; anything else goes through _json.
# The fields in the order the file writes them (sorted keys), for the *_values_json encoders.
NODE_FIELDS = ("aliases", "carries", "date", "doc_number", "effective", "expires", "first_date", "in_corpus", "issuer",
               "label", "level", "path", "region", "title", "validity", "void_on", "year")
MENTION_FIELDS = ("cited_issuer", "cue", "doc_number", "end", "method", "path", "score", "sentence", "start",
                  "title")
_NODE_KEYS = frozenset(NODE_FIELDS)
_EDGE_KEYS = frozenset(("relation", "method", "score", "mentions", "flags"))
_MENTION_KEYS = frozenset(MENTION_FIELDS)
_node_values = operator.itemgetter(*NODE_FIELDS)
_MAX_FLOAT = sys.float_info.max  # beyond it (inf) and NaN json writes Infinity, NaN: not float.__repr__
_mention_values = operator.itemgetter(*MENTION_FIELDS)


class StringTexts(dict):
    """The JSON text of each string asked (`texts[s]`), kept: for the values a graph repeats (relations,
    methods, cues, issuers, dates, levels), a dict lookup instead of encoding the string again. None is
    "null"; anything else that is not a string raises TypeError (the callers' fallback to `_json`): only
    strings and None are ever keys, so no other value can find an entry (1 == 1.0 == True do not meet a str)."""

    __slots__ = ()

    def __init__(self):
        super().__init__(((None, "null"),))

    def __missing__(self, s):
        text = self[s] = _string(s)  # TypeError unless s is a str
        return text


class FloatTexts(dict):
    """float.__repr__ of each finite float asked (`texts[x]`, the caller has checked `type(x) is float`),
    kept; 0.0 and -0.0 (equal keys, different texts) are never kept. inf and NaN raise TypeError (json writes
    Infinity, NaN: the callers' fallback)."""

    __slots__ = ()

    def __missing__(self, x):
        if not -_MAX_FLOAT <= x <= _MAX_FLOAT:
            raise TypeError("not a finite float")
        text = float.__repr__(x)
        if x:
            self[x] = text
        return text


def _v3(x) -> str:
    return _string(x) if type(x) is str else "null" if x is None else _json(x, "   ")


def _v5(x) -> str:
    return _string(x) if type(x) is str else "null" if x is None else _json(x, "     ")


def _strings3(items) -> str:
    """A list of strings as the value of a key at the third level."""
    if type(items) is tuple or type(items) is list:
        if len(items) == 1 and type(items[0]) is str:  # most issuers and aliases
            return "[\n    " + _string(items[0]) + "\n   ]"
        if not items:
            return "[]"
        if all(type(x) is str for x in items):
            return "[\n    " + ",\n    ".join([_string(x) for x in items]) + "\n   ]"
    return _json(items, "   ")


# The encoders below encode a string or None in line (`_string(x) if x is not None else "null"`) and fall back to
# _json on anything else: encode_basestring raises TypeError on a value that is not a string, and the whole item
# is then encoded as json.dumps would. A `type(x) is str` test per value cost a tenth of a save.

def node_values_json(nid, aliases, carries, date, doc_number, effective, expires, first_date, in_corpus, issuer, label,
                     level, path, region, title, validity, void_on, year) -> str:
    """A node of a graph file from its id and attribute values (NODE_FIELDS order), as json.dumps writes it."""
    try:
        # the label is the 文号 or the title, and what a document carries most often its aliases too (build
        # shares one object for equal strings and tuples): the same object is encoded once
        title_text = _string(title) if title is not None else "null"
        number_text = _string(doc_number) if doc_number is not None else "null"
        aliases_text = _strings3(aliases) if aliases else "[]" if aliases == () else _v3(aliases)
        return (f'{{\n   "aliases": {aliases_text},'
                f'\n   "carries": {aliases_text if carries is aliases else _strings3(carries) if carries else "[]" if carries == () else _v3(carries)},'
                f'\n   "date": {_string(date) if date is not None else "null"},'
                f'\n   "doc_number": {number_text},'
                f'\n   "effective": {_string(effective) if effective is not None else "null"},'
                f'\n   "expires": {_string(expires) if expires is not None else "null"},'
                f'\n   "first_date": {_string(first_date) if first_date is not None else "null"},'
                f'\n   "id": {_string(nid)},'
                f'\n   "in_corpus": {"true" if in_corpus is True else "false" if in_corpus is False else _v3(in_corpus)},'
                f'\n   "issuer": {_strings3(issuer) if issuer else "[]" if issuer == () else _v3(issuer)},'
                f'\n   "label": {title_text if label is title else number_text if label is doc_number else _string(label) if label is not None else "null"},'
                f'\n   "level": {_string(level) if level is not None else "null"},'
                f'\n   "path": {_string(path) if path is not None else "null"},'
                f'\n   "region": {_string(region) if region is not None else "null"},'
                f'\n   "title": {title_text},'
                f'\n   "validity": {_string(validity) if validity is not None else "null"},'
                f'\n   "void_on": {_string(void_on) if void_on is not None else "null"},'
                f'\n   "year": {int.__repr__(year) if type(year) is int else "null" if year is None else _v3(year)}\n  }}')
    except TypeError:
        return _json(dict(zip(NODE_FIELDS + ("id",), (aliases, carries, date, doc_number, effective, expires,
                                                      first_date, in_corpus, issuer, label, level, path, region,
                                                      title, validity, void_on, year, nid))), "  ")


def node_json(nid, a: dict) -> str:
    """A node of a graph file from its id and attributes, as json.dumps writes it."""
    if a.keys() != _NODE_KEYS:
        return _json({**a, "id": nid}, "  ")
    return node_values_json(nid, *_node_values(a))


def mention_values_json(cited_issuer, cue, doc_number, end, method, path, score, sentence, start, title) -> str:
    """A mention of an edge from its values (MENTION_FIELDS order), as json.dumps writes it."""
    try:
        return (f'{{\n     "cited_issuer": {_string(cited_issuer) if cited_issuer is not None else "null"},'
                f'\n     "cue": {_string(cue) if cue is not None else "null"},'
                f'\n     "doc_number": {_string(doc_number) if doc_number is not None else "null"},'
                f'\n     "end": {int.__repr__(end) if type(end) is int else _v5(end)},'
                f'\n     "method": {_string(method) if method is not None else "null"},'
                f'\n     "path": {_string(path) if path is not None else "null"},'
                f'\n     "score": {float.__repr__(score) if type(score) is float and -_MAX_FLOAT <= score <= _MAX_FLOAT else _v5(score)},'
                f'\n     "sentence": {_string(sentence) if sentence is not None else "null"},'
                f'\n     "start": {int.__repr__(start) if type(start) is int else _v5(start)},'
                f'\n     "title": {_string(title) if title is not None else "null"}\n    }}')
    except TypeError:
        return _json(dict(zip(MENTION_FIELDS, (cited_issuer, cue, doc_number, end, method, path, score, sentence,
                                               start, title))), "    ")


def _mention_json(m) -> str:
    if type(m) is not dict or m.keys() != _MENTION_KEYS:
        return _json(m, "    ")
    return mention_values_json(*_mention_values(m))


def edge_values_json(flags, relation, method, score, source, target, mention: str | None, more_mentions: str = "") \
        -> str:
    """An edge of a graph file (its key is its relation) from its values, its mentions already encoded
    (mention_values_json): the first, or None for none, and the others each after ",\n    ", as json.dumps
    writes it. The mentions are given as text, not as a list: most edges have one, and a list and its join per
    edge cost a tenth of the edges' encoding."""
    if type(source) is not str or type(target) is not str or type(relation) is not str:
        raise TypeError("edge_values_json: source, target and relation must be strings")
    relation_text = _string(relation)
    opening, closing = ("[\n    ", "\n   ]") if mention is not None else ("[]", "")
    return (f'{{\n   "flags": {_strings3(flags) if flags else "[]" if flags == [] or flags == () else _v3(flags)},'
            f'\n   "key": {relation_text},'
            f'\n   "mentions": {opening}{mention or ""}{more_mentions}{closing},'
            f'\n   "method": {_string(method) if type(method) is str else _v3(method)},'
            f'\n   "relation": {relation_text},'
            f'\n   "score": {float.__repr__(score) if type(score) is float and -_MAX_FLOAT <= score <= _MAX_FLOAT else _v3(score)},'
            f'\n   "source": {_string(source)},\n   "target": {_string(target)}\n  }}')


def mentions_args(texts: list[str]) -> tuple[str | None, str]:
    """The (mention, more_mentions) arguments of edge_values_json for a list of encoded mentions."""
    return (texts[0] if texts else None), "".join([",\n    " + t for t in texts[1:]])


def _edge_json(u, v, k, a: dict) -> str:
    mentions = a.get("mentions")
    if a.keys() != _EDGE_KEYS or type(mentions) is not list or not all(type(x) is str for x in (u, v, k)) \
            or a["relation"] != k:  # the key is the relation in every graph build writes
        return _json({**a, "source": u, "target": v, "key": k}, "  ")
    return edge_values_json(a["flags"], k, a["method"], a["score"], u, v,
                            *mentions_args([_mention_json(m) for m in mentions]))


def _nx_nodes(G: nx.MultiDiGraph):
    return ((n, G.nodes[n]) for n in sorted(G.nodes))


def _nx_edges(G: nx.MultiDiGraph):
    return ((u, v, k, G.edges[u, v, k]) for u, v, k in sorted(G.edges(keys=True)))


def graph_to_json(G: nx.MultiDiGraph) -> str:
    """The graph as node-link JSON text: nodes and edges sorted, keys sorted; same graph → same bytes."""
    out = io.StringIO()
    write_node_link(out, G.graph, _nx_nodes(G), _nx_edges(G))
    return out.getvalue()


def save_graph(G: nx.MultiDiGraph, path) -> None:
    """Write `G` as node-link JSON (UTF-8), streamed; written to a temporary file first so a crash leaves no
    half file."""
    with atomic_output(path) as f:
        write_node_link(f, G.graph, _nx_nodes(G), _nx_edges(G))


_NODE_STR = ("title", "doc_number", "date", "region", "path", "label", "validity", "void_on")
_NODE_STR_LIST = ("aliases", "issuer", "carries")
_TYPE_NAMES = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
               bool: "true/false", type(None): "null"}


def _kind(value) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_node(i: int, node) -> str | None:
    """Why node `i` of a graph file is malformed, or None."""
    if not isinstance(node, dict):
        return f"node {i} is {_kind(node)}, not an object"
    nid = node.get("id")
    if not isinstance(nid, str) or not nid:
        return f"node {i} has no string \"id\" (got {_kind(nid)})"
    where = f"node {_short(nid)}"
    for key in _NODE_STR:
        if node.get(key) is not None and not isinstance(node[key], str):
            return f"{where}: \"{key}\" must be a string, not {_kind(node[key])}"
    for key in _NODE_STR_LIST:
        v = node.get(key)
        if v is not None and (not isinstance(v, list) or not all(isinstance(x, str) for x in v)):
            return f"{where}: \"{key}\" must be a list of strings"
    if node.get("level") is not None and node["level"] not in LEVELS:
        got = _short(node["level"]) if isinstance(node["level"], str) else _kind(node["level"])
        return f"{where}: \"level\" must be one of {', '.join(LEVELS)} (got {got})"
    year = node.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        return f"{where}: \"year\" must be a whole number, not {_kind(year)}"
    if node.get("in_corpus") is not None and not isinstance(node["in_corpus"], bool):
        return f"{where}: \"in_corpus\" must be true or false, not {_kind(node['in_corpus'])}"
    return None


def _check_edge(i: int, edge, ids: set) -> str | None:
    """Why edge `i` of a graph file is malformed, or None."""
    if not isinstance(edge, dict):
        return f"edge {i} is {_kind(edge)}, not an object"
    for end in ("source", "target"):
        if not isinstance(edge.get(end), str):
            return f"edge {i}: \"{end}\" must be a node id string, not {_kind(edge.get(end))}"
        if edge[end] not in ids:
            return f"edge {i}: {end} {_short(edge[end])} is not a node of the file"
    where = f"edge {i} ({_short(edge['source'])} -> {_short(edge['target'])})"
    for key in ("key", "relation", "method"):
        if edge.get(key) is not None and not isinstance(edge[key], str):
            return f"{where}: \"{key}\" must be a string, not {_kind(edge[key])}"
    score = edge.get("score")
    if score is not None and (not isinstance(score, (int, float)) or isinstance(score, bool)):
        return f"{where}: \"score\" must be a number, not {_kind(score)}"
    mentions = edge.get("mentions")
    if mentions is not None and (not isinstance(mentions, list) or not all(isinstance(m, dict) for m in mentions)):
        return f"{where}: \"mentions\" must be a list of objects"
    flags = edge.get("flags")
    if flags is not None and (not isinstance(flags, list) or not all(isinstance(x, str) for x in flags)):
        return f"{where}: \"flags\" must be a list of strings"
    return None


def graph_problem(data) -> str | None:
    """Why `data` (a parsed graph file) is not a graph `polgraph build` could have written, or None."""
    if not isinstance(data, dict):
        return f"not a polgraph graph file: a JSON {'array' if isinstance(data, list) else _kind(data)}, " \
               f"not an object (write one with `polgraph build`)"
    if data.get("format") != GRAPH_FORMAT:
        return f"not a polgraph graph file: no \"format\": \"{GRAPH_FORMAT}\" (write one with `polgraph build`)"
    if data.get("version") != GRAPH_VERSION:
        return f"graph file version {_short(data.get('version'))} is not supported (this polgraph reads " \
               f"version {GRAPH_VERSION}; rebuild it with `polgraph build`)"
    for key in ("nodes", "edges"):
        if not isinstance(data.get(key), list):
            return f"malformed graph file: \"{key}\" must be a list, not {_kind(data.get(key))}"
    if "graph" in data and not isinstance(data["graph"], dict):
        return f"malformed graph file: \"graph\" must be an object, not {_kind(data['graph'])}"
    ids: set = set()
    for i, node in enumerate(data["nodes"]):
        problem = _check_node(i, node)
        if problem:
            return f"malformed graph file: {problem}"
        if node["id"] in ids:
            return f"malformed graph file: node id {_short(node['id'])} appears twice"
        ids.add(node["id"])
    seen_edges: set = set()
    for i, edge in enumerate(data["edges"]):
        problem = _check_edge(i, edge, ids)
        if problem:
            return f"malformed graph file: {problem}"
        triple = (edge["source"], edge["target"], edge.get("key"))
        if triple in seen_edges:
            return f"malformed graph file: edge {i} repeats {_short(list(triple))}"
        seen_edges.add(triple)
    return None


def graph_from_json(data: dict, path="<graph>") -> nx.MultiDiGraph:
    problem = graph_problem(data)
    if problem:
        raise InputError(path, problem)
    try:
        G = nx.node_link_graph({k: v for k, v in data.items() if k not in ("format", "version")},
                               directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError, nx.NetworkXError) as e:
        raise InputError(path, f"malformed graph file: {e}") from None
    return G


def load_graph(path) -> nx.MultiDiGraph:
    """Read a graph file written by `save_graph` (a UTF-8 byte-order mark is accepted), validated."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(path, "graph file is not UTF-8") from None
    except json.JSONDecodeError as e:
        raise InputError(path, f"graph file is not valid JSON (line {e.lineno}: {e.msg})") from None
    except RecursionError:
        raise InputError(path, "graph file is not valid JSON (nested too deeply)") from None
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}") from None
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
    # Anything in a .json file is meant as a graph: better a clear "not a graph file" (checked on load) than
    # reading JSON as the text of a policy document.
    if p.lower().endswith(".json"):
        return True
    # keys are written sorted, so a graph file opens with "directed"
    head = _head(p).removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b'{\n "directed"') or head.startswith(b'{"directed"')


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


def iter_records(path):
    """The records of a `polgraph extract` JSON Lines file, one at a time (a corpus larger than memory streams
    through the build); a malformed line is an InputError naming it."""
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
            yield rec


def read_records(path) -> list[dict]:
    """The records of a `polgraph extract` JSON Lines file (iter_records, as a list)."""
    return list(iter_records(path))

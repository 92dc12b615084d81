"""Build the citation graph from extraction records, and the one way in for "paths or a graph file -> graph":
`build_graph` (records, or paths extracted first) and `open_graph` (a graph file, or a corpus built now).

One node per document; a 印发/转发 notice and the instrument it carries are one node. Citations resolve in
order: normalised 文号, normalised title or alias, placeholder already created for the same number or title,
fuzzy title (with issuer/level/date guards), and otherwise a new placeholder. Nothing compares all pairs.
"""
from __future__ import annotations

import bisect
import contextlib
import gc
import operator
from typing import Iterable

import networkx as nx

from polgraph.errors import InputError
from polgraph.extract.docnumber import number_key  # noqa: F401  (re-exported: callers import it from here)
from polgraph.graph.checks import CHECK_FIELDS, check_flags, check_values
from polgraph.graph.io import (MENTION_FIELDS, NODE_FIELDS, FloatTexts, StringTexts, _string, edge_values_json,
                               is_graph_file, is_records_file, load_graph, mention_values_json, mentions_args,
                               node_json, node_values_json, read_records, save_graph, write_node_link_chunks)
from polgraph.graph.keyindex import (KeyIndex, Link, Node, Resolver, Strings, compatible as _compatible,  # noqa: F401
                                     document_id)
from polgraph.graph.model import METHODS
from polgraph.graph.status import void_candidates, void_from
from polgraph.graph.versions import SUPERSEDES
from polgraph.output import atomic_output
from polgraph.progress import progress

_METHOD_RANK = {m: i for i, m in enumerate(METHODS)}
_target_of = operator.itemgetter(1)
_key_of_item = operator.itemgetter(0)


def _joined_key(item) -> str:
    (u, v, rel), _ = item
    return f"{u}\0{v}\0{rel}"


# The writer reads nodes and edges in id order, which is not the order they lie in memory (build order): one at a
# time, each lookup waits for its cache misses between the encoder's steps. Looked up a batch at a time in a C
# loop (map), the misses of a batch overlap.
_GATHER = 256
_CHUNK = 2048  # items encoded between two writes of the graph file


def _odd():
    """Raised from a value of another type than build writes, in the writer's in-line encoders: the item is
    then encoded by the general encoder (graph/io.py), as json.dumps writes it."""
    raise TypeError("not a value build writes")


def _strings3_flags(flags) -> str:
    """The flags of check_flags (a list of strings) as the value of an edge key."""
    if not flags:
        return "[]"
    return "[\n    " + ",\n    ".join([_string(x) for x in flags]) + "\n   ]"


_check_attrs = operator.attrgetter(*CHECK_FIELDS)
_node_values = operator.attrgetter(*NODE_FIELDS)  # a Node's values in the order the graph file writes them
_mention_values = operator.attrgetter(*MENTION_FIELDS)


def build_graph(paths_or_records, jobs: int = 1, quiet: bool = False) -> nx.MultiDiGraph:
    """Resolve every citation of a corpus and return the citation graph (citing → cited).

    `paths_or_records` is a list of extraction records (dicts) or of paths (files/folders, extracted here).

    >>> from polgraph.extract.find import extract_text
    >>> opinion = extract_text("国务院关于深化改革的意见\\n国发〔2014〕5号\\n\\n现提出如下意见。\\n\\n国务院\\n2014年3月1日\\n")
    >>> plan = extract_text("山西省人民政府关于贯彻落实深化改革意见的实施方案\\n晋政发〔2014〕9号\\n\\n"
    ...                     "为贯彻落实《国务院关于深化改革的意见》（国发〔2014〕5号），制定本方案。\\n")
    >>> G = build_graph([opinion, plan])
    >>> sorted(G.edges(keys=True))
    [('晋政发〔2014〕9号', '国发〔2014〕5号', 'IMPLEMENTS')]
    >>> G.nodes["国发〔2014〕5号"]["level"], G.nodes["国发〔2014〕5号"]["in_corpus"]
    ('central', True)
    >>> G.edges["晋政发〔2014〕9号", "国发〔2014〕5号", "IMPLEMENTS"]["method"]
    'number'
    """
    items = list(paths_or_records)
    skipped: list = []
    if items and not all(isinstance(x, dict) for x in items):
        items, skipped = records_from_paths([str(x) for x in items], jobs=jobs, quiet=quiet)
    G = graph_from_records(items, quiet=quiet)
    G.graph["skipped"] = [[str(p), str(r)] for p, r in skipped]
    return G


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
    """A graph file written by `polgraph build`, or a corpus (files, folders, extract JSON Lines) built now.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "plan.txt").write_text("山西省实施方案\\n晋政发〔2014〕9号\\n\\n根据《国务院关于深化改革的意见》，制定本方案。\\n",
    ...                                      encoding="utf-8")
    >>> G = open_graph([folder])
    >>> [(G.nodes[v]["title"], k, G.nodes[v]["in_corpus"]) for _, v, k in G.edges(keys=True)]
    [('国务院关于深化改革的意见', 'BASED_ON', False)]
    >>> from polgraph.graph.io import save_graph
    >>> save_graph(G, folder / "graph.json")
    >>> sorted(open_graph([folder / "graph.json"]).edges(keys=True)) == sorted(G.edges(keys=True))
    True
    """
    G = open_lean(paths, jobs=jobs, quiet=quiet)
    return G if isinstance(G, nx.MultiDiGraph) else G.to_networkx()


def open_lean(paths, jobs: int = 1, quiet: bool = False):
    """What `open_graph` opens, without making a networkx graph of a corpus: a graph file as its
    MultiDiGraph, a corpus as a LeanGraph (what `polgraph build` writes)."""
    paths = [str(p) for p in paths]
    if len(paths) == 1 and is_graph_file(paths[0]) and not is_records_file(paths[0]):
        return load_graph(paths[0])
    records, skipped = records_from_paths(paths, jobs=jobs, quiet=quiet)
    if not records:
        raise no_documents(paths, skipped)
    G = build_lean(records, quiet=quiet)
    del records
    G.graph["skipped"] = [[str(p), str(r)] for p, r in skipped]
    return G


def no_documents(paths: list[str], skipped) -> InputError:
    """The error for a corpus without one readable document, naming the first files skipped."""
    where = paths[0] if len(paths) == 1 else f"{len(paths)} paths"
    reason = "no readable document" + (f" ({len(skipped)} skipped)" if skipped else "")
    if skipped:
        reason += ": " + "; ".join(f"{p}: {r}" for p, r in list(skipped)[:3])
    return InputError(where, reason)


def write_graph(G, path) -> None:
    """Write a LeanGraph or a networkx graph as a graph file (streamed, atomic)."""
    if isinstance(G, LeanGraph):
        G.write(path)
    else:
        save_graph(G, path)


def graph_from_records(records: Iterable[dict], quiet: bool = False) -> nx.MultiDiGraph:
    """The citation graph of extraction records; same records in any order → same graph."""
    return build_lean(records, quiet=quiet).to_networkx()


def _check_values(node) -> tuple:
    """check_values (graph/checks.py) of a node, a corpus node's read from its slots in one call."""
    return _check_attrs(node) if type(node) is Node else check_values(node)


class Mention:
    """One citation as the graph keeps it: what its evidence says (the `mentions` of an edge, graph/model.py),
    what resolution reads (relation, cited level, anonymised) and, once resolved, its method and score.
    Read like the citation dict it came from (`get`, `[]`); strings shared through `Strings`."""

    __slots__ = ("path", "sentence", "start", "end", "cue", "doc_number", "title", "cited_issuer", "relation",
                 "cited_level", "anonymised", "method", "score")

    def __init__(self, path: str | None, c: dict, s: Strings):
        get = c.get
        keep = s.keep  # keep(x, x): the shared copy of x, one C call
        self.path = path
        self.sentence = get("sentence")
        self.start = s.number(get("start"))
        self.end = s.number(get("end"))
        cue, number, title = get("cue"), get("doc_number"), get("title")
        issuer, relation, level = get("cited_issuer"), get("relation"), get("cited_level")
        self.cue, self.doc_number, self.title = keep(cue, cue), keep(number, number), keep(title, title)
        self.cited_issuer, self.relation = keep(issuer, issuer), keep(relation, relation)
        self.cited_level = keep(level, level)
        self.anonymised = get("anonymised")
        self.method = None
        self.score = None

    def get(self, key: str, default=None):
        return getattr(self, key, default)

    def __getitem__(self, key: str):
        return getattr(self, key)

    def as_dict(self) -> dict:
        """The mention as the graph file writes it."""
        return {"path": self.path, "sentence": self.sentence, "start": self.start, "end": self.end,
                "cue": self.cue, "doc_number": self.doc_number, "title": self.title,
                "cited_issuer": self.cited_issuer, "method": self.method, "score": self.score}


def _mention_order(m: Mention):
    return m.path or "", m.start if m.start is not None else -1


class LeanGraph:
    """The citation graph as `polgraph build` holds it: the same nodes, edges and attributes as the networkx
    graph (graph/model.py), kept compactly. A corpus node's attributes are one `Node` (slots; list attributes as
    tuples, strings shared), a placeholder's a dict; an edge is, under (source, target, relation), its one
    `Mention` or a list [method, score, flags, mention...]. Flags of the checks (graph/checks.py) are computed when the graph is written or
    converted, not stored.

    `write(path)` streams the graph file (the bytes `save_graph(to_networkx())` writes); `to_networkx()` gives
    the MultiDiGraph every other stage reads."""

    def __init__(self, graph: dict, nodes: dict[str, dict], edges: dict[tuple, list]):
        self.graph = graph
        self.nodes = nodes
        self.edges = edges
        # sorted views of the edges, made when first read (graph/status.py walks edges both ways)
        self._sorted: list[tuple] | None = None
        self._sources: list[str] | None = None
        self._by_target: list[tuple] | None = None
        self._targets: list[str] | None = None
        self._writing: list[tuple] | None = None  # the sorted items while _flagged_edges runs

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return len(self.edges)

    def _sorted_edges(self) -> list[tuple]:
        if self._sorted is None:
            # made only when `successors` is asked (void_from of a few void candidates): the writer's sorted
            # items are reused while it runs
            items = self._writing if self._writing is not None else self._sorted_items()
            self._sorted = [kv[0] for kv in items]
            self._sources = [k[0] for k in self._sorted]
        return self._sorted

    def _sorted_items(self) -> list[tuple]:
        """(key, edge) of every edge in (source, target, relation) order."""
        if any("\0" in n for n in self.nodes):  # never from build: ids are 文号 keys and hashes
            items = sorted(self.edges.items(), key=_key_of_item)
        else:
            # one string per key, compared in C: a sort of the key tuples compares them item by item and took
            # twice as long at 1M edges (5.2 s against 2.5 s CPU); "\0" sorts before any character of an id, so
            # the order is the tuples' own
            items = sorted(self.edges.items(), key=_joined_key)
        return items

    def successors(self, node: str):
        """The nodes `node` cites (what graph/status.py reads, as of networkx), each once, sorted."""
        edges = self._sorted_edges()
        i = bisect.bisect_left(self._sources, node)
        out = []
        while i < len(edges) and self._sources[i] == node:
            if not out or out[-1] != edges[i][1]:
                out.append(edges[i][1])
            i += 1
        return out

    def in_edges(self, node: str, keys: bool = True):
        """(source, node, relation) of every edge into `node`, sorted (what graph/status.py reads)."""
        if self._by_target is None:
            # sorted by target alone (string comparisons in C): a tuple key per edge cost 3x as much
            self._by_target = sorted(self.edges, key=_target_of)
            self._targets = [e[1] for e in self._by_target]
        i = bisect.bisect_left(self._targets, node)
        j = bisect.bisect_right(self._targets, node, i)
        into = sorted(self._by_target[i:j]) if j - i > 1 else self._by_target[i:j]
        return into if keys else [e[:2] for e in into]

    def _node_items(self):
        return ((n, self.nodes[n]) for n in sorted(self.nodes))

    def _edge_flags(self) -> dict:
        """The flags of the checks (graph/checks.py) of every edge that has any, by the id of its key (the key
        tuples are the edges dict's own, one object an edge); needs `_writing` (the sorted items) set, for
        void_from. The edges are read in the order they were added, which is the order their objects and
        those of their ends lie in memory: read in id order, each node's check values were a cache miss or
        more (at 300k, 1.1 s against 0.5 s); the flags of most edges are none."""
        nodes = self.nodes
        candidates = void_candidates(nodes, self.edges)
        void: dict = {}
        flagged: dict = {}
        citing_id = citing = None
        for key, e in self.edges.items():
            u, v, rel = key
            if u is not citing_id:  # a record's edges are added together: read the citing node once
                citing_id, citing = u, _check_values(nodes[u])
            if v in candidates:
                if v not in void:
                    void[v] = void_from(self, v)
                void_v = void[v]
            else:
                void_v = None
            cited = nodes[v]  # check values read in line: a call per edge was a tenth of this loop
            flags = check_flags(rel, () if type(e) is Mention else e[2], citing,
                                _check_attrs(cited) if type(cited) is Node else check_values(cited), void_v)
            if flags:
                flagged[id(key)] = flags
        return flagged

    def _flagged_edges(self):
        """(source, target, relation, edge, flags) of every edge, sorted; `edge` as kept (a Mention, or a list
        [method, score, flags, mention...]), `flags` those of the checks (graph/checks.py), a list of its own."""
        self._writing = items = self._sorted_items()
        try:
            flagged = self._edge_flags()
            for key, e in items:
                u, v, rel = key
                yield u, v, rel, e, (flagged.get(id(key)) or []) if flagged else []
        finally:
            self._writing = None

    def _edge_items(self):
        """(source, target, relation, attributes) sorted, with the check flags; attributes made per edge."""
        for u, v, rel, e, flags in self._flagged_edges():
            if type(e) is Mention:
                method, score, mentions = e.method, e.score, [e.as_dict()]
            else:
                method, score, mentions = e[0], e[1], [m.as_dict() for m in e[3:]]
            yield u, v, rel, {"relation": rel, "method": method, "score": score, "mentions": mentions,
                              "flags": flags}

    def _node_chunks(self):
        """The nodes as the graph file writes them, sorted by id, a list of about _CHUNK texts at a time; a
        corpus node read from its slots. The nodes are looked up a batch of ids at a time (_GATHER): read in id
        order, not the order they lie in memory, one at a time each lookup waits for its cache misses between
        the encoder's steps; looked up in a C loop (map), the misses of a batch overlap. (Encoding them in line
        as the edges are, with cached texts of repeated values, measured no faster: the time is the misses.)"""
        nodes = self.nodes
        ids = sorted(nodes)
        chunk: list[str] = []
        append = chunk.append
        for i in range(0, len(ids), _GATHER):
            if len(chunk) >= _CHUNK:
                yield chunk
                chunk = []
                append = chunk.append
            batch = ids[i:i + _GATHER]
            for n, a in zip(batch, list(map(nodes.__getitem__, batch))):
                append(node_values_json(n, *_node_values(a)) if type(a) is Node else node_json(n, a))
        yield chunk

    def _edge_chunks(self):
        """The edges as the graph file writes them, sorted, with the check flags (`_edge_flags`), a list of
        _CHUNK texts at a time. An edge of one mention (nearly all) is one f-string, its method and score
        encoded once for the edge and the mention; values the graph repeats come from the caches of
        io.StringTexts and FloatTexts; a source's text and its mentions' path are encoded once for its edges.
        An edge or mention with a value of another type than build writes goes through edge_values_json /
        mention_values_json (json.dumps's bytes)."""
        strings, floats = StringTexts(), FloatTexts()
        citing_id = source_text = None
        last_path, last_path_text = None, "null"
        chunk: list[str] = []
        append = chunk.append
        self._writing = items = self._sorted_items()
        try:
            flagged = self._edge_flags()
            for key, e in items:
                u, v, rel = key
                if u is not citing_id:
                    citing_id, source_text = u, _string(u)
                flags = flagged.get(id(key)) if flagged else None
                if type(e) is Mention:
                    try:
                        path, start, end, score = e.path, e.start, e.end, e.score
                        if path is not last_path:
                            last_path, last_path_text = path, (_string(path) if path is not None else "null")
                        rel_text, method_text = strings[rel], strings[e.method]
                        score_text = floats[score] if type(score) is float else _odd()
                        append(f'{{\n   "flags": {"[]" if flags is None else _strings3_flags(flags)},'
                               f'\n   "key": {rel_text},'
                               f'\n   "mentions": [\n    {{'
                               f'\n     "cited_issuer": {strings[e.cited_issuer]},'
                               f'\n     "cue": {strings[e.cue]},'
                               f'\n     "doc_number": {_string(e.doc_number) if e.doc_number is not None else "null"},'
                               f'\n     "end": {int.__repr__(end) if type(end) is int else _odd()},'
                               f'\n     "method": {method_text},'
                               f'\n     "path": {last_path_text},'
                               f'\n     "score": {score_text},'
                               f'\n     "sentence": {_string(e.sentence) if e.sentence is not None else "null"},'
                               f'\n     "start": {int.__repr__(start) if type(start) is int else _odd()},'
                               f'\n     "title": {_string(e.title) if e.title is not None else "null"}\n    }}'
                               f'\n   ],'
                               f'\n   "method": {method_text},'
                               f'\n   "relation": {rel_text},'
                               f'\n   "score": {score_text},'
                               f'\n   "source": {source_text},\n   "target": {_string(v)}\n  }}')
                    except TypeError:
                        append(edge_values_json(flags or [], rel, e.method, e.score, u, v,
                                                mention_values_json(*_mention_values(e))))
                else:
                    append(edge_values_json(flags or [], rel, e[0], e[1], u, v,
                                            *mentions_args([mention_values_json(*_mention_values(m)) for m in e[3:]])))
                if len(chunk) >= _CHUNK:
                    yield chunk
                    chunk = []
                    append = chunk.append
            yield chunk
        finally:
            self._writing = None

    def write(self, path) -> None:
        """Write the graph file (node-link JSON), streamed and atomic (polgraph.output.atomic_output)."""
        with _no_cyclic_gc(), atomic_output(path) as f:
            write_node_link_chunks(f, self.graph, self._node_chunks(), self._edge_chunks())

    def to_networkx(self) -> nx.MultiDiGraph:
        G = nx.MultiDiGraph()
        with _no_cyclic_gc():
            G.graph.update(self.graph)
            for n, attrs in self._node_items():
                G.add_node(n, **{k: list(v) if type(v) is tuple else v for k, v in attrs.items()})
            for u, v, rel, attrs in self._edge_items():
                G.add_edge(u, v, key=rel, **attrs)
        return G


@contextlib.contextmanager
def _no_cyclic_gc():
    """Building allocates millions of small objects that live on; the cyclic collector would rescan them all
    again and again (superlinear), and nothing here makes reference cycles worth collecting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_lean(records: Iterable[dict], quiet: bool = False) -> LeanGraph:
    """The citation graph of extraction records (any iterable, read once: a generator streams), as a
    LeanGraph; same records in any order → same graph."""
    with _no_cyclic_gc():
        return _build_lean(records, quiet)


def _build_lean(records: Iterable[dict], quiet: bool) -> LeanGraph:
    strings = Strings()
    index = KeyIndex(strings)
    # pass 1: the key index, and each record's citations kept compactly for pass 2 (the records themselves go)
    kept: list = []
    for rec in records:
        index.add(rec)
        path = str(rec.get("path")) if rec.get("path") is not None else None
        kept.append((strings(rec.get("date")), path,
                     tuple(Mention(path, c, strings) for c in rec.get("citations") or ())))
    index.finish()
    nodes = index.nodes
    resolver = Resolver(index)
    edges: dict[tuple[str, str, str], list] = {}

    def add_edge(link: Link) -> None:
        m = link.citation
        m.method, m.score = link.method, link.score
        key = (link.source, link.target, link.relation)
        e = edges.get(key)
        if e is None:  # most edges have one mention: the edge is that mention until a second one comes
            edges[key] = [link.method, link.score, link.flags, m] if link.flags else m
            return
        if type(e) is Mention:
            e = edges[key] = [e.method, e.score, (), e]
        if _METHOD_RANK[link.method] < _METHOD_RANK[e[0]] or (link.method == e[0] and link.score > e[1]):
            e[0], e[1] = link.method, link.score
        e.append(m)
        for f in link.flags:
            if f not in e[2]:
                e[2] = e[2] + (f,)

    # pass 2: resolution in the canonical order (path, document id)
    with progress(index.order, label="resolving", quiet=quiet) as bar:
        for position in bar:
            date, path, mentions = kept[position]
            kept[position] = None
            for link in resolver.resolve(position, {"date": date, "path": path, "citations": mentions}):
                add_edge(link)
    del kept
    for link in resolver.finish():
        add_edge(link)
    # each version SUPERSEDES the one before it
    for members in index.groups:
        for older, newer in zip(members, members[1:]):
            edges.setdefault((newer, older, SUPERSEDES), ["version", 100.0, ()])
    for e in edges.values():
        if type(e) is list and len(e) > 4:
            e[3:] = sorted(e[3:], key=_mention_order)
    for node in nodes.values():
        if node["title"] in node["aliases"]:
            node["aliases"] = tuple(sorted(set(node["aliases"]) - {node["title"]}))
    all_nodes = {**resolver.placeholders, **nodes}
    graph = {"created_by": "polgraph", "skipped": [], "conflicts": resolver.conflicts,
             "dropped_citations": dict(sorted(resolver.dropped.items())), "merged": index.merged}
    return LeanGraph(graph, all_nodes, edges)

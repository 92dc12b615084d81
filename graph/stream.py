"""A corpus to Neo4j or to neo4j-admin CSV without the graph in memory: two passes over the records.

Pass 1 reads every record into the compact key index (StreamKeyIndex below: graph/keyindex.py's KeyIndex with
its documents' texts and title keys in files); pass 2 reads them again, resolves each record's citations with
the index alone (keyindex.Resolver, the resolver `polgraph build` uses) and spills one line per resolved
citation to a temporary file, which GNU sort orders by (source, target, relation) in bounded memory. The sorted
lines are merged into relationships exactly as `build` merges them (best method, mentions in order, check
flags), so the rows are those of the graph-based export and load.

What stays in memory, per document about 0.6 KB: its id, the attributes resolution and the checks read
(LeanNode: date, issuer, level, region, lifecycle dates), its place in the canonical order, and the hashes of its
title keys (graph/diskindex.py). Its title, aliases, carried titles, path and label are written to a file in
pass 1 and read back, in id order, when its row is written; the records' canonical order (path, document id) and
the merging of a document's duplicate files are done by GNU sort. Besides: the placeholders (one per cited
document the corpus lacks), the edges that change a document (REPEALS, AMENDS, SUPERSEDES) and the targets of
the documents whose title names the document they implement, which the statuses and the cites_void flag read
(graph/status.py). The citations that wait for a placeholder are on disk too.

Extract JSON Lines are read as they are, twice; documents are extracted once into a temporary JSON Lines file
of the run.
"""
from __future__ import annotations

import json
import os
from array import array
from bisect import bisect_left
import shutil
import subprocess
import tempfile
from typing import Iterator

from polgraph.errors import InputError, PolgraphError
from polgraph.extract.docnumber import number_key
from polgraph.graph.build import _no_cyclic_gc
from polgraph.graph.checks import edge_flags
from polgraph.graph.diskindex import DiskTitleIndex
from polgraph.graph.io import is_graph_file, is_records_file, iter_records
from polgraph.graph.keyindex import (TEXT_FIELDS, KeyIndex, LeanNode, Node, Resolver, Strings, document_id,
                                     document_node, merge_attributes, merge_texts, own_number)
from polgraph.graph.model import METHODS
from polgraph.graph.status import (REPEALING, REPLACING, implemented_title, status_of, void_candidates,
                                   void_from)
from polgraph.graph.versions import SUPERSEDES, group_key, version_groups, version_ids
from polgraph.progress import progress

_METHOD_RANK = {m: i for i, m in enumerate(METHODS)}
_CHANGING = frozenset(REPEALING + REPLACING)
# GNU sort's memory for the spilled citations (it merges temporary runs beyond it)
SORT_BUFFER = "256M"
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class RecordSource:
    """The records of corpus paths, readable more than once in the same order: extract JSON Lines as they are,
    other paths (files, folders) extracted once into `workdir`/extracted.jsonl. `skipped` lists what the
    extraction could not read."""

    def __init__(self, paths, workdir: str, jobs: int = 1, quiet: bool = False):
        self.files: list[str] = []
        self.skipped: list = []
        to_extract = []
        for p in map(str, paths):
            if is_records_file(p):
                self.files.append(p)
            elif is_graph_file(p):
                raise InputError(p, "a graph file cannot be streamed; give the documents or extract JSON Lines")
            else:
                to_extract.append(p)
        if to_extract:
            from polgraph.extract.pipeline import write_jsonl

            out = os.path.join(workdir, "extracted.jsonl")
            with open(out, "wb") as f:
                _, _, skipped = write_jsonl(to_extract, f, jobs=jobs, quiet=quiet)
            self.skipped = list(skipped)
            self.files.append(out)

    def count_lines(self) -> int:
        """Lines of the files (about the records: for a progress bar), counted in blocks."""
        n = 0
        for f in self.files:
            with open(f, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    n += block.count(b"\n")
        return max(n, 1)

    def __iter__(self) -> Iterator[dict]:
        for f in self.files:
            yield from iter_records(f)


class _Nodes:
    """Corpus documents, then placeholders, by id (what `build` holds as one dict)."""

    def __init__(self, nodes: dict, placeholders: dict):
        self.nodes, self.placeholders = nodes, placeholders

    def __getitem__(self, node_id: str) -> dict:
        found = self.nodes.get(node_id)
        return found if found is not None else self.placeholders[node_id]

    def __len__(self) -> int:
        return len(self.nodes) + sum(1 for p in self.placeholders if p not in self.nodes)

    def ids(self) -> list[str]:
        nodes = self.nodes
        return sorted(list(nodes) + [p for p in self.placeholders if p not in nodes])


class _WholeNodes:
    """Corpus documents (whole Nodes, their texts read back: StreamKeyIndex.node), then placeholders, by id."""

    def __init__(self, index: "StreamKeyIndex", placeholders: dict):
        self._index, self._placeholders = index, placeholders
        # the node read last (status_of reads its node three times); node_items puts the one it yields here
        self.last: tuple = (None, None)

    def __getitem__(self, node_id: str) -> dict:
        if node_id == self.last[0]:
            return self.last[1]
        if node_id in self._index.nodes:
            node = self._index.node(node_id)
            self.last = (node_id, node)
            return node
        return self._placeholders[node_id]


class _Both:
    """Corpus documents and placeholders, for what reads `items()` of every node once (void_candidates)."""

    def __init__(self, nodes: dict, placeholders: dict):
        self._nodes, self._placeholders = nodes, placeholders

    def items(self):
        yield from self._nodes.items()
        yield from ((n, ph) for n, ph in self._placeholders.items() if n not in self._nodes)


class _ChangingEdges:
    """The part of the graph graph/status.py reads (status_of, void_from): the nodes, the edges that change a
    document (into each node), and what the documents whose title names the document they implement cite
    (implemented_node)."""

    def __init__(self, nodes: _Nodes, into: dict[str, list[tuple[str, str]]], out: dict[str, list[str]]):
        self.nodes, self._into, self._out = nodes, into, out

    def in_edges(self, node: str, keys: bool = True):
        return [(u, node, rel) for u, rel in self._into.get(node, ())]

    def successors(self, node: str):
        return iter(self._out.get(node, ()))


# what a waiting citation's Mention (graph/build.py) is made of, besides the citing record's path
_MENTION_FIELDS = ("sentence", "start", "end", "cue", "doc_number", "title", "cited_issuer", "relation",
                   "cited_level", "anonymised")


class _WaitingCitations:
    """The citations the resolver parks until `Resolver.finish` (those the corpus lacks: about a third of all), on
    disk rather than in memory: one line each as they come, then ordered by (rank, n) with GNU sort; `in_order()`
    gives an iterable that reads the sorted file (again at each iteration: finish reads it twice)."""

    def __init__(self, folder: str):
        self._folder = folder
        self._path = os.path.join(folder, "waiting.tsv")
        self._sorted = self._path + ".sorted"
        self._file = open(self._path, "w", encoding="utf-8", errors="surrogatepass", newline="\n")

    def append(self, entry: tuple) -> None:
        rank, n, position, source, date, path, c = entry
        self._file.write(f"{rank:012d}\t{n:08d}\t" + _COMPACT.encode(
            [position, source, date, path, [c.get(k) for k in _MENTION_FIELDS]]) + "\n")

    def in_order(self) -> "_WaitingCitations":
        self._file.close()
        _sort(["-o", self._sorted, self._path], self._folder, "waiting citations")
        os.unlink(self._path)
        return self

    def __iter__(self) -> Iterator[tuple]:
        from polgraph.graph.build import Mention

        plain = _Plain()
        with open(self._sorted, encoding="utf-8", errors="surrogatepass", newline="\n") as f:
            for line in f:
                rank, n, rest = line.split("\t", 2)
                position, source, date, path, fields = json.loads(rest)
                yield (int(rank), int(n), position, source, date, path,
                       Mention(path, dict(zip(_MENTION_FIELDS, fields)), plain))


def _sortable(text: str) -> str:
    """`text` as a field GNU sort (LC_ALL=C) orders as Python orders the strings: the hex of its UTF-8, which keeps
    code point order (lone surrogates of undecodable file names too, by surrogatepass) and has no tab."""
    return text.encode("utf-8", "surrogatepass").hex()


def _sort(args: list[str], folder: str, what: str) -> None:
    done = subprocess.run(["sort", "-S", SORT_BUFFER, "-T", folder, *args], env={**os.environ, "LC_ALL": "C"})
    if done.returncode != 0:
        raise PolgraphError(f"sort of the {what} failed (exit {done.returncode})")


class StreamKeyIndex(KeyIndex):
    """The key index of a streamed corpus: a KeyIndex whose nodes keep only what resolution and the checks read
    (LeanNode) and whose title index is in files (DiskTitleIndex). The texts (TEXT_FIELDS: title, aliases,
    carries, path, label; ~60% of a document's memory) go to a file in pass 1; `finish` orders the records by
    GNU sort instead of in memory, merges duplicates' texts by node id, and indexes the titles from that file,
    which `texts()` reads again, in id order, for the rows; `node(id)` gives the whole Node of one document.
    `merged` stays empty: a streamed run reports no merged files."""

    def __init__(self, folder: str):
        super().__init__(Strings(), titles=DiskTitleIndex(folder))
        self._folder = folder
        self._bases: list[str] = []  # per record position: its document id, its LeanNode
        self._lean: list[LeanNode] = []
        self._record_texts = open(os.path.join(folder, "record-texts.jsonl"), "w", encoding="utf-8",
                                  errors="surrogatepass", newline="\n")
        self._order_keys = open(os.path.join(folder, "order.tsv"), "w", encoding="ascii", newline="\n")
        self._dated = open(os.path.join(folder, "dated.tsv"), "w", encoding="ascii", newline="\n")
        self._texts_path = os.path.join(folder, "node-texts.jsonl")
        self._text_ids: list[str] = []  # node ids in the order of the texts file (sorted)
        self._text_at = array("q")  # where each one's line starts (and, last, where the file ends)
        self.implementing: set[str] = set()  # documents whose title names the document they implement

    def add(self, record: dict) -> None:
        get = record.get
        # the texts and the 文号 are not put in the Strings table: no other document shares them
        node = document_node({k: v for k, v in record.items() if k not in _RECORD_TEXTS}, self.strings)
        lean = LeanNode()
        for f in lean.__slots__:
            setattr(lean, f, getattr(node, f))
        lean.doc_number = get("doc_number") or None
        title = get("title") or None
        carries = [c for c in get("carries") or () if c]
        path = get("path")
        path = str(path) if path is not None else None
        self._record_texts.write(_COMPACT.encode([
            title, sorted(set(c for c in carries if c != title)), carries, path,
            lean.doc_number or title or str(get("path", ""))]) + "\n")
        number = own_number(record)
        base = self.number_key(number) if number else document_id(record)
        if base == lean.doc_number:
            base = lean.doc_number  # one string for both
        position = len(self._bases)
        key = _sortable(base)
        self._order_keys.write(f"{_sortable(path if path is not None else str(get('path', '')))}\t{key}\t"
                               f"{position:012d}\n")
        date = lean.date or lean.effective
        if date:
            self._dated.write(f"{key}\t{_sortable(date)}\t{position}\n")
        self._bases.append(base)
        self._lean.append(lean)

    def __len__(self) -> int:
        return len(self._bases) or len(self._node_of)

    def number_key(self, written: str) -> str:
        """number_key of a written 文号, the last NUMBER_KEYS written forms remembered (KeyIndex remembers every one:
        ~25 B per document more, and the written strings with them)."""
        key = self._number_keys.get(written)
        if key is None:
            if len(self._number_keys) >= NUMBER_KEYS:
                self._number_keys.clear()
            key = self._number_keys[written] = number_key(written)
        return key

    def finish(self) -> None:
        """KeyIndex.finish, with the canonical order and the duplicates' texts merged by GNU sort."""
        self._record_texts.close()
        self._order_keys.close()
        order_path = self._order_keys.name
        _sort(["-t", "\t", "-k1,1", "-k2,2", "-k3,3", "-o", order_path, order_path], self._folder, "records")
        order = array("l")
        with open(order_path, encoding="ascii") as f:
            order.extend(int(line[line.rindex("\t") + 1:]) for line in f)
        os.unlink(order_path)
        self._set_order(order)
        self.strings.clear()
        lean, self.numbers = self._lean, {base for base, node in zip(self._bases, self._lean) if node.doc_number}
        self._node_of, self._bases = self._versions(self._bases), []
        nodes = self.nodes
        for i in self.order:
            nid = self._node_of[i]
            if nid in nodes:
                merge_attributes(nodes[nid], lean[i])
            else:
                nodes[nid] = lean[i]
        self._lean = []
        self._merge_texts()
        self.groups = version_groups(nodes, self._index_titles(nodes))
        self.group_of = {n: i for i, members in enumerate(self.groups) for n in members}

    def _versions(self, ids: list[str]) -> list[str]:
        """graph/versions.py's version_ids of the records' document ids (`ids`, changed in place): records of one id
        with different dates are versions, the latest keeps the id, an earlier one gets `id@date` -- grouped by GNU
        sort rather than by a dict of every id's latest date."""
        self._dated.close()
        path = self._dated.name
        _sort(["-t", "\t", "-k1,1", "-k2,2", "-o", path, path], self._folder, "dated records")
        with open(path, encoding="ascii") as f:
            group: list[tuple[str, str]] = []
            for line in f:
                key, date, position = line.rstrip("\n").split("\t")
                if group and key != group[0][0]:
                    self._version_group(group, ids)
                    group = []
                group.append((key, date, position))
            self._version_group(group, ids)
        os.unlink(path)
        return ids

    def _version_group(self, group: list, ids: list[str]) -> None:
        """version_ids of the dated records of one document id."""
        positions = [int(position) for _, _, position in group]
        dates = [self._lean[i].date or self._lean[i].effective for i in positions]
        for i, nid in zip(positions, version_ids([ids[i] for i in positions], dates)):
            ids[i] = nid

    def _merge_texts(self) -> None:
        """The texts file of the nodes: every record's texts by (node id, canonical rank), a node's duplicates
        merged into its first file's texts as KeyIndex.finish merges them."""
        by_node = os.path.join(self._folder, "texts-by-node.tsv")
        with open(self._record_texts.name, encoding="utf-8", errors="surrogatepass", newline="\n") as f, \
                open(by_node, "w", encoding="utf-8", errors="surrogatepass", newline="\n") as out:
            for i, line in enumerate(f):
                out.write(f"{_sortable(self._node_of[i])}\t{self._rank[i]:012d}\t{line}")
        os.unlink(self._record_texts.name)
        _sort(["-t", "\t", "-k1,1", "-k2,2", "-o", by_node, by_node], self._folder, "texts")
        ids, at = self._text_ids, self._text_at
        with open(by_node, encoding="utf-8", errors="surrogatepass", newline="\n") as f, \
                open(self._texts_path, "wb") as out:
            def write(nid, texts):
                at.append(out.tell())
                ids.append(nid)
                out.write(_COMPACT.encode([texts[f] for f in TEXT_FIELDS]).encode("utf-8", "surrogatepass") + b"\n")

            # the node's id as the nodes hold it (one string, not a copy decoded from the sort key)
            current, nid, texts = None, None, None
            for line in f:
                key, rank, rest = line.split("\t", 2)
                this = dict(zip(TEXT_FIELDS, json.loads(rest)))
                if key != current:
                    if texts is not None:
                        write(nid, texts)
                    current, nid, texts = key, self._node_of[self.order[int(rank)]], this
                else:
                    merge_texts(texts, this)
            if texts is not None:
                write(nid, texts)
            at.append(out.tell())  # where the last line ends
        os.unlink(by_node)
        self._texts = open(self._texts_path, "rb")

    def _index_titles(self, nodes: dict):
        add_title = self.titles.add
        implementing = self.implementing
        for nid, texts in self.texts():
            title = texts["title"]
            keys = add_title(nid, title, "title")
            for alias in texts["aliases"]:
                add_title(nid, alias, "alias")
            if implemented_title(title) is not None:
                implementing.add(nid)
            node = nodes[nid]
            yield nid, group_key({"in_corpus": True, "title": title, "level": node.level, "region": node.region},
                                 keys[0] if keys else "")

    def texts(self) -> Iterator[tuple[str, dict]]:
        """(node id, texts) of every document, sorted by id."""
        self._texts.seek(0)
        for nid, line in zip(self._text_ids, self._texts):
            yield nid, dict(zip(TEXT_FIELDS, json.loads(line.decode("utf-8", "surrogatepass"))))

    def node(self, nid: str, texts: dict | None = None) -> Node:
        """The whole Node of document `nid` (its texts read from the file unless given), aliases without its title."""
        if texts is None:
            i = bisect_left(self._text_ids, nid)
            lo, hi = self._text_at[i], self._text_at[i + 1]
            texts = dict(zip(TEXT_FIELDS, json.loads(os.pread(self._texts.fileno(), hi - lo, lo).decode(
                "utf-8", "surrogatepass"))))
        full, lean = Node(), self.nodes[nid]
        for f in LeanNode.FIELDS:
            setattr(full, f, getattr(lean, f))
        title = texts["title"]
        full.title, full.path, full.label = title, texts["path"], texts["label"]
        full.carries = tuple(texts["carries"])
        full.aliases = tuple(a for a in texts["aliases"] if a != title)
        return full

    def close(self) -> None:
        if getattr(self, "_texts", None) is not None:
            self._texts.close()


_RECORD_TEXTS = frozenset(("title", "carries", "path", "doc_number"))
NUMBER_KEYS = 1 << 16


def _escape(node_id: str) -> str:
    # a tab or a line break inside an id would split the spilled line
    return node_id.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _unescape(field: str) -> str:
    if "\\" not in field:
        return field
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class StreamedGraph:
    """The graph of a corpus as sorted rows, made in two passes (see the module docstring).

    Use as a context manager (it owns a temporary folder): `node_items()` yields (id, attributes) sorted by
    id, `edge_items()` (source, target, relation, attributes) sorted by (source, target, relation) -- the
    nodes and edges, with the attributes, of `build`'s graph. `counts` gives (nodes, edges)."""

    def __init__(self, paths, jobs: int = 1, quiet: bool = False, workdir: str | None = None):
        self._tmp = tempfile.mkdtemp(prefix="polgraph-stream-", dir=workdir)
        self.quiet = quiet
        try:
            self.source = RecordSource(paths, self._tmp, jobs=jobs, quiet=quiet)
            with _no_cyclic_gc():
                self._resolve()
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        index = getattr(self, "index", None)
        if index is not None:
            index.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    @property
    def skipped(self) -> list:
        return self.source.skipped

    def _resolve(self) -> None:
        self.index = index = StreamKeyIndex(self._tmp)
        n = 0
        with progress(length=self.source.count_lines() if not self.quiet else None, label="indexing",
                      quiet=self.quiet) as bar:
            for rec in self.source:
                index.add(rec)
                n += 1
                bar.update(1)
        if not n:
            raise PolgraphError("no readable document" + (f" ({len(self.skipped)} skipped)" if self.skipped else ""))
        index.finish()
        resolver = Resolver(index, waiting=_WaitingCitations(self._tmp))
        into: dict[str, list[tuple[str, str]]] = {}
        implementing = index.implementing
        # a list, not a set (a fifth of the documents implement one by title): implemented_node dedupes
        out: dict[str, list[str]] = {}
        spill_path = os.path.join(self._tmp, "links.tsv")
        n_lines = 0
        # surrogatepass: a path with bytes that are not UTF-8 (a file name) comes through as lone surrogates, and
        # JSON may hold any lone surrogate (\ud800): each is written as its three bytes and read back
        with open(spill_path, "w", encoding="utf-8", errors="surrogatepass", newline="\n") as spill:
            def write(link, order) -> None:
                nonlocal n_lines
                m = link.citation
                m.method, m.score = link.method, link.score
                spill.write(f"{_escape(link.source)}\t{_escape(link.target)}\t{link.relation}\t"
                            + _COMPACT.encode([order, link.method, link.score, list(link.flags), m.as_dict()])
                            + "\n")
                n_lines += 1
                if link.relation in _CHANGING:
                    into.setdefault(link.target, []).append((link.source, link.relation))
                if link.source in implementing:
                    out.setdefault(link.source, []).append(link.target)

            from polgraph.graph.build import Mention

            plain = _Plain()
            with progress(length=n, label="resolving", quiet=self.quiet) as bar:
                for position, rec in enumerate(self.source):
                    path = str(rec.get("path")) if rec.get("path") is not None else None
                    mentions = tuple(Mention(path, c, plain) for c in rec.get("citations") or ())
                    links = resolver.resolve(position, {"date": rec.get("date"), "path": path,
                                                        "citations": mentions})
                    rank = index.rank(position)
                    for i, link in enumerate(links):
                        write(link, [0, rank, i])
                    bar.update(1)
            for i, link in enumerate(resolver.finish()):
                write(link, [1, 0, i])
            for members in index.groups:
                for older, newer in zip(members, members[1:]):
                    spill.write(f"{_escape(newer)}\t{_escape(older)}\t{SUPERSEDES}\t[[2,0,0]]\n")
                    n_lines += 1
                    into.setdefault(older, []).append((newer, SUPERSEDES))
                    if newer in implementing:
                        out.setdefault(newer, []).append(older)
        self.nodes = _Nodes(index.nodes, resolver.placeholders)
        # what graph/status.py reads of a node includes its title (implemented_node): whole nodes, from the file
        self.graph = _ChangingEdges(_WholeNodes(index, resolver.placeholders), into, out)
        # void_from answers None but for these: the graph's edges that void_candidates reads are those kept here
        # (the changing ones, and what implementing documents cite: their only successors in self.graph)
        self._void_candidates = void_candidates(
            _Both(index.nodes, resolver.placeholders),
            [(u, v, rel) for v, changing in into.items() for u, rel in changing]
            + [(u, v, "") for u, targets in out.items() for v in targets])
        self._spill = spill_path
        # at most one edge per spilled line: an upper bound for a progress bar
        self.n_nodes, self.n_links = len(self.nodes), n_lines
        index.titles.close()
        del index.titles  # the key index's title look-ups are done with

    def node_items(self, as_of: str | None = None) -> Iterator[tuple[str, dict]]:
        """(id, attributes) sorted by id; with `as_of`, the status attributes `annotate_status` sets."""
        texts = self.index.texts()
        corpus = self.nodes.nodes
        for n in self.nodes.ids():
            if n in corpus:
                nid, node_texts = next(texts)  # both in id order
                attrs = self.index.node(nid, node_texts)
                self.graph.nodes.last = (nid, attrs)
            else:
                attrs = self.nodes[n]
            if as_of is not None:
                s = status_of(self.graph, n, as_of)
                attrs = {**attrs, "status": s["status"], "status_changed_by": s["changed_by"],
                         "status_changed_on": s["changed_on"], "status_as_of": as_of}
            yield n, attrs

    def edge_items(self) -> Iterator[tuple[str, str, str, dict]]:
        """(source, target, relation, attributes) sorted by (source, target, relation): one per edge of the graph
        `build` makes, merged and flagged as it merges and flags them."""
        env = {**os.environ, "LC_ALL": "C"}
        cmd = ["sort", "-t", "\t", "-k1,1", "-k2,2", "-k3,3", "-S", SORT_BUFFER, "-T", self._tmp, self._spill]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env)
        void: dict = {}
        finished = False
        try:
            text = _lines(proc.stdout)
            group_key, group = None, []
            for line in text:
                u, v, rel, rest = line.rstrip("\n").split("\t", 3)
                key = (u, v, rel)
                if key != group_key:
                    if group:
                        yield self._edge(group_key, group, void)
                    group_key, group = key, []
                group.append(json.loads(rest))
            if group:
                yield self._edge(group_key, group, void)
            finished = True
        finally:
            proc.stdout.close()
            if proc.wait() != 0 and finished:
                raise PolgraphError(f"sort of the spilled citations failed (exit {proc.returncode})")

    def _edge(self, key, entries, void) -> tuple[str, str, str, dict]:
        u, v, rel = _unescape(key[0]), _unescape(key[1]), key[2]
        entries.sort(key=lambda e: e[0])  # the order `build` adds them in
        cited = [e for e in entries if e[0][0] < 2]
        if cited:
            method, score, flags, mentions = cited[0][1], cited[0][2], list(cited[0][3]), []
            for _, m, s, fl, mention in cited:
                if _METHOD_RANK[m] < _METHOD_RANK[method] or (m == method and s > score):
                    method, score = m, s
                flags += [f for f in fl if f not in flags]
                mentions.append(mention)
            mentions.sort(key=lambda m: (m["path"] or "", m["start"] if m["start"] is not None else -1))
        else:  # a version's SUPERSEDES edge, cited by nothing
            method, score, flags, mentions = "version", 100.0, [], []
        if v not in void:
            void.clear()  # edges come by source: keep one target's answer, not every target's
            void[v] = void_from(self.graph, v) if v in self._void_candidates else None
        return u, v, rel, {"relation": rel, "method": method, "score": score, "mentions": mentions,
                           "flags": edge_flags(self.nodes[u], self.nodes[v], rel, tuple(flags), void[v])}


class _Plain:
    """Strings as they are (a mention's strings are not worth a table entry that outlives it)."""

    def __call__(self, s):
        return s

    def keep(self, s, _):
        return s

    def number(self, n):
        return n


def _lines(stream) -> Iterator[str]:
    import io

    yield from io.TextIOWrapper(stream, encoding="utf-8", errors="surrogatepass", newline="\n")

"""The title index of a streamed corpus in files (graph/stream.py). First its fuzzy trigram postings
(DiskPostings): a streamed corpus of millions of titles holds ~40 posting entries per document, 4 bytes each
plus array headers -- ~170 B per document, half a gigabyte at 3M, read only by the fuzzy look-ups of
`Resolver.finish`.

Entries (a title key's number) come in increasing order. They are gathered in memory for `CHUNK` entries at a
time, then each chunk is written to the file grouped by (place, trigram) -- one id per pair, in the order first
seen -- with two arrays per chunk: the ids of the pairs it holds (increasing, found by bisection) and where
each one's entries start in the file (a pair's run ends where the next one starts).
A posting is its chunks' slices read back with os.pread, in chunk order: the same entry numbers, in the same
increasing order, as the in-memory postings. The file is read with pread, not mapped, so what is read stays in
the page cache and out of the process's resident memory.

`DiskTitleIndex` is the whole title index so (graph/stream.py): besides the postings, the title keys themselves
(normalised, unwrapped, issuer-less: ~250 B per document as strings, with ~120 B of dicts over them) are written
to a file, and memory keeps per key a 64-bit word of its hash and entry number, sorted, and the entry's node
and method. A look-up bisects the hash, then reads the candidates' keys back to compare them: the answers are
those of the in-memory TitleIndex, exactly, in ~30 B per key.
"""
from __future__ import annotations

import heapq
import os
from array import array
from itertools import islice
from bisect import bisect_left

from polgraph.graph.resolve import TitleIndex, _grams, _place_of, _title_keys, issuerless

ENTRY = array("i").itemsize
_hash = hash  # a test makes every key collide


class DiskPostings:
    """(place, trigram) -> increasing entry numbers, kept in `folder`/postings.bin (see the module docstring)."""

    # entries gathered in memory before a write: ~2M posting entries; at 300k documents 1 << 16 left 25 MB less
    # resident after KeyIndex.finish than the in-memory postings (1 << 15: too many chunks to read per posting)
    CHUNK = 1 << 16

    def __init__(self, folder: str):
        self._file = open(os.path.join(folder, "postings.bin"), "w+b")
        self._ids: dict[str, dict[str, int]] = {}  # place -> trigram -> pair id
        self._grams: dict[str, str] = {}  # one copy of each trigram string across places
        self._totals = array("q")  # pair id -> entries, over the written chunks
        # per written chunk: (ids of its pairs, increasing; where each one's entries start, and the chunk's end)
        self._chunks: list[tuple[array, array]] = []
        self._open: dict[int, int | array] = {}  # pair id -> entries of the chunk being gathered (an int if one)
        self._open_entries = 0
        self._written = 0  # entries in the file

    def add(self, entry: int, place: str, grams) -> None:
        """Index `entry` (greater than any added before) under each of `grams` in `place`."""
        ids = self._ids.get(place)
        if ids is None:
            ids = self._ids[place] = {}
        one_copy, totals, gathered = self._grams.setdefault, self._totals, self._open
        for g in grams:
            pid = ids.get(g)
            if pid is None:
                pid = ids[one_copy(g, g)] = len(totals)
                totals.append(0)
            have = gathered.get(pid)
            if have is None:
                gathered[pid] = entry
            elif type(have) is int:
                gathered[pid] = array("i", (have, entry))
            else:
                have.append(entry)
        self._open_entries += 1
        if self._open_entries >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write the gathered chunk (a look-up sees only written chunks: `get` flushes first)."""
        gathered = self._open
        if not gathered:
            return
        totals = self._totals
        pids, starts = array("i", sorted(gathered)), array("q")
        pos = self._written
        write = self._file.write
        for pid in pids:
            starts.append(pos)
            have = gathered[pid]
            if type(have) is int:
                write(array("i", (have,)).tobytes())
                n = 1
            else:
                write(have.tobytes())
                n = len(have)
            totals[pid] += n
            pos += n
        starts.append(pos)
        self._file.flush()
        self._chunks.append((pids, starts))
        self._written = pos
        self._open, self._open_entries = {}, 0

    def get(self, place: str, gram: str) -> "DiskPosting | None":
        """The posting of `gram` in `place` (its length known, its entries read when iterated), or None."""
        if self._open:
            self.flush()
        ids = self._ids.get(place)
        pid = ids.get(gram) if ids is not None else None
        if pid is None:
            return None
        return DiskPosting(self, pid, self._totals[pid])

    def entries(self, pid: int) -> array:
        out = array("i")
        fd = self._file.fileno()
        for pids, starts in self._chunks:
            i = bisect_left(pids, pid)
            if i < len(pids) and pids[i] == pid:
                lo, hi = starts[i], starts[i + 1]
                out.frombytes(os.pread(fd, ENTRY * (hi - lo), ENTRY * lo))
        return out

    def close(self) -> None:
        self._file.close()


class DiskPosting:
    """One posting of a DiskPostings: `len()` without reading, its entries (increasing) read when iterated."""

    __slots__ = ("_store", "_pid", "_n")

    def __init__(self, store: DiskPostings, pid: int, n: int):
        self._store, self._pid, self._n = store, pid, n

    def __len__(self) -> int:
        return self._n

    def __iter__(self):
        return iter(self._store.entries(self._pid))


_RUN = 1 << 18  # words sorted at once (as Python ints: ~40 B each, 10 MB)


def _sorted_words(words) -> array:
    """The 64-bit `words` sorted, in runs of _RUN merged: sorting them at once would hold every one as a Python
    int, ~40 B each (240 MB for a 3M-document corpus's keys, at the streamed export's peak), against 16 B here."""
    runs, words = [], iter(words)
    while True:
        run = sorted(islice(words, _RUN))
        if not run:
            break
        runs.append(array("q", run))
    out = array("q")
    out.extend(heapq.merge(*runs) if len(runs) > 1 else (runs[0] if runs else ()))
    return out


class DiskTitleIndex(TitleIndex):
    """A TitleIndex (same `add`, `lookup`, `fuzzy`; the same answers) whose keys and trigram postings are in files
    of `folder` (see the module docstring). Every name of a node is added at once, nodes in increasing id order
    (KeyIndex._index_titles does), and nothing is added after the first look-up."""

    def __init__(self, folder: str):
        super().__init__(fuzzy=True)
        self._postings_file = DiskPostings(folder)
        self._keys = open(os.path.join(folder, "title-keys.bin"), "w+b")
        self._offsets = array("q", [0])  # entry -> where its key starts in the keys file (and where the last ends)
        self._node_ids: list[str] = []  # node number -> id: numbers increase with ids, so sorting either agrees
        self._entry_node = array("i")  # entry -> node number
        self._entry_title = bytearray()  # entry -> 1 when the node is named so by its own title, else 0 (alias)
        self._hashes: array | None = array("q")  # entry -> hash of its key, until sealed
        self._short_hashes: array | None = array("q")  # (hash of the issuer-less form, entry) pairs, flat
        self._by_key = self._by_short = None  # sealed: sorted words (hash << bits | entry)
        self._bits = 0
        self._current: dict[str, int] = {}  # key -> entry, of the node being added

    def add(self, node: str, title: str | None, kind: str = "title") -> tuple[str, ...]:
        if self._hashes is None:
            raise RuntimeError("DiskTitleIndex: add after a look-up")
        ids = self._node_ids
        if not ids or ids[-1] != node:
            if ids and node < ids[-1]:
                raise ValueError(f"DiskTitleIndex: node {node!r} added after {ids[-1]!r}")
            ids.append(node)
            self._current = {}
        keys = _title_keys(title) if title else ()
        current, number = self._current, len(ids) - 1
        for i, key in enumerate(keys):
            is_title = kind == "title" and i == 0
            e = current.get(key)
            if e is not None:  # a name of this node already: at most it becomes its own title
                if is_title:
                    self._entry_title[e] = 1
                continue
            e = current[key] = len(self._entry_node)
            data = key.encode("utf-8", "surrogatepass")  # JSON may hold a lone surrogate
            self._keys.write(data)
            self._offsets.append(self._offsets[-1] + len(data))
            self._entry_node.append(number)
            self._entry_title.append(is_title)
            self._hashes.append(_hash(key))
            short = issuerless(key)
            if short:
                self._short_hashes.extend((_hash(short), e))
            self._postings_file.add(e, _place_of(key) or "", _grams(key))
        return keys

    def _seal(self) -> None:
        """Sort the hashes of the keys once every key is in (the first look-up)."""
        self._keys.flush()
        n = len(self._entry_node)
        self._bits = bits = max(n.bit_length(), 1)
        mask = (1 << (62 - bits)) - 1
        hashes, self._hashes = self._hashes, None
        self._by_key = _sorted_words(((h & mask) << bits) | e for e, h in enumerate(hashes))
        del hashes
        pairs, self._short_hashes = self._short_hashes, None
        self._by_short = _sorted_words(((pairs[i] & mask) << bits) | pairs[i + 1] for i in range(0, len(pairs), 2))
        self._current = {}

    def _key(self, e: int) -> str:
        lo = self._offsets[e]
        return os.pread(self._keys.fileno(), self._offsets[e + 1] - lo, lo).decode("utf-8", "surrogatepass")

    def _candidates(self, words: array, text: str):
        """Entries whose hash is that of `text` (their keys not yet compared)."""
        bits = self._bits
        h = _hash(text) & ((1 << (62 - bits)) - 1)
        lo = bisect_left(words, h << bits)
        hi = bisect_left(words, (h + 1) << bits, lo)
        low = (1 << bits) - 1
        return [w & low for w in words[lo:hi]]

    def lookup(self, title: str | None, exclude: str | None = None) -> tuple[list[str], str, bool] | None:
        if self._by_key is None:
            self._seal()
        keys = _title_keys(title) if title else ()
        ids, entry_node = self._node_ids, self._entry_node
        for i, key in enumerate(keys):
            hits: dict[str, int] = {}
            for e in self._candidates(self._by_key, key):
                node = ids[entry_node[e]]
                if node != exclude and self._key(e) == key:
                    hits[node] = hits.get(node, 0) | self._entry_title[e]
            if hits:
                return sorted(hits), "title" if i == 0 and any(hits.values()) else "alias", False
        if keys and keys[0].startswith("关于"):
            for key in keys:
                nodes = {ids[entry_node[e]] for e in self._candidates(self._by_short, key)
                         if issuerless(self._key(e)) == key}
                nodes.discard(exclude)
                if nodes:
                    return sorted(nodes), "alias", True
        return None

    def _query_postings(self, blocks, grams) -> dict:
        if self._by_key is None:
            self._seal()
        postings = {}
        for b in blocks:
            for g in grams:
                p = self._postings_file.get(b, g)
                if p is not None:
                    postings[(b, g)] = p
        return postings

    def _entry(self, e: int) -> tuple[str, str]:
        return self._key(e), self._node_ids[self._entry_node[e]]

    def close(self) -> None:
        self._postings_file.close()
        self._keys.close()

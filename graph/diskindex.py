"""The fuzzy title index's trigram postings in a file instead of memory (graph/resolve.py's TitleIndex with
`postings_folder`): a streamed corpus of millions of titles holds ~40 posting entries per document, 4 bytes each
plus array headers -- ~170 B per document, half a gigabyte at 3M, read only by the fuzzy look-ups of
`Resolver.finish`.

Entries (a title key's number) come in increasing order. They are gathered in memory for `CHUNK` entries at a
time, then each chunk is written to the file grouped by (place, trigram) -- one id per pair, in the order first
seen -- with two arrays per chunk: the ids of the pairs it holds (increasing, found by bisection) and where
each one's entries start in the file (a pair's run ends where the next one starts).
A posting is its chunks' slices read back with os.pread, in chunk order: the same entry numbers, in the same
increasing order, as the in-memory postings. The file is read with pread, not mapped, so what is read stays in
the page cache and out of the process's resident memory.
"""
from __future__ import annotations

import os
from array import array
from bisect import bisect_left

ENTRY = array("i").itemsize


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

"""Builds that extract nothing twice: a cache of extraction results beside the graph file, and updates.

`polgraph build PATH... -o graph.json` writes `graph.json.cache.jsonl` next to the graph: one line per input
file with its SHA-256 and what extraction made of it (its records, or why it was skipped); an extract JSON Lines
input is only referenced (it is read again, not copied). The cache is the graph's manifest too: the files it
lists, in order, are the graph's corpus.

`polgraph build --update graph.json NEW...` adds NEW (files, folders, extract JSON Lines) to that corpus: a file
already listed with the same path and the same bytes is not extracted again, a changed one is, and the graph is
resolved again over the union — so every placeholder a new document satisfies becomes that document, a newer
version of a law takes the id and the older one gets its dated id, exactly as in a full build. The result is
the graph `polgraph build OLD... NEW... -o graph.json` writes, byte for byte. Resolution is redone (seconds per
100k documents, graph/build.py); extraction, the costly part, only for new or changed files.

A cache written by another version of the extractor (its code and data tables are fingerprinted) is not used.
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
from pathlib import Path
from typing import Iterator

from polgraph.errors import InputError
from polgraph.extract.pipeline import extract_paths
from polgraph.extract.read import list_input_files
from polgraph.graph.io import is_graph_file, is_records_file, iter_records
from polgraph.output import atomic_output

CACHE_FORMAT = "polgraph-build-cache"
CACHE_VERSION = 1
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_path(graph_path) -> str:
    """Where the extraction cache of a graph file lives: beside it."""
    return os.fspath(graph_path) + ".cache.jsonl"


@functools.lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A hash of the extractor's code and data tables: a cache made by other code is not reused."""
    h = hashlib.sha256()
    for folder, pattern in (("extract", "**/*.py"), ("data", "*.tsv"), ("data", "**/*.csv")):
        for f in sorted((_PACKAGE / folder).glob(pattern)):
            h.update(f.relative_to(_PACKAGE).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def file_sha256(path: str) -> str | None:
    """The SHA-256 of a file's bytes, or None when it cannot be read (extraction then says why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(functools.partial(f.read, 1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


class BuildCache:
    """The files of a graph's corpus in order, each {"sha256", "items"} (items: ["rec", record] or ["skip",
    path, reason]) or {"sha256", "records": true} for an extract JSON Lines file; `missing` the paths given
    that did not exist ([path, reason])."""

    def __init__(self):
        self.files: dict[str, dict] = {}
        self.missing: list[list[str]] = []

    @classmethod
    def load(cls, path) -> "BuildCache | None":
        """The cache at `path`; None when there is none or another extractor wrote it."""
        cache = cls()
        try:
            with open(path, encoding="utf-8") as f:
                head = json.loads(f.readline() or "null")
                if not isinstance(head, dict) or head.get("format") != CACHE_FORMAT \
                        or head.get("version") != CACHE_VERSION or head.get("extractor") != extractor_fingerprint():
                    return None
                cache.missing = [list(m) for m in head.get("missing", [])]
                for i, line in enumerate(f, 2):
                    entry = json.loads(line)
                    cache.files[entry.pop("file")] = entry
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise InputError(path, f"unreadable build cache ({e}); delete it and build again") from None
        return cache

    def write(self, path) -> None:
        with atomic_output(path) as f:
            f.write(json.dumps({"format": CACHE_FORMAT, "version": CACHE_VERSION, "extractor": extractor_fingerprint(),
                                "missing": self.missing}, ensure_ascii=False) + "\n")
            for name, entry in self.files.items():
                f.write(json.dumps({"file": name, **entry}, ensure_ascii=False, sort_keys=True) + "\n")

    def corpus(self) -> tuple[Iterator[dict], list[tuple[str, str]]]:
        """(records, skipped) of the corpus, as records_from_paths gives them for the same paths; the records as
        an iterator: extract JSON Lines inputs are read as the build consumes them, never held whole."""
        skipped = [tuple(m) for m in self.missing] + [(item[1], item[2]) for entry in self.files.values()
                                                      for item in entry.get("items", ()) if item[0] != "rec"]

        def records():
            for name, entry in self.files.items():
                if entry.get("records"):
                    yield from iter_records(name)
            for entry in self.files.values():
                for item in entry.get("items", ()):
                    if item[0] == "rec":
                        yield item[1]

        return records(), skipped


def _owner(path: str, files: set[str]) -> str | None:
    """The input file a record or skip path comes from: the file itself, or FILE#line / FILE:line of a JSON
    Lines file of documents."""
    if path in files:
        return path
    for sep in ("#", ":"):
        head = path.rpartition(sep)[0]
        if head in files:
            return head
    return None


def add_paths(cache: BuildCache, paths, previous: BuildCache | None = None, jobs: int = 1,
              quiet: bool = False) -> int:
    """Add the files under `paths` to `cache` (in place; a file already in it is replaced where it stands),
    extracting only those that `previous` (or `cache` itself) does not hold with the same bytes. Returns how
    many files were extracted."""
    known = {**(previous.files if previous else {}), **cache.files}
    to_extract: list[str] = []
    for p in (os.fspath(x) for x in paths):
        if is_records_file(p):
            cache.files[p] = {"sha256": file_sha256(p), "records": True}
        elif is_graph_file(p):
            raise InputError(p, "a graph file cannot be mixed with corpus paths; give it alone")
        else:
            to_extract.append(p)
    listed = list_input_files(to_extract)
    given = {x for x in listed if not isinstance(x, InputError)}
    cache.missing = [m for m in cache.missing if m[0] not in given]
    misses: list[str] = []
    for x in listed:
        if isinstance(x, InputError):
            if [x.path, x.reason] not in cache.missing:
                cache.missing.append([x.path, x.reason])
            continue
        sha = file_sha256(x)
        hit = known.get(x)
        if sha is not None and hit is not None and hit.get("sha256") == sha and "items" in hit:
            cache.files[x] = hit
        else:
            cache.files[x] = {"sha256": sha, "items": []}
            misses.append(x)
    if misses:
        records, skipped = extract_paths(misses, jobs=jobs, quiet=quiet)
        files = set(misses)
        for rec in records:
            cache.files[_owner(str(rec.get("path")), files) or misses[0]]["items"].append(["rec", rec])
        for where, reason in skipped:
            cache.files[_owner(str(where), files) or misses[0]]["items"].append(["skip", str(where), str(reason)])
    return len(misses)


def build_cached(paths, cache_file, *, update: bool = False, jobs: int = 1, quiet: bool = False):
    """(LeanGraph, BuildCache, files extracted) of the corpus `paths` — with `update`, of the corpus the cache
    at `cache_file` lists plus `paths` — reusing the extraction results that cache holds for unchanged files."""
    from polgraph.graph.build import build_lean, no_documents

    previous = BuildCache.load(cache_file)
    if update and previous is None:
        raise InputError(cache_file, "no build cache of this polgraph beside the graph (polgraph build writes "
                                     "it): build the whole corpus once, then update")
    cache = previous if update else BuildCache()
    extracted = add_paths(cache, paths, previous, jobs=jobs, quiet=quiet)
    records, skipped = cache.corpus()
    first = next(records, None)
    if first is None:
        raise no_documents([os.fspath(p) for p in paths], skipped)
    G = build_lean(itertools.chain((first,), records), quiet=quiet)
    G.graph["skipped"] = [[str(p), str(r)] for p, r in skipped]
    return G, cache, extracted

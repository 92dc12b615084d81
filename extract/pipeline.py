"""Extract many documents: files and folders in, records in input order out, plus the list of skipped inputs.

With jobs > 1 the work runs in worker processes. Workers are sent *paths* in batches of about
BATCH_BYTES of input, read the files themselves and send back finished records, so the parent never pickles
document text; it only collects records in input order and moves the progress bar. The worker entry points
are module-level functions, so the workers also start with the "spawn" start method.
"""
from __future__ import annotations

import collections
import gc
import io
import itertools
import multiprocessing
import multiprocessing.connection
import os
import threading
import traceback
from typing import Iterable, Iterator

from polgraph.errors import InputError
from polgraph.models import record_json
from polgraph.output import encode_text
from polgraph.extract.read import (Document, is_jsonl, iter_jsonl_documents, jsonl_slices, list_input_files,
                                   read_documents)
from polgraph.progress import progress

# One batch of work for a worker: large enough that task overhead is negligible, small enough that both
# workers stay busy to the end and the progress bar moves.
BATCH_BYTES = 512 * 1024
BATCH_MAX_FILES = 256

def _extract_text():
    from polgraph.extract.find import extract_text

    return extract_text


def _extract_docs(docs: list[Document]) -> list[dict]:
    """The records of `docs`, extracted together (find.extract_texts: stage by stage over the batch)."""
    from polgraph.extract.find import extract_texts

    return extract_texts([(d.text, d.path, d.overrides, d.header) for d in docs])


# ------------------------------------------------------------------------------------ worker entry points
# A work unit is a file path, or a JsonlSlice of a large JSON Lines file (extracted in pieces, so memory stays
# bounded however many lines the file has).
# A result item is ("rec", record) or ("skip", path, reason), in input order.

class JsonlSlice(tuple):
    """(path, start, end, first line number, last slice of its file): whole lines of a JSON Lines file."""

    __slots__ = ()

    def __new__(cls, path, start, end, first_line, last):
        return tuple.__new__(cls, (path, start, end, first_line, last))

    def __getnewargs__(self):  # pickled to the workers
        return tuple(self)


def _unit_documents(unit) -> list:
    if isinstance(unit, JsonlSlice):
        return list(iter_jsonl_documents(unit[0], unit[1], unit[2], unit[3]))
    return read_documents(unit)


def _units_done(units: list) -> int:
    """How many input files `units` finish (a slice counts when it is its file's last)."""
    return sum(1 for u in units if not isinstance(u, JsonlSlice) or u[4])


def _extract_file_batch(paths: list) -> list[list[tuple]]:
    """The result items of each work unit, in order: every file read first, then all their documents
    extracted together."""
    per_file, docs = [], []
    for path in paths:
        try:
            items = _unit_documents(path)
        except InputError as e:
            per_file.append([("skip", e.path, e.reason)])
            continue
        entry = []
        for item in items:
            if isinstance(item, InputError):
                entry.append(("skip", item.path, item.reason))
            else:
                entry.append(None)  # its record, once extracted
                docs.append(item)
        per_file.append(entry)
    records = iter(_extract_docs(docs))
    return [[item if item is not None else ("rec", next(records)) for item in entry] for entry in per_file]


def _extract_file_batch_jsonl(paths: list[str]) -> tuple[int, bytes, int, int, list[tuple[str, str]]]:
    """(files, the batch's JSON Lines as UTF-8, documents, citations, skipped [(path, reason)]).

    Serialising and encoding in the worker puts that work on the parallel side, and one bytes object crosses
    the pipe for a fraction of the cost of the records' trees of dicts and strings: the parent, which also
    extracts batches of its own, only copies it to the output.
    """
    lines, skipped, n_citations = [], [], 0
    for file_result in _extract_file_batch(paths):
        for item in file_result:
            if item[0] == "rec":
                lines.append(record_to_json(item[1]))
                n_citations += len(item[1]["citations"])
            else:
                skipped.append((item[1], item[2]))
    lines.append("")
    chunk = encode_text("\n".join(lines)) if len(lines) > 1 else b""
    return _units_done(paths), chunk, len(lines) - 1, n_citations, skipped


# ------------------------------------------------------------------------------------ batching and pools

def _file_size(path) -> int:
    if isinstance(path, JsonlSlice):
        return (path[2] or path[1] + BATCH_BYTES) - path[1]
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _work_units(files: list[str]) -> Iterator:
    """The files, a JSON Lines file larger than a batch cut into JsonlSlices of about BATCH_BYTES (lazily:
    the cutting reads the file as the batches are handed out)."""
    for path in files:
        if is_jsonl(path) and _file_size(path) > BATCH_BYTES and not _starts_with_records(path):
            for start, end, first_line, last in jsonl_slices(path, BATCH_BYTES):
                yield JsonlSlice(path, start, end, first_line, last)
        else:
            yield path


def _starts_with_records(path: str) -> bool:
    """`polgraph extract` output given as input: left whole, so it is refused once as a file."""
    try:
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    return (line.lstrip(b"\xef\xbb\xbf").startswith(b'{"path"') and b'"text"' not in line
                            and b'"html"' not in line)
    except OSError:
        pass
    return False


def _batches(items, size_of, jobs: int, n_items: int | None = None) -> Iterator[list]:
    """Consecutive runs of `items` (input order kept) of about BATCH_BYTES each, and of at most a quarter of
    an even share, so that every worker of a small input still gets several batches.

    Lazy: size_of (a stat() for a file) runs as batches are handed out, while the workers already extract.
    """
    n_items = len(items) if n_items is None else n_items
    max_items = max(1, min(BATCH_MAX_FILES, -(-n_items // (4 * jobs))))
    current, current_size = [], 0
    for item in items:
        current.append(item)
        current_size += size_of(item)
        if current_size >= BATCH_BYTES or len(current) >= max_items:
            yield current
            current, current_size = [], 0
    if current:
        yield current


def _worker_main(conn, func) -> None:
    """A worker process: run func on each (index, batch) received, send back ("ok", index, result) or
    ("error", index, message, traceback); stop at None or when the parent goes away."""
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, batch = task
        try:
            message = ("ok", index, func(batch))
        except Exception as e:
            reason = str(e) if type(e) is RuntimeError else f"{type(e).__name__}: {e}"
            message = ("error", index, reason, traceback.format_exc())
        conn.send(message)


# Tasks in flight per worker: the next batch is already waiting when a worker sends a result.
IN_FLIGHT = 2


def _run_parallel(func, batches: Iterable[list], jobs: int, start_method: str | None) -> Iterator:
    """func(batch) for each batch in `jobs` processes -- this one and jobs - 1 workers -- yielded in order.

    A lean pool: one duplex pipe per worker and no helper threads, because multiprocessing.Pool's result
    thread cost the parent ~20% of the workers' CPU time here -- too much on a 2-core machine. The parent
    runs batches itself whenever no worker result is waiting: its results need no pickling, and it would
    otherwise sit idle. `batches` is consumed lazily, as workers ask for more.
    """
    _extract_text()  # forked workers inherit the loaded extractor and its data tables
    if (start_method is None and threading.active_count() > 1 and multiprocessing.get_start_method() == "fork"
            and "forkserver" in multiprocessing.get_all_start_methods()):
        start_method = "forkserver"  # forking a process that runs threads (a Neo4j driver) can deadlock the child
    ctx = multiprocessing.get_context(start_method)
    procs, conns = [], []
    # Forked workers would otherwise copy every page of the parent's heap as their GC touches the objects.
    gc.freeze()
    try:
        for _ in range(jobs - 1):
            parent_end, child_end = ctx.Pipe(duplex=True)
            proc = ctx.Process(target=_worker_main, args=(child_end, func), daemon=True)
            proc.start()
            child_end.close()
            procs.append(proc)
            conns.append(parent_end)
    finally:
        gc.unfreeze()
    try:
        in_flight = dict.fromkeys(conns, 0)
        pending = iter(batches)
        n_taken = 0
        exhausted = False

        def take():
            """(index, batch) of the next batch, or None when there are no more."""
            nonlocal n_taken, exhausted
            if not exhausted:
                batch = next(pending, None)
                if batch is not None:
                    n_taken += 1
                    return n_taken - 1, batch
                exhausted = True
            return None

        def feed(conn) -> None:
            task = take()
            if task is not None:
                try:
                    conn.send(task)
                except OSError:  # not BrokenPipeError: the CLI reads that as its own stdout closing
                    raise RuntimeError("an extraction worker process died") from None
                in_flight[conn] += 1

        for _ in range(IN_FLIGHT):
            for conn in conns:
                feed(conn)
        finished: dict[int, object] = {}
        emitted = 0
        while not exhausted or emitted < n_taken:
            busy = [c for c in conns if in_flight[c]]
            ready = multiprocessing.connection.wait(busy, timeout=None if exhausted else 0) if busy else []
            if not ready:
                task = take()
                if task is not None:
                    finished[task[0]] = func(task[1])
            for conn in ready:
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    raise RuntimeError("an extraction worker process died") from None
                in_flight[conn] -= 1
                if message[0] == "error":
                    error = RuntimeError(message[2])
                    error.add_note(message[3])
                    raise error
                finished[message[1]] = message[2]
                feed(conn)
            while emitted in finished:
                yield finished.pop(emitted)
                emitted += 1
        for conn in conns:
            conn.send(None)
        for proc in procs:
            proc.join()
    except BaseException:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join()
        raise
    finally:
        for conn in conns:
            conn.close()


def _run_batches(func, batches: Iterable[list], jobs: int, start_method: str | None) -> Iterator:
    """Results of func(batch) for each batch, in order; in-process when parallelism cannot pay off."""
    batches = iter(batches)
    first = list(itertools.islice(batches, max(jobs, 1) + 1))
    if jobs <= 1 or len(first) <= 1:
        for batch in itertools.chain(first, batches):
            yield func(batch)
        return
    yield from _run_parallel(func, itertools.chain(first, batches), min(jobs, len(first)), start_method)


# ------------------------------------------------------------------------------------ public API

def _file_batches(paths, jobs: int):
    """(the files under `paths`, [(path, reason)] of the paths that do not exist, the files' batches, lazy)."""
    listed = list_input_files([os.fspath(p) for p in paths])
    files = [x for x in listed if not isinstance(x, InputError)]
    missing = [(x.path, x.reason) for x in listed if isinstance(x, InputError)]
    return files, missing, _batches(_work_units(files), _file_size, jobs, len(files))


def extract_paths(paths, jobs: int = 1, quiet: bool = False, *, start_method: str | None = None
                  ) -> tuple[list[dict], list[tuple[str, str]]]:
    """Extract every document under `paths` (files or folders).

    Return (records in input order, skipped [(path, reason)]: paths that do not exist first, then files and
    JSON Lines lines ("file:line") that cannot be used, in input order); the others are still extracted.
    `start_method` picks the multiprocessing start method for jobs > 1 (default: the platform's).
    """
    files, skipped, batches = _file_batches(paths, jobs)
    records: list[dict] = []
    done = collections.deque()  # files each batch finishes, in order (the results come in the same order)
    batches = (done.append(_units_done(b)) or b for b in batches)
    with progress(length=len(files), label="extracting", quiet=quiet) as bar:
        for batch_result in _run_batches(_extract_file_batch, batches, jobs, start_method):
            for file_result in batch_result:
                for item in file_result:
                    if item[0] == "rec":
                        records.append(item[1])
                    else:
                        skipped.append((item[1], item[2]))
            bar.update(done.popleft())
    return records, skipped


def extract_documents(docs: Iterable[Document], jobs: int = 1, quiet: bool = False, *,
                      start_method: str | None = None) -> list[dict]:
    """Records of in-memory Documents, in their order (their text is sent to the workers when jobs > 1)."""
    docs = list(docs)
    batches = _batches(docs, lambda d: len(d.text) * 3, jobs)
    records: list[dict] = []
    with progress(length=len(docs), label="extracting", quiet=quiet) as bar:
        for batch_result in _run_batches(_extract_docs, batches, jobs, start_method):
            records.extend(batch_result)
            bar.update(len(batch_result))
    return records


def write_jsonl(paths, out, jobs: int = 1, quiet: bool = False, *, start_method: str | None = None
                ) -> tuple[int, int, list[tuple[str, str]]]:
    """Extract every document under `paths` and write its record_to_json line to `out` (a text stream, or a
    binary one: UTF-8), in input order, batch by batch as they finish -- what `polgraph extract` does.

    Return (documents written, citations written, skipped [(path, reason)] as extract_paths() gives them).
    """
    files, skipped, batches = _file_batches(paths, jobs)
    write = _bytes_writer(out)
    n_docs = n_citations = 0
    with progress(length=len(files), label="extracting", quiet=quiet) as bar:
        for n_files, chunk, docs, citations, batch_skipped in _run_batches(_extract_file_batch_jsonl, batches,
                                                                            jobs, start_method):
            write(chunk)
            n_docs += docs
            n_citations += citations
            skipped.extend(batch_skipped)
            bar.update(n_files)
    return n_docs, n_citations, skipped


def _bytes_writer(out):
    """A function writing UTF-8 bytes to `out`: straight to its binary buffer when it has one."""
    if isinstance(out, (io.RawIOBase, io.BufferedIOBase)):
        return out.write
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        return lambda chunk: out.write(chunk.decode("utf-8"))

    def write(chunk: bytes) -> None:
        out.flush()  # anything written through the text layer goes first
        buffer.write(chunk)

    return write


record_to_json = record_json  # one JSON line for a record dict, keys in the order of polgraph/models.py

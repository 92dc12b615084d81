"""Extract many documents: files and folders in, records in input order out, plus the list of skipped inputs.

With jobs > 1 the work runs in worker processes. Workers are sent *paths* in batches of about
BATCH_BYTES of input, read the files themselves and send back finished records, so the parent never pickles
document text; it only collects records in input order and moves the progress bar. The worker entry points
are module-level functions, so the pool also works with the "spawn" start method.
"""
from __future__ import annotations

import gc
import json
import multiprocessing
import os
from typing import Iterable, Iterator

from polgraph.errors import InputError
from polgraph.extract.read import Document, list_input_files, read_documents
from polgraph.progress import progress

# One batch of work for a worker: large enough that task overhead is negligible, small enough that both
# workers stay busy to the end and the progress bar moves.
BATCH_BYTES = 512 * 1024
BATCH_MAX_FILES = 256

# Key order of a record on output: the schema's order (extract/__init__.py), then any extra keys sorted.
RECORD_KEYS = ("path", "id", "title", "doc_number", "issuer", "date", "level", "region", "carries",
               "citations")
CITATION_KEYS = ("doc_number", "doc_number_raw", "title", "cited_issuer", "cited_level", "relation", "cue",
                 "start", "end", "sentence", "anonymised")


def _extract_text():
    from polgraph.extract.find import extract_text

    return extract_text


def extract_document(doc: Document, extract_text=None) -> dict:
    """The record of one Document (its path and any override id kept as given)."""
    if extract_text is None:
        extract_text = _extract_text()
    record = extract_text(doc.text, path=doc.path, overrides=doc.overrides or None)
    record["path"] = doc.path
    if "id" in doc.overrides:
        record["id"] = doc.overrides["id"]
    else:
        record.setdefault("id", None)
    return record


# ------------------------------------------------------------------------------------ worker entry points
# A result item is ("rec", record) or ("skip", path, reason), in input order.

def _extract_file(path: str, extract_text) -> list[tuple]:
    try:
        items = read_documents(path)
    except InputError as e:
        return [("skip", e.path, e.reason)]
    out = []
    for item in items:
        if isinstance(item, InputError):
            out.append(("skip", item.path, item.reason))
        else:
            out.append(("rec", _extract_or_explain(item, extract_text)))
    return out


def _extract_or_explain(doc: Document, extract_text) -> dict:
    try:
        return extract_document(doc, extract_text)
    except Exception as e:  # a bug in extraction: name the document, so it can be reported and reproduced
        raise RuntimeError(f"extracting {doc.path} failed: {type(e).__name__}: {e}") from e


def _extract_file_batch(paths: list[str]) -> list[list[tuple]]:
    extract_text = _extract_text()
    return [_extract_file(p, extract_text) for p in paths]


def _extract_doc_batch(docs: list[Document]) -> list[dict]:
    extract_text = _extract_text()
    return [_extract_or_explain(d, extract_text) for d in docs]


# ------------------------------------------------------------------------------------ batching and pools

def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _batches(items: list, size_of, jobs: int) -> list[list]:
    """Consecutive runs of `items` (input order kept) of about BATCH_BYTES each, smaller for a small input
    so that every worker still gets several batches."""
    sizes = [size_of(item) for item in items]
    limit = max(1, min(BATCH_BYTES, sum(sizes) // (4 * jobs)))
    batches, current, current_size = [], [], 0
    for item, size in zip(items, sizes):
        current.append(item)
        current_size += size
        if current_size >= limit or len(current) >= BATCH_MAX_FILES:
            batches.append(current)
            current, current_size = [], 0
    if current:
        batches.append(current)
    return batches


def _pool(jobs: int, start_method: str | None):
    # Load the extractor (and its data tables) before the pool starts: forked workers then inherit it.
    _extract_text()
    ctx = multiprocessing.get_context(start_method)
    # Forked workers would otherwise copy every page of the parent's heap as their GC touches the objects.
    gc.freeze()
    try:
        return ctx.Pool(processes=jobs)
    finally:
        gc.unfreeze()


def _run_batches(func, batches: list[list], jobs: int, start_method: str | None) -> Iterator[list]:
    """Results of func(batch) for each batch, in order; in-process when parallelism cannot pay off."""
    if jobs <= 1 or len(batches) <= 1:
        for batch in batches:
            yield func(batch)
        return
    pool = _pool(min(jobs, len(batches)), start_method)
    try:
        yield from pool.imap(func, batches, chunksize=1)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


# ------------------------------------------------------------------------------------ public API

def extract_paths(paths, jobs: int = 1, quiet: bool = False, *, start_method: str | None = None
                  ) -> tuple[list[dict], list[tuple[str, str]]]:
    """Extract every document under `paths` (files or folders).

    Return (records in input order, skipped [(path, reason)]: paths that do not exist first, then files and
    JSON Lines lines ("file:line") that cannot be used, in input order); the others are still extracted.
    `start_method` picks the multiprocessing start method for jobs > 1 (default: the platform's).
    """
    listed = list_input_files([os.fspath(p) for p in paths])
    files = [x for x in listed if not isinstance(x, InputError)]
    records: list[dict] = []
    skipped: list[tuple[str, str]] = []
    missing = {id(x): x for x in listed if isinstance(x, InputError)}

    # Missing paths are reported first, in the order given; files keep theirs.
    for item in listed:
        if id(item) in missing:
            skipped.append((item.path, item.reason))

    batches = _batches(files, _file_size, jobs) if jobs > 1 else [[f] for f in files]
    with progress(length=len(files), label="extracting", quiet=quiet) as bar:
        for batch_result in _run_batches(_extract_file_batch, batches, jobs, start_method):
            for file_result in batch_result:
                for item in file_result:
                    if item[0] == "rec":
                        records.append(item[1])
                    else:
                        skipped.append((item[1], item[2]))
                bar.update(1)
    return records, skipped


def extract_documents(docs: Iterable[Document], jobs: int = 1, quiet: bool = False, *,
                      start_method: str | None = None) -> list[dict]:
    """Records of in-memory Documents, in their order (their text is sent to the workers when jobs > 1)."""
    docs = list(docs)
    batches = (_batches(docs, lambda d: len(d.text) * 3, jobs) if jobs > 1 else [[d] for d in docs])
    records: list[dict] = []
    with progress(length=len(docs), label="extracting", quiet=quiet) as bar:
        for batch_result in _run_batches(_extract_doc_batch, batches, jobs, start_method):
            records.extend(batch_result)
            bar.update(len(batch_result))
    return records


def _ordered(d: dict, keys: tuple) -> dict:
    out = {k: d[k] for k in keys if k in d}
    for k in sorted(k for k in d if k not in out):
        out[k] = d[k]
    return out


def record_to_json(record: dict) -> str:
    """One JSON line for a record: keys in schema order (extras sorted), non-ASCII kept as is.

    The same record always gives the same bytes.
    """
    rec = _ordered(record, RECORD_KEYS)
    if isinstance(rec.get("citations"), list):
        rec["citations"] = [_ordered(c, CITATION_KEYS) if isinstance(c, dict) else c for c in rec["citations"]]
    return json.dumps(rec, ensure_ascii=False, separators=(", ", ": "))

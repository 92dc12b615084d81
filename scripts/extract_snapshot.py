#!/usr/bin/env python3
"""Freeze what the extractor says, so that a speed-up can be shown not to change it.

usage: .venv/bin/python scripts/extract_snapshot.py OUT.jsonl [--root DIR] [--corpus DIR ...]
       .venv/bin/python scripts/extract_snapshot.py --diff A.jsonl B.jsonl

Runs polgraph.extract.find.extract_text over every document of the shared corpora (all of
../shared/corpora/*/ except ptc-docnumber-index, which holds number strings, not documents) and data/sample,
and writes one JSON line per document (sorted keys, so equal output gives equal bytes). The last line is
the sha256 of all lines before it.

--root DIR imports polgraph from another checkout (e.g. a `git worktree add /tmp/perfbase <commit>`) instead
of the installed one, so the "before" and "after" of a change can be run side by side on the same corpora.
--diff prints the first documents whose records differ, field by field, and exits 1 when any do.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("POLGRAPH_SHARED", REPO.parent / "shared"))
SKIP_CORPORA = {"ptc-docnumber-index"}
_SUBPACKAGES = {"polgraph": "polgraph", "polgraph.extract": "extract", "polgraph.graph": "graph",
                "polgraph.data": "data", "polgraph.cypher": "cypher"}


def import_from(root: Path) -> None:
    """Make `import polgraph…` load the source tree at `root` (the folder mapping of pyproject.toml)."""
    for name, folder in _SUBPACKAGES.items():
        init = root / folder / "__init__.py"
        spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(root / folder)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        if "." in name:
            setattr(sys.modules["polgraph"], name.split(".")[1], module)


def default_inputs() -> list[Path]:
    corpora = sorted(p for p in (SHARED / "corpora").iterdir() if p.is_dir() and p.name not in SKIP_CORPORA)
    return corpora + [REPO / "data" / "sample"]


def snapshot(inputs: list[Path], out: Path) -> None:
    from polgraph.extract.find import extract_text
    from polgraph.extract.read import read_file

    digest = hashlib.sha256()
    n_docs = n_cit = 0
    t_extract = 0.0
    with out.open("w", encoding="utf-8") as fh:
        for root in inputs:
            for f in sorted(root.rglob("*.txt")):
                for doc in read_file(str(f)):
                    t0 = time.perf_counter()
                    rec = extract_text(doc.text, path=doc.path, overrides=doc.overrides or None)
                    t_extract += time.perf_counter() - t0
                    rec["path"] = os.path.relpath(f, root.parent)
                    line = json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n"
                    digest.update(line.encode("utf-8"))
                    fh.write(line)
                    n_docs += 1
                    n_cit += len(rec["citations"])
        fh.write(json.dumps({"sha256": digest.hexdigest()}) + "\n")
    print(f"{n_docs} documents, {n_cit} citations, extract_text {t_extract:.1f} s; sha256 {digest.hexdigest()}")


def diff(a: Path, b: Path, show: int = 10, ignore: tuple[str, ...] = ()) -> int:
    la = a.read_text(encoding="utf-8").splitlines()
    lb = b.read_text(encoding="utf-8").splitlines()
    if la == lb:
        print(f"identical: {len(la) - 1} documents")
        return 0

    def records(lines):
        out = {}
        for r in map(json.loads, lines[:-1]):
            for key in ignore:
                r.pop(key, None)
            out[r["path"]] = r
        return out

    ra, rb = records(la), records(lb)
    bad = 0
    for path in sorted(set(ra) | set(rb)):
        x, y = ra.get(path), rb.get(path)
        if x == y:
            continue
        bad += 1
        if bad > show:
            continue
        if x is None or y is None:
            print(f"{path}: only in {'B' if x is None else 'A'}")
            continue
        for key in sorted(set(x) | set(y)):
            if x.get(key) != y.get(key):
                vx, vy = json.dumps(x.get(key), ensure_ascii=False), json.dumps(y.get(key), ensure_ascii=False)
                print(f"{path}: {key}\n  A {vx[:400]}\n  B {vy[:400]}")
    print(f"{bad} of {len(set(ra) | set(rb))} documents differ" + (f" (ignoring {', '.join(ignore)})" if ignore else ""))
    return 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("out", type=Path, nargs="?")
    ap.add_argument("--root", type=Path, help="import polgraph from this source tree")
    ap.add_argument("--corpus", type=Path, action="append", help="a folder of .txt documents (repeatable)")
    ap.add_argument("--diff", type=Path, nargs=2, metavar=("A", "B"))
    ap.add_argument("--ignore", action="append", default=[], help="with --diff: a record field not compared")
    args = ap.parse_args(argv)
    if args.diff:
        return diff(*args.diff, ignore=tuple(args.ignore))
    if args.out is None:
        ap.error("OUT is required")
    if args.root:
        import_from(args.root.resolve())
    snapshot(args.corpus or default_inputs(), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Freeze what the extractor says, so that a speed-up can be shown not to change it.

usage: .venv/bin/python scripts/extract_snapshot.py OUT.jsonl [--root DIR] [--corpus DIR ...] [--synthetic N]
       .venv/bin/python scripts/extract_snapshot.py --diff A.jsonl B.jsonl

Runs polgraph.extract.find.extract_text over every document of the shared corpora (all of
../shared/corpora/*/ except ptc-docnumber-index, which holds number strings, not documents) and data/sample,
and writes one JSON line per document (sorted keys, so equal output gives equal bytes). The last line is
the sha256 of all lines before it.

--synthetic N adds N seeded random documents built from the pieces the extractor reacts to (numbers, brackets,
cues, labels, history headers, signatures), a third of them long enough to reach past its windows.
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


# What the extractor reacts to (numbers, brackets, cues, labels, history headers, signatures, place names, duty
# notes), and long runs to reach past its windows: --synthetic documents are seeded random mixes of these.
SYNTHETIC_PIECES = [
    "，", "；", "。", "：", ":", "\n", "\n\n", " ", "\u3000", "、", "《", "》", "（", "）", "(", ")", "〔", "〕", "<", ">", "〈", "〉",
    "“", "”", "！", "？", "以及", "和", "根据", "依据", "为贯彻落实", "按照", "参照", "的", "关于", "通知", "办法", "条例", "同时废止",
    "废止", "精神", "修正", "修订", "印发", "转发", "以下简称", "附件1：", "山西省人力资源和社会保障厅", "人民政府", "办公室", "国务院",
    "2000年", "11月", "17日", "施行", "通过", "<!-- INFO END -->", "编制了", "发文字号：", "文号:", "【字号】", "【标题】",
    "发文机关：", "成文日期：", "2015年6月1日", "国发〔2015〕33号", "国办发〔2015〕33号", "国务院令第588号", "國發〔2015〕3號",
    "33号、34号", "现将《X》印发给你们", "# 标题\n", "负责", "（省财政厅、市财政局按职责分工负责）", "我省", "全市", "各省、自治区、直辖市人民政府：",
    "本办法由市政府负责解释。", "晋人社厅[2012]106号", "《中华人民共和国宪法》", "《关于印发<A办法>的通知》", "常德市西洞庭管理区",
    "北京市人民政府\n2020年1月1日\n", "二〇〇四年六月二十六日印发\n", "甲" * 50, "乙" * 300,
]


def synthetic_documents(n: int, seed: int = 7):
    """(path, text) of n seeded random documents of SYNTHETIC_PIECES, short and long."""
    import random

    rng = random.Random(seed)
    for i in range(n):
        size = rng.randint(5, 400) if i % 3 else rng.randint(500, 4000)
        yield f"synthetic/{i:05d}", "".join(rng.choice(SYNTHETIC_PIECES) for _ in range(size))


def snapshot(inputs: list[Path], out: Path, synthetic: int = 0) -> None:
    from polgraph.extract.find import extract_text
    from polgraph.extract.read import read_file

    def documents():
        for root in inputs:
            for f in sorted(root.rglob("*.txt")):
                for doc in read_file(str(f)):
                    yield os.path.relpath(f, root.parent), doc.text, doc.path, doc.overrides or None
        for path, text in synthetic_documents(synthetic):
            yield path, text, path, None

    digest = hashlib.sha256()
    n_docs = n_cit = 0
    t_extract = 0.0
    with out.open("w", encoding="utf-8") as fh:
        for rel, text, path, overrides in documents():
            t0 = time.perf_counter()
            rec = extract_text(text, path=path, overrides=overrides)
            t_extract += time.perf_counter() - t0
            rec["path"] = rel
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
    ap.add_argument("--synthetic", type=int, default=0, metavar="N",
                    help="also N seeded random documents made of what the extractor reacts to (odd paths, long windows)")
    args = ap.parse_args(argv)
    if args.diff:
        return diff(*args.diff, ignore=tuple(args.ignore))
    if args.out is None:
        ap.error("OUT is required")
    if args.root:
        import_from(args.root.resolve())
    snapshot(args.corpus or default_inputs(), args.out, args.synthetic)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

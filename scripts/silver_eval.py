#!/usr/bin/env python3
"""Silver evaluation: own-metadata accuracy of `polgraph extract` against the labels of corpus manifests.

Usage: scripts/silver_eval.py [--corpora DIR] [--corpus NAME ...] [--misses] [--json] [--jobs N]

The dev gold set is small (24 documents); the corpus manifests label many more documents, less carefully.
Per corpus, the fields whose manifest column can be trusted are compared (README of each corpus):

  govcn-statecouncil-2019  doc_number, issuer, date, level   (gov.cn metadata table: authoritative)
  lawrefbook-laws          level; doc_number where the manifest gives one (the orders); date
  ptc-sample               level (the authors' level) for rows with looks_like_policy_doc = yes
  xvshiting-smart-policy   level (derived from the English issuer by the dataset authors)
  city-gov-work-reports    level (each file named by a city; three of them are in fact the State Council's report,
                           which the text says: 我代表国务院)

Numbers are compared with the scorer's norm_number (../shared/eval/score.py). Where the manifest writes a
number another way than the text (国令第707号 for 国务院令第707号) the miss is still counted (the gold follows the
text) but marked `same key` when DocNumber.key agrees. Silver labels are noisy: a miss is a lead to read, not a
verdict (ptc-sample labels a 北京市密云区 document with its portal's level, provincial; GUIDELINES say county).
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
from pathlib import Path

DEFAULT_CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
CORPORA = ("govcn-statecouncil-2019", "lawrefbook-laws", "ptc-sample", "xvshiting-smart-policy",
           "city-gov-work-reports")
FIELDS = {
    "govcn-statecouncil-2019": ("doc_number", "issuer", "date", "level"),
    "lawrefbook-laws": ("doc_number", "date", "level"),
    "ptc-sample": ("level",),
    "xvshiting-smart-policy": ("level",),
    "city-gov-work-reports": ("level",),
}
# the authors' level words -> GUIDELINES levels (成都 is a sub-provincial city: municipal; 京津沪渝 are provincial)
_LEVEL_WORDS = {"central": "central", "provincial": "provincial", "municipal": "municipal", "county": "county",
                "municipal/county (sub-provincial)": "municipal", "provincial-level municipality": "provincial"}


def _scorer(corpora: Path):
    path = corpora.parent / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("polgraph_silver_score", path)
    if spec is None or not path.is_file():
        raise SystemExit(f"{path}: the scorer is missing (needed for its norm_number)")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_manifest(corpus_dir: Path) -> list[dict]:
    path = corpus_dir / "MANIFEST.tsv"
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as e:
        raise SystemExit(f"{path}: cannot read ({e.strerror})")


def expected(corpus: str, row: dict) -> dict:
    """The silver label of each evaluated field of one manifest row (a field left out is not evaluated)."""
    out = {}
    fields = FIELDS[corpus]
    if corpus == "ptc-sample" and row.get("looks_like_policy_doc") != "yes":
        return out  # news, speeches, a 解读: the gold would say unknown; not a level to score
    if "level" in fields and _LEVEL_WORDS.get(row.get("level", "")):
        out["level"] = _LEVEL_WORDS[row["level"]]
    if "doc_number" in fields and row.get("doc_number"):
        out["doc_number"] = row["doc_number"]
    if "date" in fields and len(row.get("date") or "") == 10:
        out["date"] = row["date"]
    if "issuer" in fields and row.get("issuer"):
        out["issuer"] = sorted(p for p in row["issuer"].replace("/", "、").split("、") if p)
    return out


def _same_key(a: str | None, b: str | None) -> bool:
    from polgraph.extract.docnumber import parse_docnumber

    pa, pb = parse_docnumber(a or ""), parse_docnumber(b or "")
    return pa is not None and pb is not None and pa.key == pb.key


def compare(field: str, want, record: dict, norm_number) -> bool:
    got = record.get(field)
    if field == "doc_number":
        return norm_number(got) == norm_number(want)
    if field == "issuer":
        return sorted(got or []) == want
    return got == want


def evaluate(corpora: Path = DEFAULT_CORPORA, names=CORPORA, jobs: int = 1, quiet: bool = True) -> dict:
    """{corpus: {field: {"n", "ok", "accuracy", "misses": [{"file", "expected", "got", "note"}]}}}."""
    from polgraph.extract.pipeline import extract_paths

    norm_number = _scorer(corpora).norm_number
    result = {}
    for corpus in names:
        d = corpora / corpus
        rows = load_manifest(d)
        records, _ = extract_paths([d / r["file"] for r in rows], jobs=jobs, quiet=quiet)
        by_file = {Path(r["path"]).name: r for r in records}
        stats = {f: {"n": 0, "ok": 0, "accuracy": None, "misses": []} for f in FIELDS[corpus]}
        for row in rows:
            rec = by_file.get(row["file"], {})
            for field, want in expected(corpus, row).items():
                s = stats[field]
                s["n"] += 1
                if compare(field, want, rec, norm_number):
                    s["ok"] += 1
                    continue
                got = rec.get(field)
                note = "same key" if field == "doc_number" and _same_key(got, want) else ""
                s["misses"].append({"file": row["file"], "expected": want, "got": got, "note": note,
                                    "title": rec.get("title")})
        for s in stats.values():
            s["accuracy"] = round(s["ok"] / s["n"], 4) if s["n"] else None
        result[corpus] = stats
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--corpus", action="append", choices=CORPORA)
    ap.add_argument("--misses", action="store_true", help="list every miss")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args(argv)
    res = evaluate(a.corpora, tuple(a.corpus or CORPORA), jobs=a.jobs)
    if a.json:
        print(json.dumps(res, ensure_ascii=False, sort_keys=True))
        return 0
    for corpus, stats in res.items():
        for field, s in stats.items():
            print(f"{corpus:26} {field:11} {s['ok']:5}/{s['n']:<5} {s['accuracy']}")
    if a.misses:
        for corpus, stats in res.items():
            for field, s in stats.items():
                for m in s["misses"]:
                    exp = m["expected"] if not isinstance(m["expected"], list) else "、".join(m["expected"])
                    got = m["got"] if not isinstance(m["got"], list) else "、".join(m["got"])
                    note = f"  [{m['note']}]" if m["note"] else ""
                    print(f"MISS {corpus}/{m['file']} {field}: expected {exp} got {got}{note}  | {m['title']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

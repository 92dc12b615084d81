"""The labelled dev set: `polgraph extract` over its documents, scored by the shared scorer with the bounds of
issue 2 (num_f1 ≥ 0.95, tit_f1 ≥ 0.90, relation_accuracy ≥ 0.85, own_number_accuracy ≥ 0.95, level_accuracy ≥ 0.85)
and issue 12 (own title, date, issuer and carries accuracy ≥ 0.95 each)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

BOUNDS = {"num_f1": 0.95, "tit_f1": 0.90, "relation_accuracy": 0.85, "own_number_accuracy": 0.95,
          "level_accuracy": 0.85, "own_title_accuracy": 0.95, "own_date_accuracy": 0.95, "own_issuer_accuracy": 0.95,
          "carries_accuracy": 0.95}


@pytest.fixture(scope="module")
def gold(shared_dir):
    path = shared_dir / "gold" / "dev.jsonl"
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return path, docs


@pytest.fixture(scope="module")
def system_output(gold, shared_dir, tmp_path_factory):
    _, docs = gold
    out = tmp_path_factory.mktemp("gold") / "out.jsonl"
    paths = [str(shared_dir / "corpora" / d["doc"]) for d in docs]
    proc = subprocess.run([sys.executable, "-m", "polgraph", "extract", "-q", "-o", str(out), *paths],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


def test_scorer_bounds_on_dev_set(gold, system_output, shared_dir):
    gold_path, _ = gold
    args = [sys.executable, str(shared_dir / "eval" / "score.py"), str(gold_path), str(system_output), "--json"]
    for k, v in BOUNDS.items():
        args += ["--require", f"{k}={v}"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
    metrics = json.loads(proc.stdout.splitlines()[0])
    assert metrics["documents_missing"] == 0
    assert proc.returncode == 0, proc.stdout


def test_every_gold_document_yields_spans_that_hold_the_citation(gold, system_output, shared_dir):
    for line in system_output.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        text = open(rec["path"], encoding="utf-8").read()
        for c in rec["citations"]:
            span = text[c["start"]:c["end"]]
            if c["doc_number_raw"] and c["title"] is None:
                assert c["doc_number_raw"] in span, (rec["path"], c)
            if c["title"] and c["doc_number_raw"] is None:
                assert span.startswith("《") and span.endswith("》"), (rec["path"], c)


def test_no_own_number_is_reported_as_a_citation(gold, system_output):
    for line in system_output.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["doc_number"]:
            assert rec["doc_number"] not in {c["doc_number"] for c in rec["citations"]}

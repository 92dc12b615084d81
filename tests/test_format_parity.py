"""Format parity: every document of ../shared/gold/dev.jsonl as PDF (chromium --print-to-pdf of an HTML
rendering), DOCX (python-docx), OFD (tests/formats_support.py's writer) and DOC (LibreOffice, committed under
tests/fixtures/formats/dev-doc by scripts/make_format_fixtures.py) scores within 0.02 of the plain text on every
metric of ../shared/eval/score.py (counts such as own_number_false: equal)."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest

from formats_support import write_docx, write_ofd, write_pdf
from polgraph.extract.pipeline import extract_paths

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "dev-doc"
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def scorer(shared_dir):
    spec = importlib.util.spec_from_file_location("polgraph_shared_score", shared_dir / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gold(shared_dir):
    path = shared_dir / "gold" / "dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _score(scorer, gold, paths: list[str], name_of) -> dict:
    records, skipped = extract_paths(paths)
    assert not skipped, skipped
    for rec in records:  # the scorer matches records by their original name (seed/00004.txt)
        rec["path"] = name_of(rec["path"])
    metrics, missing = scorer.score(gold, records)
    assert not missing, missing
    return metrics


@pytest.fixture(scope="module")
def plain(scorer, gold, corpora):
    return _score(scorer, gold, [str(corpora / g["doc"]) for g in gold], lambda p: p)


def _rendered(tmp_path_factory, gold, corpora, fmt: str) -> list[str]:
    writers = {"pdf": write_pdf, "docx": write_docx, "ofd": write_ofd}
    root = tmp_path_factory.mktemp(fmt)
    paths = []
    for g in gold:
        corpus, name = g["doc"].split("/")
        target = root / corpus / f"{Path(name).stem}.{fmt}"
        target.parent.mkdir(exist_ok=True)
        if fmt == "doc":
            shutil.copyfile(FIXTURES / corpus / target.name, target)
        else:
            writers[fmt]((corpora / g["doc"]).read_text(encoding="utf-8"), target)
        paths.append(str(target))
    return paths


@pytest.mark.parametrize("fmt", ["pdf", "docx", "ofd", "doc"])
def test_every_dev_document_scores_as_its_text(fmt, scorer, gold, corpora, plain, tmp_path_factory):
    if fmt == "doc" and not shutil.which("antiword"):
        pytest.skip("antiword not installed (apt-get install antiword catdoc)") if not os.environ.get("CI") \
            else pytest.fail("antiword missing in CI")
    paths = _rendered(tmp_path_factory, gold, corpora, fmt)
    metrics = _score(scorer, gold, paths, lambda p: str(Path(p).with_suffix(".txt")))
    far = {k: (plain[k], v) for k, v in metrics.items() if _far(plain[k], v)}
    assert not far, f"{fmt}: metric (plain, {fmt}) {far}"


def _far(plain, value) -> bool:
    """A ratio more than TOLERANCE from the text's, or a count (gold items, false own numbers) not equal."""
    if not isinstance(value, (int, float)) or plain is None:
        return False
    if isinstance(value, int) and isinstance(plain, int):
        return value != plain
    return abs(value - plain) > TOLERANCE

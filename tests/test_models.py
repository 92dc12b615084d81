"""The record model (polgraph/models.py) is the schema: the README shows exactly its fields, extraction writes
exactly its JSON form, and a record survives the typed round trip byte for byte."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from factories import citation, record
from polgraph.extract.pipeline import extract_paths, record_to_json
from polgraph.models import CITATION_KEYS, EFFECTIVE_KEYS, MENTION_KEYS, RECORD_KEYS, Citation, Record

ROOT = Path(__file__).resolve().parents[1]


def readme_record() -> dict:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"### `polgraph extract` output.*?```json\n(.*?)```", text, re.S)
    assert block, "README has no `polgraph extract` output example"
    return json.loads(block.group(1))


def test_readme_record_lists_exactly_the_model_fields_in_order():
    example = readme_record()
    assert tuple(example) == RECORD_KEYS
    assert tuple(example["citations"][0]) == CITATION_KEYS
    assert tuple(example["citations"][0]["mentions"][0]) == MENTION_KEYS
    assert tuple(example["effective"]) == EFFECTIVE_KEYS


def test_readme_example_is_a_record():
    example = readme_record()
    assert json.loads(Record.from_dict(example).to_json()) == example


def sample_records() -> list[dict]:
    paths = [str(ROOT / "data" / "sample"), str(ROOT / "data" / "diffusion_sample")]
    records, skipped = extract_paths(paths, quiet=True)
    assert records and not skipped
    return records


def test_extraction_writes_the_model_json():
    """Every record extracted from the samples, read into the model and written back, gives the same bytes."""
    records = sample_records()
    for rec in records:
        line = record_to_json(rec)
        typed = Record.from_json(line)
        assert typed.to_json() == line
        assert Record.from_dict(rec).to_dict() == json.loads(line)
    citations = [c for r in records for c in r["citations"]]
    assert citations and all(tuple(c) == CITATION_KEYS for c in citations)
    assert all(tuple(m) == MENTION_KEYS for c in citations for m in c["mentions"])
    lifecycle = [r["effective"] for r in records if r["effective"]]
    assert lifecycle and all(tuple(e) == EFFECTIVE_KEYS for e in lifecycle)


def test_portal_fields_are_extras_after_the_schema():
    """A portal page's index_number/topic are written after the schema's fields, sorted (Record.extra)."""
    records, _ = extract_paths([str(ROOT / "tests" / "fixtures" / "real_world")], quiet=True)
    with_extra = [r for r in records if "index_number" in r]
    assert with_extra
    for rec in with_extra:
        typed = Record.from_dict(rec)
        line = typed.to_json()
        assert line == record_to_json(rec)
        keys = list(json.loads(line))
        assert keys[:len(RECORD_KEYS)] == list(RECORD_KEYS)
        assert keys[len(RECORD_KEYS):] == sorted(typed.extra) and "index_number" in typed.extra


def test_factories_build_consistent_records():
    c = citation("国发〔2014〕5号", "国务院关于深化改革的意见", level="central", start=10)
    assert c.sentence.startswith("为贯彻落实《国务院关于深化改革的意见》（国发〔2014〕5号）")
    assert (c.mentions[0].start, c.mentions[0].end, c.mentions[0].relation) == (c.start, c.end, c.relation)
    r = record("a.txt", "某省实施方案", "某政发〔2015〕1号", "provincial", "2015-03-01", citations=[c],
               effective_on="2015-04-01", expires_on="2020-03-31")
    assert Record.from_json(r.to_json()) == r
    assert json.loads(r.to_json())["effective"]["date"] == "2015-04-01"


def test_unknown_mention_field_is_an_error():
    with pytest.raises(TypeError):
        Citation.from_dict({"mentions": [{"start": 0, "end": 1, "sentence": "", "cue": None, "relation": "CITES",
                                          "colour": "red"}]})

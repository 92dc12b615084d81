"""`polgraph diffusion` on the hand-written dated corpus data/diffusion_sample: a State Council opinion, the
provincial, municipal and county documents implementing it (with dates), one undated municipal plan, one
provincial document in traditional characters and one that only refers to it. The text output is pinned
(tests/expected/, checked by hand against the documents)."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import REPO
from polgraph.cli import cli
from polgraph.graph.build import build_graph
from polgraph.graph.diffusion import diffusion

CORPUS = REPO / "data" / "diffusion_sample"
TRADITIONAL = "07_guangdong_traditional.txt"
EXPECTED = REPO / "tests" / "expected"


@pytest.fixture(scope="module")
def simplified_corpus(tmp_path_factory):
    """The corpus without its traditional-character document (pinned apart, in test_the_traditional_character_document_adopts)."""
    d = tmp_path_factory.mktemp("diffusion_sample")
    for f in sorted(CORPUS.glob("*.txt")):
        if f.name != TRADITIONAL:
            shutil.copy(f, d / f.name)
    return d


@pytest.mark.parametrize("unit", ["province", "city", "county"])
def test_text_output_is_pinned(simplified_corpus, unit):
    r = CliRunner().invoke(cli, ["diffusion", str(simplified_corpus), "国办发[2019]58号", "--unit", unit, "-q"])
    assert r.exit_code == 0, r.output
    assert r.output == (EXPECTED / f"diffusion_sample_{unit}.txt").read_text(encoding="utf-8")


def test_the_undated_and_the_referring_documents():
    result = diffusion(build_graph([str(CORPUS)], quiet=True), "国办发〔2019〕58号")
    assert [d["id"] for d in result["undated"]] == ["临政发〔2019〕25号"]
    assert "河南省" in {u["unit"] for u in result["not_adopted"]}  # 参照 is REFERS_TO, not an adoption
    with_refers = diffusion(build_graph([str(CORPUS)], quiet=True), "国办发〔2019〕58号",
                            relations=["IMPLEMENTS", "REFERS_TO"])
    assert "河南省" in {u["unit"] for u in with_refers["units"]}


def test_the_traditional_character_document_adopts():
    result = diffusion(build_graph([str(CORPUS)], quiet=True), "国办发〔2019〕58号")
    guangdong = next(u for u in result["units"] if u["unit"] == "广东省")
    assert (guangdong["adcode"], guangdong["first"]["date"], guangdong["lag_days"], guangdong["route"],
            guangdong["first"]["level"]) == ("440000", "2019-07-30", 109, "direct", "provincial")

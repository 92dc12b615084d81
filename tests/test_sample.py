"""The sample corpus (data/sample, the seed documents): the facts the README's example rests on."""
from __future__ import annotations

import pytest

from polgraph.extract.find import extract_text


@pytest.fixture(scope="module")
def sample(sample_dir):
    out = {}
    for p in sorted(sample_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        out[p.stem] = (text, extract_text(text, path=str(p)))
    return out


def _cit(rec, number):
    found = [c for c in rec["citations"] if c["doc_number"] == number]
    assert len(found) == 1, f"{number} not cited once in {rec['path']}: {[c['doc_number'] for c in rec['citations']]}"
    return found[0]


def _span_holds(text, c):
    span = text[c["start"]:c["end"]]
    if c["doc_number_raw"]:
        assert c["doc_number_raw"] in span
    if c["title"]:
        assert c["title"].replace("《", "").replace("》", "")[:6] in span.replace("<", "").replace(">", "").replace("\n", "")


def test_state_council_opinion_own_number_and_municipal_plan_implements_it(sample):
    _, own = sample["00004"]
    assert own["doc_number"] == "国办发〔2015〕33号"
    assert own["title"] == "国务院办公厅关于全面推开县级公立医院综合改革的实施意见"
    assert all(c["doc_number"] != "国办发〔2015〕33号" for c in own["citations"])
    text, plan = sample["00002"]
    assert plan["doc_number"] is None
    c = _cit(plan, "国办发〔2015〕33号")
    assert c["relation"] == "IMPLEMENTS"
    assert c["title"] == "国务院办公厅关于全面推开县级公立医院综合改革的实施意见"
    _span_holds(text, c)


def test_guo_fa_2012_11_carries_its_title(sample):
    text, rec = sample["00004"]
    c = _cit(rec, "国发〔2012〕11号")
    assert c["title"] == "国务院关于印发“十二五”期间深化医药卫生体制改革规划暨实施方案的通知"
    assert c["relation"] == "IMPLEMENTS"
    _span_holds(text, c)
    # the two titles before it in the list have no number
    assert [x["doc_number"] for x in rec["citations"]] == [None, None, "国发〔2012〕11号"]


def test_pu_zheng_fa_implements_yun_zheng_fa(sample):
    text, rec = sample["00008"]
    assert rec["doc_number"] == "普政发〔2022〕38号"
    assert rec["carries"] == ["关于强化财政资源统筹深化预算管理制度改革的实施意见"]
    assert rec["date"] == "2022-06-20"
    c = _cit(rec, "云政发〔2021〕20号")
    assert c["relation"] == "IMPLEMENTS"
    _span_holds(text, c)
    assert len(rec["citations"]) == 1  # the carried 实施意见 is not a citation


def test_anze_county_document_is_based_on_two_numbered_notices(sample):
    text, rec = sample["00003"]
    a = _cit(rec, "晋人社厅〔2012〕106号")
    b = _cit(rec, "安政办发〔2012〕26号")
    assert a["relation"] == b["relation"] == "BASED_ON"
    assert a["cited_issuer"] == "山西省人力资源和社会保障厅"
    assert b["cited_issuer"] == "安泽县人民政府办公室"
    assert a["title"] == "关于印发《山西省深化县级公立医院人事制度改革意见》的通知"
    for c in (a, b):
        _span_holds(text, c)
    assert rec["level"] == "county"


def test_title_split_by_a_line_break_is_one_citation(sample):
    text, rec = sample["00009"]
    assert [c["title"] for c in rec["citations"]] == ["关于开展县委权力公开透明运行试点工作的意见"]
    _span_holds(text, rec["citations"][0])


def test_documents_without_citations(sample):
    for stem in ("00005", "00007"):
        assert sample[stem][1]["citations"] == []

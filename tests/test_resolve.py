"""Title normalisation, the title index (exact, wrapper, issuer-less) and blocked fuzzy matching."""
from __future__ import annotations

import pytest

from polgraph.graph import resolve
from polgraph.graph.resolve import (TitleIndex, issuer_compatible, issuerless, normalize_title, title_id, title_keys,
                                    unwrap_title, year_of_number)


def test_normalize_title_ignores_marks_spaces_and_width():
    assert normalize_title("《关于 印发〈某某办法〉的通知》") == "关于印发某某办法的通知"
    assert normalize_title("某某办法（试行）") == normalize_title("某某办法(试行)") == "某某办法(试行)"
    assert normalize_title("“十二五”期间规划") == "十二五期间规划"
    assert normalize_title(None) == "" and normalize_title("") == ""


def test_unwrap_title_finds_the_carried_instrument():
    assert unwrap_title("山西省人力资源和社会保障厅关于印发<山西省深化县级公立医院人事制度改革意见>的通知") == \
        "山西省深化县级公立医院人事制度改革意见"
    assert unwrap_title("国务院办公厅转发财政部关于某某工作意见的通知") == "财政部关于某某工作意见"
    assert unwrap_title("国务院办公厅关于全面推开县级公立医院综合改革的实施意见") is None
    assert unwrap_title("关于印发表格的通知") is None  # too short to be an instrument title


def test_title_keys_and_issuerless():
    keys = title_keys("普洱市人民政府关于印发《关于强化财政资源统筹深化预算管理制度改革的实施意见》的通知")
    assert keys == ["普洱市人民政府关于印发关于强化财政资源统筹深化预算管理制度改革的实施意见的通知",
                    "关于强化财政资源统筹深化预算管理制度改革的实施意见"]
    assert issuerless("国务院关于某事的意见") == "关于某事的意见"
    assert issuerless("关于某事的意见") is None


def test_title_id_is_stable_and_normalised():
    assert title_id("某某办法") == title_id("《某某办法》") == "t:" + __import__("hashlib").sha1(
        "某某办法".encode()).hexdigest()[:16]
    assert title_id("某某办法") != title_id("某某条例")


def test_year_of_number():
    assert year_of_number("国办发〔2015〕33号") == 2015
    assert year_of_number("国务院令第588号") is None
    assert year_of_number(None) is None


@pytest.fixture
def index():
    idx = TitleIndex()
    idx.add("A", "国务院关于印发《某某规划》的通知", "title")
    idx.add("A", "某某规划", "alias")
    idx.add("B", "山西省人民政府关于加强农村饮水安全工作的意见", "title")
    idx.add("C", "云南省人民政府关于加强农村饮水安全工作的意见", "title")
    idx.add("D", "中华人民共和国预算法", "title")
    return idx


def test_lookup_by_title_alias_and_wrapper(index):
    assert index.lookup("国务院关于印发《某某规划》的通知") == (["A"], "title", False)
    assert index.lookup("某某规划") == (["A"], "alias", False)
    assert index.lookup("国务院关于印发某某规划的通知") == (["A"], "title", False)
    assert index.lookup("某某规划", exclude="A") is None
    assert index.lookup("别的规划") is None


def test_issuerless_lookup_is_weak_and_lists_every_candidate(index):
    assert index.lookup("关于加强农村饮水安全工作的意见") == (["B", "C"], "alias", True)


def test_fuzzy_finds_a_loosely_quoted_title(index):
    node, score = index.fuzzy("山西省人民政府关于进一步加强农村饮水安全工作的意见")
    assert node == "B" and 90 <= score < 100
    assert index.fuzzy("山西省人民政府关于加强农村饮水安全工作的意见", accept=lambda n: n != "B") is None


def test_fuzzy_rejects_other_places_years_and_short_titles():
    idx = TitleIndex()
    idx.add("X", "山西省2019年农村饮水安全工作要点", "title")
    idx.add("Y", "山西省道路运输条例", "title")
    idx.add("Z", "中华人民共和国劳动合同法", "title")
    assert idx.fuzzy("山西省2020年农村饮水安全工作要点") is None  # another year's 要点 is another document
    assert idx.fuzzy("陕西省道路运输条例") is None  # another province's 条例
    assert idx.fuzzy("运输条例") is None
    # similar but not a tolerated variant: another law
    assert idx.fuzzy("中华人民共和国合同法") is None
    assert idx.fuzzy("山西省道路运输管理条例") is None


def test_fuzzy_tolerates_only_listed_wording_variants():
    idx = TitleIndex()
    idx.add("A", "最高人民法院关于审理侵犯植物新品种权纠纷案件具体应用法律问题的若干规定", "title")
    idx.add("B", "山西省人民政府关于进一步加强道路运输安全工作的意见", "title")
    assert idx.fuzzy("最高人民法院关于审理侵害植物新品种权纠纷案件适用法律问题的若干规定")[0] == "A"
    assert idx.fuzzy("山西省人民政府关于加强道路运输安全的意见")[0] == "B"
    assert idx.fuzzy("山西省人民政府关于加强道路运输安全管理的意见") is None


def test_title_variants_table():
    rules = dict(resolve.title_variants())
    assert rules["进一步"] == "" and rules["与"] == "和"
    assert all(v and v != c for v, c in rules.items())
    # nothing that tells documents apart may be tolerated
    assert not {"实施", "暂行", "试行", "管理", "条例", "法", "若干"} & set(rules)
    assert resolve.canonical_title("关于进一步加强与改进某某工作的意见") == "关于加强和改进某某的意见"


def test_fuzzy_scores_only_a_few_candidates(monkeypatch):
    """Blocking: however large the index, one query scores at most _FUZZY_CANDIDATES titles."""
    idx = TitleIndex()
    for i in range(3000):
        idx.add(f"n{i}", f"某某县人民政府关于加强第{i}项农村工作的实施意见", "title")
    calls = []
    real = resolve.fuzz.ratio

    def counting(a, b):
        calls.append(b)
        return real(a, b)

    monkeypatch.setattr(resolve.fuzz, "ratio", counting)
    assert idx.fuzzy("某某县人民政府关于加强第1234项农村的实施意见")[0] == "n1234"
    assert len(calls) <= resolve._FUZZY_CANDIDATES


def test_issuer_compatible():
    assert issuer_compatible("山西省人民政府", ["山西省人民政府办公厅"])
    assert issuer_compatible(None, ["国务院"])
    assert issuer_compatible("水利部", [])
    assert not issuer_compatible("水利部", ["临汾市人民政府"])

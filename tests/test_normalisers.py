"""One normaliser each for titles and for 文号: the title keys live in extract/titles.py (one set of characters,
two strengths, the difference on purpose), the number keys in extract/docnumber.py; render's search table agrees
with the number parser's brackets."""
from __future__ import annotations

from hypothesis import given, strategies as st

from polgraph.extract import docnumber, titles
from polgraph.extract.titles import normalize_title, title_key
from polgraph.graph import render, resolve, trace, versions

TITLE_CHARS = st.sampled_from(list("关于印发通知AB1２ 　、，。：—-·《》“”\"'「」()（）\t\n号〔〕"))


def test_one_title_normaliser_for_every_stage():
    assert resolve.normalize_title is titles.normalize_title
    assert trace.normalize_title is titles.normalize_title and versions.normalize_title is titles.normalize_title


@given(st.text(TITLE_CHARS, max_size=30))
def test_the_loose_key_is_the_strict_key_without_punctuation(title):
    assert normalize_title(title) == normalize_title(title_key(title) or "")


def test_the_two_title_keys_differ_on_purpose():
    """Within one document 《关于A、B的通知》 and 《关于AB的通知》 are two documents cited side by side; across
    documents the punctuation a citer writes freely is no evidence."""
    a, b = "关于印发甲、乙管理办法的通知", "关于印发甲乙管理办法的通知"
    assert title_key(a) != title_key(b)
    assert normalize_title(a) == normalize_title(b)
    assert title_key("《关于 “X” 的通知》") == title_key("关于“X”的通知") == "关于X的通知"


def test_search_brackets_are_the_number_parsers_but_title_marks():
    opening = {c for c, v in render.SEARCH_CHAR_MAP.items() if v == "〔"} | {"〔"}
    closing = {c for c, v in render.SEARCH_CHAR_MAP.items() if v == "〕"} | {"〕"}
    assert opening == set(docnumber._OPEN) - set("〈《‘")
    assert closing == set(docnumber._CLOSE) - set("〉》’")
    digits = {c: v for c, v in render.SEARCH_CHAR_MAP.items() if v.isdigit()}
    assert {ord(c): ord(v) for c, v in digits.items()} == {k: v for k, v in docnumber._CHAR_MAP.items()
                                                          if isinstance(v, int) and chr(v).isdigit()}


def test_search_key_finds_a_number_written_as_the_parser_normalises_it():
    for written in ("国办发[2015]33号", "国办发（2015）33号", "国办发〔２０１５〕３３号", "国办发【2015年】第33號"):
        assert render.search_key(written) == render.search_key(docnumber.normalize_docnumber(written))


def test_one_carry_grammar_for_extraction_and_resolution():
    """A notice carrying a document (关于印发X的通知) is read with one list of verbs and endings: extraction
    reads X as what the notice carries, resolution indexes the notice under X."""
    from polgraph.extract.metadata import _carries

    for verb in titles.CARRY_VERBS:
        for end in titles.CARRY_ENDS:
            title = f"某省人民政府关于{verb}某省促进产业发展办法的{end}"
            assert _carries("", title, []) == ["某省促进产业发展办法"], title
            assert resolve.unwrap_title(title) == "某省促进产业发展办法", title
    assert _carries("", "某省人民政府关于促进产业发展的通知", []) == []
    assert resolve.unwrap_title("某省人民政府关于促进产业发展的通知") is None

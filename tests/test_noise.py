"""Scrape noise between characters -- invisible characters, spaces, a repeated marker -- never breaks a number
or a title; the reported title is clean and offsets point into the text as written (extract/textview.py)."""
from __future__ import annotations

import re
from importlib.resources import files

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polgraph.extract import textview
from polgraph.extract.find import extract_text

CLEAN = """云南省人民政府关于完善省以下财政体制深化预算管理制度改革的意见
云政发〔2021〕20号
各州、市人民政府，省直各委、办、厅、局：
为认真贯彻落实《国务院办公厅关于进一步推进省以下财政体制改革工作的指导意见》（国办发〔2022〕20号）精神，结合我省实际，现提出如下意见。
一、根据《中华人民共和国预算法》，完善收入划分。
云南省人民政府
2021年5月10日
"""

INVISIBLE = {"zero width space": "\u200b", "zero width non-joiner": "\u200c", "zero width joiner": "\u200d",
             "word joiner": "\u2060", "soft hyphen": "\u00ad", "byte order mark": "\ufeff"}


def _essentials(rec: dict) -> tuple:
    return (rec["title"], rec["doc_number"], tuple(rec["issuer"]), rec["date"], rec["level"], tuple(rec["carries"]),
            tuple((c["doc_number"], c["title"], c["relation"]) for c in rec["citations"]))


EXPECTED = _essentials(extract_text(CLEAN))


def _insert_every(text: str, piece: str, every: int, where=lambda c: c != "\n") -> str:
    out = []
    for i, c in enumerate(text):
        out.append(c)
        if i % every == every - 1 and where(c):
            out.append(piece)
    return "".join(out)


def test_the_clean_document_is_what_the_noisy_ones_are_compared_with():
    title, number, _, _, level, _, citations = EXPECTED
    assert title == "云南省人民政府关于完善省以下财政体制深化预算管理制度改革的意见"
    assert number == "云政发〔2021〕20号" and level == "provincial"
    assert citations == (("国办发〔2022〕20号", "国务院办公厅关于进一步推进省以下财政体制改革工作的指导意见", "IMPLEMENTS"),
                         (None, "中华人民共和国预算法", "BASED_ON"))


@pytest.mark.parametrize("name", sorted(INVISIBLE))
def test_an_invisible_character_inside_numbers_and_titles(name):
    ch = INVISIBLE[name]
    noisy = (CLEAN.replace("国办发", f"国{ch}办发").replace("云政发", f"云政{ch}发")
             .replace("〔2022〕20号", f"〔20{ch}22〕2{ch}0号").replace("推进省", f"推{ch}进省")
             .replace("完善省", f"完{ch}善省").replace("预算法", f"预{ch}算法"))
    assert noisy.count(ch) == 7
    rec = extract_text(noisy)
    assert _essentials(rec) == EXPECTED
    _assert_offsets_hold(noisy, rec)


@pytest.mark.parametrize("name", sorted(INVISIBLE))
def test_an_invisible_character_every_few_characters(name):
    noisy = _insert_every(CLEAN, INVISIBLE[name], 3)
    rec = extract_text(noisy)
    assert _essentials(rec) == EXPECTED
    _assert_offsets_hold(noisy, rec)


@pytest.mark.parametrize("marker", ["@@", "#", "^*^", "¤", "▲"])
@pytest.mark.parametrize("every", [2, 3, 5])
def test_a_repeated_marker(marker, every):
    noisy = _insert_every(CLEAN, marker, every)
    assert textview.noise_markers(noisy) == [marker]
    rec = extract_text(noisy)
    assert _essentials(rec) == EXPECTED
    assert marker not in rec["title"] and all(marker not in (c["title"] or "") for c in rec["citations"])
    _assert_offsets_hold(noisy, rec)


@pytest.mark.parametrize("space", [" ", "\u3000", "\u00a0"])
def test_spaces_scraped_into_titles_and_numbers(space):
    noisy = (CLEAN.replace("关于完善省以下财政体制", f"关于{space}完善{space}省以下{space}财政体制")
             .replace("推进省以下财政体制改革工作", f"推进{space}省以下{space}财政{space}体制改革工作")
             .replace("国办发〔2022〕20号", f"国{space}办发{space}〔2022〕{space}20{space}号")
             .replace("云政发〔2021〕20号", f"云政发{space}〔{space}2021{space}〕20号"))
    rec = extract_text(noisy)
    assert _essentials(rec) == EXPECTED
    _assert_offsets_hold(noisy, rec)


# Syllables to annotate with: which one a character gets does not matter to the rule (toneless ones included)
SYLLABLES = ["(guó)", "(wù)", "(yuàn)", "(de)", "(fā)", "（zhèng）", "(lǜ)", "(shěng)"]


def _annotated(text: str) -> str:
    """`text` as a page that renders ruby annotations as text writes it: a pinyin note after each Han character."""
    out, k = [], 0
    for c in text:
        out.append(c)
        if "\u4e00" <= c <= "\u9fff":
            out.append(SYLLABLES[k % len(SYLLABLES)])
            k += 1
    return "".join(out)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_pinyin_notes_after_every_character(script):
    if script == "traditional":
        import opencc

        noisy = _annotated(opencc.OpenCC("s2t.json").convert(CLEAN))
    else:
        noisy = _annotated(CLEAN)
    rec = extract_text(noisy)
    assert _essentials(rec) == EXPECTED
    assert "(" not in rec["title"] and all("(" not in (c["title"] or "") for c in rec["citations"])
    for c in rec["citations"]:  # offsets point into the annotated text as written
        for m in c["mentions"]:
            span = textview.simplified(re.sub(r"[(（][a-zà-ǜ]+[)）]", "", noisy[m["start"]:m["end"]]))
            assert span.startswith("《" + c["title"] + "》"), span


def test_a_few_pinyin_notes_are_content_and_stay():
    text = "涪(fú)陵区、筠(jūn)连县的地名读音，见《地名读音规范》，" * 2  # 4 notes: a text that explains a reading
    assert textview._pinyin_note_cuts(text) == []
    assert textview.build_view(text) is None


def test_one_space_in_a_title_may_be_meant_and_stays():
    text = "根据《最高人民法院 最高人民检察院关于办理危害药品安全刑事案件适用法律若干问题的解释》，制定本办法。"
    (c,) = extract_text(text)["citations"]
    assert c["title"] == "最高人民法院 最高人民检察院关于办理危害药品安全刑事案件适用法律若干问题的解释"


def test_offsets_and_evidence_are_on_the_text_as_written():
    noisy = _insert_every(CLEAN, "@@", 3)
    rec = extract_text(noisy)
    first = rec["citations"][0]
    span = noisy[first["start"]:first["end"]]
    assert span.startswith("《") and "@@" in span and span.replace("@@", "").endswith("（国办发〔2022〕20号）")
    assert "@@" in first["sentence"] and first["sentence"] in noisy.replace("\n", "")
    assert first["doc_number_raw"].replace("@@", "") == "国办发〔2022〕20号"


def _assert_offsets_hold(text: str, rec: dict) -> None:
    noise = set(INVISIBLE.values()) | set(textview.noise_markers(text)) | {" ", "\u3000", "\u00a0"}
    for c in rec["citations"]:
        for m in c["mentions"]:
            span = text[m["start"]:m["end"]]
            for piece in sorted(noise, key=len, reverse=True):
                span = span.replace(piece, "")
            if c["title"]:
                assert span.startswith("《") and c["title"].replace(" ", "") in span.replace(" ", "")
            if c["doc_number"] and not c["title"]:
                assert c["doc_number"] == span
            assert m["sentence"]


# ------------------------------------------------------------------------------------ never real content

@pytest.mark.parametrize("text", [
    # list markers, ASCII numbers and half-width punctuation between Han characters, over and over
    "".join(f"{i}.各单位要落实责任,加强管理;做好统计:完成目标.\n" for i in range(1, 40)),
    # a table of pipe rows
    "".join(f"文号|国办发〔2015〕{i}号|索引号|000014349/2015-{i}|主题|财政\n" for i in range(1, 20)),
    # Latin words repeated between Han characters (PPP, APP), percent signs, tildes
    "推广PPP模式，" * 30 + "增长5%以上，" * 20 + "第1~3条适用，" * 10,
    # footnote stars and bullets used now and then
    "说明★：本办法自公布之日起施行。" * 3 + "■一、总则\n■二、职责\n",
])
def test_real_content_is_never_taken_for_a_marker(text):
    assert textview.noise_markers(text) == []
    view = textview.build_view(text)
    assert view is None or view.text == text


def test_the_noise_table_is_well_formed():
    table = textview._noise_table()
    assert set(table) == {"invisible", "space", "content", "tone"}
    assert all(c.isalpha() and not c.isascii() for c in table["tone"])
    roles = [c for chars in table.values() for c in chars]
    assert len(roles) == len(set(roles)), "a character has two roles"
    assert all(not c.isalnum() for c in table["content"])
    assert all(c.isspace() for c in table["space"])
    assert "\u200b" in table["invisible"] and "\ufeff" in table["invisible"] and "\u00ad" in table["invisible"]
    lines = files("polgraph.data").joinpath("scrape_noise.tsv").read_text(encoding="utf-8").splitlines()
    assert all(line.startswith("#") or len(line.split("\t")) == 3 for line in lines if line.strip())


# ------------------------------------------------------------------------------------ properties

CLEAN_FRAGMENTS = [
    "为认真贯彻落实《国务院办公厅关于进一步推进省以下财政体制改革工作的指导意见》（国办发〔2022〕20号）精神，",
    "根据《中华人民共和国预算法》和《中华人民共和国预算法实施条例》，",
    "按照国发〔2012〕11号文件要求，",
    "现将《普洱市深化预算管理制度改革实施方案》印发给你们，请认真贯彻执行。",
    "参照《山西省深化县级公立医院人事制度改革意见》（晋人社厅〔2012〕106号），",
    "结合我市实际，制定本方案。",
    "\n",
]
NOISE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"])


def _cited(rec: dict) -> tuple:
    return (rec["title"], rec["doc_number"], tuple((c["doc_number"], c["title"]) for c in rec["citations"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CLEAN_FRAGMENTS), min_size=1, max_size=6), NOISE, st.data())
def test_invisible_characters_anywhere_never_change_numbers_or_titles(parts, noise, data):
    text = "".join(parts)
    positions = data.draw(st.lists(st.integers(0, len(text)), max_size=12))
    noisy = text
    for p in sorted(positions, reverse=True):
        noisy = noisy[:p] + noise + noisy[p:]
    assert _cited(extract_text(noisy)) == _cited(extract_text(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CLEAN_FRAGMENTS[:-1]), min_size=3, max_size=6),
       st.sampled_from(["@@", "##", "$", "^", "※", "@#"]), st.integers(2, 6))
def test_a_marker_every_few_characters_never_changes_numbers_or_titles(parts, marker, every):
    # a marker is told from the data only when it stands in running text MARKER_MIN_COUNT times or more: a
    # page's worth of text, not one clause
    text = "".join(parts)
    while len(text) < 150:
        text += text
    noisy = _insert_every(text, marker, every)
    assert _cited(extract_text(noisy)) == _cited(extract_text(text))

"""发文字号 parsing, normalisation and finding (extract/docnumber.py); cases from
../shared/reference/docnumbers.md §1.2 (variants) and §1.3 (pitfalls), and ../shared/gold/GUIDELINES.md."""
from __future__ import annotations

import importlib.util
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polgraph.extract.docnumber import (DocNumber, NumberMatch, docnumber_key, find_docnumbers, normalize_docnumber,
                                        parse_docnumber)


def found(text):
    """[(span text, normalized)] and check that every span is what the number says it is."""
    out = []
    for m in find_docnumbers(text):
        assert isinstance(m, NumberMatch)
        assert text[m.start:m.end] == m.number.raw
        out.append((text[m.start:m.end], m.number.normalized))
    return out


def norms(text):
    return [n for _, n in found(text)]


# --- seed examples -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,span,norm,agency,year,serial", [
    ("(国办发〔2015〕33号)国务院办公厅关于全面推开", "国办发〔2015〕33号", "国办发〔2015〕33号", "国办发", 2015, "33"),
    ("的通知》(晋人社厅[2012]106号)和", "晋人社厅[2012]106号", "晋人社厅〔2012〕106号", "晋人社厅", 2012, "106"),
    ("的通知》(安政办发[2012]26号)的有关精神", "安政办发[2012]26号", "安政办发〔2012〕26号", "安政办发", 2012, "26"),
    ("实施意见》(云政发〔2021〕20号)精神", "云政发〔2021〕20号", "云政发〔2021〕20号", "云政发", 2021, "20"),
    ("•【字号】普政发〔2022〕38号•【施行日期】", "普政发〔2022〕38号", "普政发〔2022〕38号", "普政发", 2022, "38"),
    ("发展纲要的通知》（国发〔2012〕11号）", "国发〔2012〕11号", "国发〔2012〕11号", "国发", 2012, "11"),
])
def test_seed_examples(text, span, norm, agency, year, serial):
    [m] = find_docnumbers(text)
    assert text[m.start:m.end] == span
    n = m.number
    assert (n.agency, n.year, n.serial, n.kind, n.anonymised) == (agency, year, serial, "standard", False)
    assert n.normalized == norm


def test_seed_anonymised_number_is_found_and_flagged():
    text = "若干意见的通知》(xx 办函〔x〕529号),推进"
    [m] = find_docnumbers(text)
    assert text[m.start:m.end] == "xx 办函〔x〕529号"
    assert m.number.agency == "xx办函"
    assert m.number.anonymised
    assert m.number.normalized == "xx办函〔x〕529号"


# --- §1.2 variants -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("国发〔2015〕5号", "国发〔2015〕5号"),                          # 1 standard
    ("国卫医函[2018]35号", "国卫医函〔2018〕35号"),                  # 2 half-width []
    ("国卫医函［2018］35号", "国卫医函〔2018〕35号"),                # 3 full-width ［］
    ("津发改社会【2018】26号", "津发改社会〔2018〕26号"),            # 4 【】
    ("国卫办医函（2020）117号", "国卫办医函〔2020〕117号"),          # 5 （）
    ("财税(2011)100号", "财税〔2011〕100号"),                       # 5 ()
    ("中国化学集团安发﹝2011﹞187号", "中国化学集团安发〔2011〕187号"),  # 6 small form
    ("财税〈2011〉100号", "财税〔2011〕100号"),                      # 7 〈〉 as year bracket
    ("甲乙〔2031]1号", "甲乙〔2031〕1号"),                           # 8 mixed pair
    ("甲乙[2031〕1号", "甲乙〔2031〕1号"),
    ("沪府办规〔2020〕17 号", "沪府办规〔2020〕17号"),               # 9 spaces
    ("藏政函 〔2024〕40号", "藏政函〔2024〕40号"),
    ("黑政调〔２０２０〕６号", "黑政调〔2020〕6号"),                  # 10 full-width digits
    ("国发〔２０２２〕14号", "国发〔2022〕14号"),
    ("国发〔二〇一五〕33号", "国发〔2015〕33号"),                     # 11 Chinese-numeral year
    ("卫医发〔1994〕第27号", "卫医发〔1994〕27号"),                   # 12 第 before serial
    ("武告字（2026年）1号", "武告字〔2026〕1号"),                     # 13 年 inside the bracket
    ("陕政办函〔2019〕197 号", "陕政办函〔2019〕197号"),
    ("中辦發〔2012〕14號", "中辦發〔2012〕14号"),                     # 25 號
])
def test_standard_variants(text, expected):
    assert norms(text) == [expected]
    assert normalize_docnumber(text) == expected


def test_a_padded_label_before_the_number_is_not_its_code():
    # 文        号 吉市政办发〔2020〕6号: the 号 of the label is no code's, so the place before the code stays
    assert norms("文        号 吉市政办发〔2020〕6号") == ["吉市政办发〔2020〕6号"]
    assert norms("号 鹤政办〔2021〕27号") == ["鹤政办〔2021〕27号"]


def test_space_inside_code_joins_a_short_head():
    assert norms("（国 保发[2008]8 号）") == ["国保发〔2008〕8号"]


def test_pdf_line_break_inside_a_number():
    assert norms("规范（试行）》（工信部联\n通装〔2021〕97号），推") == ["工信部联通装〔2021〕97号"]
    assert norms("根据国办发〔2015〕\n33号文件") == ["国办发〔2015〕33号"]


@pytest.mark.parametrize("text,norm,agency,year,serial,key", [
    ("国务院令第588号", "国务院令第588号", "国务院令", None, "588", "国务院令第588号"),
    # GUIDELINES: a number is written as in the text (only brackets, digits, spaces and a standard 第 change)
    ("中华人民共和国国务院令第588号", "中华人民共和国国务院令第588号", "国务院令", None, "588", "国务院令第588号"),
    ("国令第588号", "国令第588号", "国令", None, "588", "国务院令第588号"),
    ("国务院令第 697 号", "国务院令第697号", "国务院令", None, "697", "国务院令第697号"),
    ("中国人民银行令〔2019〕第1号", "中国人民银行令〔2019〕第1号", "中国人民银行令", 2019, "1",
     "中国人民银行令〔2019〕第1号"),
    ("交通运输部令2016年第62号", "交通运输部令2016年第62号", "交通运输部令", 2016, "62", "交通运输部令〔2016〕第62号"),
    ("中华人民共和国主席令第七十三号", "中华人民共和国主席令第七十三号", "主席令", None, "73", "主席令第73号"),
    ("1994年8月17日市人民政府第17号令发布", "市人民政府第17号令", "市人民政府令", None, "17", "市人民政府令第17号"),
    ("上海市人民政府令第0026号", "上海市人民政府令第0026号", "上海市人民政府令", None, "0026", "上海市人民政府令第26号"),
    ("原卫生部令第84号", "卫生部令第84号", "卫生部令", None, "84", "卫生部令第84号"),
])
def test_order_numbers(text, norm, agency, year, serial, key):
    [m] = find_docnumbers(text)
    n = m.number
    assert n.kind == "order"
    assert (n.normalized, n.agency, n.year, n.serial, n.key) == (norm, agency, year, serial, key)
    assert text[m.start:m.end].replace(" ", "").endswith(("号", "令"))
    # the written form parses back to the same document
    assert parse_docnumber(n.normalized).key == key


def test_one_key_for_the_ways_of_writing_an_order():
    written = ["中华人民共和国国务院令第707号", "国务院令第707号", "国令第707号", "国务院令第 ７０７ 号", "国令第0707号"]
    assert {docnumber_key(w) for w in written} == {"国务院令第707号"}
    assert len({normalize_docnumber(w) for w in written}) == 4  # as written, they stay apart
    assert docnumber_key("国务院令第708号") != docnumber_key("国令第707号")
    assert docnumber_key("市人民政府第12号令") == docnumber_key("市人民政府令第12号")


def test_standard_key_drops_padding_and_year_character():
    assert docnumber_key("鲁工信技〔2121〕01号") == "鲁工信技〔2121〕1号"
    assert normalize_docnumber("鲁工信技〔2121〕01号") == "鲁工信技〔2121〕01号"
    assert docnumber_key("国发[2015]第33号") == docnumber_key("国发〔2015年〕33号") == "国发〔2015〕33号"
    assert docnumber_key("国发〔2015〕33号") != docnumber_key("国办发〔2015〕33号")
    assert docnumber_key(None) is None and docnumber_key("不是文号") is None


@pytest.mark.parametrize("sep", ["\n\n", "\n \n", "\r\n\r\n", "\r\r", "\n\u3000\u3000\n", " \r \r"])
@pytest.mark.parametrize("head", ["民政部对“关于X的建议”的答复", "综合处", "国务院办公厅"])
@pytest.mark.parametrize("number,agency", [("民函〔2021〕742号", "民函"), ("国务院令第5号", "国务院令"),
                                           ("国家税务总局公告2016年第23号", "国家税务总局公告")])
def test_code_never_reaches_back_over_a_blank_line(sep, head, number, agency):
    [m] = find_docnumbers(head + sep + number)
    assert (m.number.agency, m.number.raw) == (agency, number)


def test_a_single_line_break_still_joins_a_broken_code():
    [m] = find_docnumbers("工信部联\n通装〔2013〕317号")
    assert m.number.agency == "工信部联通装"


@pytest.mark.parametrize("label", ["文号", "文号：", "发文字号", "文件编号", "【文号】"])
@pytest.mark.parametrize("sep", ["\n", " ", ""])
def test_a_portal_label_before_the_number_is_not_part_of_the_code(label, sep):
    # a portal header renders the label on the line above its value (文号⏎云政发〔2021〕20号)
    [m] = find_docnumbers(label + sep + "云政发〔2021〕20号")
    assert (m.number.agency, m.number.raw) == ("云政发", "云政发〔2021〕20号")


@pytest.mark.parametrize("text,numbers", [
    ("和政发〔2020〕1号", ["和政发〔2020〕1号"]),                  # 和政县 (临夏州): 和 is its abbreviation
    ("根据和政办发〔2021〕5号文件", ["和政办发〔2021〕5号"]),
    ("甘府发〔2019〕3号和政发〔2020〕1号", ["甘府发〔2019〕3号", "和政发〔2020〕1号"]),
    ("《某办法》和国发〔2012〕11号", ["国发〔2012〕11号"]),          # a conjunction before a code that names its organ
    ("临政发〔2019〕2号和临政办发〔2019〕3号", ["临政发〔2019〕2号", "临政办发〔2019〕3号"]),
    ("太原市人民政府文件\n并政发〔2019〕3号", ["并政发〔2019〕3号"]),   # 并: 太原's abbreviation
    ("研究并印发晋政发〔2019〕3号", ["晋政发〔2019〕3号"]),           # 并 the conjunction, before a code with a place
    ("会议审议并国发〔2015〕33号", ["国发〔2015〕33号"]),
])
def test_a_joiner_before_a_placeless_code_is_its_place(text, numbers):
    assert [m.number.raw for m in find_docnumbers(text)] == numbers


def test_a_particle_before_a_code_is_prose():
    assert [m.number.raw for m in find_docnumbers("省政府研究并印发了晋政发〔2019〕3号")] == ["晋政发〔2019〕3号"]


def test_a_blank_line_inside_a_standard_number_ends_it():
    assert norms("民函〔2021〕\n\n742号") == []
    assert norms("民函〔2021〕\n742号") == ["民函〔2021〕742号"]


@pytest.mark.parametrize("text,norm,agency,year,serial", [
    ("国家税务总局公告2016年第23号", "国家税务总局公告2016年第23号", "国家税务总局公告", 2016, "23"),
    ("财政部 税务总局公告2026年第28号", "财政部税务总局公告2026年第28号", "财政部税务总局公告", 2026, "28"),
    ("江西省第十二届人民代表大会常务委员会公告（第138号）", "江西省第十二届人民代表大会常务委员会公告（第138号）",
     "江西省第十二届人民代表大会常务委员会公告", None, "138"),
    ("国家税务总局 2020年第1号公告", "国家税务总局2020年第1号公告", "国家税务总局公告", 2020, "1"),
    ("证监会公告〔2008〕38号", "证监会公告〔2008〕38号", "证监会公告", 2008, "38"),
    ("国家知识产权局公告第594号", "国家知识产权局公告第594号", "国家知识产权局公告", None, "594"),
])
def test_announcement_numbers(text, norm, agency, year, serial):
    [m] = find_docnumbers(text)
    n = m.number
    assert n.kind == "announcement"
    assert (n.normalized, n.agency, n.year, n.serial) == (norm, agency, year, serial)


def test_legacy_year_first():
    [m] = find_docnumbers("按（81）卫防字26号执行")
    assert (m.number.kind, m.number.agency, m.number.year, m.number.serial) == ("legacy", "卫防字", 1981, "26")
    assert m.number.raw == "（81）卫防字26号"


# --- lists --------------------------------------------------------------------------------------------------
def test_list_with_repeated_hao():
    text = "按照国发〔2015〕33号、34号要求"
    assert found(text) == [("国发〔2015〕33号", "国发〔2015〕33号"), ("34号", "国发〔2015〕34号")]


def test_list_with_one_hao():
    text = "见国发〔2015〕33、34号文"
    assert found(text) == [("国发〔2015〕33", "国发〔2015〕33号"), ("34号", "国发〔2015〕34号")]


def test_list_item_with_its_own_year_inherits_the_code():
    text = "国发〔2015〕33号和〔2016〕2号"
    assert found(text) == [("国发〔2015〕33号", "国发〔2015〕33号"), ("〔2016〕2号", "国发〔2016〕2号")]


def test_list_does_not_continue_into_other_numbered_things():
    assert norms("按国发〔2015〕33号，3号楼") == ["国发〔2015〕33号"]


def test_separate_full_numbers():
    assert norms("国发〔2018〕41 号、国发〔2023〕13 号") == ["国发〔2018〕41号", "国发〔2023〕13号"]


def test_announcement_list_inherits_the_organ():
    text = "海关总署2010年第47号公告和2011年第55号公告同时废止"
    assert norms(text) == ["海关总署2010年第47号公告", "海关总署2011年第55号公告"]


# --- anonymised ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["上证发〔20XX〕XX号", "X政办发〔20XX〕X号", "云政发〔202X〕X号",
                                  "鲁政发〔2006〕XX号", "国卫基层〔YYYY〕XX号", "川府发〔2023〕号"])
def test_placeholders_are_flagged(text):
    [m] = find_docnumbers(text)
    assert m.number.anonymised
    assert text[m.start:m.end] == text


def test_real_numbers_are_not_flagged():
    assert not any(m.number.anonymised for m in find_docnumbers("国发〔2015〕5号、晋人社厅[2012]106号"))


# --- §1.3 pitfalls ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,agency", [
    ("按照财库〔2022〕3号", "财库"),
    ("根据国发〔2015〕5号", "国发"),
    ("为贯彻落实国办发〔2015〕33号文件精神", "国办发"),
    ("详见国发〔2015〕5号", "国发"),
    ("苏州市住房和城乡建设局苏住建规〔2011〕4号", "苏住建规"),
    ("…的通知国发〔2009〕12号", "国发"),
    ("《关于X的意见》国发〔2009〕12号", "国发"),
    ("国家卫生健康委办公厅国卫办医函〔2019〕12号", "国卫办医函"),
    ("普洱市人民政府普政发〔2022〕38号", "普政发"),
    ("工信部联企业〔2011〕300号", "工信部联企业"),
    ("广东证监〔2011〕3号", "广东证监"),
    ("情况的函\n国办函〔2004〕57号", "国办函"),
    ("我院以法〔1998〕86号通知", "法"),
    ("抢抓国发〔2022〕2号文件机遇", "国发"),
])
def test_code_does_not_swallow_what_comes_before(text, agency):
    [m] = find_docnumbers(text)
    assert m.number.agency == agency
    assert text[m.start:m.end].replace(" ", "").startswith(agency)


@pytest.mark.parametrize("text", [
    "（2019）京0105民初1234号",
    "（2016）粤0304民初18775-18776号",
    "（2015）民申字第1号",
    "《十三五规划（2016—2020年）》",
    "《条例（2018年修订）》",
    "《目录（2019年版）》",
    "电话（0871）65123456",
    "(010)12345678号码",
    "第3号楼",
    "第1号修改单",
    "台风（第9号）",
    "总第178号",
    "第2015001期",
    "根据第三条第二款的规定",
])
def test_not_numbers(text):
    assert find_docnumbers(text) == []


def test_colloquial_suffixes_are_still_numbers():
    assert norms("国办发〔2015〕51号文件精神") == ["国办发〔2015〕51号"]
    assert norms("（财税〔2016〕36号印发）") == ["财税〔2016〕36号"]


def test_padding_kept_and_impossible_year_kept():
    [m] = find_docnumbers("（鲁工信技〔2121〕01号）")
    assert (m.number.year, m.number.serial, m.number.normalized) == (2121, "01", "鲁工信技〔2121〕01号")


def test_offsets_in_a_longer_text():
    text = "一、为贯彻落实《国务院办公厅关于X的意见》（国办发〔2015〕33号）和国务院令第588号，结合（2019）京0105民初1234号。"
    got = found(text)
    assert [s for s, _ in got] == ["国办发〔2015〕33号", "国务院令第588号"]
    starts = [m.start for m in find_docnumbers(text)]
    assert starts == sorted(starts)


# --- parse_docnumber ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("s,norm", [
    ("发文字号：渝府发〔2023〕15号", "渝府发〔2023〕15号"),
    ("发文字号： 沪府办规〔2020〕17 号", "沪府办规〔2020〕17号"),
    ("【字号】普政发〔2022〕38号", "普政发〔2022〕38号"),
    ("文号:晋人社厅[2012]106号", "晋人社厅〔2012〕106号"),
    ("\u200b国办发〔2019〕5号", "国办发〔2019〕5号"),
    ("晋政办发〔2012〕18", "晋政办发〔2012〕18号"),
    ("国令第846", "国令第846号"),
    ("省政府令 第219号", "省政府令第219号"),
    ("国家税务总局2018年第12号", "国家税务总局2018年第12号"),
])
def test_parse_docnumber(s, norm):
    d = parse_docnumber(s)
    assert isinstance(d, DocNumber)
    assert d.normalized == norm


@pytest.mark.parametrize("s", ["", "   ", "发文字号：", "关于印发某某办法的通知", "总第178号", "2019年"])
def test_parse_docnumber_rejects(s):
    assert parse_docnumber(s) is None
    assert normalize_docnumber(s) is None


def test_normalize_none():
    assert normalize_docnumber(None) is None


def test_docnumber_is_frozen_and_hashable():
    d = parse_docnumber("国发〔2012〕11号")
    with pytest.raises(Exception):
        d.serial = "12"  # type: ignore[misc]
    assert {d, parse_docnumber("国发〔2012〕11号")} == {d}


# --- coverage on real 文号 strings --------------------------------------------------------------------------
def _coverage_module(repo):
    spec = importlib.util.spec_from_file_location("docnumber_coverage", repo / "scripts" / "docnumber_coverage.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["docnumber_coverage"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_coverage_of_real_docnumber_strings(repo, corpora):
    index = corpora / "ptc-docnumber-index" / "DOCNUMBER_INDEX.tsv"
    ok, total, misses = _coverage_module(repo).coverage(index)
    assert total > 38000
    assert ok / total >= 0.99, misses[:20]


# --- properties ---------------------------------------------------------------------------------------------
_alphabet = st.sampled_from(list("国发办函〔〕[]（）()【】年第号令公告字xX 0123456789０１２３、和\n晋人社厅根据》《的通知"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_alphabet, max_size=60) | st.text(max_size=60))
def test_find_never_fails_and_spans_hold(text):
    last = -1
    for m in find_docnumbers(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.number.raw
        assert m.start >= last
        last = m.end
        assert isinstance(m.number.normalized, str) and m.number.normalized
        assert isinstance(m.number.key, str) and m.number.key
        assert "\n\n" not in m.number.raw
    parse_docnumber(text)


def test_word_table_rows_parse():
    from importlib import resources
    roles = {"leadin", "titletail", "titleend", "joiner", "organ", "place", "afterdigit", "dropprefix", "boundcode", "placeless"}
    text = resources.files("polgraph.data").joinpath("docnumber_words.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(rows) > 100
    for r in rows:
        assert len(r) == 2 and r[0] and r[0] == r[0].strip(), r
        assert r[1] in roles, r
    words = [r[0] for r in rows]
    assert len(words) == len(set(words)), "a word listed twice"


def test_number_organ_table_rows_parse():
    from importlib import resources
    text = resources.files("polgraph.data").joinpath("number_organs.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(rows) >= 10
    written = [r[0] for r in rows]
    assert len(written) == len(set(written)), "an organ listed twice"
    for r in rows:
        assert len(r) == 2 and r[0] and r[1] and r[0] != r[1], r
        assert r[1] not in written, f"{r[1]} is itself an alias: the key would depend on the lookup order"


@pytest.mark.parametrize("corpus", ["govcn-statecouncil-2019", "ptc-sample", "xvshiting-smart-policy", "seed"])
def test_written_form_parses_back_to_the_same_key(corpora, corpus):
    """A record holds only the written number; the graph rebuilds the key from it, so both must agree."""
    n = 0
    for path in sorted((corpora / corpus).glob("*.txt")):
        for m in find_docnumbers(path.read_text(encoding="utf-8")):
            again = parse_docnumber(m.number.normalized)
            assert again is not None, (path.name, m.number.raw)
            assert again.key == m.number.key, (path.name, m.number.raw, m.number.normalized)
            assert again.normalized == m.number.normalized, (path.name, m.number.raw)
            n += 1
    assert n > 10


# --- number identity in the graph (graph/build.py, graph/trace.py) ------------------------------------------
def _record(path, number, title, citations=()):
    return {"path": path, "title": title, "doc_number": number, "issuer": [], "date": None, "level": "central",
            "carries": [], "citations": [
                {"doc_number": n, "title": None, "relation": "BASED_ON", "start": 0, "end": 1, "sentence": "",
                 "anonymised": False} for n in citations]}


def test_graph_resolves_every_way_of_writing_an_order_to_one_node():
    from polgraph.graph.build import graph_from_records
    from polgraph.graph.trace import find_node

    records = [
        _record("a.txt", "国务院令第707号", "中华人民共和国国务院令"),
        _record("b.txt", "沪府发〔2019〕1号", "上海市人民政府关于甲的通知", ["中华人民共和国国务院令第707号"]),
        _record("c.txt", "沪府发〔2019〕2号", "上海市人民政府关于乙的通知", ["国令第707号", "国务院令第999号"]),
        _record("d.txt", "沪府发〔2019〕3号", "上海市人民政府关于丙的通知", ["国令第999号"]),
    ]
    G = graph_from_records(records, quiet=True)
    node = "国务院令第707号"
    assert G.nodes[node]["in_corpus"] and G.nodes[node]["doc_number"] == "国务院令第707号"
    assert sorted(u for u, _ in G.in_edges(node)) == ["沪府发〔2019〕1号", "沪府发〔2019〕2号"]
    assert {d["method"] for _, _, d in G.in_edges(node, data=True)} == {"number"}
    # a placeholder too is one node for both ways of writing, and keeps the first written form
    ph = "国务院令第999号"
    assert not G.nodes[ph]["in_corpus"]
    assert sorted(u for u, _ in G.in_edges(ph)) == ["沪府发〔2019〕2号", "沪府发〔2019〕3号"]
    assert not any("国令" in n for n in G.nodes)
    for typed in ("国令第707号", "中华人民共和国国务院令第707号", "国务院令第 707 号"):
        assert find_node(G, typed) == node


def test_one_citation_per_document_however_its_number_is_written():
    from polgraph.extract.find import extract_text

    text = ("中华人民共和国国务院令\n第707号\n\n"
            "根据《乙条例》（中华人民共和国国务院令第588号）和国令第588号的规定，以及国务院令第707号，制定本条例。")
    rec = extract_text(text)
    assert rec["doc_number"] == "中华人民共和国国务院令第707号"  # as written; again in the body it is no citation
    assert [c["doc_number"] for c in rec["citations"]] == ["中华人民共和国国务院令第588号"]  # the first written form
    assert len(rec["citations"][0]["mentions"]) == 2


def test_former_is_not_part_of_an_order_or_announcement_number():
    # 原 ("the former …") qualifies the cited document; the number as written starts after it
    (m,) = find_docnumbers("原海关总署2012年第26号公告同时废止")
    assert m.number.normalized == "海关总署2012年第26号公告"
    (m,) = find_docnumbers("原对外贸易经济合作部令2002年第3号")
    assert m.number.normalized == "对外贸易经济合作部令2002年第3号"


# --- number_key's fast path for plainly written standard numbers ---------------------------------------------
def _fast_path_agrees(strings) -> int:
    """Assert the fast path gives what the parser gives wherever it answers; return how often it answered."""
    from polgraph.extract.docnumber import _plain_standard_key, number_key

    hits = 0
    for s in strings:
        fast = _plain_standard_key(s)
        if fast is not None:
            hits += 1
            assert fast == docnumber_key(s), s
        assert number_key(s) == (docnumber_key(s) or s or None), s
    return hits


def test_number_key_fast_path_equals_the_parser_on_every_number_of_the_corpora(corpora):
    written: set[str] = set()
    for path in sorted(corpora.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in find_docnumbers(text):
            written.update((m.number.raw, m.number.normalized))
            # with the words written before it: lead-ins, organ names and title tails the code must not keep
            written.update(text[max(0, m.start - k):m.end] for k in range(1, 13))
    index = corpora / "ptc-docnumber-index" / "DOCNUMBER_INDEX.tsv"
    for line in index.read_text(encoding="utf-8").splitlines()[1:]:
        cell = line.split("\t")[3]
        written.update((cell, cell.split("：", 1)[-1]))
    assert _fast_path_agrees(sorted(written)) > 20000


@pytest.mark.parametrize("written", [
    "国发〔2015〕33号", "国发〔2015〕033号", "按照财库〔2022〕3号", "根据国发〔2015〕33号", "贯彻落实国发〔2015〕33号",
    "苏州市住房和城乡建设局苏住建规〔2011〕4号", "的通知国发〔2009〕12号", "抢抓国发〔2015〕33号", "广东证监〔2020〕5号",
    "中华人民共和国国务院〔2020〕5号", "和政发〔2020〕3号", "晋人社厅与晋人社厅〔2020〕3号", "中办国办厅字〔2017〕35号",
    "国务院令〔2019〕5号", "海关总署公告〔2019〕5号", "国发〔2015〕第33号", "文号国发〔2015〕33号", "国发〔1899〕3号",
    "国发〔2200〕3号", "国发〔2015〕1234567号", "国发〔2015〕0号", "国发〔２０１５〕33号", "国发[2015]33号", "国 发〔2015〕33号",
    "国发〔2015年〕33号", "xx办函〔2015〕529号", "〔2015〕33号", "一二三四五六七八九十一二三四五六七八九十一二三四五〔2015〕3号",
    "关于印发实施方案的通知的补充通知的意见函〔2015〕3号", "国发〔20XX〕X号", "卫防字〔1981〕26号", "国發〔2015〕33號"])
def test_number_key_fast_path_on_tricky_shapes(written):
    _fast_path_agrees([written])


def test_number_key_fast_path_with_every_word_of_the_table_before_a_code():
    """Each word of data/docnumber_words.tsv (lead-ins, organs, places, joiners, bound codes...) written before
    a code, alone and after another word: the code trim is the only part of the parser the fast path reuses."""
    from importlib import resources

    text = resources.files("polgraph.data").joinpath("docnumber_words.tsv").read_text(encoding="utf-8")
    words = sorted({line.split("\t")[0] for line in text.splitlines() if line.strip() and not line.startswith("#")})
    codes = ("国发", "晋政办发", "厅字", "教发", "政发", "发")
    written = [a + b + code + "〔2020〕5号" for a in ("", "根据", "山西省") for b in words + [""] for code in codes]
    assert _fast_path_agrees(written) > len(written) // 2

"""The extractor's fast paths say exactly what the plain definitions say.

Each scan that was rewritten for speed (a backward walk done by a greedy regex in C, a window or a
prefilter before a regex, a shared sentence end) is checked against its plain definition — the
character-by-character walk or the unrestricted regex it replaces, written out below — over arbitrary
text made of the characters these scans stop at, skip or look for. Speed itself is measured by
bench/extract_throughput.py, never here.
"""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polgraph.extract import cues, dates, docnumber, find, levels, metadata, organs, titles
from polgraph.extract.cues import CLAUSE_END, SENTENCE_END, _CLOSERS, _CONTINUES_LIST, _hard_break, load_cues

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = [
    "，", ",", "；", ";", "。", "！", "？", "!", "?", "：", ":", "\n", "\n\n", " ", "\t", "\u3000", "、",
    "《", "》", "（", "）", "(", ")", "〔", "〕", "[", "]", "【", "】", "〈", "〉", "<", ">", "“", "”",
    "以及", "和", "及", "根据", "依据", "为贯彻落实", "按照", "参照", "的", "关于", "通知", "办法",
    "同时废止", "废止", "精神", "修正", "修改", "印发", "转发", "以下简称", "附件", "附件1：",
    "山西省人力资源和社会保障厅", "人民政府", "办公室", "委员会", "国务院", "省、市", "中共", "XX",
    "2000年", "2019", "年", "11月", "17日", "１２", "施行", "通过", "修订", "<!-- INFO END -->",
    "编制了", "制定", "发文字号：", "文号:", "【字号】", "发文机关：", "成文日期：", "2015年6月1日", "国发〔2015〕33号",
    "x", "条例", "甲", "，以及《", "，和 《", ",及《",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
# with runs longer than the windows (clause 4 x 120, sentence 300, cue post window 1500)
long_texts = st.lists(st.sampled_from(PIECES + ["甲" * 100, "乙" * 350]), max_size=40).map("".join)


def _position(text: str, data) -> int:
    """Anywhere, or (more often) where a mention starts or ends."""
    anchors = [m.start() for m in re.finditer("《", text)] + [m.end() for m in re.finditer("》", text)]
    if anchors and data.draw(st.booleans()):
        return data.draw(st.sampled_from(anchors))
    return data.draw(st.integers(0, len(text)))


# --- plain definitions ------------------------------------------------------------------------------------
def clause_before_plain(text: str, start: int, limit: int = cues.MAX_WINDOW) -> str:
    out = []
    i = start - 1
    stop = max(0, start - 4 * limit)
    kept = 0
    while i >= stop and kept < limit:
        ch = text[i]
        if ch in CLAUSE_END:
            head = "".join(reversed(out)).lstrip()
            if ch in "，," and head.startswith(_CONTINUES_LIST):
                out.append(" ")
                i -= 1
                continue
            break
        if ch == "\n" and _hard_break(text, i):
            break
        if ch in _CLOSERS:
            j = text.rfind(_CLOSERS[ch], stop, i)
            if j >= 0 and "\n\n" not in text[j:i] and "。" not in text[j:i]:
                out.append(" ")
                i = j - 1
                continue
        if ch != "\n":
            out.append(ch)
            kept += 1
        i -= 1
    return "".join(reversed(out))


def sentence_plain(text: str, start: int, end: int) -> str:
    i = start - 1
    lo = max(0, start - find.MAX_SENTENCE)
    while i >= lo:
        ch = text[i]
        if ch in SENTENCE_END or (ch == "\n" and _hard_break(text, i)):
            break
        i -= 1
    stop = cues.sentence_end(text, end, find.MAX_SENTENCE)
    j = stop + 1 if stop < len(text) and text[stop] in SENTENCE_END else stop
    return (text[i + 1:start] + text[start:j]).replace("\n", "").strip()


def post_cue_plain(text: str, end: int):
    _, post = load_cues()
    tail = cues.sentence_after(text, end)
    m = re.match(r"^\s*(?:[（(][^（()）]{0,60}[)）])?\s*", tail)
    rest = tail[m.end():]
    for cue in post:
        if rest.startswith(cue.phrase):
            return cue, True
    if rest.startswith(("，", ",", "、", "和", "及", "以及", "与", "等")):
        for cue in post:
            if cue.relation == "REPEALS" and tail.rstrip().endswith(cue.phrase):
                return cue, False
    return None, False


def cited_issuer_cut_plain(cand: str) -> int:
    pre, _ = load_cues()
    cut = 0
    for cue in pre:
        k = cand.rfind(cue.phrase)
        if k >= 0:
            cut = max(cut, k + len(cue.phrase))
    return cut


def cited_issuer_plain(text: str, start: int):
    m = find._ISSUER_CHARS.search(text, max(0, start - 40), start)
    if not m:
        return None
    cand = m.group(0)
    cand = find._ISSUER_LEAD.sub("", cand[cited_issuer_cut_plain(cand):].strip()).strip("、 \u3000")
    if not cand or not organs.looks_like_organ(cand.split("、")[-1]) or cand.endswith("的"):
        return None
    if cand.startswith(find._ORGAN_HEADS):
        return cand
    _, level_of_issuer = find._levels()
    if level_of_issuer is not None and level_of_issuer(cand)[0] != "unknown":
        return cand
    return None


def history_date_plain(text: str):
    end = text.find("<!-- INFO END -->", 0, 6000)
    if end < 0:
        return None
    found = []
    for line in text[:end].split("\n")[1:]:
        if not line.strip() or "施行" in line and "通过" not in line and "修正" not in line and "修订" not in line:
            continue
        for m in dates._DATE_RE.finditer(line):
            d = dates.parse_date(m.group(0))
            if d:
                found.append(d)
    return max(found) if found else None


def field_plain(name: str, text: str):
    head = text[:metadata.HEADER_CHARS * 2]
    bracketed, labelled = metadata._FIELD[name]
    if "【" in head:
        m = bracketed.search(head)
        if m is not None:
            return m
    if labelled is None:
        return None
    for m in labelled.finditer(head):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not text[line_start:m.start()].strip(" \t\u3000•·"):
            return m
    return None


def _span(m):
    return None if m is None else (m.span(), m.groups())


# --- properties ---------------------------------------------------------------------------------------------
@SETTINGS
@given(st.one_of(texts, long_texts), st.data(), st.sampled_from([1, 3, 8, cues.MAX_WINDOW]))
def test_clause_before_is_the_backward_walk(text, data, limit):
    start = _position(text, data)
    assert cues.clause_before(text, start, limit) == clause_before_plain(text, start, limit)


@SETTINGS
@given(st.one_of(texts, long_texts), st.data())
def test_sentence_is_the_backward_walk_and_a_shared_end_changes_nothing(text, data):
    start = _position(text, data)
    end = data.draw(st.integers(start, len(text)))
    expected = sentence_plain(text, start, end)
    assert find._sentence(text, start, end) == expected
    assert find._sentence(text, start, end, cues.sentence_end(text, end)) == expected


@SETTINGS
@given(st.one_of(texts, long_texts), st.data())
def test_post_cue_is_the_first_listed_phrase_and_a_shared_end_changes_nothing(text, data):
    end = _position(text, data)
    expected = post_cue_plain(text, end)
    assert cues.find_post_cue(text, end) == expected
    assert cues.find_post_cue(text, end, cues.sentence_end(text, end)) == expected


@SETTINGS
@given(texts)
def test_cue_that_ends_last_is_found_by_the_reversed_regex(cand):
    m = cues._pre_regex()[0].search(cand[::-1])
    assert (len(cand) - m.start() if m else 0) == cited_issuer_cut_plain(cand)


@SETTINGS
@given(texts, st.data())
def test_cited_issuer_prefilter_only_drops_what_the_full_test_drops(text, data):
    start = _position(text, data)
    assert find._cited_issuer(text, start) == cited_issuer_plain(text, start)


# a law's history header: lines of dates and what happened on them
header_lines = st.lists(st.sampled_from(["2000年11月17日", "2019年1月1日", "1999 年 2 月 3 日", "2001年13月1日", " ",
                                         "施行", "通过", "修正", "修订", "公布", "，", "自", "起"]), max_size=6).map("".join)
headers = st.lists(header_lines, max_size=6).map("\n".join)


@SETTINGS
@given(st.one_of(texts, headers))
def test_history_date_is_the_line_by_line_reading(text):
    assert metadata._history_date(text) == history_date_plain(text)
    header = "# 标题\n" + text + "\n<!-- INFO END -->\n"
    assert metadata._history_date(header) == history_date_plain(header)


labelled_heads = st.lists(st.sampled_from(PIECES + ["\n发文字号：", "\n字号 : ", "\n发文机关：", "\n成文日期：",
                                                  "\n【标题】", "\n制定机关:"]), max_size=30).map("".join)


@SETTINGS
@given(st.one_of(texts, labelled_heads), st.sampled_from(["title", "number", "issuer", "date"]))
def test_labelled_field_prefilter_changes_nothing(text, name):
    metadata._head_marks = (None, False, frozenset())
    assert _span(metadata._field(name, text)) == _span(field_plain(name, text))


self_intros = st.builds("{}{}《{}》{}以下简称".format, st.sampled_from(["编制", "制定", "起草", "修订", "编写", "印发"]),
                        st.sampled_from(["", "了"]), st.integers(0, 125).map("甲".__mul__),
                        st.sampled_from(["（", "(", ""]))


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(PIECES + ["乙" * 2000, "（以下简称", "以下简称“", "）", "”", "《X》（以下简称《Y》）"]),
                          self_intros, st.integers(140, 155).map(lambda n: "《" + "甲" * n + "》（以下简称乙）")), max_size=12).map("".join))
def test_self_introduction_and_abbreviations_are_read_at_each_yixiajiancheng(text):
    positions = metadata._word_positions(text, "以下简称", 3)
    assert positions == [m.start() for m in re.finditer("(?=以下简称)", text)]
    expected = metadata._SELF_INTRO.search(text, 0, 5000) if "以下简称" in text[:5000] else None
    assert _span(metadata._self_intro(text, positions)) == _span(expected)
    assert list(map(_span, metadata._aliases(text, positions))) == list(map(_span, metadata._ALIAS.finditer(text)))


def test_a_long_repeal_list_is_extracted_in_one_pass():
    """Every number of a 废止 list is its own citation, each with its level (the numbers are looked up once)."""
    n = 400
    text = "现决定废止下列文件：\n" + "".join(f"{i + 1}.国办发〔2015〕{i + 1}号；\n" for i in range(n))
    rec = find.extract_text(text)
    assert [c["doc_number"] for c in rec["citations"]] == [f"国办发〔2015〕{i + 1}号" for i in range(n)]
    assert {c["cited_level"] for c in rec["citations"]} == {"central"}


def test_a_number_right_before_its_title_is_one_citation_with_or_without_a_space():
    for gap in ("", " ", "\u3000"):
        text = f"根据国务院令第638号{gap}《国务院关于废止和修改部分行政法规的决定》，现决定"
        (c,) = find.extract_text(text)["citations"]
        assert (c["doc_number"], c["title"]) == ("国务院令第638号", "国务院关于废止和修改部分行政法规的决定")
        assert (c["start"], c["end"]) == (2, text.index("》") + 1)


def test_a_number_that_issued_a_later_title_goes_to_that_title_only():
    text = "依据《中华人民共和国A法》和财政部〔1998〕86号通知印发的《B管理办法》，制定本办法。"
    a, b = find.extract_text(text)["citations"]
    assert (a["doc_number"], a["title"]) == (None, "中华人民共和国A法")
    assert (b["doc_number"], b["title"], b["start"]) == ("财政部〔1998〕86号", "B管理办法", text.index("财政部"))


# --- the second round of fast paths (titles, sentence start from the clause's stop, tables, levels) ---------
def titles_plain(text: str):
    out = []
    for m in titles._TITLE_RE.finditer(text):
        title = titles._LINE_BREAKS.sub("", m.group(1).translate(titles._INNER_OPEN)).strip()
        if title:
            out.append((title, m.start(), m.end()))
    return out


# titles around the 200-character bound, flat or holding a bracket or a line break
long_titles = st.builds("《{}{}{}》".format, st.integers(0, 205).map("甲".__mul__),
                        st.sampled_from(["", "〈乙〉", "<乙>", "《乙》", "\n", "\n\n", "。"]), st.integers(0, 5).map("丙".__mul__))
title_texts = st.lists(st.one_of(st.sampled_from(PIECES + ["！", "？", "\r\n"]), long_titles), max_size=20).map("".join)


@SETTINGS
@given(st.one_of(texts, title_texts))
def test_titles_are_the_title_regex_matches(text):
    assert [tuple(t) for t in titles.find_titles(text)] == titles_plain(text)
    for t in titles.find_titles(text):
        assert (t.title, t.start, t.end) == tuple(t) and isinstance(t, titles.TitleMatch)


@SETTINGS
@given(st.one_of(texts, long_texts), st.data())
def test_sentence_searched_from_the_clause_stop_is_the_backward_walk(text, data):
    start = _position(text, data)
    end = data.draw(st.integers(start, len(text)))
    clause, back = cues.clause_and_stop(text, start)
    assert clause == clause_before_plain(text, start)
    assert "".join(ch for ch in text[back + 1:start] if ch in CLAUSE_END or ch in _CLOSERS or ch == "\n") == ""
    assert find._sentence(text, start, end, None, back) == sentence_plain(text, start, end)


@SETTINGS
@given(st.one_of(texts, title_texts))
def test_title_cleaning_and_kind_prefilters_change_nothing(raw):
    assert titles.clean_title.__wrapped__(raw) == titles._LINE_BREAKS.sub("", raw.translate(titles._INNER_OPEN)).strip()
    table, longest = titles._kinds()
    core = titles._TRAILING.sub("", raw) or raw
    expected = next((table[core[-n:]] for n in range(min(longest, len(core)), 0, -1) if core[-n:] in table), "unknown")
    assert titles.title_verdict(raw) == expected


@SETTINGS
@given(st.lists(st.sampled_from(PIECES + ["号", "號", "〔2015〕33號", "第5号", "號號"]), max_size=30).map("".join))
def test_hao_positions_are_every_hao_in_order(text):
    assert docnumber._hao_positions(text) == [i for i, ch in enumerate(text) if ch in "号號"]


@SETTINGS
@given(st.one_of(texts, title_texts))
def test_carried_title_prefilter_only_drops_titles_the_regex_cannot_match(title):
    title = title.strip()
    if metadata._CARRY_IN_TITLE.search(title):
        assert title.endswith(metadata._CARRY_TITLE_ENDS)


place_pieces = ["北京市", "北京", "山西省", "晋中市", "太原市", "小店区", "安泽县", "临汾市", "吉林省", "吉林市", "朝阳区", "鼓楼区",
                "新疆维吾尔自治区", "和", "关于", "人民政府", "省", "市", "县", "区", "甲", "（", "）",
                # a name that heads a longer one: the longer is found
                "常德市", "西洞庭管理区", "唐山市", "汉沽管理区", "蚌埠市", "经济开发区", "高新技术开发区"]


@SETTINGS
@given(st.lists(st.sampled_from(place_pieces), max_size=12).map("".join))
def test_place_names_are_found_as_the_alternation_finds_them(text):
    assert list(levels._place_matches(text)) == [m.span() for m in levels._place_re().finditer(text)]


# a bracketed duty note with up to 90 characters of organs before its duty word and up to 12 after
duty_notes = st.builds("（{}{}{}{}）".format, st.integers(0, 90).map("省财政厅、"[:1].__mul__),
                       st.sampled_from(["", "等有关部门", "等相关单位"]),
                       st.sampled_from(["负责", "牵头", "按职责分工负责", "分别负责"]), st.integers(0, 12).map("甲".__mul__))
duty_texts = st.lists(st.one_of(st.sampled_from(PIECES + ["负责", "牵头", "乙" * 90]), duty_notes), max_size=20).map("".join)


@SETTINGS
@given(duty_texts, st.integers(0, 3000))
def test_duty_matches_found_around_the_duty_words_are_all_of_them(text, n):
    r = levels._text_rules()
    n = min(n, len(text))
    assert [m.span() for m in levels._duty_matches(text, n, r)] == [m.span() for m in r.duty_re.finditer(text, 0, n)]


def test_mentions_of_a_document_without_numbers_are_its_titles_in_order():
    text = "根据《A条例》和《B办法》（试行）、《C规定》，制定本办法。"
    ts = titles.find_titles(text)
    assert find._mentions(text, [], ts) == [(t.start, t.end, t.start, t.end, t.title, None, False) for t in ts]


@SETTINGS
@given(texts, st.data())
def test_cited_issuer_is_none_unless_an_organ_ending_or_a_break_stands_before_the_title(text, data):
    start = _position(text, data)
    if start == 0 or text[start - 1] not in find._ISSUER_BEFORE:
        assert cited_issuer_plain(text, start) is None


def test_cited_issuer_before_a_break_or_a_list_comma_is_still_read():
    """find_citations calls _cited_issuer only when _ISSUER_BEFORE stands before the title."""
    for gap in ("", "、", " ", "\u3000", "\n"):
        text = f"为规范管理，根据山西省人力资源和社会保障厅{gap}《关于印发<工资管理办法>的通知》精神，制定本办法。"
        (c,) = find.extract_text(text)["citations"]
        assert c["cited_issuer"] == cited_issuer_plain(text, text.index("《")) == "山西省人力资源和社会保障厅", gap

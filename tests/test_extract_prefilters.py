"""The prefilters and bounded scans that keep the portal, lifecycle and own-issuer rules cheap say exactly what
their plain definitions say (bench/extract_throughput.py measures the speed; this only checks the output).

Each fast path is compared with the unrestricted regex or the line-by-line walk it replaces, over arbitrary text
made of what those rules react to: labels (with spaces inside), chrome words, dates, verbs, term words, line
breaks, 。 and |.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polgraph.data import table_rows
from polgraph.extract import lifecycle, metadata, organs, portal
from polgraph.extract.prefilter import required_literals, shortest_literals

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CHROME_PATTERNS = [p for kind, p in (parts for _, parts in table_rows("portal_chrome.tsv")) if kind == "line"]

PIECES = [
    "\n", "\n\n", " ", "  ", "\t", "\u3000", "\xa0", "\u2002", "。", "，", "：", ":", "|", "｜", "【", "】", "（", "）",
    "&nbsp;", "&sp", "a", ";",
    # portal labels and chrome words, some split by spaces
    "文号", "文 号", "发文字号：", "发 文 机 关", "成文日期", "索引号", "主题分类", "时间", "名称", "来源", "日期",
    "当前位置：", "首页 > ", "> 首页", "【我要纠错】", "打印本页", "关闭窗口", "扫一扫", "责任编辑：", "字号：大 中 小",
    "分享到", "视力保护色", "浏览次数：12", "相关链接", "版权所有", "技术支持：某公司", "分享 | 收藏",
    # lifecycle: dates, verbs, term words, field phrases, history openings
    "2000年11月17日", "2019年 1 月 1 日", "二〇〇四年六月二十六日", "2001年13月1日", "年", "月", "日", "施行", "实施", "生效",
    "起", "自", "本办法", "有效期", "有效期限", "实施期限", "试行期", "执行期", "为", "5年", "至2025年底", "施行日期",
    "生效日期：", "2022.06.20", "根据", "(", "修正", "通过", "期",
    # mastheads and organs
    "文件", "人民政府", "青岛市人民政府文件", "国 务 院", "办公厅", "# 标题", "<!-- INFO END -->", "甲",
]
texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
long_texts = st.lists(st.sampled_from(PIECES + ["乙" * 700, "\n" * 40]), max_size=40).map("".join)


# --- required_literals ------------------------------------------------------------------------------------
def test_required_literals_of_the_chrome_table_and_what_none_means():
    for p in CHROME_PATTERNS:
        assert required_literals(p), p  # every chrome line pattern gives a literal (else the prefilter is off)
    assert required_literals("责任编辑[：:]") == {"责任编辑：", "责任编辑:"}
    assert required_literals(r"^\s*(?:责任编辑|编辑)\s*[：:]") == {"责任编辑", "编辑"}
    assert required_literals("(?:浏览|点击)(?:次数|量)") == {"浏览次数", "浏览量", "点击次数", "点击量"}
    assert required_literals(".+") is None
    assert required_literals("(?i)abc") is None and required_literals("a(?i:b)c") is None
    assert required_literals("x?") is None
    assert shortest_literals(["当前位置", "位置", "首页"]) == ["位置", "首页"]


@SETTINGS
@given(texts, st.sampled_from(CHROME_PATTERNS + [r"^\s*(?:相关链接|上一篇)\s*[：:]?", r"【\s*(?:我要纠错|打印)",
                                                  r"(?:19|20)\d\d年\d{1,2}月", r"a[bc]d|e(?:fg)+h"]))
def test_a_match_holds_one_of_the_required_literals(text, pattern):
    literals = required_literals(pattern)
    if literals is not None and re.search(pattern, text, re.M):
        assert any(lit in text for lit in literals)


# --- portal -----------------------------------------------------------------------------------------------
@SETTINGS
@given(st.one_of(texts, long_texts))
def test_text_header_prefilter_changes_nothing(text):
    head = text[:portal.HEAD_CHARS]
    gate = portal._label_patterns()[1].search(head) or portal.load_chrome()[0].search(head)
    plain = portal.read_head_lines(head) if gate else portal.PageHeader()
    assert portal.read_text_header(text) == plain


@SETTINGS
@given(texts)
def test_number_and_title_needs_a_hao(text):
    if "号" not in text:
        assert all(rx.match(text) is None for rx in (portal._NUMBER_HEAD, portal._NUMBER_TAIL))


def test_merge_of_a_page_without_pairs_keeps_what_the_text_gives():
    own = {"title": "甲", "title_span": (0, 1), "number": None, "issuer": ["国务院"], "date": None,
           "sources": {"title": "text"}}
    out = portal.merge(portal.PageHeader(), "甲", [], dict(own), metadata._levels_api())
    assert out == {**own, "extra": {}}


# --- lifecycle --------------------------------------------------------------------------------------------
def _history_lines_plain(head: str):
    history = lifecycle._patterns()[4]
    return [m.group(0) for m in (history.match(line) for line in head.split("\n")) if m]


def _clause_ends_plain(text: str):
    anchor = lifecycle._patterns()[9]
    return sorted({m.end() for m in anchor.finditer(text)}, reverse=True)


def _word_starts_plain(text: str, words) -> set[int]:
    return {i for w in words for i in range(len(text)) if text.startswith(w, i)}


@SETTINGS
@given(st.one_of(texts, long_texts))
def test_lifecycle_head_scans_are_the_regexes_over_the_head(text):
    _, _, head_line, _, _, _, terms, _, field, anchor = lifecycle._patterns()
    head = text[:lifecycle.HEAD_CHARS]
    found, plain = lifecycle.head_line_search(text), head_line.search(head)
    assert (found and found.span(), found and found.group(0)) == (plain and plain.span(), plain and plain.group(0))
    found, plain = lifecycle.field_search(text), field.search(head)
    assert (found and found.span(), found and found.group(0)) == (plain and plain.span(), plain and plain.group(0))
    assert [m.group(0) for m in lifecycle._history_lines(text, lifecycle.HEAD_CHARS)] == _history_lines_plain(head)
    seen = []
    for end in lifecycle._clause_ends(text, anchor):
        if end not in seen:
            seen.append(end)
    assert seen == _clause_ends_plain(text)
    for words in (lifecycle._shortest(terms), lifecycle.load_phrases()["field"], ("甲乙", "乙丙")):
        assert lifecycle.word_starts(text, words) == _word_starts_plain(text, words)
        assert lifecycle.word_starts(text, words, 50) == {i for i in _word_starts_plain(text[:50], words)}


def test_common_core_and_a_scan_without_one():
    assert lifecycle._common_core(("施行日期", "生效日期")) == "日期"
    assert lifecycle._common_core(("甲", "乙")) is None
    assert lifecycle.word_starts("甲乙甲", ("甲", "乙")) == {0, 1, 2}


# --- metadata ---------------------------------------------------------------------------------------------
def _lines_plain(text, limit_chars, limit_lines):
    out, pos = [], 0
    for line in text[:limit_chars].split("\n"):
        if line.strip():
            out.append((pos, line))
            if len(out) >= limit_lines:
                break
        pos += len(line) + 1
    if out and out[-1][0] + len(out[-1][1]) >= limit_chars:
        start = out[-1][0]
        end = text.find("\n", start)
        out[-1] = (start, text[start:end if end >= 0 else len(text)])
    return out


def _masthead_organs_plain(line: str) -> list[str]:
    name = " ".join(organs._closed_up(line))
    for word, _ in metadata.issuer_words("masthead"):
        if name.endswith(word) and len(name) > len(word) + 1:
            return organs.split_issuers(name[:-len(word)])
    return []


@SETTINGS
@given(st.one_of(texts, long_texts), st.sampled_from([3, 16]), st.sampled_from([40, metadata.HEADER_CHARS]))
def test_head_lines_are_the_split_lines(text, n, limit):
    assert metadata._lines(text, limit, n) == _lines_plain(text, limit, n)


@SETTINGS
@given(st.one_of(texts, long_texts))
def test_masthead_prefilters_change_nothing(text):
    for _, line in _lines_plain(text, metadata.HEADER_CHARS, 5):
        assert metadata._masthead_organs(line.strip()) == _masthead_organs_plain(line.strip())
    plain = next((o for o in (_masthead_organs_plain(line.strip()) for _, line in
                              _lines_plain(text, metadata.HEADER_CHARS, metadata.MASTHEAD_LINES)) if o), [])
    assert metadata._masthead_issuers(text) == plain


@pytest.mark.parametrize("name", ["国务院办公厅国家标准化管理委员会", "科 技 部", "中共中央 国务院"])
def test_split_issuers_memo_gives_a_fresh_list(name):
    first = organs.split_issuers(name)
    first.append("x")
    assert "x" not in organs.split_issuers(name)

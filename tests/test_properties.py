"""Property tests (hypothesis): extraction never fails and every reported span holds what it claims;
reading never fails except with a reason.

The span checks use only the record fields (extract/__init__.py, plus each citation's `mentions`): for every
citation text[start:end] contains its raw number as written (white space aside) or its title (brackets, quotes
and line breaks aside), and every number and title reported is held by one of its mentions.
"""
from __future__ import annotations

import json
import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from polgraph.errors import InputError
from polgraph.extract.docnumber import normalize_docnumber
from polgraph.extract.find import extract_text
from polgraph.extract.pipeline import record_to_json
from polgraph.extract.read import UndecodableError, decode_bytes, html_to_text, read_documents
from polgraph.extract.textview import simplified

LEVELS = {"central", "provincial", "municipal", "county", "township", "unknown"}
RELATIONS = {"IMPLEMENTS", "BASED_ON", "REFERS_TO", "FORWARDS", "REPEALS", "AMENDS", "CITES"}

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces real policy text is made of, including the awkward ones: unbalanced and nested brackets, all bracket
# styles around years, full-width digits, Chinese numerals, line breaks inside a citation, anonymised numbers.
FRAGMENTS = [
    "《", "》", "〈", "〉", "<", ">", "《关于印发", "<", "的通知》", "关于", "实施意见", "管理办法", "条例",
    "国务院办公厅", "国务院", "山西省人力资源和社会保障厅", "普洱市人民政府", "安泽县人民政府办公室",
    "国办发", "国发", "晋人社厅", "安政办发", "云政发", "普政发", "财税", "xx办函", "XX", "国函",
    "〔", "〕", "[", "]", "［", "］", "【", "】", "(", ")", "（", "）", "﹝", "﹞",
    "2015", "2012", "2022", "１９９８", "20XX", "x", "二〇一五", "年",
    "33号", "34号", "11号", "第", "号", "1", "0", "529", "３３", "号、", "、", "和", "及",
    "〔2015〕33号", "[2012]106号", "（2021）20号", "〔2022〕38号", "〔x〕529号", "国务院令第588号",
    "国家税务总局公告2016年第23号", "国令第846号",
    "为贯彻落实", "为落实", "贯彻", "根据", "依据", "按照", "参照", "转发", "现将", "印发给你们",
    "废止", "同时废止", "修改", "修订", "精神", "要求", "的", "规定", "文件", "结合我市实际",
    "，", "。", "；", "：", "！", "？", "“", "”", "\n", "\n\n", "\r\n", " ", "\u3000", "\t",
    "【字号】", "发文字号：", "【制定机关】", "•", "附件1", "　　",
    # list items under an intro line (现决定废止下列文件：), numbers inside a title's brackets
    "现决定废止下列文件：\n", "：\n", "1.", "2、", "12.", "1000.", "（一）", "一、", "（国发〔2017〕35 号）》",
]

fragment_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
                                                  max_size=4)),
    max_size=60,
).map("".join)

# Citation-shaped sentences with the hard cases mixed in: issuer before the title, nested titles, every
# bracket style, full-width digits, 第, lists of numbers, hard line breaks anywhere, anonymised numbers.
_hanzi = st.text(alphabet="关于加强进一步推进深化改革实施意见管理办法通知规定工作方案医院财政预算制度县级公立综合人事", min_size=2,
                 max_size=12)
_breaks = st.sampled_from(["", "", "", "\n", " ", "\u3000", "\r\n", "\n\n"])


@st.composite
def _title(draw):
    inner = draw(st.one_of(st.just(""), st.builds(lambda o, t, c: o + t + c, st.sampled_from(["<", "〈", "《"]),
                                                   _hanzi, st.sampled_from([">", "〉", "》"]))))
    parts = [draw(st.sampled_from(["关于", "关于印发", ""])), draw(_hanzi), inner,
             draw(st.sampled_from(["的通知", "的实施意见", "管理办法", "条例", "（试行）", ""]))]
    title = "".join(parts)
    cut = draw(st.integers(0, len(title)))
    return "《" + title[:cut] + draw(_breaks) + title[cut:] + "》"


@st.composite
def _number(draw):
    agency = draw(st.sampled_from(["国办发", "国发", "晋人社厅", "安政办发", "云政发", "财税", "xx办函", "国函", ""]))
    o, c = draw(st.sampled_from(["〔〕", "[]", "［］", "【】", "()", "（）", "﹝﹞"]))
    year = draw(st.sampled_from(["2015", "2012", "1998", "２０２１", "x", "20XX"]))
    serial = draw(st.sampled_from(["33", "106", "1", "0529", "３３", "11"]))
    number = agency + draw(_breaks) + o + year + c + draw(st.sampled_from(["", "第"])) + serial + "号"
    if draw(st.booleans()):
        number += draw(st.sampled_from(["、34号", "和34号", "、35号、36号"]))
    return draw(st.sampled_from(["国务院令第588号", "国家税务总局公告2016年第23号", number, number, number]))


@st.composite
def _citation_sentence(draw):
    cue = draw(st.sampled_from(["为贯彻落实", "根据", "按照", "参照", "依据", "现将", "转发", "废止", "修订", "与", ""]))
    issuer = draw(st.sampled_from(["", "", "国务院办公厅", "山西省人力资源和社会保障厅", "普洱市人民政府"]))
    titles = draw(st.lists(_title(), min_size=0, max_size=3))
    shape = draw(st.sampled_from(["title", "title(number)", "number", "titles(number)"]))
    number = draw(_number())
    joined = "、".join(titles) or draw(_title())
    body = {"title": joined, "number": number}.get(shape, joined + draw(st.sampled_from(["(", "（"])) + number
                                                     + draw(st.sampled_from([")", "）", ""])))
    tail = draw(st.sampled_from(["精神，", "规定，", "文件要求，", "。", "", "印发给你们，请认真贯彻执行。"]))
    return cue + issuer + body + tail


realistic_document = st.builds(
    lambda head, sentences, noise: head + "".join(x for pair in zip(sentences, noise) for x in pair),
    st.sampled_from(["", "某某县人民政府办公室\n\n各乡镇人民政府：\n", "普洱市人民政府关于印发《实施方案》的通知\n普政发〔2022〕38号\n"]),
    st.lists(_citation_sentence(), min_size=1, max_size=6),
    st.lists(st.one_of(_breaks, st.sampled_from(FRAGMENTS)), min_size=6, max_size=6),
)

# Fragments only: text an office would write, for the encoding round trips (random rare ideographs are, on
# purpose, not taken for GB18030 text).
realistic_text = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)

arbitrary_text = st.text(max_size=400)


def _ws(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _title_key(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return re.sub(r"[《》〈〉<>“”\"'‘’「」『』﹝﹞\s]", "", s)


def _holds_number(c: dict, span: str) -> bool:
    raw = c.get("doc_number_raw")
    if raw and _ws(raw) not in _ws(span):
        return False
    if raw and not c.get("anonymised"):
        # The raw form normalises to the reported number, unless it is the tail of a list whose organ (and
        # year) come from the number before it: 、34号 (no number alone) or 和〔2016〕2号 (the organ inherited).
        # (a number written in traditional characters is reported simplified: 雲政發〔2021〕20號 -> 云政发〔2021〕20号)
        alone = normalize_docnumber(simplified(raw))
        assert alone is None or alone == c["doc_number"] or (alone.startswith("〔") and c["doc_number"].endswith(alone)), \
            (raw, alone, c["doc_number"])
    serial = re.search(r"(\d+)号$", unicodedata.normalize("NFKC", c["doc_number"]))
    if serial and not c.get("anonymised"):
        digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", span))
        return serial.group(1).lstrip("0") in digits
    return True


def _holds_title(c: dict, span: str) -> bool:
    # a title read through a traditional document's simplified view is reported simplified (俥 -> 伡)
    return _title_key(c["title"]) in _title_key(span) or _title_key(c["title"]) in _title_key(simplified(span))


def check_record(text: str, rec: dict) -> None:
    """The record is well formed and every citation's offsets hold what it reports.

    A citation is one cited document: its start/end are its first mention, which holds its number or its
    title; a number or title learnt from a later mention (《X》 first, 《X》(国发〔2012〕11号) later) must be
    held by one of the `mentions` spans.
    """
    assert isinstance(rec, dict)
    assert rec["level"] in LEVELS
    assert isinstance(rec["issuer"], list) and isinstance(rec["carries"], list)
    assert isinstance(rec["citations"], list)
    previous_start = -1
    for c in rec["citations"]:
        assert c["relation"] in RELATIONS
        assert c["doc_number"] or c["title"], c
        spans = [(c["start"], c["end"])] + [(m["start"], m["end"]) for m in c.get("mentions", [])]
        for start, end in spans:
            assert isinstance(start, int) and isinstance(end, int)
            assert 0 <= start < end <= len(text), (start, end, len(text))
        assert c["start"] >= previous_start, "citations are listed in order of first mention"
        previous_start = c["start"]
        texts = [text[s:e] for s, e in spans]
        first = texts[0]
        holds = [c["doc_number"] and _holds_number(c, first), c["title"] and _holds_title(c, first)]
        assert any(holds), (c["doc_number"], c["title"], first)
        if c["doc_number"]:
            assert any(_holds_number(c, t) for t in texts), (c["doc_number"], c.get("doc_number_raw"), texts)
        if c["title"]:
            assert any(_holds_title(c, t) for t in texts), (c["title"], texts)
    json.loads(record_to_json(rec))


@SETTINGS
@given(arbitrary_text)
@example("")
@example("《》")
@example("《\n》")
@example("〔2015〕33号")
@example("\ud7ff《\U0010ffff》")
def test_extract_text_never_fails_on_arbitrary_unicode(text):
    check_record(text, extract_text(text))


@SETTINGS
@given(fragment_text)
@example("为贯彻落实《国务院办公厅关于全面推开县级公立医院综合改革的实施意见》（国办发〔2015〕33号）精神")
@example("根据山西省人力资源和社会保障厅《关于印发<事业单位\n公开招聘>的通知》(晋人社厅[2012]106号)")
@example("《A》、《B》(国发〔2012〕11号)和国办发〔2015〕33号、34号")
@example("按照xx 办函〔x〕529号\n文件要求")
@example("《《《《《《《《《《《《》")
@example("国办发〔2015〕\n33号")
@example("侶〔2015〕33号")  # a traditional character in the code: reported simplified
def test_extract_text_spans_hold_what_they_report(text):
    rec = extract_text(text, path="fragments.txt")
    check_record(text, rec)
    assert rec == extract_text(text, path="fragments.txt"), "same input, same record"


@SETTINGS
@given(realistic_document)
@example("某某县人民政府\n\n为贯彻落实《国务院关于加强\n管理的意见》（国发〔2012〕11号）、国办发〔2015〕33号、34号精神")
@example("根据普政发〔2022〕38号\n与〔2015〕33号精神")  # the organ is inherited across a (PDF) line break
@example("晋人社厅与晋人社厅〔2015〕33号精神，")  # the organ before the code, then a joiner
def test_citations_in_realistic_documents_hold_what_they_report(text):
    rec = extract_text(text, path="realistic.txt")
    check_record(text, rec)
    assert record_to_json(rec) == record_to_json(extract_text(text, path="realistic.txt"))


@SETTINGS
@example("现决定废止下列文件：\n的通知》俥发文字号：〔2015〕33号", {})  # read through its simplified view
@given(fragment_text, st.fixed_dictionaries({}, optional={
    "title": st.text(max_size=20), "doc_number": st.sampled_from(["国发〔2099〕1号", "not a number", ""]),
    "issuer": st.lists(st.text(min_size=1, max_size=8), max_size=3), "date": st.just("2099-01-02"),
    "id": st.text(max_size=8)}))
def test_extract_text_accepts_any_overrides(text, overrides):
    rec = extract_text(text, path="x.jsonl#1", overrides=overrides)
    check_record(text, rec)


# ------------------------------------------------------------------------------------------- reading

@SETTINGS
@given(st.binary(max_size=600))
def test_decode_bytes_decodes_or_gives_a_reason(data):
    try:
        text, encoding = decode_bytes(data)
    except UndecodableError as e:
        assert str(e) and "\n" not in str(e)
        return
    assert "\r" not in text and encoding in {"utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"}


@SETTINGS
@given(realistic_text, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_decoding_round_trips_chinese_text(text, encoding):
    data = text.encode(encoding)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    if not data.strip():
        return
    decoded, _ = decode_bytes(data)
    assert decoded == expected


@SETTINGS
@given(st.text(max_size=200), st.sampled_from(["utf-8", "gb18030"]))
def test_control_characters_are_counted_alike_in_bytes_and_text(text, encoding):
    """decode_bytes counts control characters on the bytes; that must equal the count on the text."""
    from polgraph.extract.read import _CONTROL, _NOT_CONTROL_BYTES

    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    assert len(data.translate(None, _NOT_CONTROL_BYTES)) == len(_CONTROL.findall(text))


@SETTINGS
@given(st.text(max_size=300))
def test_html_to_text_never_fails(markup):
    text = html_to_text(markup)
    assert "\n\n\n" not in text


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(
    json_values,
    st.fixed_dictionaries({"text": st.text(max_size=30)}, optional={
        k: json_values for k in ("id", "title", "doc_number", "issuer", "date")}),
), min_size=1, max_size=5))
def test_jsonl_lines_are_documents_or_reasons(tmp_path_factory, objects):
    p = tmp_path_factory.mktemp("jsonl") / "x.jsonl"
    p.write_text("\n".join(json.dumps(o) for o in objects) + "\n", encoding="utf-8")
    try:
        items = read_documents(str(p))
    except InputError as e:
        assert e.path == str(p)
        return
    assert len(items) <= len(objects)
    for item in items:
        if isinstance(item, InputError):
            assert item.path.startswith(f"{p}:")
        else:
            assert item.text.strip()
            assert set(item.overrides) <= {"id", "title", "doc_number", "issuer", "date"}
            check_record(item.text, extract_text(item.text, path=item.path, overrides=item.overrides))


def test_every_sample_and_seed_span_holds_what_it_reports(sample_dir, corpora):
    from polgraph.extract.read import iter_documents

    for doc in iter_documents([str(sample_dir), str(corpora / "govcn-statecouncil-2019"),
                               str(corpora / "ptc-sample")]):
        check_record(doc.text, extract_text(doc.text, path=doc.path))

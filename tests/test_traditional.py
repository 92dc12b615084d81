"""Documents in traditional characters: read through a simplified view (extract/textview.py), so that their
numbers and titles meet the simplified documents in the graph, while offsets and evidence stay on the text as
written. The parity test scores every dev gold document converted with OpenCC s2t against the gold."""
from __future__ import annotations

import json
import subprocess
import sys

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import polgraph
import polgraph.extract.pipeline
from polgraph.extract import textview
from polgraph.extract.find import extract_text, extract_texts
from polgraph.graph.trace import find_node

S2T = opencc.OpenCC("s2t.json")

CENTRAL = """国务院办公厅关于进一步推进省以下财政体制改革工作的指导意见
国办发〔2022〕20号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为进一步理顺省以下政府间财政关系，经国务院同意，现提出以下意见。
国务院办公厅
2022年5月29日
"""

# a provincial implementation, written in traditional characters (as a Hong Kong or Taiwan mirror shows it)
PROVINCIAL = """雲南省人民政府關於完善省以下財政體制深化預算管理制度改革的意見
雲政發〔2022〕20號
各州、市人民政府，省直各委、辦、廳、局：
爲認真貫徹落實《國務院辦公廳關於進一步推進省以下財政體制改革工作的指導意見》（國辦發〔2022〕20號）精神，結合我省實際，現提出如下意見。
雲南省人民政府
2022年8月10日
"""

# a municipal document, simplified, citing the provincial one by its number
MUNICIPAL = """普洱市人民政府关于印发《普洱市深化预算管理制度改革实施方案》的通知
普政发〔2022〕38号
各县（区）人民政府：
根据《云南省人民政府关于完善省以下财政体制深化预算管理制度改革的意见》（云政发〔2022〕20号），现将方案印发给你们，请认真贯彻执行。
普洱市人民政府
2022年9月1日
"""


def test_a_traditional_document_reports_simplified_fields_and_original_offsets():
    rec = extract_text(PROVINCIAL)
    assert rec["doc_number"] == "云政发〔2022〕20号"
    assert rec["title"] == "云南省人民政府关于完善省以下财政体制深化预算管理制度改革的意见"
    assert rec["issuer"] == ["云南省人民政府"]
    assert rec["level"] == "provincial" and rec["region"] == "云南省"
    assert rec["date"] == "2022-08-10"
    (c,) = rec["citations"]
    assert c["doc_number"] == "国办发〔2022〕20号"
    assert c["title"] == "国务院办公厅关于进一步推进省以下财政体制改革工作的指导意见"
    assert c["relation"] == "IMPLEMENTS" and c["cited_level"] == "central"
    # offsets, raw number and evidence are the text as written
    assert PROVINCIAL[c["start"]:c["end"]] == "《國務院辦公廳關於進一步推進省以下財政體制改革工作的指導意見》（國辦發〔2022〕20號）"
    assert c["doc_number_raw"] == "國辦發〔2022〕20號"
    assert c["sentence"].startswith("爲認真貫徹落實《國務院辦公廳") and c["sentence"].endswith("現提出如下意見。")
    assert [(m["start"], m["end"]) for m in c["mentions"]] == [(c["start"], c["end"])]


def test_the_traditional_record_matches_the_simplified_one_but_for_offsets_and_evidence():
    simplified = MUNICIPAL
    traditional = S2T.convert(simplified)
    assert traditional != simplified and len(traditional) == len(simplified)
    a, b = extract_text(simplified), extract_text(traditional)
    for rec in (a, b):
        for key in ("effective", "expires"):
            if rec.get(key):
                rec[key].pop("sentence")
        for c in rec["citations"] + rec.get("repeals", []):
            c.pop("sentence"), c.pop("doc_number_raw")
            for m in c["mentions"]:
                m.pop("sentence")
    assert a == b


def test_lifecycle_clauses_of_a_traditional_document_point_into_its_text():
    simplified = MUNICIPAL.replace("请认真贯彻执行。", "请认真贯彻执行。本方案自2022年10月1日起施行，有效期3年。"
                                   "《普洱市预算管理暂行办法》（普政发〔2015〕10号）同时废止。")
    traditional = S2T.convert(simplified)
    a, b = extract_text(simplified), extract_text(traditional)
    assert b["effective"]["date"] == a["effective"]["date"] == "2022-10-01"
    assert b["expires"]["date"] == a["expires"]["date"]
    assert [(r["doc_number"], r["title"]) for r in b["repeals"]] == [(r["doc_number"], r["title"])
                                                                       for r in a["repeals"]] != []
    for clause in (b["effective"], b["expires"], *b["repeals"]):
        assert traditional[clause["start"]:clause["end"]] == S2T.convert(simplified[clause["start"]:clause["end"]])
        assert clause["sentence"] and clause["sentence"] in traditional.replace("\n", "")
    assert "廢止" in b["repeals"][0]["sentence"]


def test_in_the_graph_the_traditional_document_meets_its_simplified_neighbours(tmp_path):
    for name, text in (("central.txt", CENTRAL), ("yunnan.txt", PROVINCIAL), ("puer.txt", MUNICIPAL)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    G = polgraph.build_graph([str(tmp_path)])
    by_path = {d["path"].rsplit("/", 1)[-1]: n for n, d in G.nodes(data=True) if d.get("path")}
    assert set(by_path) == {"central.txt", "yunnan.txt", "puer.txt"}
    assert G.number_of_nodes() == 3  # no placeholder: every citation resolved
    assert G.has_edge(by_path["yunnan.txt"], by_path["central.txt"])
    assert G.has_edge(by_path["puer.txt"], by_path["yunnan.txt"])
    down = polgraph.trace(G, "国办发〔2022〕20号")
    assert {d["id"] for d in down["documents"]} >= {by_path["yunnan.txt"], by_path["puer.txt"]}


@pytest.mark.parametrize("ref", ["國辦發〔2022〕20號", "國辦發[2022]20號",
                                 "國務院辦公廳關於進一步推進省以下財政體制改革工作的指導意見", "財政體制 指導意見"])
def test_trace_finds_a_document_by_a_traditional_ref(tmp_path, ref):
    (tmp_path / "central.txt").write_text(CENTRAL, encoding="utf-8")
    (tmp_path / "yunnan.txt").write_text(PROVINCIAL, encoding="utf-8")
    G = polgraph.build_graph([str(tmp_path)])
    assert find_node(G, ref) == find_node(G, "国办发〔2022〕20号")


def test_trace_cli_with_a_traditional_ref(tmp_path):
    (tmp_path / "central.txt").write_text(CENTRAL, encoding="utf-8")
    (tmp_path / "yunnan.txt").write_text(PROVINCIAL, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "polgraph", "trace", str(tmp_path), "國辦發〔2022〕20號"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "云政发〔2022〕20号" in proc.stdout


def test_traditional_overrides_from_json_lines_are_simplified():
    (rec,) = extract_texts([("正文。", "x.jsonl#1", {"title": "雲南省人民政府關於完善財政體制的意見",
                                                  "doc_number": "雲政發[2022]20號"})])
    assert rec["title"] == "云南省人民政府关于完善财政体制的意见"
    assert rec["doc_number"] == "云政发〔2022〕20号"


def test_a_plain_simplified_document_is_read_as_it_is():
    from polgraph.extract.find import _numbers
    from polgraph.extract.metadata import extract_metadata
    from polgraph.extract.titles import find_titles

    numbers, titles = _numbers(MUNICIPAL), find_titles(MUNICIPAL)
    assert not textview.needs_view(MUNICIPAL, numbers, titles)
    assert not textview.fields_need_view(MUNICIPAL, extract_metadata(MUNICIPAL, numbers))
    assert textview.build_view(MUNICIPAL) is None
    assert textview.simplified(MUNICIPAL) is MUNICIPAL


def test_a_traditional_document_without_numbers_or_titles_is_seen_from_its_first_lines():
    text = "关于加强基层医疗卫生机构建设的报告\n各区县卫生健康局：\n近年来，我市基层医疗卫生服务能力不断提升。\n"
    assert extract_text(S2T.convert(text)) == extract_text(text)
    assert extract_text(text)["title"] == "关于加强基层医疗卫生机构建设的报告"


def test_a_traditional_number_in_a_simplified_document_is_read_simplified():
    text = "根据雲政發〔2021〕20號文件精神，结合我县实际，制定本方案。\n"
    (c,) = extract_text(text)["citations"]
    assert c["doc_number"] == "云政发〔2021〕20号"
    assert text[c["start"]:c["end"]] == "雲政發〔2021〕20號" == c["doc_number_raw"]


def test_the_traditional_character_table_is_what_the_installed_opencc_converts():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "traditional_chars", Path(__file__).resolve().parent.parent / "scripts" / "traditional_chars.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert dict(script.table()) == textview._traditional_chars(), \
        "data/traditional_chars.tsv is stale: run scripts/traditional_chars.py"
    assert textview._traditional_chars()["發"] == "发" and "发" not in textview._traditional_chars()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=60)
       | st.text(max_size=60))
def test_simplification_keeps_every_length(s):
    out = textview.simplified(s)
    assert len(out) == len(s)
    assert textview.simplified(S2T.convert(s)).__len__() == len(S2T.convert(s))


# ------------------------------------------------------------------------------------ parity on the dev gold

def _score(shared_dir, gold_path, out):
    proc = subprocess.run([sys.executable, str(shared_dir / "eval" / "score.py"), str(gold_path), str(out), "--json"],
                          capture_output=True, text=True, timeout=120)
    return json.loads(proc.stdout.splitlines()[0])


def test_every_dev_gold_document_in_traditional_characters_scores_as_the_original(shared_dir, tmp_path):
    from polgraph.extract.read import read_file

    gold_path = shared_dir / "gold" / "dev.jsonl"
    docs = [json.loads(line)["doc"] for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    plain, traditional = [], []
    for doc in docs:
        src = shared_dir / "corpora" / doc
        plain.append(str(src))
        dst = tmp_path / "trad" / doc
        dst.parent.mkdir(parents=True, exist_ok=True)
        (text,) = [d.text for d in read_file(str(src))]
        converted = S2T.convert(text)
        assert converted != text
        dst.write_text(converted, encoding="utf-8")
        traditional.append(str(dst))
    scores = []
    for name, paths in (("plain", plain), ("traditional", traditional)):
        out = tmp_path / f"{name}.jsonl"
        proc = subprocess.run([sys.executable, "-m", "polgraph", "extract", "-q", "-o", str(out), *paths],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        scores.append(_score(shared_dir, gold_path, out))
    plain_scores, trad_scores = scores
    assert trad_scores["documents_missing"] == 0
    for metric, value in plain_scores.items():
        if isinstance(value, float):
            assert trad_scores[metric] is not None and abs(trad_scores[metric] - value) <= 0.02, \
                (metric, value, trad_scores[metric])


def test_a_traditional_portal_page_reports_its_header_simplified(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>雲南省人民政府關於完善財政體制的意見</title></head><body>"
        "<table><tr><td>標題</td><td>雲南省人民政府關於完善省以下財政體制深化預算管理制度改革的意見</td></tr>"
        "<tr><td>文號</td><td>雲政發〔2022〕20號</td><td>發文機關</td><td>雲南省人民政府</td></tr>"
        "<tr><td>成文日期</td><td>2022年08月10日</td></tr></table><div><p>各州、市人民政府：</p>"
        "<p>爲認真貫徹落實《國務院辦公廳關於進一步推進省以下財政體制改革工作的指導意見》（國辦發〔2022〕20號）精神，"
        "現提出如下意見。</p><p>雲南省人民政府</p><p>2022年8月10日</p></div></body></html>", encoding="utf-8")
    (rec,) = polgraph.extract.pipeline.extract_paths([str(page)], quiet=True)[0]
    assert (rec["title"], rec["doc_number"], rec["issuer"], rec["date"]) == (
        "云南省人民政府关于完善省以下财政体制深化预算管理制度改革的意见", "云政发〔2022〕20号", ["云南省人民政府"],
        "2022-08-10")
    assert ("国办发〔2022〕20号", "IMPLEMENTS") in {(c["doc_number"], c["relation"]) for c in rec["citations"]}

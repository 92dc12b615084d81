"""trace, find_node and reachable on a hand-made chain, and the acceptance queries on data/sample."""
from __future__ import annotations

import json

import pytest

from graph_support import CITY, COUNTY, OFFICE, STATE, chain_records, cit, rec
from polgraph.errors import NotFoundError
from polgraph.graph.build import build_graph
from polgraph.graph.resolve import title_id
from polgraph.graph.trace import find_node, format_trace_text, normalize_ref_number, reachable, trace


@pytest.fixture(scope="module")
def G():
    return build_graph(chain_records(), quiet=True)


@pytest.mark.parametrize("ref", ["国办发〔2015〕33号", "国办发[2015]33号", "国办发（2015）33号", "国办发【2015】33号",
                                 "国办发﹝2015﹞33号", "国办发〔2015〕第33号", " 国办发 [ 2015 ] 33 号 ",
                                 OFFICE, f"《{OFFICE}》", "全面推开 县级公立医院 国务院办公厅"])
def test_find_node_accepts_numbers_titles_and_words(G, ref):
    assert find_node(G, ref) == "国办发〔2015〕33号"


def test_find_node_by_carried_title(G):
    assert find_node(G, "山西省全面推开县级公立医院综合改革实施方案") == "晋政发〔2015〕20号"


@pytest.mark.parametrize("ref", ["k/anze.txt", "anze.txt", "anze"])
def test_find_node_by_source_file(G, ref):
    assert find_node(G, ref) == "安政办发〔2016〕3号"


def test_find_node_ambiguous_lists_candidates(G):
    with pytest.raises(NotFoundError) as e:
        find_node(G, "县级公立医院")
    msg = str(e.value)
    assert "matches" in msg and "国办发〔2015〕33号" in msg and "临政发〔2015〕9号" in msg
    assert "\n" not in msg


def test_a_title_of_several_versions_names_the_latest():
    """A law's title matches each of its versions (graph/versions.py: the latest keeps the id, the earlier
    ones are id@date); the title names the latest, as its 文号 does. Two different documents stay ambiguous."""
    law = "中华人民共和国某某保护法"
    versions = [rec(f"law/{d}.txt", law, level="central", date=d) for d in ("2002-10-28", "2017-11-04", "2024-11-08")]
    other = [rec("a.txt", "某某市河道管理办法", level="municipal", date="2019-01-01", issuer=["某某市人民政府"]),
             rec("b.txt", "某某市河道管理办法", level="municipal", date="2019-01-01", issuer=["某某市人民政府"],
                 number="某政发〔2019〕3号")]
    G = build_graph(versions + other, quiet=True)
    latest = title_id(law)
    assert sorted(n for n in G if n.startswith(latest)) == [latest, f"{latest}@2002-10-28", f"{latest}@2017-11-04"]
    assert find_node(G, law) == latest
    assert find_node(G, "某某 保护法") == latest
    assert G.nodes[find_node(G, f"{latest}@2017-11-04")]["date"] == "2017-11-04"  # an earlier one by its id
    with pytest.raises(NotFoundError, match="matches 2 documents"):
        find_node(G, "某某市河道管理办法")


def test_an_untitled_document_is_named_by_issuer_and_file_in_the_text():
    """A body-only text (no title, no 文号) was shown by its whole path; now by its issuer and last folder/file."""
    records = [rec("corpus/central/plan.txt", "国务院关于印发某某发展规划的通知", number="国发〔2017〕35号",
                   level="central", date="2017-07-08"),
               rec("/data/crawl/ministry/00110.txt", level="central", date="2019-05-14", issuer=["某某部办公厅"],
                   citations=[cit(number="国发〔2017〕35号")]),
               rec("/data/crawl/ministry/00111.txt", level="central", citations=[cit(number="国发〔2017〕35号")])]
    text = format_trace_text(trace(build_graph(records, quiet=True), "国发〔2017〕35号"))
    assert "2019-05-14 (+675 d)  untitled, 某某部办公厅, ministry/00110.txt  [central]" in text
    assert "date ?  untitled, ministry/00111.txt  [central]" in text
    assert "/data/crawl" not in text
    # a document known only by its 文号 is not named twice (its label is that number)
    placeholder = trace(build_graph(records[1:], quiet=True), "国发〔2017〕35号")
    assert format_trace_text(placeholder).splitlines()[0] == "Documents implementing or citing: 国发〔2017〕35号"
    from polgraph.graph.diffusion import diffusion, format_diffusion_text
    assert format_diffusion_text(diffusion(build_graph(records[1:], quiet=True), "国发〔2017〕35号")).startswith(
        "Adoption of 国发〔2017〕35号\n")


def test_find_node_not_found_suggests(G):
    with pytest.raises(NotFoundError, match="no document matches '国办发〔2099〕1号'"):
        find_node(G, "国办发〔2099〕1号")
    with pytest.raises(NotFoundError, match="closest: .*国办发〔2015〕33号"):
        find_node(G, "国务院办公厅关于全面推开县级医院综合改革")


def test_normalize_ref_number():
    assert normalize_ref_number("国发[2012]11号") == "国发〔2012〕11号"
    assert normalize_ref_number("某某办法") is None


def test_reachable_down_up_depth_relations(G):
    assert reachable(G, "国发〔2012〕11号") == {"国办发〔2015〕33号": 1, "晋政发〔2015〕20号": 2,
                                                "临政发〔2015〕9号": 2, "安政办发〔2016〕3号": 3}
    assert reachable(G, "国发〔2012〕11号", depth=1) == {"国办发〔2015〕33号": 1}
    assert reachable(G, "安政办发〔2016〕3号", direction="up", relations=["BASED_ON"]) == {"晋人社厅〔2012〕106号": 1}
    up = reachable(G, "安政办发〔2016〕3号", direction="up")
    assert set(up) == {"临政发〔2015〕9号", "晋人社厅〔2012〕106号", "晋政发〔2015〕20号", "国办发〔2015〕33号",
                       "国发〔2012〕11号", title_id("中共中央国务院关于深化医药卫生体制改革的意见")}
    assert up["国发〔2012〕11号"] == 3


def test_trace_down_tree_levels_and_delays(G):
    r = trace(G, "国发[2012]11号")
    assert r["ref"]["id"] == "国发〔2012〕11号" and r["count"] == 4
    docs = {d["id"]: d for d in r["documents"]}
    assert docs["国办发〔2015〕33号"]["delay_days"] == 1150  # 2012-03-14 → 2015-05-08
    assert docs["临政发〔2015〕9号"]["via"] == "国办发〔2015〕33号" and docs["临政发〔2015〕9号"]["hops"] == 2
    assert r["tree"][0]["id"] == "国办发〔2015〕33号"
    assert [c["id"] for c in r["tree"][0]["children"]] == ["晋政发〔2015〕20号", "临政发〔2015〕9号"]
    assert r["by_level"] == {"central": {"": ["国办发〔2015〕33号"]}, "provincial": {"山西省": ["晋政发〔2015〕20号"]},
                             "municipal": {"山西省": ["临政发〔2015〕9号"]}, "county": {"山西省": ["安政办发〔2016〕3号"]}}
    assert r["delay_days"] == {"min": 1150, "median": 1346, "max": 1419}
    assert json.dumps(r, sort_keys=True, ensure_ascii=False) == \
        json.dumps(trace(G, "国发[2012]11号"), sort_keys=True, ensure_ascii=False)


def test_trace_relations_filter_and_up(G):
    r = trace(G, COUNTY, direction="up", relations=["based_on"])
    assert [d["id"] for d in r["documents"]] == ["晋人社厅〔2012〕106号"]
    assert r["relations"] == ["BASED_ON"]


def test_trace_text_reads_like_a_report(G):
    text = format_trace_text(trace(G, "国发〔2012〕11号"))
    assert text.startswith(f"Documents implementing or citing: 国发〔2012〕11号 {STATE}")
    assert "  └ IMPLEMENTS  2015-05-08 (+1150 d)  国办发〔2015〕33号" in text
    assert f"    └ IMPLEMENTS  2015-11-20 (+1346 d)  临政发〔2015〕9号  {CITY}  [山西省, municipal]" in text
    assert "县级 county: 1" in text and "    山西省: 1" in text
    empty = format_trace_text(trace(G, "安政办发〔2016〕3号"))
    assert "No document found citing it." in empty


def test_trace_flags_an_adoption_dated_before_the_reference():
    G = build_graph([rec("a.txt", OFFICE, "国办发〔2015〕33号", "central", "2015-05-08"),
                     rec("b.txt", CITY, None, "municipal", "2015-01-01", citations=[cit("国办发〔2015〕33号")])],
                    quiet=True)
    text = format_trace_text(trace(G, "国办发〔2015〕33号"))
    assert "(-127 d, before it!)" in text


# ------------------------------------------------------------------ data/sample (needs the extractor)

@pytest.fixture(scope="module")
def sample_graph(sample_dir):
    from polgraph.graph.build import open_graph

    return open_graph([str(sample_dir)], quiet=True)


def _paths(result):
    return {d["path"] and d["path"].replace("\\", "/").rsplit("/", 1)[-1] for d in result["documents"]}


def test_sample_office_opinion_is_implemented_by_the_municipal_plan(sample_graph):
    r = trace(sample_graph, "国办发〔2015〕33号")
    assert "00002.txt" in _paths(r)


def test_sample_state_council_plan_chain(sample_graph):
    r = trace(sample_graph, "国发[2012]11号")
    docs = {d["id"]: d for d in r["documents"]}
    assert docs["国办发〔2015〕33号"]["hops"] == 1
    plan = [d for d in r["documents"] if (d["path"] or "").endswith("00002.txt")]
    assert plan and plan[0]["hops"] == 2 and plan[0]["via"] == "国办发〔2015〕33号"


def test_sample_county_document_rests_on_both(sample_graph):
    anze = [n for n, d in sample_graph.nodes(data=True) if (d.get("path") or "").endswith("00003.txt")]
    assert len(anze) == 1
    r = trace(sample_graph, anze[0], direction="up")
    ids = {d["id"] for d in r["documents"]}
    assert {"晋人社厅〔2012〕106号", "安政办发〔2012〕26号"} <= ids

"""build_graph on hand-made records: one node per document, placeholders, resolution methods, conflicts,
checks, determinism, graph files."""
from __future__ import annotations

import json
import random
import sys

import networkx as nx
import pytest

from graph_support import (CITY, COUNTY, OFFICE, PROV, PROV_CARRIED, STATE, STATE_CARRIED, chain_records, cit,
                           rec)
from polgraph.errors import InputError
from polgraph.graph.build import build_graph, document_id, open_graph
from polgraph.graph.io import graph_to_json, load_graph, save_graph
from polgraph.graph.resolve import title_id


@pytest.fixture
def G():
    return build_graph(chain_records(), quiet=True)


def edge(G, u, v, rel):
    assert G.has_edge(u, v, key=rel), f"no {rel} edge {u} -> {v}; edges: {sorted(G.out_edges(u, keys=True))}"
    return G.edges[u, v, rel]


def test_nodes_are_documents_with_stable_ids(G):
    assert G.nodes["国发〔2012〕11号"]["in_corpus"] is True
    assert G.nodes["国发〔2012〕11号"]["aliases"] == [STATE_CARRIED]
    assert G.nodes["晋政发〔2015〕20号"]["carries"] == [PROV_CARRIED]
    for n, d in G.nodes(data=True):
        for attr in ("label", "title", "aliases", "doc_number", "issuer", "date", "year", "level", "region",
                     "in_corpus", "path", "carries"):
            assert attr in d, (n, attr)
    assert G.nodes["国办发〔2015〕33号"]["year"] == 2015
    assert G.graph["created_by"] == "polgraph"


def test_resolution_methods(G):
    assert edge(G, "国办发〔2015〕33号", "国发〔2012〕11号", "IMPLEMENTS")["method"] == "number"
    # the city cites the instrument the provincial notice carries: same node, found through the alias
    e = edge(G, "临政发〔2015〕9号", "晋政发〔2015〕20号", "IMPLEMENTS")
    assert e["method"] == "alias"
    assert e["mentions"][0]["title"] == PROV_CARRIED
    assert edge(G, "临政发〔2015〕9号", "国办发〔2015〕33号", "IMPLEMENTS")["method"] == "number"


def test_citing_the_wrapper_or_the_carried_title_finds_one_node():
    records = chain_records() + [
        rec("x/a.txt", "甲", None, "county", "2016-01-01", citations=[cit(None, STATE)]),
        rec("x/b.txt", "乙", None, "county", "2016-01-01", citations=[cit(None, STATE_CARRIED)]),
        rec("x/c.txt", "丙", None, "county", "2016-01-01",
            citations=[cit(None, f"国务院关于印发《{STATE_CARRIED}》的通知")]),
    ]
    G = build_graph(records, quiet=True)
    methods = {}
    for path, title in (("x/a.txt", "甲"), ("x/b.txt", "乙"), ("x/c.txt", "丙")):
        src = title_id(title)
        assert sorted(G.successors(src)) == ["国发〔2012〕11号"], path
        methods[title] = G.edges[src, "国发〔2012〕11号", "IMPLEMENTS"]["method"]
    assert methods == {"甲": "title", "乙": "alias", "丙": "title"}


def test_placeholder_for_missing_document(G):
    ph = G.nodes["晋人社厅〔2012〕106号"]
    assert ph["in_corpus"] is False
    assert ph["title"] == "关于印发山西省深化县级公立医院人事制度改革意见的通知"
    assert ph["issuer"] == ["山西省人力资源和社会保障厅"]
    assert ph["level"] == "provincial"
    assert ph["year"] == 2012
    assert ph["path"] is None
    e = edge(G, "安政办发〔2016〕3号", "晋人社厅〔2012〕106号", "BASED_ON")
    assert e["method"] == "placeholder"
    title_only = title_id("中共中央国务院关于深化医药卫生体制改革的意见")
    assert G.nodes[title_only]["in_corpus"] is False
    assert G.has_edge("国办发〔2015〕33号", title_only, key="IMPLEMENTS")


def test_one_placeholder_per_missing_document_however_cited():
    missing_title = "国务院关于促进某某产业发展的若干意见"
    records = [
        rec("a.txt", "甲省实施意见", "甲政发〔2020〕1号", "provincial", "2020-05-01",
            citations=[cit("国发〔2019〕7号", missing_title, level="central")]),
        rec("b.txt", "乙省实施意见", "乙政发〔2020〕2号", "provincial", "2020-06-01",
            citations=[cit("国发[2019]7号".replace("[", "〔").replace("]", "〕"), None, level="central")]),
        rec("c.txt", "丙市实施方案", "丙政发〔2020〕3号", "municipal", "2020-07-01",
            citations=[cit(None, missing_title)]),
    ]
    G = build_graph(records, quiet=True)
    placeholders = [n for n, d in G.nodes(data=True) if not d["in_corpus"]]
    assert placeholders == ["国发〔2019〕7号"]
    assert sorted(u for u, _ in G.in_edges("国发〔2019〕7号")) == ["丙政发〔2020〕3号", "乙政发〔2020〕2号",
                                                                    "甲政发〔2020〕1号"]


def test_anonymised_numbers_never_become_nodes():
    records = [rec("a.txt", "某市实施方案", "某政发〔2016〕1号", "municipal", "2016-01-01", citations=[
        cit("xx办函〔x〕529号", "xx省人民政府办公厅关于印发xx省若干意见的通知", anonymised=True),
        cit("xx办函〔x〕530号", None, anonymised=True, start=50),
    ])]
    G = build_graph(records, quiet=True)
    assert not any("xx" in n for n in G.nodes)
    tid = title_id("xx省人民政府办公厅关于印发xx省若干意见的通知")
    assert G.nodes[tid]["doc_number"] is None and G.nodes[tid]["in_corpus"] is False
    assert G.graph["dropped_citations"] == {"anonymised": 1}


def test_number_title_conflict_is_reported_not_merged(G):
    records = chain_records() + [rec("x.txt", "某县实施方案", "某政发〔2016〕5号", "county", "2016-05-01",
                                     citations=[cit("晋政发〔2015〕20号", OFFICE)])]
    G = build_graph(records, quiet=True)
    e = edge(G, "某政发〔2016〕5号", "晋政发〔2015〕20号", "IMPLEMENTS")
    assert "number_title_conflict" in e["flags"]
    assert G.graph["conflicts"] == [{"source": "某政发〔2016〕5号", "path": "x.txt", "doc_number": "晋政发〔2015〕20号",
                                     "title": OFFICE, "number_target": "晋政发〔2015〕20号",
                                     "title_target": "国办发〔2015〕33号", "start": 5}]
    assert G.nodes["晋政发〔2015〕20号"]["title"] == PROV  # nothing merged


def test_never_resolves_to_itself():
    records = [rec("a.txt", f"某省人民政府关于印发《{PROV_CARRIED}》的通知", "某政发〔2016〕1号", "provincial",
                   "2016-01-01", carries=[PROV_CARRIED],
                   citations=[cit(None, PROV_CARRIED), cit("某政发〔2016〕1号", None, start=40)])]
    G = build_graph(records, quiet=True)
    assert G.number_of_edges() == 0
    assert G.graph["dropped_citations"] == {"self": 2}


def test_one_edge_per_relation_with_every_mention():
    records = [
        rec("a.txt", OFFICE, "国办发〔2015〕33号", "central", "2015-05-08"),
        rec("b.txt", CITY, None, "municipal", "2015-11-20", citations=[
            cit("国办发〔2015〕33号", OFFICE, start=100), cit("国办发〔2015〕33号", None, start=10),
            cit(None, OFFICE, cue="根据", relation="BASED_ON", start=300)]),
    ]
    G = build_graph(records, quiet=True)
    src = title_id(CITY)
    assert sorted(G[src]["国办发〔2015〕33号"]) == ["BASED_ON", "IMPLEMENTS"]
    mentions = G.edges[src, "国办发〔2015〕33号", "IMPLEMENTS"]["mentions"]
    assert [m["start"] for m in mentions] == [15, 105]
    assert set(mentions[0]) >= {"path", "sentence", "start", "end", "cue", "doc_number", "title", "cited_issuer"}
    assert mentions[0]["path"] == "b.txt"


def test_duplicate_files_of_one_document_merge():
    records = [rec("a.txt", OFFICE, "国办发〔2015〕33号", "central", "2015-05-08"),
               rec("b.txt", OFFICE + "（全文）", "国办发〔2015〕33号", "central", None)]
    G = build_graph(records, quiet=True)
    assert G.number_of_nodes() == 1
    assert G.nodes["国办发〔2015〕33号"]["path"] == "a.txt"
    assert G.nodes["国办发〔2015〕33号"]["aliases"] == [OFFICE + "（全文）"]
    assert G.graph["merged"] == [["国办发〔2015〕33号", "b.txt"]]


def test_checks_flag_lower_level_and_later_documents():
    records = [
        rec("p.txt", "某省实施意见", "某政发〔2015〕1号", "provincial", "2015-03-01"),
        rec("k.txt", "某县实施细则", "某县发〔2015〕2号", "county", "2015-06-01"),
        rec("c.txt", "国务院关于某事的意见", "国发〔2015〕9号", "central", "2015-01-01", citations=[
            cit("某县发〔2015〕2号", None), cit("某政发〔2015〕1号", None, relation="CITES", cue=None)]),
    ]
    G = build_graph(records, quiet=True)
    assert G.edges["国发〔2015〕9号", "某县发〔2015〕2号", "IMPLEMENTS"]["flags"] == ["cites_later",
                                                                                "implements_lower_level"]
    # CITES is not hierarchical, but a later date is still a later date
    assert G.edges["国发〔2015〕9号", "某政发〔2015〕1号", "CITES"]["flags"] == ["cites_later"]


def test_fuzzy_match_needs_a_compatible_issuer():
    target = "临汾市人民政府关于进一步加强农村饮水安全工作的实施方案"
    loose = "临汾市人民政府关于加强农村饮水安全工作的实施方案"
    records = [rec("t.txt", target, "临政发〔2018〕4号", "municipal", "2018-01-01", ["临汾市人民政府"], "山西省"),
               rec("a.txt", "安泽县实施细则", None, "county", "2018-06-01",
                   citations=[cit(None, loose, issuer="临汾市人民政府")]),
               rec("b.txt", "某部委文件", None, "central", "2018-06-01",
                   citations=[cit(None, loose, issuer="水利部", level="central")])]
    G = build_graph(records, quiet=True)
    e = G.edges[title_id("安泽县实施细则"), "临政发〔2018〕4号", "IMPLEMENTS"]
    assert e["method"] == "fuzzy" and 90 <= e["score"] < 100
    assert list(G.successors(title_id("某部委文件"))) == [title_id(loose)]


def test_same_records_any_order_same_bytes(G):
    records = chain_records()
    random.Random(4).shuffle(records)
    assert graph_to_json(build_graph(records, quiet=True)) == graph_to_json(G)


def test_graph_file_reloads_equal(G, tmp_path):
    p = tmp_path / "g.json"
    save_graph(G, p)
    H = load_graph(p)
    assert isinstance(H, nx.MultiDiGraph)
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))
    assert H.graph == G.graph
    assert graph_to_json(H) == p.read_text(encoding="utf-8")
    assert open_graph([str(p)]).number_of_edges() == G.number_of_edges()


def test_records_jsonl_is_a_source(tmp_path):
    p = tmp_path / "recs.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chain_records()), encoding="utf-8")
    G = open_graph([str(p)], quiet=True)
    assert graph_to_json(G) == graph_to_json(build_graph(chain_records(), quiet=True))


def test_bad_graph_and_record_files_name_the_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{\n "directed": true, "edges": [', encoding="utf-8")
    with pytest.raises(InputError, match="broken.json: graph file is not valid JSON"):
        open_graph([str(bad)])
    lines = tmp_path / "recs.jsonl"
    lines.write_text(json.dumps(chain_records()[0]) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"recs.jsonl: line 2: not valid JSON"):
        open_graph([str(lines)])


def test_document_id_falls_back_to_title_then_path():
    assert document_id(rec("a.txt", OFFICE, "国办发〔2015〕33号")) == "国办发〔2015〕33号"
    assert document_id(rec("a.txt", COUNTY)) == title_id(COUNTY) == title_id(f" 《{COUNTY}》 ")
    assert document_id(rec("a.txt")).startswith("f:")


def test_synthetic_corpus_builds_every_level():
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent / "bench"))
    from synth import synthetic_graph, synthetic_records

    assert synthetic_records(300, seed=3) == synthetic_records(300, seed=3)
    assert sum(1 for _ in synthetic_records(300, seed=3)) == 300
    G = synthetic_graph(300, seed=3)
    levels = {d["level"] for _, d in G.nodes(data=True) if d["in_corpus"]}
    assert levels == {"central", "provincial", "municipal", "county", "township"}
    methods = {e["method"] for _, _, e in G.edges(data=True)}
    assert {"number", "title", "alias", "placeholder"} <= methods
    assert sum(1 for _, d in G.nodes(data=True) if d["in_corpus"]) == 300


def test_generic_titles_from_different_places_are_different_documents():
    generic = "关于修改部分地方性法规的决定"
    records = [rec("a.txt", "甲市条例", None, "municipal", "2019-01-01", region="山东省", citations=[cit(None, generic)]),
               rec("b.txt", "乙市条例", None, "municipal", "2019-01-01", region="山东省", citations=[cit(None, generic)]),
               rec("c.txt", "丙市条例", None, "municipal", "2019-01-01", region="河南省", citations=[cit(None, generic)])]
    G = build_graph(records, quiet=True)
    targets = {src: next(iter(G.successors(title_id(src)))) for src in ("甲市条例", "乙市条例", "丙市条例")}
    assert targets["甲市条例"] == targets["乙市条例"] != targets["丙市条例"]
    assert G.nodes[targets["丙市条例"]]["region"] == "河南省"
    assert G.nodes[targets["丙市条例"]]["title"] == generic


def test_issuerless_title_is_no_evidence_against_the_number():
    records = [rec("p.txt", "山西省人民政府关于加强某某工作的意见", "晋政发〔2015〕1号", "provincial", "2015-01-01",
                   ["山西省人民政府"], "山西省"),
               rec("q.txt", "云南省人民政府关于加强某某工作的意见", "云政发〔2015〕2号", "provincial", "2015-01-01",
                   ["云南省人民政府"], "云南省"),
               rec("k.txt", "某县实施方案", None, "county", "2015-06-01", region="云南省",
                   citations=[cit("云政发〔2015〕2号", "关于加强某某工作的意见")])]
    G = build_graph(records, quiet=True)
    assert G.graph["conflicts"] == []
    assert G.edges[title_id("某县实施方案"), "云政发〔2015〕2号", "IMPLEMENTS"]["flags"] == []


def test_a_consolidated_text_is_cited_since_its_first_version(tmp_path):
    """A law's 2017 text that kept its first version's clause (本法自1982年11月19日起施行: `original_version`) has
    existed since 1982: a 2005 rule citing it cites nothing later; a law without that history is flagged."""
    law = rec("law.txt", "中华人民共和国某某保护法", None, "central", "2017-11-04", ["全国人民代表大会常务委员会"],
              effective_on="1982-11-19", original_version=True)
    other = rec("other.txt", "中华人民共和国某某管理法", None, "central", "2017-11-04", ["全国人民代表大会常务委员会"])
    rule = rec("rule.txt", "某省某某保护条例", "某人大常委会公告第1号", "provincial", "2005-06-01", citations=[
        cit(None, "中华人民共和国某某保护法", relation="BASED_ON", cue="根据"),
        cit(None, "中华人民共和国某某管理法", relation="BASED_ON", cue="根据")])
    G = build_graph([law, other, rule], quiet=True)
    law_id, other_id = (n for n in sorted(G) if n.startswith("t:"))
    law_id, other_id = sorted((law_id, other_id), key=lambda n: G.nodes[n]["title"] != "中华人民共和国某某保护法")
    assert (G.nodes[law_id]["first_date"], G.nodes[law_id]["effective"]) == ("1982-11-19", None)
    assert G.nodes[other_id]["first_date"] is None
    source = "某人大常委会公告第1号"
    assert G.edges[source, law_id, "BASED_ON"]["flags"] == []
    assert G.edges[source, other_id, "BASED_ON"]["flags"] == ["cites_later"]
    # the graph file `polgraph build` writes (the lean graph) says the same
    from polgraph.graph.build import build_lean

    path = tmp_path / "g.json"
    build_lean([law, other, rule], quiet=True).write(path)
    H = load_graph(path)
    assert H.nodes[law_id]["first_date"] == "1982-11-19" and H.edges[source, law_id, "BASED_ON"]["flags"] == []


def test_decrees_numbered_by_a_bare_organ_word_stay_apart():
    """Every province has a 政府令〔2012〕第9号 (as law sites print them): each is its issuer's decree, not one
    document filed twice."""
    a = rec("a.txt", "江南省森林防火管理规定", "政府令〔2012〕第9号", "provincial", "2012-10-22", ["江南省人民政府"])
    b = rec("b.txt", "河西省城市供水管理规定", "政府令〔2012〕第9号", "provincial", "2012-06-01", ["河西省人民政府"])
    G = build_graph([a, b], quiet=True)
    assert sorted(G) == ["江南省人民政府令〔2012〕第9号", "河西省人民政府令〔2012〕第9号"]
    assert G.graph["merged"] == [] and {G.nodes[n]["doc_number"] for n in G} == {"政府令〔2012〕第9号"}
    # a decree that names its organ keeps its number as the id
    c = rec("c.txt", "江南省某某办法", "江南省人民政府令第3号", "provincial", "2013-01-01", ["江南省人民政府"])
    assert "江南省人民政府令第3号" in build_graph([c], quiet=True)

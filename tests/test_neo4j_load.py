"""`polgraph load` against the real Neo4j 5.26 server: counts, idempotence, labels, byte-exact round trips,
a load killed midway, and one-line errors when the server is down."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import networkx as nx
import pytest

from conftest import REPO, SAMPLE
from neo4j_support import (chain_graph, closed_port, empty_db, neo4j_conn, neo4j_driver,  # noqa: F401
                           polgraph_cli, run_query, wipe_after_module)
from polgraph.graph.neo4j_store import (LEVEL_LABELS, load_graph_into_neo4j, node_properties,
                                        relationship_properties, schema_statements)

pytestmark = pytest.mark.neo4j

NASTY_TITLES = [
    "关于'单引号'和\"双引号\"的通知",
    "反斜杠 \\ 与 \\n 不是换行",
    "反引号 `MATCH (n) DETACH DELETE n` 与 } 花括号 {x}",
    "第一行\n第二行\r\n第三行",
    "<script>alert('x')</script> & &amp;",
    "emoji 🚀 与 NUL 之外的控制字符 \t\u2028",
    "$rows ${x} :param // 注释 /* */ ;",
]


def _graph_with_titles(titles) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("国发〔2020〕1号", label="国发〔2020〕1号", title="国务院关于测试的意见", doc_number="国发〔2020〕1号",
               aliases=["测试意见"], issuer=["国务院"], date="2020-01-02", year=2020, level="central", region=None,
               in_corpus=True, path="a.txt", carries=[])
    for i, t in enumerate(titles):
        nid = f"t:{i:016d}"
        G.add_node(nid, label=t, title=t, doc_number=None, aliases=[t + "（别名）"], issuer=[t], date=None, year=None,
                   level="county", region="山西省", in_corpus=i % 2 == 0, path=f"x/{i}.txt" if i % 2 == 0 else None,
                   carries=[t])
        G.add_edge(nid, "国发〔2020〕1号", key="IMPLEMENTS", relation="IMPLEMENTS", method="title", score=97.5,
                   mentions=[{"path": f"x/{i}.txt", "sentence": t, "start": 0, "end": len(t), "cue": "为贯彻落实",
                              "doc_number": None, "title": t, "cited_issuer": None}], flags=["upward"])
    return G


def _db_graph(driver, conn):
    nodes = {r["id"]: r for r in run_query(driver, conn, "MATCH (d:Document) RETURN d.id AS id, properties(d) AS p, "
                                                         "labels(d) AS labels")}
    rels = run_query(driver, conn, "MATCH (s:Document)-[r]->(t:Document) RETURN s.id AS s, t.id AS t, type(r) AS type, "
                                   "properties(r) AS p")
    return nodes, rels


def test_schema_file_has_constraint_and_indexes():
    stmts = schema_statements()
    assert any("REQUIRE d.id IS UNIQUE" in s for s in stmts)
    assert any("ON (d.doc_number)" in s for s in stmts) and any("ON (d.title)" in s for s in stmts)
    assert all("IF NOT EXISTS" in s for s in stmts)


def test_load_counts_properties_and_labels(empty_db, neo4j_conn):
    G = chain_graph(7)
    counts = load_graph_into_neo4j(G, quiet=True, batch_size=4, **neo4j_conn)
    assert counts == {"nodes": G.number_of_nodes(), "relationships": G.number_of_edges(),
                      "db_nodes": G.number_of_nodes(), "db_relationships": G.number_of_edges()}
    nodes, rels = _db_graph(empty_db, neo4j_conn)
    assert set(nodes) == set(G.nodes)
    for n, attrs in G.nodes(data=True):
        expected = {k: v for k, v in node_properties(n, attrs).items() if v is not None}
        assert nodes[n]["p"] == expected
        level_labels = set(nodes[n]["labels"]) & set(LEVEL_LABELS.values())
        assert level_labels == {LEVEL_LABELS[attrs["level"]]}
        assert ("Placeholder" in nodes[n]["labels"]) == (not attrs["in_corpus"])
        assert "Document" in nodes[n]["labels"]
    got = sorted((r["s"], r["t"], r["type"]) for r in rels)
    assert got == sorted((u, v, k) for u, v, k in G.edges(keys=True))
    for r in rels:
        attrs = G.edges[r["s"], r["t"], r["type"]]
        assert r["p"] == {k: v for k, v in relationship_properties(attrs).items() if v is not None}
        assert json.loads(r["p"]["mentions_json"]) == attrs["mentions"]
        assert r["p"]["mention_count"] == len(attrs["mentions"])


def test_second_load_changes_nothing(empty_db, neo4j_conn):
    G = chain_graph(5)
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    before = _db_graph(empty_db, neo4j_conn)
    counts = load_graph_into_neo4j(G, quiet=True, batch_size=3, **neo4j_conn)
    assert (counts["db_nodes"], counts["db_relationships"]) == (G.number_of_nodes(), G.number_of_edges())
    after = _db_graph(empty_db, neo4j_conn)
    assert after[0] == before[0]
    assert sorted(map(json.dumps, after[1])) == sorted(map(json.dumps, before[1]))


def test_reload_updates_level_placeholder_and_removes_stale_properties(empty_db, neo4j_conn):
    G = chain_graph(1)
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    ph = next(n for n, d in G.nodes(data=True) if not d["in_corpus"])
    county = next(n for n, d in G.nodes(data=True) if d["level"] == "county")
    # the placeholder turns up in the corpus as a provincial document; the county one loses its region
    G.nodes[ph].update(in_corpus=True, level="provincial", path="found.txt")
    G.nodes[county]["region"] = None
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    nodes, _ = _db_graph(empty_db, neo4j_conn)
    assert set(nodes[ph]["labels"]) == {"Document", "Provincial"}
    assert nodes[ph]["p"]["path"] == "found.txt"
    assert "region" not in nodes[county]["p"]


def test_new_documents_citing_a_loaded_one_leave_it_whole(empty_db, neo4j_conn, tmp_path):
    """`polgraph load new/` into a database that holds the document the new ones cite: the new load sees it as a
    placeholder, which must not blank the document (path, date, issuer) nor label it Placeholder."""
    from graph_support import cit, rec
    from polgraph.graph.build import build_graph

    central = rec("a/central.txt", "国务院办公厅关于某某改革的实施意见", number="国办发〔2015〕33号", level="central",
                  date="2015-05-08", issuer=["国务院办公厅"])
    province = rec("b/prov.txt", "山西省人民政府关于某某改革的实施方案", number="晋政发〔2015〕20号",
                   level="provincial", date="2015-08-01", issuer=["山西省人民政府"], region="山西省",
                   citations=[cit(number="国办发〔2015〕33号", title="国务院办公厅关于某某改革的实施意见")])
    load_graph_into_neo4j(build_graph([central], quiet=True), quiet=True, **neo4j_conn)
    before, _ = _db_graph(empty_db, neo4j_conn)
    update = build_graph([province], quiet=True)
    assert not update.nodes["国办发〔2015〕33号"]["in_corpus"]  # what the new load knows of it
    load_graph_into_neo4j(update, quiet=True, **neo4j_conn)
    nodes, rels = _db_graph(empty_db, neo4j_conn)
    assert nodes["国办发〔2015〕33号"]["p"] == before["国办发〔2015〕33号"]["p"]
    assert set(nodes["国办发〔2015〕33号"]["labels"]) == {"Document", "Central"}
    assert [(r["s"], r["type"], r["t"]) for r in rels] == [("晋政发〔2015〕20号", "IMPLEMENTS", "国办发〔2015〕33号")]
    # the same through the CLI, documents streamed (graph/stream.py) from their files
    for part, text in (("a", "国务院办公厅关于某某改革的实施意见\n国办发〔2015〕33号\n\n各省、自治区、直辖市人民政府：\n"
                              "为深化某某改革，现提出以下意见。\n国务院办公厅\n2015年5月8日\n"),
                       ("b", "山西省人民政府关于某某改革的实施方案\n晋政发〔2015〕20号\n\n各市人民政府：\n为贯彻落实"
                             "《国务院办公厅关于某某改革的实施意见》（国办发〔2015〕33号）精神，制定本方案。\n"
                             "山西省人民政府\n2015年8月1日\n")):
        (tmp_path / part).mkdir()
        (tmp_path / part / "doc.txt").write_text(text, encoding="utf-8")
    conn = ["--quiet", "--uri", neo4j_conn["uri"], "--database", neo4j_conn["database"]]
    for args in (["--wipe", str(tmp_path / "a")], [str(tmp_path / "b")]):
        r = polgraph_cli("load", *args, *conn)
        assert r.returncode == 0, r.stderr
    nodes, rels = _db_graph(empty_db, neo4j_conn)
    central = nodes["国办发〔2015〕33号"]
    assert central["p"]["in_corpus"] and central["p"]["path"].endswith("a/doc.txt")
    assert "Placeholder" not in central["labels"]
    assert central["p"]["date"] == "2015-05-08" and central["p"]["issuer"] == ["国务院办公厅"]
    assert [(r["s"], r["type"], r["t"]) for r in rels] == [("晋政发〔2015〕20号", "IMPLEMENTS", "国办发〔2015〕33号")]


def test_a_new_document_that_repeals_a_loaded_one_changes_its_status_only(empty_db, neo4j_conn):
    """The weekly update of a repeal notice: the document it repeals, already in the database, becomes repealed
    (by the notice, on its date) and keeps everything else; an older repeal is not undone by a later amendment
    dated earlier."""
    from graph_support import cit, rec
    from polgraph.graph.build import build_graph
    from polgraph.graph.status import annotate_status

    rule = rec("a/rule.txt", "某某市某某管理办法", number="某政发〔2010〕5号", level="municipal", date="2010-03-01",
               issuer=["某某市人民政府"], region="山西省")
    G = build_graph([rule], quiet=True)
    annotate_status(G, "2026-01-01")
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    before = _db_graph(empty_db, neo4j_conn)[0]["某政发〔2010〕5号"]["p"]
    assert before["status"] == "in_force"
    notice = rec("b/notice.txt", "某某市人民政府关于废止部分规章的决定", number="某政发〔2021〕1号", level="municipal",
                 date="2021-01-01", issuer=["某某市人民政府"], region="山西省",
                 citations=[cit(number="某政发〔2010〕5号", relation="REPEALS", cue="废止")])
    U = build_graph([notice], quiet=True)
    annotate_status(U, "2026-01-01")
    assert U.nodes["某政发〔2010〕5号"]["status"] == "repealed"  # the placeholder the notice's load sends
    load_graph_into_neo4j(U, quiet=True, **neo4j_conn)
    after = _db_graph(empty_db, neo4j_conn)[0]["某政发〔2010〕5号"]["p"]
    assert (after["status"], after["status_changed_by"], after["status_changed_on"]) == (
        "repealed", "某政发〔2021〕1号", "2021-01-01")
    assert {k: v for k, v in after.items() if not k.startswith("status")} == \
        {k: v for k, v in before.items() if not k.startswith("status")}
    # notices loaded later: one that repealed it earlier names the repeal (the earliest wins, as in a rebuild),
    # one that repeals it again later changes nothing
    def notice_of(number, date):
        return rec(f"n/{date}.txt", "某某市人民政府关于废止部分规章的决定", number=number, level="municipal",
                   date=date, issuer=["某某市人民政府"], region="山西省",
                   citations=[cit(number="某政发〔2010〕5号", relation="REPEALS", cue="废止")])

    later = [notice_of("某政发〔2019〕7号", "2019-04-01"), notice_of("某政发〔2023〕9号", "2023-02-01")]
    for record in later:
        W = build_graph([record], quiet=True)
        annotate_status(W, "2026-01-01")
        load_graph_into_neo4j(W, quiet=True, **neo4j_conn)
    now = _db_graph(empty_db, neo4j_conn)[0]["某政发〔2010〕5号"]["p"]
    full = build_graph([rule, notice] + later, quiet=True)
    annotate_status(full, "2026-01-01")
    assert (now["status"], now["status_changed_by"], now["status_changed_on"]) == (
        "repealed", "某政发〔2019〕7号", "2019-04-01") == tuple(
        full.nodes["某政发〔2010〕5号"][k] for k in ("status", "status_changed_by", "status_changed_on"))


UPDATE_CORPUS = {
    "a/old.txt": "山西省人民政府关于做好某某改革工作的通知\n晋政发〔2016〕3号\n\n各市人民政府：\n为贯彻落实"
                 "《国务院办公厅关于某某改革的实施意见》精神，现就有关工作通知如下。\n山西省人民政府\n2016年3月1日\n",
    "a/c.txt": "国务院关于某某工作的意见\n国发〔2014〕5号\n\n各省、自治区、直辖市人民政府：\n现就某某工作提出以下意见。\n"
               "国务院\n2014年2月1日\n",
    # a repeal dated before the rule it names by title: the build leaves it a placeholder (an earlier text of the
    # rule), and an update must not undo that
    "a/law.txt": "晋城市城市绿化管理办法\n晋市政发〔2018〕5号\n\n第一条　为了加强城市绿化管理，制定本办法。\n"
                 "晋城市人民政府\n2018年3月1日\n",
    "a/rep.txt": "晋城市人民政府关于废止部分规章的决定\n晋市政发〔2015〕1号\n\n市人民政府决定废止《晋城市城市绿化管理办法》。\n"
                 "晋城市人民政府\n2015年1月1日\n",
    # a repeal of a rule not yet loaded: the rule arrives repealed
    "a/rep2.txt": "长治市人民政府关于废止部分规范性文件的决定\n长政发〔2020〕2号\n\n市人民政府决定废止《长治市城市供水管理办法》。\n"
                  "长治市人民政府\n2020年4月1日\n",
    "b/rule2.txt": "长治市城市供水管理办法\n长政发〔2012〕9号\n\n第一条　为了加强城市供水管理，制定本办法。\n"
                   "长治市人民政府\n2012年5月1日\n",
    "b/x.txt": "国务院办公厅关于某某改革的实施意见\n国办发〔2015〕33号\n\n各省、自治区、直辖市人民政府：\n"
               "为深化某某改革，现提出以下意见。\n国务院办公厅\n2015年5月8日\n",
    "b/new.txt": "四川省人民政府关于某某工作的实施意见\n川府发〔2022〕8号\n\n各市（州）人民政府：\n"
                 "根据《国务院关于某某工作的意见》，结合我省实际，提出以下实施意见。\n四川省人民政府\n2022年6月1日\n",
    # a 文号 the corpus lacks, cited with its title in one load and by the title alone in the other (both ways):
    # a build joins the title-only citation to the 文号's placeholder; and a 文号 of the other load, cited alone
    # (both ways: resolved by number, not by a placeholder)
    "a/num.txt": "山西省人民政府关于加强某某监管的通知\n晋政发〔2017〕4号\n\n各市人民政府：\n根据《某某监督管理条例》"
                 "（国务院令第101号）和《某某安全管理规定》，按照国办发〔2015〕33号文件要求，现就有关事项通知如下。\n山西省人民政府\n2017年2月1日\n",
    # cited in the other load by a title that differs in a tolerated word (进一步): a fuzzy match, as in a build
    "a/safe.txt": "山西省人民政府关于进一步加强某某安全生产工作的意见\n晋政发〔2018〕6号\n\n各市人民政府：\n"
                  "现就进一步加强某某安全生产工作提出以下意见。\n山西省人民政府\n2018年5月2日\n",
    "b/fz.txt": "太原市人民政府关于某某安全生产工作的实施意见\n并政发〔2019〕3号\n\n各县（市、区）人民政府：\n"
                "为贯彻落实《山西省人民政府关于加强某某安全生产工作的意见》精神，结合我市实际，提出以下实施意见。\n"
                "太原市人民政府\n2019年1月8日\n",
    # repealed in the other load by a title one word off (进一步): the rule is repealed, as in a build
    "a/gz.txt": "晋中市进一步规范某某管理办法\n晋中政发〔2016〕7号\n\n第一条　为了规范某某管理，制定本办法。\n"
                "晋中市人民政府\n2016年4月1日\n",
    "b/gzrep.txt": "晋中市人民政府关于废止部分规范性文件的决定\n晋中政发〔2021〕2号\n\n市人民政府决定废止《晋中市规范某某管理办法》。\n"
                   "晋中市人民政府\n2021年3月1日\n",
    # a provincial notice implementing, by title, a city plan of a later date that arrives in the other load: the
    # relationship's check flags are the rebuild's (the city plan is later and of a lower level)
    "a/low.txt": "山西省人民政府关于推进某某试点工作的通知\n晋政发〔2016〕8号\n\n各市人民政府：\n为贯彻落实"
                 "《推进某某试点工作实施方案》精神，现就有关工作通知如下。\n山西省人民政府\n2016年6月1日\n",
    "b/lowdoc.txt": "推进某某试点工作实施方案\n临政发〔2017〕2号\n\n为推进某某试点工作，制定本方案。\n"
                    "临汾市人民政府\n2017年1月5日\n",
    # and by 文号, a document of the same year but a later day: the rebuild compares days, not years
    "a/early.txt": "山西省人民政府关于做好某某备案工作的通知\n晋政发〔2019〕1号\n\n各市人民政府：\n按照国办发〔2019〕9号文件"
                   "要求，现就有关事项通知如下。\n山西省人民政府\n2019年1月3日\n",
    "b/later.txt": "国务院办公厅关于某某备案工作的通知\n国办发〔2019〕9号\n\n各省、自治区、直辖市人民政府：\n"
                   "现就某某备案工作通知如下。\n国务院办公厅\n2019年6月1日\n",
    "b/ttl.txt": "四川省人民政府关于加强某某监管的通知\n川府发〔2023〕2号\n\n各市（州）人民政府：\n依据《某某监督管理条例》"
                 "和《某某安全管理规定》（国务院令第202号），参照晋政发〔2017〕4号文件，现就有关事项通知如下。\n四川省人民政府\n2023年2月1日\n",
}


def test_an_update_load_resolves_title_citations_across_loads(empty_db, neo4j_conn, tmp_path):
    """`polgraph load a/` then `polgraph load b/` gives the database `polgraph load a/ b/` gives: a citation by
    title of a document loaded before (b/new.txt of a/c.txt) and an earlier citation by title of a document
    arriving now (a/old.txt of b/x.txt) both reach the document, and no placeholder is left for them."""
    for name, text in UPDATE_CORPUS.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    conn = ["--quiet", "--uri", neo4j_conn["uri"], "--database", neo4j_conn["database"]]

    def load(*args):
        r = polgraph_cli("load", *args, *conn)
        assert r.returncode == 0, r.stderr

    load("--wipe", str(tmp_path / "a"), str(tmp_path / "b"))
    union = _db_graph(empty_db, neo4j_conn)
    load("--wipe", str(tmp_path / "a"))
    before = _db_graph(empty_db, neo4j_conn)
    # a/old.txt's citation waits, and a/num.txt's three, a/low.txt's and a/early.txt's
    assert sum("Placeholder" in n["labels"] for n in before[0].values()) == 8
    load(str(tmp_path / "b"))
    updated = _db_graph(empty_db, neo4j_conn)
    assert sorted(updated[0]) == sorted(union[0])
    for n in union[0]:
        assert (sorted(updated[0][n]["labels"]), updated[0][n]["p"]) == (sorted(union[0][n]["labels"]),
                                                                        union[0][n]["p"]), n
    assert (union[0]["长政发〔2012〕9号"]["p"]["status"], union[0]["长政发〔2012〕9号"]["p"]["status_changed_by"]) == (
        "repealed", "长政发〔2020〕2号")
    assert sorted(n for n, x in updated[0].items() if "Placeholder" in x["labels"]) == sorted(
        n for n, x in union[0].items() if "Placeholder" in x["labels"]) == sorted([
        next(r["t"] for r in union[1] if r["type"] == "REPEALS" and r["s"].startswith("晋市")),
        "国务院令第101号", "国务院令第202号"])

    def edges(db):
        return sorted((r["s"], r["type"], r["t"], json.dumps(r["p"], sort_keys=True, ensure_ascii=False))
                      for r in db[1])

    assert edges(updated) == edges(union)
    assert sorted((s, ty, t) for s, ty, t, _ in edges(updated)
                  if (ty != "REPEALS" or s.startswith("长")) and not t.startswith("国务院令")) == sorted([
        ("长政发〔2020〕2号", "REPEALS", "长政发〔2012〕9号"),
        ("川府发〔2022〕8号", "BASED_ON", "国发〔2014〕5号"), ("晋政发〔2016〕3号", "IMPLEMENTS", "国办发〔2015〕33号"),
        ("川府发〔2023〕2号", "REFERS_TO", "晋政发〔2017〕4号"), ("晋政发〔2017〕4号", "BASED_ON", "国办发〔2015〕33号"),
        ("并政发〔2019〕3号", "IMPLEMENTS", "晋政发〔2018〕6号"), ("晋政发〔2016〕8号", "IMPLEMENTS", "临政发〔2017〕2号"),
        ("晋政发〔2019〕1号", "BASED_ON", "国办发〔2019〕9号")])
    # a placeholder when its citation was loaded, the city plan now: its flags are checked against the plan
    assert [r["p"].get("flags") for r in updated[1] if r["s"] == "晋政发〔2016〕8号"] == [
        ["cites_later", "implements_lower_level"]]
    assert [r["p"].get("flags") for r in updated[1] if r["s"] == "晋政发〔2019〕1号"] == [["cites_later"]]
    # repealed by a title one word off, in the other load: the rule is repealed
    assert (updated[0]["晋中政发〔2016〕7号"]["p"]["status"], updated[0]["晋中政发〔2016〕7号"]["p"]["status_changed_by"]) == (
        "repealed", "晋中政发〔2021〕2号")
    # by a title one word off, in the other load: fuzzy, with the rebuild's score
    assert [(r["p"]["method"], r["p"]["score"]) for r in updated[1] if r["s"] == "并政发〔2019〕3号"] == [("fuzzy", 93.62)]
    # cited by 文号 in the other load: by number, as in the rebuild
    assert {r["p"]["method"] for r in updated[1] if r["s"] in ("晋政发〔2017〕4号", "川府发〔2023〕2号")
            and r["t"] in ("晋政发〔2017〕4号", "国办发〔2015〕33号")} == {"number"}
    assert {(s, t) for s, ty, t, _ in edges(updated) if t.startswith("国务院令")} == {
        ("晋政发〔2017〕4号", "国务院令第101号"), ("川府发〔2023〕2号", "国务院令第101号"),
        ("晋政发〔2017〕4号", "国务院令第202号"), ("川府发〔2023〕2号", "国务院令第202号")}
    load(str(tmp_path / "b"))  # loading the update again changes nothing
    assert edges(_db_graph(empty_db, neo4j_conn)) == edges(union)


def test_titles_round_trip_byte_exactly(empty_db, neo4j_conn):
    G = _graph_with_titles(NASTY_TITLES)
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    for i, t in enumerate(NASTY_TITLES):
        rows = run_query(empty_db, neo4j_conn, "MATCH (d:Document {title: $t}) RETURN d.id AS id, d.title AS title, "
                                               "d.aliases AS aliases, d.carries AS carries, d.label AS label", t=t)
        assert rows == [{"id": f"t:{i:016d}", "title": t, "aliases": [t + "（别名）"], "carries": [t], "label": t}]
        assert rows[0]["title"].encode("utf-8") == t.encode("utf-8")
        m = run_query(empty_db, neo4j_conn, "MATCH (:Document {id: $id})-[r:IMPLEMENTS]->() RETURN r.mentions_json AS j",
                      id=f"t:{i:016d}")
        assert json.loads(m[0]["j"])[0]["sentence"] == t


def test_wipe_removes_documents_not_in_the_graph(empty_db, neo4j_conn):
    load_graph_into_neo4j(chain_graph(3, seed=1), quiet=True, **neo4j_conn)
    G = chain_graph(2, seed=2)
    counts = load_graph_into_neo4j(G, quiet=True, wipe=True, **neo4j_conn)
    assert (counts["db_nodes"], counts["db_relationships"]) == (G.number_of_nodes(), G.number_of_edges())


def test_neo4j_scheme_uri_works(empty_db, neo4j_conn):
    G = chain_graph(2)
    conn = {**neo4j_conn, "uri": neo4j_conn["uri"].replace("bolt://", "neo4j://")}
    counts = load_graph_into_neo4j(G, quiet=True, **conn)
    assert counts["db_nodes"] == G.number_of_nodes()


KILLED_LOADER = r"""
import sys
sys.path.insert(0, sys.argv[1])
from neo4j_support import chain_graph
from polgraph.graph.neo4j_store import load_graph_into_neo4j
load_graph_into_neo4j(chain_graph(int(sys.argv[2])), uri=sys.argv[3], database=sys.argv[4], batch_size=int(sys.argv[5]),
                      quiet=True)
"""


def test_load_killed_midway_then_rerun_is_exact(empty_db, neo4j_conn):
    n_chains = 400
    G = chain_graph(n_chains)
    n_nodes, n_rels = G.number_of_nodes(), G.number_of_edges()
    proc = subprocess.Popen([sys.executable, "-c", KILLED_LOADER, str(REPO / "tests"), str(n_chains),
                             neo4j_conn["uri"], neo4j_conn["database"], "7"],
                            env={**os.environ, "PYTHONPATH": str(REPO / "tests")})
    partial = None
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            n = run_query(empty_db, neo4j_conn, "MATCH (d:Document) RETURN count(d) AS n")[0]["n"]
            r = run_query(empty_db, neo4j_conn, "MATCH (:Document)-[r]->() RETURN count(r) AS n")[0]["n"]
            if n == n_nodes and 0 < r < n_rels // 2 or 0 < n < n_nodes // 2:
                partial = (n, r)
                break
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait()
    assert partial is not None, "the loader finished before it could be killed midway"
    counts = load_graph_into_neo4j(G, quiet=True, batch_size=50, **neo4j_conn)
    assert (counts["db_nodes"], counts["db_relationships"]) == (n_nodes, n_rels)
    dup_nodes = run_query(empty_db, neo4j_conn, "MATCH (d:Document) WITH d.id AS id, count(*) AS c WHERE c > 1 "
                                                "RETURN count(id) AS n")[0]["n"]
    dup_rels = run_query(empty_db, neo4j_conn, "MATCH (s:Document)-[r]->(t:Document) WITH s, t, type(r) AS ty, "
                                               "count(*) AS c WHERE c > 1 RETURN count(*) AS n")[0]["n"]
    assert dup_nodes == 0 and dup_rels == 0


def test_sample_loads_with_the_networkx_counts(empty_db, neo4j_conn):
    from polgraph.graph.build import open_graph

    G = open_graph([str(SAMPLE)], quiet=True)
    assert G.number_of_nodes() > 0 and G.number_of_edges() > 0
    first = load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    assert (first["db_nodes"], first["db_relationships"]) == (G.number_of_nodes(), G.number_of_edges())
    before = _db_graph(empty_db, neo4j_conn)
    second = load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    assert second == first
    after = _db_graph(empty_db, neo4j_conn)
    assert after[0] == before[0]


def test_cli_load_sample(empty_db, neo4j_conn, tmp_path):
    r = polgraph_cli("load", str(SAMPLE), "--quiet", "--uri", neo4j_conn["uri"], "--database", neo4j_conn["database"])
    assert r.returncode == 0, r.stderr
    from polgraph.graph.build import open_graph

    G = open_graph([str(SAMPLE)], quiet=True)
    assert (f"database now holds {G.number_of_nodes()} node(s), {G.number_of_edges()} relationship(s)"
            in r.stderr)


@pytest.mark.parametrize("command", ["load", "trace"])
def test_cli_server_down_is_one_line_exit_4(command):
    uri = f"bolt://127.0.0.1:{closed_port()}"
    args = ["load", str(SAMPLE), "--quiet", "--uri", uri] if command == "load" else \
        ["trace", str(SAMPLE), "国办发〔2015〕33号", "--backend", "neo4j", "--uri", uri]
    r = polgraph_cli(*args, timeout=120)
    assert r.returncode == 4, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert lines == [f"polgraph: cannot reach Neo4j at {uri}: connection refused"], r.stderr
    assert "Traceback" not in r.stderr


def test_cli_bad_uri_scheme_is_one_line():
    r = polgraph_cli("trace", str(SAMPLE), "x", "--backend", "neo4j", "--uri", "http://127.0.0.1:7474", timeout=60)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "bad Neo4j URI" in r.stderr


def test_cli_missing_database_is_one_line_exit_4(neo4j_conn):
    r = polgraph_cli("load", str(SAMPLE), "--quiet", "--uri", neo4j_conn["uri"], "--database", "nosuchdb")
    assert r.returncode == 4, r.stderr
    assert r.stderr.strip().splitlines() == [
        f"polgraph: Neo4j at {neo4j_conn['uri']} (database 'nosuchdb') refused the request: "
        "Neo.ClientError.Database.DatabaseNotFound: Graph not found: nosuchdb"]

"""Lifecycle in the later commands: the cites_void check and past-term documents (graph/checks.py), status in
trace and stats, --as-of and --in-force-only, on hand-made records."""
from __future__ import annotations

import json
import subprocess
import sys

from graph_support import cit, rec
from polgraph.graph.build import build_lean, graph_from_records
from polgraph.graph.checks import CITES_VOID, apply_checks, edge_flags, past_term
from polgraph.graph.io import load_graph
from polgraph.graph.stats import format_stats_text, graph_stats
from polgraph.graph.status import annotate_status, void_candidates, void_from
from polgraph.graph.trace import format_trace_text, trace


def doc(path, title, number, date, effective=None, expires=None, citations=(), level="provincial"):
    return rec(path, title, number, level, date, ["某省人民政府"], "某省", citations=citations, effective_on=effective,
               expires_on=expires)


def records():
    return [
        doc("a.txt", "某省促进产业发展办法", "某政发〔2010〕5号", "2010-03-01"),
        doc("b.txt", "某省促进产业高质量发展办法", "某政发〔2021〕8号", "2021-06-01", "2021-09-01",
            citations=[cit("某政发〔2010〕5号", "某省促进产业发展办法", relation="REPEALS", cue="同时废止")]),
        doc("c.txt", "某市贯彻落实某省促进产业发展办法的实施意见", "某市政发〔2022〕1号", "2022-01-10",
            level="municipal", citations=[cit("某政发〔2010〕5号", "某省促进产业发展办法")]),
        doc("d.txt", "某市促进产业发展实施细则", "某市政发〔2021〕2号", "2021-07-01", level="municipal",
            citations=[cit("某政发〔2010〕5号", "某省促进产业发展办法", relation="BASED_ON", cue="根据")]),
        doc("e.txt", "某省试点工作方案", "某政办发〔2018〕3号", "2018-01-01", "2018-01-01", "2020-12-31"),
        doc("f.txt", "某市试点工作实施方案", "某市政办发〔2021〕4号", "2021-03-01", level="municipal",
            citations=[cit("某政办发〔2018〕3号", "某省试点工作方案")]),
    ]


def flags(G):
    return {(u, v): d["flags"] for u, v, d in G.edges(data=True)}


def test_cites_void_at_the_citing_documents_own_date():
    G = graph_from_records(records())
    f = flags(G)
    assert CITES_VOID in f[("某市政发〔2022〕1号", "某政发〔2010〕5号")]       # implements it after the repeal
    assert CITES_VOID not in f[("某市政发〔2021〕2号", "某政发〔2010〕5号")]   # before the repeal took effect
    assert CITES_VOID not in f[("某政发〔2021〕8号", "某政发〔2010〕5号")]     # the repeal itself
    assert CITES_VOID in f[("某市政办发〔2021〕4号", "某政办发〔2018〕3号")]   # past the cited plan's 有效期


def _falling_with_a_law():
    """A law repealed by a code, and an interpretation of it (falls with it) cited after the repeal."""
    law = doc("law.txt", "中华人民共和国某某法", None, "1999-03-15", "1999-10-01", level="central")
    interp = doc("interp.txt", "最高人民法院关于适用《中华人民共和国某某法》若干问题的解释", None, "1999-12-19",
                 citations=[cit(None, "中华人民共和国某某法", relation="BASED_ON", cue="根据")], level="central")
    code = doc("code.txt", "中华人民共和国某某法典", None, "2020-05-28", "2021-01-01", level="central",
               citations=[cit(None, "中华人民共和国某某法", relation="REPEALS", cue="同时废止")])
    later = doc("g.txt", "某省执行最高人民法院关于适用《中华人民共和国某某法》若干问题的解释的通知", "某政发〔2022〕7号",
                "2022-02-01", citations=[cit(None, "最高人民法院关于适用《中华人民共和国某某法》若干问题的解释")])
    return [law, interp, code, later]


def test_void_candidates_hold_every_void_node():
    G = graph_from_records(records() + _falling_with_a_law())
    void = {n for n in G.nodes if void_from(G, n)}
    assert len(void) == 4  # two repealed, one past its term, one fallen with the law it interprets
    assert void <= void_candidates(G.nodes, G.edges(keys=True))


def test_written_flags_are_the_checks_of_every_edge(tmp_path):
    """The graph file's flags (void_from asked only of void_candidates) equal the checks with void_from of every
    cited node."""
    build_lean(records() + _falling_with_a_law()).write(tmp_path / "g.json")
    G = load_graph(tmp_path / "g.json")
    expected = {(u, v, k): edge_flags(G.nodes[u], G.nodes[v], k, d["flags"], void_from(G, v))
                for u, v, k, d in G.edges(keys=True, data=True)}
    assert {(u, v, k): d["flags"] for u, v, k, d in G.edges(keys=True, data=True)} == expected
    assert sum(CITES_VOID in f for f in expected.values()) == 3


def test_a_node_without_a_level_is_checked_as_unknown(tmp_path):
    """A graph file may hold "level": null (graph/io.py accepts it): the checks read it as "unknown" (no
    implements_lower_level either way) instead of failing on it."""
    province = {"level": "provincial", "date": "2020-01-01", "year": 2020, "effective": None}
    unleveled = dict(province, level=None)
    assert edge_flags(province, unleveled, "IMPLEMENTS", [], None) == []
    assert edge_flags(unleveled, province, "IMPLEMENTS", [], None) == []
    assert edge_flags(province, dict(province, level="central"), "IMPLEMENTS", [], None) == []
    assert edge_flags(dict(province, level="central"), province, "IMPLEMENTS", [], None) == ["implements_lower_level"]
    G = graph_from_records(records())
    G.nodes[next(iter(G.edges()))[1]]["level"] = None
    assert apply_checks(G) >= 0


def test_past_term():
    G = graph_from_records(records())
    assert [x["id"] for x in past_term(G, "2021-01-01")] == ["某政办发〔2018〕3号"]
    assert past_term(G, "2020-12-31") == []


def test_trace_and_stats_show_status():
    G = graph_from_records(records())
    annotate_status(G, "2022-06-01")
    result = trace(G, "某政发〔2010〕5号")
    assert result["ref"]["status"] == "repealed" and result["ref"]["status_changed_by"] == "某政发〔2021〕8号"
    text = format_trace_text(result)
    assert "[repealed 2021-09-01 by 某政发〔2021〕8号]" in text.splitlines()[1]
    s = graph_stats(G)
    assert s["status"]["in_corpus"] == {"in_force": 4, "repealed": 1, "expired": 1}
    assert [x["id"] for x in s["status"]["past_term"]] == ["某政办发〔2018〕3号"]
    out = format_stats_text(s)
    assert "as of 2022-06-01: in_force 4, repealed 1, expired 1" in out and "cites_void 2" in out


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "polgraph", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_cli_as_of_and_in_force_only(tmp_path):
    src = tmp_path / "records.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records()), encoding="utf-8")
    before = _cli("trace", src, "某政发〔2010〕5号", "--as-of", "2021-08-31", "--format", "json")
    after = _cli("trace", src, "某政发〔2010〕5号", "--as-of", "2021-09-01", "--format", "json")
    assert json.loads(before.stdout)["ref"]["status"] == "in_force"
    assert json.loads(after.stdout)["ref"]["status"] == "repealed"
    only = _cli("trace", src, "某市政发〔2022〕1号", "--direction", "up", "--as-of", "2022-06-01", "--in-force-only")
    assert only.returncode == 0 and "某政发〔2010〕5号" not in only.stdout
    full = _cli("trace", src, "某市政发〔2022〕1号", "--direction", "up", "--as-of", "2022-06-01")
    assert "某政发〔2010〕5号" in full.stdout and "[repealed 2021-09-01 by 某政发〔2021〕8号]" in full.stdout
    stats = _cli("stats", src, "--as-of", "2022-06-01")
    assert "Past their own term (有效期): 1" in stats.stdout
    bad = _cli("stats", src, "--as-of", "2022-13-01")
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "polgraph: --as-of '2022-13-01': expected a date YYYY-MM-DD"]

"""graph_stats / format_stats_text on a hand-made chain."""
from __future__ import annotations

import json

from graph_support import OFFICE, chain_records, cit, rec
from polgraph.graph.build import build_graph
from polgraph.graph.stats import format_stats_text, graph_stats


def _graph():
    records = chain_records() + [
        rec("x/a.txt", "甲县实施方案", None, "county", "2016-03-01", citations=[
            cit("晋人社厅〔2012〕106号", None, cue="根据", relation="BASED_ON", level="provincial"),
            cit("xx办函〔x〕1号", None, anonymised=True, start=40)]),
        rec("x/b.txt", "乙县实施方案", None, "county", "2014-01-01", citations=[cit("国办发〔2015〕33号", OFFICE)]),
    ]
    return build_graph(records, quiet=True)


def test_counts_by_level_relation_and_method():
    s = graph_stats(_graph())
    assert s["documents"]["total"] == 9 and s["documents"]["in_corpus"] == 7
    assert s["documents"]["by_level"]["central"] == {"in_corpus": 2, "placeholders": 1}
    assert s["documents"]["by_level"]["provincial"] == {"in_corpus": 1, "placeholders": 1}
    assert s["citations"]["by_relation"]["BASED_ON"] == {"edges": 2, "mentions": 2}
    assert s["citations"]["dropped"] == {"anonymised": 1}
    r = s["resolution"]
    assert r["citations"] == 10  # 9 linked mentions + 1 anonymised
    assert r["by_method"]["number"]["count"] == 5 and r["by_method"]["alias"]["count"] == 1
    assert r["by_method"]["placeholder"]["count"] == 3
    assert r["resolved_in_corpus"] == 6 and r["rate"] == 60.0
    assert r["title_only"] == {"citations": 2, "resolved_in_corpus": 1, "rate": 50.0}


def test_most_cited_missing_first():
    s = graph_stats(_graph(), top=1)
    assert s["missing_most_cited"] == [{"id": "晋人社厅〔2012〕106号", "doc_number": "晋人社厅〔2012〕106号",
                                        "title": "关于印发山西省深化县级公立医院人事制度改革意见的通知",
                                        "level": "provincial", "region": "山西省",
                                        "issuer": ["山西省人力资源和社会保障厅"],
                                        "cited_by": 2, "mentions": 2}]


def test_flags_listed_and_text_output():
    G = _graph()
    s = graph_stats(G)
    assert s["flags"]["counts"] == {"cites_later": 1}
    assert s["flags"]["edges"][0]["source"] == "t:" + __import__("hashlib").sha1(
        "乙县实施方案".encode()).hexdigest()[:16]
    json.dumps(s)  # serialisable
    text = format_stats_text(s)
    assert "Documents: 9 (7 in corpus, 2 cited but missing)" in text
    assert "Resolution: 6 of 10 citation(s) resolved in the corpus (60.00%)" in text
    assert "      2 citing doc(s)  晋人社厅〔2012〕106号 《关于印发山西省深化县级公立医院人事制度改革意见的通知》" in text
    assert "Flagged edges: cites_later 1" in text

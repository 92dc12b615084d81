"""`polgraph export CORPUS --format neo4j-csv` streamed from the records in two passes (graph/stream.py) writes
the bytes the graph-based export writes, on the sample and on synthetic corpora."""
from __future__ import annotations

import json
import sys

import pytest

from conftest import REPO, SAMPLE
from polgraph.extract.pipeline import record_to_json
from polgraph.graph.export import export_graph, export_streamed
from polgraph.graph.build import open_graph
from polgraph.graph.io import save_graph


def _synthetic_jsonl(path, n_docs: int, seed: int):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import synthetic_records
    finally:
        sys.path.remove(str(REPO / "bench"))
    with open(path, "w", encoding="utf-8") as f:
        for rec in synthetic_records(n_docs, seed):
            f.write(record_to_json(rec) + "\n")
    return path


def _same_csv(a, b):
    for name in ("nodes.csv", "relationships.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.parametrize("n_docs, seed", [(2500, 3), (400, 11)])
def test_streamed_csv_equals_the_graph_export_on_synthetic_corpora(tmp_path, n_docs, seed):
    corpus = _synthetic_jsonl(tmp_path / "corpus.jsonl", n_docs, seed)
    G = open_graph([str(corpus)], quiet=True)
    assert any(not d["in_corpus"] for _, d in G.nodes(data=True))  # placeholders too
    assert any(k == "SUPERSEDES" or d.get("flags") for _, _, k, d in G.edges(keys=True, data=True))
    export_graph(G, "neo4j-csv", tmp_path / "graph")
    written, skipped = export_streamed([str(corpus)], tmp_path / "stream", quiet=True)
    assert skipped == [] and len(written) == 2
    _same_csv(tmp_path / "graph", tmp_path / "stream")


def test_streamed_csv_of_documents_equals_the_graph_export(tmp_path):
    """Documents (not JSON Lines) are extracted once into the run's temporary JSON Lines."""
    G = open_graph([str(SAMPLE)], quiet=True)
    export_graph(G, "neo4j-csv", tmp_path / "graph")
    export_streamed([str(SAMPLE)], tmp_path / "stream", quiet=True)
    _same_csv(tmp_path / "graph", tmp_path / "stream")


def test_cli_export_of_a_corpus_streams_and_equals_the_graph_file_export(tmp_path):
    from neo4j_support import polgraph_cli

    corpus = _synthetic_jsonl(tmp_path / "corpus.jsonl", 800, 5)
    save_graph(open_graph([str(corpus)], quiet=True), tmp_path / "graph.json")
    r = polgraph_cli("export", str(tmp_path / "graph.json"), "--format", "neo4j-csv", "-o", str(tmp_path / "a"),
                     "--quiet")
    assert r.returncode == 0, r.stderr
    r = polgraph_cli("export", str(corpus), "--format", "neo4j-csv", "-o", str(tmp_path / "b"), "--quiet")
    assert r.returncode == 0, r.stderr
    _same_csv(tmp_path / "a", tmp_path / "b")


def test_a_bad_line_is_one_error_naming_the_file(tmp_path):
    from neo4j_support import polgraph_cli

    corpus = _synthetic_jsonl(tmp_path / "corpus.jsonl", 50, 1)
    with open(corpus, "a", encoding="utf-8") as f:
        f.write("{not json\n")
    r = polgraph_cli("export", str(corpus), "--format", "neo4j-csv", "-o", str(tmp_path / "out"), "--quiet")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "corpus.jsonl" in r.stderr and "line 51" in r.stderr
    assert not (tmp_path / "out" / "nodes.csv").exists()


def test_a_path_with_bytes_that_are_not_utf8_streams_as_the_graph_export_writes_it(tmp_path):
    """A file name that is not UTF-8 reaches the records as lone surrogates (surrogateescape); the spilled
    citations carry it through GNU sort and back."""
    corpus = _synthetic_jsonl(tmp_path / "corpus.jsonl", 120, 2)
    lines = corpus.read_text(encoding="utf-8").splitlines()
    # every record's path gets an undecodable byte (0xff -> U+DCFF), so some citing document has one
    lines = [line.replace('"path": "', '"path": "\\udcff', 1) for line in lines]
    assert all("\\udcff" in line for line in lines)
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    G = open_graph([str(corpus)], quiet=True)
    assert any("\udcff" in (d.get("path") or "") for _, d in G.nodes(data=True))
    export_graph(G, "neo4j-csv", tmp_path / "graph")
    export_streamed([str(corpus)], tmp_path / "stream", quiet=True)
    _same_csv(tmp_path / "graph", tmp_path / "stream")


def _awkward_corpus(path):
    """Records whose texts the streamed key index must carry through its files and sorts as `build` holds them:
    a document in two files (the first in path order has no title: the second's fills it, its carries become
    aliases), two versions of one law, paths with a tab, a space and CJK (GNU sort must order them as Python
    orders strings), and a document that implements a law by its title while that law is repealed (its status
    reads both titles back)."""
    from graph_support import cit, rec

    law = "江南省道路交通安全条例"
    records = [
        rec("a/dup.txt", None, "江政发〔2015〕7号", "provincial", "2015-03-01", ["江南省人民政府"], "江南省",
            carries=["江南省交通运输工作方案"]),
        rec("b/dup.txt", "江南省人民政府关于印发交通运输工作方案的通知", "江政发〔2015〕7号", "provincial",
            "2015-03-01", ["江南省人民政府"], "江南省", carries=["交通运输工作方案"]),
        rec("laws/v1.txt", law, None, "provincial", "2010-05-01", ["江南省人民代表大会常务委员会"], "江南省"),
        rec("laws/v2.txt", law, None, "provincial", "2018-05-01", ["江南省人民代表大会常务委员会"], "江南省"),
        rec("x\ty.txt", "江南省道路交通安全条例实施办法", "江市发〔2019〕2号", "municipal", "2019-01-01",
            ["江南市人民政府"], "江南省", citations=[cit(title=law, relation="IMPLEMENTS"),
                                                  cit("江政发〔2015〕7号", relation="BASED_ON")]),
        rec("x y.txt", "江南省人民政府关于废止部分规章的决定", "江政发〔2020〕1号", "provincial", "2020-01-01",
            ["江南省人民政府"], "江南省", citations=[cit(title=law, relation="REPEALS", cue="同时废止")]),
        rec("文件/一.txt", "江南县贯彻交通运输工作方案的意见", "江县发〔2016〕3号", "county", "2016-01-01",
            ["江南县人民政府"], "江南省", citations=[cit(title="交通运输工作方案"), cit("国发〔2014〕5号")]),
        rec("x/y.txt", None, None, "unknown", None, citations=[cit(title="江南省人民政府关于印发交通运输工作方案的通知")]),
        # a lone surrogate that JSON allows and UTF-8 does not (not a file name's undecodable byte, U+DC80-DCFF)
        rec("s.txt", "江南省关于\ud800的通知", "江政发〔2021〕5号", "provincial", "2021-01-01",
            citations=[cit(title="江南省关于\ud801的办法")]),
    ]
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(json.loads(record_to_json(r))) + "\n")  # ASCII: the lone surrogate as \ud800
    return path


def test_streamed_texts_merges_versions_and_statuses_are_the_graph_s(tmp_path):
    from polgraph.graph.status import annotate_status
    from polgraph.graph.stream import StreamedGraph

    corpus = _awkward_corpus(tmp_path / "awkward.jsonl")
    G = open_graph([str(corpus)], quiet=True)
    assert any(k == "SUPERSEDES" for _, _, k in G.edges(keys=True))
    dup = G.nodes["江政发〔2015〕7号"]
    assert dup["title"] and dup["path"] == "a/dup.txt" and dup["aliases"]
    export_graph(G, "neo4j-csv", tmp_path / "graph")
    export_streamed([str(corpus)], tmp_path / "stream", quiet=True)
    _same_csv(tmp_path / "graph", tmp_path / "stream")
    # statuses as `load` sends them: the implementing document falls with the repealed law
    annotate_status(G, "2024-01-01")
    with StreamedGraph([str(corpus)], quiet=True) as g:
        streamed = {n: dict(a) for n, a in g.node_items("2024-01-01")}
    expected = {n: {k: (tuple(v) if isinstance(v, list) else v) for k, v in a.items()} for n, a in G.nodes(data=True)}
    assert {n: {k: (tuple(v) if isinstance(v, list) else v) for k, v in a.items()} for n, a in streamed.items()} \
        == expected
    assert expected["江市发〔2019〕2号"]["status"] != "in_force"

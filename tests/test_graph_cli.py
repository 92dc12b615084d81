"""The build/trace/stats/export commands end to end (real processes), on records and on data/sample."""
from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pytest

from graph_support import chain_records


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "polgraph", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def records_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("cli") / "records.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chain_records()), encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def graph_file(records_file):
    out = records_file.parent / "graph.json"
    r = run("build", str(records_file), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "7 node(s) (5 in corpus, 2 placeholder(s)), 7 edge(s)" in r.stderr
    return out


def test_build_twice_same_bytes(records_file, graph_file, tmp_path):
    again = tmp_path / "again.json"
    assert run("build", str(records_file), "-o", str(again), "-q").returncode == 0
    assert again.read_bytes() == graph_file.read_bytes()


def test_trace_from_graph_file_and_from_records_agree(records_file, graph_file):
    a = run("trace", str(graph_file), "国发[2012]11号", "--format", "json")
    b = run("trace", str(records_file), "国发（2012）11号", "--format", "json", "-q")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    assert ja["documents"] == jb["documents"] and ja["count"] == 4
    text = run("trace", str(graph_file), "国发〔2012〕11号", "--depth", "1").stdout
    assert "国办发〔2015〕33号" in text and "临政发〔2015〕9号" not in text


def test_trace_unknown_reference_is_one_line_exit_5(graph_file):
    r = run("trace", str(graph_file), "国发〔2099〕1号")
    assert r.returncode == 5
    assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith("polgraph: no document matches")


def test_bad_graph_file_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "g.json"
    bad.write_text('{"directed": true, "nodes": [', encoding="utf-8")
    r = run("stats", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == f"polgraph: {bad}: graph file is not valid JSON (line 1: Expecting value)"


def test_stats_text_and_json(graph_file):
    r = run("stats", str(graph_file), "--format", "json")
    s = json.loads(r.stdout)
    assert s["documents"]["placeholders"] == 2 and s["resolution"]["by_method"]["alias"]["count"] == 1
    text = run("stats", str(graph_file)).stdout
    assert "Resolution:" in text and "Most cited documents missing from the corpus" in text


def test_export_all_formats(graph_file, tmp_path):
    for fmt, out in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("jsonl", "g.jsonl"), ("neo4j-csv", "csv")):
        r = run("export", str(graph_file), "--format", fmt, "-o", str(tmp_path / out))
        assert r.returncode == 0, r.stderr
        assert f"polgraph: wrote {tmp_path / out}" in r.stderr
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_edges() == 7
    assert (tmp_path / "csv" / "relationships.csv").read_text(encoding="utf-8").count("\n") == 8


def test_sample_corpus_end_to_end(sample_dir, tmp_path):
    out = tmp_path / "sample.json"
    r = run("build", str(sample_dir), "-o", str(out))
    assert r.returncode == 0, r.stderr
    t = run("trace", str(out), "国办发〔2015〕33号")
    assert t.returncode == 0 and "全面深化县级公立医院综合改革实施方案" in t.stdout
    t = run("trace", str(out), "国发[2012]11号", "--format", "json")
    docs = json.loads(t.stdout)["documents"]
    assert [d["id"] for d in docs if d["hops"] == 1] == ["国办发〔2015〕33号"]
    assert any((d["path"] or "").endswith("00002.txt") and d["hops"] == 2 for d in docs)
    up = run("trace", str(sample_dir), "00003", "--direction", "up", "-q")
    assert "晋人社厅〔2012〕106号" in up.stdout and "安政办发〔2012〕26号" in up.stdout


def test_a_broken_graph_file_is_one_clear_error(tmp_path):
    from click.testing import CliRunner

    from polgraph.cli import cli

    bad = tmp_path / "graph.json"
    bad.write_text('{"nodes": [', encoding="utf-8")
    r = CliRunner().invoke(cli, ["stats", str(bad)])
    assert r.exit_code == 2
    assert "graph.json" in r.output and "not valid JSON" in r.output and "Traceback" not in r.output

"""`polgraph export CORPUS --format neo4j-csv` streamed from the records in two passes (graph/stream.py) writes
the bytes the graph-based export writes, on the sample and on synthetic corpora."""
from __future__ import annotations

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

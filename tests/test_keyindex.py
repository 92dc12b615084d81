"""The key index and resolver (graph/keyindex.py) without a graph, the LeanGraph, and the streaming graph writer."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import networkx as nx
import pytest

from polgraph.graph.build import build_graph, build_lean
from polgraph.graph.io import graph_to_json, load_graph, save_graph
from polgraph.graph.keyindex import KeyIndex, Resolver

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synth import iter_synthetic_records, synthetic_records  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _json_dumps_file(G: nx.MultiDiGraph) -> str:
    """The graph file as json.dumps writes it (the writer must give these bytes)."""
    data = nx.node_link_data(G, edges="edges")
    data["nodes"].sort(key=lambda n: n["id"])
    data["edges"].sort(key=lambda e: (e["source"], e["target"], e["key"]))
    data["format"], data["version"] = "polgraph-graph", 1
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _resolve(records: list[dict], order: list[int]):
    """Links and placeholders of `records` streamed through KeyIndex/Resolver in `order` (both passes)."""
    index = KeyIndex()
    for i in order:
        index.add(records[i])
    index.finish()
    resolver = Resolver(index)
    links = [link for p, i in enumerate(order) for link in resolver.resolve(p, records[i])]
    links += list(resolver.finish())
    return ({(l.source, l.target, l.relation, l.method, l.score, l.citation.get("start")) for l in links},
            resolver.placeholders, index.nodes)


def test_resolution_does_not_depend_on_record_order():
    records = synthetic_records(3000, seed=4)
    straight = _resolve(records, list(range(len(records))))
    order = list(range(len(records)))
    random.Random(1).shuffle(order)
    shuffled = _resolve(records, order)
    assert straight == shuffled
    links, placeholders, nodes = straight
    methods = {m for _, _, _, m, _, _ in links}
    assert {"number", "title", "alias", "placeholder"} <= methods  # every way of resolving is exercised
    assert placeholders and not set(placeholders) & set(nodes)


def test_resolver_links_are_the_graph_edges():
    records = synthetic_records(2000, seed=2)
    links, placeholders, nodes = _resolve(records, list(range(len(records))))
    G = build_graph(records)
    assert {(u, v, k) for u, v, k in G.edges(keys=True) if k != "SUPERSEDES"} == {l[:3] for l in links}
    assert sum(len(d["mentions"]) for _, _, d in G.edges(data=True)) == len(links)
    assert {n for n, d in G.nodes(data=True) if not d["in_corpus"]} == set(placeholders)


def test_synthetic_records_stream_as_the_list():
    for n, seed in ((1, 0), (50, 1), (4000, 2)):
        assert list(iter_synthetic_records(n, seed)) == synthetic_records(n, seed)


@pytest.mark.parametrize("source", ["sample", "synthetic"])
def test_writer_gives_json_dumps_bytes(tmp_path, source):
    records = synthetic_records(3000, seed=5) if source == "synthetic" else [SAMPLE]
    G = build_graph(records)
    expected = _json_dumps_file(G)
    assert graph_to_json(G) == expected
    save_graph(G, tmp_path / "nx.json")
    assert (tmp_path / "nx.json").read_text(encoding="utf-8") == expected
    lean = build_lean(synthetic_records(3000, seed=5)) if source == "synthetic" else None
    if lean is not None:
        lean.write(tmp_path / "lean.json")
        assert (tmp_path / "lean.json").read_text(encoding="utf-8") == expected
        assert nx.utils.graphs_equal(lean.to_networkx(), G)


def test_writer_handles_any_attribute_values(tmp_path):
    G = nx.MultiDiGraph()
    G.graph.update({"created_by": "polgraph", "nested": {"b": [1, 2.5, None, True], "a": {}}, "empty": []})
    G.add_node("甲", label="引号\"与\\反斜杠\n换行", extra=[["x"], {"k": -0.0}], year=2019, in_corpus=False)
    G.add_node("z", title=None, score=1e-7, big=10**20)
    G.add_edge("甲", "z", key="CITES", relation="CITES", method="fuzzy", score=91.25, flags=[],
               mentions=[{"path": "a\udcff.txt", "start": 0}], other={"x": [1]})
    expected = _json_dumps_file(G)
    assert graph_to_json(G) == expected
    save_graph(G, tmp_path / "g.json")
    assert load_graph(tmp_path / "g.json").nodes["甲"]["extra"] == [["x"], {"k": -0.0}]


def test_lean_writer_handles_any_attribute_values(tmp_path):
    """The LeanGraph's encoders (graph/io.py *_values_json) on values build never makes: same bytes as json.dumps."""
    lean = build_lean(synthetic_records(300, seed=3))
    corpus = sorted(n for n, a in lean.nodes.items() if a["in_corpus"])
    odd = [(corpus[0], "title", 12), (corpus[1], "year", True), (corpus[2], "aliases", ("b", "a\"q")),
           (corpus[3], "issuer", ["x", 3]), (corpus[4], "path", "a\\b\n.txt"), (corpus[5], "in_corpus", 0),
           (corpus[6], "region", 5), (corpus[7], "carries", [])]
    for n, key, value in odd:
        lean.nodes[n][key] = value
    placeholder = next(n for n, a in sorted(lean.nodes.items()) if not a["in_corpus"])
    lean.nodes[placeholder]["region"] = {"k": [1.5]}
    mentions = [m for e in lean.edges.values() for m in ([e] if not isinstance(e, list) else e[3:])]
    mentions[0].start, mentions[1].score, mentions[2].score, mentions[3].end = None, float("inf"), 7, 2.5
    mentions[4].cue, mentions[5].title = ["根据"], -0.0
    lean.write(tmp_path / "lean.json")
    written = (tmp_path / "lean.json").read_text(encoding="utf-8")
    assert written == _json_dumps_file(lean.to_networkx())
    assert "Infinity" in written and '"title": 12' in written


def test_lean_edges_sorted_as_tuples_whatever_the_ids():
    """The writer orders edges by one joined string per key, "\\0" between the ids; an id holding "\\0" itself
    (never from build) falls back to the tuples' order."""
    from polgraph.graph.build import LeanGraph

    for ids in (["a", "ab", "a b", "b", "甲", "甲乙"], ["a", "a\0b", "a\0", "b"]):
        keys = [(u, v, rel) for u in ids for v in ids for rel in ("CITES", "BASED_ON") if u != v]
        random.Random(0).shuffle(keys)
        lean = LeanGraph({}, {n: {} for n in ids}, {k: ["number", 100.0, ()] for k in keys})
        assert lean._sorted_edges() == sorted(keys)


def test_common_trigrams_dropped_from_the_fuzzy_index_change_no_match(monkeypatch):
    """A trigram's posting past the fuzzy budget is no longer kept (graph/resolve.py _COMMON): with a budget
    small enough that most postings pass it, every query matches what the full postings give."""
    from polgraph.graph import resolve

    records = synthetic_records(1500, seed=5)
    titles = [(f"n{i}", t) for i, r in enumerate(records) for t in [r["title"], *r["carries"]]]

    def index(budget_when_built):
        monkeypatch.setattr(resolve, "_FUZZY_BUDGET", budget_when_built)
        idx = resolve.TitleIndex()
        for node, title in titles[:500]:
            idx.add(node, title, "title")
        assert idx.postings  # indexed now, and again with the rest: postings are made in steps too
        for node, title in titles[500:]:
            idx.add(node, title, "title")
        assert idx.postings
        return idx

    monkeypatch.setattr(resolve, "_INDEX_CHUNK", 64)  # postings merged across chunks too
    full, capped = index(10**9), index(12)
    # the full postings: each trigram's entries in order, one kept as an int
    expected: dict = {}
    for n, (key, _) in enumerate(full.entries):
        for g in resolve._grams(key):
            expected.setdefault(resolve._place_of(key) or "", {}).setdefault(g, []).append(n)
    assert {place: {g: [p] if type(p) is int else list(p) for g, p in block.items()}
            for place, block in full.postings.items()} == expected
    assert any(type(p) is int for block in full.postings.values() for p in block.values())
    assert not any(p is resolve._COMMON for block in full.postings.values() for p in block.values())
    common = sum(p is resolve._COMMON for block in capped.postings.values() for p in block.values())
    assert common > 100
    queries = [c["title"] for r in records for c in r["citations"] if c.get("title")]
    queries += [t[:-2] + "工作" + t[-2:] for _, t in titles[::7]]  # loose quotes: words added

    def candidates(idx, q):  # every candidate the query scores, in order (accept sees each one, refuses all)
        seen = []
        idx.fuzzy(q, accept=lambda n: seen.append(n), threshold=0, strict=False)
        return seen

    found = 0
    for q in queries:
        with_full = full.fuzzy(q, strict=False)
        assert capped.fuzzy(q, strict=False) == with_full, q
        assert candidates(capped, q) == candidates(full, q), q
        found += with_full is not None
    assert found > len(queries) // 2


def test_version_groups_from_the_title_index_keys_equal_those_made_from_the_nodes():
    """KeyIndex.finish hands version_groups the group keys made from the titles it indexes (one NFKC pass per title
    less): the same groups as version_groups making every key itself, on records with versions and edition marks."""
    from polgraph.extract.titles import normalize_title
    from polgraph.graph.versions import version_groups, version_key

    records = synthetic_records(2000, seed=3)
    for i, (title, date, level, region) in enumerate([
            ("人民检察院刑事诉讼规则（试行）", "2012-11-22", "central", None), ("人民检察院刑事诉讼规则", "2019-12-30", "central", None),
            ("某某省安全生产条例", "2010-01-01", "provincial", "某某省"), ("某某省安全生产条例(2016年修订)", "2016-05-01", "provincial", "某某省"),
            (" 某某办法 ", "2011-01-01", "central", None), ("某某办法（暂行）", "2008-01-01", "central", None),
            ("关于修改部分地方性法规的决定", "2015-01-01", "provincial", "某某省"),
            ("关于修改部分地方性法规的决定", "2018-01-01", "provincial", "某某省")]):
        records.append({"path": f"versions/{i}.txt", "id": None, "title": title, "doc_number": None, "issuer": [],
                        "date": date, "level": level, "region": region, "carries": [], "citations": []})
    index = KeyIndex()
    for r in records:
        index.add(r)
    index.finish()
    assert len(index.groups) == 3
    assert index.groups == version_groups(index.nodes)
    for title in ("人民检察院刑事诉讼规则（试行）", " 某某办法 ", "某某条例(2019年修订)", "关于修改部分地方性法规的决定",
                  "《某某规定》", "", "某某规则"):
        assert version_key(title, normalize_title(title)) == version_key(title)

"""On ../shared/corpora/lawrefbook-laws: 《title》 citations of a law in the corpus resolve to that law."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict

import pytest

from polgraph.graph.resolve import normalize_title

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lawref(corpora):
    return corpora / "lawrefbook-laws"


@pytest.fixture(scope="module")
def lawref_graph(lawref):
    from polgraph.extract.pipeline import extract_paths
    from polgraph.graph.build import build_graph

    records, skipped = extract_paths([str(lawref)], jobs=2, quiet=True)
    assert not skipped, skipped[:3]
    return build_graph(records, quiet=True)


def _manifest_titles(lawref) -> dict[str, set[str]]:
    by_title = defaultdict(set)
    with open(lawref / "MANIFEST.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            by_title[normalize_title(row["title"])].add(row["file"])
    return by_title


def test_title_citations_of_corpus_laws_resolve_to_them(lawref, lawref_graph):
    G = lawref_graph
    by_title = _manifest_titles(lawref)
    node_of_file = {d["path"].replace("\\", "/").rsplit("/", 1)[-1]: n
                    for n, d in G.nodes(data=True) if d.get("path")}
    total = resolved = 0
    wrong = []
    for u, v, d in G.edges(data=True):
        for m in d["mentions"]:
            files = by_title.get(normalize_title(m["title"]))
            if not files:
                continue
            total += 1
            if v in {node_of_file.get(f) for f in files}:
                resolved += 1
            else:
                wrong.append((m["path"], m["title"], v))
    rate = resolved / total
    print(f"lawrefbook: {resolved}/{total} title citations of corpus laws resolve to them ({100 * rate:.2f}%)")
    assert total > 4000
    assert rate >= 0.98, wrong[:20]


def test_stats_prints_the_resolution_rate(lawref_graph, tmp_path):
    from polgraph.graph.io import save_graph

    g = tmp_path / "lawref.json"
    save_graph(lawref_graph, g)
    r = subprocess.run([sys.executable, "-m", "polgraph", "stats", str(g), "--format", "json"],
                       capture_output=True, text=True, encoding="utf-8", timeout=600)
    s = json.loads(r.stdout)
    assert s["resolution"]["title_only"]["rate"] > 50
    text = subprocess.run([sys.executable, "-m", "polgraph", "stats", str(g)], capture_output=True, text=True,
                          encoding="utf-8", timeout=600).stdout
    assert "Resolution: " in text and "title-only citations: " in text


def test_fuzzy_matches_only_tolerated_variants(lawref_graph):
    from polgraph.graph.resolve import canonical_title

    fuzzy = [(m["title"], lawref_graph.nodes[v]) for _, v, d in lawref_graph.edges(data=True)
             for m in d["mentions"] if m["method"] == "fuzzy"]
    for cited, node in fuzzy:
        names = [node["title"]] + node["aliases"]
        assert canonical_title(normalize_title(cited)) in {canonical_title(normalize_title(t)) for t in names}

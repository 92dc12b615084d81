"""polgraph build --update: only new or changed files are extracted, and the result is a full build of the union,
byte for byte (graph/update.py)."""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import polgraph.graph.update as update
from polgraph.cli import cli

REPO = Path(__file__).resolve().parents[1]
LAWS = Path("/work/shared/corpora/lawrefbook-laws")
# 00370 (2023) and 00371 (2016) are two versions of one regulation; their neighbours cite and are cited
LAW_FILES = [f"{i:05d}.txt" for i in range(360, 382)]


@pytest.fixture
def corpus(tmp_path) -> list[Path]:
    """Every file of the test corpus: the sample, the dated diffusion sample and, when the shared corpora are
    here, a slice of the law corpus with two versions of one regulation."""
    files = []
    for src in sorted((REPO / "data" / "sample").glob("*.txt")) + sorted((REPO / "data" / "diffusion_sample").glob("*.txt")):
        dst = tmp_path / "src" / f"{src.parent.name}-{src.name}"
        dst.parent.mkdir(exist_ok=True)
        shutil.copy(src, dst)
        files.append(dst)
    if LAWS.is_dir():
        for name in LAW_FILES:
            dst = tmp_path / "src" / f"law-{name}"
            shutil.copy(LAWS / name, dst)
            files.append(dst)
    return files


@pytest.fixture
def extracted(monkeypatch) -> list[str]:
    """The files extraction is called on, in order (graph/update.py's only way to extraction)."""
    calls: list[str] = []
    real = update.extract_paths

    def counting(paths, *args, **kwargs):
        calls.extend(str(p) for p in paths)
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(update, "extract_paths", counting)
    return calls


def polgraph(*args) -> str:
    r = CliRunner().invoke(cli, ["build", *args, "--quiet"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def place(files: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def test_update_equals_full_build_over_several_splits(tmp_path, corpus, extracted):
    rng = random.Random(7)
    for split in range(3):
        files = corpus[:]
        rng.shuffle(files)
        cut1, cut2 = sorted(rng.sample(range(1, len(files)), 2))
        root = tmp_path / f"split{split}"
        parts = [place(files[:cut1], root / "a"), place(files[cut1:cut2], root / "b"), place(files[cut2:], root / "c")]
        extracted.clear()
        polgraph(str(parts[0]), "-o", str(root / "g.json"))
        polgraph("--update", str(root / "g.json"), str(parts[1]))
        polgraph("--update", str(root / "g.json"), str(parts[2]))
        # each file extracted once, however many updates
        assert sorted(extracted) == sorted(str(p / f.name) for p, fs in zip(parts, (files[:cut1], files[cut1:cut2],
                                                                                      files[cut2:])) for f in fs)
        polgraph(*map(str, parts), "-o", str(root / "full.json"))
        assert (root / "g.json").read_bytes() == (root / "full.json").read_bytes()


def test_a_placeholder_becomes_the_document_that_arrives(tmp_path, corpus):
    target = "国办发〔2015〕33号"
    full = tmp_path / "full.json"
    polgraph(*(str(f) for f in corpus), "-o", str(full))
    nodes = {n["id"]: n for n in json.loads(full.read_text(encoding="utf-8"))["nodes"]}
    assert nodes[target]["in_corpus"]
    own = Path(nodes[target]["path"]).name
    old = place([f for f in corpus if f.name != own], tmp_path / "old")
    new = place([f for f in corpus if f.name == own], tmp_path / "new")
    polgraph(str(old), "-o", str(tmp_path / "g.json"))
    before = {n["id"]: n for n in json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["nodes"]}
    assert before[target]["in_corpus"] is False  # cited, not yet in the corpus: a placeholder
    polgraph("--update", str(tmp_path / "g.json"), str(new))
    after = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert {n["id"]: n for n in after["nodes"]}[target]["in_corpus"] is True
    polgraph(str(old), str(new), "-o", str(tmp_path / "union.json"))
    assert (tmp_path / "g.json").read_bytes() == (tmp_path / "union.json").read_bytes()


@pytest.mark.skipif(not LAWS.is_dir(), reason="needs the shared law corpus")
def test_a_newer_version_of_a_law_arriving(tmp_path, corpus):
    newer = next(f for f in corpus if f.name == "law-00370.txt")
    old = place([f for f in corpus if f != newer], tmp_path / "old")
    new = place([newer], tmp_path / "new")
    polgraph(str(old), "-o", str(tmp_path / "g.json"))
    before = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    polgraph("--update", str(tmp_path / "g.json"), str(new))
    after = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    by_path = {Path(n["path"]).name: n["id"] for n in after["nodes"] if n["path"]}
    law = by_path["law-00370.txt"]
    earlier = by_path["law-00371.txt"]
    # the id was the 2016 version's; the 2023 version takes it, the 2016 one gets its dated id, superseded
    assert {Path(n["path"]).name: n["id"] for n in before["nodes"] if n["path"]}["law-00371.txt"] == law
    assert earlier == f"{law}@2016-11-25"
    assert (law, earlier) in {(e["source"], e["target"]) for e in after["edges"] if e["key"] == "SUPERSEDES"}
    polgraph(str(old), str(new), "-o", str(tmp_path / "union.json"))
    assert (tmp_path / "g.json").read_bytes() == (tmp_path / "union.json").read_bytes()


def test_unchanged_files_are_not_extracted_again_and_a_changed_one_is(tmp_path, corpus, extracted):
    folder = place(corpus[:8], tmp_path / "docs")
    polgraph(str(folder), "-o", str(tmp_path / "g.json"))
    assert len(extracted) == 8
    extracted.clear()
    polgraph(str(folder), "-o", str(tmp_path / "g.json"))  # a rebuild of the same files: all from the cache
    assert extracted == []
    changed = folder / corpus[2].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n根据《中华人民共和国预算法》，制定本办法。\n",
                       encoding="utf-8")
    polgraph("--update", str(tmp_path / "g.json"), str(changed))
    assert extracted == [str(changed)]
    graph = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert any(m["path"] == str(changed) and m["title"] == "中华人民共和国预算法"
               for e in graph["edges"] for m in e["mentions"])
    extracted.clear()
    polgraph(str(folder), "-o", str(tmp_path / "fresh.json"))
    assert extracted == [str(f) for f in sorted(folder.iterdir())]  # no cache beside fresh.json: all extracted
    assert (tmp_path / "g.json").read_bytes() == (tmp_path / "fresh.json").read_bytes()


def test_update_without_a_cache_is_refused(tmp_path, corpus):
    folder = place(corpus[:2], tmp_path / "docs")
    polgraph(str(folder), "-o", str(tmp_path / "g.json"))
    (tmp_path / "g.json.cache.jsonl").unlink()
    r = CliRunner().invoke(cli, ["build", "--update", str(tmp_path / "g.json"), str(folder), "--quiet"])
    assert r.exit_code != 0 and "no build cache" in r.output and "Traceback" not in r.output


def test_a_cache_of_another_extractor_is_not_used(tmp_path, corpus, extracted, monkeypatch):
    folder = place(corpus[:3], tmp_path / "docs")
    polgraph(str(folder), "-o", str(tmp_path / "g.json"))
    monkeypatch.setattr(update, "extractor_fingerprint", lambda: "another")
    extracted.clear()
    polgraph(str(folder), "-o", str(tmp_path / "g.json"))
    assert len(extracted) == 3


def test_extract_json_lines_stream_through_the_build(tmp_path, corpus, extracted):
    """An extract JSON Lines input is referenced by the cache and read as the build goes (not held whole)."""
    import types

    from polgraph.graph.build import build_graph
    from polgraph.graph.io import read_records, save_graph

    records = tmp_path / "records.jsonl"
    r = CliRunner().invoke(cli, ["extract", *(str(f) for f in corpus[:12]), "-o", str(records), "--quiet"])
    assert r.exit_code == 0, r.output
    polgraph(str(records), "-o", str(tmp_path / "g.json"))
    assert extracted == []
    cache = update.BuildCache.load(tmp_path / "g.json.cache.jsonl")
    assert cache.files[str(records)] == {"records": True, "sha256": update.file_sha256(str(records))}
    assert isinstance(cache.corpus()[0], types.GeneratorType)
    save_graph(build_graph(read_records(records)), tmp_path / "list.json")
    assert (tmp_path / "g.json").read_bytes() == (tmp_path / "list.json").read_bytes()

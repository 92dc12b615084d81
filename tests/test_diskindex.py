"""The title index in files (graph/diskindex.py: DiskTitleIndex, its keys and trigram postings on disk) answers as
the in-memory TitleIndex: the same exact, alias, issuer-less and fuzzy matches."""
from __future__ import annotations

import random

import pytest

from polgraph.graph import diskindex
from polgraph.graph.diskindex import DiskTitleIndex
from polgraph.graph.resolve import TitleIndex

PLACES = ["", "山西省", "临汾市", "安泽县", "四川省"]
WORDS = ["加强", "改进", "农村", "社区", "养老", "服务", "管理", "推进", "深化", "改革", "促进", "就业"]


def _titles(rng: random.Random, n: int) -> list[str]:
    out = []
    for i in range(n):
        words = "".join(rng.sample(WORDS, 3))
        out.append(f"{rng.choice(PLACES)}人民政府关于{words}第{i % 40}项工作的{rng.choice(['意见', '通知', '实施方案'])}")
    return out


def _names(rng: random.Random, titles: list[str]) -> list[tuple[str, str, str]]:
    """(node, name, kind) in node id order: titles, shared titles, 印发 wrappers, aliases (some repeating the
    node's own title or a key of it), the way KeyIndex._index_titles adds them."""
    out = []
    for i, t in enumerate(titles):
        node = f"n{i:03d}"
        if i % 9 == 4:
            t = titles[i - 1]  # two documents of one title
        if i % 7 == 3:
            t = f"{rng.choice(PLACES)}人民政府办公室关于印发{t.split('关于', 1)[1]}的通知"
        if i % 17 == 8:
            out.append((node, t, "alias"))  # named by an alias first, by its own title after
        out.append((node, t, "title"))
        if i % 5 == 0:
            out.append((node, rng.choice(titles), "alias"))
        if i % 11 == 2:
            out.append((node, t, "alias"))  # a carried title equal to its own
        if i % 13 == 6:
            out.append((node, t.split("关于", 1)[-1], "alias"))
    return out


def _both(tmp_path, rng, n=400):
    titles = _titles(rng, n)
    memory, disk = TitleIndex(), DiskTitleIndex(str(tmp_path))
    for node, name, kind in _names(rng, titles):
        assert memory.add(node, name, kind) == disk.add(node, name, kind)
    return titles, memory, disk


def _queries(rng, titles):
    return (rng.sample(titles, 80) + [t.replace("工作", "") for t in rng.sample(titles, 60)]
            + ["关于" + t.split("关于", 1)[-1] for t in rng.sample(titles, 60)]
            + ["关于印发" + t.split("关于", 1)[-1] + "的通知" for t in rng.sample(titles, 20)]
            + ["不在索引里的标题", "", None])


@pytest.mark.parametrize("collide", [False, True])
def test_disk_title_index_answers_as_the_in_memory_one(tmp_path, monkeypatch, collide):
    # chunks of 7 entries: every posting of more than a few titles spans chunks (and chunks it skips)
    monkeypatch.setattr(diskindex.DiskPostings, "CHUNK", 7)
    monkeypatch.setattr(diskindex, "_RUN", 50)  # the sorted hashes made of runs merged
    if collide:  # every key one of three hashes: the keys read back from the file must tell them apart
        monkeypatch.setattr(diskindex, "_hash", lambda s: len(s) % 3)
    rng = random.Random(5)
    titles, memory, disk = _both(tmp_path, rng)
    queries = _queries(rng, titles)
    excludes = [None, "n001", "n004", "n010"]
    exact = [(memory.lookup(q, exclude=x), disk.lookup(q, exclude=x)) for q in queries for x in excludes]
    assert all(a == b for a, b in exact)
    found = [a for a, _ in exact if a]
    # every kind of answer is compared: by title, by alias, several documents, the issuer-less form
    assert {a[1] for a in found} == {"title", "alias"} and any(len(a[0]) > 1 for a in found)
    assert any(a[2] for a in found) and any(not a[2] for a in found)
    fuzzy = [(memory.fuzzy(q, exclude="n001"), disk.fuzzy(q, exclude="n001")) for q in queries]
    assert all(a == b for a, b in fuzzy)
    assert sum(a is not None for a, _ in fuzzy) >= 40  # the queries do find titles
    disk.close()


def test_postings_on_disk_are_the_in_memory_postings(tmp_path, monkeypatch):
    monkeypatch.setattr(diskindex.DiskPostings, "CHUNK", 7)
    rng = random.Random(6)
    _, memory, disk = _both(tmp_path, rng, 200)
    disk.lookup("启动")  # sealed: the last chunk written
    for place, grams in memory.postings.items():
        for g, p in grams.items():
            on_disk = disk._postings_file.get(place, g)
            assert on_disk is not None and list(on_disk) == ([p] if type(p) is int else list(p))
            assert len(on_disk) == (1 if type(p) is int else len(p))
    assert disk._postings_file.get("山西省", "不存在") is None
    assert disk.entries == [] and memory.entries == [disk._entry(e) for e in range(len(memory.entries))]


def test_names_come_by_node_and_before_any_look_up(tmp_path):
    disk = DiskTitleIndex(str(tmp_path))
    disk.add("b", "山西省人民政府关于加强养老服务的意见")
    with pytest.raises(ValueError):
        disk.add("a", "山西省人民政府关于推进就业的意见")  # the dedupe of a node's names needs them together
    disk.add("c", "临汾市人民政府关于推进就业的意见")
    assert disk.lookup("临汾市人民政府关于推进就业的意见") == (["c"], "title", False)
    with pytest.raises(RuntimeError):
        disk.add("d", "安泽县人民政府关于推进就业的意见")

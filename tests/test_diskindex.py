"""The fuzzy title index with its trigram postings in a file (graph/diskindex.py) answers as the in-memory one."""
from __future__ import annotations

import random

from polgraph.graph import diskindex
from polgraph.graph.resolve import TitleIndex

PLACES = ["", "山西省", "临汾市", "安泽县", "四川省"]
WORDS = ["加强", "改进", "农村", "社区", "养老", "服务", "管理", "推进", "深化", "改革", "促进", "就业"]


def _titles(rng: random.Random, n: int) -> list[str]:
    out = []
    for i in range(n):
        words = "".join(rng.sample(WORDS, 3))
        out.append(f"{rng.choice(PLACES)}人民政府关于{words}第{i % 40}项工作的{rng.choice(['意见', '通知', '实施方案'])}")
    return out


def test_postings_on_disk_give_the_same_matches_as_in_memory(tmp_path, monkeypatch):
    # chunks of 7 entries: every posting of more than a few titles spans chunks (and chunks it skips)
    monkeypatch.setattr(diskindex.DiskPostings, "CHUNK", 7)
    rng = random.Random(5)
    titles = _titles(rng, 400)
    memory, disk = TitleIndex(), TitleIndex(postings_folder=str(tmp_path))
    for i, t in enumerate(titles):
        for index in (memory, disk):
            index.add(f"n{i:03d}", t, "title")
    assert memory.postings.get("") and disk.postings == {}
    # the same postings: every (place, trigram), the same entries in the same order
    for place, grams in memory.postings.items():
        for g, p in grams.items():
            on_disk = disk._disk.get(place, g)
            assert on_disk is not None and list(on_disk) == ([p] if type(p) is int else list(p))
            assert len(on_disk) == (1 if type(p) is int else len(p))
    assert disk._disk.get("山西省", "不存在") is None
    queries = [t.replace("工作", "") for t in rng.sample(titles, 60)] + rng.sample(titles, 20)
    answers = [(memory.fuzzy(q, exclude="n001"), disk.fuzzy(q, exclude="n001")) for q in queries]
    assert all(a == b for a, b in answers)
    assert sum(a is not None for a, _ in answers) >= 40  # the queries do find titles
    # adding after a look-up: the new entries are found too
    for index in (memory, disk):
        index.add("n999", "浮山县人民政府关于推进养老服务第99项工作的意见", "title")
    assert memory.fuzzy("浮山县人民政府关于推进养老服务第99项的意见") == \
        disk.fuzzy("浮山县人民政府关于推进养老服务第99项的意见") == ("n999", disk.fuzzy(
            "浮山县人民政府关于推进养老服务第99项的意见")[1])
    disk.close()
    assert disk.fuzzy(titles[0]) is None  # closed: exact look-ups only
    assert disk.lookup(titles[3])[0] == ["n003"]

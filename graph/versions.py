"""Versions of one document: the same title at different dates (修正, 修订) or with an edition mark ((试行)).

Each version is its own node. Files of one document id (its 文号, else its title) with different dates are
versions: the latest keeps the id, each earlier one gets ``id@date`` (a file without a date is dated by its
effective clause; one without either joins the latest). In-corpus documents whose titles agree once
an edition mark is dropped (``人民检察院刑事诉讼规则（试行）`` and ``人民检察院刑事诉讼规则``), of the same level and
region, are one document's versions too; each newer version SUPERSEDES the one before it. Titles that name a
different document every time (关于修改部分地方性法规的决定: data/lifecycle_phrases.tsv role `distinct`) are no
versions. A title-only citation of such a title resolves to the version in force on the citing document's date.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict

from polgraph.graph.resolve import normalize_title

_EDITION = re.compile(r"[（(](?:试行|暂行|草案|\d{4}年?(?:修订|修正)?版?|\d{4}年?(?:修订|修正)|修订|修正)[)）]$")
SUPERSEDES = "SUPERSEDES"


@functools.lru_cache(maxsize=1)
def _distinct_words() -> re.Pattern:
    """Any of the `distinct` words (one regex search per title: a generator over the words cost 3% of a build)."""
    from polgraph.extract.lifecycle import load_phrases

    words = load_phrases()["distinct"]
    return re.compile("|".join(map(re.escape, words)) if words else "(?!)")  # (?!): no words, no match


def version_key(title: str | None, normalized: str | None = None) -> str | None:
    """The title without its edition mark, normalised; None when such titles are no versions of each other.
    `normalized`: normalize_title(title) when the caller has it (most titles have no mark: one NFKC less each)."""
    if not title:
        return None
    stripped = title.strip()
    bare, marks = _EDITION.subn("", stripped)
    if _distinct_words().search(bare):
        return None
    if normalized is not None and not marks and stripped == title:
        return normalized or None  # bare is title itself: the same key
    return normalize_title(bare) or None


def version_ids(base_ids: list[str], dates: list[str | None]) -> list[str]:
    """The node id of each record, given its document id and date: records of one id with different dates are
    versions (the latest keeps the id, an earlier one gets `id@date`); an undated file is no evidence of another
    version: it joins the latest."""
    latest: dict[str, str] = {}  # the latest date only: a set of dates per id is ~200 B each, millions of ids
    for nid, date in zip(base_ids, dates):
        if date and (nid not in latest or date > latest[nid]):
            latest[nid] = date
    return [nid if not date or date == latest[nid] else f"{nid}@{date}" for nid, date in zip(base_ids, dates)]


def start_of(node: dict) -> str:
    """Sort key of a version: the day it takes effect (its effective date, else its date), '' when unknown."""
    return node.get("effective") or node.get("date") or ""


def version_groups(nodes: dict[str, dict], group_keys=None) -> list[list[str]]:
    """Groups (two or more) of in-corpus nodes that are versions of one document, each oldest first.
    `group_keys`: (node id, group_key) of every node, in any order, when the caller makes them anyway
    (graph/keyindex.py: from the normalised titles it indexes); else they are made here."""
    # Millions of nodes, nearly all alone: first by the hash of their group key (an int, not the key's tuple and
    # string: ~150 B a node less at the peak of a streamed 3M corpus), a node alone as its id; the few that share
    # a hash are then grouped by the key itself, so a collision joins nothing.
    by_hash: dict[int, str | list[str]] = {}
    if group_keys is None:
        group_keys = ((nid, group_key(node)) for nid, node in nodes.items())
    for nid, key in group_keys:
        if key is None:
            continue
        h = hash(key)
        have = by_hash.get(h)
        if have is None:
            by_hash[h] = nid
        elif type(have) is str:
            by_hash[h] = [have, nid]
        else:
            have.append(nid)
    out = []
    for shared in by_hash.values():
        if type(shared) is str:
            continue
        groups: dict[tuple, list[str]] = defaultdict(list)
        for nid in shared:
            groups[group_key(nodes[nid])].append(nid)
        for members in groups.values():
            if len(members) > 1:
                out.append(sorted(members, key=lambda n: (start_of(nodes[n]), nodes[n].get("date") or "", n)))
    return sorted(out)


def group_key(node, normalized_title: str | None = None) -> tuple | None:
    """What the versions of one document share (version_groups), or None for a node that has no versions;
    `normalized_title`: normalize_title of its title, when the caller has it."""
    if not node.get("in_corpus", True):
        return None
    key = version_key(node.get("title"), normalized_title)
    return (key, node.get("level"), node.get("region")) if key else None


def in_force_version(candidates: list[str], nodes: dict[str, dict], date: str | None,
                     before: str | None = None) -> str | None:
    """Of `candidates` (versions of one document), the one in force on `date`: the latest that took effect by
    then (None: the latest of all); `before` (a start date) keeps only versions that took effect before it."""
    pool = [n for n in candidates if before is None or start_of(nodes[n]) < before]
    if date:
        pool = [n for n in pool if start_of(nodes[n]) <= date]
    if not pool:
        return None
    return max(pool, key=lambda n: (start_of(nodes[n]), nodes[n].get("date") or "", n))

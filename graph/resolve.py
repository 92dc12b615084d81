"""Resolve a citation (a 文号 and/or a 《title》) to a document: by number, by title or alias, then fuzzily.

Titles are compared in a normalised form (`normalize_title`). A 印发/转发 notice is indexed under its own
title, under the instrument it carries and under the title with its wrapper stripped, so citing either finds
the one node. Fuzzy matching never compares all pairs: candidates come from an inverted index of the rarest
character trigrams of the query, and only a handful of them are scored with rapidfuzz.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.resources
import heapq
import re
import unicodedata
from collections import Counter, defaultdict
from itertools import chain

from rapidfuzz import fuzz

from polgraph.extract.titles import CARRY_END, CARRY_VERB, normalize_title  # extract/titles.py

FUZZY_THRESHOLD = 85.0  # a prefilter: the canonical-form check below decides
# Blocking: a query's rarest character trigrams pick the candidates; at most _FUZZY_PROBES trigrams and
# _FUZZY_BUDGET posting entries are read per query (so resolution stays linear however common the words),
# and only the _FUZZY_CANDIDATES entries sharing most trigrams are scored with rapidfuzz.
_GRAM = 3
_FUZZY_PROBES = 8
_FUZZY_BUDGET = 6000
_FUZZY_CANDIDATES = 12

_WRAPPER = re.compile("^(?P<head>.*?)" + CARRY_VERB + "(?P<inner>.{4,}?)" + CARRY_END)
_YEARISH = re.compile(r"\d+")
_PLACE = re.compile(r"^(.{1,12}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))")


def unwrap_title(title: str | None) -> str | None:
    """The instrument a 印发/转发 notice title carries (normalised), or None for a plain title."""
    t = normalize_title(title)
    m = _WRAPPER.match(t)
    if not m:
        return None
    inner = m.group("inner")
    return inner or None


def issuerless(title_norm: str) -> str | None:
    """The title from its first 关于 on (citations often name the issuer outside the brackets)."""
    i = title_norm.find("关于")
    if i <= 0:
        return None
    return title_norm[i:]


def title_keys(title: str | None) -> list[str]:
    """Every normalised form under which a title can be cited, most specific first."""
    t = normalize_title(title)
    if not t:
        return []
    keys = [t]
    inner = unwrap_title(t)
    if inner and inner not in keys:
        keys.append(inner)
    return keys


def title_id(title: str) -> str:
    """The stable id of a document known only by its title."""
    return "t:" + hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()[:16]


def year_of_number(doc_number: str | None) -> int | None:
    m = re.search(r"[〔\[(（](\d{4})", doc_number or "")
    return int(m.group(1)) if m else None


def _grams(s: str) -> set[str]:
    return {s[i:i + _GRAM] for i in range(len(s) - _GRAM + 1)}


@functools.lru_cache(maxsize=1)
def title_variants() -> tuple[tuple[str, str], ...]:
    """(variant, canonical) rules from data/title_variants.tsv, longest variant first."""
    text = importlib.resources.files("polgraph.data").joinpath("title_variants.tsv").read_text(encoding="utf-8")
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        variant, _, canonical = line.partition("\t")
        rules.append((normalize_title(variant), normalize_title(canonical)))
    return tuple(sorted(rules, key=lambda r: (-len(r[0]), r[0])))


def canonical_title(title_norm: str) -> str:
    """A normalised title with the tolerated wording variants rewritten (see data/title_variants.tsv)."""
    for variant, canonical in title_variants():
        if variant in title_norm:
            title_norm = title_norm.replace(variant, canonical)
    return title_norm


def _place_of(title_norm: str) -> str | None:
    """The place a title opens with (山西省, 临汾市, 安泽县…), looked for only before its 关于."""
    head = title_norm.split("关于", 1)[0] if "关于" in title_norm else title_norm
    m = _PLACE.match(head)
    return m.group(1) if m else None


class TitleIndex:
    """Titles and aliases of documents → node ids, exact and fuzzy.

    `add(node, title, kind)` indexes every key of a title; kind is "title" (the node's own title) or "alias"
    (a carried instrument, a title it was cited by). Lookups return `(node, method, score)` or None.
    """

    def __init__(self, fuzzy: bool = True):
        self.exact: dict[str, dict[str, str]] = defaultdict(dict)  # key -> {node: method}
        self.short: dict[str, set[str]] = defaultdict(set)  # issuer-less key -> nodes
        # (place the title opens with or "", trigram) -> entry numbers: a fuzzy match must agree on the
        # place, so a query only reads its own place's postings and the place-less ones
        self.postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.entries: list[tuple[str, str]] = []  # (key, node), for fuzzy scoring
        self._fuzzy = fuzzy

    def add(self, node: str, title: str | None, kind: str = "title") -> None:
        keys = title_keys(title)
        for i, key in enumerate(keys):
            method = kind if i == 0 else "alias"
            known = self.exact[key]
            prev = known.get(node)
            if prev == "title":
                continue
            known[node] = method
            if prev is not None:
                continue
            short = issuerless(key)
            if short:
                self.short[short].add(node)
            if self._fuzzy:
                n = len(self.entries)
                self.entries.append((key, node))
                postings = self.postings
                place = _place_of(key) or ""
                for g in _grams(key):
                    postings[(place, g)].append(n)

    def lookup(self, title: str | None, exclude: str | None = None,
               ) -> tuple[list[str], str, bool] | None:
        """Exact matches of a cited title: (candidate nodes sorted, method, weak), or None.

        weak is True for a match on the issuer-less form only, which the caller must check against the
        cited issuer and dates."""
        for i, key in enumerate(title_keys(title)):
            hits = {n: m for n, m in self.exact.get(key, {}).items() if n != exclude}
            if hits:
                nodes = sorted(hits)
                method = "title" if any(m == "title" for m in hits.values()) and i == 0 else "alias"
                return nodes, method, False
        # a cited 《关于…》 without its issuer: only the issuer-less index can find it
        t = normalize_title(title)
        if t.startswith("关于"):
            for key in (t, unwrap_title(t)):
                if key and key in self.short:
                    nodes = sorted(n for n in self.short[key] if n != exclude)
                    if nodes:
                        return nodes, "alias", True
        return None

    def fuzzy(self, title: str | None, accept=None, exclude: str | None = None,
              threshold: float = FUZZY_THRESHOLD, strict: bool = True) -> tuple[str, float] | None:
        """The best fuzzy match above `threshold` that `accept(node)` allows, from blocked candidates.

        strict=False skips the canonical-form check (only for reviewing what that check rejects)."""
        q = normalize_title(title)
        if len(q) < 6:
            return None
        q_place = _place_of(q)
        blocks = ("", q_place) if q_place else ("",)
        grams = [(b, g) for g in _grams(q) for b in blocks if (b, g) in self.postings]
        if not grams:
            return None
        grams.sort(key=lambda bg: (len(self.postings[bg]), bg))
        probes = []
        budget = _FUZZY_BUDGET
        for bg in grams[:_FUZZY_PROBES]:
            posting = self.postings[bg]
            if len(posting) > budget:
                break
            budget -= len(posting)
            probes.append(posting)
        counts = Counter(chain.from_iterable(probes))
        # most shared trigrams first, then the earliest indexed entry: deterministic
        best = heapq.nsmallest(_FUZZY_CANDIDATES, counts.items(), key=lambda kv: (-kv[1], kv[0]))
        best = [e for e, _ in best]
        q_digits = _YEARISH.findall(q)
        q_canon = None
        found: tuple[str, float] | None = None
        for e in best:
            key, node = self.entries[e]
            if node == exclude:
                continue
            score = fuzz.ratio(q, key)
            if score < threshold:
                continue
            # a different year, batch or edition is a different document however similar the words
            if _YEARISH.findall(key) != q_digits:
                continue
            place = _place_of(key)
            if q_place and place and q_place != place:
                continue
            # similar is not enough (合同法 / 劳动合同法, 水法 / 煤炭法): the titles may differ only by the
            # tolerated wording variants
            if strict:
                if q_canon is None:
                    q_canon = canonical_title(q)
                if canonical_title(key) != q_canon:
                    continue
            if accept is not None and not accept(node):
                continue
            if found is None or score > found[1] or (score == found[1] and node < found[0]):
                found = (node, round(float(score), 2))
        return found


def issuer_compatible(cited_issuer: str | None, issuers: list[str] | None, region: str | None = None) -> bool:
    """False only when both sides name an issuer and neither contains the other's place or organ."""
    if not cited_issuer or not issuers:
        return True
    c = normalize_title(cited_issuer)
    for iss in issuers:
        i = normalize_title(iss)
        if c in i or i in c:
            return True
        if c[:2] == i[:2]:
            return True
    if region and normalize_title(region)[:2] == c[:2]:
        return True
    return False

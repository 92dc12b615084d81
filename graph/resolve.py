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
from array import array
from collections import Counter, defaultdict, deque
from itertools import chain, repeat

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
_SMALL = 8  # a key's nodes kept as a tuple up to this many


class _Common:
    """The posting of a trigram in more than _FUZZY_BUDGET entries of a place. No query reads such a posting
    (it sorts after every shorter one and is past any budget), so its entries are not kept: at a million
    documents the common trigrams (人民政, 的通知…) held most entries, each appended and never read."""

    __slots__ = ()

    def __len__(self) -> int:
        return _FUZZY_BUDGET + 1


_COMMON = _Common()
_INDEX_CHUNK = 4096  # entries whose trigrams are gathered at once (bounded memory, whatever a place holds)

_WRAPPER = re.compile("^(?P<head>.*?)" + CARRY_VERB + "(?P<inner>.{4,}?)" + CARRY_END)
_YEARISH = re.compile(r"\d+")
_PLACE = re.compile(r"^(.{1,12}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))")


def unwrap_title(title: str | None) -> str | None:
    """The instrument a 印发/转发 notice title carries (normalised), or None for a plain title."""
    return _unwrap_normalized(normalize_title(title))


def _unwrap_normalized(t: str) -> str | None:
    """`unwrap_title` of a title `normalize_title` has already normalised."""
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
    return list(_title_keys(title)) if title else []


@functools.lru_cache(maxsize=1 << 16)  # a corpus cites the same titles again and again
def _title_keys(title: str) -> tuple[str, ...]:
    t = normalize_title(title)
    if not t:
        return ()
    keys = [t]
    # normalising again is a no-op unless NFKC composes across a dropped mark (is_normalized: a C quick check);
    # skipping it saves a third of the cost of a title's keys, which a big corpus pays for every distinct title
    inner = _unwrap_normalized(t) if unicodedata.is_normalized("NFKC", t) else unwrap_title(t)
    if inner and inner not in keys:
        keys.append(inner)
    return tuple(keys)


def title_id(title: str) -> str:
    """The stable id of a document known only by its title."""
    return "t:" + hashlib.sha1(normalize_title(title).encode("utf-8", "surrogatepass")).hexdigest()[:16]


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
        # Compact at corpus scale (millions of titles): a key's nodes are one node (by its title), one
        # (node, method) pair, a tuple of pairs, or past _SMALL a dict {node: method}; the issuer-less index likewise (node, tuple, set);
        # postings are arrays of 4-byte entry numbers.
        self.exact: dict[str, tuple | dict] = {}  # key -> nodes with their method (title | alias)
        self.short: dict[str, str | tuple | set] = {}  # issuer-less key -> nodes
        # place the title opens with (or "") -> trigram -> entry numbers (an int while there is one): a fuzzy
        # match must agree on the place, so a query only reads its own place's postings and the place-less ones
        self._postings: dict[str, dict[str, int | array]] = {}
        self._grams: dict[str, str] = {}  # one copy of each trigram string across places
        self._entry_keys: list[str] = []  # entry number -> key and node, for fuzzy scoring
        self._entry_nodes: list[str] = []
        self._unindexed: dict[str, array] = {}  # place -> entries added since the postings were last made
        self._common: dict[str, set[str]] = {}  # place -> its trigrams whose posting is _COMMON
        self._fuzzy = fuzzy

    @property
    def postings(self) -> dict[str, dict[str, int | array]]:
        """place -> trigram -> entry numbers (an int while there is one; _COMMON past the budget), made when
        first read after entries were added."""
        if self._unindexed:
            self._index_grams()
        return self._postings

    def _index_grams(self) -> None:
        """The postings of the entries added since the last call, a chunk of a place's entries at a time: a
        trigram's entries are gathered in C (a list per trigram, appended by map) and then stored compactly,
        instead of a Python step per trigram of every entry (most of a million-document build's index time)."""
        keys, one_copy = self._entry_keys, self._grams.setdefault
        unindexed, self._unindexed = self._unindexed, {}
        for place, entries in unindexed.items():
            postings = self._postings.setdefault(place, {})
            common = self._common.setdefault(place, set())  # its trigrams past the budget: nothing to gather
            for lo in range(0, len(entries), _INDEX_CHUNK):
                chunk = entries[lo:lo + _INDEX_CHUNK]
                grams = [_grams(keys[n]) - common for n in chunk] if common else [_grams(keys[n]) for n in chunk]
                gathered: defaultdict[str, list[int]] = defaultdict(list)
                deque(map(list.append, map(gathered.__getitem__, chain.from_iterable(grams)),
                          chain.from_iterable(map(repeat, chunk, map(len, grams)))), maxlen=0)
                del grams
                for g, new in gathered.items():
                    have = postings.get(g)
                    if have is None:
                        g = one_copy(g, g)
                        if len(new) == 1:
                            postings[g] = new[0]
                            continue
                    elif type(have) is int:
                        new.insert(0, have)
                    else:
                        have.extend(new)
                        if len(have) > _FUZZY_BUDGET:
                            postings[g] = _COMMON
                            common.add(g)
                        continue
                    if len(new) <= _FUZZY_BUDGET:
                        postings[g] = array("i", new)
                    else:
                        postings[g] = _COMMON
                        common.add(g)

    @property
    def entries(self) -> list[tuple[str, str]]:
        """(key, node) of every fuzzy entry, by entry number."""
        return list(zip(self._entry_keys, self._entry_nodes))

    def _known(self, key: str) -> dict[str, str]:
        v = self.exact.get(key)
        if v is None:
            return {}
        if type(v) is str:  # one node, by its own title: most keys
            return {v: "title"}
        if type(v) is dict:
            return v
        if type(v[0]) is str:
            return {v[0]: v[1]}
        return dict(v)

    def add(self, node: str, title: str | None, kind: str = "title") -> tuple[str, ...]:
        """Index `title` (kind "title" or "alias") as a name of `node`; returns its keys (title_keys)."""
        keys = _title_keys(title) if title else ()
        exact = self.exact
        for i, key in enumerate(keys):
            if key == title:
                key = title  # the title's own string, not a second copy of it
            method = kind if i == 0 else "alias"
            if key not in exact:  # most keys name one document: no dict of the known nodes to make
                exact[key] = node if method == "title" else (node, method)
            else:
                known = self._known(key)
                prev = known.get(node)
                if prev == "title":
                    continue
                known[node] = method
                if len(known) == 1:
                    exact[key] = node if method == "title" else (node, method)
                else:
                    exact[key] = tuple(known.items()) if len(known) <= _SMALL else known
                if prev is not None:
                    continue
            short = issuerless(key)
            if short:
                have = self.short.get(short)
                if have is None:
                    self.short[short] = node
                elif type(have) is str:
                    if have != node:
                        self.short[short] = (have, node)
                elif type(have) is tuple:
                    if node not in have:
                        self.short[short] = have + (node,) if len(have) < _SMALL else set(have) | {node}
                else:
                    have.add(node)
            if self._fuzzy:
                n = len(self._entry_keys)
                self._entry_keys.append(key)
                self._entry_nodes.append(node)
                place = _place_of(key) or ""
                waiting = self._unindexed.get(place)
                if waiting is None:
                    waiting = self._unindexed[place] = array("i")
                waiting.append(n)  # its trigrams are indexed when the postings are first read
        return keys

    def close(self) -> None:
        """Release what the index holds outside memory (nothing here: graph/diskindex.py's DiskTitleIndex)."""

    def _query_postings(self, blocks: tuple[str, ...], grams) -> dict:
        """(place, trigram) -> the entries of that posting (a sized iterable), for the trigrams of a query."""
        postings = {}
        for b in blocks:
            block = self.postings.get(b, {})
            for g in grams:
                p = block.get(g)
                if p is not None:
                    postings[(b, g)] = (p,) if type(p) is int else p
        return postings

    def _entry(self, e: int) -> tuple[str, str]:
        """(key, node) of fuzzy entry `e`."""
        return self._entry_keys[e], self._entry_nodes[e]

    def _short_nodes(self, key: str):
        have = self.short.get(key)
        return () if have is None else (have,) if type(have) is str else have

    def lookup(self, title: str | None, exclude: str | None = None,
               ) -> tuple[list[str], str, bool] | None:
        """Exact matches of a cited title: (candidate nodes sorted, method, weak), or None.

        weak is True for a match on the issuer-less form only, which the caller must check against the
        cited issuer and dates."""
        exact = self.exact
        keys = _title_keys(title) if title else ()
        for i, key in enumerate(keys):
            v = exact.get(key)
            if v is None:
                continue
            # one document of that key (most): no dict to make
            if type(v) is str:  # by its own title
                if v != exclude:
                    return [v], "title" if i == 0 else "alias", False
                continue
            if type(v) is tuple and type(v[0]) is str:
                if v[0] != exclude:
                    return [v[0]], "title" if v[1] == "title" and i == 0 else "alias", False
                continue
            hits = {n: m for n, m in self._known(key).items() if n != exclude}
            if hits:
                nodes = sorted(hits)
                method = "title" if any(m == "title" for m in hits.values()) and i == 0 else "alias"
                return nodes, method, False
        # a cited 《关于…》 without its issuer: only the issuer-less index can find it. `keys` are the normalised
        # title and what it carries, as normalising and unwrapping again would give (a third of a lookup's cost)
        if keys and keys[0].startswith("关于"):
            for key in keys:
                if key and key in self.short:
                    nodes = sorted(n for n in self._short_nodes(key) if n != exclude)
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
        postings = self._query_postings(blocks, _grams(q))
        grams = list(postings)
        if not grams:
            return None
        grams.sort(key=lambda bg: (len(postings[bg]), bg))
        probes = []
        budget = _FUZZY_BUDGET
        for bg in grams[:_FUZZY_PROBES]:
            posting = postings[bg]
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
            key, node = self._entry(e)
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
    c = _name_key(cited_issuer)
    for iss in issuers:
        i = _name_key(iss)
        if c in i or i in c:
            return True
        if c[:2] == i[:2]:
            return True
    if region and _name_key(region)[:2] == c[:2]:
        return True
    return False


@functools.lru_cache(maxsize=1 << 12)  # a corpus has few issuers and regions, compared for every guarded match
def _name_key(name: str) -> str:
    return normalize_title(name)

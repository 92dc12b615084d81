"""Citation resolution without a graph: a compact key index of the corpus, and a resolver that maps each
record's citations to target ids (corpus documents or placeholders) using only that index.

Two passes over the extraction records, in the same order both times:

1. `KeyIndex.add(record)` for every record, then `KeyIndex.finish()`: the corpus documents (one per version,
   duplicates merged: graph/versions.py), their 文号 keys, title and alias keys, and what disambiguation needs
   (date, issuer, level, region, effective date, version groups). Nothing of a record's citations is kept.
2. `Resolver.resolve(position, record)` for every record (position = its 0-based number in pass 1): one `Link`
   per citation found in the corpus; citations not in the corpus wait. `Resolver.finish()` then gives the links
   to placeholders (cited documents the corpus does not hold), created in the canonical record order (path,
   document id), so the result does not depend on the order the records came in.

`polgraph.graph.build` assembles the graph file from these links; a loader can stream records to Neo4j or CSV
the same way without building any graph. Resolution order for a citation: its 文号 key; its title or alias
(issuer/level/date guards and version choice when several documents share it); a placeholder already made
for the same number or title; a fuzzy title match; a new placeholder.

>>> from polgraph.graph.keyindex import KeyIndex, Resolver
>>> opinion = {"path": "a.txt", "title": "国务院关于深化改革的意见", "doc_number": "国发〔2014〕5号",
...            "issuer": ["国务院"], "date": "2014-03-01", "level": "central", "citations": []}
>>> plan = {"path": "b.txt", "title": "山西省深化改革实施方案", "doc_number": "晋政发〔2014〕9号",
...         "issuer": ["山西省人民政府"], "date": "2014-05-01", "level": "provincial", "citations": [
...             {"doc_number": "国发〔2014〕5号", "title": "国务院关于深化改革的意见", "relation": "IMPLEMENTS"},
...             {"title": "中华人民共和国预算法", "relation": "BASED_ON"}]}
>>> index = KeyIndex()
>>> for record in (opinion, plan):
...     index.add(record)
>>> index.finish()
>>> sorted(index.nodes)                      # corpus documents: id -> node attributes (as in the graph file)
['国发〔2014〕5号', '晋政发〔2014〕9号']
>>> resolver = Resolver(index)
>>> [(l.source, l.target, l.relation, l.method) for p, r in enumerate((opinion, plan)) for l in resolver.resolve(p, r)]
[('晋政发〔2014〕9号', '国发〔2014〕5号', 'IMPLEMENTS', 'number')]
>>> [(l.source, l.target, l.method) for l in resolver.finish()]    # the law is not in the corpus
[('晋政发〔2014〕9号', 't:0974d25ee2eac466', 'placeholder')]
>>> law = resolver.placeholders['t:0974d25ee2eac466']
>>> law['label'], law['in_corpus']
('中华人民共和国预算法', False)
"""
from __future__ import annotations

import hashlib
import re
from array import array
from collections import defaultdict
from functools import lru_cache
from typing import Iterator, NamedTuple

from polgraph.extract.docnumber import number_key, parse_docnumber
from polgraph.extract.levels import bare_organ_word, level_of_agency, level_of_issuer
from polgraph.extract.portal import VALIDITY
from polgraph.graph.model import LEVELS, RELATIONS
from polgraph.graph.resolve import TitleIndex, issuer_compatible, normalize_title, title_id, year_of_number
from polgraph.graph.versions import group_key, in_force_version, start_of, version_groups, version_ids

_AGENCY = re.compile(r"^(.+?)(?:〔|第?\d)")
_NO_STRINGS: tuple = ()


class Link(NamedTuple):
    """One citation resolved: `source` cites `target` (node ids) with `relation`; `method` (number, title, alias,
    fuzzy, placeholder) and `score` say how it was found; `flags` (e.g. number_title_conflict); `citation` is
    the citation as given (a dict, or anything with `.get`), `position` the citing record's pass-1 number."""
    source: str
    target: str
    relation: str
    method: str
    score: float
    flags: tuple
    citation: object
    position: int


class Strings:
    """One copy of each equal string (and tuple of strings): a corpus repeats issuers, dates, cues, cited
    titles and numbers millions of times. Unlike sys.intern, the table goes away with the build."""

    def __init__(self):
        self._table: dict = {}
        self._numbers: dict = {}  # apart: 1 == 1.0 == True would share one object
        # keep(x, x) is self(x) as one C call (None too): a build interns a dozen strings per record
        self.keep = self._table.setdefault

    def clear(self) -> None:
        """Forget the table (the strings stay where they are used)."""
        self._table, self._numbers = {}, {}
        self.keep = self._table.setdefault

    def number(self, n):
        """One copy of each int (text offsets, years: an int past 256 is an object of its own)."""
        if type(n) is not int:
            return n
        return self._numbers.setdefault(n, n)

    def __call__(self, s):
        if s is None:
            return None
        return self._table.setdefault(s, s)

    def tuple(self, items) -> tuple:
        if not items:
            return _NO_STRINGS
        t = tuple(items)
        t = tuple(map(self.keep, t, t))
        return self.keep(t, t)


def own_number(record: dict) -> str | None:
    """The document's own 文号 as its node id reads it: as written, but an order that names its organ by a bare
    word (`政府令〔2012〕第9号`, as law sites print a provincial decree) is qualified by the issuer the record names
    (`江南省人民政府令〔2012〕第9号`): every province has a 政府令〔2012〕第9号."""
    number = record.get("doc_number") or None
    if number and "令" in number:
        parsed = parse_docnumber(number)
        if parsed is not None and parsed.kind == "order" and bare_organ_word(parsed.agency[:-1]):
            word = parsed.agency[:-1]
            organ = next((i for i in record.get("issuer") or () if i.endswith(word) and i != word), None)
            if organ is not None:
                return organ + number[number.index(word) + len(word):]
    return number


def document_id(record: dict) -> str:
    """The 文号's canonical key when known, else a hash of the normalised title, else of the path."""
    if record.get("doc_number"):
        return number_key(own_number(record))
    if normalize_title(record.get("title")):
        return title_id(record["title"])
    return "f:" + hashlib.sha1(str(record.get("path", "")).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _year(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def own_effective(record: dict) -> str | None:
    """The day this version takes effect by its own text (None when its clause is a first version's)."""
    eff = record.get("effective") or {}
    return None if eff.get("original_version") else eff.get("date") or None


def first_version_date(record: dict) -> str | None:
    """The day the document's first version took effect, when its text is a later version's that kept the first
    version's clause (a consolidated law's 本法自1982年11月19日起施行); else None."""
    eff = record.get("effective") or {}
    return eff.get("date") or None if eff.get("original_version") else None


class _Slots:
    """Attributes in slots (the subclass's FIELDS), read and written like a dict."""

    FIELDS: tuple = ()
    _KEYS: frozenset = frozenset()
    __slots__ = ()

    def __getitem__(self, key: str):
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def __setitem__(self, key: str, value) -> None:
        if key not in self._KEYS:
            raise KeyError(key)
        setattr(self, key, value)

    def get(self, key: str, default=None):
        return getattr(self, key, default) if key in self._KEYS else default

    def __contains__(self, key) -> bool:
        return key in self._KEYS

    def __iter__(self):
        return iter(self.FIELDS)

    def __len__(self) -> int:
        return len(self.FIELDS)

    def keys(self):
        return self._KEYS

    def items(self):
        return [(k, getattr(self, k)) for k in self.FIELDS]

    def __eq__(self, other) -> bool:
        return dict(self.items()) == (dict(other.items()) if isinstance(other, _Slots) else other)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.items())!r})"


class Node(_Slots):
    """The attributes of an in-corpus document (graph/model.py), read and written like a dict (`[]`, `get`,
    `keys`, `items`, `dict(node)`): slots instead of a dict's table, for millions of documents."""

    FIELDS = ("label", "title", "aliases", "doc_number", "issuer", "date", "year", "level", "region",
              "in_corpus", "path", "carries", "effective", "first_date", "expires", "validity", "void_on")
    _KEYS = frozenset(FIELDS)
    __slots__ = FIELDS


# a Node's texts: what only its title index and its rows read (graph/stream.py keeps them in a file)
TEXT_FIELDS = ("title", "aliases", "carries", "path", "label")


class LeanNode(_Slots):
    """A Node without its TEXT_FIELDS (graph/stream.py): what resolution, the checks and the statuses read."""

    FIELDS = tuple(f for f in Node.FIELDS if f not in TEXT_FIELDS)
    _KEYS = frozenset(FIELDS)
    __slots__ = tuple(f for f in FIELDS if f != "in_corpus")
    in_corpus = True  # every document of a corpus: a slot less


def document_node(record: dict, strings: Strings | None = None) -> Node:
    """The node attributes of an in-corpus document (graph/model.py); list attributes are tuples here."""
    s = strings or Strings()
    keep = s.keep  # keep(x, x): the shared copy of x
    get = record.get
    node = Node()
    title = get("title") or None
    node.title = title = keep(title, title)
    carries = get("carries")
    if carries:
        node.carries = carries = s.tuple([c for c in carries if c])
        node.aliases = s.tuple(sorted(set(c for c in carries if c != title)))
    else:
        node.carries = node.aliases = _NO_STRINGS
    number = get("doc_number") or None
    node.doc_number = number = keep(number, number)
    date = get("date") or None
    node.date = date = keep(date, date)
    node.label = number or title or s(str(get("path", "")))
    node.issuer = s.tuple(get("issuer") or ())
    node.year = s.number(_year(date))
    level = get("level")
    node.level = keep(level, level) if level in LEVELS else "unknown"
    region = get("region") or None
    node.region = keep(region, region)
    node.in_corpus = True
    path = get("path")
    node.path = str(path) if path is not None else None
    effective = own_effective(record)
    node.effective = keep(effective, effective)
    first = first_version_date(record)
    node.first_date = keep(first, first)
    expires = (get("expires") or {}).get("date") or None
    node.expires = keep(expires, expires)
    validity = get("validity")
    node.validity = keep(validity, validity) if validity in VALIDITY else None
    void_on = get("repeal_date") or None
    node.void_on = keep(void_on, void_on)
    return node


def _merge_duplicate(node: dict, other: dict) -> None:
    """A second file for the same document: keep the first's attributes, remember what the second adds."""
    merge_texts(node, other)
    merge_attributes(node, other)


def merge_texts(node: dict, other: dict) -> None:
    """The title and aliases of `node` after a second file `other` of it (_merge_duplicate)."""
    aliases = set(node["aliases"])
    for t in (other["title"],) + tuple(other["carries"]):
        if t and t != node["title"]:
            aliases.add(t)
    node["aliases"] = tuple(sorted(aliases))
    if not node["title"] and other["title"]:
        node["title"] = other["title"]


def merge_attributes(node: dict, other: dict) -> None:
    """The attributes but texts of `node` after a second file `other` of it (_merge_duplicate)."""
    for key in ("date", "region", "effective", "first_date", "expires", "validity", "void_on"):
        if not node[key] and other[key]:
            node[key] = other[key]
    if node["year"] is None:
        node["year"] = other["year"]
    if node["level"] == "unknown":
        node["level"] = other["level"]
    node["issuer"] = node["issuer"] or other["issuer"]


class KeyIndex:
    """The corpus documents and every key a citation can name them by (pass 1; see the module docstring).

    After `finish()`: `nodes` (id -> node attributes, list attributes as tuples), `merged` ([[id, path]] of
    files merged into a document already seen), `groups` (version groups, oldest first), `numbers` (文号 keys
    of the corpus), `titles` (TitleIndex of titles and aliases), `node_of(position)` (the node of the record
    added at `position`) and `order` (positions in the canonical order: path, then document id)."""

    def __init__(self, strings: Strings | None = None, titles: TitleIndex | None = None):
        self.strings = strings or Strings()
        self._pending: list[tuple] = []  # (path, base id, date for versions, node attributes) per record
        self.nodes: dict[str, dict] = {}
        self.merged: list[list[str]] = []
        self.numbers: set[str] = set()
        self.titles = titles if titles is not None else TitleIndex()  # graph/stream.py: a DiskTitleIndex
        self.groups: list[list[str]] = []
        self.group_of: dict[str, int] = {}
        self.order: list[int] = []
        self._number_keys: dict[str, str] = {}
        self._rank: list[int] = []
        self._node_of: list[str] = []

    def add(self, record: dict) -> None:
        """Index one record (pass 1): its node, not its citations."""
        node = document_node(record, self.strings)
        number = own_number(record)
        base = self.number_key(number) if number else self.strings(document_id(record))
        # the node's path is the same text: one string for both (a million documents: ~100 MB less until finish)
        path = node.path if node.path is not None else str(record.get("path", ""))
        self._pending.append((path, base, node.date or node.effective, node))

    def __len__(self) -> int:
        return len(self._pending) or len(self._node_of)

    def number_key(self, written: str) -> str:
        """number_key of a written 文号, each written form parsed once (a document and its citers write it alike)."""
        key = self._number_keys.get(written)
        if key is None:
            key = self._number_keys[written] = self.strings(number_key(written))
        return key

    def finish(self) -> None:
        """Merge duplicates, number the versions, and index every number, title and alias."""
        pending, self._pending = self._pending, []
        self._set_order(array("l", sorted(range(len(pending)), key=[(p[0], p[1]) for p in pending].__getitem__)))
        ids = version_ids([p[1] for p in pending], [p[2] for p in pending])
        self._node_of = [self.strings(n) for n in ids]
        self.strings.clear()  # every string kept is shared by now; pass 2 makes few new ones
        nodes = self.nodes
        for i in self.order:
            _, base, _, node = pending[i]
            nid = self._node_of[i]
            if nid in nodes:
                _merge_duplicate(nodes[nid], node)
                self.merged.append([nid, node["path"] if node["path"] is not None else "None"])
            else:
                nodes[nid] = node
            if node["doc_number"]:
                self.numbers.add(base)
        del pending
        self.groups = version_groups(nodes, self._index_titles(nodes))
        self.group_of = {n: i for i, members in enumerate(self.groups) for n in members}

    def _set_order(self, order: array) -> None:
        """`order` (positions in the canonical order) and each position's rank in it."""
        self.order = order
        self._rank = array("l", bytes(order.itemsize * len(order)))
        for r, i in enumerate(order):
            self._rank[i] = r

    def _index_titles(self, nodes: dict):
        """Index every node's title and aliases (in node id order) and yield (node id, group_key): the group
        key reuses the normalised title the index made (a million titles: a million NFKC passes less)."""
        add_title = self.titles.add
        for nid, node in sorted(nodes.items()):
            keys = add_title(nid, node["title"], "title")
            for alias in node["aliases"]:
                add_title(nid, alias, "alias")
            yield nid, group_key(node, keys[0] if keys else "")

    def node_of(self, position: int) -> str:
        """The node id of the record added at `position` (0-based) in pass 1."""
        return self._node_of[position]

    def rank(self, position: int) -> int:
        """The place of the record added at `position` in the canonical order (path, document id)."""
        return self._rank[position]


# a placeholder's level is read from its 机关代字 or cited issuer, which a corpus repeats
_agency_level = lru_cache(maxsize=1 << 12)(level_of_agency)
_issuer_level = lru_cache(maxsize=1 << 12)(level_of_issuer)


def level_of_cited(citation) -> tuple[str, str | None]:
    """(level, province) a citation implies for its target: the extractor's level, else the 机关代字, else the
    cited issuer (polgraph.extract.levels)."""
    level = citation.get("cited_level") or "unknown"
    found = []
    number = None if citation.get("anonymised") else citation.get("doc_number")
    m = _AGENCY.match(number or "")
    if m:
        found.append(_agency_level(m.group(1)))
    if citation.get("cited_issuer"):
        found.append(_issuer_level(citation["cited_issuer"]))
    known = [f for f in found if isinstance(f, tuple) and f and f[0] in LEVELS and f[0] != "unknown"]
    if level in LEVELS and level != "unknown":
        region = next((f[1] for f in known if f[0] == level), None)
        return level, (region if level != "central" else None)
    if known:
        return known[0][0], (known[0][1] if known[0][0] != "central" else None)
    return "unknown", None


class Resolver:
    """Pass 2: each record's citations to target ids, with the index alone (see the module docstring).

    `resolve(position, record)` returns the links to corpus documents; `finish()` the links to placeholders,
    whose attributes are then in `placeholders` (id -> node attributes, `in_corpus` False). `dropped` counts
    citations that resolve to nothing (self, anonymised, empty); `conflicts` lists citations whose 文号 and
    title name different documents (the number wins). Records must come in the order of pass 1."""

    def __init__(self, index: KeyIndex, waiting=None):
        self.index = index
        self.placeholders: dict[str, dict] = {}
        self.conflicts: list[dict] = []
        self.dropped: dict[str, int] = defaultdict(int)
        # (rank, n, position, source, date, path, citation) of the citations that wait for finish(): a list, or
        # anything with append() and in_order() (graph/stream.py parks them on disk: a third of all citations)
        self._pending = [] if waiting is None else waiting
        self._ph_titles = TitleIndex(fuzzy=False)  # only exact lookups: a placeholder is not a fuzzy target

    def _number(self, citation) -> str | None:
        written = None if citation.get("anonymised") else citation.get("doc_number")
        if not written:
            return None
        return self.index.number_key(written)

    def resolve(self, position: int, record) -> list[Link]:
        """The links of `record` (added at `position` in pass 1) to corpus documents, in citation order."""
        index = self.index
        nodes = index.nodes
        src = index.node_of(position)
        src_node = nodes[src]
        own_number = index.number_key(src_node["doc_number"]) if src_node["doc_number"] else None
        date = record.get("date")
        path = str(record.get("path")) if record.get("path") is not None else None
        group_of = index.group_of
        numbers, lookup = index.numbers, index.titles.lookup
        links = []
        for n, c in enumerate(record.get("citations") or ()):
            get = c.get
            number = self._number(c)
            if number and number == own_number:
                self.dropped["self"] += 1
                continue
            by_number = number if number in numbers else None
            title = get("title")
            by_title = lookup(title, exclude=src) if title else None
            if by_title is None and title and not number:
                own = index.titles.lookup(title)
                if own and src in own[0]:
                    self.dropped["self"] += 1  # its own title or the instrument it carries
                    continue
            if by_title and src in group_of and not number:
                # its own title names an earlier version (《信访条例》同时废止 in the 2005 信访条例): the one in
                # force before this one; none in the corpus: the citation is of itself, as without versions
                own_group = [m for m in by_title[0] if group_of.get(m) == group_of[src]]
                if own_group:
                    earlier = in_force_version(own_group, nodes, date, before=start_of(src_node))
                    if earlier is None and len(own_group) == len(by_title[0]):
                        self.dropped["self"] += 1
                        continue
                    by_title = ([earlier], by_title[1], False) if earlier else (
                        [m for m in by_title[0] if m not in own_group], by_title[1], by_title[2])
            if by_title and (len(by_title[0]) > 1 or by_title[2]):
                by_title = disambiguate(by_title, c, nodes, src_node, date, group_of)
            relation = get("relation")
            if relation not in RELATIONS:
                relation = "CITES"
            if by_number:
                flags = ()
                # an issuer-less title (weak) shared by many documents is no evidence against the number
                if by_title and not by_title[2] and by_title[0][0] != by_number:
                    flags = ("number_title_conflict",)
                    self.conflicts.append({"source": src, "path": str(record.get("path")), "doc_number": number,
                                           "title": title, "number_target": by_number,
                                           "title_target": by_title[0][0], "start": c.get("start")})
                links.append(Link(src, by_number, relation, "number", 100.0, flags, c, position))
            elif by_title and not changes_later(c, nodes[by_title[0][0]], date):
                links.append(Link(src, by_title[0][0], relation, by_title[1], 100.0, (), c, position))
            elif number or title:
                self._pending.append((index.rank(position), n, position, src, date, path, c))
            else:
                self.dropped["anonymised" if c.get("anonymised") else "empty"] += 1
        return links

    def _placeholder(self, pid: str, c) -> dict:
        ph = self.placeholders.get(pid)
        s = self.index.strings
        number = None if c.get("anonymised") else s(c.get("doc_number"))
        if ph is None:
            ph = self.placeholders[pid] = {
                "label": number or s(c.get("title")) or pid, "title": None, "aliases": [],
                "doc_number": number, "issuer": [], "date": None, "year": year_of_number(number),
                "level": "unknown", "region": None, "in_corpus": False, "path": None, "carries": _NO_STRINGS,
                "effective": None, "first_date": None, "expires": None, "validity": None, "void_on": None}
        if c.get("title"):
            if ph["title"] is None:
                ph["title"] = s(c["title"])
            elif c["title"] != ph["title"] and c["title"] not in ph["aliases"]:
                ph["aliases"].append(s(c["title"]))
            self._ph_titles.add(pid, c["title"], "alias")
        if c.get("cited_issuer") and c["cited_issuer"] not in ph["issuer"]:
            ph["issuer"].append(s(c["cited_issuer"]))
        if ph["level"] == "unknown":
            ph["level"], region = level_of_cited(c)
            ph["region"] = ph["region"] or region
        return ph

    def finish(self) -> Iterator[Link]:
        """The links to placeholders, of every citation `resolve` could not place in the corpus (pass 2 must be
        complete). Placeholders are made in the canonical record order, whatever order pass 2 took."""
        waiting, self._pending = self._pending, []
        # read twice (numbers first): sorted in memory, or a sorted file read again
        pending = waiting.in_order() if hasattr(waiting, "in_order") else sorted(waiting, key=lambda p: (p[0], p[1]))
        nodes = self.index.nodes
        placeholders = self.placeholders

        def link(p, target, method="placeholder", score=100.0):
            c = p[6]
            relation = c.get("relation") if c.get("relation") in RELATIONS else "CITES"
            return Link(p[3], target, relation, method, score, (), c, p[2])

        # 1. numbers missing from the corpus (their cited titles become aliases)
        for p in pending:
            number = self._number(p[6])
            if number:
                self._placeholder(number, p[6])
                yield link(p, number)
        # 2. title-only citations: a placeholder of the same title, a fuzzy corpus match, or a new placeholder
        # A title without its issuer (《关于修改部分地方性法规的决定》) names a different document for each issuer:
        # such placeholders are keyed by the cited issuer, else by the citing document's region or issuer.
        for p in pending:
            _, _, _, src, date, _, c = p
            if self._number(c):
                continue  # placed in 1.
            src_node = nodes[src]
            generic = normalize_title(c["title"]).startswith("关于")
            hit = self._ph_titles.lookup(c["title"])
            if hit and generic:
                hit = disambiguate(([n for n in hit[0] if placeholders[n]["doc_number"]], hit[1], True), c,
                                   placeholders, src_node, date) \
                    if any(placeholders[n]["doc_number"] for n in hit[0]) else None
            elif hit and (len(hit[0]) > 1 or hit[2]):
                hit = disambiguate(hit, c, placeholders, src_node, date)
            if hit:
                yield link(p, hit[0][0])
                continue
            fuzzy = self.index.titles.fuzzy(c["title"], exclude=src,
                                            accept=lambda n: compatible(nodes[n], c, src_node))
            if fuzzy:
                yield link(p, fuzzy[0], "fuzzy", fuzzy[1])
                continue
            if generic:
                qualifier = c.get("cited_issuer") or src_node["region"] or next(iter(src_node["issuer"]), "")
                pid = title_id(qualifier + c["title"]) if qualifier else title_id(c["title"])
            else:
                pid = title_id(c["title"])
            if pid in nodes:  # a repealed earlier version of a corpus document, itself not in the corpus
                pid = f"{pid}@before-{date}"
            ph = self._placeholder(pid, c)
            if generic and not c.get("cited_issuer") and ph["region"] is None:
                ph["region"] = src_node["region"]
            yield link(p, pid)
        for ph in placeholders.values():
            ph["aliases"] = tuple(sorted(set(ph["aliases"]) - {ph["title"]}))
            ph["issuer"] = tuple(ph["issuer"])


def changes_later(c, target: dict, date: str | None) -> bool:
    """True when a title-only REPEALS/AMENDS citation would change a document that took effect after the citing
    one: 《中华人民共和国国家安全法》同时废止 in 2014 repeals the 1993 law, not the 2015 law of that title."""
    return (c.get("relation") in ("REPEALS", "AMENDS") and not c.get("doc_number") and bool(date)
            and start_of(target) > date)


def disambiguate(hit, c, nodes: dict, citing: dict, date: str | None, group_of: dict | None = None):
    """Several documents share a cited title, or only its issuer-less form matched: keep the one the cited
    issuer, level and dates allow; if several remain, the version in force on the citing document's date
    (versions of one document), else the latest not after the citing document."""
    cands, method, weak = hit
    ok = [n for n in cands if compatible(nodes[n], c, citing)]
    if weak and not ok:
        return None
    if len(ok) == 1:
        return [ok[0]], method, weak
    pool = ok or cands
    if group_of and len({group_of.get(n, n) for n in pool}) == 1 and pool[0] in group_of:
        chosen = in_force_version(pool, nodes, date) or min(pool, key=lambda n: (start_of(nodes[n]), n))
        return [chosen], method, weak
    date = date or "9999"
    dated = sorted(pool, key=lambda n: ((nodes[n]["date"] or "") <= date, nodes[n]["date"] or "", n))
    return [dated[-1]], method, weak


def compatible(node: dict, c, citing: dict | None) -> bool:
    """Issuer, level and date guards for a title match that is not exact or not unique."""
    if not issuer_compatible(c.get("cited_issuer"), node.get("issuer"), node.get("region")):
        return False
    cl = c.get("cited_level")
    if cl and cl != "unknown" and node.get("level") not in (None, "unknown") and node["level"] != cl:
        return False
    if citing is not None and citing.get("date") and node.get("date") and node["date"] > citing["date"]:
        return False
    return True

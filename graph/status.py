"""A document's status as of a date, from its own dates and the documents that repeal, amend or replace it.

  in_force           in effect on that day
  amended            a later version or amendment has taken effect: this wording is no longer the current one
                     (an AMENDS or SUPERSEDES edge from a document in force by then, dated after this one)
  repealed           a document in force by then REPEALS it
  expired            past its own term (node `expires`: the last day in force), or out of force by what its portal
                     page says (node `void_on`, `validity`: repealed if the page says 废止)
  not_yet_effective  its effective date is later
  unknown            a placeholder (not in the corpus) that nothing repeals or amends

A document whose title names the one document it implements (data/implementing_titles.tsv: 关于适用《X》…的解释,
X实施细则) falls with it: once X is repealed or expired, it is `expired` from that day, `changed_by` X.

A changing document counts from the day it takes effect (its `effective` date, else its date): 《X》同时废止 in a
document that takes effect on 2021-01-01 repeals X on that day. A changing document without any date is taken as in
force (its existence is the evidence) when it repeals; an amendment counts only when it is dated after the
version (a consolidated text cites the decisions it already contains, dated the same day). `changed_by` / `changed_on` name the document and the day of the change
(for `expired`, changed_by is None and changed_on the first day out of force).
"""
from __future__ import annotations

import datetime
import functools
import operator
import re
from itertools import compress

import networkx as nx

from polgraph.data import table_rows
from polgraph.graph.resolve import title_keys

STATUSES = ("in_force", "amended", "repealed", "expired", "not_yet_effective", "unknown")
# How status_of weighs the changes made to a document: an end (repeal, expiry) over an amendment; of one weight
# the earliest change wins. What a database update merges by (graph/neo4j_store.py).
CHANGE_WEIGHT = {"repealed": 2, "expired": 2, "amended": 1}
NOT_IN_FORCE = ("amended", "repealed", "expired", "not_yet_effective")
REPEALING = ("REPEALS",)
REPLACING = ("AMENDS", "SUPERSEDES")
_relation_of = operator.itemgetter(2)  # of an edge (source, target, relation)


def parse_as_of(value: str | None) -> str:
    """`YYYY-MM-DD` (checked) -> itself; None -> today. ValueError names the bad value."""
    if value is None:
        return datetime.date.today().isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"{value!r}: expected a date YYYY-MM-DD") from None


def in_force_from(node: dict) -> str | None:
    """The day a document takes effect: its effective date, else its date."""
    return node.get("effective") or node.get("date") or None


def _dated(node: dict) -> str | None:
    """The day a version was made (its date, else its effective date): what orders an amendment after it."""
    return node.get("date") or node.get("effective") or None


def _day_after(date: str) -> str:
    try:
        return (datetime.date.fromisoformat(date) + datetime.timedelta(days=1)).isoformat()
    except ValueError:
        return date


@functools.lru_cache(maxsize=1)
def _implemented_pattern() -> re.Pattern:
    """One pattern over a title for the document it implements (group `applied` or `ruled`)."""
    forms: dict[str, list[str]] = {"applies": [], "rules": []}
    for n, parts in table_rows("implementing_titles.tsv"):
        if len(parts) != 2 or parts[0] not in forms or not parts[1]:
            raise ValueError(f"data/implementing_titles.tsv line {n}: expected form<TAB>words, form one of "
                             f"{', '.join(forms)}")
        forms[parts[0]].append(re.escape(parts[1]))
    alts = {k: "|".join(sorted(v, key=len, reverse=True)) for k, v in forms.items()}
    return re.compile(rf"(?:{alts['applies']})《(?P<applied>[^《》]+)》|^《?(?P<ruled>[^《》]+?)》?(?:{alts['rules']})$")


def implemented_title(title: str | None) -> str | None:
    """The title of the one document `title` says it implements, or None.

    >>> implemented_title("最高人民法院关于适用《中华人民共和国合同法》若干问题的解释（一）")
    '中华人民共和国合同法'
    >>> implemented_title("中华人民共和国公民出境入境管理法实施细则")
    '中华人民共和国公民出境入境管理法'
    >>> implemented_title("国务院关于通用航空管理的暂行规定") is None
    True
    """
    m = _implemented_pattern().search(title or "")
    return (m.group("applied") or m.group("ruled")) if m else None


def implemented_node(G: nx.MultiDiGraph, node: str) -> str | None:
    """The document `node` implements by its title, when it also cites it (an edge to a node of that title)."""
    parent = implemented_title(G.nodes[node].get("title"))
    if parent is None:
        return None
    wanted = set(title_keys(parent))
    for target in sorted(set(G.successors(node)) - {node}):
        if wanted & set(title_keys(G.nodes[target].get("title"))):
            return target
    return None


def _fallen_with(G: nx.MultiDiGraph, node: str, as_of: str | None):
    """(day, "expired", parent) when the document `node` implements was repealed or expired by `as_of` (None:
    ever), else None. A placeholder falls with nothing: its title is all that is known of it."""
    if not G.nodes[node].get("in_corpus", True):
        return None
    parent = implemented_node(G, node)
    if parent is None:
        return None
    void = void_from(G, parent, implemented=False)
    if void is None or (as_of is not None and void[0] > as_of):
        return None
    return (void[0], "expired", parent)


def _page_void(attrs: dict) -> tuple[str, str, None]:
    """(void_on, status, None) of a document whose page gives its 废止日期: repealed when its validity says 废止."""
    return (attrs["void_on"], "repealed" if attrs.get("validity") == "repealed" else "expired", None)


def _declared(attrs: dict, as_of: str):
    """(day, status, None) when the document's portal page says it is out of force on `as_of`: from its 废止日期
    (`void_on`, the first day out of force: repealed when the page's validity says 废止, else expired), or its
    validity alone (repealed, expired, amended; day "" -- not known) once it has taken effect; else None."""
    void_on, validity = attrs.get("void_on"), attrs.get("validity")
    if void_on:
        return _page_void(attrs) if void_on <= as_of else None
    if validity in ("repealed", "expired", "amended"):
        start = in_force_from(attrs)
        if start is None or start <= as_of:
            return ("", validity, None)
    return None


def status_of(G: nx.MultiDiGraph, node: str, as_of: str) -> dict:
    """{"status", "changed_by", "changed_on"} of `node` on the day `as_of` (ISO date)."""
    attrs = G.nodes[node]
    start = in_force_from(attrs)
    terminal = []  # (day, status, changed_by)
    replaced = []
    for src, _, rel in G.in_edges(node, keys=True):
        if src == node or rel not in REPEALING + REPLACING:
            continue
        day = in_force_from(G.nodes[src])
        if day is not None and day > as_of:
            continue
        if rel in REPEALING:
            terminal.append((day or "", "repealed", src))
        elif _dated(G.nodes[src]) and _dated(attrs) and _dated(G.nodes[src]) > _dated(attrs):
            replaced.append((day or "", "amended", src))
    expires = attrs.get("expires")
    if expires and expires < as_of:
        terminal.append((_day_after(expires), "expired", None))
    fallen = _fallen_with(G, node, as_of)
    if fallen is not None:
        terminal.append(fallen)
    declared = _declared(attrs, as_of)
    if declared is not None and (declared[0] or not terminal):  # an undated word of the page yields to dated evidence
        (terminal if declared[1] != "amended" else replaced).append(declared)
    for found in (terminal, replaced):
        if found:
            day, status, by = min(found, key=lambda t: (t[0], t[1], t[2] or ""))
            return {"status": status, "changed_by": by, "changed_on": day or None}
    if start is not None and start > as_of:
        return {"status": "not_yet_effective", "changed_by": None, "changed_on": start}
    if not attrs.get("in_corpus", True):
        return {"status": "unknown", "changed_by": None, "changed_on": None}
    return {"status": "in_force", "changed_by": None, "changed_on": start}


def statuses(G: nx.MultiDiGraph, as_of: str) -> dict[str, dict]:
    """status_of every node, by node id (sorted)."""
    return {n: status_of(G, n, as_of) for n in sorted(G.nodes)}


def annotate_status(G: nx.MultiDiGraph, as_of: str) -> None:
    """Set each node's `status`, `status_changed_by`, `status_changed_on`, `status_as_of` as of `as_of` (in
    place) and G.graph["status_as_of"]."""
    for n, s in statuses(G, as_of).items():
        attrs = G.nodes[n]
        attrs["status"] = s["status"]
        attrs["status_changed_by"] = s["changed_by"]
        attrs["status_changed_on"] = s["changed_on"]
        attrs["status_as_of"] = as_of
    G.graph["status_as_of"] = as_of


def in_force_nodes(G: nx.MultiDiGraph, as_of: str) -> set[str]:
    """Nodes in force (or of unknown status: nothing says otherwise) on `as_of`."""
    return {n for n, s in statuses(G, as_of).items() if s["status"] not in NOT_IN_FORCE}


def void_from(G: nx.MultiDiGraph, node: str, implemented: bool = True) -> tuple[str, str, str | None] | None:
    """(day, "repealed" | "expired", changing document) from which `node` is repealed or expired for good, or
    None: the earliest effective repeal, the day after its own term, or (`implemented`) the day the document it
    implements fell."""
    found = []
    for src, _, rel in G.in_edges(node, keys=True):
        if src != node and rel in REPEALING:
            found.append((in_force_from(G.nodes[src]) or "", "repealed", src))
    attrs = G.nodes[node]
    if attrs.get("expires"):
        found.append((_day_after(attrs["expires"]), "expired", None))
    if attrs.get("void_on"):  # the page's 废止日期 (an undated validity says nothing of when)
        found.append(_page_void(attrs))
    if implemented:
        fallen = _fallen_with(G, node, None)
        if fallen is not None:
            found.append(fallen)
    return min(found, key=lambda t: (t[0], t[1], t[2] or "")) if found else None


def void_candidates(nodes, edges) -> set[str]:
    """The nodes for which `void_from` may answer other than None, from the attributes of `nodes` (id ->
    attributes) and the (source, target, relation) of every edge; one pass over each. A node is void only
    when another REPEALS it, when it has its own term (`expires`) or its page's 废止日期 (`void_on`), or when it
    falls with the document it implements — one it cites that is itself repealed or has a term. Asking void_from only of these saves
    reading every cited node's in-edges and implemented title (most of a 1M-document save's time)."""
    # the REPEALS edges picked in C (compress): 0.06 s against 0.10 s for 426k edges tested in Python
    void = {v for u, v, _ in compress(edges, map(REPEALING.__contains__, map(_relation_of, edges))) if u != v}
    void.update(n for n, attrs in nodes.items() if attrs.get("expires") or attrs.get("void_on"))
    if not void:  # nothing repealed or with a term: no pass over the edges for what cites it
        return void
    return void | {u for u, v, _ in edges if v in void and u != v}


def in_force_subgraph(G: nx.MultiDiGraph, as_of: str) -> nx.MultiDiGraph:
    """`G` without the documents out of force on `as_of` (amended, repealed, expired, not yet effective)."""
    keep = in_force_nodes(G, as_of)
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for n in G.nodes if n in keep)
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u in keep and v in keep)
    return H

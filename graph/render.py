"""`polgraph render`: the citation graph as one self-contained, offline, interactive HTML file.

pyvis builds the vis-network node/edge records and options; the page itself comes from our own template
(graph/templates/) with vis-network inlined from graph/static/, because pyvis's stock template loads
Bootstrap, tom-select and vis-network from CDNs. The file makes no request to any host when opened.

Layout is computed here, not by physics in the browser: one band per level (central on top), nodes spread
along the band and wrapped into sub-rows, ordered so that a document sits near what it cites. Physics stays
off, so a 2,000-node file draws at once and the same graph always looks the same.
"""
from __future__ import annotations

import html
import json
import math
import re
from importlib.resources import files
from pathlib import Path

import networkx as nx

from polgraph.errors import LimitError
from polgraph.graph.trace import find_node, select_subgraph
from polgraph.output import write_text_atomic
from polgraph.vocabulary import LEVEL_RANK, LEVEL_TABLE, LEVELS, RELATION_TABLE, level_info, relation_info

PLACEHOLDER_DASHES = [4, 3]
VOID_STATUSES = ("repealed", "expired")  # drawn faded, the label struck through
VOID_OPACITY = 0.35
MAX_MENTIONS_SHOWN = 3  # evidence sentences per edge tooltip; the count of the rest is shown
LABEL_CHARS = 11

# Search keys: the same table drives the Python side and (embedded in the page) the JavaScript side, so a
# 文号 typed in any bracket style finds the node whatever style the source used. A character table rather than
# extract/docnumber.py's parser because the browser applies it to what is typed, number or title words; its brackets
# are the parser's (tests/test_normalisers.py) but for 〈《‘ 〉》’, which in a search belong to a title.
SEARCH_CHAR_MAP = {
    **{c: "〔" for c in "[［【(（﹝〖〘〚"},
    **{c: "〕" for c in "]］】)）﹞〗〙〛"},
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "號": "号",
}
_SEARCH_DROP = re.compile("[ \t\n\r\f\v\u00a0\u2002\u2003\u3000]+")
_SEARCH_YEAR = re.compile(r"〔([0-9]{4})年?〕第?")


def search_key(text: str | None) -> str:
    """Normalise a 文号 or title for search: one bracket style, ASCII digits, no spaces, no 第/年 noise."""
    if not text:
        return ""
    s = "".join(SEARCH_CHAR_MAP.get(c, c) for c in text)
    s = _SEARCH_DROP.sub("", s).lower()
    return _SEARCH_YEAR.sub(r"〔\1〕", s)


def hierarchical_layout(G: nx.MultiDiGraph, dx: float | None = None, dy: float = 110.0,
                        band_gap: float = 170.0, sweeps: int = 3) -> tuple[dict, list]:
    """Positions {node: (x, y)} with one band per level, central on top, and the bands [(level, y0, y1)].

    Within a band nodes are ordered by the mean x of their neighbours in the other bands (barycentre
    sweeps down, up, down), so implementation chains run roughly vertically; documents without edges go
    to the right. A long band wraps into sub-rows of about 1.6 * sqrt(n) nodes so the picture keeps
    near the screen's proportions.
    """
    if dx is None:  # room for an 11-character label when it can be read; tighter when it cannot
        dx = 190.0 if G.number_of_nodes() <= 300 else 110.0
    by_level: dict[str, list] = {}
    for n, d in G.nodes(data=True):
        by_level.setdefault(d.get("level") or "unknown", []).append(n)
    levels = sorted(by_level, key=lambda lv: LEVEL_RANK.get(lv, len(LEVELS)))
    per_row = max(8, math.ceil(1.6 * math.sqrt(max(G.number_of_nodes(), 1))))
    neighbours = {n: sorted({m for m in nx.all_neighbors(G, n) if m != n}, key=str) for n in G.nodes}

    def row_x(nodes):
        xs = {}
        for r in range(0, len(nodes), per_row):
            row = nodes[r:r + per_row]
            for i, n in enumerate(row):
                xs[n] = (i - (len(row) - 1) / 2) * dx
        return xs

    x_of: dict = {}
    for level in levels:
        by_level[level].sort(key=lambda n: (G.nodes[n].get("region") or "", str(n)))
        x_of.update(row_x(by_level[level]))
    order = []
    for k in range(sweeps):
        order += levels if k % 2 == 0 else levels[::-1]
    for level in order:
        def barycentre(n):
            xs = [x_of[m] for m in neighbours[n] if (G.nodes[m].get("level") or "unknown") != level]
            xs = xs or [x_of[m] for m in neighbours[n]]
            if xs:
                return (0, round(sum(xs) / len(xs), 6), str(n))
            return (1, 0.0, G.nodes[n].get("region") or "", str(n))

        by_level[level].sort(key=barycentre)
        x_of.update(row_x(by_level[level]))
    pos: dict = {}
    bands = []
    y = 0.0
    for level in levels:
        nodes = by_level[level]
        y0 = y
        for r in range(0, len(nodes), per_row):
            for n in nodes[r:r + per_row]:
                pos[n] = (round(x_of[n], 1), round(y, 1))
            y += dy
        bands.append((level, y0, y - dy))
        y += band_gap - dy
    return pos, bands


def _doc_key(d: dict, n) -> str:
    parts = [str(n), d.get("doc_number"), d.get("title"), *(d.get("aliases") or [])]
    return "|".join(k for k in (search_key(p) for p in parts if p) if k)


def _untitled_label(d: dict) -> str | None:
    """What to draw for a document with neither title nor 文号, whose label is its file's path (a body-only
    text): its first issuer, else its file name (cut to a short label, a path shows only its first folders)."""
    if d.get("title") or d.get("doc_number") or not d.get("path") or d.get("label") != d.get("path"):
        return None
    issuer = list(d.get("issuer") or [])
    return issuer[0] if issuer else d["path"].replace("\\", "/").rsplit("/", 1)[-1]


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _NodeIds(list):
    """pyvis keeps node ids in a list and tests membership per node and edge (quadratic at 10,000
    nodes); a set beside the list keeps the same order and makes the test constant-time."""

    def __init__(self):
        super().__init__()
        self._members = set()

    def append(self, item):
        self._members.add(item)
        super().append(item)

    def __contains__(self, item):
        return item in self._members


def build_network(H: nx.MultiDiGraph, in_degree: dict | None = None):
    """A pyvis Network holding `H`'s nodes and edges with their styles, positions and tooltip data."""
    from pyvis.network import Network

    in_degree = in_degree if in_degree is not None else {
        n: len(set(H.predecessors(n))) for n in H.nodes}
    pos, bands = hierarchical_layout(H)
    net = Network(directed=True, cdn_resources="in_line")
    net.node_ids = _NodeIds()
    order = sorted(H.nodes, key=lambda n: (LEVEL_RANK.get(H.nodes[n].get("level"), 99), str(n)))
    for n in order:
        d = H.nodes[n]
        level = d.get("level") or "unknown"
        colour = level_info(level).colour
        placeholder = not d.get("in_corpus", False)
        indeg = in_degree.get(n, 0)
        label = d.get("label") or d.get("doc_number") or d.get("title") or str(n)
        status = d.get("status")
        void = status in VOID_STATUSES
        style = {
            "color": ({"background": "#ffffff", "border": colour,
                       "highlight": {"background": "#fdf2e9", "border": colour},
                       "hover": {"background": "#fdf2e9", "border": colour}}
                      if placeholder else
                      {"background": colour, "border": colour,
                       "highlight": {"background": colour, "border": "#17202a"},
                       "hover": {"background": colour, "border": "#17202a"}}),
            "borderWidth": 2 if placeholder else 1,
            "shapeProperties": {"borderDashes": PLACEHOLDER_DASHES if placeholder else False},
            "font": {"color": "#566573" if placeholder or void else "#17202a"},
        }
        shown = str(label) if label == d.get("doc_number") else _short(str(_untitled_label(d) or label))
        if void:  # repealed or expired: faded, and the label struck through (U+0336 on each character)
            style["opacity"] = VOID_OPACITY
            shown = "".join(ch + "\u0336" for ch in shown)
        net.add_node(
            str(n), label=shown, shape="dot", status=status,
            size=round(min(9 + 5 * math.sqrt(indeg), 42), 2),
            x=pos[n][0], y=pos[n][1], level_name=level, placeholder=placeholder, key=_doc_key(d, n),
            info={
                "title": d.get("title"), "doc_number": d.get("doc_number"), "issuer": list(d.get("issuer") or []),
                "date": d.get("date"), "level": level, "region": d.get("region"), "path": d.get("path"),
                "in_corpus": not placeholder, "cited_by": indeg, "aliases": list(d.get("aliases") or []),
                "label": str(label), "status": status, "status_changed_by": d.get("status_changed_by"),
                "status_changed_on": d.get("status_changed_on"), "effective": d.get("effective"),
                "first_date": d.get("first_date"), "expires": d.get("expires"), "validity": d.get("validity"),
                "void_on": d.get("void_on"),
            },
            **style,
        )
    edges = sorted(H.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    pair_seen: dict = {}
    for i, (u, v, k, d) in enumerate(edges):
        rel = d.get("relation") or k
        style = relation_info(rel)
        colour, dashes, width = style.colour, style.dashes, style.width
        mentions = list(d.get("mentions") or [])
        nth = pair_seen.get((u, v), 0)
        pair_seen[(u, v)] = nth + 1
        # straight lines along one row would run through the documents between the two ends, and
        # parallel edges (two relations between one pair) would coincide: bend those
        same_row = pos[u][1] == pos[v][1]
        bend = (0.25 if same_row else 0.0) + 0.15 * nth
        arc = "curvedCW" if pos[u][0] <= pos[v][0] else "curvedCCW"  # bows upwards, away from the labels
        extra = {"smooth": {"enabled": True, "type": arc, "roundness": round(bend, 2)}} if bend else {}
        net.add_edge(
            str(u), str(v), id=f"e{i}", relation=rel, color={"color": colour, "highlight": colour, "hover": colour},
            dashes=dashes, width=width, arrows="to",
            info={
                "relation": rel, "method": d.get("method"), "score": d.get("score"),
                "flags": list(d.get("flags") or []), "mention_count": len(mentions),
                "mentions": [{"sentence": m.get("sentence"), "cue": m.get("cue"), "path": m.get("path")}
                             for m in mentions[:MAX_MENTIONS_SHOWN]],
            },
            **extra,
        )
    net.options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": H.number_of_nodes() > 800,
                        "multiselect": True, "navigationButtons": False, "keyboard": False},
        "nodes": {"font": {"size": 14, "face": FONT_STACK, "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
                  "arrowStrikethrough": False, "selectionWidth": 1.5},
    }
    return net, bands


FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
              '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')


def script_json(obj) -> str:
    """JSON that is safe inside a <script> element: no `</script>`, `<!--` or line separators survive."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def asset(name: str) -> str:
    """A vendored static file or a template part, read from the installed package."""
    base = files("polgraph.graph")
    for folder in ("templates", "static"):
        p = base / folder / name
        if p.is_file():
            return p.read_text(encoding="utf-8")
    raise FileNotFoundError(name)


def fill_template(template: str, values: dict) -> str:
    """Replace each {{name}} in one pass (inserted text is never scanned again); values go in as given."""
    def sub(m):
        return values[m.group(1)]

    return re.sub(r"\{\{([a-z_]+)\}\}", sub, template)


def inline_script(code: str) -> str:
    if re.search(r"</script", code, re.I):
        raise ValueError("inline script contains </script")
    return code


def page_config() -> dict:
    """Styles, names and the search table the page's JavaScript needs (the legend is built from this)."""
    return {
        "levels": [{"name": lv.name, "zh": lv.zh, "colour": lv.colour} for lv in LEVEL_TABLE],
        "relations": [{"name": r.name, "zh": r.zh, "colour": r.colour, "dashes": r.dashes, "width": r.width}
                      for r in RELATION_TABLE],
        "search_map": SEARCH_CHAR_MAP,
        "placeholder_dashes": PLACEHOLDER_DASHES,
        "font": FONT_STACK,
    }


def render_page(H: nx.MultiDiGraph, title: str | None = None, in_degree: dict | None = None,
                links: str = "") -> str:
    """The HTML text for `H` (already filtered); same graph -> same bytes. `links`: HTML put under the heading."""
    net, bands = build_network(H, in_degree=in_degree)
    n_corpus = sum(1 for _, d in H.nodes(data=True) if d.get("in_corpus"))
    title = title or f"polgraph — {n_corpus} documents, {H.number_of_nodes() - n_corpus} missing, " \
                     f"{H.number_of_edges()} citations"
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "bands": [{"level": lv, "y0": y0, "y1": y1} for lv, y0, y1 in bands],
        "config": page_config(),
        "title": title,
    }
    return fill_template(asset("render.html"), {
        "title": html.escape(title),
        "css": asset("render.css"),
        "vis_js": inline_script(asset("vis-network.min.js")),
        "app_js": inline_script(asset("render.js")),
        "data_json": script_json(data),
        "links": links,
    })


class TooManyNodes(LimitError):
    """More documents to draw than the limit: a page that large is slow to open and unreadable."""

    def __init__(self, count: int, limit: int):
        super().__init__(f"{count} nodes to draw, more than the limit of {limit}: draw the neighbourhood of one "
                         "document, fewer levels or relations, or force it")
        self.count, self.limit = count, limit


def render_html(G: nx.MultiDiGraph, output, focus: str | None = None, depth: int | None = None,
                direction: str = "both", levels=None, relations=None, max_nodes: int = 2000,
                force: bool = False, title: str | None = None, diffusion_page=None, statuses=None) -> dict:
    """Write the interactive HTML view of `G` to `output`; return {"nodes": n, "edges": m} drawn.

    The view is `trace.select_subgraph` of the other arguments; more than `max_nodes` documents to draw is a
    TooManyNodes error unless `force`. With `focus` and `diffusion_page` (a path beside `output`), the adoption
    page of the focus document (graph/diffusion.py) is written there too and the view links to it.
    """
    H = select_subgraph(G, focus=focus, depth=depth, direction=direction, levels=levels, relations=relations,
                        statuses=statuses)
    if H.number_of_nodes() > max_nodes and not force:
        raise TooManyNodes(H.number_of_nodes(), max_nodes)
    in_degree = {n: len(set(G.predecessors(n))) for n in H.nodes}
    links = ""
    if focus is not None and diffusion_page is not None:
        from urllib.parse import quote

        from polgraph.graph.diffusion import diffusion, diffusion_html

        write_text_atomic(str(diffusion_page), diffusion_html(diffusion(G, find_node(G, focus))))
        links = (f'<p class="hint"><a id="diffusion-link" href="{html.escape(quote(Path(diffusion_page).name))}">'
                 "采纳情况 Adoption by province →</a></p>")
    text = render_page(H, title=title, in_degree=in_degree, links=links)
    out = Path(output)
    write_text_atomic(out, text)
    return {"nodes": H.number_of_nodes(), "edges": H.number_of_edges()}

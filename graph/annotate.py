"""`polgraph annotate`: one document as an offline HTML page with every citation highlighted and linked.

Citations come from the extractor (their start/end offsets in the decoded text); where each one points
comes from the citation graph of a corpus (--graph, or the document's own folder), so the page agrees with
`polgraph render` and `trace`: the edge that carries the mention names the cited node. The page has no
script at all; every string from a document goes through html.escape.
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from urllib.parse import quote

import networkx as nx

from polgraph.errors import InputError, NotFoundError
from polgraph.graph.render import asset, fill_template
from polgraph.output import write_text_atomic
from polgraph.vocabulary import RELATION_TABLE, level_info, relation_info

def _same_file(a, b) -> bool:
    return a is not None and b is not None and os.path.abspath(str(a)) == os.path.abspath(str(b))


def document_node(G: nx.MultiDiGraph, record: dict):
    """The node of the annotated document in `G`, or None when the graph does not hold it."""
    from polgraph.graph.build import document_id

    nid = document_id(record)
    if nid in G and _same_file(G.nodes[nid].get("path"), record["path"]):
        return nid
    hits = sorted(n for n, d in G.nodes(data=True) if _same_file(d.get("path"), record["path"]))
    return hits[0] if hits else None


def resolve_citations(G: nx.MultiDiGraph, record: dict) -> list:
    """For each citation of `record`, in order: (node, method) it resolves to in `G`, or (None, None).

    When the document is in the graph, the graph's own edges decide (matched by the mention's offsets);
    otherwise the 文号, then the exact title, is looked up.
    """
    from polgraph.graph.trace import find_node

    by_span = {}
    me = document_node(G, record)
    if me is not None:
        for _, v, _, d in G.out_edges(me, keys=True, data=True):
            for m in d.get("mentions") or []:
                if _same_file(m.get("path"), record["path"]):
                    by_span.setdefault((m.get("start"), m.get("end")), (v, d.get("method")))
    out = []
    for c in record["citations"]:
        hit = by_span.get((c["start"], c["end"]))
        if hit is None and me is None:
            if c.get("doc_number") and c["doc_number"] in G:
                hit = (c["doc_number"], "number")
            elif c.get("title") and not c.get("anonymised"):
                try:
                    hit = (find_node(G, c["title"]), "title")
                except NotFoundError:
                    hit = None
        out.append(hit or (None, None))
    return out


def _segments(text: str, spans: list) -> list:
    """Cut `text` at every citation boundary: [(start, end, [citation indexes covering it])]."""
    cuts = {0, len(text)}
    for s, e in spans:
        cuts.update((max(0, min(s, len(text))), max(0, min(e, len(text)))))
    points = sorted(cuts)
    segs = []
    for a, b in zip(points, points[1:]):
        covering = [i for i, (s, e) in enumerate(spans) if s <= a and b <= e]
        segs.append((a, b, covering))
    return segs


def _link(target_path: str | None, output: Path) -> str | None:
    if not target_path:
        return None
    rel = os.path.relpath(os.path.abspath(target_path), os.path.abspath(output.parent))
    return quote(rel.replace(os.sep, "/"), safe="/")


def _badge(i: int, c: dict, node, G, output: Path) -> str:
    esc = html.escape
    rel = c.get("relation") or "CITES"
    colour, zh = relation_info(rel).colour, relation_info(rel).zh
    parts = [f'<sup class="badge" id="b{i}" style="border-color:{colour};color:{colour}">'
             f'<a href="#c{i}">[{i}]</a> {esc(zh)} {esc(rel)} → ']
    if node is None:
        parts.append('<span class="unresolved">未解析 unresolved</span>')
    else:
        d = G.nodes[node]
        href = _link(d.get("path"), output) if d.get("in_corpus") else None
        label = esc(str(d.get("doc_number") or d.get("title") or node))
        if href:
            parts.append(f'<a class="target" href="{esc(href)}">{label}</a>')
        else:
            parts.append(f'<span class="target missing">{label} · 未收录 not in corpus</span>')
    parts.append("</sup>")
    return "".join(parts)


def annotated_text(text: str, record: dict, targets: list, G, output: Path) -> str:
    """The document's text as HTML: each citation span in a <mark>, followed by its relation/target badge."""
    esc = html.escape
    spans = [(c["start"], c["end"]) for c in record["citations"]]
    first_seg_of, last_seg_of = {}, {}
    segs = _segments(text, spans)
    for k, (_, _, cov) in enumerate(segs):
        for i in cov:
            first_seg_of.setdefault(i, k)
            last_seg_of[i] = k
    out = []
    for k, (a, b, cov) in enumerate(segs):
        chunk = esc(text[a:b])
        if cov:
            rels = " ".join(f"rel-{record['citations'][i].get('relation') or 'CITES'}" for i in cov)
            ids = " ".join(str(i + 1) for i in cov)
            first = "".join(f'<span id="m{i + 1}"></span>' for i in cov if first_seg_of[i] == k)
            out.append(f'{first}<mark class="cit {rels}" data-citations="{ids}">{chunk}</mark>')
        else:
            out.append(chunk)
        for i in cov:
            if last_seg_of[i] == k:
                node, _ = targets[i]
                out.append(_badge(i + 1, record["citations"][i], node, G, output))
    return "".join(out)


def citation_table(record: dict, targets: list, G, output: Path) -> str:
    esc = html.escape
    rows = []
    for i, (c, (node, method)) in enumerate(zip(record["citations"], targets), start=1):
        rel = c.get("relation") or "CITES"
        colour, zh = relation_info(rel).colour, relation_info(rel).zh
        if node is None:
            target = '<span class="unresolved">未解析 unresolved</span>'
        else:
            d = G.nodes[node]
            href = _link(d.get("path"), output) if d.get("in_corpus") else None
            name = esc(str(d.get("doc_number") or node))
            title = esc(d.get("title") or "")
            lvl = d.get("level") or "unknown"
            where = (f'<a class="target" href="{esc(href)}">{name}</a>' if href
                     else f'<span class="target missing">{name} · 未收录 not in corpus</span>')
            target = (f'{where}<br><span class="small">{title}</span> '
                      f'<span class="small">[{esc(level_info(lvl).zh)} {esc(lvl)}'
                      f'{" · " + esc(method) if method else ""}]</span>')
        cited = c.get("doc_number_raw") or c.get("doc_number") or ""
        if c.get("title"):
            cited = (cited + " " if cited else "") + f"《{c['title']}》"
        rows.append(
            f'<tr id="c{i}"><td><a href="#m{i}">{i}</a></td>'
            f'<td><span class="rel" style="background:{colour}">{esc(zh)} {esc(rel)}</span></td>'
            f'<td>{esc(c.get("cue") or "")}</td><td>{esc(cited)}'
            f'{" <span class=small>(anonymised)</span>" if c.get("anonymised") else ""}</td>'
            f'<td>{target}</td></tr>')
    if not rows:
        return '<p class="small">No citation found in this document.</p>'
    return ("<table><thead><tr><th>#</th><th>关系 relation</th><th>提示语 cue</th><th>被引文件 cited</th>"
            "<th>链接 resolved to</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _meta(record: dict) -> str:
    esc = html.escape
    lvl = record.get("level") or "unknown"
    items = [("文号", record.get("doc_number")), ("发文机关", "、".join(record.get("issuer") or [])),
             ("日期", record.get("date")),
             ("层级", f"{level_info(lvl).zh} {lvl}"
                      + (f" · {record['region']}" if record.get("region") else "")),
             ("文件", record.get("path"))]
    return "".join(f"<dt>{esc(k)}</dt><dd>{esc(str(v))}</dd>" for k, v in items if v)


def annotate_document(doc, output, graph_source=None, quiet: bool = False) -> dict:
    """Write `doc` as HTML with its citations highlighted and linked; return {"citations": n, "resolved": k}.

    `graph_source` is a corpus or graph file to resolve against (default: the document's own folder).
    A citation counts as resolved when it points at a node of the graph (in the corpus or a placeholder).
    """
    from polgraph.extract.find import extract_text
    from polgraph.extract.read import read_file
    from polgraph.graph.build import open_graph

    docs = read_file(doc)
    if not docs:
        raise InputError(doc, "no document in this file")
    source = graph_source if graph_source is not None else str(Path(doc).parent)
    G = open_graph([source], quiet=quiet)
    out = Path(output)
    sections, n_cit, n_res = [], 0, 0
    title = None
    for d in docs:
        record = extract_text(d.text, d.path, d.overrides, d.header)
        targets = resolve_citations(G, record)
        n_cit += len(targets)
        n_res += sum(1 for node, _ in targets if node is not None)
        title = title or record.get("title") or str(d.path)
        sections.append(
            f'<article><h1>{html.escape(record.get("title") or str(d.path))}</h1><dl class="meta">{_meta(record)}'
            f'</dl><p class="small">{len(targets)} 处引用 citation(s), '
            f'{sum(1 for t in targets if t[0] is not None)} 已解析 resolved.</p>'
            f'<div class="text">{annotated_text(d.text, record, targets, G, out)}</div>'
            f'<h2>引用 Citations</h2>{citation_table(record, targets, G, out)}</article>')
    legend = "".join(
        f'<span class="rel" style="background:{r.colour}">{html.escape(r.zh)} {r.name}</span> '
        for r in RELATION_TABLE)
    page = fill_template(asset("annotate.html"), {
        "title": html.escape(f"polgraph annotate — {title}"),
        "css": asset("annotate.css"),
        "legend": legend,
        "body": "".join(sections),
    })
    write_text_atomic(out, page)
    return {"citations": n_cit, "resolved": n_res}

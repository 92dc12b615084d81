// polgraph render: the page's behaviour. Every string from a document reaches the DOM through
// textContent (never innerHTML), and vis-network never sees a `title`, so its popup cannot parse HTML.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("polgraph-data").textContent);
  var CFG = DATA.config;
  window.__polgraphReady = false;

  var LEVEL = {}, RELATION = {};
  CFG.levels.forEach(function (l) { LEVEL[l.name] = l; });
  CFG.relations.forEach(function (r) { RELATION[r.name] = r; });

  // Mirror of polgraph.graph.render.search_key (the character table comes from Python).
  function searchKey(text) {
    if (!text) return "";
    var out = "";
    for (var ch of String(text)) {
      out += Object.prototype.hasOwnProperty.call(CFG.search_map, ch) ? CFG.search_map[ch] : ch;
    }
    out = out.replace(/[ \t\n\r\f\v\u00a0\u2002\u2003\u3000]+/g, "").toLowerCase();
    return out.replace(/〔([0-9]{4})年?〕第?/g, "〔$1〕");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function levelText(name) {
    var l = LEVEL[name];
    return l ? l.zh + " " + l.name : String(name);
  }

  // Base styles, kept apart from the DataSet so a highlight can always be undone.
  var base = {};
  DATA.nodes.forEach(function (n) {
    base[n.id] = { color: JSON.parse(JSON.stringify(n.color)), font: JSON.parse(JSON.stringify(n.font || {})) };
  });
  var baseEdge = {};
  DATA.edges.forEach(function (e) { baseEdge[e.id] = { color: e.color, width: e.width }; });

  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var levelOn = {}, relationOn = {};
  CFG.levels.forEach(function (l) { levelOn[l.name] = true; });
  CFG.relations.forEach(function (r) { relationOn[r.name] = true; });
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return levelOn[n.level_name] !== false; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return relationOn[e.relation] !== false; } });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.options);
  network.once("afterDrawing", function () {
    window.__polgraphReadyMs = performance.now();
    window.__polgraphReady = true;
  });

  // ---- level bands behind the graph -------------------------------------------------------------
  network.on("beforeDrawing", function (ctx) {
    if (!DATA.bands.length) return;
    var scale = network.getScale();
    var tl = network.DOMtoCanvas({ x: 0, y: 0 });
    var br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    var pad = 55;
    DATA.bands.forEach(function (b, i) {
      if (levelOn[b.level] === false) return;
      ctx.fillStyle = i % 2 ? "#fbfcfc" : "#f4f6f6";
      ctx.fillRect(tl.x, b.y0 - pad, br.x - tl.x, b.y1 - b.y0 + 2 * pad);
      ctx.fillStyle = (LEVEL[b.level] || {}).colour || "#717d7e";
      ctx.font = "bold " + (14 / scale) + "px " + CFG.font;
      ctx.textBaseline = "top";
      ctx.fillText(levelText(b.level), tl.x + 8 / scale, b.y0 - pad + 6 / scale);
    });
  });

  // ---- adjacency over what is visible -------------------------------------------------------------
  var out = {}, inc = {};
  function rebuildAdjacency() {
    out = {}; inc = {};
    var visible = {};
    nodeView.getIds().forEach(function (id) { visible[id] = true; });
    edgeView.get().forEach(function (e) {
      if (!visible[e.from] || !visible[e.to]) return;
      (out[e.from] = out[e.from] || []).push(e);
      (inc[e.to] = inc[e.to] || []).push(e);
    });
  }
  rebuildAdjacency();

  function walk(start, adj, next) {
    var seen = {}, edgeIds = {}, queue = [start];
    seen[start] = true;
    while (queue.length) {
      var u = queue.shift();
      (adj[u] || []).forEach(function (e) {
        edgeIds[e.id] = true;
        var v = next(e);
        if (!seen[v]) { seen[v] = true; queue.push(v); }
      });
    }
    return { nodes: seen, edges: edgeIds };
  }

  // The implementation chain of a document: what it rests on (up) and who implements it (down).
  function chainOf(id) {
    var up = walk(id, out, function (e) { return e.to; });
    var down = walk(id, inc, function (e) { return e.from; });
    var n = Object.assign({}, up.nodes, down.nodes), e = Object.assign({}, up.edges, down.edges);
    return { nodes: n, edges: e, up: Object.keys(up.nodes).length - 1, down: Object.keys(down.nodes).length - 1 };
  }

  var FADED = { background: "#f2f3f4", border: "#d5d8dc", highlight: { background: "#f2f3f4", border: "#d5d8dc" },
                hover: { background: "#f2f3f4", border: "#d5d8dc" } };
  var highlighted = null;
  function highlight(id) {
    var c = chainOf(id);
    highlighted = id;
    nodes.update(nodes.getIds().map(function (nid) {
      return c.nodes[nid] ? { id: nid, color: base[nid].color, font: base[nid].font }
                          : { id: nid, color: FADED, font: { color: "#d0d3d4" } };
    }));
    edges.update(edges.getIds().map(function (eid) {
      return c.edges[eid] ? { id: eid, color: baseEdge[eid].color, width: baseEdge[eid].width + 1.2 }
                          : { id: eid, color: { color: "#eaeded", highlight: "#eaeded", hover: "#eaeded" }, width: baseEdge[eid].width };
    }));
    showDetails(id, c);
    return c;
  }
  function clearHighlight() {
    if (highlighted === null) return;
    highlighted = null;
    nodes.update(nodes.getIds().map(function (nid) { return { id: nid, color: base[nid].color, font: base[nid].font }; }));
    edges.update(edges.getIds().map(function (eid) { return { id: eid, color: baseEdge[eid].color, width: baseEdge[eid].width }; }));
    network.unselectAll();
    document.getElementById("details").hidden = true;
  }

  // ---- details panel and tooltips -----------------------------------------------------------------
  function addRow(box, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    var row = el("div", "tt-row");
    row.appendChild(el("span", null, name));
    row.appendChild(el("span", null, Array.isArray(value) ? value.join("、") : value));
    box.appendChild(row);
  }

  var STATUS_ZH = { in_force: "现行有效", amended: "已被修改", repealed: "已废止", expired: "已失效",
                    not_yet_effective: "尚未生效", unknown: "不明" };

  function nodeTip(n) {
    var i = n.info, box = el("div");
    box.appendChild(el("div", "tt-title", i.title || i.label));
    addRow(box, "文号", i.doc_number);
    addRow(box, "发文机关", i.issuer);
    addRow(box, "日期", i.date);
    addRow(box, "施行", i.effective);
    addRow(box, "首次施行", i.first_date);  // a consolidated text: its first version took effect then
    addRow(box, "有效期至", i.expires);
    if (i.status) addRow(box, "时效", (STATUS_ZH[i.status] || i.status) + " " + i.status +
      (i.status_changed_on ? " · " + i.status_changed_on : "") + (i.status_changed_by ? " · " + i.status_changed_by : ""));
    addRow(box, "层级", levelText(i.level) + (i.region ? " · " + i.region : ""));
    addRow(box, "被引用", i.cited_by + " 份文件 (cited by)");
    if (!i.in_corpus) addRow(box, "状态", "未收录 — cited, not in the corpus");
    addRow(box, "文件", i.path);
    return box;
  }

  function quote(sentence, cue) {
    var q = el("div", "tt-quote");
    var s = String(sentence || "");
    var at = cue ? s.indexOf(cue) : -1;
    if (at < 0) { q.textContent = s; return q; }
    q.appendChild(document.createTextNode(s.slice(0, at)));
    q.appendChild(el("span", "tt-cue", cue));
    q.appendChild(document.createTextNode(s.slice(at + cue.length)));
    return q;
  }

  function edgeTip(e) {
    var i = e.info, box = el("div"), r = RELATION[i.relation] || { zh: "", name: i.relation };
    var from = nodes.get(e.from), to = nodes.get(e.to);
    box.appendChild(el("div", "tt-title", r.zh + " " + i.relation));
    addRow(box, "引用方", from ? from.info.label : e.from);
    addRow(box, "被引用", to ? to.info.label : e.to);
    addRow(box, "匹配", i.method ? i.method + (i.score !== null && i.score !== undefined && i.score < 100 ? " (" + i.score + ")" : "") : null);
    addRow(box, "标记", i.flags);
    (i.mentions || []).forEach(function (m) {
      addRow(box, "提示语", m.cue);
      box.appendChild(quote(m.sentence, m.cue));
    });
    if (i.mention_count > (i.mentions || []).length) {
      box.appendChild(el("div", "tt-row", "… +" + (i.mention_count - i.mentions.length) + " more"));
    }
    return box;
  }

  var tooltip = document.getElementById("tooltip");
  function showTip(content, pointer) {
    tooltip.replaceChildren(content);
    tooltip.hidden = false;
    var r = container.getBoundingClientRect();
    var x = r.left + pointer.x + 14, y = r.top + pointer.y + 14;
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = Math.max(4, r.left + pointer.x - w - 14);
    if (y + h > window.innerHeight - 4) y = Math.max(4, r.top + pointer.y - h - 14);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }
  function hideTip() { tooltip.hidden = true; }
  network.on("hoverNode", function (p) { var n = nodes.get(p.node); if (n) showTip(nodeTip(n), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { var e = edges.get(p.edge); if (e) showTip(edgeTip(e), p.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  function showDetails(id, c) {
    var n = nodes.get(id), body = document.getElementById("details-body");
    var box = nodeTip(n);
    addRow(box, "上溯", c.up + " 份所依据的文件 (rests on)");
    addRow(box, "下贯", c.down + " 份落实/引用它的文件 (implemented by)");
    body.replaceChildren(box);
    document.getElementById("details").hidden = false;
  }

  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) { highlight(p.nodes[0]); }
    else if (!p.edges.length) { clearHighlight(); }
  });
  document.getElementById("clear").addEventListener("click", clearHighlight);

  // ---- search -------------------------------------------------------------------------------------
  function search(query) {
    var status = document.getElementById("search-status");
    var q = searchKey(query);
    clearHighlight();
    network.unselectAll();
    if (!q) { status.textContent = ""; return []; }
    var visible = nodeView.get();
    var hits = visible.filter(function (n) { return n.key.split("|").indexOf(q) >= 0; });
    if (!hits.length) hits = visible.filter(function (n) { return n.key.indexOf(q) >= 0; });
    if (!hits.length) {
      var terms = String(query).split(/[\s\u3000]+/).map(searchKey).filter(Boolean);
      if (terms.length > 1) {
        hits = visible.filter(function (n) { return terms.every(function (t) { return n.key.indexOf(t) >= 0; }); });
      }
    }
    hits.sort(function (a, b) {
      return (b.info.in_corpus - a.info.in_corpus) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var ids = hits.map(function (n) { return n.id; });
    status.textContent = ids.length ? ids.length + " 个匹配 (match" + (ids.length > 1 ? "es" : "") + ")"
                                    : "无匹配 (no match)";
    if (ids.length === 1) {
      highlight(ids[0]);
      network.selectNodes(ids);
      network.focus(ids[0], { scale: Math.max(network.getScale(), 1.0), animation: false });
    } else if (ids.length) {
      network.selectNodes(ids);
      network.fit({ nodes: ids, animation: false });
    }
    return ids;
  }
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(document.getElementById("search").value);
  });

  // ---- filters, legend, counts --------------------------------------------------------------------
  function countBy(list, field) {
    var c = {};
    list.forEach(function (x) { c[x[field]] = (c[x[field]] || 0) + 1; });
    return c;
  }
  function updateCounts() {
    var visible = {};
    nodeView.getIds().forEach(function (id) { visible[id] = true; });
    var m = edgeView.get().filter(function (e) { return visible[e.from] && visible[e.to]; }).length;
    document.getElementById("counts").textContent =
      "显示 " + nodeView.length + " / " + nodes.length + " 个文件, " + m + " / " + edges.length + " 条引用";
  }
  function refilter() {
    clearHighlight();
    nodeView.refresh();
    edgeView.refresh();
    rebuildAdjacency();
    updateCounts();
    network.redraw();
  }
  function filterRow(parent, on, name, swatch, label, count) {
    var row = el("label", "filter");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = name;
    box.addEventListener("change", function () { on[name] = box.checked; refilter(); });
    row.appendChild(box);
    row.appendChild(swatch);
    row.appendChild(el("span", null, label));
    row.appendChild(el("span", "count", count));
    parent.appendChild(row);
  }
  var levelCounts = countBy(DATA.nodes, "level_name");
  CFG.levels.forEach(function (l) {
    if (!levelCounts[l.name]) return;
    var s = el("span", "swatch"); s.style.background = l.colour;
    filterRow(document.getElementById("level-filters"), levelOn, l.name, s, l.zh + " " + l.name, levelCounts[l.name]);
  });
  var relationCounts = countBy(DATA.edges, "relation");
  CFG.relations.forEach(function (r) {
    if (!relationCounts[r.name]) return;
    var s = el("span", "line");
    s.style.borderTopColor = r.colour;
    s.style.borderTopStyle = r.dashes ? "dashed" : "solid";
    s.style.borderTopWidth = Math.max(2, r.width) + "px";
    filterRow(document.getElementById("relation-filters"), relationOn, r.name, s, r.zh + " " + r.name, relationCounts[r.name]);
  });
  document.getElementById("heading").textContent = DATA.title;
  updateCounts();
  network.fit({ animation: false });
  // a margin so the outermost labels and the band names are not cut at the edge
  network.moveTo({ scale: network.getScale() * 0.92, animation: false });

  window.polgraph = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    searchKey: searchKey, search: search, highlight: highlight, clearHighlight: clearHighlight,
    chainOf: chainOf
  };
})();

/* The stakeholder map's page script (inlined into every map by viz/map_html.py).
 *
 * Every string that comes from the data is rendered with textContent or as a DOM text node,
 * never parsed as markup; tooltips are DOM elements handed to vis-network; a URL becomes a
 * link only when its scheme is http or https. The page makes no request of any kind.
 *
 * The page's words come in the map's language from the JSON block "map-strings" (written by
 * viz/map_html.py from the message catalogue), looked up with t() and set as text like the
 * data; the labels of kinds, sectors, countries and relations come with the data.
 */
(function () {
  "use strict";

  // start-up milestones for bench/bench_maps.py (performance marks: no effect on the page)
  function mark(name) {
    if (performance.mark) performance.mark("map:" + name);
  }
  mark("script");

  function readJSON(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  const data = readJSON("map-data");
  const strings = readJSON("map-strings");
  const foldTable = readJSON("fold-table");
  mark("json");
  const SVG_NS = "http://www.w3.org/2000/svg";
  const hasOwn = Object.prototype.hasOwnProperty;

  // --- the page's words ----------------------------------------------------------------

  // strings[key] with its {name} placeholders filled from `values` (as text: no pattern of
  // String.replace applies to what is put in)
  function t(key, values) {
    const text = hasOwn.call(strings, key) ? String(strings[key]) : key;
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return hasOwn.call(values, name) ? String(values[name]) : whole;
    });
  }

  // --- DOM helpers: text only ----------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function safeHref(url) {
    try {
      const parsed = new URL(String(url));
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (err) {
      return null;
    }
  }

  function urlNode(url) {
    const href = safeHref(url);
    if (!href) return el("span", "url", url);
    const a = el("a", "url", url);
    a.href = href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }

  // --- name folding: the same table and steps as graph/names.py:fold ------------------

  const nonWord = new RegExp(foldTable.non_word, "g");

  function fold(text) {
    let latin = "";
    for (const ch of String(text).toLowerCase()) {
      latin += hasOwn.call(foldTable.cyrillic, ch) ? foldTable.cyrillic[ch] : ch;
    }
    let plain = "";
    for (const ch of latin) {
      plain += hasOwn.call(foldTable.special, ch) ? foldTable.special[ch] : ch;
    }
    plain = plain.normalize("NFKD").replace(/\p{Mn}/gu, "");
    return plain.replace(nonWord, " ").trim();
  }

  // --- data ----------------------------------------------------------------------------

  const byId = new Map();
  for (const n of data.nodes) byId.set(n.id, n);
  const edgeById = new Map();
  for (const e of data.edges) edgeById.set(e.id, e);
  const bucketLabel = {};
  for (const axis of Object.keys(data.filters)) {
    bucketLabel[axis] = new Map(data.filters[axis].map((b) => [b.key, b.label]));
  }
  const relationLabel = new Map(data.legend.edges.map((item) => [item.key, item.label]));

  function kindWords(kind) {
    return bucketLabel.kind.get(kind) || kind.replace(/_/g, " ");
  }

  function relationWords(type) {
    return relationLabel.get(type) || type.replace(/_/g, " ");
  }

  function describe(n) {
    if (n.kind === "step") return t("referral step");
    const parts = [kindWords(n.kind)];
    if (n.sector) parts.push(bucketLabel.sector.get(n.sector) || n.sector);
    if (n.country) parts.push(bucketLabel.country.get(n.country));
    return parts.join(" · ");
  }

  // the field a tooltip quotes (its index is in the data: field names are in the map's language)
  function tipText(item) {
    const f = typeof item.tip === "number" ? item.fields[item.tip] : null;
    return f ? f[1] : "";
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  function nodeTooltip(n) {
    const box = el("div", "tip");
    box.appendChild(el("strong", "tip-name", n.name));
    box.appendChild(el("div", "tip-meta", describe(n)));
    const text = tipText(n);
    if (text) box.appendChild(el("div", "tip-text", shorten(text, 280)));
    box.appendChild(el("div", "tip-hint", t("tooltip hint")));
    return box;
  }

  function edgeTooltip(e) {
    const box = el("div", "tip");
    box.appendChild(el("strong", "tip-name", relationWords(e.type)));
    box.appendChild(el("div", "tip-meta", byId.get(e.from).name + " → " + byId.get(e.to).name));
    const note = tipText(e);
    if (note) box.appendChild(el("div", "tip-text", shorten(note, 280)));
    return box;
  }

  // a large map makes each tooltip when the pointer first comes over its node or line
  // (tipOnHover): thousands of them made up front cost a second before the first draw
  const lazyTips = Boolean(data.large);

  function visNode(n) {
    const item = {
      id: n.id,
      label: n.label,
      x: n.x,
      y: n.y,
      shape: n.shape,
      size: n.size,
      color: {
        background: n.color,
        border: "#37474f",
        highlight: { background: n.color, border: "#000000" },
        hover: { background: n.color, border: "#000000" },
      },
    };
    if (!lazyTips) item.title = nodeTooltip(n);  // no title key at all: even undefined costs vis-network
    if (n.dim) item.opacity = 0.45;
    if (n.kind === "step") {
      item.font = { color: "#ffffff", size: 16, face: "sans-serif", multi: false };
      item.margin = 10;
      item.widthConstraint = { maximum: 260 };
    } else if (n.shape === "box" || n.shape === "ellipse") {
      item.font = { color: "#111111", size: data.large ? 10 : 11 };
      item.widthConstraint = { maximum: 150 };
    }
    return item;
  }

  function visEdge(e) {
    const style = data.edge_styles[e.type];
    const item = {
      id: e.id,
      from: e.from,
      to: e.to,
      width: style.width,
      dashes: e.dashes || false,
      color: { color: style.color, highlight: "#000000", hover: "#000000", opacity: 0.85 },
      arrows: { to: { enabled: style.arrow, scaleFactor: 0.55 } },
      smooth: e.curve ? { enabled: true, type: "curvedCW", roundness: 0.18 * e.curve } : false,
    };
    if (!lazyTips) item.title = edgeTooltip(e);
    return item;
  }

  // --- what is shown: checkboxes for sectors, kinds and countries --------------------

  const hidden = { sector: new Set(), kind: new Set(), country: new Set() };

  function isShown(n) {
    if (n.kind === "step") return true;
    return !hidden.kind.has(n.kind) && !hidden.sector.has(n.sector) && !hidden.country.has(n.country);
  }

  const nodeSet = new vis.DataSet(data.nodes.map(visNode));
  // a large map draws its records first and adds its relations right after (addRelations)
  const edgeSet = new vis.DataSet(data.large ? [] : data.edges.map(visEdge));
  const nodeView = new vis.DataView(nodeSet, { filter: (item) => isShown(byId.get(item.id)) });
  const edgeView = new vis.DataView(edgeSet, {
    filter: (item) => isShown(byId.get(item.from)) && isShown(byId.get(item.to)),
  });
  mark("datasets");

  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 42 },
    interaction: {
      hover: true,
      tooltipDelay: 150,
      hideEdgesOnDrag: data.large,
      hideEdgesOnZoom: data.large,
      keyboard: false,
      navigationButtons: false,
    },
    nodes: {
      borderWidth: 1,
      font: { size: data.large ? 11 : 14, face: "sans-serif", color: "#1a1a1a", strokeWidth: 3, strokeColor: "#ffffff" },
    },
    edges: { selectionWidth: 1.5, hoverWidth: 0.5 },
  });

  mark("network");
  network.fit({ animation: false });
  mark("fit");
  const state = { firstDraw: null, complete: null, selected: null };

  function drawnWhole() {
    state.complete = performance.now();
    document.body.setAttribute("data-complete", "yes");
  }

  function addRelations() {
    network.once("afterDrawing", function () {
      mark("complete");
      drawnWhole();
    });
    edgeSet.add(data.edges.map(visEdge));
  }

  network.once("afterDrawing", function () {
    mark("drawn");
    state.firstDraw = performance.now();
    document.body.setAttribute("data-drawn", "yes");
    if (data.large) setTimeout(addRelations, 0);
    else drawnWhole();
  });

  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
  }

  const checkboxes = { sector: new Map(), kind: new Map(), country: new Map() };

  function buildFilters() {
    const titles = { sector: t("sectors"), kind: t("kinds"), country: t("countries") };
    const host = document.getElementById("filters");
    for (const axis of ["sector", "kind", "country"]) {
      const set = el("fieldset", "filter-group");
      set.appendChild(el("legend", null, titles[axis]));
      for (const bucket of data.filters[axis]) {
        const label = el("label", "filter");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.checked = true;
        box.setAttribute("data-axis", axis);
        box.addEventListener("change", function () {
          if (box.checked) hidden[axis].delete(bucket.key);
          else hidden[axis].add(bucket.key);
          refresh();
        });
        checkboxes[axis].set(bucket.key, box);
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + bucket.label + " (" + bucket.count + ")"));
        set.appendChild(label);
      }
      host.appendChild(set);
    }
  }

  function reveal(n) {
    for (const axis of ["sector", "kind", "country"]) {
      if (hidden[axis].delete(n[axis])) checkboxes[axis].get(n[axis]).checked = true;
    }
    refresh();
  }

  // --- legend --------------------------------------------------------------------------

  function svg(width, height) {
    const s = document.createElementNS(SVG_NS, "svg");
    s.setAttribute("width", String(width));
    s.setAttribute("height", String(height));
    s.setAttribute("aria-hidden", "true");
    return s;
  }

  function shapeIcon(shape) {
    const s = svg(18, 18);
    let part;
    const points = {
      diamond: "9,1 17,9 9,17 1,9",
      triangle: "9,2 17,16 1,16",
      triangleDown: "1,2 17,2 9,16",
      hexagon: "5,2 13,2 17,9 13,16 5,16 1,9",
      star: "9,1 11.4,6.6 17,6.8 12.6,10.6 14,16.5 9,13.2 4,16.5 5.4,10.6 1,6.8 6.6,6.6",
    };
    if (points[shape]) {
      part = document.createElementNS(SVG_NS, "polygon");
      part.setAttribute("points", points[shape]);
    } else if (shape === "square" || shape === "box") {
      part = document.createElementNS(SVG_NS, "rect");
      part.setAttribute("x", "2");
      part.setAttribute("y", shape === "box" ? "5" : "2");
      part.setAttribute("width", "14");
      part.setAttribute("height", shape === "box" ? "9" : "14");
    } else if (shape === "ellipse") {
      part = document.createElementNS(SVG_NS, "ellipse");
      part.setAttribute("cx", "9");
      part.setAttribute("cy", "9");
      part.setAttribute("rx", "8");
      part.setAttribute("ry", "5");
    } else {
      part = document.createElementNS(SVG_NS, "circle");
      part.setAttribute("cx", "9");
      part.setAttribute("cy", "9");
      part.setAttribute("r", "7");
    }
    part.setAttribute("fill", "#ffffff");
    part.setAttribute("stroke", "#37474f");
    part.setAttribute("stroke-width", "1.5");
    s.appendChild(part);
    return s;
  }

  function lineIcon(style) {
    const s = svg(40, 12);
    const line = document.createElementNS(SVG_NS, "line");
    line.setAttribute("x1", "1");
    line.setAttribute("y1", "6");
    line.setAttribute("x2", "39");
    line.setAttribute("y2", "6");
    line.setAttribute("stroke", style.color);
    line.setAttribute("stroke-width", String(style.width + 0.5));
    if (style.dashes) line.setAttribute("stroke-dasharray", style.dashes.join(" "));
    if (style.grey) line.setAttribute("stroke", "#37474f");
    s.appendChild(line);
    return s;
  }

  function buildLegend() {
    const host = document.getElementById("legend");
    const groups = [
      [t("legend colour"), data.legend.colors, function (item) {
        const swatch = el("span", "swatch");
        swatch.style.backgroundColor = item.color;
        return swatch;
      }],
      [t("legend shape"), data.legend.kinds, function (item) { return shapeIcon(item.shape); }],
      [t("legend lines"), data.legend.edges, function (item) { return lineIcon(item); }],
      [t("legend basis"), data.legend.bases || [], function (item) {
        return lineIcon({ color: "#37474f", width: 1.5, dashes: item.dashes, grey: true });
      }],
    ];
    for (const [title, items, icon] of groups) {
      if (!items.length) continue;
      host.appendChild(el("h3", null, title));
      const list = el("ul", "legend-list");
      for (const item of items) {
        const li = el("li");
        li.appendChild(icon(item));
        li.appendChild(el("span", "legend-label", item.label));
        list.appendChild(li);
      }
      host.appendChild(list);
    }
    host.appendChild(el("p", "legend-note", t("legend note")));
  }

  // --- details panel -------------------------------------------------------------------

  const details = document.getElementById("details");

  function sourceItem(index) {
    const s = data.sources[index];
    const li = el("li", "source");
    li.appendChild(el("span", "source-number", "[" + (index + 1) + "] "));
    li.appendChild(el("span", "source-title", s.title));
    if (s.publisher) li.appendChild(el("span", "source-publisher", " — " + s.publisher));
    if (s.date) li.appendChild(el("span", "source-date", " (" + s.date + ")"));
    if (s.url) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(urlNode(s.url));
    }
    return li;
  }

  function fieldList(fields) {
    const dl = el("dl", "fields");
    for (const f of fields) {
      dl.appendChild(el("dt", null, f[0]));
      const dd = el("dd");
      if (/^https?:\/\//i.test(f[1])) dd.appendChild(urlNode(f[1]));
      else dd.textContent = f[1];
      dl.appendChild(dd);
    }
    return dl;
  }

  function sourcesBlock(refs) {
    const wrap = el("div", "sources-block");
    wrap.appendChild(el("h3", null, refs.length ? t("sources") : t("no sources")));
    const list = el("ul", "source-list");
    for (const i of refs) list.appendChild(sourceItem(i));
    wrap.appendChild(list);
    return wrap;
  }

  function goButton(id, text) {
    const b = el("button", "go", text);
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id); });
    return b;
  }

  function showNode(id) {
    const n = byId.get(id);
    clear(details);
    details.appendChild(el("h2", null, n.name));
    details.appendChild(el("p", "meta", describe(n) + (n.kind === "step" ? "" : " · " + t("id", { id: n.id }))));
    details.appendChild(fieldList(n.fields));
    const related = data.edges.filter((e) => e.from === id || e.to === id);
    if (related.length) {
      details.appendChild(el("h3", null, t("relations", { count: related.length })));
      const list = el("ul", "relations");
      for (const e of related) {
        const out = e.from === id;
        const other = byId.get(out ? e.to : e.from);
        const li = el("li");
        li.appendChild(el("span", "relation", (out ? "→ " : "← ") + relationWords(e.type) + ": "));
        li.appendChild(goButton(other.id, other.name));
        for (const f of e.fields) li.appendChild(el("div", "relation-note", f[0] + ": " + f[1]));
        list.appendChild(li);
      }
      details.appendChild(list);
    }
    if (n.kind !== "step") details.appendChild(sourcesBlock(n.src));
    state.selected = id;
  }

  function showEdge(id) {
    const e = edgeById.get(id);
    clear(details);
    details.appendChild(el("h2", null, relationWords(e.type)));
    const p = el("p", "meta");
    p.appendChild(goButton(e.from, byId.get(e.from).name));
    p.appendChild(document.createTextNode(" → "));
    p.appendChild(goButton(e.to, byId.get(e.to).name));
    details.appendChild(p);
    details.appendChild(fieldList(e.fields));
    details.appendChild(sourcesBlock(e.src));
    state.selected = id;
  }

  function selectNode(id) {
    const n = byId.get(id);
    if (!n) return false;
    if (!isShown(n)) reveal(n);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    showNode(id);
    return true;
  }

  function tipOnHover(set, tooltip, lookup) {
    const made = new Set();
    return function (id) {
      if (made.has(id)) return;
      made.add(id);
      set.update({ id: id, title: tooltip(lookup.get(id)) });
    };
  }

  if (lazyTips) {
    const nodeTip = tipOnHover(nodeSet, nodeTooltip, byId);
    const edgeTip = tipOnHover(edgeSet, edgeTooltip, edgeById);
    network.on("hoverNode", function (params) { nodeTip(params.node); });
    network.on("hoverEdge", function (params) { edgeTip(params.edge); });
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // --- search --------------------------------------------------------------------------

  let searchIndex = null;

  function search(query) {
    const q = fold(query);
    if (!q) return [];
    if (!searchIndex) {
      searchIndex = data.nodes.map((n) => ({
        id: n.id,
        name: n.name,
        keys: [n.name, n.id].concat(n.alt || []).map(fold).filter(Boolean),
      }));
    }
    const hits = [];
    for (const entry of searchIndex) {
      let best = 9;
      for (const key of entry.keys) {
        let rank = 9;
        if (key === q) rank = 0;
        else if (key.startsWith(q)) rank = 1;
        else if ((" " + key).includes(" " + q)) rank = 2;
        else if (key.includes(q)) rank = 3;
        if (rank < best) best = rank;
      }
      if (best < 9) hits.push([best, entry.name, entry.id]);
    }
    hits.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    return hits.map((h) => h[2]);
  }

  const searchBox = document.getElementById("search");
  const results = document.getElementById("search-results");

  function showResults() {
    clear(results);
    const found = search(searchBox.value);
    if (searchBox.value.trim() && !found.length) {
      results.appendChild(el("li", "no-result", t("no match")));
      return found;
    }
    for (const id of found.slice(0, 20)) {
      const n = byId.get(id);
      const li = el("li");
      const b = goButton(id, n.name);
      b.appendChild(el("span", "result-kind", " " + describe(n)));
      li.appendChild(b);
      results.appendChild(li);
    }
    return found;
  }

  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      const found = showResults();
      if (found.length) selectNode(found[0]);
    }
  });

  // --- page ----------------------------------------------------------------------------

  document.title = data.title;
  document.getElementById("title").textContent = data.title;
  document.getElementById("subtitle").textContent = data.subtitle;
  const allSources = document.getElementById("all-sources");
  data.sources.forEach(function (s, i) { allSources.appendChild(sourceItem(i)); });
  document.getElementById("sources-count").textContent = String(data.sources.length);
  buildFilters();
  buildLegend();
  mark("ready");

  window.stakeholderMap = {
    network: network,
    nodes: nodeSet,
    edges: edgeSet,
    fold: fold,
    search: search,
    selectNode: selectNode,
    state: state,
  };
})();

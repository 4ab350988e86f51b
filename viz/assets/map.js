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
  const relationLabel = new Map(Object.entries(data.relations || {}));

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

  // --- the timeline's data: each item's status on a day (computed in Python, viz/timeline.py) ----
  // data.timeline.days: the sorted days (YYYY-MM-DD) on which any status changes; an item's code
  // is its status before the first of them, then (index of a day, new status) pairs: "p3a7u".
  // The codes of the nodes and of the edges are joined by commas, in the order of data.nodes
  // and data.edges (empty for an item without dates); the steps' are keyed by id.

  const timeline = data.timeline || null;
  const timed = timeline ? timeline.days.length > 0 : false;
  const runsOf = { node: new Map(), edge: new Map(), step: new Map() };

  function decode(code) {
    const runs = [[-1, code.charAt(0)]];
    code.slice(1).replace(/(\d+)([a-z])/g, function (whole, index, state) {
      runs.push([Number(index), state]);
      return whole;
    });
    return runs;
  }

  if (timeline) {
    for (const [group, items] of [["node", data.nodes], ["edge", data.edges]]) {
      const codes = timeline[group + "s"] ? timeline[group + "s"].split(",") : [];
      codes.forEach(function (code, i) { if (code && items[i]) runsOf[group].set(items[i].id, decode(code)); });
    }
    for (const id of Object.keys(timeline.steps || {})) runsOf.step.set(id, decode(timeline.steps[id]));
  }

  // how many change days are on or before `day` (days are ISO dates: text order is date order)
  function daysUpTo(day) {
    const days = timeline.days;
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid] <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function codeAt(runs, upTo) {
    let state = runs[0][1];
    for (let k = 1; k < runs.length && runs[k][0] < upTo; k++) state = runs[k][1];
    return state;
  }

  // the status code of every timed item on one day: {node: Map, edge: Map, step: Map}
  function codesOn(day) {
    const upTo = daysUpTo(day);
    const out = {};
    for (const group of Object.keys(runsOf)) {
      out[group] = new Map();
      for (const [id, runs] of runsOf[group]) out[group].set(id, codeAt(runs, upTo));
    }
    return out;
  }

  const shownOn = { day: timeline ? timeline.as_of : null, codes: timeline ? codesOn(timeline.as_of) : null };

  function isDimmedCode(code) {
    return code !== undefined && timeline.dimmed.indexOf(code) >= 0;
  }

  // a node drawn faded on the day shown: ended or planned then (without a timeline, as the data says)
  function nodeDimmed(id) {
    if (!timeline) return Boolean(byId.get(id).dim);
    return isDimmedCode(shownOn.codes.node.get(id));
  }

  function edgeDimmed(e) {
    if (!timeline) return false;
    return isDimmedCode(shownOn.codes.edge.get(e.id)) || nodeDimmed(e.from) || nodeDimmed(e.to);
  }

  function stepGap(n) {
    if (timeline && shownOn.codes.step.has(n.id)) return shownOn.codes.step.get(n.id) === "g";
    return Boolean(n.gap);
  }

  // a record's or relation's status on the day shown, in words, as a details field (or null)
  function statusField(group, id) {
    if (!timeline || !shownOn.codes[group].has(id)) return null;
    const code = shownOn.codes[group].get(id);
    return [timeline.status_label, t("status on", { status: timeline.words[code] || code, date: shownOn.day })];
  }

  // the fields shown for a record or relation on the day shown: its status then, a step's gap then
  function shownFields(group, item) {
    if (!timeline) return item.fields;
    if (group === "step") {
      const gapName = item.gap_field ? item.gap_field[0] : null;
      const fields = item.fields.filter((f) => f[0] !== gapName);
      if (item.gap_field && stepGap(item)) fields.push(item.gap_field);
      return fields;
    }
    const status = statusField(group, item.id);
    if (!status) return item.fields;
    return item.fields.filter((f) => f[0] !== timeline.status_label).concat([status]);
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
    if (nodeDimmed(n.id)) item.opacity = DIM_OPACITY;
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

  function edgeColor(e) {
    const style = data.edge_styles[e.type];
    return { color: style.color, highlight: "#000000", hover: "#000000",
             opacity: edgeDimmed(e) ? 0.2 : geoPanelEdge(e) ? 0.3 : 0.85 };
  }

  function visEdge(e) {
    const style = data.edge_styles[e.type];
    const item = {
      id: e.id,
      from: e.from,
      to: e.to,
      width: style.width,
      dashes: e.dashes || false,
      color: edgeColor(e),
      arrows: { to: { enabled: style.arrow, scaleFactor: 0.55 } },
      smooth: e.curve ? { enabled: true, type: "curvedCW", roundness: 0.18 * e.curve } : false,
    };
    if (!lazyTips) item.title = edgeTooltip(e);
    return item;
  }

  // --- what is shown: checkboxes for sectors, kinds and countries --------------------

  const hidden = { sector: new Set(), kind: new Set(), country: new Set() };
  const DIM_OPACITY = 0.45;
  const timelineHides = { inactive: false };  // the timeline's "hide ended and planned"

  function isShown(n) {
    if (n.kind === "step") return true;
    if (timelineHides.inactive && nodeDimmed(n.id)) return false;
    return !hidden.kind.has(n.kind) && !hidden.sector.has(n.sector) && !hidden.country.has(n.country);
  }

  function edgeShown(e) {
    if (timelineHides.inactive && isDimmedCode(timeline && shownOn.codes.edge.get(e.id))) return false;
    return isShown(byId.get(e.from)) && isShown(byId.get(e.to));
  }

  // the pathway's steps are a row of headers above the canvas (see "pathway step headers")
  const nodeSet = new vis.DataSet(data.nodes.filter((n) => n.kind !== "step").map(visNode));
  // a large map draws its records first and adds its relations right after (addRelations)
  const edgeSet = new vis.DataSet(data.large ? [] : data.edges.map(visEdge));
  let relationsAdded = !data.large;
  const nodeView = new vis.DataView(nodeSet, { filter: (item) => isShown(byId.get(item.id)) });
  const edgeView = new vis.DataView(edgeSet, { filter: (item) => edgeShown(edgeById.get(item.id)) });
  mark("datasets");

  const container = document.getElementById("network");
  // the timeline's bar takes its room before the canvas is sized (see "timeline")
  if (timed) document.getElementById("timeline").hidden = false;
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
      // a pathway is wide (seven columns): its labels are larger, to stay readable when it fits the screen
      font: { size: data.large ? 11 : data.layout === "pathway" ? 20 : 14, face: "sans-serif", color: "#1a1a1a",
              strokeWidth: 3, strokeColor: "#ffffff" },
    },
    edges: { selectionWidth: 1.5, hoverWidth: 0.5 },
  });

  mark("network");
  network.fit({ animation: false });
  mark("fit");
  const state = { firstDraw: null, complete: null, selected: null, selectedKind: null, viewMoved: false };

  function drawnWhole() {
    state.complete = performance.now();
    document.body.setAttribute("data-complete", "yes");
  }

  function addRelations() {
    network.once("afterDrawing", function () {
      mark("complete");
      drawnWhole();
    });
    relationsAdded = true;
    edgeSet.add(data.edges.map(visEdge));  // in the colours of the timeline's day (edgeColor)
  }

  network.once("afterDrawing", function () {
    mark("drawn");
    state.firstDraw = performance.now();
    fitOnLoad();  // labels are measured now: fit them all (see "fitting the canvas")
    network.once("afterDrawing", function () {
      document.body.setAttribute("data-drawn", "yes");
      if (relationsAdded) drawnWhole();
      else setTimeout(addRelations, 0);
    });
  });

  // --- geographic layout: the map under the network (viz/geo.py) ---------------------------
  // Only for `--layout geo`: the view carries country outlines, the map's box, the names of
  // countries with no record on the map and the strip's headings, all in network coordinates.
  // They are drawn on the canvas before the network (beforeDrawing); the places' names after
  // it. Places on the map keep a readable label at any zoom, and every node a visible size. The
  // text drawn is data rendered as canvas text.

  const geo = data.geo || null;
  const GEO_COLOURS = {
    sea: "#e4eef5", land: "#fbfaf6", neighbour: "#eeede8", border: "#8c939b", frame: "#aab3bd",
    name: "#7a848e", panel: "#f4f6f8", heading: "#1f2933", caption: "#56606a", national: "#1f2933",
  };
  const GEO_LABEL_PX = { country: 16, place: 13 }; // on screen: labels of places on the map, at any zoom
  const GEO_MIN_NODE_PX = 3; // on screen: the smallest node radius
  const GEO_MAX_LABEL_PX = 13; // on screen: other labels never grow larger, so zooming in parts them
  // other labels show from this size on screen (vis-network fades a label in over the last pixel
  // below its drawThreshold): on the map when zoomed in enough to part the rings, in the strip earlier
  const GEO_SHOW_LABEL_PX = { map: 12, strip: 8 };

  // (function declarations: edgeColor uses them when the edges are made, before this section runs)
  function onGeoMap(n) {
    const box = data.geo && data.geo.box;
    return Boolean(box) && n.x >= box[0] && n.x <= box[2] && n.y >= box[1] && n.y <= box[3];
  }

  // a line to or from the panels beside the map, or a country's own record (the whole country
  // is its place): drawn fainter than those between places on the map
  function geoPanelEdge(e) {
    if (!data.geo) return false;
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    return !onGeoMap(a) || !onGeoMap(b) || a.landmark === "country" || b.landmark === "country";
  }

  // the map's box, the panels and every node: what fitting the canvas fits (see "fitting the canvas")
  function geoExtent() {
    const b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    function add(x0, y0, x1, y1) {
      b.x0 = Math.min(b.x0, x0); b.y0 = Math.min(b.y0, y0);
      b.x1 = Math.max(b.x1, x1); b.y1 = Math.max(b.y1, y1);
    }
    for (const n of data.nodes) add(n.x - n.size, n.y - n.size, n.x + n.size, n.y + n.size);
    if (geo.box) add(geo.box[0], geo.box[1], geo.box[2], geo.box[3]);
    for (const g of geo.groups) add(g.x, g.y, g.x + g.width, g.y + (g.height || 0));
    return b;
  }

  function ringsPath(ctx, rings) {
    ctx.beginPath();
    for (const ring of rings) {
      ctx.moveTo(ring[0][0], ring[0][1]);
      for (let i = 1; i < ring.length; i++) ctx.lineTo(ring[i][0], ring[i][1]);
      ctx.closePath();
    }
  }

  function drawGeoMap(ctx) {
    const s = network.getScale();
    if (!data.large && geoStep(s) !== geoScaled) setTimeout(scaleGeoNodes, 0); // after any zoom: wheel, fit, focus
    if (geo.box) {
      const [x0, y0, x1, y1] = geo.box;
      ctx.save();
      ctx.fillStyle = GEO_COLOURS.sea;
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
      ctx.beginPath();
      ctx.rect(x0, y0, x1 - x0, y1 - y0);
      ctx.clip();
      ctx.lineJoin = "round";
      for (const o of data.outlines || []) {
        ringsPath(ctx, o.rings);
        ctx.fillStyle = o.focus ? GEO_COLOURS.land : GEO_COLOURS.neighbour;
        ctx.fill("evenodd");
      }
      ctx.strokeStyle = GEO_COLOURS.border;
      ctx.lineWidth = 1.2 / s;
      for (const o of data.outlines || []) {
        ringsPath(ctx, o.rings);
        ctx.stroke();
      }
      ctx.fillStyle = GEO_COLOURS.name;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      for (const label of geo.labels) { // kept inside the map's box
        ctx.font = "italic " + (label.focus ? 15 : 13) / s + "px sans-serif";
        const half = ctx.measureText(label.text).width / 2 + 6 / s;
        const x = half * 2 < x1 - x0 ? Math.min(Math.max(label.x, x0 + half), x1 - half) : label.x;
        ctx.fillText(label.text, x, label.y);
      }
      // towns the shown records are based in that are not drawn themselves: a dot and the name
      ctx.textBaseline = "bottom";
      ctx.font = GEO_LABEL_PX.place / s + "px sans-serif";
      ctx.lineJoin = "round";
      for (const seat of geo.seats || []) {
        ctx.fillStyle = GEO_COLOURS.name;
        ctx.beginPath();
        ctx.arc(seat.x, seat.y, 3 / s, 0, 2 * Math.PI);
        ctx.fill();
        ctx.strokeStyle = "#ffffff";
        ctx.lineWidth = 4 / s;
        const y = seat.y - seat.ring - 10 / s;
        ctx.strokeText(seat.text, seat.x, y);
        ctx.fillStyle = GEO_COLOURS.heading;
        ctx.fillText(seat.text, seat.x, y);
      }
      ctx.restore();
      ctx.strokeStyle = GEO_COLOURS.frame;
      ctx.lineWidth = 1 / s;
      ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    }
    // the strip: a panel per country, its heading, a caption per kind
    ctx.save();
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    for (const g of geo.groups) {
      if (g.level === 1) {
        ctx.fillStyle = GEO_COLOURS.panel;
        ctx.fillRect(g.x, g.y, g.width, g.height);
        ctx.strokeStyle = GEO_COLOURS.frame;
        ctx.lineWidth = 1 / s;
        ctx.strokeRect(g.x, g.y, g.width, g.height);
        ctx.fillStyle = GEO_COLOURS.heading;
        ctx.font = "bold " + Math.min(15 / s, 80) + "px sans-serif";
      } else {
        ctx.fillStyle = GEO_COLOURS.caption;
        ctx.font = Math.min(11 / s, 48) + "px sans-serif";
      }
      const pad = g.level === 1 ? 16 : 20;
      const text = g.label + " (" + g.count + ")";
      const room = g.width - 2 * pad;
      const wide = ctx.measureText(text).width;
      if (wide > room) ctx.font = ctx.font.replace(/[\d.]+px/, function (px) { return parseFloat(px) * room / wide + "px"; });
      ctx.fillText(text, g.x + pad, g.y + (g.level === 1 ? 14 : 6));
    }
    ctx.restore();
  }

  // after the network: the names of the places on the map, GEO_LABEL_PX on screen at any zoom,
  // above the records ringing them (their own vis-network labels are transparent; drawing the
  // names here needs no update of the nodes when the zoom changes)
  function drawGeoNames(ctx) {
    const s = network.getScale();
    const shown = data.nodes.filter((n) => n.landmark && nodeView.get(n.id));
    const at = network.getPositions(shown.map((n) => n.id));
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.lineJoin = "round";
    state.geoLabels = [];
    for (const n of shown) {
      const px = GEO_LABEL_PX[n.landmark] || GEO_LABEL_PX.place;
      const lines = String(n.label).split("\n");
      ctx.font = (n.landmark === "country" ? "bold " : "") + px / s + "px sans-serif";
      let y = at[n.id].y - (n.ring || 0) - nodeSet.get(n.id).size - 4 / s - (lines.length - 1) * 1.15 * px / s;
      for (const line of lines) {
        ctx.strokeStyle = "#ffffff";
        ctx.lineWidth = 4 / s;
        ctx.strokeText(line, at[n.id].x, y);
        ctx.fillStyle = GEO_COLOURS.heading;
        ctx.fillText(line, at[n.id].x, y);
        y += 1.15 * px / s;
      }
      state.geoLabels.push({ id: n.id, px: px });
    }
    ctx.restore();
  }

  // --- national bodies (any layout): a second ring around records based in a country as a
  // whole (viz.layout.national_bodies), as the diagram draws them

  function drawNationalRings(ctx) {
    const s = network.getScale();
    const shown = data.nodes.filter((n) => n.national && nodeView.get(n.id));
    const at = network.getPositions(shown.map((n) => n.id));
    ctx.save();
    ctx.strokeStyle = GEO_COLOURS.national;
    ctx.lineWidth = 1.5 / s;
    for (const n of shown) {
      ctx.beginPath();
      ctx.arc(at[n.id].x, at[n.id].y, nodeSet.get(n.id).size + 3.5 / s, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.restore();
  }

  // called at the end of the script (see "page"), as startGeo
  function startNational() {
    const national = data.nodes.filter((n) => n.national);
    if (!national.length) return;
    nodeSet.update(national.map((n) => ({ id: n.id, borderWidth: 2.5 })));
    network.on("afterDrawing", drawNationalRings);
    const host = document.getElementById("legend");
    host.appendChild(el("h3", null, t("legend marks")));
    const list = el("ul", "legend-list");
    const li = el("li");
    const s = svg(18, 18);
    for (const r of [5, 8]) {
      const c = document.createElementNS(SVG_NS, "circle");
      c.setAttribute("cx", "9");
      c.setAttribute("cy", "9");
      c.setAttribute("r", String(r));
      c.setAttribute("fill", r === 5 ? "#ffffff" : "none");
      c.setAttribute("stroke", GEO_COLOURS.national);
      c.setAttribute("stroke-width", "1.5");
      s.appendChild(c);
    }
    li.appendChild(s);
    li.appendChild(el("span", "legend-label", t("legend national")));
    list.appendChild(li);
    host.appendChild(list);
  }

  // nodes stay at least GEO_MIN_NODE_PX on screen, and other labels at most GEO_MAX_LABEL_PX, so
  // zooming in parts them. The scale is taken in steps of 15 % and only what changes is updated;
  // a large map keeps vis-network's sizes (updating thousands of nodes at every step would lag).
  const geoFonts = new Map();
  const geoApplied = new Map();
  let geoScaled = null;

  function geoStep(scale) {
    return Math.pow(1.15, Math.round(Math.log(scale) / Math.log(1.15)));
  }

  function scaleGeoNodes() {
    const s = geoStep(network.getScale());
    if (s === geoScaled || data.large) return;
    geoScaled = s;
    const updates = [];
    for (const n of data.nodes) {
      const font = Object.assign({ size: 14 }, geoFonts.get(n.id));
      const size = Math.max(n.size, GEO_MIN_NODE_PX / s);
      if (!n.landmark) font.size = Math.min(font.size, GEO_MAX_LABEL_PX / s);
      const key = size + " " + font.size;
      if (geoApplied.get(n.id) === key) continue;
      geoApplied.set(n.id, key);
      updates.push({ id: n.id, size: size, font: font });
    }
    if (updates.length) nodeSet.update(updates);
  }

  // called at the end of the script (see "page"): updating nodes may draw at once, and a draw
  // fits the canvas, which needs the whole script run
  function startGeo() {
    const marked = [];
    for (const n of data.nodes) {
      const item = { id: n.id };
      if (n.landmark) { // named by drawGeoNames
        item.font = Object.assign({}, nodeSet.get(n.id).font, { color: "rgba(0,0,0,0)", strokeWidth: 0 });
      } else if (!data.large) {
        item.scaling = { label: { drawThreshold: GEO_SHOW_LABEL_PX[onGeoMap(n) ? "map" : "strip"] } };
      }
      if (Object.keys(item).length > 1) marked.push(item);
      geoFonts.set(n.id, item.font || nodeSet.get(n.id).font || {});
    }
    nodeSet.update(marked);
    network.on("beforeDrawing", drawGeoMap);
    network.on("afterDrawing", drawGeoNames);
    scaleGeoNodes();
    const host = document.getElementById("legend");
    host.appendChild(el("h3", null, t("legend map")));
    host.appendChild(el("p", "legend-note", t("legend borders")));
  }

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
    if (timelineHides.inactive && nodeDimmed(n.id)) showInactive();
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
    details.appendChild(fieldList(shownFields(n.kind === "step" ? "step" : "node", n)));
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
    state.selectedKind = "node";
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
    details.appendChild(fieldList(shownFields("edge", e)));
    details.appendChild(sourcesBlock(e.src));
    state.selected = id;
    state.selectedKind = "edge";
  }

  function selectNode(id) {
    const n = byId.get(id);
    if (!n) return false;
    if (n.kind === "step") {  // a header of the row above the canvas
      showNode(id);
      const header = stepHeaders.get(id);
      if (header) header.focus();
      return true;
    }
    if (!isShown(n)) reveal(n);
    state.viewMoved = true;
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

  // --- fitting the canvas --------------------------------------------------------------
  // After the first draw (when vis-network has measured every label) the view is set so that
  // every node with its label lies inside the canvas, with a margin, below the pathway's
  // header row; vis-network's own fit() runs before labels are measured and may cut them.

  const FIT_MARGIN = 16;  // px around the picture
  const FIT_MAX_SCALE = 1.5;  // a map of three records is not blown up to fill the screen

  function nodesBox() {
    let box = null;
    if (stepHeaders.size) {  // the header row, a column wide each, stands over the columns
      const xs = [...stepHeaders.keys()].map((id) => byId.get(id).x);
      const half = xs.length > 1 ? (xs[xs.length - 1] - xs[0]) / (xs.length - 1) / 2 : 0;
      box = { left: xs[0] - half, right: xs[xs.length - 1] + half, top: Infinity, bottom: -Infinity };
    }
    for (const id of nodeView.getIds()) {
      const b = network.getBoundingBox(id);
      if (!b) continue;
      if (!box) box = { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
      else {
        box.left = Math.min(box.left, b.left);
        box.right = Math.max(box.right, b.right);
        box.top = Math.min(box.top, b.top);
        box.bottom = Math.max(box.bottom, b.bottom);
      }
    }
    if (geo) {  // the map and its panels fit too (see "geographic layout")
      const g = geoExtent();
      box = box || { left: g.x0, right: g.x1, top: g.y0, bottom: g.y1 };
      box = { left: Math.min(box.left, g.x0), right: Math.max(box.right, g.x1),
              top: Math.min(box.top, g.y0), bottom: Math.max(box.bottom, g.y1) };
    }
    return box;
  }

  // fit the nodes into the canvas below `top` px (the header row over the canvas's top)
  function fitNodes(top) {
    const box = nodesBox();
    if (box && !isFinite(box.top)) box.top = box.bottom = 0;  // headers and no node
    const width = container.clientWidth;
    const height = container.clientHeight;
    if (!box || width < 1 || height < 1) return;
    const w = Math.max(box.right - box.left, 1);
    const h = Math.max(box.bottom - box.top, 1);
    const scale = Math.min((width - 2 * FIT_MARGIN) / w, (height - 2 * FIT_MARGIN - top) / h, FIT_MAX_SCALE);
    if (!(scale > 0)) return;
    // the box's centre goes to the middle of the space below the header row; a pathway's top
    // stays just under its headers (no empty band between the steps and their services)
    const y = stepHeaders.size ? box.top - (top + FIT_MARGIN - height / 2) / scale
      : (box.top + box.bottom) / 2 - top / (2 * scale);
    network.moveTo({
      position: { x: (box.left + box.right) / 2, y: y },
      scale: scale,
      animation: false,
    });
  }

  let fitting = false;

  function fitOnLoad() {
    if (fitting) return;
    fitting = true;
    try {
      network.setSize("100%", "100%");  // the canvas as big as its box is now
      if (!stepHeaders.size) {
        fitNodes(0);
      } else {
        // the header row's height depends on the column width, which depends on the scale: twice
        for (let pass = 0; pass < 2; pass++) {
          fitNodes(headerRow.offsetHeight + 4);
          placeHeaders(true);
        }
      }
    } finally {
      fitting = false;
    }
  }

  // until the reader pans, zooms or picks a record, a new size of the window fits it again
  network.on("resize", function () {
    if (!state.viewMoved && document.body.hasAttribute("data-drawn")) fitOnLoad();
  });
  for (const event of ["dragStart", "zoom"]) network.on(event, function () { state.viewMoved = true; });

  // --- pathway step headers: a row of solid boxes over the canvas, one above each column ---
  // Readable at any zoom (their text is page text, not canvas), clickable and reachable with
  // Tab; they follow the columns when the map is panned or zoomed.

  const headerRow = document.getElementById("steps");
  const stepHeaders = new Map();
  const HEADER_GAP = 6;  // px between neighbouring headers
  const HEADER_SMALLEST = 12;  // px: the smallest text a header's long word may take
  let headerView = "";
  let headerWidth = null;

  function buildStepHeaders() {
    const steps = data.nodes.filter((n) => n.kind === "step").sort((a, b) => a.x - b.x);
    if (!steps.length) return;
    headerRow.hidden = false;
    for (const n of steps) {
      const b = el("button", "step-header");
      b.type = "button";
      b.setAttribute("data-step", n.id);
      b.appendChild(el("span", "step-title", n.header ? n.header[0] : n.name));
      // a step that is a gap on some day keeps the line's room on every day: no jumping rows
      const runs = runsOf.step.get(n.id);
      if (n.header && (n.gap || (runs && runs.some((r) => r[1] === "g")))) {
        b.appendChild(el("span", "step-gap", n.header[1]));
      }
      b.addEventListener("click", function () { showNode(n.id); });
      headerRow.appendChild(b);
      stepHeaders.set(n.id, b);
    }
    showStepStates();
  }

  function showStepStates() {
    for (const [id, b] of stepHeaders) {
      const gap = stepGap(byId.get(id));
      b.classList.toggle("gap", gap);
      b.setAttribute("data-gap", gap ? "yes" : "no");
    }
  }

  // put each header above its column, as wide as the columns are apart on the screen
  function placeHeaders(force) {
    if (!stepHeaders.size) return;
    const scale = network.getScale();
    const centre = network.getViewPosition();
    const key = [scale, centre.x, centre.y, container.clientWidth].join(" ");
    if (key === headerView && !force) return;
    headerView = key;
    if (force) headerWidth = null;
    const xs = [...stepHeaders.keys()].map((id) => byId.get(id).x);
    let spacing = Infinity;
    for (let i = 1; i < xs.length; i++) spacing = Math.min(spacing, xs[i] - xs[i - 1]);
    const width = Math.max(Math.min(isFinite(spacing) ? spacing * scale - HEADER_GAP : 240, 240), 72);
    for (const [id, b] of stepHeaders) {
      b.style.left = (network.canvasToDOM({ x: byId.get(id).x, y: 0 }).x - width / 2) + "px";
    }
    if (headerWidth === width) return;
    // a new width: fit the words, then give every box the height of the tallest with its gap
    // line shown, so that the row keeps one height whatever day the timeline shows
    headerWidth = width;
    headerRow.classList.add("measuring");
    let tallest = 0;
    for (const b of stepHeaders.values()) {
      b.style.height = "";
      b.style.width = width + "px";
      fitWords(b);
      tallest = Math.max(tallest, b.offsetHeight);
    }
    headerRow.classList.remove("measuring");
    for (const b of stepHeaders.values()) b.style.height = tallest + "px";  // one row of equal boxes
    headerRow.style.height = (tallest + 8) + "px";
  }

  // a word wider than its header ("идентификација" in a narrow column) makes the text a
  // little smaller rather than break, down to HEADER_SMALLEST px; only then does it break
  function fitWords(b) {
    b.style.fontSize = "";
    b.style.overflowWrap = "normal";
    let size = parseFloat(getComputedStyle(b).fontSize);
    while (b.scrollWidth > b.clientWidth && size > HEADER_SMALLEST) {
      size -= 1;
      b.style.fontSize = size + "px";
    }
    if (b.scrollWidth > b.clientWidth) b.style.overflowWrap = "anywhere";
  }

  network.on("afterDrawing", function () { placeHeaders(false); });

  // --- timeline: a date slider, play, and what was there on that day ----------------------
  // The statuses are the rules of --as-of, computed in Python for every day a status changes
  // (data.timeline); the page only looks them up. Ended and planned records are faded (or
  // hidden), and their relations with them; the details panel gives the status on the day.

  const DAY_MS = 86400000;
  const PLAY_MS = 900;  // one year per step
  const bar = document.getElementById("timeline");
  const range = document.getElementById("timeline-range");
  const dateBox = document.getElementById("timeline-date");
  const playButton = document.getElementById("timeline-play");
  const countLine = document.getElementById("timeline-count");
  const hideBox = document.getElementById("timeline-hide");
  let player = null;
  const edgeFaded = new Map(data.edges.map((e) => [e.id, edgeDimmed(e)]));

  function dayNumber(iso) {
    return Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS);
  }

  function isoOf(number) {
    return new Date(number * DAY_MS).toISOString().slice(0, 10);
  }

  function clampDay(iso) {
    if (iso < timeline.start) return timeline.start;
    if (iso > timeline.end) return timeline.end;
    return iso;
  }

  // show the map as it was on `iso` (YYYY-MM-DD): statuses, fading, headers, count, details
  function setDate(iso) {
    if (!timeline || !/^\d{4}-\d{2}-\d{2}$/.test(String(iso))) return false;
    const day = clampDay(String(iso));
    const before = shownOn.codes;
    shownOn.day = day;
    shownOn.codes = codesOn(day);
    const nodeUpdates = [];
    for (const [id, code] of shownOn.codes.node) {
      if (before.node.get(id) !== code && nodeSet.get(id)) {
        nodeUpdates.push({ id: id, opacity: isDimmedCode(code) ? DIM_OPACITY : 1 });
      }
    }
    if (nodeUpdates.length) nodeSet.update(nodeUpdates);
    const edgeUpdates = [];
    for (const e of data.edges) {
      if (!shownOn.codes.edge.has(e.id) && !runsOf.node.has(e.from) && !runsOf.node.has(e.to)) continue;
      const faded = edgeDimmed(e);
      if (edgeFaded.get(e.id) !== faded) {
        edgeFaded.set(e.id, faded);
        edgeUpdates.push({ id: e.id, color: edgeColor(e) });
      }
    }
    if (edgeUpdates.length && relationsAdded) edgeSet.update(edgeUpdates);  // else added in these colours
    if (timelineHides.inactive) refresh();
    showStepStates();
    range.value = String(dayNumber(day) - dayNumber(timeline.start));
    if (dateBox.value !== day) dateBox.value = day;
    showCount();
    if (state.selected && state.selectedKind === "node" && byId.has(state.selected)) showNode(state.selected);
    else if (state.selected && state.selectedKind === "edge" && edgeById.has(state.selected)) showEdge(state.selected);
    bar.setAttribute("data-date", day);
    return true;
  }

  function showCount() {
    const count = { available: 0, planned: 0, ended: 0 };
    for (const code of shownOn.codes.node.values()) {
      if (timeline.available.indexOf(code) >= 0) count.available += 1;
      else if (timeline.codes[code] === "planned") count.planned += 1;
      else if (timeline.codes[code] === "ended") count.ended += 1;
    }
    countLine.textContent = t("timeline count", {
      date: shownOn.day, available: count.available, planned: count.planned, ended: count.ended,
    });
  }

  function addYear(iso) {
    const year = Number(iso.slice(0, 4)) + 1;
    const next = year + iso.slice(4);
    return next.endsWith("02-29") ? year + "-02-28" : next;
  }

  function pause() {
    if (player === null) return;
    clearInterval(player);
    player = null;
    playButton.textContent = t("play");
    playButton.setAttribute("aria-pressed", "false");
  }

  function play() {
    if (player !== null) return;
    if (shownOn.day >= timeline.end) setDate(timeline.start);  // at today: from the beginning
    playButton.textContent = t("pause");
    playButton.setAttribute("aria-pressed", "true");
    player = setInterval(function () {
      const next = addYear(shownOn.day);
      if (next >= timeline.end) {  // the last step is today, and there it stops
        setDate(timeline.end);
        pause();
      } else {
        setDate(next);
      }
    }, PLAY_MS);
  }

  function showInactive() {
    timelineHides.inactive = false;
    hideBox.checked = false;
  }

  function buildTimeline() {
    if (!timed) return;  // nothing drawn has a date
    bar.hidden = false;
    range.min = "0";
    range.max = String(dayNumber(timeline.end) - dayNumber(timeline.start));
    range.step = "1";
    dateBox.min = timeline.start;
    dateBox.max = timeline.end;
    playButton.textContent = t("play");
    range.addEventListener("input", function () {
      pause();
      setDate(isoOf(dayNumber(timeline.start) + Number(range.value)));
    });
    range.addEventListener("keydown", function (event) {  // Page Up / Page Down: a year
      if (event.key !== "PageUp" && event.key !== "PageDown") return;
      event.preventDefault();
      pause();
      const year = Number(shownOn.day.slice(0, 4)) + (event.key === "PageUp" ? 1 : -1);
      setDate(year + shownOn.day.slice(4).replace("02-29", "02-28"));
    });
    dateBox.addEventListener("change", function () {
      pause();
      if (dateBox.value) setDate(dateBox.value);
    });
    playButton.addEventListener("click", function () {
      if (player === null) play();
      else pause();
    });
    hideBox.addEventListener("change", function () {
      timelineHides.inactive = hideBox.checked;
      refresh();
    });
    setDate(timeline.as_of);
  }

  // the statuses the page shows on its current day: {day, nodes, edges, steps} by id
  function shownStatuses() {
    const out = { day: shownOn.day, nodes: {}, edges: {}, steps: {}, faded: [], hidden: [] };
    if (!timeline) return out;
    for (const [group, key] of [["node", "nodes"], ["edge", "edges"], ["step", "steps"]]) {
      for (const [id, code] of shownOn.codes[group]) out[key][id] = timeline.codes[code];
    }
    for (const item of nodeSet.get()) {
      if (item.opacity !== undefined && item.opacity < 1) out.faded.push(item.id);
      if (!isShown(byId.get(item.id))) out.hidden.push(item.id);
    }
    return out;
  }

  // --- page ----------------------------------------------------------------------------

  document.title = data.title;
  document.getElementById("title").textContent = data.title;
  document.getElementById("subtitle").textContent = data.subtitle;
  const allSources = document.getElementById("all-sources");
  data.sources.forEach(function (s, i) { allSources.appendChild(sourceItem(i)); });
  document.getElementById("sources-count").textContent = String(data.sources.length);
  buildFilters();
  buildLegend();
  startNational();
  if (geo) startGeo();
  buildStepHeaders();
  buildTimeline();
  mark("ready");

  window.stakeholderMap = {
    network: network,
    nodes: nodeSet,
    edges: edgeSet,
    fold: fold,
    search: search,
    selectNode: selectNode,
    state: state,
    fit: fitOnLoad,
    timeline: { setDate: setDate, shown: shownStatuses, play: play, pause: pause },
  };
})();

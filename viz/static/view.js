/* servicekg graph views: draws the view with vis-network and adds the details panel, the
   legend, the search box, the language switch, groups drawn closed until clicked (vis-network
   clustering), column headings, a first fit that keeps every label on screen, and export of
   what is on screen as PNG and SVG (built here, nothing is fetched). Every text from the data
   is set with textContent (never innerHTML), so labels, quotes and names always show as text. */
(function () {
  "use strict";

  function read(id) { return JSON.parse(document.getElementById(id).textContent); }

  var page = read("skg-page");
  var nodeData = read("skg-nodes");
  var edgeData = read("skg-edges");
  var options = read("skg-options");
  var hash = new URLSearchParams(window.location.hash.slice(1));
  var lang = page.languages[hash.get("lang")] ? hash.get("lang") : page.lang;
  var shown = null;  // the id of the node in the details panel

  var nodes = new vis.DataSet(nodeData);
  var edges = new vis.DataSet(edgeData);
  var byId = new Map();
  var groupOf = new Map();
  nodeData.forEach(function (n) {
    byId.set(n.id, n);
    if (n.skg.group) { groupOf.set(n.id, n.skg.group); }
  });
  var groups = page.groups || {};
  var BAND_FONT = 18;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function ui(key) { return page.ui[key] ? page.ui[key][lang] : key; }
  function text(texts) { return texts ? (texts[lang] || texts.en || "") : ""; }

  // --- language ------------------------------------------------------------------------
  function setLanguage(next, first) {
    if (!page.languages[next]) { return; }
    var before = first ? page.lang : lang;
    lang = next;
    document.documentElement.lang = lang;
    document.getElementById("skg-lang").value = lang;
    document.querySelectorAll("[data-ui]").forEach(function (e) {
      e.textContent = ui(e.getAttribute("data-ui"));
    });
    document.getElementById("skg-search").placeholder = ui("search");
    var title = text(page.title);
    document.getElementById("skg-title").textContent = title;
    document.getElementById("skg-guide").textContent = text(page.guide);
    document.title = title + " · servicekg";
    // relabel only what reads differently in the new language (fast on large graphs)
    function changed(texts) { return (texts[before] || texts.en) !== (texts[lang] || texts.en); }
    nodes.update(nodeData.filter(function (n) { return changed(n.skg.labels); }).map(function (n) {
      var label = text(n.skg.labels);
      return { id: n.id, label: label, title: label };
    }));
    edges.update(edgeData.filter(function (e) { return changed(e.skg.labels); }).map(function (e) {
      return { id: e.id, title: text(e.skg.labels) };
    }));
    Object.keys(groups).forEach(function (g) {
      if (isClosed(g)) {
        network.clustering.updateClusteredNode(g, { label: groupLabel(g), title: groupTitle(g) });
      }
    });
    drawViews();
    drawLegend();
    drawCounts();
    if (shown !== null) { showDetails(shown); }
  }

  // --- header: views, counts, languages -----------------------------------------------
  function drawViews() {
    var nav = document.getElementById("skg-views");
    nav.replaceChildren();
    page.views.forEach(function (v) {
      var a = el("a", text(v.label));
      a.href = v.href;
      if (v.view === page.view) { a.setAttribute("aria-current", "page"); }
      a.addEventListener("click", function () { a.href = v.href + "#lang=" + lang; });
      nav.appendChild(a);
    });
  }
  function drawCounts() {
    document.getElementById("skg-counts").textContent =
      nodes.length + " " + ui("nodes") + " · " + edges.length + " " + ui("edges");
  }
  function drawLegend() {
    var list = document.querySelector("#skg-legend ul");
    list.replaceChildren();
    Object.keys(page.kinds).forEach(function (k) {
      var li = el("li"), sw = el("span", null, "swatch");
      sw.style.background = page.kinds[k].colour;
      li.appendChild(sw);
      li.appendChild(document.createTextNode(text(page.kinds[k].label)));
      list.appendChild(li);
    });
    var stressed = edgeData.filter(function (e) { return e.skg.emphasis; })[0];
    if (stressed && page.ui["path-" + page.view]) {
      var line = el("li"), bar = el("span", null, "swatch line");
      bar.style.background = stressed.color.color;
      line.appendChild(bar);
      line.appendChild(document.createTextNode(ui("path-" + page.view)));
      list.appendChild(line);
    }
    Object.keys(page.marks).forEach(function (m) {
      var li = el("li"), sw = el("span", null, "swatch mark");
      sw.style.borderColor = page.marks[m].border;
      li.appendChild(sw);
      li.appendChild(document.createTextNode(text(page.marks[m].label)));
      list.appendChild(li);
    });
  }

  // --- details panel --------------------------------------------------------------------
  function showDetails(id) {
    var n = byId.get(id);
    var panel = document.getElementById("skg-details");
    if (!n) { return; }
    shown = id;
    var d = n.skg.details;
    panel.replaceChildren();
    panel.appendChild(el("h2", text(n.skg.labels)));
    var kind = page.kinds[n.skg.kind] ? text(page.kinds[n.skg.kind].label) : n.skg.kind;
    (n.skg.marks || []).forEach(function (m) { kind += " · " + text(page.marks[m].label); });
    panel.appendChild(el("p", ui("kind") + ": " + kind, "skg-kind"));
    if (d.definition) { panel.appendChild(el("p", text(d.definition), "skg-definition")); }
    if (d.values.length) {
      panel.appendChild(el("h3", ui("values")));
      var table = el("table", null, "skg-values");
      d.values.forEach(function (row) {
        var tr = el("tr");
        var name = typeof row.name === "string" ? ui(row.name) : text(row.name);
        tr.appendChild(el("td", name));
        tr.appendChild(el("td", typeof row.value === "string" ? row.value : text(row.value)));
        table.appendChild(tr);
      });
      panel.appendChild(table);
    }
    if (d.quotes.length) {
      panel.appendChild(el("h3", ui("quotes")));
      d.quotes.forEach(function (q) {
        var bq = el("blockquote", "“" + q.quote + "”", "skg-quote");
        bq.lang = q.lang;
        panel.appendChild(bq);
        // the meaning in the page's language; none where the page reads the article's own
        if (q.lang !== lang) {
          var meaning = el("p", ui("rendering") + ": " + text(q.rendering), "skg-rendering");
          meaning.lang = lang;
          panel.appendChild(meaning);
        }
        var source = q.article + (q.article_en && q.article_en !== q.article ? " (" + q.article_en + ")" : "");
        panel.appendChild(el("p", ui("source") + ": " + source + (q.section ? ", " + q.section : ""), "skg-source"));
      });
    }
    if (d.links.length) {
      panel.appendChild(el("h3", ui("links")));
      var ul = el("ul", null, "skg-links");
      d.links.forEach(function (l) {
        var li = el("li"), a = el("a", text(l.label));
        a.href = l.href;
        a.addEventListener("click", function () {
          a.href = l.href + (l.href.indexOf("#") < 0 ? "#" : "&") + "lang=" + lang;
        });
        li.appendChild(a);
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    panel.appendChild(el("p", d.iri, "skg-iri"));
  }

  function select(id) {
    if (groupOf.has(id) && isClosed(groupOf.get(id))) { openGroup(groupOf.get(id)); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showDetails(id);
  }

  // --- search ---------------------------------------------------------------------------
  function search(query) {
    var results = document.getElementById("skg-results");
    results.replaceChildren();
    var q = query.trim().toLowerCase();
    if (!q) { results.hidden = true; return []; }
    var found = [];
    for (var i = 0; i < nodeData.length && found.length < 12; i++) {
      var n = nodeData[i];
      if (text(n.skg.labels).toLowerCase().indexOf(q) >= 0) { found.push(n); }
    }
    if (!found.length) { results.appendChild(el("li", ui("no-match"))); }
    found.forEach(function (n) {
      var li = el("li", text(n.skg.labels));
      li.dataset.node = n.id;
      li.addEventListener("click", function () { results.hidden = true; select(n.id); });
      results.appendChild(li);
    });
    results.hidden = false;
    return found;
  }

  // --- the network ----------------------------------------------------------------------
  var container = document.getElementById("skg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  // --- groups: one node per group, opened on a click (one group open at a time) ----------
  // (vis-network's isCluster logs an error for an id it does not know: an open group)
  function isClosed(g) { var n = network.body.nodes[g]; return !!n && n.isCluster === true; }
  function groupLabel(g) { return text(groups[g].labels); }
  function groupTitle(g) { return groupLabel(g) + " · " + ui("open-group"); }
  function closeGroup(g) {
    if (isClosed(g)) { return; }
    var data = groups[g];
    network.cluster({
      joinCondition: function (o) { return groupOf.get(o.id) === g; },
      clusterNodeProperties: {
        id: g, label: groupLabel(g), title: groupTitle(g), shape: data.shape === "dot" ? "dot" : "box",
        color: { background: data.colour, border: "#333" }, borderWidth: 2,
        shapeProperties: { borderDashes: [5, 3] }, size: 18 + Math.sqrt(data.count) * 3,
        font: { size: 16, face: "system-ui, sans-serif" },
        margin: 8, x: data.x, y: data.y,
      },
    });
    if (isClosed(g)) { network.moveNode(g, data.x, data.y); }
  }
  function openGroup(g) {
    if (!isClosed(g)) { return; }
    Object.keys(groups).forEach(function (other) { if (other !== g) { closeGroup(other); } });
    network.openCluster(g, { releaseFunction: release });
    fitLabels();
  }
  // members go back to the places laid out for them (vis-network would stack them on the group)
  function release(_cluster, contained) {
    var placed = {};
    Object.keys(contained).forEach(function (id) {
      var n = byId.get(id);
      placed[id] = n ? { x: n.x, y: n.y } : contained[id];
    });
    return placed;
  }
  function closeAll() { Object.keys(groups).forEach(closeGroup); }
  function openAll() {
    Object.keys(groups).forEach(function (g) {
      if (isClosed(g)) { network.openCluster(g, { releaseFunction: release }); }
    });
    fitLabels();
  }

  // --- fit: every label box (and the column headings) inside the canvas -----------------
  function labelRange() {
    var range = null;
    function add(l, t, r, b) {
      if (!range) { range = { left: l, top: t, right: r, bottom: b }; return; }
      range.left = Math.min(range.left, l); range.top = Math.min(range.top, t);
      range.right = Math.max(range.right, r); range.bottom = Math.max(range.bottom, b);
    }
    network.body.nodeIndices.forEach(function (id) {
      var n = network.body.nodes[id];
      var b = n.shape.boundingBox;
      add(b.left, b.top, b.right, b.bottom);
      if (n.labelModule && n.labelModule.size && n.labelModule.size.width) {
        var s = n.labelModule.size;
        add(s.left, s.top, s.left + s.width, s.top + s.height);
      }
    });
    (page.bands || []).forEach(function (band) {
      var ctx = network.canvas.getContext();
      ctx.font = "bold " + BAND_FONT + "px system-ui, sans-serif";
      var w = ctx.measureText(text(band.label)).width;
      add(band.x - w / 2, bandTop - BAND_FONT, band.x + w / 2, bandTop + 4);
    });
    return range;
  }
  function fitLabels() {
    network.redraw();  // measures labels
    var range = labelRange();
    if (!range) { return; }
    var w = container.clientWidth, h = container.clientHeight, margin = 16;
    var scale = Math.min((w - 2 * margin) / Math.max(range.right - range.left, 1),
                         (h - 2 * margin) / Math.max(range.bottom - range.top, 1), 1.6);
    network.moveTo({
      position: { x: (range.left + range.right) / 2, y: (range.top + range.bottom) / 2 },
      scale: scale, animation: false,
    });
  }
  var bandTop = 0;
  if (page.bands && page.bands.length) {
    var ys = nodeData.map(function (n) { return n.y; });
    bandTop = Math.min.apply(null, ys) - 60;
  }
  function drawBands(ctx) {
    if (!page.bands || !page.bands.length) { return; }
    ctx.save();
    ctx.font = "bold " + BAND_FONT + "px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillStyle = "#444";
    page.bands.forEach(function (band) { ctx.fillText(text(band.label), band.x, bandTop); });
    ctx.restore();
  }

  // --- export what is on screen --------------------------------------------------------
  function download(name, href) {
    var a = el("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function fileName(ext) {
    return (page.view + (page.business ? "-" + page.business : "") + "-" + lang + "." + ext)
      .replace(/[^A-Za-z0-9._-]/g, "_");
  }
  function exportPNG() {
    var source = network.canvas.frame.canvas;
    var out = document.createElement("canvas");
    out.width = source.width; out.height = source.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    return out.toDataURL("image/png");
  }
  function esc(t) {
    return String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }
  function exportSVG() {
    var w = container.clientWidth, h = container.clientHeight;
    var tl = network.DOMtoCanvas({ x: 0, y: 0 }), br = network.DOMtoCanvas({ x: w, y: h });
    var parts = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + [tl.x, tl.y, br.x - tl.x, br.y - tl.y].join(" ") +
      '" width="' + w + '" height="' + h + '" font-family="system-ui, sans-serif">',
      '<title>' + esc(text(page.title)) + '</title>',
      '<rect x="' + tl.x + '" y="' + tl.y + '" width="' + (br.x - tl.x) + '" height="' + (br.y - tl.y) + '" fill="#fff"/>'];
    (page.bands || []).forEach(function (band) {
      parts.push('<text x="' + band.x + '" y="' + bandTop + '" text-anchor="middle" font-weight="bold" font-size="' +
        BAND_FONT + '" fill="#444">' + esc(text(band.label)) + '</text>');
    });
    network.body.edgeIndices.forEach(function (id) {
      var e = network.body.edges[id];
      var a = e.from, b = e.to;
      if (!a || !b) { return; }
      var c = e.options.color || {};
      parts.push('<line x1="' + a.x + '" y1="' + a.y + '" x2="' + b.x + '" y2="' + b.y + '" stroke="' +
        esc(c.color || "#999") + '" stroke-opacity="' + (c.opacity === undefined ? 1 : c.opacity) +
        '" stroke-width="' + (e.options.width || 1) + '"' + (e.options.dashes ? ' stroke-dasharray="5 4"' : "") + '/>');
    });
    network.body.nodeIndices.forEach(function (id) {
      var n = network.body.nodes[id], p = { x: n.x, y: n.y };
      var c = n.options.color || {}, s = n.options.size || 16;
      var fill = esc(c.background || "#97c2fc"), stroke = esc(c.border || "#333");
      var bw = n.options.borderWidth || 1;
      if (n.options.shape === "box") {
        var sz = n.labelModule.size || { width: 80, height: 20 };
        parts.push('<rect x="' + (p.x - sz.width / 2 - 5) + '" y="' + (p.y - sz.height / 2 - 5) + '" width="' + (sz.width + 10) +
          '" height="' + (sz.height + 10) + '" rx="4" fill="' + fill + '" stroke="' + stroke + '" stroke-width="' + bw + '"/>');
      } else if (n.options.shape === "dot") {
        parts.push('<circle cx="' + p.x + '" cy="' + p.y + '" r="' + s + '" fill="' + fill + '" stroke="' + stroke + '" stroke-width="' + bw + '"/>');
      } else {
        parts.push('<rect x="' + (p.x - s) + '" y="' + (p.y - s) + '" width="' + 2 * s + '" height="' + 2 * s + '" fill="' + fill +
          '" stroke="' + stroke + '" stroke-width="' + bw + '"' + (n.options.shape === "diamond" ? ' transform="rotate(45 ' + p.x + " " + p.y + ')"' : "") + '/>');
      }
      var lines = [];
      var label = String(n.options.label || "");
      var size = n.labelModule.size || { top: p.y + s, height: 16, left: p.x };
      var wrapped = wrapLines(label, 200);
      var fontSize = (n.options.font && n.options.font.size) || 16;
      wrapped.forEach(function (line, i) {
        lines.push('<text x="' + p.x + '" y="' + (size.top + fontSize * (i + 0.85)) + '" text-anchor="middle" font-size="' + fontSize + '" fill="#343434">' + esc(line) + '</text>');
      });
      parts.push.apply(parts, lines);
    });
    parts.push("</svg>");
    return parts.join("\n");
  }
  function wrapLines(label, max) {
    var ctx = network.canvas.getContext();
    ctx.font = "16px system-ui, sans-serif";
    var out = [];
    label.split("\n").forEach(function (para) {
      var line = "";
      para.split(" ").forEach(function (word) {
        var next = line ? line + " " + word : word;
        if (line && ctx.measureText(next).width > max) { out.push(line); line = word; } else { line = next; }
      });
      out.push(line);
    });
    return out;
  }

  var view = {
    network: network, nodes: nodes, edges: edges, page: page,
    setLanguage: setLanguage, showDetails: showDetails, select: select, search: search,
    openGroup: openGroup, openAll: openAll, closeAll: closeAll, fit: fitLabels,
    exportPNG: exportPNG, exportSVG: exportSVG,
    ready: false, readyAt: null, stabilizedAt: null,
    language: function () { return lang; },
  };
  window.skgView = view;

  closeAll();
  var fitted = false;
  network.on("afterDrawing", function (ctx) {
    drawBands(ctx);
    if (view.ready) { return; }
    if (!fitted) { fitted = true; fitLabels(); return; }
    view.ready = true;
    view.readyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  });
  network.on("stabilized", function () { view.stabilizedAt = view.stabilizedAt || performance.now(); });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
  });
  network.on("click", function (params) {
    if (!params.nodes.length) { return; }
    var id = params.nodes[0];
    if (groups[id] && isClosed(id)) { openGroup(id); return; }
    showDetails(id);
  });
  document.getElementById("skg-png").addEventListener("click", function () {
    download(fileName("png"), exportPNG());
  });
  document.getElementById("skg-svg").addEventListener("click", function () {
    var blob = new Blob([exportSVG()], { type: "image/svg+xml" });
    var url = URL.createObjectURL(blob);
    download(fileName("svg"), url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });
  document.getElementById("skg-print").addEventListener("click", function () { window.print(); });
  document.getElementById("skg-fit").addEventListener("click", function () { closeAll(); fitLabels(); });

  var select_ = document.getElementById("skg-lang");
  Object.keys(page.languages).forEach(function (code) {
    var o = el("option", page.languages[code]);
    o.value = code;
    select_.appendChild(o);
  });
  select_.addEventListener("change", function () { setLanguage(select_.value); });
  var box = document.getElementById("skg-search");
  box.addEventListener("input", function () { search(box.value); });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = search(box.value);
      if (found.length) { document.getElementById("skg-results").hidden = true; select(found[0].id); }
    }
  });

  setLanguage(lang, true);
  var focus = hash.get("node");
  if (focus && byId.has(focus)) { select(focus); }
})();

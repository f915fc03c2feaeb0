/* servicekg graph views: draws the view with vis-network and adds the details panel, the
   legend, the search box and the language switch. Every text from the data is set with
   textContent (never innerHTML), so labels, quotes and names always show as text. */
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
  nodeData.forEach(function (n) { byId.set(n.id, n); });

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
        panel.appendChild(el("p", ui("english") + ": " + q.rendering, "skg-english"));
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
  var view = {
    network: network, nodes: nodes, edges: edges, page: page,
    setLanguage: setLanguage, showDetails: showDetails, select: select, search: search,
    ready: false, readyAt: null, stabilizedAt: null,
    language: function () { return lang; },
  };
  window.skgView = view;

  network.once("afterDrawing", function () {
    view.ready = true;
    view.readyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  });
  network.on("stabilized", function () { view.stabilizedAt = view.stabilizedAt || performance.now(); });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
  });
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); }
  });

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

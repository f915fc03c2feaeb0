// The servicekg query page: send the query to /sparql, show the answer.
// Every text from the data goes into the page with textContent, never as markup.
"use strict";

(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const picker = document.getElementById("example");
  const format = document.getElementById("format");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const examples = JSON.parse(document.getElementById("examples").textContent || "{}");

  picker.addEventListener("change", function () {
    if (picker.value && Object.prototype.hasOwnProperty.call(examples, picker.value)) {
      editor.value = examples[picker.value];
    }
  });

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function clear() {
    while (results.firstChild) {
      results.removeChild(results.firstChild);
    }
  }

  function cell(row, term) {
    const td = document.createElement("td");
    if (term) {
      td.className = term.type === "uri" ? "uri" : term.type;
      td.appendChild(document.createTextNode(term.value));
      const extra = term["xml:lang"] ? "@" + term["xml:lang"] : "";
      if (extra) {
        const span = document.createElement("span");
        span.className = "lang";
        span.textContent = extra;
        td.appendChild(span);
      }
    }
    row.appendChild(td);
  }

  function table(data) {
    const vars = data.head.vars || [];
    const rows = data.results.bindings || [];
    const t = document.createElement("table");
    const head = document.createElement("tr");
    vars.forEach(function (name) {
      const th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    });
    const thead = document.createElement("thead");
    thead.appendChild(head);
    t.appendChild(thead);
    const body = document.createElement("tbody");
    rows.forEach(function (binding) {
      const tr = document.createElement("tr");
      vars.forEach(function (name) { cell(tr, binding[name]); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    results.appendChild(t);
    say(rows.length + (rows.length === 1 ? " row" : " rows"), false);
  }

  function raw(text) {
    const pre = document.createElement("pre");
    pre.textContent = text;
    results.appendChild(pre);
  }

  function run() {
    clear();
    say("running...", false);
    const started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: new URLSearchParams({ query: editor.value })
    }).then(function (response) {
      return response.text().then(function (text) {
        const seconds = ((performance.now() - started) / 1000).toFixed(2);
        const type = response.headers.get("Content-Type") || "";
        if (!response.ok) {
          let message = text;
          try {
            const error = JSON.parse(text).error;
            message = error.message;
          } catch (ignored) { /* not our error shape: show the text */ }
          say(response.status + ": " + message, true);
          return;
        }
        if (format.value === "raw" || type.indexOf("sparql-results+json") < 0) {
          raw(text);
          say("done in " + seconds + " s", false);
          return;
        }
        const data = JSON.parse(text);
        if (Object.prototype.hasOwnProperty.call(data, "boolean")) {
          raw(String(data.boolean));
          say("done in " + seconds + " s", false);
          return;
        }
        table(data);
        status.textContent += " in " + seconds + " s";
      });
    }).catch(function (error) {
      say("the server did not answer: " + error, true);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });

  // A link may carry its query (/?query=...): show it and run it at once.
  const linked = new URLSearchParams(window.location.search).get("query");
  if (linked) {
    editor.value = linked;
    picker.value = "";
    run();
  }
})();

/* kamgraph org map page script. Plain ES5, no network access; CRM text is shown via textContent only. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-map"), { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  network.once("afterDrawing", function () {
    window.kgReadyMs = Math.round(performance.now());
    document.body.dataset.ready = "1";
  });

  var KIND_NAMES = {
    company: "Company", contact: "Contact", deal: "Deal", product: "Product",
    competitor: "Competitor", note: "Note", collapsed: "Collapsed branches"
  };
  var MAX_LINKS = 60;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function clear(parent) {
    while (parent.firstChild) { parent.removeChild(parent.firstChild); }
  }

  var panel = document.getElementById("kg-details");

  function addRow(dl, key, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", null, key));
    dl.appendChild(el("dd", null, value));
  }

  function showDetails(id) {
    clear(panel);
    delete panel.dataset.nodeId;
    var item = id === null ? null : nodes.get(id);
    if (!item) {
      panel.appendChild(el("p", "kg-hint", "Click a node to see its details."));
      return;
    }
    var kg = item.kg;
    panel.dataset.nodeId = String(item.id);
    panel.appendChild(el("h2", "kg-d-title", kg.label || "(no name)"));
    var facts = el("dl", "kg-d-facts");
    addRow(facts, "Kind", KIND_NAMES[kg.kind] || kg.kind);
    addRow(facts, kg.kind === "contact" ? "Decision role" : "Status", kg.status);
    addRow(facts, "Attitude", kg.attitude);
    if (kg.stale) { addRow(facts, "Data", "stale"); }
    if (kg.level !== null && kg.level !== undefined) { addRow(facts, "Level", kg.level); }
    panel.appendChild(facts);
    if (kg.badges.length) {
      var badges = el("ul", "kg-badges");
      kg.badges.forEach(function (b) { badges.appendChild(el("li", null, b)); });
      panel.appendChild(badges);
    }
    if (kg.details.length) {
      var details = el("dl", "kg-d-details");
      kg.details.forEach(function (pair) { addRow(details, pair[0], pair[1]); });
      panel.appendChild(details);
    }
    var linked = network.getConnectedEdges(id);
    if (linked.length) {
      panel.appendChild(el("h3", null, "Links (" + linked.length + ")"));
      var list = el("ul", "kg-links");
      linked.slice(0, MAX_LINKS).forEach(function (edgeId) {
        var edge = edges.get(edgeId);
        var other = edge.from === id ? edge.to : edge.from;
        var target = nodes.get(other);
        var button = el("button", "kg-link",
          String(edge.kgKind).replace(/_/g, " ") + (edge.kgLabel ? " (" + edge.kgLabel + ")" : "") +
          (edge.from === id ? " → " : " ← ") + (target ? target.kg.label || "(no name)" : other));
        button.type = "button";
        button.addEventListener("click", function () { focusNode(other); });
        var li = el("li");
        li.appendChild(button);
        list.appendChild(li);
      });
      panel.appendChild(list);
      if (linked.length > MAX_LINKS) {
        panel.appendChild(el("p", "kg-hint", (linked.length - MAX_LINKS) + " more not listed"));
      }
    }
  }

  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: false });
    showDetails(id);
  }

  network.on("click", function (params) {
    showDetails(params.nodes.length ? params.nodes[0] : null);
  });

  function norm(text) {
    return String(text).normalize("NFKC").toLocaleLowerCase();
  }

  var KIND_RANK = { contact: 0, company: 1, deal: 2, product: 3, competitor: 4, note: 5, collapsed: 6 };
  var index = nodes.get().map(function (n) {
    return { id: n.id, text: norm(n.kg.label), rank: KIND_RANK[n.kg.kind] || 9 };
  });

  var input = document.getElementById("kg-search");
  var status = document.getElementById("kg-search-status");
  var matches = [];
  var current = -1;

  function search(query) {
    var q = norm(query).trim();
    if (!q) { return []; }
    var found = [];
    index.forEach(function (entry) {
      var at = entry.text.indexOf(q);
      if (at < 0) { return; }
      var score = entry.text === q ? 0 : at === 0 ? 1 : 2;
      found.push({ id: entry.id, score: score, rank: entry.rank, text: entry.text });
    });
    found.sort(function (a, b) {
      return a.score - b.score || a.rank - b.rank ||
        (a.text < b.text ? -1 : a.text > b.text ? 1 : 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    return found.map(function (f) { return f.id; });
  }

  function showMatch() {
    status.classList.remove("kg-nomatch");
    if (!input.value.trim()) {
      status.textContent = "";
      return;
    }
    if (!matches.length) {
      status.textContent = "no match";
      status.classList.add("kg-nomatch");
      network.unselectAll();
      return;
    }
    focusNode(matches[current]);
    status.textContent = matches.length === 1 ? "1 match" :
      "match " + (current + 1) + " of " + matches.length + " (Enter: next)";
  }

  input.addEventListener("input", function () {
    matches = search(input.value);
    current = 0;
    showMatch();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    event.preventDefault();
    if (matches.length) { current = (current + 1) % matches.length; }
    showMatch();
  });
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.fit({ animation: false });
  });
}());

/* kamgraph org map page script. Plain ES5, no network access; CRM text is shown via textContent only.
 *
 * The page lays the map out itself, so that what is shown (layers, expanded branches, the chosen
 * product family) can change without a round trip: the family tree is an indented outline (like
 * a CRM account hierarchy) wrapped into columns, each member's people and deals to the right of
 * it; the first view is chosen so that every drawn name is at least MIN_PX pixels high.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var P = data.page;
  var container = document.getElementById("kg-map");
  // The first layout is computed on the plain data before vis-network sees it (one build
  // instead of a build and several updates); later changes go through the DataSets too.
  var nodes = null, edges = null, network = null;
  var raw = {}, rawEdges = data.edges;
  data.nodes.forEach(function (n) { raw[n.id] = n; });

  function merge(target, update) {
    for (var key in update) {
      if (Object.prototype.hasOwnProperty.call(update, key)) { target[key] = update[key]; }
    }
  }
  function updateNodes(list) {
    list.forEach(function (u) { if (raw[u.id]) { merge(raw[u.id], u); } else { raw[u.id] = u; } });
    if (nodes) { nodes.update(list); }
  }
  function removeNodes(ids) {
    ids.forEach(function (id) { delete raw[id]; });
    if (nodes) { nodes.remove(ids); }
  }
  function rawNodes() { return Object.keys(raw).map(function (id) { return raw[id]; }); }

  var MIN_PX = 12;          // smallest on-screen font size the first view allows
  var INDENT = 30;          // outline indent per family level (canvas units)
  var ROW_GAP = 14;          // (6 when members are folded: many one-line rows)
  var ITEM_GAP = 14;
  var COL_GAP = 40;
  var ITEMS_PER_LINE = 3;
  var MAX_SCALE = 1.25;
  var KIND_NAMES = {
    company: "Company", contact: "Contact", deal: "Deal", product: "Product",
    competitor: "Competitor", note: "Note", rep: "Our rep", collapsed: "Collapsed branches",
    more: "Folded members"
  };
  var MAX_LINKS = 60;

  // ---- model ---------------------------------------------------------------------------------
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var parentOf = {}, kidsOf = {}, order = [], roots = [];
  P.tree.forEach(function (pair) {
    order.push(pair[0]);
    kidsOf[pair[0]] = [];
  });
  P.tree.forEach(function (pair) {
    var id = pair[0], parent = pair[1];
    if (parent !== null && kidsOf[parent] && parent !== id) {
      parentOf[id] = parent;
      kidsOf[parent].push(id);
    }
  });
  var depthOf = {};
  (function () {  // depths by walking down from the roots; cycles become roots
    function walk(root) {
      roots.push(root);
      depthOf[root] = 0;
      var level = [root];
      while (level.length) {
        var next = [];
        level.forEach(function (id) {
          kidsOf[id] = kidsOf[id].filter(function (k) { return depthOf[k] === undefined; });
          kidsOf[id].forEach(function (k) { depthOf[k] = depthOf[id] + 1; next.push(k); });
        });
        level = next;
      }
    }
    order.forEach(function (id) { if (parentOf[id] === undefined) { walk(id); } });
    order.forEach(function (id) { if (depthOf[id] === undefined) { delete parentOf[id]; walk(id); } });
  }());
  var members = order.filter(function (id) { return byId[id] && byId[id].kg.kind === "company"; });

  var state = {
    layers: { contacts: true, deals: false, products: false, reps: false },
    deciders: false,
    family: P.family || "",
    expanded: {},
    userLayers: false
  };
  var collapsing = members.length > P.collapseAbove;
  var compact = collapsing;  // one-line member labels: the state's symbol and the name
  if (compact) { ROW_GAP = 6; }
  order.forEach(function (id) { state.expanded[id] = !collapsing || depthOf[id] === 0; });

  // ---- member states for the chosen product family ----------------------------------------------
  function memberState(kg) {
    if (!state.family) {
      return [P.statusStates[kg.status] || "untouched", ""];
    }
    var s = kg.states && kg.states[state.family];
    return s || ["untouched", ""];
  }

  function stateText(st, detail) {
    var look = P.states[st];
    var text = look.symbol + " " + look.text;
    if (st === "lost" && detail) { text = look.symbol + " lost to " + detail; }
    // An untouched member the next-buyers query ranks: "next buyer #1 (from .. to)".
    if (st === "untouched" && detail) { text = look.symbol + " " + detail; }
    return text;
  }

  function companyLook(node) {
    var kg = node.kg, sd = memberState(kg), look = P.states[sd[0]];
    return {
      id: node.id,
      label: compact ? look.symbol + " " + kg.short : kg.short + "\n" + stateText(sd[0], sd[1]),
      shape: look.shape,
      color: {
        background: look.background, border: look.border,
        highlight: { background: look.background, border: "#000000" },
        hover: { background: look.background, border: "#000000" }
      },
      borderWidth: look.width,
      borderWidthSelected: look.width + 2,
      shapeProperties: { borderDashes: look.dashes || false, borderRadius: 4 },
      kgState: sd[0]
    };
  }

  function paintStates() {
    updateNodes(members.map(function (id) { return companyLook(byId[id]); }));
  }

  // ---- what is visible -------------------------------------------------------------------------
  function companyVisible(id) {
    var p = parentOf[id];
    while (p !== undefined) {
      if (!state.expanded[p]) { return false; }
      p = parentOf[p];
    }
    return true;
  }

  function itemVisible(node, homeVisible) {
    var kg = node.kg;
    if (kg.kind === "contact") {
      return state.layers.contacts && homeVisible && (!state.deciders || kg.decisive);
    }
    if (kg.kind === "deal") {
      return state.layers.deals && homeVisible &&
        (!state.family || !kg.families.length || kg.families.indexOf(state.family) >= 0);
    }
    if (kg.kind === "product") { return state.layers.products; }
    if (kg.kind === "competitor") { return state.layers.products; }  // named on lost deals
    if (kg.kind === "rep") { return state.layers.reps; }
    return homeVisible;
  }

  function descendants(id) {
    var out = [], stack = kidsOf[id].slice();
    while (stack.length) {
      var k = stack.pop();
      out.push(k);
      stack.push.apply(stack, kidsOf[k]);
    }
    return out;
  }

  // Count nodes stand for the folded members below a company; clicking one unfolds it.
  function moreNode(id) {
    var below = descendants(id), tally = { won: 0, lost: 0, open: 0, untouched: 0 };
    below.forEach(function (k) { if (byId[k]) { tally[memberState(byId[k].kg)[0]] += 1; } });
    var folded = !state.expanded[id];
    var facts = ["won", "lost", "open"].filter(function (s) { return tally[s]; })
      .map(function (s) { return tally[s] + " " + s; });
    return {
      id: "more:" + id,
      label: collapsing ? (folded ? "▸ +" : "▾ −") + below.length
        : (folded ? "▸ " + below.length + " more member" + (below.length === 1 ? "" : "s")
          : "▾ fold " + below.length + " member" + (below.length === 1 ? "" : "s")) +
          (folded && facts.length ? "\n" + facts.join(" · ") : ""),
      title: below.length + " members below " + byId[id].kg.label +
        (facts.length ? ": " + facts.join(", ") : "") + (folded ? " (click to unfold)" : " (click to fold)"),
      shape: "box",
      margin: 8,
      font: { size: 14, face: data.options.nodes.font.face, color: "#1f2933" },
      color: { background: "#f5f5f5", border: "#616161",
        highlight: { background: "#eeeeee", border: "#000000" } },
      borderWidth: 2,
      shapeProperties: { borderDashes: [6, 4] },
      kg: { kind: "more", label: (folded ? "" : "fold ") + below.length + " members below " +
        byId[id].kg.label, target: id, details: [], badges: [], status: "", attitude: "" }
    };
  }

  // ---- sizes ------------------------------------------------------------------------------------
  var measure = document.createElement("canvas").getContext("2d");
  function boxSize(node) {
    var font = node.font || {}, size = font.size || 14;
    var lines = String(node.label || "").split("\n");
    measure.font = (font.bold ? "bold " : "") + size + "px " + data.options.nodes.font.face;
    var w = 0;
    lines.forEach(function (l) { w = Math.max(w, measure.measureText(l).width); });
    var margin = node.margin === undefined ? 5 : node.margin;
    var border = node.borderWidth || 1;
    if (node.widthConstraint && node.widthConstraint.minimum) {
      w = Math.max(w, node.widthConstraint.minimum - 2 * margin);
    }
    var width = w + 2 * margin + 2 * border, height = lines.length * size * 1.15 + 2 * margin + 2 * border;
    if (node.shape === "ellipse") { width *= 1.25; height *= 1.3; }
    return { w: width, h: height };
  }

  // ---- layout -------------------------------------------------------------------------------------
  var placed = {};  // id -> {x, y, w, h, col, left}
  var extra = [];   // ids of count nodes currently in the DataSet
  var columns = [];
  var bounds = { x: 0, y: 0, w: 1, h: 1 };

  function treeLayout() {
    var show = {}, rows = [], loose = [];
    var info = {};
    for (var key in raw) { if (Object.prototype.hasOwnProperty.call(raw, key)) { info[key] = raw[key]; } }
    var wantMore = [];
    function visit(id) {
      if (!byId[id] && !info[id]) { return; }
      show[id] = true;
      var items = [];
      if (kidsOf[id].length && (collapsing || !state.expanded[id])) {
        var more = moreNode(id);
        wantMore.push(more);
        info[more.id] = more;
        items.push(more.id);
      }
      (P.attached[id] || []).forEach(function (group) {
        group.forEach(function (item) {
          if (itemVisible(byId[item], true)) { items.push(item); show[item] = true; }
        });
      });
      rows.push({ id: id, depth: depthOf[id], items: items });
      if (state.expanded[id]) { kidsOf[id].forEach(visit); }
    }
    roots.forEach(visit);
    P.loose.forEach(function (item) {
      if (itemVisible(byId[item], true)) { loose.push(item); show[item] = true; }
    });

    // Keep the count nodes in the DataSet in step with the folds.
    var keep = {};
    wantMore.forEach(function (m) { keep[m.id] = true; });
    var gone = extra.filter(function (id) { return !keep[id]; });
    if (gone.length) { removeNodes(gone); }
    updateNodes(wantMore);
    extra = wantMore.map(function (m) { return m.id; });
    wantMore.forEach(function (m) { show[m.id] = true; });

    rows.forEach(function (row) {
      var box = boxSize(info[row.id]);
      row.box = box;
      var lineW = 0, lineH = 0, width = 0, height = 0, lines = [[]];
      row.items.forEach(function (item) {
        var s = boxSize(info[item]);
        if (lines[lines.length - 1].length >= ITEMS_PER_LINE) {
          width = Math.max(width, lineW); height += lineH + ITEM_GAP;
          lines.push([]); lineW = 0; lineH = 0;
        }
        lines[lines.length - 1].push({ id: item, w: s.w, h: s.h });
        lineW += s.w + ITEM_GAP; lineH = Math.max(lineH, s.h);
      });
      row.lines = lines;
      row.itemsW = Math.max(width, lineW);
      row.itemsH = height + lineH;
    });

    // A member's items go beside it or below it, and the rows into 1..8 columns: the
    // arrangement that lets the map be drawn biggest wins.
    var cw = container.clientWidth || 800, ch = container.clientHeight || 600;
    var best = null;
    [false, true].forEach(function (below) {
      rows.forEach(function (row) {
        var has = row.items.length > 0, base = row.depth * INDENT;
        row.w = below ? Math.max(base + row.box.w, has ? base + INDENT + row.itemsW : 0)
          : base + row.box.w + (has ? ITEM_GAP + row.itemsW : 0);
        row.h = below ? row.box.h + (has ? ITEM_GAP + row.itemsH : 0) : Math.max(row.box.h, row.itemsH);
      });
      var total = rows.reduce(function (a, r) { return a + r.h + ROW_GAP; }, 0);
      for (var k = 1; k <= Math.min(8, Math.max(1, rows.length)); k += 1) {
        var limit = total / k, cols = [[]], used = 0;
        rows.forEach(function (r) {
          var over = used + r.h > limit * 1.02, shallow = r.depth <= 1;
          if (used > 0 && cols.length < k && ((over && shallow) || used + r.h > limit * 1.4)) {
            cols.push([]); used = 0;
          }
          cols[cols.length - 1].push({ row: r, w: r.w, h: r.h });
          used += r.h + ROW_GAP;
        });
        var W = 0, H = 0;
        cols.forEach(function (c, i) {
          W += c.reduce(function (a, r) { return Math.max(a, r.w); }, 0) + (i ? COL_GAP : 0);
          H = Math.max(H, c.reduce(function (a, r) { return a + r.h + ROW_GAP; }, 0));
        });
        var s = Math.min(cw / W, ch / H);
        if (!best || s > best.s * 1.001) { best = { s: s, cols: cols, W: W, H: H, below: below }; }
      }
    });
    var moves = [];
    placed = {};
    columns = [];
    var left = 0;
    best.cols.forEach(function (col) {
      var y = 0, colW = col.reduce(function (a, r) { return Math.max(a, r.w); }, 0);
      columns.push({ left: left, width: colW });
      col.forEach(function (cell) {
        var row = cell.row, base = left + row.depth * INDENT;
        var cx = base + row.box.w / 2, cy = best.below ? y + row.box.h / 2 : y + cell.h / 2;
        placed[row.id] = { x: cx, y: cy, w: row.box.w, h: row.box.h, col: columns.length - 1 };
        moves.push({ id: row.id, x: cx, y: cy });
        var ix = best.below ? base + INDENT : base + row.box.w + ITEM_GAP;
        var iy = best.below ? y + row.box.h + ITEM_GAP : y + (cell.h - row.itemsH) / 2;
        row.lines.forEach(function (line) {
          var x = ix, lh = 0;
          line.forEach(function (it) {
            moves.push({ id: it.id, x: x + it.w / 2, y: iy + it.h / 2 });
            x += it.w + ITEM_GAP; lh = Math.max(lh, it.h);
          });
          iy += lh + ITEM_GAP;
        });
        y += cell.h + ROW_GAP;
      });
      left += colW + COL_GAP;
    });
    var width = Math.max(1, left - COL_GAP), height = best.H;
    if (loose.length) {
      var x = 0, y = height + 40, lh = 0;
      loose.forEach(function (id) {
        var s = boxSize(info[id]);
        if (x > 0 && x + s.w > width) { x = 0; y += lh + ITEM_GAP; lh = 0; }
        moves.push({ id: id, x: x + s.w / 2, y: y + s.h / 2 });
        x += s.w + ITEM_GAP; lh = Math.max(lh, s.h);
      });
      height = y + lh;
    }
    bounds = { x: 0, y: -22, w: width, h: height + 22 };  // room for "under …" hints
    return { show: show, moves: moves };
  }

  // The portfolio: a key-account matrix, groups placed by their scores, pushed apart vertically.
  var MATRIX_W = 1000, MATRIX_H = 700;
  var truePoints = [];
  function matrixLayout() {
    var show = {}, moves = [], boxes = [], unplaced = [];
    rawNodes().forEach(function (n) {
      show[n.id] = true;
      if (!n.kg.point) { unplaced.push(n); return; }
      var s = boxSize(n);
      boxes.push({ id: n.id, x: n.kg.point[0] * MATRIX_W, y: (1 - n.kg.point[1]) * MATRIX_H, w: s.w, h: s.h });
    });
    // Each group stays inside its quadrant's cell; overlapping boxes are pushed apart along the
    // axis where they overlap least.
    boxes.forEach(function (b) {
      var cx = b.x < MATRIX_W / 2 ? 0 : MATRIX_W / 2, cy = b.y < MATRIX_H / 2 ? 0 : MATRIX_H / 2;
      // a crowded quadrant spills outwards (away from the others), never into a neighbour
      var out = 260;
      b.cell = [cx ? cx + 6 : -out, cy ? cy + 6 : -out / 2, cx ? MATRIX_W + out : cx + MATRIX_W / 2 - 6,
        cy ? MATRIX_H + out / 2 : cy + MATRIX_H / 2 - 6];
      b.inner = [cx + 6, cy + 34, cx + MATRIX_W / 2 - 6, cy + MATRIX_H / 2 - 6];
    });
    // Biggest first, each box takes the free spot nearest its true point inside its cell; the
    // true point stays marked (drawMatrix) when the box had to move.
    function overlaps(b, x, y, done) {
      return done.some(function (o) {
        return Math.abs(o.x - x) < (o.w + b.w) / 2 + 6 && Math.abs(o.y - y) < (o.h + b.h) / 2 + 4;
      });
    }
    boxes.sort(function (a, b) { return b.h - a.h || b.w - a.w || (a.id < b.id ? -1 : 1); });
    var done = [];
    boxes.forEach(function (b) {
      b.px = b.x; b.py = b.y;
      var x0 = b.cell[0] + b.w / 2, x1 = b.cell[2] - b.w / 2, y0 = b.cell[1] + b.h / 2, y1 = b.cell[3] - b.h / 2;
      var ideal = {
        x: Math.max(b.inner[0] + b.w / 2, Math.min(b.inner[2] - b.w / 2, b.x)),
        y: Math.max(b.inner[1] + b.h / 2, Math.min(b.inner[3] - b.h / 2, b.y))
      };
      var spots = [];
      for (var x = x0; x <= x1 + 0.1; x += 10) {
        for (var y = y0; y <= y1 + 0.1; y += 8) { spots.push([x, y]); }
      }
      spots.sort(function (p, q) {
        return (Math.pow(p[0] - ideal.x, 2) + Math.pow(p[1] - ideal.y, 2)) -
          (Math.pow(q[0] - ideal.x, 2) + Math.pow(q[1] - ideal.y, 2));
      });
      var spot = null;
      for (var i = 0; i < spots.length && !spot; i += 1) {
        if (!overlaps(b, spots[i][0], spots[i][1], done)) { spot = spots[i]; }
      }
      b.x = spot ? spot[0] : ideal.x; b.y = spot ? spot[1] : ideal.y;
      done.push(b);
    });
    truePoints = boxes.map(function (b) { return [b.id, b.px, b.py, b.x, b.y]; });
    boxes.forEach(function (b) { moves.push({ id: b.id, x: b.x, y: b.y }); });
    var x = 0, y = MATRIX_H + 60;
    unplaced.forEach(function (n) {
      var s = boxSize(n);
      if (x > 0 && x + s.w > MATRIX_W) { x = 0; y += 60; }
      moves.push({ id: n.id, x: x + s.w / 2, y: y });
      x += s.w + ITEM_GAP;
    });
    function edge(pick, side, start) {
      return boxes.reduce(function (m, b) { return pick(m, side(b)); }, start);
    }
    var top = edge(Math.min, function (b) { return b.y - b.h / 2; }, 0);
    var bottom = Math.max(unplaced.length ? y + 30 : 0, edge(Math.max, function (b) { return b.y + b.h / 2; }, MATRIX_H));
    var leftmost = edge(Math.min, function (b) { return b.x - b.w / 2; }, 0);
    var rightmost = edge(Math.max, function (b) { return b.x + b.w / 2; }, MATRIX_W);
    bounds = { x: leftmost - 40, y: top - 20, w: rightmost - leftmost + 60, h: bottom - top + 60 };
    return { show: show, moves: moves };
  }

  function layout() {
    var plan = P.matrix ? matrixLayout() : treeLayout();
    var updates = plan.moves.map(function (m) { return { id: m.id, x: m.x, y: m.y, hidden: false }; });
    var moved = {};
    updates.forEach(function (u) { moved[u.id] = true; });
    Object.keys(raw).forEach(function (id) {
      if (!moved[id]) { updates.push({ id: id, hidden: true }); }
    });
    updateNodes(updates);
    var edgeUpdates = rawEdges.map(function (e) {
      e.hidden = !plan.show[e.from] || !plan.show[e.to] || P.hiddenEdges.indexOf(e.kgKind) >= 0;
      return { id: e.id, hidden: e.hidden };
    });
    if (edges) { edges.update(edgeUpdates); }
  }

  function smallestFont() {
    var min = 99;
    rawNodes().filter(function (n) { return !n.hidden; }).forEach(function (n) {
      min = Math.min(min, (n.font && n.font.size) || 14);
    });
    return min;
  }

  function view() {
    var scale = fittedScale();
    network.moveTo({
      position: { x: bounds.x + bounds.w / 2, y: bounds.y + bounds.h / 2 },
      scale: scale, animation: false
    });
    return scale;
  }

  // First view: people are drawn only when they (and every name) fit at MIN_PX or more.
  function fittedScale() {
    var cw = container.clientWidth || 800, ch = container.clientHeight || 600;
    return Math.min(MAX_SCALE, 0.97 * Math.min(cw / bounds.w, ch / bounds.h));
  }

  function firstLayout() {
    layout();
    if (!P.matrix && !state.userLayers && state.layers.contacts &&
        fittedScale() * smallestFont() < MIN_PX) {
      state.layers.contacts = false;
      syncControls();
      layout();
      note("People are hidden so that every name stays legible: tick “people” or search a name.");
    }
    if (!P.matrix && !compact && fittedScale() * smallestFont() < MIN_PX) {
      compact = true;
      ROW_GAP = 6;
      paintStates();
      layout();
    }
  }

  // ---- drawing: outline connectors, matrix quadrants --------------------------------------------------
  function drawOutline(ctx) {
    if (P.matrix) { drawMatrix(ctx); return; }
    var hinted = {};
    ctx.save();
    members.forEach(function (id) {
      var p = parentOf[id];
      if (p === undefined || !placed[id] || !placed[p]) { return; }
      var a = placed[p], b = placed[id];
      var top = a.y + a.h / 2;
      var stub = a.x - a.w / 2 + INDENT / 2;
      if (a.col !== b.col) {  // the parent is in another column: name it at the column's top
        stub = columns[b.col].left + depthOf[p] * INDENT + INDENT / 2;
        top = -4;
        var key = b.col + "|" + p;
        if (!hinted[key]) {
          hinted[key] = true;
          ctx.setLineDash([]);
          ctx.fillStyle = "#52606d";
          ctx.font = "13px " + data.options.nodes.font.face;
          ctx.textAlign = "left";
          ctx.fillText("↳ under " + byId[p].kg.short, stub - INDENT / 2, -8);
        }
      }
      var x = stub, childLeft = b.x - b.w / 2;
      ctx.beginPath();
      ctx.setLineDash(byId[id].kg.link === "branch_of" ? [5, 4] : []);
      ctx.strokeStyle = byId[id].kg.link === "branch_of" ? "#8d6e63" : "#455a64";
      ctx.lineWidth = byId[id].kg.link === "branch_of" ? 1.5 : 2;
      ctx.moveTo(x, top);
      ctx.lineTo(x, b.y);
      ctx.lineTo(childLeft, b.y);
      ctx.stroke();
    });
    ctx.restore();
  }

  function drawMatrix(ctx) {
    var m = P.matrix;
    ctx.save();
    var fills = { strategic: "#e8f5e9", star: "#fff8e1", status: "#e3f2fd", streamline: "#f5f5f5" };
    m.quadrants.forEach(function (q) {
      var x = (q[1] - 0.25) * MATRIX_W, y = (1 - q[2] - 0.25) * MATRIX_H;
      ctx.fillStyle = fills[q[0]] || "#fafafa";
      ctx.fillRect(x, y, MATRIX_W / 2, MATRIX_H / 2);
      ctx.fillStyle = "#607d8b";
      ctx.font = "bold 20px " + data.options.nodes.font.face;
      var right = q[1] > 0.5;
      ctx.textAlign = right ? "right" : "left";
      ctx.fillText(q[0].toUpperCase(), right ? x + MATRIX_W / 2 - 10 : x + 10, y + 24);
    });
    ctx.strokeStyle = "#90a4ae";
    ctx.lineWidth = 1.5;
    ctx.strokeRect(0, 0, MATRIX_W, MATRIX_H);
    truePoints.forEach(function (t) {
      ctx.fillStyle = "#37474f";
      ctx.beginPath();
      ctx.arc(t[1], t[2], 4, 0, 2 * Math.PI);
      ctx.fill();
      if (Math.abs(t[1] - t[3]) + Math.abs(t[2] - t[4]) > 12) {
        ctx.strokeStyle = "rgba(55,71,79,0.5)";
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(t[1], t[2]);
        ctx.lineTo(t[3], t[4]);
        ctx.stroke();
      }
    });
    ctx.fillStyle = "#455a64";
    ctx.font = "15px " + data.options.nodes.font.face;
    ctx.textAlign = "right";
    ctx.fillText(m.x, MATRIX_W, MATRIX_H + 22);
    ctx.translate(-14, 0);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(m.y, 0, 0);
    ctx.restore();
  }

  // ---- page helpers --------------------------------------------------------------------------------
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function clear(parent) {
    while (parent.firstChild) { parent.removeChild(parent.firstChild); }
  }

  var noteBox = document.getElementById("kg-view-note");
  function note(text) { if (noteBox) { noteBox.textContent = text; } }

  var panel = document.getElementById("kg-details");

  function addRow(dl, key, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", null, key));
    dl.appendChild(el("dd", null, value));
  }

  var SAFE_LINK = /^[^\/\\:?#]+\.html$/;

  function showDetails(id) {
    clear(panel);
    delete panel.dataset.nodeId;
    var item = id === null || id === undefined ? null : nodes.get(id);
    if (!item) {
      panel.appendChild(el("p", "kg-hint", "Click a member, person or deal to see its details."));
      return;
    }
    var kg = item.kg;
    panel.dataset.nodeId = String(item.id);
    panel.appendChild(el("h2", "kg-d-title", kg.label || "(no name)"));
    var facts = el("dl", "kg-d-facts");
    addRow(facts, "Kind", KIND_NAMES[kg.kind] || kg.kind);
    if (kg.kind === "company" && !P.matrix) {
      var sd = memberState(kg);
      addRow(facts, state.family || "All families", stateText(sd[0], sd[1]));
    }
    addRow(facts, kg.kind === "contact" ? "Decision role" : "Status", kg.status);
    addRow(facts, "Attitude", kg.attitude);
    if (kg.stale) { addRow(facts, "Data", "stale"); }
    if (kg.depth !== null && kg.depth !== undefined) { addRow(facts, "Level", kg.depth); }
    panel.appendChild(facts);
    if (kg.link && SAFE_LINK.test(kg.link)) {
      var a = el("a", "kg-open", "Open this group's map");
      a.setAttribute("href", encodeURIComponent(kg.link));
      panel.appendChild(a);
    }
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
        var words = P.edgeWords[edge.kgKind] || [String(edge.kgKind).replace(/_/g, " "), String(edge.kgKind).replace(/_/g, " ")];
        var button = el("button", "kg-link",
          (edge.from === id ? words[0] : words[1]) + " " + (target ? target.kg.label || "(no name)" : other) +
          (edge.kgLabel ? " (" + edge.kgLabel + ")" : ""));
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

  // Make a node visible: unfold its members' parents, switch its layer on.
  function reveal(id) {
    var node = byId[id];
    if (!node) { return; }
    var kg = node.kg, changed = false;
    var home = kg.kind === "company" ? parentOf[id] : kg.home;
    while (home !== undefined && home !== null) {
      if (!state.expanded[home] && kidsOf[home] && kidsOf[home].length) { state.expanded[home] = true; changed = true; }
      home = parentOf[home];
    }
    if (kg.kind === "contact" && !state.layers.contacts) { state.layers.contacts = true; changed = true; }
    if (kg.kind === "contact" && state.deciders && !kg.decisive) { state.deciders = false; changed = true; }
    if (kg.kind === "deal" && !state.layers.deals) { state.layers.deals = true; changed = true; }
    if ((kg.kind === "product" || kg.kind === "competitor") && !state.layers.products) {
      state.layers.products = true; changed = true;
    }
    if (kg.kind === "rep" && !state.layers.reps) { state.layers.reps = true; changed = true; }
    if (changed) { syncControls(); layout(); }
  }

  function focusNode(id) {
    reveal(id);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: false });
    showDetails(id);
  }

  function toggleFold(companyId) {
    state.expanded[companyId] = !state.expanded[companyId];
    layout();
    view();
  }

  function onClick(params) {
    var id = params.nodes.length ? params.nodes[0] : null;
    var node = id === null ? null : nodes.get(id);
    if (node && node.kg.kind === "more") {
      toggleFold(node.kg.target);
      return;
    }
    showDetails(id);
  }

  // ---- search: name, title or role ------------------------------------------------------------------
  function norm(text) {
    return String(text).normalize("NFKC").toLocaleLowerCase();
  }

  var KIND_RANK = { contact: 0, company: 1, deal: 2, rep: 3, product: 4, competitor: 5, note: 6, collapsed: 7 };
  var index = data.nodes.map(function (n) {
    var kg = n.kg;
    return {
      id: n.id, name: norm(kg.label),
      text: norm([kg.label, kg.title || "", kg.kind === "contact" ? (kg.roles || []).join(" ") : ""].join("\n")),
      rank: KIND_RANK[kg.kind] === undefined ? 9 : KIND_RANK[kg.kind]
    };
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
      var score = entry.name === q ? 0 : entry.name.indexOf(q) === 0 ? 1 : entry.name.indexOf(q) > 0 ? 2 : 3;
      found.push({ id: entry.id, score: score, rank: entry.rank, text: entry.name });
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
      showDetails(null);
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
    if (event.key === "Escape") {
      input.value = ""; matches = []; showMatch(); showDetails(null); network.unselectAll();
      return;
    }
    if (event.key !== "Enter") { return; }
    event.preventDefault();
    if (matches.length) { current = (current + 1) % matches.length; }
    showMatch();
  });

  // ---- controls ------------------------------------------------------------------------------------
  function byIdEl(id) { return document.getElementById(id); }
  var familySelect = byIdEl("kg-family");
  function syncControls() {
    ["contacts", "deals", "products", "reps"].forEach(function (layer) {
      var box = byIdEl("kg-layer-" + layer);
      if (box) { box.checked = state.layers[layer]; }
    });
    var d = byIdEl("kg-deciders");
    if (d) { d.checked = state.deciders; }
    if (familySelect) { familySelect.value = state.family; }
  }

  ["contacts", "deals", "products", "reps"].forEach(function (layer) {
    var box = byIdEl("kg-layer-" + layer);
    if (!box) { return; }
    box.addEventListener("change", function () {
      state.layers[layer] = box.checked;
      state.userLayers = true;
      layout();
      view();
    });
  });
  var decidersBox = byIdEl("kg-deciders");
  if (decidersBox) {
    decidersBox.addEventListener("change", function () {
      state.deciders = decidersBox.checked;
      if (state.deciders) { state.layers.contacts = true; }
      state.userLayers = true;
      syncControls();
      layout();
      view();
    });
  }
  if (familySelect) {
    familySelect.addEventListener("change", function () {
      state.family = familySelect.value;
      paintStates();
      layout();
      if (panel.dataset.nodeId) { showDetails(panel.dataset.nodeId); }
    });
  }
  function foldAll(open) {
    order.forEach(function (id) { state.expanded[id] = open || depthOf[id] === 0; });
    layout();
    view();
  }
  var expandAll = byIdEl("kg-expand"), collapseAll = byIdEl("kg-collapse");
  if (expandAll) { expandAll.addEventListener("click", function () { foldAll(true); }); }
  if (collapseAll) { collapseAll.addEventListener("click", function () { collapsing = true; foldAll(false); }); }
  byIdEl("kg-fit").addEventListener("click", function () { view(); });
  byIdEl("kg-print").addEventListener("click", function () { window.print(); });
  byIdEl("kg-png").addEventListener("click", function () {
    var source = container.querySelector("canvas");
    var copy = document.createElement("canvas");
    copy.width = source.width; copy.height = source.height;
    var c = copy.getContext("2d");
    c.fillStyle = "#ffffff";
    c.fillRect(0, 0, copy.width, copy.height);
    c.drawImage(source, 0, 0);
    var a = document.createElement("a");
    a.download = (document.title || "orgmap").replace(/[^\w\u00C0-\uFFFF.-]+/g, "-") + ".png";
    a.href = copy.toDataURL("image/png");
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
  });

  // Keyboard: "/" finds, Escape clears, Enter on a selected count unfolds it, arrows/+/- move.
  document.addEventListener("keydown", function (event) {
    var typing = event.target && (event.target.tagName === "INPUT" || event.target.tagName === "SELECT");
    if (typing) { return; }
    if (event.key === "/") { event.preventDefault(); input.focus(); return; }
    if (event.key === "Escape") { network.unselectAll(); showDetails(null); return; }
    if (event.key === "Enter") {
      var sel = network.getSelectedNodes();
      var node = sel.length ? nodes.get(sel[0]) : null;
      if (node && node.kg.kind === "more") { toggleFold(node.kg.target); }
    }
  });

  // People as a list too (keyboard and screen readers): deciders first, each opens its card.
  (function () {
    var people = data.nodes.filter(function (n) { return n.kg.kind === "contact"; });
    var box = byIdEl("kg-people-box"), list = byIdEl("kg-people");
    if (!people.length || !box || !list) { return; }
    people.sort(function (a, b) {
      return (b.kg.decisive ? 1 : 0) - (a.kg.decisive ? 1 : 0) ||
        (a.kg.label < b.kg.label ? -1 : a.kg.label > b.kg.label ? 1 : 0);
    });
    people.forEach(function (n) {
      var home = n.kg.home && byId[n.kg.home] ? byId[n.kg.home].kg.short : "";
      var text = (n.kg.decisive ? "★ " : "") + (n.kg.label || "(no name)") + " — " +
        [n.kg.status || "no role known", n.kg.title, home].filter(function (x) { return x; }).join(", ");
      var button = el("button", "kg-link", text);
      button.type = "button";
      button.addEventListener("click", function () { focusNode(n.id); });
      var li = el("li");
      li.appendChild(button);
      list.appendChild(li);
    });
    byIdEl("kg-people-title").textContent = "People (" + people.length + ", " +
      people.filter(function (n) { return n.kg.decisive; }).length + " deciders)";
    box.hidden = false;
  }());

  // ---- first paint -------------------------------------------------------------------------------------
  if (!P.matrix) { paintStates(); }
  syncControls();
  firstLayout();
  nodes = new vis.DataSet(rawNodes());
  edges = new vis.DataSet(rawEdges);
  network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  network.on("beforeDrawing", drawOutline);
  network.on("click", onClick);
  network.once("afterDrawing", function () {
    window.kgReadyMs = Math.round(performance.now());
    document.body.dataset.ready = "1";
  });
  view();
  network.redraw();
}());

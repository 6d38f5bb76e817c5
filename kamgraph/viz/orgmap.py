"""Render an :class:`~kamgraph.viz.model.OrgMap` to one self-contained HTML page that works offline.

The network is built with pyvis (nodes, edges, styles, fixed x/y positions);
the page around it is kamgraph's own template, because pyvis's templates load
their scripts and styles from CDNs. The template inlines vis-network's script
and stylesheet from the pyvis package, embeds the map as escaped JSON, and
shows every CRM string via ``textContent`` or canvas text only, never as HTML.
The output depends only on the input: same map, byte-identical page.
"""

from __future__ import annotations

import html
import json
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kamgraph.files import atomic_write
from kamgraph.viz import style
from kamgraph.viz.collapse import CollapsedGroup, collapse_branches
from kamgraph.viz.model import MapEdge, MapNode, OrgMap

DEFAULT_COLLAPSE_THRESHOLD = 1500
"""Maps with more nodes than this get their branches (level >= 2) collapsed into count nodes."""

VIS_VERSION = "10.1.5"
"""The vis-network release vendored in kamgraph/viz/vendor/vis-network (see its README)."""
VIS_FILE = "vis-network.min.js"
COLLAPSE_ABOVE = 40
"""Groups with more members than this open with the members below level 1 folded into counts."""

KIND_NAMES: dict[str, str] = {
    "company": "Company",
    "contact": "Contact",
    "deal": "Deal",
    "product": "Product",
    "competitor": "Competitor",
    "note": "Note",
    "rep": "Our rep",
    "collapsed": "Collapsed branches",
}
_ATTACHED_ORDER = ("contact", "deal", "note", "product", "competitor", "rep")
_DEAL_ORDER = {"open": 0, "won": 1, "lost": 2}

NETWORK_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False, "hierarchical": {"enabled": False}},
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": False,
        "hideEdgesOnZoom": False,
        "multiselect": False,
        "navigationButtons": False,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "zoomSpeed": 0.6,
    },
    "nodes": {"font": {"face": style.FONT_FACE}},
    "edges": {
        "smooth": False,
        "selectionWidth": 1.5,
        "font": {"face": style.FONT_FACE, "size": 10},
    },
}
BIG_MAP = 600
"""From this many nodes on, edges are hidden while dragging or zooming to keep the page smooth."""

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")
_SOURCE_MAP_RE = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def script_json(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no raw ``<``, ``>``, ``&``, U+2028/9.

    Those characters only occur inside JSON strings, where the ``\\uXXXX`` form
    means the same, so ``JSON.parse`` gives back exactly the original text.
    """
    text = json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


@lru_cache(maxsize=1)
def vis_assets() -> str:
    """The vendored vis-network standalone build (it injects its own styles), safe to inline."""
    js = (resources.files("kamgraph.viz") / "vendor" / "vis-network" / VIS_FILE).read_text(
        encoding="utf-8"
    )
    js = _SOURCE_MAP_RE.sub("", js)
    lowered = js.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise RuntimeError("vis-network.min.js cannot be inlined: it contains '</script' or '<!--'")
    if re.search(r"(?<![\w.])url\(\s*(?!\\?['\"]?data:)", lowered):
        raise RuntimeError("vis-network.min.js cannot be inlined offline: its styles load a URL")
    return js


@lru_cache(maxsize=1)
def _page_assets() -> tuple[string.Template, str, str]:
    base = resources.files("kamgraph.viz") / "templates"
    return (
        string.Template((base / "orgmap.html").read_text(encoding="utf-8")),
        (base / "orgmap.css").read_text(encoding="utf-8"),
        (base / "orgmap.js").read_text(encoding="utf-8"),
    )


@dataclass
class _Prepared:
    """The map after validation and collapsing, with everything the page needs."""

    nodes: dict[str, MapNode]
    edges: list[MapEdge]
    groups: dict[str, CollapsedGroup]
    notes: list[str] = field(default_factory=list)


def _prepare(org: OrgMap, collapse_threshold: int | None) -> _Prepared:
    nodes: dict[str, MapNode] = {}
    for node in org.nodes:
        if node.id in nodes:
            raise ValueError(f"org map has two nodes with id {node.id!r}")
        nodes[node.id] = node
    edges = [e for e in org.edges if e.source in nodes and e.target in nodes]
    notes = [style.clean(n) for n in org.notes]
    dropped = len(org.edges) - len(edges)
    if dropped:
        notes.append(
            f"{dropped} link{'s' if dropped != 1 else ''} to items not on this map left out."
        )
    groups: dict[str, CollapsedGroup] = {}
    if collapse_threshold is not None and len(nodes) > collapse_threshold:
        collapsed = collapse_branches(
            OrgMap(org.title, org.as_of, org.summary, tuple(nodes.values()), tuple(edges))
        )
        if collapsed is not None:
            nodes = {n.id: n for n in collapsed.nodes}
            edges = list(collapsed.edges)
            groups = {g.id: g for g in collapsed.groups}
            notes.append(collapsed.note)
    edges.sort(key=lambda e: (e.source, e.target, e.kind, e.label))
    return _Prepared(nodes, edges, groups, notes)


def _sort_label(node: MapNode) -> tuple[str, str]:
    return (style.clean(node.label).casefold(), node.id)


def _placement(
    prep: _Prepared,
) -> tuple[list[tuple[str, str | None]], dict[str, list[list[str]]], list[str]]:
    """Tree nodes with parents, attached item groups per tree node, and loose items."""
    nodes = prep.nodes
    tree: list[tuple[str, str | None]] = [
        (n.id, n.parent) for n in sorted(nodes.values(), key=_sort_label) if n.kind == "company"
    ]
    tree += [(g.id, g.parent) for g in sorted(prep.groups.values(), key=lambda g: g.id)]
    tree_ids = {node_id for node_id, _ in tree}

    def parent_anchor(node: MapNode) -> str | None:
        seen = {node.id}
        current = node
        while current.parent is not None and current.parent not in seen:
            if current.parent in tree_ids:
                return current.parent
            if current.parent not in nodes:
                return None
            seen.add(current.parent)
            current = nodes[current.parent]
        return None

    items = [n for n in nodes.values() if n.kind != "company"]
    anchor: dict[str, str | None] = {n.id: parent_anchor(n) for n in items}
    neighbours: dict[str, set[str]] = {}
    for edge in prep.edges:
        neighbours.setdefault(edge.source, set()).add(edge.target)
        neighbours.setdefault(edge.target, set()).add(edge.source)
    by_parent = dict(anchor)  # neighbours count by their parent anchor only: order-independent
    for node in items:
        if anchor[node.id] is None:
            near = {
                other if other in tree_ids else by_parent.get(other)
                for other in neighbours.get(node.id, ())
            }
            near.discard(None)
            if len(near) == 1:
                anchor[node.id] = near.pop()

    boss: dict[str, str] = {}
    for edge in prep.edges:
        if edge.kind == "reports_to" and edge.source in nodes and edge.source not in boss:
            boss[edge.source] = edge.target

    def chain_depth(node_id: str) -> int:
        seen = {node_id}
        depth = 0
        while node_id in boss and boss[node_id] not in seen:
            node_id = boss[node_id]
            seen.add(node_id)
            depth += 1
        return depth

    def item_key(node: MapNode) -> tuple[int, int, str, str]:
        if node.kind == "contact":
            sub = chain_depth(node.id)
        elif node.kind == "deal":
            sub = _DEAL_ORDER.get(node.status.casefold().strip(), 3)
        else:
            sub = 0
        return (_ATTACHED_ORDER.index(node.kind), sub, *_sort_label(node))

    attached: dict[str, list[list[str]]] = {}
    loose: list[MapNode] = []
    for node in sorted(items, key=item_key):
        home = anchor[node.id]
        if home is None:
            loose.append(node)
            continue
        groups = attached.setdefault(home, [])
        if not groups or nodes[groups[-1][0]].kind != node.kind:
            groups.append([])
        groups[-1].append(node.id)
    return tree, attached, [n.id for n in loose]


def _tooltip(lines: Iterable[str]) -> str:
    return "\n".join(line for line in lines if line)


def _depths(tree: list[tuple[str, str | None]]) -> dict[str, int]:
    """Depth of every tree node below its root (a node in a parent cycle starts a root)."""
    known = {node_id for node_id, _ in tree}
    parent = {n: p for n, p in tree if p is not None and p in known and p != n}
    depths: dict[str, int] = {}
    for node_id, _ in tree:
        chain, current = [], node_id
        while current not in depths and current not in chain:
            chain.append(current)
            if current not in parent:
                break
            current = parent[current]
        base = depths.get(current, -1) if current not in chain else -1
        for i, item in enumerate(reversed(chain)):
            depths[item] = base + 1 + i
    return depths


#: Links the page does not draw as lines: the outline, rows and cards already show them.
HIDDEN_EDGES = (
    "subsidiary_of",
    "branch_of",
    "works_at",
    "deal_of",
    "reports_to",
    "role",
    "lost_to",
)
#: How the details panel words a link, seen from its source and from its target.
EDGE_WORDS: dict[str, tuple[str, str]] = {
    "subsidiary_of": ("subsidiary of", "parent of subsidiary"),
    "branch_of": ("branch of", "has branch"),
    "works_at": ("works at", "employs"),
    "reports_to": ("reports to", "manages"),
    "deal_of": ("deal of", "has deal"),
    "includes": ("includes", "included in"),
    "lost_to": ("lost to", "won against us"),
    "role": ("role in", "role held by"),
    "knows": ("knows", "known by"),
}


def _build_network(
    prep: _Prepared, org: OrgMap
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """Build the pyvis Network; return its nodes, edges and options, and the page's layout data."""
    from pyvis.network import Network  # heavy import (IPython, jinja2): only when rendering

    tree, attached, loose = _placement(prep)
    depths = _depths(tree)
    home = {item: owner for owner, groups in attached.items() for g in groups for item in g}

    net = Network(directed=True)
    options = json.loads(json.dumps(NETWORK_OPTIONS))
    if len(prep.nodes) + len(prep.groups) >= BIG_MAP:
        options["interaction"]["hideEdgesOnDrag"] = True
        options["interaction"]["hideEdgesOnZoom"] = True
    net.options = options
    parent_link = {e.source: e.kind for e in prep.edges if e.kind in ("subsidiary_of", "branch_of")}

    entries: list[tuple[str, style.NodeStyle, str, dict[str, Any]]] = []
    for node in prep.nodes.values():
        depth = depths.get(node.id)
        if node.kind == "company":
            drawn = style.company_style(node, depth or 0)
        elif node.kind == "contact":
            drawn = style.contact_style(node)
        elif node.kind == "deal":
            drawn = style.deal_style(node)
        elif node.kind == "rep":
            drawn = style.rep_style(node)
        else:
            drawn = style.other_style(node)
        label = style.clean(node.label)
        status = style.clean(node.status).strip()
        attitude = style.canonical_attitude(node.attitude) if node.attitude else ""
        badges = [style.clean(b) for b in node.badges]
        facts = " · ".join(
            x for x in (KIND_NAMES[node.kind], status, attitude, "stale" if node.faded else "") if x
        )
        info: dict[str, Any] = {
            "kind": node.kind,
            "label": label,
            "short": style.short(label or "(no name)", 30),
            "status": status,
            "attitude": attitude,
            "stale": node.faded,
            "depth": depth if node.kind == "company" else None,
            "home": home.get(node.id),
            "badges": badges,
            "details": [[style.clean(k), style.clean(v)] for k, v in node.details],
        }
        if node.kind == "company":
            info["states"] = {
                style.clean(f): [state, style.clean(detail)] for f, state, detail in node.states
            }
            info["link"] = parent_link.get(node.id, "")
            if node.link:
                info["link"] = style.clean(node.link)
            if node.point is not None:
                info["point"] = [round(node.point[0], 4), round(node.point[1], 4)]
        if node.kind == "contact":
            info["title"] = style.clean(node.title)
            info["roles"] = [status] if status else []
            info["decisive"] = node.decisive
        if node.kind == "deal":
            info["families"] = [style.clean(f) for f in node.families]
        tip = _tooltip([label or "(no name)", facts, *badges])
        entries.append((node.id, drawn, tip, info))
    for group in prep.groups.values():
        drawn = style.collapsed_style(group.label)
        info = {
            "kind": "collapsed",
            "label": group.label.replace("\n", " — "),
            "short": group.label,
            "status": "",
            "attitude": "",
            "stale": False,
            "depth": depths.get(group.id, 0),
            "home": None,
            "badges": [],
            "details": [[k, v] for k, v in group.details],
        }
        entries.append(
            (group.id, drawn, _tooltip([group.label, "Collapsed; see the page notes"]), info)
        )

    for node_id, drawn, title, info in sorted(entries, key=lambda e: e[0]):
        net.add_node(node_id, label=drawn.label, x=0, y=0, title=title, kg=info, **drawn.options)

    for index, edge in enumerate(prep.edges):
        # Edge labels are not drawn; they show in the edge tooltip and the details panel.
        kind = style.clean(edge.kind)
        label = style.clean(edge.label)
        net.add_edge(
            edge.source,
            edge.target,
            id=f"e{index}",
            title=_tooltip([kind.replace("_", " "), label]),
            kgKind=kind,
            kgLabel=label,
            **style.edge_style(edge.kind),
        )

    vis_nodes, vis_edges, _heading, _height, _width, vis_options = net.get_network_data()
    page = {
        "tree": [[node_id, parent] for node_id, parent in tree],
        "attached": attached,
        "loose": loose,
        "collapseAbove": COLLAPSE_ABOVE,
        "families": [style.clean(f) for f in org.families],
        "family": style.clean(org.family),
        "states": style.STATE_STYLES,
        "statusStates": style.STATUS_STATES,
        "hiddenEdges": list(HIDDEN_EDGES),
        "edgeWords": EDGE_WORDS,
        "matrix": None
        if org.matrix is None
        else {
            "x": style.clean(org.matrix[0]),
            "y": style.clean(org.matrix[1]),
            "quadrants": [[q, x, y] for q, x, y in org.matrix[2]],
        },
    }
    return list(vis_nodes), list(vis_edges), json.loads(vis_options), page


def _legend(prep: _Prepared, org: OrgMap) -> str:
    """Legend HTML; colours are our constants, names are escaped."""
    esc = html.escape

    def swatch(shape: str, background: str, border: str, text: str, extra: str = "") -> str:
        return (
            f'<li><span class="kg-sw kg-sw-{shape}" '
            f'style="background:{background};border-color:{border}{extra}">'
            f"</span>{esc(text)}</li>"
        )

    kinds = {n.kind for n in prep.nodes.values()}
    parts: list[str] = []
    if org.matrix is not None:
        parts.append("<h3>Groups (key-account quadrant)</h3><ul>")
        for status in style.QUADRANTS:
            bg, border = style.COMPANY_COLORS[status]
            parts.append(swatch("box", bg, border, status))
        parts.append('</ul><p class="kg-hint">Bigger names: more revenue.</p>')
        return "".join(parts)
    parts.append("<h3>Members, for the chosen product family</h3><ul>")
    for look in style.STATE_STYLES.values():
        dash = ";border-style:dashed" if look["dashes"] else ""
        shape = "dot" if look["shape"] == "ellipse" else "box"
        parts.append(
            swatch(
                shape, look["background"], look["border"], f"{look['symbol']} {look['text']}", dash
            )
        )
    parts.append(
        '</ul><ul><li><span class="kg-line" style="border-top:2px solid #455a64"></span>'
        'subsidiary</li><li><span class="kg-line" style="border-top:2px dashed #8d6e63"></span>'
        "branch</li></ul>"
    )
    if "contact" in kinds:
        parts.append("<h3>People: role (border and words)</h3><ul>")
        parts.append(
            swatch(
                "box",
                "#ffffff",
                style.DECIDER_BORDER,
                "★ decision maker / economic buyer",
                ";border-width:4px",
            )
        )
        parts.append(swatch("box", "#ffffff", style.ROLE_BORDER, "other role or none"))
        parts.append("</ul><h3>People: attitude (fill and mark)</h3><ul>")
        for name, (fill, mark) in style.ATTITUDE_FILLS.items():
            parts.append(swatch("box", fill, "#b0bec5", f"{name} {mark}"))
        parts.append(
            swatch(
                "box",
                style.fade("#deebf7", 0.45),
                style.fade(style.ROLE_BORDER, 0.6),
                "stale (translucent)",
            )
        )
        parts.append("</ul>")
    if kinds & {"deal", "product", "competitor", "rep", "note"}:
        parts.append("<h3>Deals and more</h3><ul>")
        for status, (bg, border) in style.DEAL_COLORS.items():
            parts.append(swatch("box", bg, border, f"deal {status}"))
        for kind, (_shape, bg, border) in style.OTHER_KINDS.items():
            parts.append(swatch("box" if kind == "note" else "dot", bg, border, kind))
        parts.append(swatch("box", "#ede7f6", "#5e35b1", "our rep"))
        parts.append("</ul>")
    if prep.groups:
        parts.append(
            "<ul>"
            + swatch(
                "box",
                style.COLLAPSED[0],
                style.COLLAPSED[1],
                "collapsed branches",
                ";border-style:dashed",
            )
            + "</ul>"
        )
    return "".join(parts)


def _controls(org: OrgMap) -> str:
    """The family selector, layer toggles and view buttons (our own text, names escaped)."""
    esc = html.escape
    if org.matrix is not None:
        return ""
    options = ['<option value="">all families (any deal)</option>']
    options += [
        f'<option value="{esc(style.clean(f))}">{esc(style.clean(f))}</option>'
        for f in org.families
    ]
    layers = "".join(
        f'<label><input type="checkbox" id="kg-layer-{key}"> {esc(text)}</label>'
        for key, text in (
            ("contacts", "people"),
            ("deals", "deals"),
            ("products", "products, rivals"),
            ("reps", "our reps"),
        )
    )
    return (
        '<section class="kg-controls"><label for="kg-family">Product family</label>'
        f'<select id="kg-family">{"".join(options)}</select>'
        f'<div class="kg-layers">{layers}'
        '<label><input type="checkbox" id="kg-deciders"> decision makers only</label></div>'
        '<div class="kg-buttons"><button type="button" id="kg-expand">Expand all</button>'
        '<button type="button" id="kg-collapse">Collapse</button></div></section>'
    )


def render_org_map(
    org: OrgMap, *, collapse_threshold: int | None = DEFAULT_COLLAPSE_THRESHOLD
) -> str:
    """The org map as one self-contained, offline HTML page.

    Above ``collapse_threshold`` nodes (``None``: never) branch companies are
    collapsed into count nodes and a page note says so. Raises ``ValueError``
    for duplicate node ids; links to unknown nodes are left out with a note.
    """
    prep = _prepare(org, collapse_threshold)
    vis_nodes, vis_edges, vis_options, page = _build_network(prep, org)
    vis_js = vis_assets()
    template, page_css, page_js = _page_assets()
    esc = html.escape
    title = style.clean(org.title)
    summary = "".join(
        f"<div><dt>{esc(style.clean(k))}</dt><dd>{esc(style.clean(v))}</dd></div>"
        for k, v in org.summary
    )
    notes = "".join(f"<li>{esc(n)}</li>" for n in prep.notes)
    return template.substitute(
        page_title=esc(f"{title} — org map" if title else "Org map"),
        title=esc(title),
        as_of=esc(style.clean(org.as_of)),
        summary=summary,
        notes=f'<section class="kg-notes"><h3>Notes</h3><ul id="kg-notes">{notes}</ul></section>'
        if notes
        else "",
        headline=esc(style.clean(org.headline)),
        controls=_controls(org),
        legend=_legend(prep, org),
        page_css=page_css,
        data=script_json(
            {"nodes": vis_nodes, "edges": vis_edges, "options": vis_options, "page": page}
        ),
        vis_js=vis_js,
        page_js=page_js,
    )


def write_org_map(
    org: OrgMap, path: Path, *, collapse_threshold: int | None = DEFAULT_COLLAPSE_THRESHOLD
) -> Path:
    """Render ``org`` and write it to ``path`` as UTF-8, creating folders; returns ``path``."""
    page = render_org_map(org, collapse_threshold=collapse_threshold)
    return atomic_write(path, page)


@dataclass(frozen=True)
class IndexRow:
    """One group in the ``map --all`` index."""

    href: str
    name: str
    members: int
    revenue: float
    revenue_text: str
    waves: str
    gaps: int
    freshness: str


_SORT_SCRIPT = """(function () {
  var table = document.getElementById("kg-index"), body = table.tBodies[0];
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var down = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
        c.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", down ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
        return down ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
}());"""


def render_index(
    title: str,
    as_of: str,
    rows: Iterable[IndexRow],
    *,
    portfolio: str = "portfolio.html",
    notice: str = "",
) -> str:
    """An offline index page: one sortable table row per group map, all text escaped;
    ``notice`` (the personal-data notice) replaces the plain as-of sentence."""
    esc = html.escape
    heads = ("Group", "Members", "Revenue", "Live waves", "Gaps", "Freshness")
    head = "".join(f'<th scope="col"><button type="button">{h}</button></th>' for h in heads)
    body = []
    for r in sorted(rows, key=lambda r: (-r.revenue, r.name.casefold(), r.href)):
        name = esc(style.clean(r.name))
        cells = [
            (name.casefold(), f'<a href="{esc(quote(r.href))}">{name}</a>'),
            (str(r.members), f"{r.members} member{'s' if r.members != 1 else ''}"),
            (f"{r.revenue:.2f}", esc(r.revenue_text)),
            (esc(style.clean(r.waves)), esc(style.clean(r.waves))),
            (str(r.gaps), str(r.gaps)),
            (esc(style.clean(r.freshness)), esc(style.clean(r.freshness))),
        ]
        body.append(
            "<tr>" + "".join(f'<td data-sort="{key}">{text}</td>' for key, text in cells) + "</tr>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'\">"
        f"<title>{esc(title)}</title><style>body{{font-family:system-ui,sans-serif;margin:2em}}"
        "table{border-collapse:collapse}th,td{padding:4px 10px;border-bottom:1px solid #d9dee3;"
        "text-align:left}th button{font:inherit;font-weight:600;border:none;background:none;"
        "cursor:pointer;padding:0}th button::after{content:' \\2195';color:#90a4ae}"
        "</style></head><body>"
        f"<h1>{esc(title)}</h1><p>{esc(notice or f'As of {as_of}.')} {len(body)} groups. "
        f'<a href="{esc(quote(portfolio))}">Portfolio matrix</a>. Click a column to sort.</p>'
        f'<table id="kg-index"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
        f"</table><script>{_SORT_SCRIPT}</script></body></html>\n"
    )


def write_index(
    path: Path, *, title: str, as_of: str, rows: Iterable[IndexRow], notice: str = ""
) -> Path:
    """Write :func:`render_index` to ``path``."""
    return atomic_write(path, render_index(title, as_of, rows, notice=notice))

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
from kamgraph.viz.layout import tree_layout
from kamgraph.viz.model import MapEdge, MapNode, OrgMap

DEFAULT_COLLAPSE_THRESHOLD = 1500
"""Maps with more nodes than this get their branches (level >= 2) collapsed into count nodes."""

VIS_DIR = "vis-9.1.2"
"""The vis-network build inside the pyvis package that the page inlines."""

KIND_NAMES: dict[str, str] = {
    "company": "Company",
    "contact": "Contact",
    "deal": "Deal",
    "product": "Product",
    "competitor": "Competitor",
    "note": "Note",
    "collapsed": "Collapsed branches",
}
_ATTACHED_ORDER = ("contact", "deal", "note", "product", "competitor")
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
        "keyboard": False,
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
def vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet from the pyvis package, checked safe to inline."""
    base = resources.files("pyvis") / "lib" / VIS_DIR
    js = _SOURCE_MAP_RE.sub("", (base / "vis-network.min.js").read_text(encoding="utf-8"))
    css = (base / "vis-network.css").read_text(encoding="utf-8")
    lowered_js, lowered_css = js.lower(), css.lower()
    if "</script" in lowered_js or "<!--" in lowered_js:
        raise RuntimeError("vis-network.min.js cannot be inlined: it contains '</script' or '<!--'")
    if (
        "</style" in lowered_css
        or "@import" in lowered_css
        or re.search(r"url\(\s*(?!['\"]?data:)", lowered_css)
    ):
        raise RuntimeError(
            "vis-network.css cannot be inlined offline: it closes <style> or loads a URL"
        )
    return js, css


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
        (n.id, n.parent) for n in sorted(nodes.values(), key=lambda n: n.id) if n.kind == "company"
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


def _build_network(
    prep: _Prepared,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Build the pyvis Network and return its nodes, edges and options."""
    from pyvis.network import Network  # heavy import (IPython, jinja2): only when rendering

    tree, attached, loose = _placement(prep)
    layout = tree_layout(tree, attached, loose)
    roles = style.role_colors(
        sorted({n.status for n in prep.nodes.values() if n.kind == "contact" and n.status})
    )

    net = Network(directed=True)
    options = json.loads(json.dumps(NETWORK_OPTIONS))
    if len(prep.nodes) + len(prep.groups) >= BIG_MAP:
        options["interaction"]["hideEdgesOnDrag"] = True
        options["interaction"]["hideEdgesOnZoom"] = True
    net.options = options

    entries: list[tuple[str, style.NodeStyle, str, dict[str, Any]]] = []
    for node in prep.nodes.values():
        depth = layout.depths.get(node.id, 0)
        if node.kind == "company":
            drawn = style.company_style(node, depth)
        elif node.kind == "contact":
            drawn = style.contact_style(node, roles)
        elif node.kind == "deal":
            drawn = style.deal_style(node)
        else:
            drawn = style.other_style(node)
        label = style.clean(node.label)
        status = style.clean(node.status).strip()
        attitude = style.canonical_attitude(node.attitude) if node.attitude else ""
        badges = [style.clean(b) for b in node.badges]
        facts = " · ".join(
            x for x in (KIND_NAMES[node.kind], status, attitude, "stale" if node.faded else "") if x
        )
        info = {
            "kind": node.kind,
            "label": label,
            "status": status,
            "attitude": attitude,
            "stale": node.faded,
            "level": depth if node.kind == "company" else None,
            "badges": badges,
            "details": [[style.clean(k), style.clean(v)] for k, v in node.details],
        }
        entries.append((node.id, drawn, _tooltip([label or "(no name)", facts, *badges]), info))
    for group in prep.groups.values():
        drawn = style.collapsed_style(group.label)
        info = {
            "kind": "collapsed",
            "label": group.label.replace("\n", " — "),
            "status": "",
            "attitude": "",
            "stale": False,
            "level": layout.depths.get(group.id, 0),
            "badges": [],
            "details": [[k, v] for k, v in group.details],
        }
        entries.append(
            (group.id, drawn, _tooltip([group.label, "Collapsed; see the page notes"]), info)
        )

    for node_id, drawn, title, info in sorted(entries, key=lambda e: e[0]):
        x, y = layout.positions[node_id]
        net.add_node(node_id, label=drawn.label, x=x, y=y, title=title, kg=info, **drawn.options)

    for index, edge in enumerate(prep.edges):
        # Edge labels are not drawn (they pile up on small maps and cost time on big
        # ones); they show in the edge tooltip and in the details panel's link list.
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
    return list(vis_nodes), list(vis_edges), json.loads(vis_options)


def _legend(prep: _Prepared) -> str:
    """Legend HTML; colours are our constants, names are escaped."""
    esc = html.escape

    def swatch(shape: str, background: str, border: str, text: str, extra: str = "") -> str:
        return (
            f'<li><span class="kg-sw kg-sw-{shape}" '
            f'style="background:{background};border-color:{border}{extra}">'
            f"</span>{esc(text)}</li>"
        )

    parts = ["<h3>Companies</h3><ul>"]
    present = {n.status for n in prep.nodes.values() if n.kind == "company"}
    for status, (bg, border) in style.COMPANY_COLORS.items():
        if status in style.QUADRANTS and status not in present:
            continue  # quadrant colours belong to the portfolio map
        parts.append(swatch("box", bg, border, status))
    parts.append(
        swatch("box", "#ffffff", style.GOLD, "badge (wave member, gap…)", ";border-width:3px")
    )
    parts.append("</ul><h3>Contacts: decision role (fill)</h3><ul>")
    roles = sorted({n.status for n in prep.nodes.values() if n.kind == "contact" and n.status})
    colors = style.role_colors(roles)
    for role in roles:
        parts.append(swatch("dot", colors[role], "#90a4ae", style.short(role, 32)))
    parts.append(swatch("dot", style.NO_ROLE, "#90a4ae", "no role"))
    parts.append(
        swatch("dot", style.fade("#4e79a7"), style.fade("#90a4ae"), "stale contact (faded)")
    )
    parts.append("</ul><h3>Contacts: attitude (border)</h3><ul>")
    for name, (border, marker) in style.ATTITUDES.items():
        parts.append(swatch("dot", "#ffffff", border, f"{name} ({marker})", ";border-width:3px"))
    parts.append("</ul><h3>Deals and more</h3><ul>")
    for status, (bg, border) in style.DEAL_COLORS.items():
        parts.append(swatch("diamond", bg, border, f"deal {status}"))
    for kind, (_shape, bg, border) in style.OTHER_KINDS.items():
        parts.append(swatch("box" if kind == "note" else "dot", bg, border, kind))
    parts.append(
        swatch(
            "box",
            style.COLLAPSED[0],
            style.COLLAPSED[1],
            "collapsed branches",
            ";border-style:dashed",
        )
    )
    parts.append("</ul><h3>Links</h3><ul>")
    for kind, edge in style.EDGE_STYLES.items():
        dash = "dashed" if edge.get("dashes") else "solid"
        arrow = " →" if edge.get("arrows") else ""
        parts.append(
            f'<li><span class="kg-line" style="border-top:2px {dash} {edge["color"]}"></span>'
            f"{esc(kind.replace('_', ' '))}{arrow}</li>"
        )
    parts.append("</ul>")
    return "".join(parts)


def render_org_map(
    org: OrgMap, *, collapse_threshold: int | None = DEFAULT_COLLAPSE_THRESHOLD
) -> str:
    """The org map as one self-contained, offline HTML page.

    Above ``collapse_threshold`` nodes (``None``: never) branch companies are
    collapsed into count nodes and a page note says so. Raises ``ValueError``
    for duplicate node ids; links to unknown nodes are left out with a note.
    """
    prep = _prepare(org, collapse_threshold)
    vis_nodes, vis_edges, vis_options = _build_network(prep)
    vis_js, vis_css = vis_assets()
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
        legend=_legend(prep),
        vis_css=vis_css,
        page_css=page_css,
        data=script_json({"nodes": vis_nodes, "edges": vis_edges, "options": vis_options}),
        vis_js=vis_js,
        page_js=page_js,
    )


def write_org_map(
    org: OrgMap, path: Path, *, collapse_threshold: int | None = DEFAULT_COLLAPSE_THRESHOLD
) -> Path:
    """Render ``org`` and write it to ``path`` as UTF-8, creating folders; returns ``path``."""
    page = render_org_map(org, collapse_threshold=collapse_threshold)
    return atomic_write(path, page)


def render_index(
    title: str, as_of: str, rows: Iterable[tuple[str, str, str]], notice: str = ""
) -> str:
    """A plain offline index page: one link per map (file name, label, facts), all escaped;
    ``notice`` (the personal-data notice) replaces the plain as-of line."""
    esc = html.escape
    items = "".join(
        f'<li><a href="{esc(quote(href))}">{esc(style.clean(label))}</a>'
        f' <span class="facts">{esc(style.clean(facts))}</span></li>'
        for href, label, facts in sorted(rows, key=lambda r: (r[1].casefold(), r[0]))
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{esc(title)}</title><style>body{{font-family:system-ui,sans-serif;margin:2em}}"
        "li{margin:.3em 0}.facts{color:#607d8b;font-size:.9em}</style></head><body>"
        f"<h1>{esc(title)}</h1><p>{esc(notice or f'As of {as_of}.')}</p><ul>{items}</ul>"
        "</body></html>\n"
    )


def write_index(
    path: Path,
    *,
    title: str,
    as_of: str,
    rows: Iterable[tuple[str, str, str]],
    notice: str = "",
) -> Path:
    """Write :func:`render_index` to ``path``."""
    return atomic_write(path, render_index(title, as_of, rows, notice))

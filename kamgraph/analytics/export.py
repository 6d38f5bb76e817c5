"""Write a relationship graph as GraphML, GEXF or node-link JSON (networkx writers).

Gephi and yEd refuse or mangle attributes that are None, lists or mixed types, so every
attribute is made a string or a number first: booleans become ``"true"`` / ``"false"``, lists
are joined with ``"; "``, and missing values are left out. Graph-level attributes keep only
strings and numbers too. Characters XML 1.0 forbids (U+FFFF, most control characters) are
removed from every string and node id, in every format, so the three exports agree.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kamgraph import jsontext
from kamgraph.errors import ConfigError, InvalidValueError
from kamgraph.files import atomic_write, xml_text
from kamgraph.personal.notice import personal_data_notice

FORMATS = ("graphml", "gexf", "json")


def _plain(value: Any) -> str | int | float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple | set):
        value = "; ".join(str(v) for v in value)
    return xml_text(str(value))


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        plain = _plain(value)
        if plain is not None:
            out[xml_text(str(key))] = plain
    return out


def _node_id(node: Any) -> Any:
    return xml_text(node) if isinstance(node, str) else node


def _attribute_dicts(g: nx.DiGraph) -> Iterator[dict[str, Any]]:
    yield from (d for _, d in g.nodes(data=True))
    yield from (d for _, _, d in g.edges(data=True))


def for_export(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``g`` whose attributes are all strings or numbers, nodes and edges sorted.

    An attribute that is an integer on one node and a float on another becomes a float
    everywhere (GraphML declares one type per attribute).
    """
    out = nx.DiGraph()
    out.graph.update(_clean(g.graph))
    out.graph["notice"] = personal_data_notice(g.graph.get("as_of"))
    for n in sorted(g):
        out.add_node(_node_id(n), **_clean(g.nodes[n]))
    for u, v in sorted(g.edges()):
        out.add_edge(_node_id(u), _node_id(v), **_clean(g.edges[u, v]))
    floats = {k for d in _attribute_dicts(out) for k, v in d.items() if isinstance(v, float)}
    for d in _attribute_dicts(out):
        for k in floats & d.keys():
            if isinstance(d[k], int):
                d[k] = float(d[k])
    return out


def export_text(g: nx.DiGraph, fmt: str) -> str:
    """The graph as GraphML, GEXF or node-link JSON text."""
    if fmt not in FORMATS:
        raise InvalidValueError(f"the export format {fmt!r} is not one of {', '.join(FORMATS)}")
    clean = for_export(g)
    if fmt == "json":
        data = nx.node_link_data(clean, edges="edges")
        return jsontext.dumps(data, ensure_ascii=False, indent=2)[0] + "\n"
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(clean, buf, encoding="utf-8")
    else:
        nx.write_gexf(clean, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def write_export(g: nx.DiGraph, path: Path, fmt: str | None = None) -> Path:
    """Write ``g`` to ``path``; the format defaults to the file's suffix."""
    chosen = fmt or path.suffix.lstrip(".").lower()
    return atomic_write(path, export_text(g, chosen))


def read_export(path: Path, fmt: str | None = None) -> nx.DiGraph:
    """Read a file :func:`write_export` wrote (used by the tests; handy for analysts too)."""
    chosen = fmt or path.suffix.lstrip(".").lower()
    if chosen == "graphml":
        return nx.DiGraph(nx.read_graphml(path))
    if chosen == "gexf":
        return nx.DiGraph(nx.read_gexf(path))
    if chosen == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return nx.DiGraph(nx.node_link_graph(data, directed=True, multigraph=False, edges="edges"))
    raise ConfigError(f"{path}: cannot tell the format; use .graphml, .gexf or .json")

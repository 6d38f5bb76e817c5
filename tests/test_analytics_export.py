"""export: GraphML, GEXF and node-link JSON that networkx (and so Gephi / yEd) read back."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kamgraph.analytics.export import export_text, for_export, read_export, write_export
from kamgraph.analytics.graph import group_graph, portfolio_graph
from kamgraph.backends.base import Backend
from kamgraph.errors import ConfigError

from .fixture_graphs import fixture_ids, load_folder

AS_OF = "2025-06-30"


@pytest.fixture
def acme(backend: Backend) -> nx.DiGraph:
    load_folder(backend, "analytics")
    return group_graph(backend, fixture_ids("analytics")["A3"], as_of=AS_OF)


def test_the_group_graph_holds_the_family(acme: nx.DiGraph) -> None:
    ids = fixture_ids("analytics")
    kinds = nx.get_node_attributes(acme, "kind")
    assert sorted(kinds.values()).count("company") == 4
    assert sorted(kinds.values()).count("contact") == 6
    assert sorted(kinds.values()).count("deal") == 6  # D1-D4, D6, D7
    assert sorted(kinds.values()).count("rep") == 3
    assert acme.graph["group_id"] == ids["A0"] and acme.graph["group_name"] == "Acme Holding AG"
    relations = nx.get_edge_attributes(acme, "relation")
    assert relations[(f"company:{ids['A3']}", f"company:{ids['A2']}")] == "BRANCH_OF"
    assert relations[(f"contact:{ids['C4']}", f"contact:{ids['C5']}")] == "REPORTS_TO"
    knows = acme.edges[f"rep:{ids['R1']}", f"contact:{ids['C2']}"]
    assert knows == {
        "relation": "KNOWS",
        "touchpoints": 2,
        "owner": True,
        "last_touch": "2025-05-20",
    }
    role = acme.edges[f"contact:{ids['C4']}", f"deal:{ids['D1']}"]
    assert role == {"relation": "ROLE_IN", "role": "Economic Buyer", "is_primary": True}
    assert acme.edges[f"rep:{ids['R2']}", f"company:{ids['A2']}"]["tier"] == "progression"
    for _, data in [*acme.nodes(data=True), *((None, d) for _, _, d in acme.edges(data=True))]:
        assert None not in data.values()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_exports_read_back_with_the_same_nodes_and_edges(
    acme: nx.DiGraph, fmt: str, tmp_path: Path
) -> None:
    path = write_export(acme, tmp_path / f"acme.{fmt}")
    back = read_export(path)
    assert set(back.nodes) == set(acme.nodes)
    assert set(back.edges) == set(acme.edges)
    assert nx.get_edge_attributes(back, "relation") == nx.get_edge_attributes(acme, "relation")
    assert nx.get_node_attributes(back, "label") == nx.get_node_attributes(acme, "label")
    clean = for_export(acme)
    for node, data in clean.nodes(data=True):
        assert all(isinstance(v, str | int | float) for v in data.values()), data
        if fmt != "gexf":  # GEXF keeps the label as the node's own label, the rest as attvalues
            assert back.nodes[node] == data
    role = back.edges[
        f"contact:{fixture_ids('analytics')['C4']}", f"deal:{fixture_ids('analytics')['D1']}"
    ]
    assert role["is_primary"] == "true"  # booleans travel as text
    assert float(back.nodes[f"deal:{fixture_ids('analytics')['D1']}"]["amount"]) == 1_000_000.0


def test_the_whole_portfolio(backend: Backend, tmp_path: Path) -> None:
    load_folder(backend, "analytics")
    g = portfolio_graph(backend, as_of=AS_OF)
    groups = {d["group_id"] for _, d in g.nodes(data=True) if d["kind"] == "company"}
    ids = fixture_ids("analytics")
    assert groups == {ids["A0"], ids["B0"], ids["T0"]}
    assert g.number_of_nodes() == 6 + 10 + 8 + 3  # companies, contacts, deals, reps
    back = read_export(write_export(g, tmp_path / "all.json"))
    assert set(back.edges) == set(g.edges)


def test_mixed_numbers_become_floats_and_bad_formats_are_refused() -> None:
    g = nx.DiGraph()
    g.add_node("a", amount=1, flag=False, tags=["x", "y"], gone=None)
    g.add_node("b", amount=2.5)
    clean = for_export(g)
    assert clean.nodes["a"] == {"amount": 1.0, "flag": "false", "tags": "x; y"}
    assert "<graphml" in export_text(g, "graphml") and "<gexf" in export_text(g, "gexf")
    with pytest.raises(ConfigError, match="not one of graphml, gexf, json"):
        export_text(g, "dot")

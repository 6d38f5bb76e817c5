"""Who really moves decisions in a customer family: personalized PageRank over the graph.

Influence flows along three kinds of evidence (docs/analytics.md explains the weights):

- **decision roles**: every deal starts with teleport mass in proportion to its size and
  outcome, and hands it to the people holding roles on it, in proportion to the role's weight
  (an Economic Buyer gets six times what an Evaluator gets);
- **reports-to lines**: everyone passes half of their influence up to their manager, so a
  person whose people decide deals ranks high even without a role of their own (the other
  half goes back to the pool the walk restarts from, so a manager does not simply outrank
  everyone below them);
- **touchpoints**: people we meet often start with a share of the teleport mass (they are
  where the conversations happen).

The title-based view ranks the same people by seniority words in their job title; a person
whose graph rank is ``gap`` or more places outside their title's band is flagged.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kamgraph.analytics.graph import company_names, edges_of, nodes_of
from kamgraph.backends.base import Row

#: Damping factor: the share of influence that follows edges rather than teleporting.
ALPHA = 0.85
#: How much of the decision each role carries (unknown roles count as "Other").
ROLE_WEIGHTS: dict[str, float] = {
    "Economic Buyer": 3.0,
    "Economic Decision Maker": 3.0,
    "Decision Maker": 3.0,
    "Executive Sponsor": 2.0,
    "Champion": 1.5,
    "Technical Buyer": 1.5,
    "Influencer": 1.0,
    "Coach": 1.0,
    "Evaluator": 0.5,
    "Business User": 0.5,
    "Other": 0.25,
}
#: A won deal proves its deciders; a lost one still shows who decided; an open one is a claim.
OUTCOME_WEIGHTS: dict[str, float] = {"won": 1.0, "lost": 0.6, "open": 0.4}
#: The share of a person's influence that flows to their manager (the rest back to the pool).
REPORTS_SHARE = 0.5
#: The node that takes back what people do not pass on; its mass restarts like a teleport.
POOL = "pool"
#: Share of the teleport mass that starts at people we meet (the rest starts at deals).
TOUCHPOINT_SHARE = 0.2
#: How many pieces of evidence the explanation names (the rest are summed up).
WHY_PARTS = 4
#: Rank distance from the title band that counts as a disagreement.
DEFAULT_GAP = 3

COLUMNS = (
    "contact_id",
    "name",
    "job_title",
    "account_id",
    "account_name",
    "score",
    "rank",
    "title_rank",
    "disagreement",
    "why",
)

# Seniority words, checked in this order; the first match sets the level (0 = most senior).
# Whole words for Latin titles ("cto" must not match "director"), substrings for CJK ones.
_SENIORITY: tuple[tuple[str, int], ...] = (
    ("vice president", 1),
    ("deputy", 1),
    ("chief", 0),
    ("ceo", 0),
    ("cfo", 0),
    ("coo", 0),
    ("cto", 0),
    ("cio", 0),
    ("cpo", 0),
    ("president", 0),
    ("owner", 0),
    ("founder", 0),
    ("managing director", 0),
    ("general manager", 0),
    ("geschäftsführer", 0),
    ("geschaftsfuhrer", 0),
    ("vorstand", 0),
    ("directeur général", 0),
    ("director general", 0),
    ("董事长", 0),
    ("总裁", 0),
    ("总经理", 0),
    ("社長", 0),
    ("vp", 1),
    ("evp", 1),
    ("svp", 1),
    ("副总", 1),
    ("director", 2),
    ("directeur", 2),
    ("head", 2),
    ("leiter", 2),
    ("leiterin", 2),
    ("总监", 2),
    ("manager", 3),
    ("lead", 3),
    ("principal", 3),
    ("经理", 3),
    ("主管", 4),
)
#: Level of a title with none of the words above, and of a missing title.
OTHER_LEVEL = 4
NO_TITLE_LEVEL = 5


def title_level(title: str | None) -> int:
    """Seniority of a job title from its words: 0 (CEO, Chief ...) to 5 (no title)."""
    if not title or not title.strip():
        return NO_TITLE_LEVEL
    text = unicodedata.normalize("NFKC", title).casefold()
    words = " " + " ".join(re.findall(r"\w+", text)) + " "
    for word, level in _SENIORITY:
        if word.isascii() or " " in word:
            if f" {word} " in words:
                return level
        elif word in text:
            return level
    return OTHER_LEVEL


def personalized_pagerank(
    g: nx.DiGraph,
    personalization: dict[str, float],
    *,
    alpha: float = ALPHA,
    weight: str = "weight",
    max_iter: int = 500,
    tol: float = 1e-12,
) -> dict[str, float]:
    """PageRank with teleports (and dangling nodes) going to ``personalization``.

    The same power iteration as ``networkx.pagerank(g, alpha, personalization, weight=...,
    dangling=personalization)``, written out because networkx runs it through scipy, which
    kamgraph does not depend on. Nodes and edges are visited in sorted order so the result is
    the same whatever order the graph was built in.
    """
    nodes = sorted(g)
    if not nodes:
        return {}
    total = sum(max(0.0, personalization.get(n, 0.0)) for n in nodes)
    if total <= 0:
        p = {n: 1.0 / len(nodes) for n in nodes}
    else:
        p = {n: max(0.0, personalization.get(n, 0.0)) / total for n in nodes}
    out: dict[str, list[tuple[str, float]]] = {}
    for n in nodes:
        targets = sorted((v, float(d.get(weight, 1.0))) for _, v, d in g.out_edges(n, data=True))
        out[n] = [(v, w) for v, w in targets if w > 0]
    out_weight = {n: sum(w for _, w in out[n]) for n in nodes}
    dangling = [n for n in nodes if out_weight[n] == 0]
    x = dict(p)
    for _ in range(max_iter):
        last = x
        x = dict.fromkeys(nodes, 0.0)
        for n in nodes:
            for v, w in out[n]:
                x[v] += alpha * last[n] * w / out_weight[n]
        teleport = alpha * sum(last[n] for n in dangling) + (1.0 - alpha)
        for n in nodes:
            x[n] += teleport * p[n]
        if sum(abs(x[n] - last[n]) for n in nodes) < len(nodes) * tol:
            break
    return x


@dataclass
class _Evidence:
    """What flows into one person, for the explanation."""

    #: (role, deal status) -> amounts of those deals, and the influence they bring.
    roles: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    role_mass: dict[tuple[str, str], float] = field(default_factory=dict)
    reports: int = 0
    line: int = 0
    report_mass: float = 0.0
    touchpoints: int = 0
    last_touch: str = ""
    touch_mass: float = 0.0


def money(amount: float) -> str:
    """1234567 -> '1.2M', 85000 -> '85k', 900 -> '900'."""
    if abs(amount) >= 1_000_000:
        return f"{amount / 1_000_000:.1f}M"
    if abs(amount) >= 1_000:
        return f"{amount / 1_000:.0f}k"
    return f"{amount:.0f}"


def influence_graph(g: nx.DiGraph) -> tuple[nx.DiGraph, dict[str, float]]:
    """The weighted graph PageRank runs on (deals -> role holders, people -> managers) and
    the teleport weights (deal size x outcome; touchpoints)."""
    h = nx.DiGraph()
    people = nodes_of(g, "contact")
    h.add_nodes_from(people)
    for u, v, _ in edges_of(g, "REPORTS_TO"):
        h.add_edge(u, v, weight=REPORTS_SHARE)
        h.add_edge(u, POOL, weight=1.0 - REPORTS_SHARE)
    role_edges = edges_of(g, "ROLE_IN")
    for person, deal, d in role_edges:  # one ROLE_IN per person and deal (the store MERGEs)
        role = str(d.get("role", "Other"))
        h.add_edge(deal, person, weight=ROLE_WEIGHTS.get(role, ROLE_WEIGHTS["Other"]))
    deals = sorted({deal for _, deal, _ in role_edges})
    amounts = [float(g.nodes[d]["amount"]) for d in deals if g.nodes[d].get("amount", 0) > 0]
    typical = statistics.median(amounts) if amounts else 1.0
    deal_value = {
        deal: float(g.nodes[deal].get("amount") or typical)
        * OUTCOME_WEIGHTS.get(str(g.nodes[deal]["status"]), OUTCOME_WEIGHTS["open"])
        for deal in deals
    }
    touches: dict[str, int] = defaultdict(int)
    for _, person, d in edges_of(g, "KNOWS"):
        touches[person] += int(d.get("touchpoints", 0))
    deal_total = sum(deal_value.values())
    touch_total = sum(touches.values())
    deal_share = 1.0 if not touch_total else (0.0 if not deal_total else 1.0 - TOUCHPOINT_SHARE)
    personalization: dict[str, float] = {}
    for deal, value in deal_value.items():
        if deal_total:
            personalization[deal] = deal_share * value / deal_total
    for person, n in touches.items():
        if n:
            personalization[person] = (1.0 - deal_share) * n / touch_total
    return h, personalization


def _evidence(
    g: nx.DiGraph, h: nx.DiGraph, pr: dict[str, float], p: dict[str, float]
) -> dict[str, _Evidence]:
    out_weight = {n: sum(d["weight"] for _, _, d in h.out_edges(n, data=True)) for n in h}
    dangling = sum(pr[n] for n in h if out_weight[n] == 0)
    p_total = sum(p.values()) or 1.0
    teleport = ALPHA * dangling + (1.0 - ALPHA)
    found = {n: _Evidence() for n in nodes_of(g, "contact")}
    for person, deal, d in edges_of(g, "ROLE_IN"):
        key = (d.get("role", "Other"), g.nodes[deal]["status"])
        ev = found[person]
        ev.roles.setdefault(key, []).append(float(g.nodes[deal].get("amount", 0.0)))
        share = ALPHA * pr[deal] * h[deal][person]["weight"] / out_weight[deal]
        ev.role_mass[key] = ev.role_mass.get(key, 0.0) + share
    for sub, boss, _ in edges_of(g, "REPORTS_TO"):
        found[boss].reports += 1
        found[boss].report_mass += ALPHA * pr[sub] * REPORTS_SHARE / out_weight[sub]
    lines = h.subgraph(nodes_of(g, "contact"))  # the reports-to edges, without deals and pool
    for person, ev in found.items():
        ev.line = len(nx.ancestors(lines, person))
        ev.touch_mass = teleport * p.get(person, 0.0) / p_total
    for _, person, d in edges_of(g, "KNOWS"):
        found[person].touchpoints += int(d.get("touchpoints", 0))
        found[person].last_touch = max(found[person].last_touch, str(d.get("last_touch", "")))
    return found


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _why(ev: _Evidence, score: float) -> list[tuple[float, str]]:
    parts: list[tuple[float, str]] = []
    for (role, status), amounts in ev.roles.items():
        mass = ev.role_mass.get((role, status), 0.0)
        worth = sum(amounts)
        text = f"{role} on {_plural(len(amounts), status + ' deal')}"
        if worth:
            text += f" worth {money(worth)}"
        parts.append((mass, text))
    if ev.reports:
        text = "1 person reports" if ev.reports == 1 else f"{ev.reports} people report"
        text += " to them"
        if ev.line > ev.reports:
            text += f" ({ev.line} in their line)"
        parts.append((ev.report_mass, text))
    if ev.touchpoints:
        text = f"{_plural(ev.touchpoints, 'touchpoint')} with us, last {ev.last_touch}"
        parts.append((ev.touch_mass, text))
    parts.sort(key=lambda x: (-x[0], x[1]))
    return [(mass / score if score else 0.0, text) for mass, text in parts]


def rank_influence(g: nx.DiGraph, *, gap: int = DEFAULT_GAP) -> list[Row]:
    """Rank the people of a family graph (from :mod:`kamgraph.analytics.graph`) by influence.

    Rows (columns :data:`COLUMNS`) best first: ``score`` is the person's share of the
    family's influence (scores add up to 1), ``rank`` 1 is the most influential, ``title_rank``
    is where seniority words put them (ties share the best rank), ``disagreement`` says the
    graph rank lies ``gap`` or more places outside their title band, ``why`` lists the
    evidence with the share of the score each part brings.
    """
    people = nodes_of(g, "contact")
    if not people:
        return []
    h, p = influence_graph(g)
    pr = personalized_pagerank(h, p)
    mass = sum(pr[n] for n in people) or 1.0
    score = {n: round(pr[n] / mass, 6) for n in people}
    order = sorted(people, key=lambda n: (-score[n], g.nodes[n]["label"], n))
    rank = {n: i for i, n in enumerate(order, start=1)}
    level = {n: title_level(g.nodes[n].get("job_title")) for n in people}
    evidence = _evidence(g, h, pr, p)
    rows: list[Row] = []
    companies = company_names(g)
    for n in order:
        node: dict[str, Any] = g.nodes[n]
        band_lo = 1 + sum(1 for m in people if level[m] < level[n])
        band_hi = sum(1 for m in people if level[m] <= level[n])
        distance = max(band_lo - rank[n], rank[n] - band_hi, 0)
        parts = [(share, text) for share, text in _why(evidence[n], pr[n]) if share >= 0.005]
        why = "; ".join(f"{text} ({share:.0%})" for share, text in parts[:WHY_PARTS])
        if len(parts) > WHY_PARTS:
            rest = sum(share for share, _ in parts[WHY_PARTS:])
            why += f"; {len(parts) - WHY_PARTS} more ({rest:.0%})"
        if not why:
            why = "no decision roles, reports or touchpoints known"
        if distance >= gap:
            band = f"{band_lo}" if band_lo == band_hi else f"{band_lo}-{band_hi}"
            side = "more" if rank[n] < band_lo else "less"
            why += f". Title ranks them {band}: {side} influential than the title says"
        rows.append(
            {
                "contact_id": node["contact_id"],
                "name": node["label"],
                "job_title": node.get("job_title"),
                "account_id": node.get("account_id"),
                "account_name": companies.get(str(node.get("account_id"))),
                "score": round(score[n], 4),
                "rank": rank[n],
                "title_rank": band_lo,
                "disagreement": distance >= gap,
                "why": why,
            }
        )
    return rows

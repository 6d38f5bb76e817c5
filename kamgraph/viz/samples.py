"""Small and synthetic org maps for tests, demos and timing; deterministic, no database needed."""

from __future__ import annotations

from kamgraph.viz.model import MapEdge, MapNode, OrgMap

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = '"><script>alert(1)</script>'
CHINESE_NAME = "王小明（采购总监）"


def sample_org_map() -> OrgMap:
    """A small family with hostile and non-Latin CRM text: HQ, two subsidiaries, one branch."""
    nodes = (
        MapNode(
            "company:001",
            "company",
            "Acme Holding AG",
            "customer",
            level=0,
            badges=("wave: Safety Sensors",),
            details=(("Revenue 2024", "€ 1.2 M"), ("Industry", "Automation")),
        ),
        MapNode("company:002", "company", "Acme Automation GmbH", "customer", "company:001", 1),
        MapNode(
            "company:003",
            "company",
            "Acme 上海 有限公司",
            "prospect",
            "company:001",
            1,
            badges=("gap: Cloud Monitoring",),
        ),
        MapNode(
            "company:004", "company", "Acme Service Branch Nord", "untouched", "company:002", 2
        ),
        MapNode("company:005", "company", "Acme Logistics (sold)", "lost", "company:001", 1),
        MapNode(
            "contact:001",
            "contact",
            "Erika Mustermann",
            "Decision Maker",
            "company:001",
            attitude="Mentor",
            decisive=True,
            title="Head of Purchasing",
            details=(("Email", "erika@example.invalid"),),
        ),
        MapNode(
            "contact:002",
            "contact",
            XSS_IMG,
            "Technical Buyer",
            "company:002",
            attitude="Enemy",
            details=(("Comment", XSS_SCRIPT),),
        ),
        MapNode(
            "contact:003",
            "contact",
            CHINESE_NAME,
            "Economic Buyer",
            "company:003",
            attitude="Supporter",
            decisive=True,
            badges=("wave: Safety Sensors",),
        ),
        MapNode(
            "contact:004",
            "contact",
            XSS_SCRIPT,
            "",
            "company:002",
            attitude="Non-Supporter",
            faded=True,
        ),
        MapNode(
            "contact:005", "contact", "Max Muster", "Influencer", "company:001", attitude="Neutral"
        ),
        MapNode(
            "deal:001",
            "deal",
            "Sensors rollout 2025",
            "open",
            "company:001",
            details=(("Value", "€ 250 k"), ("Close", "2025-09-30")),
        ),
        MapNode("deal:002", "deal", "PLC upgrade", "won", "company:002"),
        MapNode("deal:003", "deal", "Fleet telematics", "lost", "company:005"),
        MapNode("product:001", "product", "Safety Sensor S3"),
        MapNode("competitor:001", "competitor", "Rival Corp </script><b>x</b>"),
        MapNode(
            "note:001",
            "note",
            "Met at trade fair & agreed <follow-up>",
            details=(("Author", "rep1"),),
        ),
    )
    edges = (
        MapEdge("company:002", "company:001", "subsidiary_of"),
        MapEdge("company:003", "company:001", "subsidiary_of"),
        MapEdge("company:005", "company:001", "subsidiary_of"),
        MapEdge("company:004", "company:002", "branch_of"),
        MapEdge("contact:001", "company:001", "works_at"),
        MapEdge("contact:005", "company:001", "works_at"),
        MapEdge("contact:002", "company:002", "works_at"),
        MapEdge("contact:004", "company:002", "works_at"),
        MapEdge("contact:003", "company:003", "works_at"),
        MapEdge("contact:005", "contact:001", "reports_to"),
        MapEdge("contact:004", "contact:002", "reports_to"),
        MapEdge("deal:001", "company:001", "deal_of"),
        MapEdge("deal:002", "company:002", "deal_of"),
        MapEdge("deal:003", "company:005", "deal_of"),
        MapEdge("deal:001", "product:001", "includes"),
        MapEdge("deal:003", "competitor:001", "lost_to", XSS_IMG),
        MapEdge("contact:001", "deal:001", "role", "Decision maker"),
        MapEdge("note:001", "contact:001", "role"),
    )
    return OrgMap(
        title="Acme Group <script>alert('title')</script>",
        as_of="2025-06-30",
        summary=(
            ("Revenue (12 m)", "€ 3.4 M"),
            ("Open pipeline", "€ 250 k"),
            ("Waves", "Safety Sensors"),
            ("Gaps", "Cloud Monitoring <i>"),
            ("Data freshness", "CRM export 2025-06-29"),
        ),
        nodes=nodes,
        edges=edges,
        notes=("Sample data; <b>not</b> a real customer.",),
    )


_STATUSES = ("customer", "prospect", "untouched", "lost")
_ROLES = ("Decision Maker", "Economic Buyer", "Technical Buyer", "User Buyer", "Influencer", "")
_ATTITUDES = ("Mentor", "Supporter", "Neutral", "Non-Supporter", "Enemy", "")
_DEALS = ("open", "won", "lost")


def synthetic_org_map(
    subsidiaries: int = 12, branches: int = 16, contacts: int = 6, deals: int = 3
) -> OrgMap:
    """HQ -> subsidiaries -> branches, each company with contacts and deals; sizes are per company.

    The defaults give about 2,000 nodes. Fields cycle through every status,
    role and attitude so that all styles appear; nothing is random.
    """
    nodes: list[MapNode] = []
    edges: list[MapEdge] = []
    counter = 0

    def company(cid: str, name: str, parent: str | None, level: int, kind: str) -> None:
        nonlocal counter
        counter += 1
        nodes.append(
            MapNode(
                cid,
                "company",
                name,
                _STATUSES[counter % 4],
                parent,
                level,
                badges=("wave: Safety Sensors",) if counter % 7 == 0 else (),
            )
        )
        if parent is not None:
            edges.append(MapEdge(cid, parent, kind))
        for i in range(contacts):
            pid = f"contact:{cid[8:]}-{i:02d}"
            n = counter + i
            nodes.append(
                MapNode(
                    pid,
                    "contact",
                    f"Person {cid[8:]}-{i:02d}",
                    _ROLES[n % 6],
                    cid,
                    attitude=_ATTITUDES[n % 6],
                    faded=n % 9 == 0,
                    decisive=_ROLES[n % 6] in ("Decision Maker", "Economic Buyer"),
                )
            )
            edges.append(MapEdge(pid, cid, "works_at"))
            if i:
                edges.append(MapEdge(pid, f"contact:{cid[8:]}-00", "reports_to"))
        for i in range(deals):
            did = f"deal:{cid[8:]}-{i:02d}"
            nodes.append(
                MapNode(did, "deal", f"Deal {cid[8:]}-{i:02d}", _DEALS[(counter + i) % 3], cid)
            )
            edges.append(MapEdge(did, cid, "deal_of"))

    company("company:hq", "Synthetic Holding", None, 0, "")
    for s in range(subsidiaries):
        sid = f"company:s{s:02d}"
        company(sid, f"Subsidiary {s:02d}", "company:hq", 1, "subsidiary_of")
        for b in range(branches):
            company(f"company:s{s:02d}b{b:02d}", f"Branch {s:02d}-{b:02d}", sid, 2, "branch_of")
    return OrgMap(
        title="Synthetic Group",
        as_of="2025-01-01",
        summary=(("Companies", str(1 + subsidiaries * (1 + branches))),),
        nodes=tuple(nodes),
        edges=tuple(edges),
    )


def random_family_org_map(members: int, *, seed: int = 1, contacts: int = 1) -> OrgMap:
    """A family shaped like the bench generator's (bench/generate.py ``_family``): an irregular
    tree at most four levels deep whose early, shallow members get most children."""
    import random

    rng = random.Random(seed)
    nodes: list[MapNode] = []
    edges: list[MapEdge] = []
    depth: list[int] = []
    candidates: list[int] = []
    for i in range(members):
        parent: int | None = None
        if i:
            parent = candidates[min(len(candidates) - 1, int(rng.expovariate(0.15)))]
            parent = rng.choice(candidates) if rng.random() < 0.5 else parent
        depth.append(0 if parent is None else depth[parent] + 1)
        cid = f"company:{i:04d}"
        pid = None if parent is None else f"company:{parent:04d}"
        nodes.append(
            MapNode(cid, "company", f"Member {i:04d} GmbH", _STATUSES[i % 4], pid, depth[i])
        )
        if pid is not None:
            edges.append(MapEdge(cid, pid, "subsidiary_of" if depth[i] == 1 else "branch_of"))
        for k in range(contacts):
            person = f"contact:{i:04d}-{k}"
            nodes.append(
                MapNode(person, "contact", f"Person {i:04d}-{k}", _ROLES[(i + k) % 6], cid)
            )
            edges.append(MapEdge(person, cid, "works_at"))
        if depth[i] < 3:
            candidates.append(i)
    return OrgMap("Random Family", "2025-01-01", (), tuple(nodes), tuple(edges))

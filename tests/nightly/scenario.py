"""Three nightly CRM exports of one small portfolio, described once.

Three customer groups (Acme, Borealis, Cedar), 15 companies, 16 contacts, 3 reps and 10 deals on
night 1; nights 2 and 3 apply every change class a CRM sends overnight. The writers in
``writers.py`` render each night to Salesforce Data Loader CSV, sfdx tree JSON and mapped CSV;
the tests compare what each reader makes of it. Records are named by short keys (``a_buy``,
``A1b2``, ``d3``); ``ID`` gives their 18-character Salesforce ids, used by every format.

Night 2 (2026-03-03):
- a_buy (Clara Conrad) gets a new manager: a_cfo -> a_ceo (first of two changes)
- a_nord (Eva Engel) changes title: "Managing Director Nord" -> "CEO Acme Nord"
- a_ham (Felix Fuchs) moves inside the Acme group: A1b1 -> A2
- b_leeds (Liam Lowe) moves to another group: B1b1 (Borealis) -> C1 (Cedar), manager b_uk -> c_ca
- d3 changes owner: U2 -> U3
- A1b2 (branch Kiel) is re-parented inside its group: A1 -> A2
- B1 is renamed "Borealis UK Ltd" -> "Borealis Britain Ltd"
- a_leaf (Ida Imhof) and d9 are deleted (IsDeleted = true; still listed, flagged)
- new: contact c_new, deal d11

Night 3 (2026-03-04, a --full export):
- a_buy gets a new manager again: a_ceo -> a_coo
- a_log (Hans Haas) loses his manager (ReportsToId emptied)
- A3 (Acme Logistics) is sold with its branches A3b1, A3b2 to Borealis: parent A0 -> B0
- A2b1 (a branch), b_nord (Mia Moe) and d8 are missing from the export
- new: company C2, contact c_mx, deal d12
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from kamgraph.ingest.fields import sf_id


@dataclass(frozen=True)
class Company:
    key: str
    name: str
    parent: str | None
    hierarchy: str  # Headquarters, Subsidiary or Branch
    country: str
    industry: str


@dataclass(frozen=True)
class Contact:
    key: str
    first: str
    last: str
    title: str
    department: str
    account: str
    manager: str | None

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Rep:
    key: str
    name: str
    email: str
    tier: str


@dataclass(frozen=True)
class Deal:
    key: str
    name: str
    account: str
    stage: str
    amount: int
    created: str
    close: str
    owner: str


@dataclass(frozen=True)
class Role:
    deal: str
    contact: str
    role: str
    primary: bool

    @property
    def key(self) -> str:
        return f"{self.deal}-{self.contact}"


@dataclass
class Night:
    """One night's export: every record it lists (``deleted`` ones flagged IsDeleted)."""

    number: int
    day: str
    full: bool
    companies: dict[str, Company]
    contacts: dict[str, Contact]
    reps: dict[str, Rep]
    deals: dict[str, Deal]
    deleted: set[str] = field(default_factory=set)

    @property
    def now(self) -> dt.datetime:
        """The run's moment: 02:00 UTC of the night's day."""
        return dt.datetime.fromisoformat(self.day).replace(hour=2, tzinfo=dt.UTC)

    @property
    def label(self) -> str:
        return f"night {self.number} ({self.day}{', --full' if self.full else ''})"

    def live(self, key: str) -> bool:
        """Listed and not flagged deleted."""
        listed = key in self.companies or key in self.contacts or key in self.deals
        return listed and key not in self.deleted

    @property
    def roles(self) -> list[Role]:
        """Contact roles of live deals and contacts (Salesforce drops them with either end)."""
        return [r for r in ROLES if self.live(r.deal) and self.live(r.contact)]

    def group_of(self, company: str) -> str:
        """The top company of ``company``'s family in this night's export."""
        while (parent := self.companies[company].parent) is not None:
            company = parent
        return company

    @property
    def groups(self) -> list[str]:
        return sorted({self.group_of(k) for k in self.companies if self.live(k)})


def _companies(*items: Company) -> dict[str, Company]:
    return {c.key: c for c in items}


COMPANIES_1 = _companies(
    Company("A0", "Acme Holding AG", None, "Headquarters", "DE", "Manufacturing"),
    Company("A1", "Acme Nord GmbH", "A0", "Subsidiary", "DE", "Manufacturing"),
    Company("A1b1", "Acme Nord Branch Hamburg", "A1", "Branch", "DE", "Manufacturing"),
    Company("A1b2", "Acme Nord Branch Kiel", "A1", "Branch", "DE", "Manufacturing"),
    Company("A2", "Acme Sued GmbH", "A0", "Subsidiary", "DE", "Manufacturing"),
    Company("A2b1", "Acme Sued Branch Muenchen", "A2", "Branch", "DE", "Manufacturing"),
    Company("A3", "Acme Logistics GmbH", "A0", "Subsidiary", "DE", "Logistics"),
    Company("A3b1", "Acme Logistics Branch Bremen", "A3", "Branch", "DE", "Logistics"),
    Company("A3b2", "Acme Logistics Branch Hannover", "A3", "Branch", "DE", "Logistics"),
    Company("B0", "Borealis Industries plc", None, "Headquarters", "GB", "Chemicals"),
    Company("B1", "Borealis UK Ltd", "B0", "Subsidiary", "GB", "Chemicals"),
    Company("B1b1", "Borealis UK Branch Leeds", "B1", "Branch", "GB", "Chemicals"),
    Company("B2", "Borealis Nordic AB", "B0", "Subsidiary", "SE", "Chemicals"),
    Company("C0", "Cedar Systems Inc", None, "Headquarters", "US", "Software"),
    Company("C1", "Cedar Canada Ltd", "C0", "Subsidiary", "CA", "Software"),
)

CONTACTS_1 = {
    c.key: c
    for c in (
        Contact("a_ceo", "Anna", "Adler", "Chief Executive Officer", "Board", "A0", None),
        Contact("a_cfo", "Bernd", "Bauer", "Chief Financial Officer", "Finance", "A0", "a_ceo"),
        Contact("a_buy", "Clara", "Conrad", "Head of Procurement", "Procurement", "A0", "a_cfo"),
        Contact("a_coo", "Dieter", "Dahl", "Chief Operating Officer", "Operations", "A0", "a_ceo"),
        Contact("a_nord", "Eva", "Engel", "Managing Director Nord", "Board", "A1", "a_ceo"),
        Contact(
            "a_ham", "Felix", "Fuchs", "Branch Manager Hamburg", "Operations", "A1b1", "a_nord"
        ),
        Contact("a_sued", "Greta", "Graf", "Managing Director Sued", "Board", "A2", "a_ceo"),
        Contact("a_log", "Hans", "Haas", "Logistics Director", "Logistics", "A3", "a_coo"),
        Contact("a_leaf", "Ida", "Imhof", "Junior Buyer", "Procurement", "A1b1", "a_ham"),
        Contact("b_ceo", "Jack", "Jones", "Group CEO", "Board", "B0", None),
        Contact("b_uk", "Kate", "King", "Country Manager UK", "Sales", "B1", "b_ceo"),
        Contact("b_leeds", "Liam", "Lowe", "Site Lead Leeds", "Operations", "B1b1", "b_uk"),
        Contact("b_nord", "Mia", "Moe", "Procurement Lead Nordic", "Procurement", "B2", "b_ceo"),
        Contact("c_ceo", "Nora", "Nash", "Founder and CEO", "Board", "C0", None),
        Contact("c_ca", "Omar", "Ortiz", "VP Canada", "Sales", "C1", "c_ceo"),
        Contact("c_buy", "Paul", "Price", "IT Buyer Canada", "IT", "C1", "c_ca"),
    )
}

REPS = {
    r.key: r
    for r in (
        Rep("U1", "Rita Rep", "rita@example.com", "key-account"),
        Rep("U2", "Sam Seller", "sam@example.com", "expansion"),
        Rep("U3", "Tina Trader", "tina@example.com", "progression"),
    )
}

DEALS_1 = {
    d.key: d
    for d in (
        Deal("d1", "Acme Platform", "A0", "Proposal", 120000, "2026-01-10", "2026-06-30", "U1"),
        Deal("d2", "Nord Sensors", "A1", "Closed Won", 40000, "2025-10-01", "2026-01-15", "U1"),
        Deal("d3", "Hamburg Retrofit", "A1b1", "Negotiation", 25000, "2026-01-20", "2026-05-31",
             "U2"),
        Deal("d4", "Sued Expansion", "A2", "Closed Lost", 30000, "2025-09-01", "2025-12-01", "U2"),
        Deal("d5", "Logistics Fleet", "A3", "Qualification", 80000, "2026-02-01", "2026-09-30",
             "U1"),
        Deal("d6", "Borealis Group Deal", "B0", "Proposal", 150000, "2026-01-05", "2026-07-31",
             "U3"),
        Deal("d7", "UK Rollout", "B1", "Closed Won", 60000, "2025-08-01", "2025-11-30", "U3"),
        Deal("d8", "Nordic Pilot", "B2", "Qualification", 15000, "2026-02-10", "2026-08-31",
             "U2"),
        Deal("d9", "Cedar Core", "C0", "Proposal", 90000, "2026-01-15", "2026-06-15", "U1"),
        Deal("d10", "Canada Upgrade", "C1", "Negotiation", 35000, "2026-02-01", "2026-04-30",
             "U3"),
    )
}  # fmt: skip

#: Every contact role of the scenario; a night lists those whose deal and contact are live.
ROLES = (
    Role("d1", "a_ceo", "Economic Buyer", True),
    Role("d1", "a_buy", "Evaluator", False),
    Role("d2", "a_nord", "Decision Maker", True),
    Role("d3", "a_ham", "Champion", True),
    Role("d3", "a_leaf", "Influencer", False),
    Role("d4", "a_sued", "Decision Maker", True),
    Role("d5", "a_log", "Decision Maker", True),
    Role("d6", "b_ceo", "Economic Buyer", True),
    Role("d7", "b_uk", "Champion", True),
    Role("d8", "b_nord", "Evaluator", True),
    Role("d9", "c_ceo", "Economic Buyer", True),
    Role("d10", "c_ca", "Decision Maker", True),
    Role("d10", "c_buy", "Technical Buyer", False),
    Role("d11", "c_new", "Executive Sponsor", True),
    Role("d12", "c_mx", "Decision Maker", True),
)


def _night_1() -> Night:
    return Night(1, "2026-03-02", False, dict(COMPANIES_1), dict(CONTACTS_1), dict(REPS),
                 dict(DEALS_1))  # fmt: skip


def _night_2(before: Night) -> Night:
    n = Night(2, "2026-03-03", False, dict(before.companies), dict(before.contacts),
              dict(before.reps), dict(before.deals), set(before.deleted))  # fmt: skip
    c, k, d = n.companies, n.contacts, n.deals
    k["a_buy"] = replace(k["a_buy"], manager="a_ceo")
    k["a_nord"] = replace(k["a_nord"], title="CEO Acme Nord")
    k["a_ham"] = replace(k["a_ham"], account="A2")
    k["b_leeds"] = replace(k["b_leeds"], account="C1", manager="c_ca")
    d["d3"] = replace(d["d3"], owner="U3")
    c["A1b2"] = replace(c["A1b2"], parent="A2")
    c["B1"] = replace(c["B1"], name="Borealis Britain Ltd")
    n.deleted |= {"a_leaf", "d9"}
    k["c_new"] = Contact("c_new", "Quinn", "Quade", "Chief Technology Officer", "IT", "C0",
                         "c_ceo")  # fmt: skip
    d["d11"] = Deal("d11", "Cedar Analytics", "C0", "Proposal", 45000, "2026-03-01",
                    "2026-08-31", "U2")  # fmt: skip
    return n


def _night_3(before: Night) -> Night:
    n = Night(3, "2026-03-04", True, dict(before.companies), dict(before.contacts),
              dict(before.reps), dict(before.deals), set(before.deleted))  # fmt: skip
    c, k, d = n.companies, n.contacts, n.deals
    k["a_buy"] = replace(k["a_buy"], manager="a_coo")
    k["a_log"] = replace(k["a_log"], manager=None)
    c["A3"] = replace(c["A3"], parent="B0")
    del c["A2b1"], k["b_nord"], d["d8"]
    c["C2"] = Company("C2", "Cedar Mexico SA", "C0", "Subsidiary", "MX", "Software")
    k["c_mx"] = Contact("c_mx", "Rosa", "Ruiz", "Director Mexico", "Sales", "C2", "c_ceo")
    d["d12"] = Deal("d12", "Mexico Launch", "C2", "Qualification", 20000, "2026-03-04",
                    "2026-10-31", "U1")  # fmt: skip
    return n


def _nights() -> list[Night]:
    first = _night_1()
    second = _night_2(first)
    return [first, second, _night_3(second)]


NIGHTS: list[Night] = _nights()


@dataclass(frozen=True)
class Ended:
    """A link a night ends: kept with active = false and until = that night's day."""

    rel: str
    start: str
    end: str
    night: int


#: The history each night must leave, in the scenario's short keys.
ENDED = (
    Ended("REPORTS_TO", "a_buy", "a_cfo", 2),
    Ended("WORKS_AT", "a_ham", "A1b1", 2),
    Ended("WORKS_AT", "b_leeds", "B1b1", 2),
    Ended("REPORTS_TO", "b_leeds", "b_uk", 2),
    Ended("OWNS", "U2", "d3", 2),
    Ended("BRANCH_OF", "A1b2", "A1", 2),
    Ended("REPORTS_TO", "a_buy", "a_ceo", 3),
    Ended("REPORTS_TO", "a_log", "a_coo", 3),
    Ended("SUBSIDIARY_OF", "A3", "A0", 3),
)
#: Records a night makes inactive (deleted, or missing from a --full export) -> that night.
INACTIVE = {"a_leaf": 2, "d9": 2, "A2b1": 3, "b_nord": 3, "d8": 3}
#: Titles a contact lost -> (old title, night).
PREVIOUS_TITLES = {"a_nord": [("Managing Director Nord", 2)]}


def _ids() -> dict[str, str]:
    prefixes = (("001", "companies"), ("003", "contacts"), ("005", "reps"), ("006", "deals"))
    ids: dict[str, str] = {}
    for prefix, attr in prefixes:
        keys: list[str] = []
        for night in NIGHTS:
            keys += [k for k in getattr(night, attr) if k not in keys]
        for i, key in enumerate(keys, start=1):
            ids[key] = sf_id(f"{prefix}{i:012d}")
    for i, role in enumerate(ROLES, start=1):
        ids[role.key] = sf_id(f"00K{i:012d}")
    return ids


#: Short key -> 18-character Salesforce id.
ID: dict[str, str] = _ids()
#: 18-character id -> short key (for readable failure messages).
KEY: dict[str, str] = {v: k for k, v in ID.items()}


def describe(key: str) -> str:
    """``a_buy (Clara Conrad)``: a record as failure messages name it."""
    for night in reversed(NIGHTS):
        for records in (night.contacts, night.companies, night.deals, night.reps):
            record = records.get(key)
            if record is not None:
                return f"{key} ({record.name})"
    return key

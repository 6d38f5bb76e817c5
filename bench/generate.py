"""Synthetic portfolios S / M / L as Salesforce Data Loader CSVs plus an ERP ``finance.csv``.

Same files, headers, id format and value conventions as `kamgraph.demo.generate` (so
``kamgraph ingest salesforce`` and ``kamgraph ingest finance`` read them unchanged), but sized
for benchmarks: L is 100,000 companies in 5,000 families up to four levels deep (depth 0-3),
300,000 contacts and 500,000 deals with line items, competitors, contact roles and finance rows;
M is 10 % and S 1 % of that. Rows are written family by family while they are generated, so
memory stays flat whatever the size, and the first rows of every file belong to the first
families (a prefix of each file is a consistent sub-portfolio). The same seed always yields
byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from kamgraph.demo.generate import HEADERS, sf_id18

__all__ = ["FILES", "SIZES", "Manifest", "Size", "generate"]

TODAY: Final = dt.date(2026, 11, 1)
"""The portfolio's "now": every date is on or before it; queries run with ``as_of`` = this."""


@dataclass(frozen=True)
class Size:
    """How many of each object a portfolio holds."""

    name: str
    companies: int
    families: int
    contacts: int
    deals: int
    reps: int


SIZES: Final[dict[str, Size]] = {
    "T": Size("T", 200, 10, 600, 1_000, 4),  # tiny: tests only
    "S": Size("S", 1_000, 50, 3_000, 5_000, 10),
    "M": Size("M", 10_000, 500, 30_000, 50_000, 40),
    "L": Size("L", 100_000, 5_000, 300_000, 500_000, 200),
}

#: File of each object, in the order kamgraph loads them.
FILES: Final[dict[str, str]] = {
    "User": "User.csv",
    "Account": "Account.csv",
    "Contact": "Contact.csv",
    "AccountTeamMember": "AccountTeamMember.csv",
    "Product2": "Product2.csv",
    "Opportunity": "Opportunity.csv",
    "OpportunityLineItem": "OpportunityLineItem.csv",
    "OpportunityCompetitor": "OpportunityCompetitor.csv",
    "OpportunityContactRole": "OpportunityContactRole.csv",
    "finance": "finance.csv",
}

_FAMILIES: Final = (
    "Safety Sensors",
    "Industrial Gateways",
    "Maintenance Services",
    "Cloud Monitoring",
    "Spare Parts",
)
_COMPETITORS: Final = (
    "Ostwald Sicherheitstechnik",
    "Brightline Sensors",
    "Huazhong Instruments",
    "Meridian Controls",
    "Kaigen Automation",
    "Norrland Instrument AB",
    "Pampas Control SA",
    "Tessera Systems",
)
_COUNTRIES: Final = (
    ("DE", "Bayern", "EMEA", "EUR"),
    ("FR", "Île-de-France", "EMEA", "EUR"),
    ("GB", "England", "EMEA", "EUR"),
    ("PL", "Mazowieckie", "EMEA", "EUR"),
    ("US", "Ohio", "Americas", "USD"),
    ("MX", "Jalisco", "Americas", "USD"),
    ("BR", "São Paulo", "Americas", "USD"),
    ("CN", "Jiangsu", "APAC", "CNY"),
    ("JP", "Aichi", "APAC", "USD"),
)
_INDUSTRIES: Final = (
    "Machinery",
    "Manufacturing",
    "Electronics",
    "Food & Beverage",
    "Energy",
    "Transportation",
)
_STEMS: Final = (
    "Nord",
    "Atlas",
    "Vega",
    "Orion",
    "Kessel",
    "Brenn",
    "Falk",
    "Hanse",
    "Lumen",
    "Cobalt",
    "Tauber",
    "Sierra",
)
_FIRST: Final = ("Anna", "Jonas", "Li", "Maria", "Chen", "Pierre", "Sofia", "Omar", "Yuki", "Ewa")
_LAST: Final = ("Becker", "Wang", "Martin", "Nowak", "Silva", "Tanaka", "Smith", "Garcia", "Kim")
_TITLES: Final = (
    ("Head of Procurement", "Procurement"),
    ("Plant Manager", "Operations"),
    ("Maintenance Lead", "Maintenance"),
    ("CFO", "Finance"),
    ("EHS Manager", "EHS"),
    ("Buyer", "Procurement"),
)
_ATTITUDES: Final = ("Mentor", "Supporter", "Neutral", "Non-Supporter", "Enemy", "")
_INFLUENCE: Final = ("High", "Medium", "Low", "")
_ROLES: Final = (
    "Economic Buyer",
    "Decision Maker",
    "Technical Buyer",
    "Influencer",
    "Evaluator",
    "Business User",
    "Champion",
)
_OPEN_STAGES: Final = ("Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review")
_TEAM_ROLES: Final = ("Key Account Manager", "Account Manager", "Sales Rep")
_TIERS: Final = ("key-account", "progression", "expansion")
_HISTORY_DAYS: Final = 730
_BASE62: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_POD: Final = "5g"

# Salesforce key prefixes (as in the demo generator).
_PREFIX: Final = {
    "User": "005",
    "Account": "001",
    "Contact": "003",
    "AccountTeamMember": "01M",
    "Product2": "01t",
    "Opportunity": "006",
    "OpportunityLineItem": "00k",
    "OpportunityCompetitor": "00J",
    "OpportunityContactRole": "00K",
}


@dataclass(frozen=True)
class Manifest:
    """What `generate` wrote: the folder, the files and the data rows in each."""

    directory: Path
    size: str
    seed: int
    files: dict[str, Path]
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _base62(value: int, width: int) -> str:
    out = ""
    for _ in range(width):
        value, digit = divmod(value, 62)
        out = _BASE62[digit] + out
    return out


class _Ids:
    """Sequential 18-character Salesforce ids per key prefix (stable per object and index)."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def new(self, obj: str) -> str:
        value = self._next.get(obj, 0)
        self._next[obj] = value + 1
        return sf_id18(_PREFIX[obj] + _POD + "0" + _base62(62**6 + value * 7, 9))


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``parts`` positive, skewed counts (a few big families) summing to ``total``."""
    weights = [rng.lognormvariate(0.0, 0.9) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % parts] += 1
    return sizes


@dataclass
class _Company:
    id: str
    depth: int
    country: tuple[str, str, str, str]
    contacts: list[str]


class _Writer:
    """One csv writer per object; counts the data rows."""

    def __init__(self, stack: ExitStack, directory: Path) -> None:
        self.writers: dict[str, Any] = {}
        self.rows: dict[str, int] = {}
        for obj, name in FILES.items():
            handle = stack.enter_context((directory / name).open("w", encoding="utf-8", newline=""))
            writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(HEADERS[obj])
            self.writers[obj] = writer
            self.rows[obj] = 0

    def row(self, obj: str, values: list[str]) -> None:
        # Demo columns the bench does not fill (contract terms, LinkedIn, bounces) stay empty.
        self.writers[obj].writerow(values + [""] * (len(HEADERS[obj]) - len(values)))
        self.rows[obj] += 1


def generate(directory: Path, size: str | Size = "S", *, seed: int = 1) -> Manifest:
    """Write the portfolio of ``size`` into ``directory`` (created if missing); deterministic."""
    spec = SIZES[size] if isinstance(size, str) else size
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"kamgraph-bench-{seed}")
    ids = _Ids()
    with ExitStack() as stack:
        out = _Writer(stack, directory)
        reps = [ids.new("User") for _ in range(spec.reps)]
        for i, rep in enumerate(reps):
            tier = _TIERS[i % 3]
            out.row(
                "User",
                [rep, f"Rep {i:04d}", f"rep{i:04d}@seller.example", "Sales", tier.title()],
            )
        products: list[tuple[str, str]] = []
        for f_index, family in enumerate(_FAMILIES):
            for p in range(3):
                pid = ids.new("Product2")
                products.append((pid, family))
                out.row("Product2", [pid, f"{family} P{p + 1}", f"F{f_index}P{p + 1}", family])
        sizes = _split(spec.companies, spec.families, rng)
        contacts_left, deals_left = spec.contacts, spec.deals
        companies_left = spec.companies
        for family_index, family_size in enumerate(sizes):
            # Contacts and deals proportional to family size, exact totals at the end.
            n_contacts = round(contacts_left * family_size / companies_left)
            n_deals = round(deals_left * family_size / companies_left)
            contacts_left -= n_contacts
            deals_left -= n_deals
            companies_left -= family_size
            _family(
                out, ids, random.Random(f"{seed}-{family_index}"), family_index,
                family_size, n_contacts, n_deals, reps, products,
            )  # fmt: skip
    files = {obj: directory / name for obj, name in FILES.items()}
    return Manifest(directory, spec.name, seed, files, dict(out.rows))


def _family(
    out: _Writer,
    ids: _Ids,
    rng: random.Random,
    index: int,
    size: int,
    n_contacts: int,
    n_deals: int,
    reps: list[str],
    products: list[tuple[str, str]],
) -> None:
    stem = f"{_STEMS[index % len(_STEMS)]} {index:05d}"
    industry = _INDUSTRIES[index % len(_INDUSTRIES)]
    home = _COUNTRIES[index % len(_COUNTRIES)]
    companies: list[_Company] = []
    parents: list[int | None] = []
    candidates: list[int] = []  # companies that may still have children (depth < 3)
    for i in range(size):
        if i == 0:
            parent, depth = None, 0
        else:
            # Prefer early (shallow) parents so trees fan out; depth never exceeds 3.
            parent = candidates[min(len(candidates) - 1, int(rng.expovariate(0.15)))]
            parent = rng.choice(candidates) if rng.random() < 0.5 else parent
            depth = companies[parent].depth + 1
        country = home if rng.random() < 0.6 else rng.choice(_COUNTRIES)
        companies.append(_Company(ids.new("Account"), depth, country, []))
        parents.append(parent)
        if depth < 3:
            candidates.append(i)
    has_children = {p for p in parents if p is not None}
    for i, company in enumerate(companies):
        parent = parents[i]
        if company.depth == 0:
            kind, name = "Headquarters", f"{stem} Holding AG"
        elif i not in has_children and (company.depth == 3 or rng.random() < 0.5):
            kind, name = "Branch", f"{stem} Group - Site {i:04d}"
        else:
            kind, name = "Subsidiary", f"{stem} Unit {i:04d} GmbH"
        out.row(
            "Account",
            [
                company.id,
                name,
                companies[parent].id if parent is not None else "",
                "Customer",
                industry,
                company.country[0],
                company.country[1],
                company.country[2],
                kind,
                "",
                f"{rng.randrange(10**8, 10**9)}",
                "",
                "true" if kind != "Branch" and rng.random() < 0.3 else "false",
                "false",
            ],
        )
    kam = reps[index % len(reps)]
    out.row(
        "AccountTeamMember", [ids.new("AccountTeamMember"), companies[0].id, kam, _TEAM_ROLES[0]]
    )
    if size > 5:
        other = reps[(index * 7 + 3) % len(reps)]
        target = companies[rng.randrange(1, size)].id
        out.row("AccountTeamMember", [ids.new("AccountTeamMember"), target, other, _TEAM_ROLES[1]])
    # Contacts: spread over the companies, HQ first; the first contact of a company is the boss.
    for k in range(n_contacts):
        company = companies[k % size] if k < size * 2 else rng.choice(companies)
        cid = ids.new("Contact")
        boss = company.contacts[0] if company.contacts else ""
        company.contacts.append(cid)
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        title, department = rng.choice(_TITLES)
        verified = TODAY - dt.timedelta(days=rng.randint(1, 900))
        out.row(
            "Contact",
            [
                cid,
                company.id,
                first,
                last,
                title,
                department,
                boss,
                f"{first.lower()}.{last.lower()}.{k}@c{index}.example",
                rng.choice(_ATTITUDES),
                rng.choice(_INFLUENCE),
                verified.isoformat(),
                kam,
            ],
        )
    for _ in range(n_deals):
        _deal(out, ids, rng, stem, rng.choice(companies), kam, reps, products)


def _deal(
    out: _Writer,
    ids: _Ids,
    rng: random.Random,
    stem: str,
    company: _Company,
    kam: str,
    reps: list[str],
    products: list[tuple[str, str]],
) -> None:
    family = rng.randrange(len(_FAMILIES))
    created = TODAY - dt.timedelta(days=rng.randint(1, _HISTORY_DAYS))
    close = created + dt.timedelta(days=rng.randint(20, 200))
    lost_to = ""
    if close < TODAY:
        stage = "Closed Won" if rng.random() < 0.5 else "Closed Lost"
        if stage == "Closed Lost" and rng.random() < 0.8:
            lost_to = rng.choice(_COMPETITORS)
    else:
        stage = rng.choice(_OPEN_STAGES)
    deal_id = ids.new("Opportunity")
    family_products = products[family * 3 : family * 3 + 3]
    lines: list[tuple[str, int, int]] = []
    for product_id, _ in rng.sample(family_products, rng.choice((1, 1, 2))):
        lines.append((product_id, rng.randint(1, 40), rng.randint(50, 5000) * 100))
    amount = sum(q * unit for _, q, unit in lines)
    owner = kam if rng.random() < 0.6 else rng.choice(reps)
    moment = dt.datetime.combine(created, dt.time(rng.randint(6, 17), rng.randint(0, 59)))
    closed = stage.startswith("Closed")
    out.row(
        "Opportunity",
        [
            deal_id,
            company.id,
            f"{stem} {_FAMILIES[family]} {created.isoformat()}",
            stage,
            "true" if closed else "false",
            "true" if stage == "Closed Won" else "false",
            _money(amount),
            company.country[3],
            close.isoformat(),
            moment.strftime("%Y-%m-%dT%H:%M:%S") + ".000+0000",
            owner,
            lost_to,
        ],
    )
    for product_id, quantity, unit in lines:
        out.row(
            "OpportunityLineItem",
            [
                ids.new("OpportunityLineItem"),
                deal_id,
                product_id,
                str(quantity),
                _money(unit),
                _money(quantity * unit),
            ],
        )
    competitors = [lost_to] if lost_to else []
    if rng.random() < 0.15:
        extra = rng.choice(_COMPETITORS)
        if extra not in competitors:
            competitors.append(extra)
    for name in competitors:
        out.row("OpportunityCompetitor", [ids.new("OpportunityCompetitor"), deal_id, name])
    if company.contacts:
        chosen = rng.sample(company.contacts, min(len(company.contacts), rng.choice((0, 1, 1, 2))))
        for position, contact in enumerate(chosen):
            out.row(
                "OpportunityContactRole",
                [
                    ids.new("OpportunityContactRole"),
                    deal_id,
                    contact,
                    rng.choice(_ROLES),
                    "true" if position == 0 else "false",
                ],
            )
    if stage == "Closed Won":
        on = close + dt.timedelta(days=7)
        if on <= TODAY:
            doc = f"INV-{deal_id[-12:]}"
            out.row(
                "finance",
                [doc, company.id, on.isoformat(), _money(amount), company.country[3], "invoice"],
            )
    if rng.random() < 0.2:
        on = TODAY - dt.timedelta(days=rng.randint(1, _HISTORY_DAYS))
        doc = f"CST-{deal_id[-12:]}"
        cost = _money(rng.randint(150, 9000) * 100)
        out.row("finance", [doc, company.id, on.isoformat(), cost, company.country[3], "cost"])


def iter_rows(path: Path, limit: int | None = None) -> Iterator[dict[str, str]]:
    """The data rows of a generated file as dicts (first ``limit`` only, if given)."""
    with path.open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            if limit is not None and n >= limit:
                return
            yield row

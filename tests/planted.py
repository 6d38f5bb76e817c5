"""Planted-truth portfolios: small Salesforce exports written from a seeded generator.

Each generator plants a known answer (who buys next, who buys centrally, who moved, how strong
a relationship is) and returns it beside the export, so a test can measure a query's accuracy
against it. Same seed, same files.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from kamgraph.ingest.fields import sf_id

#: Salesforce key prefix per object.
PREFIX = {
    "Account": "001",
    "Contact": "003",
    "User": "005",
    "Opportunity": "006",
    "Product2": "01t",
    "OpportunityLineItem": "00k",
    "OpportunityContactRole": "00K",
    "AccountContactRelation": "07k",
    "Task": "00T",
    "Event": "00U",
}


class Export:
    """A Salesforce export being written: rows per object, ids handed out in order."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.counter = 0

    def add(self, obj: str, **fields: Any) -> str:
        self.counter += 1
        key = sf_id(f"{PREFIX[obj]}PL{self.counter:010d}")
        self.rows[obj].append({"Id": key, **fields})
        return key

    def account(self, name: str, parent: str | None = None, kind: str = "Subsidiary") -> str:
        return self.add("Account", Name=name, ParentId=parent or "", Hierarchy_Type__c=kind)

    def deal(
        self,
        account: str,
        product: str,
        created: dt.date,
        *,
        status: str = "won",
        owner: str = "",
        days_to_close: int = 30,
        **extra: Any,
    ) -> str:
        closed = created + dt.timedelta(days=days_to_close)
        deal = self.add(
            "Opportunity",
            AccountId=account,
            Name=f"Deal {self.counter}",
            StageName={"won": "Closed Won", "lost": "Closed Lost"}.get(status, "Prospecting"),
            IsClosed=str(status != "open").lower(),
            IsWon=str(status == "won").lower(),
            CloseDate=closed.isoformat(),
            CreatedDate=created.isoformat(),
            OwnerId=owner,
            **extra,
        )
        self.add("OpportunityLineItem", OpportunityId=deal, Product2Id=product, Quantity=1)
        return deal

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for obj, rows in self.rows.items():
            columns: list[str] = []
            for row in rows:
                columns += [c for c in row if c not in columns]
            with (folder / f"{obj}.csv").open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, columns, restval="")
                writer.writeheader()
                writer.writerows(rows)
        return folder

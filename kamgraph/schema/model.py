"""The graph model: labels, relationship types, their keys and the vocabularies values come from.

These names are the whitelist: the only identifiers that may ever be placed into Cypher text.
docs/model.md describes the same model for people.
"""

from __future__ import annotations

from typing import Final

#: Node label -> the property that identifies a node of that label (a source-system id).
NODE_KEYS: Final[dict[str, str]] = {
    "Company": "account_id",
    "Contact": "contact_id",
    "Deal": "deal_id",
    "Product": "product_id",
    "Competitor": "competitor_id",
    "Rep": "rep_id",
    "FinanceEntry": "entry_id",
    "Note": "note_id",
    "Policy": "policy_id",
    "Touchpoint": "touchpoint_id",
    "FxRate": "rate_id",
    "IngestRun": "run_id",
    "IngestLock": "lock_id",
    "PendingLink": "pending_id",
    # What is left of a forgotten person: one-way hashes (kamgraph/personal/suppression.py).
    "Suppression": "suppression_id",
    "SuppressionKey": "key_id",
    # Maintained portfolio answers per (query, group) (kamgraph/queries/findings.py).
    "Finding": "finding_id",
}

#: Relationship type -> (start label, end label, meaning).
RELATIONSHIPS: Final[dict[str, tuple[str, str, str]]] = {
    "SUBSIDIARY_OF": ("Company", "Company", "legal subsidiary -> its parent company"),
    "BRANCH_OF": ("Company", "Company", "branch / site -> its headquarters (D&B Branch)"),
    "WORKS_AT": ("Contact", "Company", "employment, with since / until / active"),
    "REPORTS_TO": ("Contact", "Contact", "reports-to line of the customer's org chart"),
    "HAS_DEAL": ("Company", "Deal", "the account a deal (opportunity) is with"),
    "INCLUDES": ("Deal", "Product", "a line item: quantity, unit_price, total"),
    "AGAINST": ("Deal", "Competitor", "a competitor was in the deal"),
    "LOST_TO": ("Deal", "Competitor", "the competitor that won a lost deal"),
    "ROLE_IN": ("Contact", "Deal", "decision role of a contact on a deal (role, is_primary)"),
    "OWNS": ("Rep", "Deal", "the rep who owns a deal"),
    "ON_TEAM": ("Rep", "Company", "account team membership (team_role)"),
    "BILLED_TO": ("FinanceEntry", "Company", "an invoice (revenue) or cost entry of a company"),
    "ABOUT": ("Note", "Company|Contact|Deal", "a note or playbook step about something"),
    "WROTE": ("Rep", "Note", "the rep who wrote a note"),
    "ISSUED_BY": ("Policy", "Company", "the HQ that issued a procurement policy"),
    "APPLIES_TO": ("Policy", "Company", "a member the procurement policy binds"),
    "LOGGED": ("Rep", "Touchpoint", "the rep who had a touchpoint (task, event, call, meeting)"),
    "WITH": ("Touchpoint", "Contact", "the contact a touchpoint was with"),
    "CONCERNS": ("Touchpoint", "Company|Deal", "the account or deal a touchpoint was about"),
}

#: Labels that are bookkeeping, not customer knowledge (kept out of ``stats`` node counts).
BOOKKEEPING_LABELS: Final[frozenset[str]] = frozenset(
    {"IngestRun", "IngestLock", "PendingLink", "SuppressionKey", "Finding"}
)

PARENT_TYPES: Final[tuple[str, ...]] = ("SUBSIDIARY_OF", "BRANCH_OF")

#: Salesforce OpportunityContactRole.Role picklist, plus the two informal roles sellers track.
DECISION_ROLES: Final[tuple[str, ...]] = (
    "Business User",
    "Decision Maker",
    "Economic Buyer",
    "Economic Decision Maker",
    "Evaluator",
    "Executive Sponsor",
    "Influencer",
    "Technical Buyer",
    "Other",
    "Champion",
    "Coach",
)

#: Roles that decide a deal: a deal with none of them known has a coverage gap.
DECISIVE_ROLES: Final[tuple[str, ...]] = (
    "Decision Maker",
    "Economic Buyer",
    "Economic Decision Maker",
)

ATTITUDES: Final[tuple[str, ...]] = ("Mentor", "Supporter", "Neutral", "Non-Supporter", "Enemy")
INFLUENCE_LEVELS: Final[tuple[str, ...]] = ("High", "Medium", "Low")
REP_TIERS: Final[tuple[str, ...]] = ("expansion", "progression", "key-account")
HIERARCHY_TYPES: Final[tuple[str, ...]] = ("Headquarters", "Subsidiary", "Branch")
DEAL_STATUSES: Final[tuple[str, ...]] = ("open", "won", "lost")
FINANCE_KINDS: Final[tuple[str, ...]] = ("invoice", "cost")
NOTE_KINDS: Final[tuple[str, ...]] = ("note", "playbook")


def check_label(label: str) -> str:
    """Return ``label`` if the model has it, else raise; the gate for identifiers in Cypher."""
    if label not in NODE_KEYS:
        raise ValueError(f"{label!r} is not a label of the kamgraph model")
    return label


def check_relationship(rel_type: str) -> str:
    """Return ``rel_type`` if the model has it, else raise."""
    if rel_type not in RELATIONSHIPS:
        raise ValueError(f"{rel_type!r} is not a relationship type of the kamgraph model")
    return rel_type

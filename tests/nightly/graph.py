"""Reading a graph back for the nightly suite: canonical dumps, the current state, the history.

Everything goes through ``kamgraph.dump.canonical_dump`` (the product's own comparable form);
this module only filters and relabels its lines so that a difference names the night's records
by their short keys (``Contact:a_buy``) instead of 18-character ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.dump import canonical_dump
from kamgraph.schema.model import NODE_KEYS

from .scenario import KEY

#: What a graph remembers of the past, not what holds now: left out of current-state dumps.
HISTORY_PROPERTIES = frozenset({"since", "until", "inactive_since"})
#: ... and any property named like history: previous_titles, job_title_since, role_until...
_HISTORY_NAME = re.compile(r"^previous_|_since$|_until$")
#: Provenance that depends on how (not what) a record was written.
PROVENANCE_PROPERTIES = frozenset({"content_hash", "run_id", "first_run_id", "created_at",
                                   "updated_at"})  # fmt: skip
#: Properties only some readers can know: Salesforce stores its own id again; a parent link's
#: ``via`` names the export's column (ParentId in Salesforce, whatever the mapping reads).
READER_PROPERTIES = frozenset({"salesforce_id"})
PARENT_TYPES = frozenset({"SUBSIDIARY_OF", "BRANCH_OF"})

_ID = re.compile(r"\b[0-9A-Za-z]{18}\b")


def short(text: str) -> str:
    """``text`` with the scenario's 18-character ids replaced by their short keys."""
    return _ID.sub(lambda m: KEY.get(m.group(0), m.group(0)), text)


@dataclass(frozen=True)
class Node:
    identity: str  # "Contact:<id>"
    labels: tuple[str, ...]
    props: dict[str, Any]

    @property
    def active(self) -> bool:
        return self.props.get("active") is not False


@dataclass(frozen=True)
class Rel:
    type: str
    start: str
    end: str
    props: dict[str, Any]

    @property
    def active(self) -> bool:
        return self.props.get("active") is not False


@dataclass
class Graph:
    """One canonical dump, parsed."""

    nodes: dict[str, Node]
    rels: list[Rel]

    @classmethod
    def read(cls, backend: Backend) -> Graph:
        return cls.parse(canonical_dump(backend))

    @classmethod
    def parse(cls, lines: Iterable[str]) -> Graph:
        nodes: dict[str, Node] = {}
        rels: list[Rel] = []
        for line in lines:
            item = json.loads(line)
            if "node" in item:
                labels = tuple(item["node"])
                props = item["props"]
                identity = next(
                    (f"{lb}:{props[NODE_KEYS[lb]]}" for lb in labels
                     if lb in NODE_KEYS and NODE_KEYS[lb] in props),
                    json.dumps(props, sort_keys=True),
                )  # fmt: skip
                nodes[identity] = Node(identity, labels, props)
            else:
                rels.append(Rel(item["rel"], item["from"], item["to"], item["props"]))
        return cls(nodes, rels)

    def node(self, label: str, key_id: str) -> Node | None:
        return self.nodes.get(f"{label}:{key_id}")

    def rels_from(self, rel_type: str, start: str) -> list[Rel]:
        return [r for r in self.rels if r.type == rel_type and r.start == start]

    def rels_to(self, rel_type: str, end: str) -> list[Rel]:
        return [r for r in self.rels if r.type == rel_type and r.end == end]

    def current(self, *, across_readers: bool = False) -> list[str]:
        """Sorted lines of what holds now: active nodes, and active links between them, without
        history or provenance. ``across_readers`` also blanks what depends on the reader (the
        source name, Salesforce's own id, a parent link's column) so readers compare."""
        drop = HISTORY_PROPERTIES | PROVENANCE_PROPERTIES
        if across_readers:
            drop |= READER_PROPERTIES

        def clean(props: dict[str, Any], rel_type: str | None = None) -> dict[str, Any]:
            out = {k: v for k, v in props.items() if k not in drop and not _HISTORY_NAME.search(k)}
            if across_readers:
                # The sending system (a mapping's ``system``) is provenance like the source.
                for name in ("source", "system"):
                    if name in out:
                        out[name] = f"<{name}>"
                if rel_type in PARENT_TYPES:
                    out.pop("via", None)
            return out

        active = {k for k, n in self.nodes.items() if n.active}
        lines = [
            json.dumps({"node": list(n.labels), "props": clean(n.props)}, sort_keys=True,
                       ensure_ascii=False, default=str)
            for n in self.nodes.values() if n.active
        ]  # fmt: skip
        lines += [
            json.dumps({"rel": r.type, "from": r.start, "to": r.end,
                        "props": clean(r.props, r.type)}, sort_keys=True, ensure_ascii=False,
                       default=str)
            for r in self.rels if r.active and r.start in active and r.end in active
        ]  # fmt: skip
        return sorted(short(line) for line in lines)


def diff(expected: list[str], actual: list[str], *, limit: int = 25) -> str:
    """The lines only in one side, readable: ``- expected only`` / ``+ actual only``."""
    exp, act = set(expected), set(actual)
    out = [f"- {line}" for line in expected if line not in act]
    out += [f"+ {line}" for line in actual if line not in exp]
    more = f"\n... and {len(out) - limit} more" if len(out) > limit else ""
    return "\n".join(out[:limit]) + more

"""Writing records to a backend in ``UNWIND $rows`` batches, in the order they arrive.

A link whose other end is not in the graph is not rejected: it is kept as a pending reference
(:mod:`kamgraph.ingest.pending`) that the end of this or a later run completes.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.ingest import pending
from kamgraph.ingest.records import Counts, Record, Reject
from kamgraph.queries import statement
from kamgraph.schema.end_rules import CHANGED, END_RULES, FULL, HISTORY_RULES

DEFAULT_BATCH_SIZE = 1000
#: Items the read-ahead thread hands over at once, and how many such chunks may wait.
READ_AHEAD_CHUNK = 256
READ_AHEAD_CHUNKS = 16
#: Link statements whose rows a ``--full`` export lists completely (end rules ``full``).
FULL_LINK_STATEMENTS = frozenset(r.link_statement for r in END_RULES if r.trigger == FULL)


#: Within one flush: "pre" statements that keep history of what is about to change, then
#: nodes, then the statements that end old links, then the links that may need both.
_KIND_ORDER = {"pre": 0, "node": 1, "batch": 2, "link": 3}


class Loader:
    """Buffers records per statement; when one buffer is full, flushes all of them.

    A reader interleaves statements row by row (a deal, its account link, its competitor...);
    one buffer per statement keeps batches full anyway. Everything added before a flush is
    written by it, nodes first, so a link never waits for a node that arrived before it.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        source: str,
        run_id: str,
        system: str | None = None,
        now: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_reject: Callable[[Reject], None],
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.backend = backend
        self.source = source
        #: The system that sent the export (a mapping's ``system``); end rules are scoped to it.
        self.system = system or source
        self.run_id = run_id
        self.now = now
        self.batch_size = max(1, batch_size)
        self.counts = Counts()
        self._on_reject = on_reject
        self._on_progress = on_progress
        self._buffers: dict[str, list[Record]] = {}
        #: For ``--full``: the keys of every node record, and the ``from\x1fto`` of the link
        #: records the ``full`` end rules compare, per statement (None: not tracked).
        self.seen: dict[str, set[str]] | None = None
        #: With ``track_touched``, (link statement, owner key) of every link and end rule this
        #: run stated: what older runs of this source left pending for them is replaced
        #: (``pending.supersede``). Not tracked when no older run left any (the usual case).
        self.track_touched = True
        self.touched: set[tuple[str, str]] = set()
        #: Link records kept as pending references (counted each time one is kept).
        self.kept_pending = 0
        #: "pre" (history) statements left out: the store held no value of their kind when the
        #: run began, so they match nothing (see ``skip_empty_history``).
        self.skip: frozenset[str] = frozenset()

    def skip_empty_history(self) -> None:
        """Leave out the statements that keep history of, or end, kinds the store holds none
        of (a first load): a history rule's ``pre`` statement, and an end rule a changed row
        triggers. Within one export a key's first row wins, so what this run writes is not
        changed again by it: with none stored before the run there is nothing to keep or end.
        """
        present = self.backend.read(statement("kinds-present").text, {})[0]
        skip = {rule.statement for rule in HISTORY_RULES if present.get(rule.on) is False}
        ends: dict[str, bool] = {}
        for rule in END_RULES:
            if rule.trigger == CHANGED:
                # End rules end pending links too: while any is pending, none is left out.
                held = present.get(rule.rel_type) is not False or bool(present.get("PendingLink"))
                ends[rule.statement] = ends.get(rule.statement, False) or held
        self.skip = frozenset(skip | {name for name, held in ends.items() if not held})

    def add(self, record: Record) -> None:
        if record.statement in self.skip:
            return
        buffer = self._buffers.setdefault(record.statement, [])
        buffer.append(record)
        if len(buffer) >= self.batch_size:
            self.flush()
        if self.seen is not None:
            if record.kind == "node":
                self.seen.setdefault(record.statement, set()).add(record.data["key"])
            elif record.kind == "link" and record.statement in FULL_LINK_STATEMENTS:
                pair = f"{record.data['from']}\x1f{record.data['to']}"
                self.seen.setdefault(record.statement, set()).add(pair)
        if self.track_touched:
            self.touched.update(pending.touched_owners(record))

    def add_all(self, records: Iterable[Record | Reject]) -> None:
        for item in records:
            if isinstance(item, Reject):
                self.reject(item)
            else:
                self.add(item)

    def reject(self, reject: Reject) -> None:
        self.counts.rejected += 1
        self._on_reject(reject)

    def flush(self) -> None:
        """Write every buffered record: nodes, then batch statements, then links."""
        buffers, self._buffers = self._buffers, {}
        for batch in sorted(buffers.values(), key=lambda b: _KIND_ORDER.get(b[0].kind, 3)):
            self._write(batch)

    def _write(self, batch: list[Record]) -> None:
        name = batch[0].statement
        query = statement(name)
        kind = batch[0].kind
        params: dict[str, Any] = {
            "source": self.source,
            "system": self.system,
            "run_id": self.run_id,
            "now": self.now,
            "today": self.now[:10],
        }
        if kind == "link":
            rows = [dict(r.data, ref=i) for i, r in enumerate(batch)]
        else:
            rows = [r.data for r in batch]
        params["rows"] = rows
        declared = {p.name for p in query.params}
        result = self.backend.write(query.text, {k: v for k, v in params.items() if k in declared})
        self.counts.by_statement[name] = self.counts.by_statement.get(name, 0) + len(batch)
        if kind == "node":
            changed = sum(int(r.get("changed", 0)) for r in result.rows)
            self.counts.created += result.nodes_created
            self.counts.updated += max(0, changed - result.nodes_created)
        elif kind == "batch":
            self.counts.deactivated += sum(int(r.get("deactivated") or 0) for r in result.rows)
            self.counts.links_ended += sum(int(r.get("ended") or 0) for r in result.rows)
        elif kind == "link":
            linked = {r["ref"] for r in result.rows}
            self.counts.linked += result.relationships_created
            missing = [rec for i, rec in enumerate(batch) if i not in linked]
            if missing:
                self.kept_pending += pending.keep(
                    self.backend,
                    missing,
                    source=self.source,
                    system=self.system,
                    run_id=self.run_id,
                    now=self.now,
                )
        if self._on_progress:
            self._on_progress(len(batch))


_END = object()


def read_ahead(items: Iterable[Record | Reject]) -> Iterator[Record | Reject]:
    """``items`` in order, produced by a thread up to a bounded number ahead of the consumer.

    The reader's error is raised here, after the items before it (completed batches stay
    written; the error names its file and row as before). When the consumer stops early
    (a write failed), the thread stops at its next hand-over.
    """
    handover: queue.Queue[object] = queue.Queue(READ_AHEAD_CHUNKS)
    stop = threading.Event()

    def give(thing: object) -> bool:
        while not stop.is_set():
            try:
                handover.put(thing, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        chunk: list[Record | Reject] = []
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) >= READ_AHEAD_CHUNK:
                    if not give(chunk):
                        return
                    chunk = []
            if give(chunk):
                give(_END)
        except BaseException as e:  # handed to the consumer, raised there
            give(chunk) and give(e)

    thread = threading.Thread(target=produce, name="kamgraph-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            got = handover.get()
            if got is _END:
                return
            if isinstance(got, BaseException):
                raise got
            yield from got  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()

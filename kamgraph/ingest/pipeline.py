"""One ingest run: read a source, load it in batches, keep families right, record the run."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.errors import ConfigError, InputDataError, KamgraphError
from kamgraph.files import AtomicFile, write_csv_rows
from kamgraph.ingest import dnb, fx, gleif, pending, runs, subsidiaries, unchanged
from kamgraph.ingest.builder import ModelBuilder
from kamgraph.ingest.ending import START_STAMPS, Ended, end_links_of_inactive, end_missing
from kamgraph.ingest.families import update_families
from kamgraph.ingest.generic import open_generic
from kamgraph.ingest.load import DEFAULT_BATCH_SIZE, Loader, read_ahead
from kamgraph.ingest.lock import IngestLock, writer_id
from kamgraph.ingest.records import Counts, Record, Reject
from kamgraph.ingest.resolve import ResolveStep
from kamgraph.ingest.salesforce import SalesforceReader
from kamgraph.ingest.tables import TableReader, read_table
from kamgraph.personal.erase import check_retention, erase_inactive
from kamgraph.personal.suppression import Suppressions
from kamgraph.queries import findings, statement

REJECT_COLUMNS = ("file", "line", "field", "reason", "original")
#: How many rejects a report keeps in memory for display (all go to the rejects file).
KEEP_REJECTS = 50


@dataclass
class RunReport:
    """What an ingest run did: the run record, as stored in the graph."""

    run_id: str
    source: str
    files: list[str]
    started_at: str
    finished_at: str = ""
    status: str = "running"
    counts: Counts = field(default_factory=Counts)
    families_changed: int = 0
    #: Link references this run left pending (their other end is not loaded yet).
    pending: int = 0
    #: Pending references (of any run) this run completed.
    completed: int = 0
    #: The first line of the error of a failed run.
    error: str | None = None
    #: ``host:pid:run_id`` of the process writing the run (see ``kamgraph.ingest.runs``).
    writer: str = ""
    #: When the run started, in ns of the clock: orders runs started within the same second.
    started_ns: int = 0
    rejects: list[Reject] = field(default_factory=list)
    rejects_path: str | None = None
    #: The system that sent the export (a mapping's ``system``; else the source).
    system: str = ""
    #: Companies whose parent became inactive, detached from its group: {member, parent, rel_type}.
    detached: list[dict[str, str]] = field(default_factory=list)
    #: Files (or record types) of the input that were not read, each with the reason.
    skipped: list[str] = field(default_factory=list)
    #: Rows skipped, wholly or their reference, because they name a forgotten person.
    suppressed: int = 0
    #: People erased by the retention window (inactive longer than it), as ``forget`` does.
    erased: int = 0
    #: The digest of the run's input (kamgraph.ingest.unchanged); None: not comparable.
    fingerprint: str | None = None
    #: The earlier run whose input this run repeated unchanged: its records were not written
    #: again (kamgraph.ingest.unchanged). None: the records were loaded.
    unchanged_since: str | None = None

    @property
    def deactivated(self) -> int:
        """Records made inactive: deleted in the source, or missing from a ``--full`` export."""
        return self.counts.deactivated

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "source": self.source,
            "files": self.files,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "rows_read": self.counts.rows_read,
            "created": self.counts.created,
            "updated": self.counts.updated,
            "linked": self.counts.linked,
            "rejected": self.counts.rejected,
            "families_changed": self.families_changed,
            "deactivated": self.deactivated,
            "links_ended": self.counts.links_ended,
            "detached": len(self.detached),
            "system": self.system or self.source,
            "pending": self.pending,
            "completed": self.completed,
            "error": self.error,
            "rejects_file": self.rejects_path,
            "skipped": self.skipped,
            "suppressed": self.suppressed,
            "erased": self.erased,
            "unchanged": self.unchanged_since is not None,
            "unchanged_since": self.unchanged_since,
        }


class RejectSink:
    """Collects rejects for the report and streams them to the rejects CSV, if one was asked."""

    def __init__(self, path: Path | None, report: RunReport, *, raw_csv: bool = False) -> None:
        self._report = report
        self._raw = raw_csv
        # Written beside the target and renamed at the end: the last good file stays until then.
        self._file = AtomicFile(path) if path is not None else None
        if self._file is not None:
            write_csv_rows(self._file, [REJECT_COLUMNS], raw=True)
            report.rejects_path = str(path)

    def __call__(self, reject: Reject) -> None:
        if len(self._report.rejects) < KEEP_REJECTS:
            self._report.rejects.append(reject)
        if self._file is not None:
            # The original row is the cell most likely to hold a formula a spreadsheet would run.
            row = (reject.file, reject.line, reject.field, reject.reason, reject.raw)
            write_csv_rows(self._file, [row], raw=self._raw)

    def close(self) -> None:
        if self._file is not None:
            self._file.commit()


class FullExportError(ConfigError):
    """A full (complete) export was asked of a source that cannot have one."""

    setting = "full"


ReaderFactory = Callable[
    [Path, str | None, Mapping[str, Any]], tuple[Iterable[Record | Reject], list[str]]
]


Resolver = ResolveStep


@dataclass(frozen=True)
class SourceSpec:
    """An ingest source: its name (``kamgraph ingest NAME``), help texts and reader factory."""

    name: str
    help: str
    path_help: str
    factory: ReaderFactory
    #: Optional step between reader and loader that needs the graph (entity resolution).
    resolve: Resolver | None = None
    #: Whether an export of this source can be complete (``full``: what it no longer lists
    #: becomes inactive). Hierarchy sources end their links their own way.
    full_export: bool = True


def _salesforce(
    path: Path, encoding: str | None, options: Mapping[str, Any]
) -> tuple[Iterable[Record | Reject], list[str]]:
    reader = SalesforceReader(path, encoding=encoding, date_format=options.get("date_format"))
    return reader, [str(p) for p in reader.files.values()]


def _table(kind: str) -> ReaderFactory:
    def factory(
        path: Path, encoding: str | None, options: Mapping[str, Any]
    ) -> tuple[Iterable[Record | Reject], list[str]]:
        if not path.is_file():
            raise InputDataError(f"{path}: no such file")
        records = read_table(kind, path, encoding=encoding, date_format=options.get("date_format"))
        return records, [str(path)]

    return factory


#: Every source kamgraph can ingest; the CLI makes one ``kamgraph ingest`` command of each.
SOURCES: dict[str, SourceSpec] = {
    s.name: s
    for s in (
        SourceSpec(
            "salesforce",
            "Load a folder of Salesforce exports (Data Loader CSVs named by object), an sf data "
            "export tree, or a weekly Data Export ZIP.",
            "Folder with Account.csv, Contact.csv, Opportunity.csv, ..., or a weekly export "
            "ZIP (WE_..._1.zip) or a folder of them.",
            _salesforce,
        ),
        SourceSpec(
            "finance",
            "Load invoices and costs (document_id, account_id, date, amount, currency, kind).",
            "Finance CSV file.",
            _table("finance"),
        ),
        SourceSpec(
            "notes",
            "Load notes and playbook steps (note_id, about_id, kind, date, author_id, text).",
            "Notes CSV file.",
            _table("notes"),
        ),
        SourceSpec(
            "policies",
            "Load HQ procurement policies (policy_id, issuer_account_id, product_family, "
            "applies_to).",
            "Policies CSV file.",
            _table("policies"),
        ),
        SourceSpec(
            "csv",
            "Load a folder of CSV exports from any CRM, mapped by a YAML or TOML mapping file.",
            "Folder with the CSV files the mapping names.",
            open_generic,
        ),
        SourceSpec(
            "gleif",
            "Load GLEIF LEI records and parent relationships (API JSON or golden-copy CSVs).",
            "GLEIF file or folder: lei-records / relationship-records JSON, LEI-CDF / RR-CDF CSVs.",
            gleif.open_source,
            resolve=gleif.resolve,
            full_export=False,
        ),
        SourceSpec(
            "subsidiaries",
            "Load subsidiary lists (SEC Exhibit 21 labels, or parent_id, parent_name, "
            "subsidiary_name, jurisdiction, ownership_pct).",
            "Subsidiary list CSV file, or a folder of them.",
            subsidiaries.open_source,
            resolve=subsidiaries.resolve,
            full_export=False,
        ),
        SourceSpec(
            "fx",
            "Load exchange rates: the ECB reference-rate CSV (Date, USD, JPY, ...; per 1 EUR) "
            "or date, currency, rate rows. Amounts are converted with them (docs/queries.md).",
            "Rate CSV file (eurofxref-hist.csv or date,currency,rate).",
            fx.open_source,
            full_export=False,
        ),
        SourceSpec(
            "dnb",
            "Load a D&B family-tree linkage CSV (DUNS, name, country, Parent DUNS, Domestic and "
            "Global Ultimate DUNS) as a hierarchy source.",
            "D&B linkage CSV file.",
            dnb.open_source,
            resolve=dnb.resolve,
            full_export=False,
        ),
    )
}


def register_source(spec: SourceSpec) -> None:
    """Add a source (used by reader modules that live outside this file)."""
    SOURCES[spec.name] = spec


def open_reader(
    source: str,
    path: Path,
    *,
    encoding: str | None = None,
    options: Mapping[str, Any] | None = None,
    date_format: str | None = None,
) -> tuple[Iterable[Record | Reject], list[str]]:
    """The reader for ``source`` over ``path`` and the files it will read.

    ``date_format`` (also ``options["date_format"]``) says how the input writes ambiguous
    dates: a strptime format such as ``%d/%m/%Y``, or ``excel`` for serial dates. Without it
    each date column decides from its values (docs/ingest.md, "Dates and numbers").
    """
    spec = SOURCES.get(source)
    if spec is None:
        raise InputDataError(f"unknown source {source!r}; use one of {', '.join(SOURCES)}")
    options = dict(options or {})
    if date_format is not None:
        options["date_format"] = date_format
    return spec.factory(path, encoding, options)


def open_run(
    source: str,
    path: Path,
    moment: dt.datetime,
    *,
    encoding: str | None = None,
    options: Mapping[str, Any] | None = None,
    date_format: str | None = None,
) -> tuple[Iterable[Record | Reject], RunReport]:
    """The reader of ``path`` and the report of a run starting at ``moment`` (its id, files,
    system and the entries it will not read): how an ingest and the bulk import files begin."""
    reader, files = open_reader(
        source, path, encoding=encoding, options=options, date_format=date_format
    )
    system = str(getattr(reader, "system", "") or source)
    report = RunReport(
        run_id=f"{source}-{moment:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}",
        source=source,
        files=files,
        started_at=moment.isoformat(),
        system=system,
        skipped=list(getattr(reader, "skipped", None) or unread_entries(source, path, files)),
    )
    return reader, report


def ingest(
    backend: Backend,
    source: str,
    path: Path,
    *,
    encoding: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    rejects: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
    options: Mapping[str, Any] | None = None,
    full: bool = False,
    wait: float = 0.0,
    date_format: str | None = None,
    raw_csv: bool = False,
    retain_inactive_days: int | None = None,
) -> RunReport:
    """Load ``path`` from ``source`` into ``backend``; re-running it is a no-op.

    ``raw_csv`` writes the rejects file's cells as they are (no quote before a formula).

    Links whose other end is not loaded yet are kept pending (``report.pending``) and
    completed by whichever later run loads that end; at the end of this run, pending references
    of every source whose ends now exist are written (``report.completed``).

    Rows naming a forgotten person are skipped (``report.suppressed``). With
    ``retain_inactive_days`` the run ends by erasing people inactive for longer than that
    (``report.erased``; docs/personal-data.md).
    """
    check_retention(retain_inactive_days)
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    stamp = moment.isoformat()
    spec = SOURCES.get(source)
    if full and spec is not None and not spec.full_export:
        raise FullExportError(
            f"a {source} file is never taken as a complete export (the full setting); "
            "load it without it"
        )
    # Files are checked before the lock is taken: a bad path fails fast, even with --wait.
    reader, report = open_run(
        source, path, moment, encoding=encoding, options=options, date_format=date_format
    )
    files, system = report.files, report.system
    report.writer = writer_id(report.run_id)
    settings = {"encoding": encoding, "date_format": date_format, **dict(options or {})}
    report.fingerprint = unchanged.fingerprint(
        files, source=source, system=system, full=full, options=settings
    )
    report.started_ns = time.time_ns()
    lock = IngestLock(backend, report.run_id, wait=wait) if backend.kind == "neo4j" else None
    if lock is not None:
        lock.acquire()
    try:
        sink = RejectSink(rejects, report, raw_csv=raw_csv)
        _run(
            backend,
            source,
            report,
            reader,
            stamp,
            lock,
            batch_size,
            sink,
            on_progress,
            full,
            retain_inactive_days,
        )
    finally:
        if lock is not None:
            try:
                lock.release()
            except KamgraphError:
                if report.status != "failed":
                    raise
    return report


def _run(
    backend: Backend,
    source: str,
    report: RunReport,
    reader: Iterable[Record | Reject],
    stamp: str,
    lock: IngestLock | None,
    batch_size: int,
    sink: RejectSink,
    on_progress: Callable[[int], None] | None,
    full: bool,
    retain_inactive_days: int | None = None,
) -> None:
    """The run itself, under the lock: everything here reads the graph as the lock left it."""

    def progress(n: int) -> None:
        if lock is not None:
            lock.refresh()
        if on_progress is not None:
            on_progress(n)

    loader = Loader(
        backend,
        source=source,
        system=report.system,
        run_id=report.run_id,
        now=stamp,
        batch_size=batch_size,
        on_reject=sink,
        on_progress=progress,
    )
    report.counts = loader.counts
    if full:
        loader.seen = {}
    # Entity resolution reads the graph: it starts only now, after a --wait for the lock.
    resolver = SOURCES[source].resolve
    # Readers that build model records expose their builder, which skips forgotten people;
    # the flat-file reader (notes name people) skips them itself.
    skipper: ModelBuilder | TableReader | None = getattr(reader, "builder", None)
    if not isinstance(skipper, ModelBuilder):
        skipper = reader if isinstance(reader, TableReader) else None
    if skipper is not None:
        skipper.suppressions = Suppressions.load(backend)
        skipper.suppressed = skipper.dropped = 0
    if resolver is not None:
        reader = resolver(backend, reader, None)
    try:
        runs.mark_abandoned(backend, run_id=report.run_id, now=stamp)
        backend.write(
            statement("start-run").text,
            {"run_id": report.run_id, "props": run_props(report)},
        )
        report.unchanged_since = unchanged.unchanged_since(
            backend,
            run_id=report.run_id,
            source=source,
            system=report.system,
            print_=report.fingerprint,
        )
        if report.unchanged_since is None:
            _load(backend, source, report, reader, loader, skipper, full, stamp)
        completion = pending.complete(backend)
        report.completed = completion.completed
        # After completion: a completed reference to a record made inactive ends like any other.
        _count_ended(report, end_links_of_inactive(backend, stamp[:10]))
        if skipper is not None:
            report.suppressed = skipper.suppressed
        if retain_inactive_days is not None:
            report.erased = erase_inactive(backend, retain_inactive_days, today=stamp[:10]).people
            if report.erased:
                report.fingerprint = None  # the next run of this export skips the erased people
        for run_id in sorted({report.run_id, *completion.employment_runs}):
            for stamp_statement in START_STAMPS:
                backend.write(statement(stamp_statement).text, {"run_id": run_id})
        report.families_changed = update_families(backend)
        findings.refresh_after_run(backend, report.run_id, stamp)
        report.pending = pending.count(backend, run_id=report.run_id)
        report.status = "partial" if loader.counts.rejected else "ok"
    except BaseException as e:
        report.status = "failed"
        report.error = runs.one_line(e)
        raise
    finally:
        sink.close()
        report.finished_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        try:
            backend.write(
                statement("finish-run").text,
                {"run_id": report.run_id, "props": run_props(report)},
            )
        except KamgraphError:
            if report.status != "failed":
                raise


def _load(
    backend: Backend,
    source: str,
    report: RunReport,
    reader: Iterable[Record | Reject],
    loader: Loader,
    skipper: ModelBuilder | TableReader | None,
    full: bool,
    stamp: str,
) -> None:
    """Write the run's records, then the rules that compare the export with the store."""
    # Under the lock no other run adds pending links: if none of this source's older runs
    # left any, there is nothing to supersede and no need to remember what this run states.
    loader.track_touched = (
        pending.count(backend, source=source, run_id=report.run_id, other_runs=True) > 0
    )
    loader.skip_empty_history()
    last_line: dict[str, int] = {}
    # Neo4j: the files are read in a thread while the server writes (the driver waits on its
    # socket without the interpreter lock). A reader that resolves against the graph, and
    # the embedded store, read in this thread.
    ahead = backend.kind == "neo4j" and SOURCES[source].resolve is None
    items = read_ahead(reader) if ahead else iter(reader)
    try:
        for item in items:
            if first_of_row(item, last_line):
                loader.counts.rows_read += 1
            if isinstance(item, Reject):
                loader.reject(item)
            else:
                loader.add(item)
    finally:
        if isinstance(items, Generator):
            items.close()  # a failed write stops the read-ahead thread now
    loader.flush()
    if skipper is not None:
        # Rows dropped whole yield nothing above; they were read all the same.
        loader.counts.rows_read += skipper.dropped
    # --full first, so what it makes inactive ends its links in the same run.
    if full and loader.seen is not None:
        _count_ended(report, end_missing(backend, report.system, loader.seen, stamp[:10]))
    if loader.track_touched:
        pending.supersede(backend, loader.touched, source=source, run_id=report.run_id)


def _count_ended(report: RunReport, ended: Ended) -> None:
    report.counts.deactivated += ended.deactivated
    report.counts.links_ended += ended.links_ended
    report.detached.extend(ended.detached)


def first_of_row(item: Record | Reject, last_line: dict[str, int]) -> bool:
    """Whether ``item`` is the first one of its input row (readers revisit rows: nodes first,
    links second; a row counts once, by its line)."""
    file, line = (
        (item.file, item.line) if isinstance(item, Reject) else (item.origin.file, item.origin.line)
    )
    if line > last_line.get(file, 0):
        last_line[file] = line
        return True
    return False


class DryRunError(ConfigError):
    """A dry run was asked of a source that does not resolve companies against the graph."""

    setting = "dry_run"


#: Resolution actions in the order a dry run reports them.
DRY_RUN_ACTIONS = ("merge", "attach", "propose", "conflict", "new")


@dataclass
class DryRun:
    """What loading a reference source would do, found without writing (``--dry-run``)."""

    source: str
    files: list[str]
    rows_read: int = 0
    rejected: int = 0
    #: Resolution events ({action, key, target, method, score, reason}), in input order.
    events: list[dict[str, Any]] = field(default_factory=list)
    #: The first rejects (up to ``KEEP_REJECTS``).
    rejects: list[Reject] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {a: sum(1 for e in self.events if e["action"] == a) for a in DRY_RUN_ACTIONS}

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "files": self.files,
            "dry_run": True,
            "rows_read": self.rows_read,
            "rejected": self.rejected,
            **{f"would_{a}": n for a, n in self.counts().items()},
            "events": [e for e in self.events if e["action"] != "new"],
        }


def dry_run(
    backend: Backend,
    source: str,
    path: Path,
    *,
    encoding: str | None = None,
    options: Mapping[str, Any] | None = None,
    date_format: str | None = None,
) -> DryRun:
    """Read ``path`` and resolve its companies against ``backend`` (reads only): what would
    merge into a stored company, attach to one, become a proposal or conflict. Writes nothing."""
    spec = SOURCES.get(source)
    if spec is not None and spec.resolve is None:
        reference = ", ".join(n for n, s in SOURCES.items() if s.resolve is not None)
        raise DryRunError(
            f"a dry run shows how a reference source's companies resolve ({reference}); "
            f"{source} records are loaded by their own ids: load it without the dry run"
        )
    reader, files = open_reader(
        source, path, encoding=encoding, options=options, date_format=date_format
    )
    assert spec is not None and spec.resolve is not None  # open_reader refused unknown sources
    report = DryRun(source, files)
    last_line: dict[str, int] = {}
    for item in spec.resolve(backend, reader, report.events):
        if first_of_row(item, last_line):
            report.rows_read += 1
        if isinstance(item, Reject):
            report.rejected += 1
            if len(report.rejects) < KEEP_REJECTS:
                report.rejects.append(item)
    return report


def unread_entries(source: str, path: Path, files: list[str]) -> list[str]:
    """Entries of an input folder that a reader without its own list does not read (named, so
    nothing is skipped in silence)."""
    if not path.is_dir():
        return []
    used = {Path(f).resolve() for f in files}
    folders = {parent for f in used for parent in f.parents}
    return [
        f"{entry.name} (the {source} source does not read it)"
        for entry in sorted(path.iterdir())
        if entry.resolve() not in used and entry.resolve() not in folders
    ]


def run_props(report: RunReport) -> dict[str, Any]:
    d = report.as_dict()
    d.pop("run_id")
    d["files"] = [Path(f).name for f in report.files]
    d["writer"] = report.writer
    d["started_ns"] = report.started_ns
    d["fingerprint"] = report.fingerprint
    if not report.skipped:
        d.pop("skipped")
    return {k: v for k, v in d.items() if v is not None}

"""A bulk first load: the records of an ingest reader written as ``neo4j-admin database import``
files (node and relationship CSVs with header files), for an empty database.

The records come from the same readers as ``kamgraph ingest`` (:func:`pipeline.open_reader`);
what each statement writes - label and key of a node, type and end labels of a link, the run
and time properties it sets - is read from the statement's own Cypher file, so the imported
graph is the graph the ingest would write. What only a database can answer (entity resolution
of reference sources, a store's earlier state) is not done here: those sources are refused.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kamgraph.errors import KamgraphError
from kamgraph.ingest import pending
from kamgraph.ingest.ending import FULL_EXPORT_LABELS, START_STAMPS
from kamgraph.ingest.families import REFERENCE_SOURCES, compute_families
from kamgraph.ingest.pipeline import (
    SOURCES,
    RejectSink,
    RunReport,
    first_of_row,
    open_run,
    run_props,
)
from kamgraph.ingest.records import Origin, Record, Reject
from kamgraph.queries import statement
from kamgraph.schema.end_rules import INACTIVE_RULES
from kamgraph.schema.model import NODE_KEYS, PARENT_TYPES

#: Between the elements of a list property (``--array-delimiter``): a character no export uses.
ARRAY_DELIMITER = "\x1f"
#: The database the command imports into unless told otherwise.
DEFAULT_DATABASE = "neo4j"
#: The file beside the CSVs that holds the import tool's arguments, one per line.
ARGS_FILE = "import.args"

_NODE = re.compile(r"MERGE \(n:(\w+) \{(\w+): row\.key\}\)")
_END = re.compile(r"MATCH \((a|b):(\w+) \{(\w+): row\.(?:from|to)\}\)")
_MERGE_LINK = re.compile(r"MERGE \(a\)-\[r:`?(\w+)`?( \{source: \$source\})?\]->\(b\)")
_SET_PARAM = re.compile(r"\b(n|r)\.(\w+) = \$(\w+)")
_STAMP = re.compile(r"\(c:\w+\)-\[new:(\w+)\]->")


class BulkImportError(KamgraphError):
    """Import files cannot be written (output folder in use, source needs a graph, bad value)."""

    exit_code = 2
    kind = "config"


@dataclass(frozen=True)
class _NodeShape:
    label: str
    key: str
    #: property -> parameter (``run_id``, ``now``, ...) the statement sets on every write
    stamps: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _LinkShape:
    rel_type: str
    start: str
    end: str
    #: ``MERGE ... {source: $source}``: one link per source between the same ends
    per_source: bool
    #: ends decide ``active`` (an inactive end makes the link inactive)
    live: bool
    #: the statement sets ``active`` (from the row, default true)
    sets_active: bool
    stamps: tuple[tuple[str, str], ...]


def _stamps(text: str, var: str) -> tuple[tuple[str, str], ...]:
    return tuple((p, v) for who, p, v in _SET_PARAM.findall(text) if who == var and p != "source")


def _node_shape(name: str) -> _NodeShape:
    text = statement(name).text
    m = _NODE.search(text)
    if m is None or "n += row.props" not in text:
        raise BulkImportError(
            f"statement {name} is not a plain node upsert; load this source with kamgraph ingest"
        )
    return _NodeShape(m.group(1), m.group(2), _stamps(text, "n"))


def _link_shape(name: str) -> _LinkShape:
    text = statement(name).text
    ends = {v: label for v, label, _ in _END.findall(text)}
    m = _MERGE_LINK.search(text)
    if m is None or set(ends) != {"a", "b"} or "r += row.props" not in text:
        raise BulkImportError(
            f"statement {name} is not a plain link upsert; load this source with kamgraph ingest"
        )
    return _LinkShape(
        m.group(1),
        ends["a"],
        ends["b"],
        bool(m.group(2)),
        " AS live" in text,
        "r.active = " in text,
        _stamps(text, "r"),
    )


#: deactivate statement -> the upsert statement of the same records
_DEACTIVATES = {deactivate: upsert for upsert, (_, deactivate) in FULL_EXPORT_LABELS.items()}


@dataclass
class ImportFiles:
    """What :func:`write_import_files` wrote: the files, the counts and the run it stands for."""

    directory: Path
    report: RunReport
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    #: ``--nodes=Label=header,file`` / ``--relationships=TYPE=header,file`` and the CSV options
    args: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())

    def command(self, database: str = DEFAULT_DATABASE) -> list[str]:
        """The ``neo4j-admin`` command that imports these files into ``database`` (stopped;
        what it held is replaced). The arguments are in ``import.args`` beside the files."""
        return [
            "neo4j-admin",
            "database",
            "import",
            "full",
            database,
            "--overwrite-destination=true",
            f"@{self.directory.resolve() / ARGS_FILE}",
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "run_id": self.report.run_id,
            "source": self.report.source,
            "rows_read": self.report.counts.rows_read,
            "rejected": self.report.counts.rejected,
            "pending": self.report.pending,
            "nodes": self.nodes,
            "relationships": self.relationships,
            "seconds": round(self.seconds, 3),
            "command": self.command(),
        }


class _Graph:
    """The graph one first-load run writes, kept in memory until every node is known."""

    def __init__(self, source: str, system: str, run_id: str, now: str) -> None:
        self.params = {"source": source, "system": system, "run_id": run_id, "now": now}
        self.today = now[:10]
        #: label -> key -> properties
        self.nodes: dict[str, dict[str, dict[str, Any]]] = {}
        #: (type, start key, end key, start label, end label) -> (shape, properties), in the
        #: order first stated (two ID spaces may share a key)
        self.links: dict[tuple[str, str, str, str, str], tuple[_LinkShape, dict[str, Any]]] = {}
        self.link_records: list[tuple[_LinkShape, Record]] = []
        self.pending: dict[str, dict[str, Any]] = {}
        self._node_shapes: dict[str, _NodeShape] = {}
        self._link_shapes: dict[str, _LinkShape] = {}

    def add(self, record: Record) -> None:
        if record.kind == "node":
            self._node(record)
        elif record.kind == "link":
            shape = self._link_shapes.get(record.statement)
            if shape is None:
                shape = self._link_shapes[record.statement] = _link_shape(record.statement)
            # Kept until every node is known; the raw row is only for rejects: not kept.
            lean = replace(record, origin=Origin(record.origin.file, record.origin.line))
            self.link_records.append((shape, lean))
        elif record.kind == "batch" and record.statement in _DEACTIVATES:
            self._deactivate(_DEACTIVATES[record.statement], str(record.data["key"]))
        # Other batch and pre records compare with what the store held before the run: an
        # empty store holds nothing they could end or keep as history.

    def _shape(self, name: str) -> _NodeShape:
        shape = self._node_shapes.get(name)
        if shape is None:
            shape = self._node_shapes[name] = _node_shape(name)
        return shape

    def _node(self, record: Record) -> None:
        shape = self._shape(record.statement)
        nodes = self.nodes.setdefault(shape.label, {})
        key = str(record.data["key"])
        props = nodes.get(key)
        if props is None:
            props = nodes[key] = {shape.key: key, "first_run_id": self.params["run_id"]}
            props["created_at"] = self.params["now"]
        elif props.get("content_hash") == record.data["hash"]:
            return
        for name, value in record.data["props"].items():
            if value is None:
                props.pop(name, None)  # SET n += {x: null} removes x
            else:
                props[name] = value
        props["content_hash"] = record.data["hash"]
        props["source"] = self.params["source"]
        props.update((p, self.params[v]) for p, v in shape.stamps if v in self.params)
        props["active"] = True

    def _deactivate(self, upsert: str, key: str) -> None:
        props = self.nodes.get(self._shape(upsert).label, {}).get(key)
        if props is not None and props.get("active") is True:
            props.update(active=False, inactive_since=self.today)
            props.pop("content_hash", None)

    def resolve_links(self, source: str) -> None:
        """Each link between known ends is written as its statement would (later rows win);
        one naming an unknown end is kept as a ``PendingLink``, as the ingest keeps it."""
        for shape, record in self.link_records:
            start, end = str(record.data["from"]), str(record.data["to"])
            a = self.nodes.get(shape.start, {}).get(start)
            b = self.nodes.get(shape.end, {}).get(end)
            if a is None or b is None:
                row = pending.pending_row(source, record)
                self.pending[row["pending_id"]] = {
                    "pending_id": row["pending_id"],
                    "since": self.params["now"],
                    "first_run_id": self.params["run_id"],
                    "statement": row["statement"],
                    "source": source,
                    "system": self.params["system"],
                    "run_id": self.params["run_id"],
                    "stated_at": self.params["now"],
                    "from_key": row["from"],
                    "to_key": row["to"],
                    "owner": row["owner"],
                    "props": row["props"],
                    "file": row["file"],
                    "line": row["line"],
                    "field": row["field"],
                    "reason": row["reason"],
                }
                continue
            ident = (shape.rel_type, start, end, shape.start, shape.end)
            found = self.links.get(ident)
            props = found[1] if found else {}
            if not found:
                props.update(first_run_id=self.params["run_id"], created_at=self.params["now"])
                self.links[ident] = (shape, props)
            stated = record.data.get("props") or {}
            for name, value in stated.items():
                if value is None:
                    props.pop(name, None)
                else:
                    props[name] = value
            props["source"] = source
            props.update((p, self.params[v]) for p, v in shape.stamps if v in self.params)
            # As written while both ends are live; an end made inactive ends the link after
            # (``end_links_of_inactive``), as the ingest's run ends it.
            if shape.sets_active:
                props["active"] = True if stated.get("active") is None else stated["active"]
            if shape.live and stated.get("until") is None:
                props.pop("until", None)

    def end_links_of_inactive(self) -> None:
        """The inactive rules (``INACTIVE_RULES``): active links at an inactive record end."""
        for rule in INACTIVE_RULES:
            types = set(rule.rel_type.split("|"))
            for (rel_type, start, end, *_), (shape, props) in self.links.items():
                if rel_type not in types or props.get("active") is not True:
                    continue
                label, key = (shape.start, start) if rule.direction == "out" else (shape.end, end)
                node = self.nodes.get(label, {}).get(key) if label == rule.label else None
                if node is not None and node.get("active") is False:
                    props.update(active=False, until=self.today)

    def stamp_starts(self) -> None:
        """``START_STAMPS``: a new active link of a record that has ended ones of the same type
        starts (``since``) when the last of those ended (``until``)."""
        for name in START_STAMPS:
            m = _STAMP.search(statement(name).text)
            if m is None:
                raise BulkImportError(
                    f"statement {name} changed shape; update kamgraph.ingest.bulk"
                )
            ended: dict[str, str] = {}
            for (rel_type, start, *_), (_, props) in self.links.items():
                until = props.get("until")
                if rel_type == m.group(1) and props.get("active") is False and until is not None:
                    ended[start] = max(ended.get(start, until), until)
            for (rel_type, start, *_), (_, props) in self.links.items():
                if (
                    rel_type == m.group(1)
                    and props.get("active") is True
                    and props.get("since") is None
                    and start in ended
                ):
                    props["since"] = ended[start]

    def set_families(self) -> None:
        """group_id, depth, hierarchy_issue and reference_only, as ``update_families`` sets them."""
        companies = self.nodes.get("Company", {})
        links = [
            {"child": start, "parent": end, "source": str(props.get("source") or "")}
            for (rel_type, start, end, *_), (_, props) in self.links.items()
            if rel_type in PARENT_TYPES and props.get("active") is True
        ]
        computed = compute_families(links, sorted(companies))
        crm_groups = {
            computed[key].group_id
            for key, props in companies.items()
            if props.get("source") not in REFERENCE_SOURCES
        }
        for key, props in companies.items():
            m = computed[key]
            props.update(
                group_id=m.group_id, depth=m.depth, reference_only=m.group_id not in crm_groups
            )
            if m.hierarchy_issue is not None:
                props["hierarchy_issue"] = m.hierarchy_issue


def _csv_type(value: Any) -> str:
    """The import tool's type of a value (``long``, ``double``, ``boolean``, ``string``, ``[]``)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        inner = {_csv_type(v) for v in value} or {"string"}
        if len(inner) != 1 or next(iter(inner)).endswith("[]"):
            raise BulkImportError(
                f"a list of mixed or nested values ({value!r}) cannot be imported"
            )
        return next(iter(inner)) + "[]"
    raise BulkImportError(f"a {type(value).__name__} value ({value!r}) cannot be imported")


def _cell(value: Any) -> str:
    """One CSV field: strings always quoted (a quote doubled), no value an empty field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        parts = [_text(v) if isinstance(v, str) else _cell(v) for v in value]
        return '"' + ARRAY_DELIMITER.join(parts).replace('"', '""') + '"'
    return '"' + _text(str(value)).replace('"', '""') + '"'


def _text(value: str) -> str:
    if ARRAY_DELIMITER in value:
        raise BulkImportError(
            f"the text {value[:40]!r} holds the unit separator (U+001F) the import files keep "
            "between list elements; remove it from the export"
        )
    return value


def _line(cells: Iterable[str]) -> str:
    return ",".join(cells) + "\n"


def _columns(rows: Iterable[Mapping[str, Any]], skip: frozenset[str]) -> dict[str, set[str]]:
    """property -> the import types its values take, over ``rows``."""
    columns: dict[str, set[str]] = {}
    for props in rows:
        for name, value in props.items():
            if name not in skip:
                columns.setdefault(name, set()).add(_csv_type(value))
    for name in columns:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise BulkImportError(f"property name {name!r} cannot be a CSV header field")
    return columns


def _split(
    rows: Sequence[tuple[tuple[str, ...], dict[str, Any]]], skip: frozenset[str]
) -> Iterator[tuple[list[tuple[str, str]], list[tuple[tuple[str, ...], dict[str, Any]]]]]:
    """Rows in groups that share one type per property (an amount that is a whole number in
    one row and not in another is stored as each row's own type, as the driver stores it)."""
    columns = _columns((props for _, props in rows), skip)
    mixed = sorted(name for name, types in columns.items() if len(types) > 1)
    groups: dict[tuple[str, ...], list[tuple[tuple[str, ...], dict[str, Any]]]] = {}
    for row in rows:
        sig = tuple(_csv_type(row[1][n]) if n in row[1] else "" for n in mixed)
        groups.setdefault(sig, []).append(row)
    for sig, group in groups.items():
        fixed = dict(zip(mixed, sig, strict=True))
        header = [
            (name, fixed.get(name) or next(iter(types)))
            for name, types in sorted(columns.items())
            if fixed.get(name, "-") != ""
        ]
        yield header, group


class _Writer:
    """Writes the CSV and header files and collects the import tool's arguments."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.args: list[str] = []
        self.counts: dict[str, dict[str, int]] = {"nodes": {}, "relationships": {}}

    def write(
        self,
        kind: str,
        name: str,
        ids: list[str],
        rows: Sequence[tuple[tuple[str, ...], dict[str, Any]]],
        skip: frozenset[str],
        *,
        stem: str = "",
    ) -> None:
        for n, (header, group) in enumerate(_split(rows, skip)):
            base = f"{kind}-{stem or name}" + (f"-{n + 1}" if n else "")
            head = self.directory / f"{base}.header.csv"
            data = self.directory / f"{base}.csv"
            head.write_text(_line([*ids, *(f"{p}:{t}" for p, t in header)]), encoding="utf-8")
            with data.open("w", encoding="utf-8", newline="") as out:
                for id_cells, props in group:
                    cells = [_cell(i) for i in id_cells]
                    cells.extend(_cell(props.get(p)) for p, _ in header)
                    print(_line(cells), end="", file=out)
            self.args.append(f"--{kind}={name}={head.resolve()},{data.resolve()}")
            self.counts[kind][name] = self.counts[kind].get(name, 0) + len(group)


def _arg_line(arg: str) -> str:
    """One argument of an ``@file`` (picocli: quoted, so a path may hold spaces)."""
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"\n'


def _check_directory(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise BulkImportError(
            f"{directory} is a file; name a new or empty folder for the import files"
        )
    if directory.is_dir() and any(directory.iterdir()):
        raise BulkImportError(
            f"{directory} is not empty; name a new or empty folder for the import files "
            "(files of another load would be imported with them)"
        )


def write_import_files(
    source: str,
    path: Path,
    directory: Path,
    *,
    encoding: str | None = None,
    options: Mapping[str, Any] | None = None,
    date_format: str | None = None,
    rejects: Path | None = None,
    raw_csv: bool = False,
    now: dt.datetime | None = None,
) -> ImportFiles:
    """Read ``path`` with the ``source`` reader and write import files for an empty database
    into ``directory`` (new or empty). The run is recorded as an ``IngestRun`` node, so a later
    ``kamgraph ingest`` of the next export runs on top of it as on any earlier run."""
    spec = SOURCES.get(source)
    if spec is not None and spec.resolve is not None:
        raise BulkImportError(
            f"{source} companies are resolved against the companies already in the graph; "
            f"import the CRM export first, then load {source} with kamgraph ingest"
        )
    _check_directory(directory)
    started = time.perf_counter()
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    stamp = moment.isoformat()
    reader, report = open_run(
        source, path, moment, encoding=encoding, options=options, date_format=date_format
    )
    system = report.system or source
    report.started_ns = time.time_ns()
    report.writer = f"import-files:{report.run_id}"
    directory.mkdir(parents=True, exist_ok=True)
    sink = RejectSink(rejects, report, raw_csv=raw_csv)
    graph = _Graph(source, system, report.run_id, stamp)
    last_line: dict[str, int] = {}
    counts = report.counts
    try:
        for item in reader:
            if first_of_row(item, last_line):
                counts.rows_read += 1
            if isinstance(item, Reject):
                counts.rejected += 1
                sink(item)
            else:
                counts.by_statement[item.statement] = counts.by_statement.get(item.statement, 0) + 1
                graph.add(item)
    finally:
        sink.close()
    builder = getattr(reader, "builder", None)
    counts.rows_read += int(getattr(builder, "dropped", 0) or 0)
    graph.resolve_links(source)
    graph.end_links_of_inactive()
    graph.stamp_starts()
    graph.set_families()
    counts.created = sum(len(n) for n in graph.nodes.values())
    counts.linked = len(graph.links)
    counts.deactivated = sum(
        1 for n in graph.nodes.values() for p in n.values() if p.get("active") is False
    )
    report.pending = len(graph.pending)
    report.status = "partial" if counts.rejected else "ok"
    report.finished_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()

    writer = _Writer(directory)
    for label, nodes in sorted(graph.nodes.items()):
        key = NODE_KEYS[label]
        rows = [((k,), props) for k, props in nodes.items()]
        writer.write("nodes", label, [f"{key}:ID({label})"], rows, frozenset({key}))
    if graph.pending:
        rows = [((k,), props) for k, props in graph.pending.items()]
        writer.write(
            "nodes", "PendingLink", ["pending_id:ID(PendingLink)"], rows, frozenset({"pending_id"})
        )
    run = {"run_id": report.run_id, **run_props(report)}
    writer.write(
        "nodes",
        "IngestRun",
        ["run_id:ID(IngestRun)"],
        [((report.run_id,), run)],
        frozenset({"run_id"}),
    )
    by_type: dict[tuple[str, str, str], list[tuple[tuple[str, ...], dict[str, Any]]]] = {}
    for (rel_type, start, end, *_), (shape, props) in graph.links.items():
        by_type.setdefault((rel_type, shape.start, shape.end), []).append(((start, end), props))
    for (rel_type, start_label, end_label), links in sorted(by_type.items()):
        ids = [f":START_ID({start_label})", f":END_ID({end_label})"]
        stem = f"{rel_type}-{start_label}-{end_label}"
        writer.write("relationships", rel_type, ids, links, frozenset(), stem=stem)
    writer.args += [
        "--delimiter=,",
        "--array-delimiter=U+001F",
        "--multiline-fields=true",
        "--id-type=string",
    ]
    (directory / ARGS_FILE).write_text("".join(_arg_line(a) for a in writer.args), encoding="utf-8")
    return ImportFiles(
        directory,
        report,
        writer.counts["nodes"],
        writer.counts["relationships"],
        writer.args,
        time.perf_counter() - started,
    )

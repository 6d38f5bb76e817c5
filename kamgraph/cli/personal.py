"""``kamgraph forget`` and ``kamgraph person``: erasure and subject-access requests."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kamgraph.cli.context import connected
from kamgraph.cli.options import OutOpt
from kamgraph.cli.output import check_format, render, say, to_json, write_result
from kamgraph.errors import ConfigError

app = typer.Typer()

WhoArg = Annotated[
    str | None, typer.Argument(help="The contact id (source id) or e-mail of the person.")
]


@app.command()
def forget(
    ctx: typer.Context,
    who: WhoArg = None,
    undo: Annotated[
        str | None,
        typer.Option(
            "--undo",
            metavar="ID",
            help="Lift the suppression of a forgotten person (contact id or e-mail); the next "
            "ingest that lists them loads them again. Erased data does not come back.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Erase a person with all their history; later ingests skip them (docs/personal-data.md)."""
    from kamgraph.personal.erase import forget as forget_person
    from kamgraph.personal.erase import undo as undo_suppression

    check_format(fmt, ("table", "json"))
    if (who is None) == (undo is None):
        raise ConfigError("give the contact id or e-mail to forget, or --undo ID")
    with connected(ctx, write=True) as backend:
        if undo is not None:
            lifted = undo_suppression(backend, undo)
            result: dict[str, Any] = {"undone": lifted}
        else:
            assert who is not None
            result = forget_person(backend, who).as_dict()
    if fmt == "json":
        write_result(to_json(result) + "\n", None)
        return
    if undo is not None:
        say(f"suppression lifted ({lifted}); the next ingest that lists them loads them again")
        return
    say(
        f"forgotten: {result['erased']} contact(s) erased with {result['links_removed']} links, "
        f"{result['reports_closed']} reports now report to the next manager up, "
        f"{result['pending_emptied']} pending references emptied; a suppression entry keeps "
        "later ingests from loading them again"
    )
    notes = result["notes_to_review"]
    if notes:
        say(f"{len(notes)} notes mention them; review and edit them in the source:")
        write_result(render(notes, "table", ["note_id", "kind", "date", "about"]), None)


@app.command()
def person(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="The contact id (source id) or e-mail.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    out: OutOpt = None,
) -> None:
    """Everything stored about one person (subject-access request): properties, history,
    relationships and notes that mention them."""
    from kamgraph.personal.record import person_record

    check_format(fmt, ("table", "json"))
    with connected(ctx, write=False) as backend:
        records = person_record(backend, who)
    if fmt == "json":
        write_result(to_json(records[0] if len(records) == 1 else records) + "\n", out)
        return
    write_result("\n".join(_table(r) for r in records), out)


def _table(record: dict[str, Any]) -> str:
    """One record as tables: properties, then relationships, then notes."""
    parts = [record["notice"], ""]
    props = [{"property": k, "value": v} for k, v in record["properties"].items()]
    parts.append(render(props, "table", ["property", "value"]))
    links = [
        {
            "relationship": f"{r['type']} {'->' if r['direction'] == 'out' else '<-'}",
            "other": f"{r['other']} {r['other_id']}",
            "name": r["other_name"],
            "details": ", ".join(f"{k}={v}" for k, v in r["props"].items()),
        }
        for r in record["relationships"]
    ]
    if links:
        parts.append(render(links, "table", ["relationship", "other", "name", "details"]))
    if record["notes"]:
        parts.append(render(record["notes"], "table", ["note_id", "kind", "date", "about", "text"]))
    return "\n".join(parts)

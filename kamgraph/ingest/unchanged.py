"""A nightly re-run of an export that did not change is recognised and not written again.

Each run stores a fingerprint of its input on its run node: the content digest and size of
every file it reads, the source, the sending system, the options that change what the files
mean (date format, encoding, mapping, ``--full``) and kamgraph's version. A run whose
fingerprint equals that of the latest run of the same source and system skips writing its
records (the store already holds exactly what they say) when all of this holds:

- that latest run finished ``ok`` (no rejects: a skipped run writes no rejects file rows);
- no run since wrote data the skipped records could have overwritten: every later run of a
  source that writes the same kind of records was itself unchanged. Exports may arrive in any
  order: A, B, A again is a change back, and is loaded.

The run still does the end-of-run steps (pending completion, end rules of inactive records,
families, retention) and is recorded ``ok`` with ``unchanged`` = true.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kamgraph import __version__
from kamgraph.backends.base import Backend
from kamgraph.queries import statement

#: Runs read back, newest first, when looking for the run to compare with (more: not skipped).
LOOK_BACK = 200
_CHUNK = 1 << 20

#: What kind of records each source writes; a later run of a source writing the same kind may
#: have overwritten what an unchanged export says (a source not listed writes the model).
_WRITES: dict[str, frozenset[str]] = {
    "finance": frozenset({"finance"}),
    "notes": frozenset({"notes"}),
    "policies": frozenset({"policies"}),
    "fx": frozenset({"fx"}),
}
_MODEL = frozenset({"model"})


def fingerprint(
    files: Iterable[str], *, source: str, system: str, full: bool, options: Mapping[str, Any]
) -> str | None:
    """The digest of a run's input, or None when an input is not a plain file (never skipped)."""
    digest = hashlib.sha256()
    settings = {k: v for k, v in sorted(options.items()) if v is not None}
    digest.update(repr((__version__, source, system, full, settings)).encode())
    for name in sorted(files):
        path = Path(name)
        if not path.is_file():
            return None
        digest.update(f"\x00{path.name}\x00{path.stat().st_size}\x00".encode())
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def forget_inputs(backend: Backend) -> None:
    """No earlier run counts as this input any more: people were erased or a suppression was
    lifted (kamgraph.personal.erase), so the same export now reads differently."""
    backend.write(statement("runs-not-repeatable").text)


def _writes(source: object) -> frozenset[str]:
    return _WRITES.get(str(source), _MODEL)


def unchanged_since(
    backend: Backend, *, run_id: str, source: str, system: str, print_: str | None
) -> str | None:
    """The run whose input this run repeats with nothing written over it since, or None."""
    if print_ is None:
        return None
    rows = backend.read(statement("recent-runs").text, {"run_id": run_id, "limit": LOOK_BACK})
    mine = _writes(source)
    for row in rows:
        if row["source"] == source and (row["system"] or row["source"]) == system:
            if row["fingerprint"] == print_ and row["status"] == "ok":
                return str(row["run_id"])
            return None
        if _writes(row["source"]) & mine and not (row["status"] == "ok" and row["unchanged"]):
            return None
    return None

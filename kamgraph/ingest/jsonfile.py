"""Reading one JSON export file whole, with every way it can fail as one InputDataError.

Python's JSON parser recurses once per nesting level, so a file nested deeper than the
interpreter's recursion limit (about 1,000 levels; real exports nest fewer than 10) is refused
here with its name, instead of ending in a RecursionError.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json(path: Path, *, fix: str, encoding: str = "utf-8-sig") -> Any:
    """The parsed content of ``path``; ``fix`` tells the user what to do when it is unusable."""
    from kamgraph.errors import InputDataError

    try:
        text = path.read_text(encoding=encoding)
    except OSError as e:
        raise InputDataError(f"{path}: cannot be read ({e.strerror}); {fix}") from e
    except UnicodeDecodeError as e:
        raise InputDataError(
            f"{path}: not UTF-8 text (byte {e.start} cannot be decoded); {fix}"
        ) from e
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputDataError(f"{path}:{e.lineno}: not valid JSON ({e.msg}); {fix}") from e
    except RecursionError:
        raise InputDataError(
            f"{path}: the JSON is nested too deeply to read (more levels than a real export "
            f"has); {fix}"
        ) from None

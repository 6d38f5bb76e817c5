"""The one exception hierarchy of kamgraph: every expected failure is a KamgraphError.

Each class has one exit code, the same on every command (README, "Exit codes"). Messages say
what went wrong, where (file:line [field], setting, query) and what to do; they name library
concepts, never command-line flags: the CLI adds those.
"""

from __future__ import annotations

import errno


class KamgraphError(Exception):
    """Root of every error kamgraph raises on purpose; the CLI prints its message, no traceback."""

    #: The process exit code and the word for this class in JSON logs, the same on every command.
    exit_code = 1
    kind = "error"


class ConfigError(KamgraphError):
    """A setting, flag or environment variable is missing or invalid."""

    exit_code = 2
    kind = "config"


class InvalidValueError(ConfigError):
    """A value given for a setting, option or query parameter is not valid (e.g. not a date)."""


class BackendConnectionError(KamgraphError):
    """The graph store could not be reached or refused the credentials."""

    exit_code = 3
    kind = "connection"


class StoreLockedError(KamgraphError):
    """Another process holds the write lock on the store or database."""

    exit_code = 4
    kind = "locked"


class InputDataError(KamgraphError):
    """An input file cannot be read at all (rows with bad values are rejected, not raised)."""

    exit_code = 5
    kind = "input"


class QueryError(KamgraphError):
    """A named query is unknown or failed in the backend."""

    exit_code = 6
    kind = "query"


class CypherRegistryError(KamgraphError):
    """A file under cypher/ is malformed or duplicates another query's name."""

    exit_code = 7
    kind = "registry"


class NotFoundError(KamgraphError):
    """A company, group or other object named on the command line does not exist."""

    exit_code = 8
    kind = "not_found"


class WriteError(KamgraphError):
    """A file or the store cannot be written: read-only, no permission, or no space left."""

    exit_code = 9
    kind = "write"


#: What to do about an operating-system error while writing, by errno.
_WRITE_FIXES = {
    errno.ENOSPC: "no space left on the device; free some space or write elsewhere",
    errno.EDQUOT: "the disk quota is used up; free some space or write elsewhere",
    errno.EROFS: "the file system is read-only; write elsewhere or remount it read-write",
    errno.EACCES: "permission denied; fix the permissions or write elsewhere",
    errno.EPERM: "operation not permitted; fix the permissions or write elsewhere",
    errno.EFBIG: "the file is too large for this file system; write elsewhere",
    errno.ENOTDIR: "a part of the path is a file, not a folder; choose another path",
    errno.EISDIR: "it is a folder, not a file; name a file",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter path",
}


def write_error(e: OSError, target: object = None) -> WriteError | None:
    """``e`` as a WriteError naming ``target`` (or the file the OS named), if it is one we know.

    Returns None for operating-system errors that are not about writing (so they stay bugs).
    """
    fix = _WRITE_FIXES.get(e.errno or 0)
    if fix is None:
        return None
    where = target if target is not None else e.filename
    return WriteError(f"cannot write {where}: {fix}" if where else f"cannot write: {fix}")

"""How the Neo4j driver packs Bolt messages: its Rust extension, or pure Python without it.

``neo4j-rust-ext`` (a dependency wherever PyPI has a wheel for it, pinned to the driver's exact
version) replaces the driver's packer and unpacker; the driver picks it at import time and falls
back to its own pure-Python code when the extension is not installed. kamgraph works either way;
this only reports which one runs (the ``kamgraph: using neo4j ...`` line, the bench's
``ingest.rust_ext``).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def rust_extension_active() -> bool:
    """True when the driver imported in this process packs Bolt with ``neo4j-rust-ext``."""
    from neo4j._codec.packstream import v1

    return getattr(v1, "_rust_pack", None) is not None


def driver_description() -> str:
    """The driver's version and packer, e.g. ``neo4j driver 6.4.1, Rust extension 6.4.1.0``."""
    described = f"neo4j driver {version('neo4j')}, "
    if not rust_extension_active():
        return described + "pure-Python Bolt (no neo4j-rust-ext)"
    try:
        return described + f"Rust extension {version('neo4j-rust-ext')}"
    except PackageNotFoundError:  # a driver build with the extension compiled in
        return described + "Rust extension"

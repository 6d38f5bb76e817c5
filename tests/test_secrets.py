"""NEO4J_PASSWORD never leaves the process: with the password set to a marker, every CLI command
(found by walking the Typer app, so new commands are covered) runs as a subprocess against the
embedded store, an unreachable host, a bad scheme, a URI with a password in it, a server that
refuses the credentials, a Neo4j 4.x server, and (marked neo4j) a real Neo4j; the marker must
not appear in stdout, stderr, the driver's debug log, rejects files, maps, briefs or the store.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main

from kamgraph.backends.neo4j import Neo4jBackend, redact
from kamgraph.cli import app
from kamgraph.errors import BackendConnectionError, ConfigError

from .conftest import DATA, neo4j_backend, wipe

pytestmark = pytest.mark.slow

MARKER = "kg-marker-Qz7-not-a-real-password"
REPO = Path(__file__).resolve().parents[1]
BAD = DATA / "bad"
ACCOUNT = "001BAD000000001AAA"
#: Sources whose path is a folder; the others read one file.
FOLDER_SOURCES = ("salesforce", "csv")


# -- a fake Bolt server: answers the handshake, then refuses the credentials ---------------


def _pack_string(text: str) -> bytes:
    data = text.encode()
    return (bytes([0x80 + len(data)]) if len(data) < 16 else b"\xd0" + bytes([len(data)])) + data


def _message(signature: int, fields: dict[str, str]) -> bytes:
    body = bytes([0xB1, signature, 0xA0 + len(fields)])
    body += b"".join(_pack_string(k) + _pack_string(v) for k, v in fields.items())
    return struct.pack(">H", len(body)) + body + b"\x00\x00"


SUCCESS = _message(0x70, {"server": "Neo4j/5.26.0", "connection_id": "bolt-1"})
UNAUTHORIZED = _message(
    0x7F,
    {
        "code": "Neo.ClientError.Security.Unauthorized",
        "message": "The client is unauthorized due to authentication failure.",
    },
)


def _read(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        part = conn.recv(n - len(data))
        if not part:
            raise OSError("closed")
        data += part
    return data


def _serve(sock: socket.socket, version: bytes) -> None:
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        with conn:
            try:
                _read(conn, 20)  # magic + four version proposals
                conn.sendall(version)
                while True:
                    message = b""
                    while size := struct.unpack(">H", _read(conn, 2))[0]:
                        message += _read(conn, size)
                    if message[1:2] == b"\x01":  # HELLO
                        conn.sendall(SUCCESS)
                    elif message[1:2] == b"\x6a":  # LOGON (Bolt 5.1+)
                        conn.sendall(UNAUTHORIZED)
                    else:
                        break
            except OSError:
                pass


@dataclass
class FakeBolt:
    port: int


@pytest.fixture(scope="module")
def fake_servers() -> Iterator[dict[str, FakeBolt]]:
    """``refuses``: a Bolt 5.4 server refusing any credentials; ``bolt44``: a Neo4j 4.4."""
    servers: dict[str, FakeBolt] = {}
    sockets = []
    for name, version in (("refuses", b"\x00\x00\x04\x05"), ("bolt44", b"\x00\x00\x04\x04")):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        threading.Thread(target=_serve, args=(sock, version), daemon=True).start()
        servers[name] = FakeBolt(sock.getsockname()[1])
        sockets.append(sock)
    yield servers
    for sock in sockets:
        sock.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- every command, with arguments that make it do its work (or fail on bad input) --------


def _leaf_commands() -> Iterator[tuple[list[str], Any]]:
    def walk(cmd: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
        if hasattr(cmd, "commands"):
            for name, sub in sorted(cmd.commands.items()):
                yield from walk(sub, [*path, name])
        else:
            yield path, cmd

    yield from walk(typer.main.get_command(app), [])


def invocations(out: Path) -> list[list[str]]:
    """One command line per command; outputs go under ``out``."""
    lines: list[list[str]] = [["--version"], ["query", "--list"]]
    for path, cmd in _leaf_commands():
        argv = list(path)
        stem = "-".join(path)
        for param in cmd.params:
            name = param.name
            if param.param_type_name == "argument" or param.required:
                if name == "path":
                    source = path[-1]
                    value = (
                        str(BAD / "rows") if source in FOLDER_SOURCES else str(BAD / "finance.csv")
                    )
                elif name == "name":
                    value = "procurement-links"
                elif name in ("group_id", "account_id", "target"):
                    value = ACCOUNT
                elif name == "mapping":
                    value = str(REPO / "examples" / "mappings" / "maven-crm.toml")
                else:
                    value = "x"
                argv += [value] if param.param_type_name == "argument" else [param.opts[0], value]
            elif name == "out":
                argv += [param.opts[0], str(out / f"{stem}.out")]
            elif name == "rejects":
                argv += [param.opts[0], str(out / f"{stem}-rejects.csv")]
            elif name == "log_format":
                argv += [param.opts[0], "json"]
            elif name == "directory":
                argv += [param.opts[0], str(out / "demo")]
        lines.append(argv)
    return lines


@dataclass
class Run:
    env: str
    argv: list[str]
    code: int
    stdout: str
    stderr: str

    def where(self) -> str:
        return f"[{self.env}] kamgraph {' '.join(self.argv)} (exit {self.code})"


def _run(env_name: str, env: dict[str, str], argv: list[str], cwd: Path) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "kamgraph", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return Run(env_name, argv, done.returncode, done.stdout, done.stderr)


def _base_env(tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NEO4J_", "KAMGRAPH_", "COLUMNS", "CI"))
    }
    env.update(
        NEO4J_PASSWORD=MARKER,
        NEO4J_USERNAME="neo4j",
        KAMGRAPH_STORE=str(tmp / "store.kgl"),
        PYTHONWARNINGS="default",
    )
    return env


def _assert_clean(runs: list[Run], folder: Path) -> None:
    for run in runs:
        assert MARKER not in run.stdout, run.where()
        assert MARKER not in run.stderr, run.where()
        assert "Traceback" not in run.stderr, f"{run.where()}:\n{run.stderr[-2000:]}"
    written = [p for p in folder.rglob("*") if p.is_file()]
    for path in written:
        assert MARKER.encode() not in path.read_bytes(), path


def test_password_never_shows_on_the_embedded_store(tmp_path: Path) -> None:
    env = _base_env(tmp_path)
    lines = invocations(tmp_path / "out")
    # Ingest first so map, brief and queries have a group to show.
    lines.sort(key=lambda argv: argv[:2] != ["ingest", "salesforce"])
    runs = [_run("embedded", env, argv, tmp_path) for argv in lines]
    _assert_clean(runs, tmp_path)
    by_command = {tuple(r.argv[:2]): r for r in runs}
    assert by_command[("ingest", "salesforce")].code == 10  # the bad corpus: rows rejected
    assert by_command[("map", ACCOUNT)].code == 0
    outputs = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"map.out", "ingest-salesforce-rejects.csv"} <= outputs


def _failing_envs(tmp: Path, servers: dict[str, FakeBolt]) -> dict[str, tuple[dict[str, str], int]]:
    """Environment name -> (environment, the exit code every connecting command must give)."""
    closed = _closed_port()
    uris = {
        "unreachable": (f"bolt://127.0.0.1:{closed}", BackendConnectionError.exit_code),
        "bad-scheme": (f"http://127.0.0.1:{closed}", ConfigError.exit_code),
        "password-in-uri": (f"neo4j://neo4j:{MARKER}@127.0.0.1:{closed}", ConfigError.exit_code),
        "bad-scheme-password-in-uri": (
            f"https://u:{MARKER}@example.invalid",
            ConfigError.exit_code,
        ),
        "refuses-credentials": (
            f"bolt://127.0.0.1:{servers['refuses'].port}",
            BackendConnectionError.exit_code,
        ),
        "neo4j-4.4": (
            f"bolt://127.0.0.1:{servers['bolt44'].port}",
            BackendConnectionError.exit_code,
        ),
    }
    envs = {}
    for name, (uri, code) in uris.items():
        env = _base_env(tmp / name)
        env["NEO4J_URI"] = uri
        envs[name] = (env, code)
    return envs


MESSAGES = {
    "unreachable": "cannot reach Neo4j at bolt://127.0.0.1:",
    "bad-scheme": "has an unsupported scheme",
    "password-in-uri": "holds a user or password; set NEO4J_USERNAME and NEO4J_PASSWORD",
    "bad-scheme-password-in-uri": "'https://***@example.invalid' has an unsupported scheme",
    "refuses-credentials": "refused the credentials of user 'neo4j'",
    "neo4j-4.4": "kamgraph needs Neo4j 5 or later",
}


#: Commands that never open a store (kamgraph import-files writes files for neo4j-admin).
NO_STORE = {"import-files"}


def test_password_never_shows_when_neo4j_fails(
    tmp_path: Path, fake_servers: dict[str, FakeBolt]
) -> None:
    envs = _failing_envs(tmp_path, fake_servers)
    jobs = []
    for name, (env, _) in envs.items():
        (tmp_path / name).mkdir()
        jobs += [(name, env, argv, tmp_path / name) for argv in invocations(tmp_path / name)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(lambda job: _run(*job), jobs))
    _assert_clean(runs, tmp_path)
    for run in runs:
        if run.argv in (["--version"], ["query", "--list"]):
            assert run.code == 0, run.where()
            continue
        if run.argv[0] in NO_STORE:
            # Never opens a store: it fails on its own input (here the source "x"), not Neo4j.
            assert run.code == 5 and "unknown source 'x'" in run.stderr, run.where()
            continue
        expected = envs[run.env][1]
        assert run.code == expected, f"{run.where()}: {run.stderr}"
        last = run.stderr.strip().splitlines()[-1]
        if "--log-format" in run.argv:  # the error is one JSON line, like the run summary
            record = json.loads(last)
            assert record["status"] == "error" and record["exit_code"] == expected, run.where()
            last = "error: " + record["message"]
        assert last.startswith("error: ") and MESSAGES[run.env] in last, run.where()


@pytest.mark.neo4j
def test_password_never_shows_against_a_real_neo4j(tmp_path: Path) -> None:
    backend = neo4j_backend()  # skips (locally) without a server
    wipe(backend)
    env = _base_env(tmp_path)
    env["NEO4J_URI"] = os.environ.get("KAMGRAPH_TEST_NEO4J_URI") or os.environ["NEO4J_URI"]
    lines = invocations(tmp_path / "out")
    lines.sort(key=lambda argv: argv[:2] != ["ingest", "salesforce"])
    runs = [_run("neo4j", env, argv, tmp_path) for argv in lines]
    _assert_clean(runs, tmp_path)
    assert any("using neo4j" in r.stderr for r in runs)
    stored = backend.read("MATCH (n) RETURN properties(n) AS p")
    assert stored and MARKER not in repr(stored)


def test_driver_debug_log_never_holds_the_password(
    fake_servers: dict[str, FakeBolt], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        with pytest.raises(BackendConnectionError, match="refused the credentials"):
            Neo4jBackend.connect(
                f"bolt://127.0.0.1:{fake_servers['refuses'].port}", password=MARKER
            )
    assert "LOGON" in caplog.text  # the driver did log the exchange...
    assert MARKER not in caplog.text  # ...with the credentials masked


def test_redact_hides_userinfo_only() -> None:
    assert redact(f"neo4j+s://neo4j:{MARKER}@db.example.com:7687") == (
        "neo4j+s://***@db.example.com:7687"
    )
    assert redact("bolt://127.0.0.1:7687/x@y") == "bolt://127.0.0.1:7687/x@y"

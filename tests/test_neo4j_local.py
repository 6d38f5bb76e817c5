"""scripts/neo4j-local picks a build dir, a home and a JDK per Neo4j version (without building)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import missing

pytestmark = pytest.mark.slow  # each case starts bash and a few JVMs (java -version)

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "neo4j-local"
LTS = "5.26.30"
CALENDAR = "2026.08.1"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAMGRAPH_NEO4J_")}
    return {**env, **extra}


def _settings(**extra: str) -> dict[str, str]:
    done = subprocess.run(
        ["bash", str(SCRIPT), "env"], env=_env(**extra), capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0 and "none found" in done.stderr:
        missing(f"no JDK new enough here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return dict(line.split("=", 1) for line in done.stdout.splitlines())


def test_the_pom_version_is_the_default_and_keeps_the_usual_places() -> None:
    pom = (ROOT / "tools" / "neo4j-local" / "pom.xml").read_text()
    assert f"<neo4j.version>{LTS}</neo4j.version>" in pom
    got = _settings(KAMGRAPH_NEO4J_PORT="7999")
    assert got["version"] == LTS
    assert Path(got["build_dir"]) == ROOT / "tools" / "neo4j-local" / "target"
    assert Path(got["home"]) == ROOT / ".neo4j-local"
    assert int(got["java_major"]) >= 17
    assert got["uri"] == "bolt://127.0.0.1:7999"


def test_a_calendar_release_gets_its_own_build_and_home_and_java_21_or_later() -> None:
    got = _settings(KAMGRAPH_NEO4J_VERSION=CALENDAR)
    assert got["version"] == CALENDAR
    assert Path(got["build_dir"]) == ROOT / "tools" / "neo4j-local" / "target" / f"neo4j-{CALENDAR}"
    assert Path(got["home"]) == ROOT / f".neo4j-local-{CALENDAR}"
    assert int(got["java_major"]) >= 21
    assert (Path(got["java_home"]) / "bin" / "java").exists()


def _old_jdk(tmp_path: Path) -> Path:
    """A JDK home whose java says it is 17 (too old for a calendar release)."""
    java = tmp_path / "jdk-17" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("#!/bin/sh\necho 'openjdk version \"17.0.2\" 2022-01-18' >&2\n")
    java.chmod(0o755)
    return java.parent.parent


def test_a_java_home_too_old_for_a_calendar_release_is_passed_over(tmp_path: Path) -> None:
    old = _old_jdk(tmp_path)
    assert _settings(JAVA_HOME=str(old))["java_home"] == str(old)  # good enough for 5.26
    got = _settings(KAMGRAPH_NEO4J_VERSION=CALENDAR, JAVA_HOME=str(old))
    assert got["java_home"] != str(old)
    assert int(got["java_major"]) >= 21


def test_an_explicit_jdk_too_old_for_the_version_is_an_error(tmp_path: Path) -> None:
    old = _old_jdk(tmp_path)
    done = subprocess.run(
        ["bash", str(SCRIPT), "env"],
        env=_env(KAMGRAPH_NEO4J_VERSION=CALENDAR, KAMGRAPH_NEO4J_JAVA_HOME=str(old)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Neo4j 2026.08.1 needs Java 21+ (found 17)" in done.stderr


@pytest.mark.parametrize("version", ["latest", "5.26", "../5.26.30", "2026.08.1 "])
def test_a_version_that_is_not_a_release_is_refused(version: str) -> None:
    done = subprocess.run(
        ["bash", str(SCRIPT), "env"],
        env=_env(KAMGRAPH_NEO4J_VERSION=version),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "is not a release like 5.26.30 or 2026.08.1" in done.stderr
    assert done.stdout == ""

"""The read-ahead thread that reads files while Neo4j writes keeps order, errors and stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from kamgraph.errors import InputDataError
from kamgraph.ingest.load import READ_AHEAD_CHUNK, read_ahead
from kamgraph.ingest.records import Reject


def rejects(n: int, *, fail_at: int | None = None) -> Iterator[Reject]:
    for i in range(n):
        if i == fail_at:
            raise InputDataError(f"f.csv: line {i} cannot be read")
        yield Reject("f.csv", i, "", "")


def test_items_arrive_in_order_and_all_of_them() -> None:
    n = READ_AHEAD_CHUNK * 3 + 5
    assert [r.line for r in read_ahead(rejects(n))] == list(range(n))
    assert list(read_ahead(rejects(0))) == []


def test_an_error_comes_after_the_items_before_it() -> None:
    seen: list[int] = []
    with pytest.raises(InputDataError, match="line 300 cannot be read"):
        for r in read_ahead(rejects(1000, fail_at=300)):
            seen.append(r.line)
    assert seen == list(range(300))


def test_a_consumer_that_stops_stops_the_thread() -> None:
    before = threading.active_count()
    items = read_ahead(rejects(100_000))
    assert next(items).line == 0
    items.close()
    assert threading.active_count() == before

"""The editor's virtual list: a window of rows fetched by keyset, never the whole list."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import pytest

from workbench.tui.unit_list import RowWindow

N = 1_000_000


@dataclass(frozen=True)
class FakeRow:
    unit_id: int
    key: str
    state: str
    source: str
    target: str
    cursor: tuple


class MillionRows:
    """A keyset-paged list of a million rows that counts what it is asked for."""

    def __init__(self, n: int = N) -> None:
        self.n = n
        self.calls = 0
        self.rows_served = 0

    def row(self, i: int) -> FakeRow:
        return FakeRow(i, f"k{i}", "draft", f"source {i}", "", ("m", 1, i))

    def __call__(self, after, before, limit):
        self.calls += 1
        if before is not None:
            end = min(self.n, bisect.bisect_left(range(self.n), before[2]))
            start = max(0, end - limit)
        else:
            start = 0 if after is None else after[2] + 1
            end = min(self.n, start + limit)
        out = [self.row(i) for i in range(start, end)]
        self.rows_served += len(out)
        return out


def test_opening_fetches_one_page():
    fetch = MillionRows()
    w = RowWindow(fetch)
    w.reset()
    assert fetch.calls == 1 and len(w.rows) == RowWindow.PAGE
    assert w.current.unit_id == 0 and w.position == 0


def test_walking_down_fetches_page_by_page_and_keeps_a_bounded_window():
    fetch = MillionRows()
    w = RowWindow(fetch)
    w.reset()
    for _ in range(2_500):
        assert w.move(1)
    assert w.current.unit_id == 2_500
    assert w.position == 2_500
    assert len(w.rows) <= RowWindow.KEEP
    assert fetch.rows_served < 2_500 + 2 * RowWindow.PAGE


def test_page_down_and_up_are_symmetric():
    fetch = MillionRows()
    w = RowWindow(fetch)
    w.reset()
    for _ in range(40):
        w.move(33)
    assert w.current.unit_id == 40 * 33
    for _ in range(40):
        w.move(-33)
    assert w.current.unit_id == 0 and w.position == 0
    assert not w.move(-1)


def test_end_of_a_million_rows_is_one_query():
    fetch = MillionRows()
    w = RowWindow(fetch)
    w.reset()
    w.last(("m", 1, N), total=N)
    assert fetch.calls == 2
    assert w.current.unit_id == N - 1 and w.position == N - 1
    assert not w.move(1)
    w.move(-250)
    assert w.current.unit_id == N - 251 and w.position == N - 251


def test_goto_the_middle_then_walk_both_ways():
    fetch = MillionRows()
    w = RowWindow(fetch)
    w.goto(("m", 1, 500_000))
    assert w.current.unit_id == 500_000
    assert w.position is None                  # unknown until counted
    w.offset = 500_000 - w.index               # what the screen's count worker sets
    w.move(-120)
    assert w.current.unit_id == 499_880 and w.position == 499_880
    w.move(300)
    assert w.current.unit_id == 500_180 and w.position == 500_180


@pytest.mark.parametrize("n", [0, 1, 5, RowWindow.PAGE, RowWindow.PAGE + 1])
def test_short_lists(n):
    w = RowWindow(MillionRows(n))
    w.reset()
    assert len(w.rows) == min(n, RowWindow.PAGE)
    for _ in range(n + 3):
        w.move(1)
    assert w.current is None if n == 0 else w.current.unit_id == n - 1


def test_replace_current_changes_one_row():
    w = RowWindow(MillionRows())
    w.reset()
    w.move(3)
    w.replace_current(state="translated", target="fait")
    assert w.current.state == "translated" and w.current.target == "fait"
    assert w.rows[2].state == "draft"

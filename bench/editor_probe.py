"""The editor driven headless (Textual's App.run_test): first screen, opening the editor, filters and searches.

python -m bench.editor_probe ROOT LANGUAGE QUERY [QUERY ...]

Prints JSON with seconds for: the first screen (from BENCH_T0, the wall clock just before the
benchmark started this process, to the dashboard showing every language's progress), opening the
editor on LANGUAGE (its first page of units and the first unit's detail shown), and for each QUERY
typed into the filter bar: Enter until the list and the detail show the filtered rows ("apply"),
and until the count of matching rows, which a worker computes off the UI thread, is shown ("count").
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

SIZE = (160, 48)
PATIENCE = 600.0          # seconds; a stuck screen fails the probe instead of hanging the benchmark


async def until(pilot, condition, what: str) -> float:
    deadline = time.perf_counter() + PATIENCE
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"editor probe: {what} did not happen within {PATIENCE:.0f} s")
        await pilot.pause()
    return time.perf_counter()


SPENT: dict[str, float] = {}


def _timed(owner, name: str, label: str) -> None:
    """Wrap owner.name so that the seconds spent in it add up in SPENT[label]."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] = SPENT.get(label, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)


def _instrument() -> None:
    """Split a filter's time: our screen code on the UI thread, and in it the list query and the unit's detail."""
    from workbench.services import browse
    from workbench.tui import editor

    _timed(editor.EditorScreen, "_apply_filter", "screen")
    _timed(editor.EditorScreen, "show", "screen")
    _timed(browse, "page", "page query")
    _timed(editor, "unit_detail", "unit detail")


async def probe(root: Path, language: str, queries: list[str]) -> dict:
    t0 = float(os.environ.get("BENCH_T0", time.time()))
    from textual.widgets import DataTable

    from workbench.services.context import Workbench
    from workbench.tui.app import WorkbenchApp

    _instrument()
    wb = Workbench.open(root, user="bench")
    app = WorkbenchApp(wb)
    result: dict = {"queries": {}}
    async with app.run_test(size=SIZE) as pilot:
        def dashboard_ready() -> bool:
            tables = app.screen.query("#progress")
            return bool(tables) and tables.first(DataTable).row_count >= len(wb.settings.target_languages)

        await until(pilot, dashboard_ready, "the dashboard")
        result["first_screen"] = time.time() - t0

        started = time.perf_counter()
        app.open_editor(language=language)

        def editor_ready() -> bool:
            screen = app.screen
            if type(screen).__name__ != "EditorScreen" or not screen.is_mounted:
                return False
            units = screen.query("#units")
            if not units:
                return False
            current = units.first().current
            detail = getattr(screen, "detail", None)
            return current is not None and detail is not None and detail.unit_id == current.unit_id

        result["open_editor"] = await until(pilot, editor_ready, "the editor") - started
        screen = app.screen
        units = screen.query_one("#units")
        box = screen.query_one("#filter")
        box.focus()
        await pilot.pause()
        idle = []
        for _ in range(5):      # the driver's own round trip: a key that changes nothing
            started = time.perf_counter()
            await pilot.press("end")
            await pilot.pause()
            idle.append(time.perf_counter() - started)
        result["key_round_trip"] = sorted(idle)[len(idle) // 2]
        profile = None
        if os.environ.get("BENCH_PROFILE"):          # a cProfile of the filters alone, for the reading
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        for query in queries:
            box = screen.query_one("#filter")
            box.value = query
            box.focus()
            await pilot.pause()
            SPENT.clear()
            started = time.perf_counter()
            await pilot.press("enter")

            def applied() -> bool:
                current = units.current
                if screen.query_text != query:
                    return False
                if current is None:
                    return getattr(screen, "detail", None) is None
                return screen.detail is not None and screen.detail.unit_id == current.unit_id

            shown = await until(pilot, applied, f"the filter {query!r}")
            counted = await until(pilot, lambda: units.total is not None, f"the count of {query!r}")
            result["queries"][query] = {"apply": shown - started, "count": counted - started,
                                        "rows": units.total, "spent": dict(SPENT)}
        if profile is not None:
            profile.disable()
            profile.dump_stats(os.environ["BENCH_PROFILE"])
    wb.close()
    return result


def main(argv: list[str]) -> int:
    root, language, queries = Path(argv[0]), argv[1], argv[2:]
    print(json.dumps(asyncio.run(probe(root, language, queries))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

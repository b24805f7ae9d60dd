"""The editor driven headless (Textual's App.run_test): first screen, opening the editor, filters and searches.

python -m bench.editor_probe ROOT LANGUAGE QUERY [QUERY ...]

Prints JSON with seconds for: the first screen (from BENCH_T0, the wall clock just before the
benchmark started this process, to the dashboard showing every language's progress), opening the
editor on LANGUAGE (until the first frame that shows its list and first unit), and for each QUERY
typed into the filter bar: from the Enter key event to the first frame drawn with the filtered
list and its first unit ("apply"), and to the first frame with the count of matching rows, which a
worker computes off the UI thread ("count").

Frames are timed where Textual hands a rendered screen update to its driver (App._display); the
headless driver then writes nothing, so a real terminal adds the output of that update. Keys are
posted to the driver directly and the probe polls every half millisecond: Pilot.press would wait
until the whole process is idle, workers included, and so time the count with the list.
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
POLL = 0.0005

SPENT: dict[str, float] = {}
FRAMES: list[float] = []
#: What the next frames are watched for: name -> condition, and name -> the first frame drawn while it held.
WATCH: dict = {}
SEEN: dict[str, float] = {}


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
    """Frames, and a filter's time split: our screen code on the UI thread, the list query, the unit's detail."""
    from textual.app import App

    from workbench.services import browse
    from workbench.tui import editor

    display = App._display

    def frame(self, screen, renderable):
        display(self, screen, renderable)
        if renderable is not None and screen is self.screen:
            now = time.perf_counter()
            FRAMES.append(now)
            for name, condition in list(WATCH.items()):
                if name not in SEEN and condition():
                    SEEN[name] = now

    App._display = frame
    _timed(editor.EditorScreen, "_apply_filter", "screen")
    _timed(editor.EditorScreen, "show", "screen")
    _timed(browse, "page", "page query")
    _timed(editor, "unit_detail", "unit detail")


async def until(condition, what: str) -> float:
    """Poll (letting the app run) until `condition` holds; the time it first held."""
    deadline = time.perf_counter() + PATIENCE
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"editor probe: {what} did not happen within {PATIENCE:.0f} s")
        await asyncio.sleep(POLL)
    return time.perf_counter()


async def first_frames(conditions: dict, what: str) -> dict[str, float]:
    """For each condition, the time of the first frame drawn while it held (checked as each frame is drawn)."""
    WATCH.clear()
    SEEN.clear()
    WATCH.update(conditions)
    try:
        await until(lambda: len(SEEN) == len(conditions), f"a frame showing {what}")
        return dict(SEEN)
    finally:
        WATCH.clear()


async def first_frame(condition, what: str) -> float:
    return (await first_frames({"it": condition}, what))["it"]


async def frame_after(moment: float, what: str) -> float:
    """The time of the first frame drawn after `moment`."""
    return await first_frame(lambda: time.perf_counter() > moment, what)


def send_key(app, key: str, char: str | None) -> None:
    from textual import events

    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


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

        drawn = await first_frame(dashboard_ready, "the dashboard")
        result["first_screen"] = time.time() - t0 - (time.perf_counter() - drawn)
        await settle(pilot)

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

        started = time.perf_counter()
        app.open_editor(language=language)
        result["open_editor"] = await first_frame(editor_ready, "the editor") - started
        await settle(pilot)
        screen = app.screen
        units = screen.query_one("#units")
        box = screen.query_one("#filter")
        box.value = "cursor"
        box.focus()
        await settle(pilot)
        trips = []
        for _ in range(5):      # the floor: a key that only moves the filter bar's cursor, to its frame
            started = time.perf_counter()
            send_key(app, "left", None)
            trips.append(await frame_after(started, "the cursor moved") - started)
            await settle(pilot)
        result["key_round_trip"] = sorted(trips)[len(trips) // 2]
        profile = None
        if os.environ.get("BENCH_PROFILE"):          # a cProfile of the filters alone, for the reading
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        for query in queries:
            box = screen.query_one("#filter")
            box.value = query
            box.focus()
            await settle(pilot)

            def applied() -> bool:
                current = units.current
                if screen.query_text != query:
                    return False
                if current is None:
                    return getattr(screen, "detail", None) is None
                return screen.detail is not None and screen.detail.unit_id == current.unit_id

            SPENT.clear()
            started = time.perf_counter()
            send_key(app, "enter", "\r")
            frames = await first_frames({"apply": applied, "count": lambda: applied() and units.total is not None},
                                        f"the filter {query!r}")
            shown, counted = frames["apply"], frames["count"]
            result["queries"][query] = {"apply": shown - started, "count": counted - started,
                                        "rows": units.total, "spent": dict(SPENT)}
            await settle(pilot)
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

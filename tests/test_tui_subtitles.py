"""The subtitle view driven by the Pilot: videos, the timeline, and a cue opened in the editor."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from tests.conftest import copy_demo
from tests.tui_support import SIZE, open_demo, run, settle, shown
from workbench.services.timeline import videos
from workbench.tui.app import WorkbenchApp
from workbench.tui.editor import EditorScreen
from workbench.tui.subtitles import TimelineScreen, VideoListScreen, clock, render_cue
from workbench.tui.unit_list import UnitList


@pytest.fixture
def wb(tmp_path):
    wb = open_demo(copy_demo(tmp_path / "demo"))
    if not videos(wb, language="de"):
        pytest.skip("the demo has no subtitles")
    yield wb
    wb.close()


@pytest.mark.parametrize("ms,expected", [(0, "00:00.000"), (1178, "00:01.178"), (65_120, "01:05.120"),
                                         (3_661_005, "1:01:01.005")])
def test_clock(ms, expected):
    assert clock(ms) == expected


def test_from_the_dashboard_to_a_cue_in_the_editor(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("down", "s")                   # German, subtitles
            await settle(pilot)
            assert isinstance(app.screen, VideoListScreen)
            table = app.screen.query_one("#videos", DataTable)
            first = videos(wb, language="de")[0]
            assert table.row_count == len(videos(wb, language="de"))
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, TimelineScreen) and app.screen.video == first.name
            cues = app.screen.query_one("#cues", UnitList)
            assert cues.current.number == 1
            assert cues.border_subtitle == f"1 / {first.cues}"
            head = shown(app.screen.query_one("#timeline-head"))
            assert "max 42/line" in head and "17 cps" in head
            await pilot.press("down", "down")
            await settle(pilot)
            third = cues.current
            assert third.number == 3
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            assert app.screen.query_one("#units", UnitList).current.key == third.key
            neighbours = shown(app.screen.query_one("#neighbours"))
            assert "◀ this cue" in neighbours and clock(third.start_ms)[:7] in neighbours
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, TimelineScreen)
            assert cues.current.number == 3
    run(go())


def test_cue_rows_show_times_speed_and_line_lengths(wb):
    from workbench.services.timeline import cue_page

    video = videos(wb, language="de")[0]
    cue = next(c for c in cue_page(wb, video=video.name, language="de", limit=100) if c.target)
    lines = [line.plain for line in render_cue(cue, 110, False)]
    assert len(lines) == 3
    assert clock(cue.start_ms) in lines[0] and clock(cue.end_ms) in lines[1]
    assert cue.source.split("\n")[0] in lines[0]
    assert cue.target.split("\n")[0] in lines[0]
    assert f"{cue.source_report.metrics.line_lengths[0]:>3}" in lines[0]
    assert lines[2].count("cps") == 2


def test_a_line_at_the_length_limit_shows_whole_in_a_120_column_timeline(wb):
    """A 42-character line (the limit) showed cut ('…le terrai…') at 120 columns, so a translator
    could not read the line whose length the timeline was there to judge."""
    from dataclasses import replace

    from workbench.services.timeline import cue_page

    video = videos(wb, language="de")[0]
    cue = next(c for c in cue_page(wb, video=video.name, language="de", limit=100) if c.target)
    line = "La dernière fois, on a analysé le terrain."
    assert len(line) == 42
    cue = replace(cue, source=line, target=line, source_report=None, target_report=None)

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(TimelineScreen(language="de", video=video.name))
            await settle(pilot)
            width = app.screen.query_one("#cues", UnitList).content_size.width - 1
            first = render_cue(cue, width, False)[0].plain
            assert first.count(line) == 2, first
    run(go())


def test_the_timeline_takes_the_whole_width_of_a_small_terminal(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(TimelineScreen(language="de", video=videos(wb, language="de")[0].name))
            await settle(pilot)
            assert app.screen.query_one("#cues", UnitList).outer_size.width == 80
    run(go())


def test_back_from_the_editor_the_timeline_is_on_the_cue_the_editor_was_on(wb):
    """After Enter on cue 3, two alt+down in the editor and esc, the timeline was back on cue 3."""
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(TimelineScreen(language="de", video=videos(wb, language="de")[0].name))
            await settle(pilot)
            timeline = app.screen
            cues = timeline.query_one("#cues", UnitList)
            await pilot.press("down", "down", "enter")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            await pilot.press("alt+down")
            await settle(pilot)
            await pilot.press("alt+down")
            await settle(pilot)
            key = app.screen.query_one("#units", UnitList).current.key
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is timeline
            assert cues.current.number == 5 and cues.current.key == key
    run(go())


def test_back_from_a_timeline_the_video_list_counts_what_was_translated(wb):
    """A cue translated from the timeline left the video list's count as it was (0 %)."""
    from workbench.services import editing
    from workbench.services.timeline import cue_page

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_subtitles(language="de")
            await settle(pilot)
            table = app.screen.query_one("#videos", DataTable)
            untranslated = {v.name: [c for c in cue_page(wb, video=v.name, language="de", limit=500)
                                     if c.state == "untranslated"] for v in app.screen.videos}
            pick = next(i for i, v in enumerate(app.screen.videos) if untranslated[v.name])
            video = app.screen.videos[pick]
            table.move_cursor(row=pick)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, TimelineScreen)
            cue = untranslated[video.name][0]
            t = editing.get_translation(wb, resource=video.name, key=cue.key, language="de")
            editing.save_translation(wb, resource=video.name, key=cue.key, language="de", forms=("Neu.",),
                                     base_version=t.version)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, VideoListScreen)
            assert table.cursor_row == pick
            assert app.screen.videos[pick].translated == video.translated + 1
            assert f"{video.translated + 1:>4}" in table.get_row_at(pick)[3].plain
    run(go())

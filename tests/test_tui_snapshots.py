"""SVG snapshots of each screen on the demo course at 120×36 (pytest-textual-snapshot).

Update them after a deliberate change of the UI or of the demo course with
`pytest tests/test_tui_snapshots.py --snapshot-update`, and look at the SVGs before committing.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from tests.conftest import copy_demo
from tests.tui_support import SIZE, as_user, frozen_time, open_demo, settle
from workbench.services import editing
from workbench.services.timeline import videos
from workbench.tui.app import WorkbenchApp


@pytest.fixture
def wb(tmp_path):
    wb = open_demo(copy_demo(tmp_path / "demo"))
    yield wb
    wb.close()


async def _steady(pilot) -> None:
    """Workers done, no blinking cursor: the same picture every time."""
    await settle(pilot)
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
        # Textual caches a line drawn in the blink's off phase under the same key as a steady cursor's
        # line: drawn anew, the focused text shows its cursor whatever the phase was
        area.notify_style_update()
        area.refresh()
    await settle(pilot)


async def _goto(pilot, key: str) -> None:
    box = pilot.app.screen.query_one("#filter", Input)
    box.value = f"key:{key}"
    box.focus()
    await pilot.press("enter")
    await settle(pilot)


def test_dashboard(wb, snap_compare):
    async def run_before(pilot):
        await _steady(pilot)
        await pilot.press("down")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_editor_on_a_quiz_choice(wb, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_editor(language="de", query="module:m1")
        await settle(pilot)
        await _goto(pilot, "m1/quiz-1/q3/choice-b")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_editor_on_a_text_with_terms_and_a_live_issue(wb, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_editor(language="de", query="module:m1")
        await settle(pilot)
        await _goto(pilot, "m1/lesson-1/p1")
        await _steady(pilot)
        await pilot.press(*"In einem Sozialunternehmen zur Arbeitsintegration (WISE) zählen die ersten Gespräche")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_editor_on_a_subtitle_cue(wb, snap_compare):
    if not videos(wb, language="de"):
        pytest.skip("the demo has no subtitles")

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_editor(language="de", query="kind:subtitle")
        await settle(pilot)
        for _ in range(3):                      # each move shown (and its workers done) before the next
            await pilot.press("alt+down")
            await settle(pilot)
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_review(wb, snap_compare):
    with frozen_time():
        author = as_user(wb, "anna")
        t = editing.get_translation(author, resource="m1", key="m1/lesson-1/p2", language="de")
        editing.save_translation(author, resource="m1", key="m1/lesson-1/p2", language="de",
                                 forms=(t.text.replace("Gespräch", "kurze Gespräch", 1) + " Neu.",),
                                 base_version=t.version)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_review(language="de", query="module:m1")
        await settle(pilot)
        await _goto(pilot, "m1/lesson-1/p2")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(as_user(wb, "rita")), terminal_size=SIZE, run_before=run_before)


def test_conflict_dialog(wb, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_editor(language="de", query="module:m1")
        await settle(pilot)
        await _goto(pilot, "m1/lesson-1/p2")
        await settle(pilot)
        with frozen_time():
            other = as_user(wb, "olga")
            t = editing.get_translation(other, resource="m1", key="m1/lesson-1/p2", language="de")
            editing.save_translation(other, resource="m1", key="m1/lesson-1/p2", language="de",
                                     forms=("Small Talk ist das kurze Gespräch, das Olga geschrieben hat.",),
                                     base_version=t.version)
        pilot.app.screen.form_areas[0].load_text("Small Talk ist das kleine Gespräch, das ich geschrieben habe.")
        await pilot.press("ctrl+s")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_term_base(wb, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_termbase(language="de")
        await settle(pilot)
        await pilot.press("slash", *"insertion", "enter")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_term_base_homonym_dialog(wb, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_termbase(language="de")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Sozialunternehmen", "enter")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_subtitle_videos(wb, snap_compare):
    if not videos(wb, language="de"):
        pytest.skip("the demo has no subtitles")

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_subtitles(language="de")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_subtitle_timeline(wb, snap_compare):
    found = videos(wb, language="de")
    if not found:
        pytest.skip("the demo has no subtitles")

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_subtitles(language="de", video=found[0].name)
        await settle(pilot)
        await pilot.press("down")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_check_in_progress_dialog(wb, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("c")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)


def test_history_dialog(wb, snap_compare):
    key = "m1/lesson-1/p2"
    with frozen_time():
        t = editing.get_translation(wb, resource="m1", key=key, language="de")
        editing.save_translation(wb, resource="m1", key=key, language="de",
                                 forms=("Small Talk ist das kurze Gespräch, das ich geschrieben habe.",),
                                 base_version=t.version)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_editor(language="de", query="module:m1")
        await settle(pilot)
        await _goto(pilot, key)
        await pilot.press("ctrl+r")
        await _steady(pilot)
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=run_before)

"""Review mode driven by the Pilot: approve with one key, reject with a comment, the four-eyes rule."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.conftest import copy_demo
from tests.tui_support import SIZE, as_user, open_demo, run, settle, shown
from workbench.domain.query import parse_filter
from workbench.domain.states import State
from workbench.services import browse, editing
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs import CommentScreen
from workbench.tui.editor import EditorScreen
from workbench.tui.review import ReviewScreen
from workbench.tui.unit_list import UnitList


@pytest.fixture
def wb(tmp_path):
    wb = open_demo(copy_demo(tmp_path / "demo"), user="rita")
    yield wb
    wb.close()


def _edit(wb, key: str, text: str, user: str = "anna") -> None:
    author = as_user(wb, user)
    t = editing.get_translation(author, resource=key.split("/")[0], key=key, language="de")
    editing.save_translation(author, resource=key.split("/")[0], key=key, language="de", forms=(text,),
                             base_version=t.version)


async def _review(pilot, query: str = ""):
    pilot.app.open_review(language="de", query=query)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


def _units(app) -> UnitList:
    return app.screen.query_one("#units", UnitList)


def test_queue_lists_what_awaits_review_with_the_diff(wb):
    _edit(wb, "m1/lesson-1/p2", "Small Talk ist ein ganz neues Gespräch.")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _review(pilot, "key:m1/lesson-1/p2")
            units = _units(app)
            assert units.total == 1
            assert units.current.key == "m1/lesson-1/p2"
            diff = shown(screen.query_one("#review-diff"))
            assert diff.startswith("Changes since last approved")
            assert "ganz neues" in diff
            assert "anna" in shown(screen.query_one("#unit-head"))
            await _review(pilot)
            expected = browse.count(wb, language="de", filter=parse_filter("state:translated"))
            assert _units(app).total == expected
            assert all(r.state == "translated" for r in _units(app).window.rows)
    run(go())


def test_approve_with_one_key_then_the_next_comes(wb):
    _edit(wb, "m1/lesson-1/p2", "Neuer Text zum Freigeben.")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _review(pilot, "module:m1")
            units = _units(app)
            while units.current.key != "m1/lesson-1/p2":
                assert units.step(1)
            await pilot.press("a")
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert t.state is State.APPROVED
            assert units.current.key != "m1/lesson-1/p2"
            assert units.window.rows[units.window.index - 1].state == "approved"
    run(go())


def test_reject_asks_for_a_comment(wb):
    _edit(wb, "m1/lesson-1/p2", "Zu freie Übersetzung.")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _review(pilot, "key:m1/lesson-1/p2")
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, CommentScreen)
            await pilot.press("enter")                         # empty: refused, stays open
            await settle(pilot)
            assert isinstance(app.screen, CommentScreen)
            assert "comment is needed" in shown(app.screen.query_one("#comment-error"))
            await pilot.press(*"Bitte näher am Original.")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReviewScreen)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert t.state is State.DRAFT and t.comment == "Bitte näher am Original."
    run(go())


def test_escape_cancels_a_rejection(wb):
    _edit(wb, "m1/lesson-1/p2", "Text.")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _review(pilot, "key:m1/lesson-1/p2")
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert t.state is State.TRANSLATED
    run(go())


def test_nobody_approves_their_own_text(wb):
    _edit(wb, "m1/lesson-1/p2", "Mein eigener Text.", user="rita")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _review(pilot, "key:m1/lesson-1/p2")
            await pilot.press("a")
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert t.state is State.TRANSLATED
            messages = [n.message for n in app._notifications]
            assert any("four-eyes" in m for m in messages), messages
    run(go())


def test_edit_key_opens_the_editor_on_the_same_unit(wb):
    _edit(wb, "m1/lesson-1/p2", "Zum Nachbessern.")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _review(pilot, "module:m1")
            units = _units(app)
            while units.current.key != "m1/lesson-1/p2":
                assert units.step(1)
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            assert app.screen.query_one("#units", UnitList).current.key == "m1/lesson-1/p2"
            assert app.screen.form_areas[0].text == "Zum Nachbessern."
    run(go())


def test_the_reviewer_sees_the_checks_issues_of_the_text(wb):
    """The review pane showed the text and its diff but not what the checks found in it (a double
    space, a missing placeholder): the reviewer approved without knowing. Read in a worker."""
    _edit(wb, "m1/lesson-1/p2", "Small Talk  ist ein ganz neues Gespräch.")
    # (four sentences: one would be under a third of the source's 310 characters, a length-ratio issue)
    _edit(wb, "m1/lesson-1/p3", " ".join(["Ein sauberer Satz ohne Fehler."] * 4))

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _review(pilot, "key:m1/lesson-1/p2")
            await settle(pilot)
            issues = shown(screen.query_one("#review-issues"))
            assert "double-space" in issues and "⚠" in issues, issues
            screen = await _review(pilot, "key:m1/lesson-1/p3")
            await settle(pilot)
            issues = shown(screen.query_one("#review-issues"))
            assert "no issue" in issues and "double-space" not in issues, issues
    run(go())


def test_back_from_the_editor_the_pane_shows_the_text_saved_there(wb):
    """After e (edit), a save and esc, the pane still showed the old text, version and author,
    and 'a' then approved against that old version."""
    _edit(wb, "m1/lesson-1/p2", "Zum Nachbessern.")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _review(pilot, "key:m1/lesson-1/p2")
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            await pilot.press("f7", *"Nachgebessert.", "ctrl+s")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen
            assert "Nachgebessert." in shown(screen.query_one("#review-target"))
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert f"v{t.version}" in shown(screen.query_one("#unit-head"))
            assert screen.detail.translation.version == t.version
    run(go())


def test_ctrl_down_scrolls_a_long_text_under_review(wb):
    _edit(wb, "m1/lesson-1/p2", " ".join(["Ein sehr langer Satz über Small Talk im Betrieb."] * 40))

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _review(pilot, "key:m1/lesson-1/p2")
            await settle(pilot)
            detail = screen.query_one("#review-detail")
            assert detail.max_scroll_y > 0 and detail.scroll_y == 0
            await pilot.press("ctrl+down", "ctrl+down")
            await settle(pilot)
            assert detail.scroll_y == 6
    run(go())


def test_approving_a_text_changed_meanwhile_shows_the_new_text_first(wb):
    """'a' on a text saved again meanwhile was refused with 'your text is based on version 2' and the
    pane kept the old text, so the reviewer could not see what to approve."""
    _edit(wb, "m1/lesson-1/p2", "Erste Fassung.")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _review(pilot, "key:m1/lesson-1/p2")
            _edit(wb, "m1/lesson-1/p2", "Zweite Fassung.")
            await pilot.press("a")
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert t.state is State.TRANSLATED                     # not approved
            assert "Zweite Fassung." in shown(screen.query_one("#review-target"))
            await pilot.press("a")                                 # now it is the text read
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert t.state is State.APPROVED and t.text == "Zweite Fassung."
    run(go())


def test_the_rejection_dialog_names_its_keys(wb):
    """Its footer showed only 'esc Cancel': nothing said that Enter rejects."""
    _edit(wb, "m1/lesson-1/p2", "Text.")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _review(pilot, "key:m1/lesson-1/p2")
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, CommentScreen)
            assert "Enter confirms" in shown(app.screen.query_one("#comment-keys"))
    run(go())

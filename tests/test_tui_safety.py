"""Text from content is shown as typed: markup is not interpreted, escape sequences never reach the terminal."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import update

from tests.conftest import copy_demo
from tests.tui_support import SIZE, as_user, open_demo, run, settle, shown
from workbench.domain.query import parse_filter
from workbench.services import browse, editing
from workbench.storage import repository as repo
from workbench.tui.app import WorkbenchApp
from workbench.tui.unit_list import UnitList

BOLD = "[bold]x[/bold]"
LINK = "[link=http://e.x]y[/]"
ESC = "\x1b[31mred\x1b[0m"
SOURCE = f"Source {BOLD} {LINK} {ESC} fin"
TARGET = f"Ziel {BOLD} {LINK} {ESC} Ende"
KEY = "m1/lesson-1/p1"


@pytest.fixture
def wb(tmp_path):
    wb = open_demo(copy_demo(tmp_path / "demo"), user="rita")
    with wb.store.transaction() as conn:          # a source as a file could carry it
        conn.execute(update(repo.U).where(repo.U.c.key == KEY).values(source=SOURCE))
    author = as_user(wb, "[b]anna[/b]")
    t = editing.get_translation(author, resource="m1", key=KEY, language="de")
    editing.save_translation(author, resource="m1", key=KEY, language="de", forms=(TARGET,),
                             base_version=t.version)
    yield wb
    wb.close()


def _svg_text(svg: str) -> str:
    return html.unescape(svg).replace("\u00a0", " ")


def _check_screen(app) -> str:
    svg = app.export_screenshot()
    assert "\x1b" not in svg                       # no escape sequence reaches the terminal
    assert "<a " not in svg and "e.x\"" not in svg  # no hyperlink was made
    return _svg_text(svg)


@pytest.mark.parametrize("screen", ["editor", "review"])
def test_markup_and_escapes_are_shown_as_typed(wb, screen):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            if screen == "editor":
                app.open_editor(language="de", query=f"key:{KEY}")
            else:
                app.open_review(language="de", query=f"key:{KEY}")
            await settle(pilot)
            s = app.screen
            assert s.query_one("#units", UnitList).current.key == KEY
            source_id = "#source" if screen == "editor" else "#review-source"
            source = shown(s.query_one(source_id))
            assert BOLD in source and LINK in source
            assert "\\x1b[31mred\\x1b[0m" in source        # the escape made visible, nothing else changed
            text = _check_screen(app)
            for piece in (BOLD, LINK, "[31mred", "[b]anna[/b]"):
                assert piece in text, piece
            if screen == "editor":
                area = s.form_areas[0]
                assert area.text == TARGET                   # the data is untouched
                assert text.count("␛") >= 2                  # drawn as a visible symbol
                history = shown(s.query_one("#history"))
                assert "[b]anna[/b]" in history and BOLD in history
            else:
                target = shown(s.query_one("#review-target"))
                assert BOLD in target and LINK in target and "\\x1b[31m" in target
    run(go())


def test_saving_keeps_the_text_exactly(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            app.open_editor(language="de", query=f"key:{KEY}")
            await settle(pilot)
            area = app.screen.form_areas[0]
            area.load_text(TARGET + " [/]")
            await pilot.press("ctrl+s")
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key=KEY, language="de")
            assert t.text == TARGET + " [/]"
            _check_screen(app)
    run(go())


def test_notifications_do_not_interpret_markup(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            app.notify(f"{BOLD} {ESC}")
            await settle(pilot)
            note = list(app._notifications)[-1]
            assert note.markup is False
            assert BOLD in note.message and "\x1b" not in note.message
    run(go())


def test_filter_text_with_markup_is_searched_literally(wb):
    rows = browse.page(wb, language="de", filter=parse_filter(f'"{BOLD}"'), limit=5)
    assert [r.key for r in rows] == [KEY]

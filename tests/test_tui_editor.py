"""The terminal UI driven by the Pilot: dashboard, editor, conflicts (on the demo course, SQLite)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, TextArea

from tests.conftest import copy_demo
from tests.tui_support import SIZE, as_user, open_demo, open_demo_with_deepl_and_no_key, run, settle, shown
from workbench.domain.query import parse_filter
from workbench.domain.states import State
from workbench.services import browse, editing
from workbench.tui.app import WorkbenchApp
from workbench.tui.conflict import ConflictScreen
from workbench.tui.dashboard import DashboardScreen
from workbench.tui.dialogs import UnsavedScreen
from workbench.tui.editor import EditorScreen
from workbench.tui.unit_list import UnitList


@pytest.fixture
def wb(tmp_path):
    wb = open_demo(copy_demo(tmp_path / "demo"))
    yield wb
    wb.close()


def _units(app) -> UnitList:
    return app.screen.query_one("#units", UnitList)


def _area(app) -> TextArea:
    return app.screen.form_areas[0]


async def _editor(pilot, *, language="de", query=""):
    pilot.app.open_editor(language=language, query=query)
    await settle(pilot)
    assert isinstance(pilot.app.screen, EditorScreen)
    return pilot.app.screen


async def _goto_key(pilot, key: str):
    screen = pilot.app.screen
    filt = screen.query_one("#filter", Input)
    await pilot.press("ctrl+f")
    filt.value = f"key:{key}"
    await pilot.press("enter")
    await settle(pilot)
    assert _units(pilot.app).current.key == key


def test_dashboard_cell_opens_the_editor_filtered_to_it(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            table = app.screen.query_one("#progress", DataTable)
            assert table.row_count == len(wb.settings.target_languages) + 1   # and the source row
            await pilot.press("down", "right", "enter")        # de, second module
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, EditorScreen)
            assert screen.language == "de" and app.language == "de"
            assert screen.query_one("#filter", Input).value == "module:m2"
            units = _units(app)
            assert units.current.module == "m2"
            assert units.total == browse.count(wb, language="de", filter=parse_filter("module:m2"))
            assert units.border_subtitle == f"1 / {units.total}"
            assert shown(screen.query_one("#unit-head")).find(units.current.key) >= 0
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            assert table.cursor_coordinate.row == 2              # still on German (row 0 is the source)
    run(go())


def test_review_column_opens_the_review_queue(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("down", "end", "left", "enter")
            await settle(pilot)
            assert type(app.screen).__name__ == "ReviewScreen"
            assert app.screen.language == "de"
            assert _units(app).current.state == "translated"
    run(go())


def test_filter_narrows_the_list_and_reports_errors(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot)
            filt = screen.query_one("#filter", Input)
            await pilot.press("ctrl+f")
            assert app.focused is filt
            await pilot.press(*"state:draft kind:quiz")
            await pilot.press("enter")
            await settle(pilot)
            units = _units(app)
            expected = browse.count(wb, language="de", filter=parse_filter("state:draft kind:quiz"))
            assert units.total == expected > 0
            rows = units.window.rows
            assert all(r.state == "draft" and r.kind.startswith("quiz") for r in rows)
            assert isinstance(app.focused, TextArea)          # back to typing
            await pilot.press("ctrl+f")
            filt.value = "state:nonsense"
            await pilot.press("enter")
            await settle(pilot)
            assert "unknown state" in shown(screen.query_one("#filter-info"))
            assert units.total == expected                    # the list is unchanged
    run(go())


def test_edit_and_save_with_live_checks(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, "m1/lesson-1/p1")
            area = _area(app)
            assert area.text == "" and app.focused is area
            await pilot.press(*"Hallo")
            await settle(pilot)
            live = shown(screen.query_one("#live"))
            assert "5 characters" in live and "unsaved" in live
            await pilot.press("ctrl+s")
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p1", language="de")
            assert t.text == "Hallo" and t.state is State.TRANSLATED and t.author == "tina"
            assert _units(app).current.state == "translated"
            assert "unsaved" not in shown(screen.query_one("#live"))
            assert "tina" in shown(screen.query_one("#history"))
            await pilot.press("ctrl+d")                       # mark draft
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p1", language="de")
            assert t.state is State.DRAFT
    run(go())


def test_save_and_next_copy_source_and_undo(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m1")
            await pilot.press("ctrl+f")
            app.screen.query_one("#filter", Input).value = "module:m1 state:untranslated"
            await pilot.press("enter")
            await settle(pilot)
            first = _units(app).current
            await pilot.press("ctrl+o")                       # copy source
            assert _area(app).text == first.source
            await pilot.press("ctrl+z")                       # undo
            assert _area(app).text == ""
            await pilot.press(*"Erster Text")
            await pilot.press("ctrl+n")                       # save and next
            await settle(pilot)
            assert _units(app).current.key != first.key
            assert _units(app).window.rows[0].state == "translated"   # stays in the list, updated
            t = editing.get_translation(wb, resource=first.resource, key=first.key, language="de")
            assert t.text == "Erster Text"
    run(go())


def test_leaving_unsaved_text_asks_first(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m1")
            await pilot.press("ctrl+f")
            app.screen.query_one("#filter", Input).value = "module:m1 state:untranslated"
            await pilot.press("enter")
            await settle(pilot)
            start = _units(app).current.key
            await pilot.press(*"Entwurf")
            await pilot.press("alt+down")
            await settle(pilot)
            assert isinstance(app.screen, UnsavedScreen)
            await pilot.press("escape")                       # stay
            await settle(pilot)
            assert _units(app).current.key == start and _area(app).text == "Entwurf"
            await pilot.press("alt+down")
            await settle(pilot)
            await pilot.press("d")                            # save as draft, then move
            await settle(pilot)
            assert _units(app).current.key != start
            t = editing.get_translation(wb, resource="m1", key=start, language="de")
            assert t.text == "Entwurf" and t.state is State.DRAFT
    run(go())


def test_quitting_with_unsaved_text_asks_first(wb):
    """ctrl+q quit at once and lost the text being typed; now it asks, like leaving the unit."""
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m1 state:untranslated")
            key = _units(app).current.key
            await pilot.press(*"Entwurf", "ctrl+q")
            await settle(pilot)
            assert isinstance(app.screen, UnsavedScreen) and app.is_running
            await pilot.press("escape")                       # stay: the text is still there
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen) and _area(app).text == "Entwurf"
            await pilot.press("ctrl+q")
            await settle(pilot)
            await pilot.press("d")                            # save as draft, then quit
            await settle(pilot)
            assert not app.is_running
        t = editing.get_translation(wb, resource="m1", key=key, language="de")
        assert t.text == "Entwurf" and t.state is State.DRAFT
    run(go())


def test_quitting_with_nothing_unsaved_quits_at_once(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m1")
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert not app.is_running
    run(go())


def _conflict_setup(wb, key="m1/lesson-1/p2"):
    """Someone else saves the unit after the editor has read it."""
    other = as_user(wb, "olga")

    def meanwhile():
        t = editing.get_translation(other, resource="m1", key=key, language="de")
        editing.save_translation(other, resource="m1", key=key, language="de",
                                 forms=("Olgas Fassung.",), base_version=t.version)
    return meanwhile


@pytest.mark.parametrize("choice,expected", [
    ("m", "Meine Fassung."),
    ("t", "Olgas Fassung."),
])
def test_conflict_keep_mine_or_take_theirs(wb, choice, expected):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _save_into_a_conflict(pilot, wb)
            assert isinstance(app.screen, ConflictScreen)
            assert "Olgas Fassung." in shown(app.screen.query_one("#conflict-theirs"))
            assert "Meine Fassung." in shown(app.screen.query_one("#conflict-mine"))
            await pilot.press(choice)
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert t.text == expected
            assert _area(app).text == expected
            assert not app.screen.is_modified()
            if choice == "t":
                assert app.clipboard == "Meine Fassung."       # nothing is lost
    run(go())


async def _save_into_a_conflict(pilot, wb) -> None:
    """In the editor on m1/lesson-1/p2, Olga saves first; ours ("Meine Fassung.") then meets her version."""
    await _editor(pilot, query="module:m1")
    await _goto_key(pilot, "m1/lesson-1/p2")
    _conflict_setup(wb)()
    _area(pilot.app).load_text("Meine Fassung.")
    await pilot.press("ctrl+s")
    await settle(pilot)


def test_conflict_merge_in_an_editor(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _save_into_a_conflict(pilot, wb)
            await pilot.press("e")
            merge = app.screen.query_one("#conflict-merge", TextArea)
            assert "Meine Fassung." in merge.text and "Olgas Fassung." in merge.text
            merge.load_text("Unsere Fassung.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert t.text == "Unsere Fassung." and t.author == "tina"
    run(go())


def test_plural_unit_edits_every_form(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, language="es", query="module:m2")
            await _goto_key(pilot, "m2/quiz-1/result")
            areas = app.screen.form_areas
            assert len(areas) == 2
            areas[0].load_text("Has acertado %(count)d pregunta de %(total)d.")
            areas[1].load_text("Has acertado %(count)d preguntas de %(total)d.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            t = editing.get_translation(wb, resource="m2", key="m2/quiz-1/result", language="es")
            assert t.forms == ("Has acertado %(count)d pregunta de %(total)d.",
                               "Has acertado %(count)d preguntas de %(total)d.")
    run(go())


def test_end_and_home_in_the_list(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot)
            units = _units(app)
            units.focus()
            await pilot.press("end")
            await settle(pilot)
            total = browse.count(wb, language="de", filter=parse_filter(""))
            assert units.window.position == total - 1
            assert units.border_subtitle == f"{total:,} / {total:,}"
            await pilot.press("home")
            await settle(pilot)
            assert units.window.position == 0
            await pilot.press("pagedown")
            assert units.window.position == units.visible_rows - 1
    run(go())


def test_command_palette_lists_the_editor_keys(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot)
            names = {c.title for c in app.get_system_commands(screen)}
            for name in ("Save", "Save and next", "Mark draft", "Copy source", "Undo", "Insert suggestion 1",
                         "Insert suggestion 2", "Insert suggestion 3", "Next unit", "Previous unit",
                         "Next issue", "Filter"):
                assert name in names
    run(go())


def test_insert_a_memory_match_with_one_key(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, "m1/quiz-1/q3/choice-b")
            await settle(pilot)
            assert screen.suggestions, shown(screen.query_one("#suggestions"))
            best = screen.suggestions[0]
            assert best.origin == "tm" and best.label.strip().endswith("%")
            panel = shown(screen.query_one("#suggestions"))
            assert best.label in panel and "approved" in panel
            await pilot.press("f1")
            assert _area(app).text == best.text
            await pilot.press("ctrl+s")
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key="m1/quiz-1/q3/choice-b", language="de")
            assert t.text == best.text and t.origin == "tm"
            await pilot.press("f3")                        # no third suggestion: says so, changes nothing
            await settle(pilot)
            assert _area(app).text == best.text
            assert any("no suggestion 3" in n.message for n in app._notifications)
    run(go())


def test_request_machine_translation_and_insert_it(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, language="nl", query="module:m1")
            await _goto_key(pilot, "m1/lesson-1/p1")
            await settle(pilot)
            await pilot.press("ctrl+t")
            await settle(pilot)
            mt = [s for s in screen.suggestions if s.label == "MT"]
            assert len(mt) == 1 and mt[0].origin == "mt:fake"
            n = screen.suggestions.index(mt[0]) + 1
            assert f"{n}  MT" in shown(screen.query_one("#suggestions"))
            await pilot.press(f"f{n}")
            assert _area(app).text == mt[0].text and mt[0].text
            await pilot.press("ctrl+d")
            await settle(pilot)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p1", language="nl")
            assert t.text == mt[0].text and t.origin == "mt:fake" and t.state is State.DRAFT
    run(go())


def test_live_checks_report_issues_as_you_type(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m2")
            await _goto_key(pilot, "m2/quiz-1/result")
            await settle(pilot)
            assert screen.checker is not None
            areas = screen.form_areas
            areas[0].load_text("Du hast %(count)d von %(total)d Fragen richtig beantwortet.")
            areas[1].load_text("Du hast %(count)d von %(total)d Fragen richtig beantwortet.")
            await settle(pilot)
            live = shown(screen.query_one("#live"))
            assert "python-format" not in live
            areas[1].load_text("Du hast %(count)d Fragen richtig beantwortet.")
            await settle(pilot)
            live = shown(screen.query_one("#live"))
            assert "python-format" in live and "✗" in live
    run(go())


def test_next_issue_jumps_to_a_unit_with_a_stored_issue(wb):
    from workbench.services.checks import check_project

    check_project(wb, languages=["de"])

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m2")
            units = _units(app)
            await pilot.press("ctrl+g")
            await settle(pilot)
            first = units.current
            issues = browse.page(wb, language="de", filter=parse_filter("module:m2 check:python-format"), limit=5)
            assert first.key in [r.key for r in browse.page(
                wb, language="de", filter=parse_filter("module:m2").with_(checks=tuple(_all_checks())), limit=50)]
            assert issues and first.cursor <= issues[0].cursor
            assert units.window.position is not None or units.total is not None
    run(go())


def _all_checks():
    from workbench.domain.checks.registry import CHECKS

    return CHECKS


def test_memory_panel_leaves_out_the_units_own_translation(wb):
    """An approved unit is in the memory, but not among its own suggestions (it is in the editor already)."""
    from workbench.services import memory

    key = "m1/lesson-1/p2"
    t = editing.get_translation(wb, resource="m1", key=key, language="de")
    assert t.state is State.APPROVED
    source = browse.page(wb, language="de", filter=parse_filter(f"key:{key}"), limit=1)[0].source
    own = [m for m in memory.lookup(wb, source, language="de", key=key) if m.same_key]
    assert own and own[0].entry.target == t.text          # without the exclusion it would come first

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, key)
            await settle(pilot)
            panel = shown(screen.query_one("#suggestions"))
            assert "looking in the translation memory" not in panel
            assert f"approved {key}" not in panel and "same key" not in panel
            assert all(s.text != t.text or "same key" not in s.detail for s in screen.suggestions)
    run(go())


def _line_of(units: UnitList, key: str) -> str:
    """The list's line showing `key` as drawn (the state glyph, the issue mark, the key...)."""
    return next(line for line in units.render().plain.splitlines() if f" {key} " in line)


def test_list_marks_units_with_stored_issues_and_follows_saves(wb):
    from workbench.services.checks import check_project

    check_project(wb, languages=["de"])
    key = "m2/quiz-1/result"

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="key:m2/quiz-1/")
            units = _units(app)
            assert "✗" in _line_of(units, key)[:4]                    # python-format: an error
            for row in units.window.rows:
                if row.key != key:
                    assert row.issue is None and not set(_line_of(units, row.key)[:4]) & {"✗", "⚠"}
            while units.current.key != key:
                await pilot.press("alt+down")
                await settle(pilot)
            areas = screen.form_areas
            for area in areas:
                area.load_text("Du hast %(count)d von %(total)d Fragen richtig beantwortet.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert units.current.issue is None and "✗" not in _line_of(units, key)[:4]
            areas[1].load_text("Du hast %(count)d Fragen richtig beantwortet.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert units.current.issue == "error" and "✗" in _line_of(units, key)[:4]
    run(go())


async def _history_dialog(pilot):
    from workbench.tui.history import RevertScreen

    await pilot.press("ctrl+r")
    await settle(pilot)
    assert isinstance(pilot.app.screen, RevertScreen)
    return pilot.app.screen


def test_revert_to_an_earlier_version_from_the_history(wb):
    from textual.widgets import OptionList

    key = "m1/lesson-1/p2"
    first = editing.get_translation(wb, resource="m1", key=key, language="de")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            assert "Revert" in {c.title for c in app.get_system_commands(screen)}
            await _goto_key(pilot, key)
            _area(app).load_text("Ein neuer Text, den ich gleich wieder verwerfe.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "ctrl+r" in shown(screen.query_one("#history"))
            dialog = await _history_dialog(pilot)
            versions = dialog.query_one("#versions", OptionList)
            current = versions.get_option(f"v{first.version + 1}")
            assert current.disabled and "(current)" in str(current.prompt)
            assert dialog.chosen() == first.version                     # the newest earlier one, chosen first
            text = shown(dialog.query_one("#version-text"))
            assert first.text in text and f"to v{first.version}" in text
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen
            assert _area(app).text == first.text and not screen.is_modified()
            t = editing.get_translation(wb, resource="m1", key=key, language="de")
            assert (t.text, t.version, t.state) == (first.text, first.version + 2, State.TRANSLATED)
            assert _units(app).current.version == t.version and _units(app).current.target == first.text
            assert "revert" in shown(screen.query_one("#history"))
            assert any(f"Restored v{first.version}" in n.message for n in app._notifications)
            await _history_dialog(pilot)                                # Esc changes nothing
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen
            assert editing.get_translation(wb, resource="m1", key=key, language="de").version == t.version
    run(go())


def test_revert_asks_about_unsaved_text_first(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m1")
            await _goto_key(pilot, "m1/lesson-1/p2")
            _area(app).load_text("Noch nicht gespeichert.")
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert isinstance(app.screen, UnsavedScreen)
            await pilot.press("x")                                   # discard: then the history opens
            await settle(pilot)
            from workbench.tui.history import RevertScreen
            assert isinstance(app.screen, RevertScreen)
    run(go())


def test_revert_refused_shows_the_rule_in_one_line(wb):
    from workbench.services.users import add_user

    boss = as_user(wb, "boss")
    add_user(boss, "boss", role="coordinator")
    add_user(boss, "rita", role="reviewer", languages=["de"])
    key = "m1/lesson-1/p2"
    editing.save_translation(boss, resource="m1", key=key, language="de",
                             forms=("Ein Text von boss.",),
                             base_version=editing.get_translation(wb, resource="m1", key=key, language="de").version)
    before = editing.get_translation(wb, resource="m1", key=key, language="de")

    async def go():
        app = WorkbenchApp(as_user(wb, "rita"))
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, key)
            await _history_dialog(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen and _area(app).text == before.text
            [error] = [n for n in app._notifications if n.severity == "error"]
            assert "rule: translator-of-language" in error.message and "\n" not in error.message
            assert editing.get_translation(wb, resource="m1", key=key, language="de").version == before.version
    run(go())


def test_a_save_right_after_typing_saves_every_letter(wb):
    """ctrl+s is a priority key: the app runs it at once while the letters typed just before still wait
    in the text area's queue. The save waits for them (found typing fast in tmux)."""
    from textual import events

    key = "m1/lesson-1/p3"

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, key)
            area = _area(app)
            area.load_text("Ein Text")
            area.move_cursor(area.document.end)
            area.focus()
            await settle(pilot)
            for ch in " mit Ende":
                area.post_message(events.Key(ch, ch))        # typed, not yet taken by the area
            screen.action_save()                              # what the binding runs, before the area's turn
            await settle(pilot)
            assert editing.get_translation(wb, resource="m1", key=key, language="de").text == "Ein Text mit Ende"
            assert not screen.is_modified()
    run(go())


def test_conflict_merge_saved_right_after_typing_keeps_every_letter(wb):
    from textual import events

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _save_into_a_conflict(pilot, wb)
            await pilot.press("e")
            dialog = app.screen
            merge = dialog.query_one("#conflict-merge", TextArea)
            merge.load_text("Unsere Fassung")
            merge.move_cursor(merge.document.end)
            await settle(pilot)
            for ch in " jetzt.":
                merge.post_message(events.Key(ch, ch))          # typed, not yet taken by the area
            dialog.action_save_merge()                           # what ctrl+s runs, before the area's turn
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            t = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert t.text == "Unsere Fassung jetzt."
    run(go())


def test_opening_and_filtering_read_each_unit_once(wb, monkeypatch):
    """The editor shows the list's first unit with the list (not a frame later) and does not read
    it a second time when the list's Moved message comes; the start-up warm-up leaves the
    objects it made frozen out of the garbage collector's way."""
    import gc

    from workbench.tui import editor as editor_module
    read: list[int] = []
    original = editor_module.unit_detail

    def counted(wb, *, unit_id, language):
        read.append(unit_id)
        return original(wb, unit_id=unit_id, language=language)
    monkeypatch.setattr(editor_module, "unit_detail", counted)

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert gc.get_freeze_count() > 0
            screen = await _editor(pilot, query="module:m1")
            first = _units(app).current.unit_id
            assert read == [first] and screen.detail.unit_id == first
            read.clear()
            await pilot.press("ctrl+f")
            screen.query_one("#filter", Input).value = "module:m2"
            await pilot.press("enter")
            await settle(pilot)
            current = _units(app).current.unit_id
            assert current != first and read == [current] and screen.detail.unit_id == current
            read.clear()
            await pilot.press("alt+down")
            await settle(pilot)
            assert read == [_units(app).current.unit_id] != [current]
    run(go())


def test_a_check_filter_after_an_import_shows_at_once_and_follows_the_recheck(wb, monkeypatch):
    """What an import left stale is re-checked in a worker when the list filters by a check: the
    list shows at once (stored results), the filter bar says how far the re-check is, and the
    list is read again when it is done, matching a list read after a full re-check."""
    import asyncio
    import threading

    from workbench.services import checks
    from workbench.services.checks import check_project
    from workbench.services.open_issues import IssueSummary, open_issues
    from workbench.storage import repository as repo
    from workbench.tui import dashboard
    from workbench.tui import editor as editor_module

    check_project(wb)
    check = open_issues(wb).by_check("de")[0][0]
    with wb.store.transaction() as conn:                     # what an import of every file leaves
        for rid in conn.execute(repo.R.select().with_only_columns(repo.R.c.id)).scalars():
            repo.mark_checks_stale(conn, rid, ["de"])
    monkeypatch.setattr(checks, "RECHECK_PIECE_UNITS", 50)
    # the dashboard's own re-check left out: the editor's is watched
    monkeypatch.setattr(dashboard, "pending_checks", lambda wb_, **kwargs: 0)
    monkeypatch.setattr(dashboard, "open_issues", lambda wb_, **kwargs: IssueSummary())
    release = threading.Event()
    original = editor_module.recheck_pending

    def held(wb_, **kwargs):
        assert release.wait(30)
        return original(wb_, **kwargs)
    monkeypatch.setattr(editor_module, "recheck_pending", held)

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.open_editor(language="de", query=f"check:{check}")
            for _ in range(300):                                # (no settle: the re-check is held)
                await pilot.pause()
                screen = app.screen
                if isinstance(screen, EditorScreen) and "re-checking" in shown(screen.query_one("#filter-info")):
                    break
                await asyncio.sleep(0.01)
            assert isinstance(screen, EditorScreen) and _units(app).current is not None
            assert "re-checking what changed: 0 %" in shown(screen.query_one("#filter-info"))
            with wb.store.read() as conn:                       # the list did not re-check on the UI thread
                assert repo.stale_checks(conn) != {}
            release.set()
            await settle(pilot)
            with wb.store.read() as conn:
                assert repo.stale_checks(conn) == {}
            expected = browse.page(wb, language="de", filter=parse_filter(f"check:{check}"), limit=20)
            assert [r.key for r in _units(app).window.rows[:20]] == [r.key for r in expected]
            assert "re-checking" not in shown(screen.query_one("#filter-info"))
    run(go())


def test_what_the_unit_workers_build_is_frozen_out_of_the_collector(wb, monkeypatch):
    """The language's consistency index and the memory's index, built by the first unit's workers,
    are frozen (gc.freeze) so that no full collection walks them on the UI thread later."""
    import gc

    from workbench.tui import editor as editor_module
    monkeypatch.setattr(editor_module, "BUILT_AN_INDEX", -1.0)    # every call counts as a build here

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            gc.unfreeze()
            await _editor(pilot, query="module:m1")
            assert gc.get_freeze_count() > 0
            assert app.screen.checker is not None
    run(go())


def test_a_long_term_of_the_term_base_shows_whole(wb):
    """The term to type was cut at the panel's edge ('Soziales Unternehmen zur Arbeitsintegra…');
    a term line too long for the panel now wraps."""
    from textual.geometry import Region

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m1")
            await _goto_key(pilot, "m1/lesson-1/p1")
            await settle(pilot)
            terms = app.screen.query_one("#terms")
            drawn = " ".join(strip.text.strip() for strip in
                             terms.render_lines(Region(0, 0, terms.size.width, terms.size.height)))
            assert "Soziales Unternehmen zur Arbeitsintegration" in drawn, drawn
            assert "…" not in drawn
    run(go())


def test_without_a_deepl_key_the_suggestions_panel_says_so_plainly(tmp_path, monkeypatch):
    """With DeepL chosen and no key, the panel said 'ctrl+t asks machine translation' and ctrl+t
    only flashed an error for a few seconds; the panel now says why there is no machine translation."""
    wb = open_demo_with_deepl_and_no_key(tmp_path, monkeypatch)
    assert wb.settings.mt_provider == "deepl"

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m1 state:untranslated")
            panel = shown(app.screen.query_one("#suggestions"))
            assert "No machine translation (deepl):" in panel and "no DeepL key" in panel, panel
            assert "DEEPL_AUTH_KEY" in panel and "ctrl+t asks" not in panel
            await pilot.press("ctrl+t")                      # asking anyway: the panel still says why
            await settle(pilot)
            panel = shown(app.screen.query_one("#suggestions"))
            assert "no DeepL key" in panel and "asking" not in panel
    try:
        run(go())
    finally:
        wb.close()


def test_with_the_offline_provider_the_panel_offers_ctrl_t(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m1 state:untranslated")
            panel = shown(app.screen.query_one("#suggestions"))
            assert "ctrl+t asks machine translation" in panel and "No machine translation" not in panel
    run(go())


def test_a_translator_finds_the_rejected_unit_and_the_reviewers_comment(wb):
    """Nothing told a translator how to find what a reviewer sent back: the filter's hint now
    names is:commented, which lists it with the comment shown over the text."""
    from workbench.services import review

    key = "m1/lesson-1/p2"
    t = editing.get_translation(wb, resource="m1", key=key, language="de")
    editing.save_translation(wb, resource="m1", key=key, language="de", forms=("Zu kurz.",),
                             base_version=t.version)
    review.reject(as_user(wb, "rudi"), resource="m1", key=key, language="de", comment="Bitte ganz übersetzen.")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="")
            hint = screen.query_one("#filter", Input).placeholder
            assert "is:commented" in hint
            await pilot.press("ctrl+f", *"is:commented state:draft", "enter")
            await settle(pilot)
            assert _units(app).current.key == key
            assert "Reviewer rudi: Bitte ganz übersetzen." in shown(screen.query_one("#context"))
    run(go())


@pytest.mark.parametrize("size,list_width", [((120, 36), 44), ((80, 24), 29)])
def test_the_unit_list_leaves_room_for_the_text_on_a_small_terminal(wb, size, list_width):
    """At 80 columns the list kept its 44 cells and left 35 to the source and the translation."""
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=size) as pilot:
            screen = await _editor(pilot, query="module:m1")
            assert _units(app).outer_size.width == list_width
            assert screen.query_one("#detail").size.width >= size[0] - list_width - 1
            assert screen.query_one("#detail").size.width >= 50
    run(go())


def test_ctrl_l_inserts_a_term_of_the_term_base_at_the_cursor(wb):
    """The terms panel showed the German term to use but nothing typed it: ctrl+l inserts the only
    term at once, or the one chosen by its number."""
    from workbench.tui.dialogs import ChoiceScreen

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m3")
            await _goto_key(pilot, "m3/lesson-2/p1")        # coopératives, entreprises sociales
            await settle(pilot)
            terms = shown(screen.query_one("#terms"))
            assert "≡1 coopératives → Genossenschaft" in terms and "≡2 entreprises sociales" in terms
            await pilot.press("f7", *"Viele ", "ctrl+l")
            await settle(pilot)
            assert isinstance(app.screen, ChoiceScreen)
            await pilot.press("2")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            await pilot.press(*" und ", "ctrl+l", "1")
            await settle(pilot)
            assert _area(app).text == "Viele Sozialunternehmen und Genossenschaft"
            await pilot.press("ctrl+l", "escape")             # none chosen: nothing typed
            await settle(pilot)
            assert _area(app).text == "Viele Sozialunternehmen und Genossenschaft"
    run(go())


def test_a_homonym_in_the_source_shows_every_concept_that_has_the_term(wb):
    """A source term several concepts share (added with --homonym) showed only the first concept's
    terms; each concept now has its line, named by its id, and ctrl+l numbers them all."""
    from workbench.domain.terms import Concept, Term
    from workbench.services.terms import add_concept
    from workbench.tui.dialogs import ChoiceScreen

    add_concept(as_user(wb, "coordinator"),
                Concept("cooperative-bis", {"fr": (Term("coopérative"),), "de": (Term("Kooperative"),)}),
                homonyms=True)

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m3")
            await _goto_key(pilot, "m3/lesson-2/p1")        # coopératives, entreprises sociales
            await settle(pilot)
            terms = shown(screen.query_one("#terms"))
            assert "≡1 coopératives (cooperative) → Genossenschaft" in terms, terms
            assert "≡2 coopératives (cooperative-bis) → Kooperative" in terms, terms
            assert "≡3 entreprises sociales →" in terms, terms
            await pilot.press("f7", "ctrl+l")
            await settle(pilot)
            assert isinstance(app.screen, ChoiceScreen)
            await pilot.press("2")
            await settle(pilot)
            assert _area(app).text == "Kooperative"
    run(go())


def test_on_a_small_terminal_f4_reads_a_long_suggestion_whole_and_a_number_inserts_it(wb):
    """At 80×24 the suggestions panel cut a 300-character memory match to one line: it could not be
    read before F1 inserted it. F4 shows the suggestions whole in a dialog; 1 inserts, Esc closes."""
    from textual.geometry import Region

    from workbench.services import review
    from workbench.tui.dialogs import ReadTextsScreen

    long_text = ("Beobachtung, Gefühl, Bedürfnis und Bitte sind die vier Schritte der gewaltfreien "
                 "Kommunikation, die wir in diesem Modul gemeinsam üben, zuerst in kleinen Gruppen und "
                 "danach mit Beispielen aus dem Alltag der Sozialunternehmen, damit jede Person sie in "
                 "ihrer eigenen Arbeit anwenden kann, auch wenn ein Gespräch schwierig wird. Schlusswort")
    assert len(long_text) > 300
    resource, key = "m1-v2-communication-non-violente", "m1-v2-communication-non-violente/46"
    t = editing.get_translation(wb, resource=resource, key=key, language="de")
    t = editing.save_translation(wb, resource=resource, key=key, language="de", forms=(long_text,),
                                 base_version=t.version)
    review.approve(as_user(wb, "rudi"), resource=resource, key=key, language="de", base_version=t.version)

    def drawn(widget) -> str:
        return " ".join(strip.text.strip() for strip in
                        widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)))

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, "m1/quiz-1/q3/choice-b")        # Observation, sentiment, besoin, demande
            await settle(pilot)
            assert screen.suggestions and screen.suggestions[0].text == long_text
            assert "Schlusswort" not in drawn(screen.query_one("#suggestions"))     # cut to a line
            await pilot.press("f4")
            await settle(pilot)
            assert isinstance(app.screen, ReadTextsScreen)
            whole = drawn(app.screen.query_one(".read-text"))
            assert " ".join(long_text.split()) in " ".join(whole.split()), whole
            await pilot.press("escape")                            # closes, inserts nothing
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen) and _area(app).text == ""
            await pilot.press("f4", "1")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            assert _area(app).text == long_text
    run(go())


def test_the_read_texts_dialog_scrolls_from_the_keyboard_on_a_small_terminal(wb):
    """Three long suggestions do not fit 80×24: the dialog scrolls with PgDn, its key line stays."""
    from rich.text import Text
    from textual.containers import VerticalScroll

    from workbench.tui.dialogs import ReadTextsScreen

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(ReadTextsScreen("Suggestions", [Text("Wort " * 70 + f"Ende{n}") for n in range(3)],
                                            hint="Esc closes"))
            await settle(pilot)
            box = app.screen.query_one("#read-texts", VerticalScroll)
            assert box.max_scroll_y > 0 and box.scroll_y == 0
            await pilot.press("pagedown")
            await settle(pilot)
            assert box.scroll_y > 0
            keys = app.screen.query_one("#read-texts-keys")
            assert keys.region.bottom <= 24 and keys.region.height == 1
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
    run(go())


def test_on_a_small_terminal_ctrl_down_scrolls_the_source_to_its_end(wb):
    """At 80x24 the source box cut a long paragraph before its end, its note and its terms, and it
    cannot take the focus: nothing on the keyboard showed the rest."""
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _editor(pilot, query="module:m3")
            await _goto_key(pilot, "m3/lesson-2/p1")
            await settle(pilot)
            box = screen.query_one("#source-box")
            assert box.max_scroll_y > 0 and box.scroll_y == 0
            for _ in range(10):
                await pilot.press("ctrl+down")
            await settle(pilot)
            assert box.scroll_y == box.max_scroll_y
            assert app.focused is _area(app)                 # still typing in the translation
            await pilot.press("ctrl+up")
            await settle(pilot)
            assert box.scroll_y == box.max_scroll_y - 3
    run(go())


def test_the_history_panel_shows_a_cleared_text_without_a_dangling_colon(wb):
    from workbench.services import history

    key = "m1/lesson-1/p2"
    t = editing.get_translation(wb, resource="m1", key=key, language="de")
    history.revert(wb, resource="m1", key=key, language="de", to_version=0, base_version=t.version)

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, key)
            await settle(pilot)
            lines = shown(screen.query_one("#history")).splitlines()
            newest = lines[1]
            assert "→ untranslated" in newest and "untranslated:" not in newest, newest
    run(go())


def test_keys_typed_right_after_opening_the_editor_go_to_the_translation(wb):
    """Enter on the dashboard then typing at once replaced the filter's text ('module:m1') with the
    words meant for the translation: the filter, first in the layout, had the focus until the text
    area was made after the first refresh. The text area has it as soon as the screen is mounted."""
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = EditorScreen(language="de", query="module:m1")
            await app.push_screen(screen)                     # mounted; nothing refreshed yet
            assert screen.focused is screen.form_areas[0]
            await pilot.press(*"Viele")
            await settle(pilot)
            assert screen.query_one("#filter", Input).value == "module:m1"
            assert _area(app).text.startswith("Viele")
    run(go())


def test_an_editor_the_user_may_not_save_in_says_so_when_it_opens(wb):
    """A German translator in the English editor learnt it only at the first save, after typing."""
    from workbench.services.users import add_user

    add_user(wb, "coco", role="coordinator")
    add_user(as_user(wb, "coco"), "tina", role="translator", languages=["de"])
    told: list[str] = []

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.notify = lambda message, **kw: told.append(message)
            screen = await _editor(pilot, language="en", query="module:m1")
            await settle(pilot)
            assert "read-only" in shown(screen.query_one("#filter-info"))
            assert any("tina may not edit en" in m for m in told), told
            await pilot.press("escape")
            await settle(pilot)
            screen = await _editor(pilot, language="de", query="module:m1")
            await settle(pilot)
            assert "read-only" not in shown(screen.query_one("#filter-info"))
    run(go())


def test_next_issue_goes_round_to_the_first_one_after_the_last(wb):
    """After the last unit with an issue, ctrl+g only said 'no issue after this unit', though the
    list had issues above."""
    from workbench.services.checks import check_project

    check_project(wb, languages=["de"])
    f = parse_filter("module:m1").with_(checks=tuple(_all_checks()))
    with_issues = browse.page(wb, language="de", filter=f, limit=500)
    assert len(with_issues) >= 2

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _editor(pilot, query="module:m1")
            units = _units(app)
            while units.current.key != with_issues[-1].key:      # the last unit with an issue
                assert units.step(1)
            await settle(pilot)
            await pilot.press("ctrl+g")
            await settle(pilot)
            assert units.current.key == with_issues[0].key
    run(go())


@pytest.mark.parametrize("wide", [False, True])
def test_dialogs_fit_an_80_column_terminal(wb, wide):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=(80, 24)) as pilot:
            await _editor(pilot, query="module:m1")
            if wide:
                await pilot.press("ctrl+r")                   # the history: a wide dialog
            else:
                await pilot.press(*"x", "escape")               # unsaved changes
            await settle(pilot)
            dialog = app.screen.query_one(".dialog")
            assert dialog.outer_size.width <= 80 and dialog.region.right <= 80
    run(go())


def test_the_palette_key_ends_the_footer_on_a_small_terminal(wb):
    """At 80 columns the footer's last cell showed a letter of a key under it ('^p paletteN')."""
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=(80, 24)) as pilot:
            await _editor(pilot, query="module:m1")
            key = app.screen.query_one("FooterKey.-command-palette")
            assert key.region.right == 80
    run(go())


async def _type_fresh(pilot, text: str) -> TextArea:
    """The translation of the current unit replaced by `text`, typed key by key."""
    area = _area(pilot.app)
    area.clear()
    await pilot.press(*text)
    await settle(pilot)
    return area


def test_f5_applies_the_live_fix_without_saving_and_ctrl_z_undoes_it(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, "m1/lesson-1/p2")
            before = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            area = await _type_fresh(pilot, "Guten  Tag")
            live = shown(screen.query_one("#live"))
            assert "double-space (F5 fixes)" in live
            await pilot.press("f5")
            await settle(pilot)
            assert area.text == "Guten Tag"
            assert "double-space" not in shown(screen.query_one("#live"))
            assert "unsaved" in shown(screen.query_one("#live"))
            after = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p2", language="de")
            assert after.version == before.version and after.text == before.text
            await pilot.press("ctrl+z")
            assert area.text == "Guten  Tag"
    run(go())


def test_f5_removes_a_control_character(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, "m1/lesson-1/p1")
            before = editing.get_translation(wb, resource="m1", key="m1/lesson-1/p1", language="de")
            area = _area(app)
            area.insert("Hallo\x1b[31m Welt")           # pasted, escape sequence and all
            await settle(pilot)
            assert "control-chars (F5 fixes)" in shown(screen.query_one("#live"))
            await pilot.press("f5")
            await settle(pilot)
            assert area.text == "Hallo Welt"                # the whole escape sequence goes
            assert "control-chars" not in shown(screen.query_one("#live"))
            assert editing.get_translation(wb, resource="m1", key="m1/lesson-1/p1", language="de") == before
            await pilot.press("ctrl+z")
            assert area.text == "Hallo\x1b[31m Welt"
    run(go())


def test_f5_fixes_the_plural_form_the_issue_is_about(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, language="es", query="module:m2")
            await _goto_key(pilot, "m2/quiz-1/result")
            one, other = app.screen.form_areas
            one.load_text("Has acertado %(count)d pregunta de %(total)d.")
            other.load_text("Has acertado %(count)d  preguntas de %(total)d.")
            one.focus()
            await settle(pilot)
            assert "double-space [form 1] (F5 fixes)" in shown(screen.query_one("#live"))
            await pilot.press("f5")
            await settle(pilot)
            assert one.text == "Has acertado %(count)d pregunta de %(total)d."
            assert other.text == "Has acertado %(count)d preguntas de %(total)d."
    run(go())


def test_f5_without_a_fixable_issue_changes_nothing_and_says_so(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, "m1/lesson-1/p1")
            area = await _type_fresh(pilot, "Hallo Welt")
            assert "F5 fixes" not in shown(screen.query_one("#live"))
            await pilot.press("f5")
            await settle(pilot)
            assert area.text == "Hallo Welt"
            assert [n.message for n in app._notifications if "fix" in n.message] == [
                "Nothing to fix: no issue of this text has a suggested fix."]
    run(go())


def test_f5_fixes_the_issue_at_the_cursor_first(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _editor(pilot, query="module:m1")
            await _goto_key(pilot, "m1/lesson-1/p1")
            area = await _type_fresh(pilot, "Guten  Tag ")
            live = shown(screen.query_one("#live"))
            assert live.index("trailing-space (F5") < live.index("double-space (F5")
            await pilot.press("home", *["right"] * 6, "f5")    # the cursor in the double space
            await settle(pilot)
            assert area.text == "Guten Tag "
            await pilot.press("home", "f5")              # no issue at the cursor: the first one listed
            await settle(pilot)
            assert area.text == "Guten Tag"
    run(go())

"""The dashboard driven by the Pilot: progress and issues, and long work (check, import, pre-translate) in workers."""

from __future__ import annotations

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable, ProgressBar

from tests.conftest import copy_demo
from tests.tui_support import SIZE, open_demo, open_demo_with_deepl_and_no_key, run, settle, shown
from workbench.domain.query import parse_filter
from workbench.services import browse
from workbench.services.checks import check_project
from workbench.services.open_issues import open_issues
from workbench.services.status import compute_status
from workbench.tui.app import WorkbenchApp
from workbench.tui.dashboard import DashboardScreen
from workbench.tui.dialogs import ConfirmScreen
from workbench.tui.editor import EditorScreen
from workbench.tui.progress import ProgressScreen


@pytest.fixture
def wb(tmp_path):
    wb = open_demo(copy_demo(tmp_path / "demo"))
    yield wb
    wb.close()


def _table(app) -> DataTable:
    return app.screen.query_one("#progress", DataTable)


def _cell_text(table: DataTable, row: str, column: str) -> str:
    return table.get_cell(row, column).plain


def test_progress_numbers_are_the_status_service_numbers(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = _table(app)
            report = compute_status(wb)
            # the source language's row: what there is to translate, all 13 languages shown
            assert len(table.rows) == 13
            source = _cell_text(table, "fr", "m1")
            assert f"{report.get('en', 'm1').words} words" in source
            for language in report.languages:
                row = report.get(language, "m1")
                cell = _cell_text(table, language, "m1")
                assert f"{row.counts['approved']}✓ {row.counts['translated']}● {row.counts['draft']}✎" in cell
                waiting = report.total(language).counts["translated"]
                assert _cell_text(table, language, "review").strip() == (str(waiting) if waiting else "·")
    run(go())


def test_check_runs_in_a_worker_and_the_issues_show(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, ProgressScreen)
            assert app.screen.done and app.screen.ok
            bar = app.screen.query_one("#progress-bar", ProgressBar)
            assert bar.progress == bar.total
            assert "issue(s)" in shown(app.screen.query_one("#progress-summary"))
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            issues = open_issues(wb)
            table = _table(app)
            de_total = issues.total("de")
            assert de_total > 0
            assert _cell_text(table, "de", "issues").split()[0] == str(de_total)
            table.cursor_coordinate = Coordinate(2, 1)
            await settle(pilot)
            line = shown(app.screen.query_one("#issues"))
            assert line.startswith("de open issues:")
            check, _, n = issues.by_check("de")[0]
            assert f"{check} {n}" in line
            # Enter on the issues cell: the editor on the units with those issues
            table.cursor_coordinate = Coordinate(2, len(table.columns) - 1)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen)
            query = app.screen.query_text
            assert query.startswith("check:")
            units = app.screen.query_one("#units")
            assert units.total == browse.count(wb, language="de", filter=parse_filter(query)) > 0
    run(go())


def test_pretranslate_asks_first_then_writes_drafts(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = _table(app)
            table.cursor_coordinate = Coordinate(3, 1)               # nl, m1 (row 0 is the source)
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert compute_status(wb).get("nl", "m1").counts["draft"] == 0
            await pilot.press("p")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, ProgressScreen) and app.screen.ok
            await pilot.press("escape")
            await settle(pilot)
            row = compute_status(wb).get("nl", "m1")
            assert row.counts["draft"] == row.units
            assert compute_status(wb).get("nl", "m2").counts["draft"] == 0
            assert f"{row.counts['draft']}✎" in _cell_text(table, "nl", "m1")
    run(go())


def test_import_runs_in_a_worker_with_progress(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ProgressScreen) and screen.ok
            summary = shown(screen.query_one("#progress-summary"))
            assert "unchanged since the last import" in summary
            assert shown(screen.query_one("#progress-step")) == "finished"
    run(go())


def test_a_failing_job_says_why_and_keeps_the_ui(wb):
    from workbench.domain.errors import WorkbenchError

    def job(progress):
        progress(1, 3, "first step")
        raise WorkbenchError("locales/m9.pot:3: something is wrong")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(ProgressScreen("Broken", job))
            await settle(pilot)
            assert app.screen.done and not app.screen.ok
            assert "locales/m9.pot:3: something is wrong" in shown(app.screen.query_one("#progress-summary"))
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
    run(go())


def test_issues_counts_follow_check_project(wb):
    check_project(wb, languages=["de"])
    issues = open_issues(wb, languages=["de"])
    assert issues.total("de") == sum(n for _, _, n in issues.by_check("de"))


def test_closing_the_dialog_leaves_the_work_running(wb):
    import threading

    release = threading.Event()
    finished = []

    def job(progress):
        progress(1, 2, "waiting")
        assert release.wait(30)
        finished.append(True)
        return ["all done"]

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            refreshed = []
            app.push_screen(ProgressScreen("Slow work", job, on_done=lambda: refreshed.append(True)))
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)       # the UI is free while the job runs
            await pilot.press("down")
            release.set()
            await settle(pilot)
            assert finished and refreshed
            assert any(n.message == "Slow work: done" for n in app._notifications)
    run(go())


def test_after_a_big_import_the_table_shows_first_and_the_counts_follow_the_recheck(wb, monkeypatch):
    """Results an import left stale are re-checked in a worker, with its progress on the issues
    line; the progress table does not wait for it, and the issue counts come when it is done."""
    import asyncio
    import threading

    from workbench.services import checks
    from workbench.storage import repository as repo
    from workbench.tui import dashboard

    check_project(wb)
    expected = open_issues(wb)
    with wb.store.transaction() as conn:                     # what a first import of a big course leaves
        for rid in conn.execute(repo.R.select().with_only_columns(repo.R.c.id)).scalars():
            repo.mark_checks_stale(conn, rid, wb.settings.target_languages)
    monkeypatch.setattr(checks, "RECHECK_PIECE_UNITS", 100)  # several pieces, each reporting progress
    release = threading.Event()
    steps: list[tuple[int, int]] = []
    original = dashboard.recheck_pending

    def held(wb_, **kwargs):
        assert release.wait(30)
        shown_progress = kwargs["progress"]

        def progress(done, total):
            steps.append((done, total))
            shown_progress(done, total)
        return original(wb_, **dict(kwargs, progress=progress))
    monkeypatch.setattr(dashboard, "recheck_pending", held)

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(200):                                # (no settle: the re-check is held)
                await pilot.pause()
                if app.screen.query("#progress") and _table(app).row_count == 13:
                    break
                await asyncio.sleep(0.01)
            table = _table(app)
            report = compute_status(wb)
            assert f"{report.get('de', 'm1').counts['approved']}✓" in _cell_text(table, "de", "m1")
            assert _cell_text(table, "de", "issues").strip() == "…"
            assert shown(app.screen.query_one("#issues")).startswith("Checking what the import changed: 0 %")
            await pilot.press("enter")                          # (on a module cell: the editor opens)
            await pilot.pause()
            await pilot.press("escape")
            release.set()
            await settle(pilot)
            assert len(steps) > 1 and steps[-1][0] == steps[-1][1]
            assert [d for d, _ in steps] == sorted(d for d, _ in steps)
            with wb.store.read() as conn:
                assert repo.stale_checks(conn) == {}
            table = _table(app)
            for language in wb.settings.target_languages:
                total = expected.total(language)
                assert _cell_text(table, language, "issues").split()[:1] == ([str(total)] if total else ["·"])
            table.cursor_coordinate = Coordinate(2, 1)
            await pilot.pause()
            assert shown(app.screen.query_one("#issues")).startswith("de open issues:")
    run(go())


def test_language_keys_on_the_source_row_say_why_nothing_opens(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = _table(app)
            table.cursor_coordinate = Coordinate(0, 1)               # the source language's row
            for key in ("enter", "e", "v", "s", "t", "p"):
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, DashboardScreen), key
            said = [n.message for n in app._notifications]
            assert said and all("fr is the source language" in m for m in said)
    run(go())


def test_the_cursor_starts_on_the_users_own_language(wb):
    """A German translator's dashboard opened on English: Enter led to an editor where every save
    was refused. The cursor now starts on the first language the user translates or reviews."""
    from workbench.services.users import add_user
    from tests.tui_support import as_user

    add_user(wb, "coco", role="coordinator")
    add_user(as_user(wb, "coco"), "tina", role="translator", languages=["de"])

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = _table(app)
            assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "de"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen) and app.screen.language == "de"
    run(go())


def test_status_by_kind_adds_up_to_the_status_by_module(wb):
    from workbench.domain.units import UnitKind
    from workbench.services.status import KIND_COLUMNS

    by_module = compute_status(wb)
    by_kind = compute_status(wb, by="kind")
    assert by_kind.modules == list(KIND_COLUMNS)
    for language in by_module.languages:
        assert by_kind.total(language).counts == by_module.total(language).counts
        assert by_kind.total(language).units == by_module.total(language).units
    cues = browse.count(wb, language="de", filter=parse_filter("kind:subtitle"))
    assert by_kind.get("de", "subtitle").units == cues
    approved_quiz = browse.count(wb, language="de", filter=parse_filter("kind:quiz state:approved"))
    assert by_kind.get("de", "quiz").counts["approved"] == approved_quiz
    assert {k.family for k in UnitKind} == set(KIND_COLUMNS)


def test_k_shows_the_columns_by_kind_and_enter_opens_that_kind(wb):
    """The coordinator could see progress per language and module, not per kind of content
    (lesson texts, quizzes, subtitles): k switches the columns."""
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("k")
            await settle(pilot)
            table = _table(app)
            report = compute_status(wb, by="kind")
            for kind in ("text", "quiz", "subtitle"):
                row = report.get("de", kind)
                cell = _cell_text(table, "de", kind)
                assert f"{row.counts['approved']}✓ {row.counts['translated']}● {row.counts['draft']}✎" in cell
            table.cursor_coordinate = Coordinate(list(table.rows).index("de"), 2)    # de, quizzes
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen) and app.screen.query_text == "kind:quiz"
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("k")                                   # back to modules
            await settle(pilot)
            assert _cell_text(_table(app), "de", "m1")
    run(go())


def test_pretranslate_without_a_deepl_key_says_so_before_asking(tmp_path, monkeypatch):
    """With DeepL and no key, p asked 'Pre-translate nl with deepl?' and failed only after y."""
    wb = open_demo_with_deepl_and_no_key(tmp_path, monkeypatch)
    told: list[str] = []

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            monkeypatch.setattr(app, "notify", lambda message, **kw: told.append(message))
            _table(app).cursor_coordinate = Coordinate(3, 1)          # nl, m1
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            assert any("no DeepL key" in m and "DEEPL_AUTH_KEY" in m for m in told), told
    try:
        run(go())
    finally:
        wb.close()


def test_a_job_refused_at_once_does_not_look_still_at_work(wb):
    """An export refused to a translator showed the rule under a bar still sweeping ('--%'), as if
    the work went on."""
    from workbench.domain.errors import WorkbenchError

    def job(progress):
        raise WorkbenchError("tina may not export: only a coordinator does that")

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(ProgressScreen("Export translations", job))
            await settle(pilot)
            assert not app.screen.query_one("#progress-bar", ProgressBar).display
            assert shown(app.screen.query_one("#progress-step")).startswith("stopped")
    run(go())


def test_pretranslate_counts_in_a_worker_and_a_second_p_starts_no_second_count(wb, monkeypatch):
    """p ran the dry run (every unit read) on the UI thread: at a million translations the UI paused."""
    import threading

    import workbench.services.pretranslate as service

    real = service.pretranslate
    release = threading.Event()
    counts: list[str] = []
    told: list[str] = []

    def counting(wb, **kwargs):
        if kwargs.get("dry_run"):
            counts.append(threading.current_thread().name)
            release.wait(30)            # (only a guard against a hang: the test releases it)
        return real(wb, **kwargs)

    monkeypatch.setattr(service, "pretranslate", counting)

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            monkeypatch.setattr(app, "notify", lambda message, **kw: told.append(message))
            _table(app).cursor_coordinate = Coordinate(3, 1)          # nl, m1
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)            # the UI answers while it counts
            assert any("Counting" in m for m in told), told
            await pilot.press("p")
            await pilot.pause()
            release.set()
            await settle(pilot)
            assert len(counts) == 1, counts
            assert counts[0] != threading.main_thread().name
            assert isinstance(app.screen, ConfirmScreen)
            assert len(app.screen_stack) == 3                         # one dialog, not two
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
    run(go())


def test_keys_typed_before_the_dashboard_shows_its_data_are_not_its_shortcuts(wb, monkeypatch):
    """Keys typed while the app started went to the dashboard's shortcuts: c started a check of every
    translation, i an import, before anyone saw the dashboard. They are dropped now, and said so."""
    import threading

    import workbench.tui.dashboard as dashboard

    real = dashboard.compute_status
    release = threading.Event()
    told: list[str] = []

    def slow(wb, **kwargs):
        release.wait(30)                # (only a guard against a hang: the test releases it)
        return real(wb, **kwargs)

    monkeypatch.setattr(dashboard, "compute_status", slow)

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            monkeypatch.setattr(app, "notify", lambda message, **kw: told.append(message))
            assert isinstance(app.screen, DashboardScreen) and app.screen.report is None
            await pilot.press("c", "i", "e")
            await pilot.pause()
            release.set()
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen) and app.screen.report is not None
            assert len(app.screen_stack) == 2                       # nothing opened, then or after
            assert any("still loading" in m for m in told), told
            await pilot.press("c")                                  # once shown, its keys work
            await settle(pilot)
            assert isinstance(app.screen, ProgressScreen)
    run(go())

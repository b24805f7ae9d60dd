"""The dashboard: languages × modules with progress bars and numbers, and what awaits review."""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual._time import get_time          # the clock of Textual's events (Key.time)
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from workbench.domain.languages import display_name
from workbench.domain.states import State
from workbench.domain.checks.base import Severity
from workbench.domain.errors import WorkbenchError
from workbench.services.open_issues import IssueSummary, open_issues, pending_checks, recheck_pending
from workbench.services.status import StatusReport, compute_status
from workbench.services.users import own_languages
from workbench.tui.live import SEVERITY_GLYPHS, SEVERITY_STYLES
from workbench.tui.widgets import KeyFooter, STATE_GLYPHS, STATE_ORDER, STATE_STYLES, state_bar, visible

REVIEW_COLUMN = "review"
ISSUES_COLUMN = "issues"
ALL_COLUMN = "*"
#: Keys taken even before the first data shows: quitting a slow start.
KEYS_WHILE_LOADING = frozenset({"ctrl+q", "ctrl+c"})
#: The column titles of the view by kind (services.status.KIND_COLUMNS).
KIND_TITLES = {"text": "lesson texts", "quiz": "quizzes", "subtitle": "subtitles"}


class DashboardScreen(Screen):
    """Progress of every language in every module; Enter opens the editor (or the review queue) on a cell."""

    BINDINGS = [
        Binding("enter", "open", "Open", priority=True, tooltip="Open the cell (editor, review queue or issues)"),
        Binding("e", "editor", "Editor"),
        Binding("v", "review", "Review"),
        Binding("s", "subtitles", "Subtitles"),
        Binding("t", "termbase", "Terms"),
        Binding("c", "check", "Check"),
        Binding("p", "pretranslate", "Pretranslate"),
        Binding("i", "import_files", "Import"),
        Binding("x", "export_files", "Export"),
        Binding("r", "refresh", "Refresh"),
        Binding("k", "by_kind", "Modules/kinds", show=False,
                tooltip="Columns by kind (lesson texts, quizzes, subtitles) or by module"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: StatusReport | None = None
        #: the stored issue counts; None while they are not known (an import left results to re-check)
        self.issues: IssueSummary | None = IssueSummary()
        #: (units done, units in all) while a re-check runs in the background
        self.rechecking: tuple[int, int] | None = None
        #: the columns: "module" (one per module) or "kind" (lesson texts, quizzes, subtitles)
        self.by = "module"
        #: the first language the user translates or reviews ("" for none), where the cursor starts
        self.home: str | None = None
        #: when the first data was on screen (Key.time's clock); a key pressed before is not taken:
        #: typed while the app started, it would open a screen or start an import unseen
        self.keys_from: float | None = None
        self._told_loading = False
        #: a pre-translation's dry run is counting in a worker (a second p meanwhile starts none)
        self.counting_pretranslation = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dashboard"):
            yield Static(id="dashboard-title")
            yield DataTable(id="progress", cursor_type="cell", zebra_stripes=True, header_height=2)
            yield Static(id="issues")
            yield Static(id="legend")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        wb = self.app.wb
        self.sub_title = visible(f"dashboard · {wb.user}")
        title = Text(wb.settings.name, style="bold")
        backend = wb.store.engine.dialect.name
        title.append(f"  ·  source {wb.settings.source_language}  ·  {backend} database", style="dim")
        self.query_one("#dashboard-title", Static).update(title)
        legend = Text("  ")
        for state in STATE_ORDER:
            legend.append(f"{STATE_GLYPHS[state]} ", style=STATE_STYLES[state])
            legend.append(f"{state.value}   ")
        legend.append("   review: awaiting a reviewer   k: modules ⇄ kinds", style="dim")
        legend.append("\n  Enter on a module opens the editor on it; on “review”, the review queue; on “issues”, "
                      "the units with issues.", style="dim")
        self.query_one("#legend", Static).update(legend)
        self.warm_up()              # the status is loaded when the screen shows (on_screen_resume)

    @work(thread=True, group="warm-up")
    def warm_up(self) -> None:
        """Import the other screens while the user reads the dashboard, so that opening one is instant."""
        import workbench.tui.editor  # noqa: F401
        import workbench.tui.review  # noqa: F401
        import workbench.tui.subtitles  # noqa: F401
        import workbench.tui.termbase  # noqa: F401

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load_status()

    @work(thread=True, exclusive=True, group="status")
    def load_status(self) -> None:
        """The progress first; the issue counts with it, unless an import left results to re-check:
        then the table shows at once and the re-check runs in its own worker (recheck)."""
        wb = self.app.wb
        by = self.by
        report = compute_status(wb, by=by)
        pending = pending_checks(wb)
        issues = None if pending else open_issues(wb)
        if by != self.by:
            return                  # k was pressed meanwhile: the refresh it started draws the table
        if self.home is None:
            self.home = next(iter(own_languages(wb)), "")
        self.app.call_from_thread(self.show_status, report, issues)
        if pending:
            self.app.call_from_thread(self._start_recheck, pending)

    def _start_recheck(self, pending: int) -> None:
        if self.rechecking is None:          # (one at a time: a refresh meanwhile finds it running)
            self.rechecking = (0, pending)
            self._show_issues()
            self.recheck()

    @work(thread=True, group="recheck")
    def recheck(self) -> None:
        """Re-check what an import left stale, in short transactions, then count the issues."""
        worker = get_current_worker()
        wb = self.app.wb

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._recheck_progress, done, total)
        try:
            recheck_pending(wb, progress=progress, cancelled=lambda: worker.is_cancelled)
            issues = None if worker.is_cancelled else open_issues(wb)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._recheck_failed, str(exc))
            return
        if issues is not None:
            self.app.call_from_thread(self._issues_ready, issues)

    def _recheck_progress(self, done: int, total: int) -> None:
        self.rechecking = (done, total)
        self._show_issues()

    def _recheck_failed(self, message: str) -> None:
        self.rechecking = None
        self.notify(f"checks: {message}", severity="error", timeout=8)
        self._show_issues()

    def _issues_ready(self, issues: IssueSummary) -> None:
        self.rechecking = None
        self.issues = issues
        table = self.query_one("#progress", DataTable)
        if self.report is not None and table.row_count:
            for language in self.report.languages:
                table.update_cell(language, ISSUES_COLUMN, self._issues_cell(language))
        self._show_issues()

    def takes_key(self, event: events.Key) -> bool:
        """False for a key pressed before the first data was on screen (the app drops it, see
        WorkbenchApp.on_event), except the keys that quit; says once why nothing happened."""
        if event.key in KEYS_WHILE_LOADING or (self.keys_from is not None and event.time >= self.keys_from):
            return True
        if not self._told_loading and self.keys_from is None:
            self._told_loading = True
            self.notify("The dashboard is still loading: keys typed before it shows are ignored.", timeout=3)
        return False

    def _shown_first(self) -> None:
        if self.keys_from is None:
            self.keys_from = get_time()

    def show_status(self, report: StatusReport, issues: IssueSummary | None = None) -> None:
        """Draw the table; `issues` None: the counts are not known yet (a re-check is pending)."""
        if self.keys_from is None:
            self.call_after_refresh(self._shown_first)      # keys count from when the table is seen
        self.report = report
        self.issues = issues
        table = self.query_one("#progress", DataTable)
        old = table.cursor_coordinate if table.row_count else None
        table.clear(columns=True)
        wb = self.app.wb
        table.add_column("language", key="language", width=13)
        for module in report.modules:
            units = report.get(report.languages[0], module).units if report.languages else 0
            if self.by == "kind":
                header = Text(KIND_TITLES.get(module, module), style="bold")
            else:
                header = Text(f"{module} ", style="bold")
                header.append(wb.settings.module_title(module)[:13])
            header.append(f"\n{units} units", style="dim")
            table.add_column(header, key=module, width=18)
        table.add_column(Text("all modules", style="bold"), key=ALL_COLUMN, width=18)
        table.add_column(Text("review", style="bold"), key=REVIEW_COLUMN, width=6)
        table.add_column(Text("issues", style="bold"), key=ISSUES_COLUMN, width=9)
        source = wb.settings.source_language
        cells = [Text(f"{source}  {display_name(source)}", style="bold")]
        for module in report.modules + [ALL_COLUMN]:
            row = report.total(report.languages[0]) if module == ALL_COLUMN else report.get(report.languages[0], module)
            cells.append(Text(f"source text\n{row.words} words", style="dim"))
        cells += [Text(""), Text("")]
        table.add_row(*cells, key=source, height=2)
        for language in report.languages:
            cells: list = [Text(f"{language}  {display_name(language)}")]
            total = report.total(language)
            for module in report.modules + [ALL_COLUMN]:
                row = total if module == ALL_COLUMN else report.get(language, module)
                cells.append(self._cell(row.counts, row.units))
            waiting = total.counts[State.TRANSLATED.value]
            cells.append(Text(f"{waiting:>5}" if waiting else "    ·", style="bold cyan" if waiting else "dim"))
            cells.append(self._issues_cell(language))
            table.add_row(*cells, key=language, height=2)
        if old is not None:
            table.cursor_coordinate = old
        elif self.app.language in report.languages:
            table.cursor_coordinate = Coordinate(report.languages.index(self.app.language) + 1, 1)
        elif self.home in report.languages:
            table.cursor_coordinate = Coordinate(report.languages.index(self.home) + 1, 1)
        else:
            table.cursor_coordinate = Coordinate(1, 1)
        self._show_issues()

    def _issues_cell(self, language: str) -> Text:
        if self.issues is None:
            return Text("      …", style="dim")
        errors = self.issues.total(language, Severity.ERROR)
        total = self.issues.total(language)
        if not total:
            return Text("      ·", style="dim")
        out = Text(f"{total:>5}", style="bold yellow")
        if errors:
            out.append(f"\n{errors:>3} err", style="bold red")
        return out

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._show_issues()

    def _show_issues(self) -> None:
        """Open issues per check for the language under the cursor (stored by the checks)."""
        cell = self._cell_at_cursor()
        out = Text(end="", no_wrap=True, overflow="ellipsis")
        if self.issues is None:
            if self.rechecking is not None:
                done, total = self.rechecking
                out.append(f"Checking what the import changed: {100 * done // max(total, 1)} % of "
                           f"{total:,} units × languages", style="bold yellow")
                out.append(" · issue counts follow when it is done", style="dim")
            else:
                out.append("counting issues…", style="dim italic")
        elif cell is not None:
            language = cell[0]
            found = self.issues.by_check(language)
            out.append(f"{language} open issues: ", style="bold")
            if not found:
                out.append("none stored (c checks everything)", style="dim")
            for i, (check, severity, n) in enumerate(found):
                out.append(" · " if i else "", style="dim")
                level = Severity(severity)
                out.append(f"{SEVERITY_GLYPHS[level]} {check} {n}", style=SEVERITY_STYLES[level])
        self.query_one("#issues", Static).update(out)

    @staticmethod
    def _cell(counts: dict[str, int], units: int) -> Text:
        bar = state_bar(counts, width=16)
        done = counts[State.APPROVED.value] + counts[State.TRANSLATED.value]
        pct = 100 * done / units if units else 0
        line = Text(f"\n{pct:3.0f}% ", style="bold")
        for state in STATE_ORDER[:3]:
            line.append(f"{counts[state.value]}{STATE_GLYPHS[state]} ", style=STATE_STYLES[state])
        return bar + line

    # -- choosing a cell ------------------------------------------------------------------------

    def _cell_at_cursor(self) -> tuple[str, str] | None:
        """(language, column key) under the cursor."""
        table = self.query_one("#progress", DataTable)
        if self.report is None or not table.row_count:
            return None
        row_key, column_key = table.coordinate_to_cell_key(table.cursor_coordinate)
        if str(row_key.value) == self.app.wb.settings.source_language:
            return None     # the source language's row only shows what there is to translate
        return str(row_key.value), str(column_key.value)

    def _chosen_cell(self) -> tuple[str, str] | None:
        """The cell under the cursor for a key that works on a language; on the source row, says why not."""
        cell = self._cell_at_cursor()
        if cell is None and self.report is not None:
            source = self.app.wb.settings.source_language
            self.notify(f"{source} is the source language: choose the row of a language to translate into (↑↓).",
                        timeout=3)
        return cell

    def action_open(self) -> None:
        cell = self._chosen_cell()
        if cell is None:
            return
        language, column = cell
        if column == REVIEW_COLUMN:
            self.app.open_review(language=language)
        elif column == ISSUES_COLUMN:
            if self.issues is None:
                self.notify("The issue counts are not ready yet: the checks are still going through "
                            "what the import changed.", timeout=4)
                return
            checks = self.issues.checks(language)
            if not checks:
                self.notify(f"No stored issue in {language}.", timeout=3)
                return
            self.app.open_editor(language=language, query="check:" + ",".join(checks))
        elif column in (ALL_COLUMN, "language"):
            self.app.open_editor(language=language)
        elif self.by == "kind":
            self.app.open_editor(language=language, query=f"kind:{column}")
        else:
            self.app.open_editor(language=language, query=f"module:{column}")

    def action_by_kind(self) -> None:
        """Switch the columns between modules and kinds of content; the cursor keeps its row."""
        self.by = "kind" if self.by == "module" else "module"
        self.notify("Columns by kind: lesson texts, quizzes, subtitles (k: by module)" if self.by == "kind"
                    else "Columns by module (k: by kind)", timeout=2)
        self.action_refresh()

    def action_editor(self) -> None:
        cell = self._chosen_cell()
        if cell is not None:
            self.app.open_editor(language=cell[0])

    def action_review(self) -> None:
        cell = self._chosen_cell()
        if cell is not None:
            self.app.open_review(language=cell[0])

    def action_subtitles(self) -> None:
        cell = self._chosen_cell()
        if cell is not None:
            self.app.open_subtitles(language=cell[0])

    def action_termbase(self) -> None:
        cell = self._chosen_cell()
        if cell is not None:
            self.app.open_termbase(language=cell[0])

    # -- long work ------------------------------------------------------------------------------

    def action_import_files(self) -> None:
        from workbench.services.importing import import_project
        from workbench.tui.progress import ProgressScreen

        wb = self.app.wb

        def job(progress) -> list[str]:
            report = import_project(wb, progress=progress)
            lines = []
            for f in report.files:
                if f.error:
                    lines.append(f"✗ {f.error}")
                elif not f.skipped:
                    unapproved = f" ({f.unapproved_summary})" if f.unapproved else ""
                    lines.append(f"{f.path}: {f.units_summary}, {f.updated} translations updated{unapproved}")
                    lines.extend(f"  warning: {w}" for w in f.warnings)
            skipped = sum(1 for f in report.files if f.skipped)
            lines.append(f"{len(report.files)} files read, {skipped} unchanged since the last import, "
                         f"{len(report.errors)} refused")
            return lines

        self.app.push_screen(ProgressScreen("Import the project's files", job, on_done=self.action_refresh))

    def action_check(self) -> None:
        from workbench.services.checks import check_project
        from workbench.tui.progress import ProgressScreen

        wb = self.app.wb

        def job(progress) -> list[str]:
            progress(0, 1, "checking every translation…")
            report = check_project(wb)
            progress(1, 1, "done")
            lines = [f"{check}: {n} {severity}" for check, severity, n in report.summary()]
            lines.append(f"{len(report.issues)} issue(s), {report.errors} error(s) in {report.checked} translations")
            return lines

        self.app.push_screen(ProgressScreen("Check every translation", job, on_done=self.action_refresh))

    def action_pretranslate(self) -> None:
        """Count what the cell lacks in a worker (a dry run reads every unit: a pause at a million
        translations); the confirmation shows once the count is known."""
        cell = self._chosen_cell()
        if cell is None:
            return
        if self.counting_pretranslation:
            self.notify("Still counting what there is to pre-translate…", timeout=3)
            return
        language = cell[0]
        column = cell[1] if cell[1] in (self.report.modules if self.report else []) else None
        modules = [column] if column and self.by == "module" else None
        kinds = [column] if column and self.by == "kind" else None
        self.counting_pretranslation = True
        self.notify(f"Counting what there is to pre-translate in {language}…", timeout=3)
        self.count_pretranslation(language, modules, kinds)

    @work(thread=True, group="pretranslate-count")
    def count_pretranslation(self, language: str, modules: list[str] | None, kinds: list[str] | None) -> None:
        from workbench.services.pretranslate import machine_unavailable, pretranslate

        wb = self.app.wb
        try:
            plan = pretranslate(wb, languages=[language], modules=modules, kinds=kinds, dry_run=True)
            problem = machine_unavailable(wb) if plan.units else None   # (no DeepL key: said now, not after y)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._pretranslation_counted, None)
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=8)
            return
        self.app.call_from_thread(self._pretranslation_counted, (language, modules, kinds, plan, problem))

    def _pretranslation_counted(self, counted: tuple | None) -> None:
        from workbench.services.pretranslate import pretranslate
        from workbench.tui.dialogs import ConfirmScreen
        from workbench.tui.progress import ProgressScreen

        self.counting_pretranslation = False
        if counted is None:
            return
        language, modules, kinds, plan, problem = counted
        if plan.units == 0:
            self.notify(f"Nothing to pre-translate in {language}: every unit has a text.", timeout=4)
            return
        if problem:
            self.notify(f"Pre-translate: no machine translation ({plan.provider}): {problem}",
                        severity="error", timeout=10)
            return
        if self.app.screen is not self:
            return                  # the user went elsewhere while it counted: no dialog over another screen
        wb = self.app.wb
        where = (f"module {modules[0]}" if modules else f"{KIND_TITLES[kinds[0]]}, all modules" if kinds
                 else "all modules")

        def job(progress) -> list[str]:
            report = pretranslate(wb, languages=[language], modules=modules, kinds=kinds, progress=progress)
            lines = [f"{lang}: {n} drafts written" for lang, n in report.translated.items()]
            lines += [f"kept {key} [{lang}]: {why}" for lang, _, key, why in report.kept[:5]]
            lines.append(f"{report.billed_characters:,} characters billed by {report.provider}")
            return lines

        def confirmed(yes: bool) -> None:
            if yes:
                self.app.push_screen(ProgressScreen(f"Pre-translate {language} ({where})", job,
                                                    on_done=self.action_refresh))

        self.app.push_screen(ConfirmScreen(
            f"Pre-translate {language} ({where}) with {plan.provider}?",
            f"{plan.units:,} units without a text, {plan.characters:,} characters would be sent. "
            f"Results are drafts; no text a person wrote is replaced. y starts, Esc cancels."), confirmed)

    def action_export_files(self) -> None:
        from workbench.services.exporting import export_project
        from workbench.tui.progress import ProgressScreen

        wb = self.app.wb

        def job(progress) -> list[str]:
            report = export_project(wb, progress=progress)
            changed = [f for f in report.files if f.changed]
            lines = [f"{f.path}: {f.written}/{f.total} written" for f in changed[-8:]]
            for language, why in report.skipped_languages.items():
                lines.append(f"{language}: not exported: {why}")
            for f in report.kept:
                lines.append(f"{f.path}: not written: {f.kept}")
            lines.append(f"{len(report.files)} files, {len(changed)} changed"
                         + (f", {len(report.kept)} kept" if report.kept else ""))
            return lines

        self.app.push_screen(ProgressScreen("Export translations", job, on_done=self.action_refresh))

"""The dashboard: languages × modules with progress bars and numbers, and what awaits review."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from workbench.domain.languages import display_name
from workbench.domain.states import State
from workbench.services.status import StatusReport, compute_status
from workbench.tui.widgets import KeyFooter, STATE_GLYPHS, STATE_ORDER, STATE_STYLES, state_bar, visible

REVIEW_COLUMN = "review"
ALL_COLUMN = "*"


class DashboardScreen(Screen):
    """Progress of every language in every module; Enter opens the editor (or the review queue) on a cell."""

    BINDINGS = [
        Binding("enter", "open", "Open cell", priority=True),
        Binding("e", "editor", "Editor"),
        Binding("v", "review", "Review"),
        Binding("s", "subtitles", "Subtitles"),
        Binding("i", "import_files", "Import"),
        Binding("x", "export_files", "Export"),
        Binding("r", "refresh", "Refresh"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: StatusReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dashboard"):
            yield Static(id="dashboard-title")
            yield DataTable(id="progress", cursor_type="cell", zebra_stripes=True, header_height=2)
            yield Static(id="legend")
        yield KeyFooter()

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
        legend.append("   review: translations awaiting a reviewer", style="dim")
        legend.append("\n  Enter on a module opens the editor on it; on “review”, the review queue.", style="dim")
        self.query_one("#legend", Static).update(legend)
        self.action_refresh()
        self.warm_up()

    @work(thread=True, group="warm-up")
    def warm_up(self) -> None:
        """Import the other screens while the user reads the dashboard, so that opening one is instant."""
        import workbench.tui.editor  # noqa: F401
        import workbench.tui.review  # noqa: F401
        import workbench.tui.subtitles  # noqa: F401

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load_status()

    @work(thread=True, exclusive=True, group="status")
    def load_status(self) -> None:
        report = compute_status(self.app.wb)
        self.app.call_from_thread(self.show_status, report)

    def show_status(self, report: StatusReport) -> None:
        self.report = report
        table = self.query_one("#progress", DataTable)
        old = table.cursor_coordinate if table.row_count else None
        table.clear(columns=True)
        wb = self.app.wb
        table.add_column("language", key="language", width=13)
        for module in report.modules:
            units = report.get(report.languages[0], module).units if report.languages else 0
            header = Text(f"{module} ", style="bold")
            header.append(wb.settings.module_title(module)[:13])
            header.append(f"\n{units} units", style="dim")
            table.add_column(header, key=module, width=18)
        table.add_column(Text("all modules", style="bold"), key=ALL_COLUMN, width=18)
        table.add_column(Text("review", style="bold"), key=REVIEW_COLUMN, width=7)
        for language in report.languages:
            cells: list = [Text(f"{language}  {display_name(language)}")]
            total = report.total(language)
            for module in report.modules + [ALL_COLUMN]:
                row = total if module == ALL_COLUMN else report.get(language, module)
                cells.append(self._cell(row.counts, row.units))
            waiting = total.counts[State.TRANSLATED.value]
            cells.append(Text(f"{waiting:>5}" if waiting else "    ·", style="bold cyan" if waiting else "dim"))
            table.add_row(*cells, key=language, height=2)
        if old is not None:
            table.cursor_coordinate = old
        elif self.app.language in report.languages:
            table.cursor_coordinate = Coordinate(report.languages.index(self.app.language), 1)
        else:
            table.cursor_coordinate = Coordinate(0, 1)

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
        return str(row_key.value), str(column_key.value)

    def action_open(self) -> None:
        cell = self._cell_at_cursor()
        if cell is None:
            return
        language, column = cell
        if column == REVIEW_COLUMN:
            self.app.open_review(language=language)
        elif column in (ALL_COLUMN, "language"):
            self.app.open_editor(language=language)
        else:
            self.app.open_editor(language=language, query=f"module:{column}")

    def action_editor(self) -> None:
        cell = self._cell_at_cursor()
        if cell is not None:
            self.app.open_editor(language=cell[0])

    def action_review(self) -> None:
        cell = self._cell_at_cursor()
        if cell is not None:
            self.app.open_review(language=cell[0])

    def action_subtitles(self) -> None:
        cell = self._cell_at_cursor()
        if cell is not None:
            self.app.open_subtitles(language=cell[0])

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
                    lines.append(f"{f.path}: {f.added} new, {f.changed} changed, {f.obsoleted} removed, "
                                 f"{f.updated} translations updated")
            skipped = sum(1 for f in report.files if f.skipped)
            lines.append(f"{len(report.files)} files read, {skipped} unchanged since the last import, "
                         f"{len(report.errors)} refused")
            return lines

        self.app.push_screen(ProgressScreen("Import the project's files", job), lambda _: self.action_refresh())

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
            lines.append(f"{len(report.files)} files, {len(changed)} changed")
            return lines

        self.app.push_screen(ProgressScreen("Export translations", job), lambda _: self.action_refresh())

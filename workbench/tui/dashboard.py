"""The dashboard: languages × modules with progress bars and numbers."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from workbench.domain.languages import display_name
from workbench.domain.states import State
from workbench.services.status import StatusReport, compute_status
from workbench.tui.widgets import STATE_STYLES, state_bar


class DashboardScreen(Screen):
    """Progress of every language in every module; Enter opens the editor on a cell."""

    BINDINGS = [
        Binding("r", "refresh", "Refresh"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dashboard"):
            yield Static(id="dashboard-title")
            yield DataTable(id="progress", cursor_type="cell", zebra_stripes=True)
            yield Static(id="legend")
        yield Footer()

    def on_mount(self) -> None:
        wb = self.app.wb
        title = Text(wb.settings.name, style="bold")
        title.append(f"  ·  source {wb.settings.source_language}  ·  {wb.store.describe()}", style="dim")
        self.query_one("#dashboard-title", Static).update(title)
        legend = Text("  ")
        for state in (State.APPROVED, State.TRANSLATED, State.DRAFT, State.UNTRANSLATED):
            legend.append("■ ", style=STATE_STYLES[state])
            legend.append(f"{state.value}   ")
        self.query_one("#legend", Static).update(legend)
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load_status()

    @work(thread=True, exclusive=True, group="status")
    def load_status(self) -> None:
        report = compute_status(self.app.wb)
        self.app.call_from_thread(self.show_status, report)

    def show_status(self, report: StatusReport) -> None:
        table = self.query_one("#progress", DataTable)
        table.clear(columns=True)
        wb = self.app.wb
        table.add_column("language", key="language")
        for module in report.modules:
            table.add_column(Text(f"{module} {wb.settings.module_title(module)}"[:30]), key=module)
        table.add_column("all modules", key="*")
        for language in report.languages:
            cells: list = [Text(f"{language}  {display_name(language)}")]
            for module in report.modules + ["*"]:
                row = report.total(language) if module == "*" else report.get(language, module)
                cells.append(self._cell(row.counts, row.units))
            table.add_row(*cells, key=language, height=2)

    @staticmethod
    def _cell(counts: dict[str, int], units: int) -> Text:
        bar = state_bar(counts, width=18)
        done = counts[State.APPROVED.value] + counts[State.TRANSLATED.value]
        pct = 100 * done / units if units else 0
        line = Text(f"\n{pct:3.0f}% ", style="bold")
        line.append(f"{counts[State.APPROVED.value]}✓ {counts[State.TRANSLATED.value]}● "
                    f"{counts[State.DRAFT.value]}✎ / {units}", style="dim")
        return bar + line

"""The Textual application: screens over the services of one open workbench."""

from __future__ import annotations

from textual.app import App

from workbench.services.context import Workbench
from workbench.tui.dashboard import DashboardScreen


class WorkbenchApp(App):
    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"

    def __init__(self, wb: Workbench) -> None:
        super().__init__()
        self.wb = wb
        self.sub_title = f"{wb.settings.name} — {wb.user}"

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())

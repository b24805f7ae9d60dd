"""Long work (import, export, checks, pre-translation) in a thread worker, with a progress bar."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

from workbench.domain.errors import WorkbenchError
from workbench.tui.widgets import KeyFooter, literal

#: progress(done, total, what)
Progress = Callable[[int, int, str], None]
#: job(progress) -> lines of a summary
Job = Callable[[Progress], list[str]]


class ProgressScreen(ModalScreen[bool]):
    """Runs `job` off the UI thread; the screen stays responsive and shows each step as it happens.

    Updates reach the screen in the order the job sends them (call_from_thread is a queue).
    Esc hides the dialog; the work goes on and a notification says when it is done.
    """

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, job: Job) -> None:
        super().__init__()
        self.title_text = title
        self.job = job
        self.done = False
        self.ok = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="progress-dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield ProgressBar(id="progress-bar", show_eta=False)
            yield Static("", id="progress-step")
            yield Static("", id="progress-summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.run_job()

    @work(thread=True, exclusive=True, group="long-work", exit_on_error=False)
    def run_job(self) -> list[str]:
        return self.job(lambda done, total, what: self.app.call_from_thread(self._step, done, total, what))

    def _step(self, done: int, total: int, what: str) -> None:
        self.query_one("#progress-bar", ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#progress-step", Static).update(literal(f"{done}/{total}  {what}"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "long-work" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.done = True
        summary = self.query_one("#progress-summary", Static)
        if event.state is WorkerState.SUCCESS:
            self.ok = True
            bar = self.query_one("#progress-bar", ProgressBar)
            bar.update(total=bar.total or 1, progress=bar.total or 1)
            lines = event.worker.result or []
            summary.update(literal("\n".join(lines[-12:])) if lines else Text("Done.", style="green"))
            self.app.notify(f"{self.title_text}: done", timeout=3)
        else:
            error = event.worker.error
            message = str(error) if isinstance(error, WorkbenchError) else f"{type(error).__name__}: {error}"
            summary.update(Text(message, style="bold red"))
            self.app.notify(f"{self.title_text}: {message}", severity="error", timeout=8)

    def action_close(self) -> None:
        self.dismiss(self.ok)

"""Long work (import, export, checks, pre-translation) in a thread worker, with a progress bar."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from workbench.domain.errors import WorkbenchError
from workbench.tui.widgets import KeyFooter, literal

#: progress(done, total, what)
Progress = Callable[[int, int, str], None]
#: job(progress) -> lines of a summary
Job = Callable[[Progress], list[str]]


class ProgressScreen(ModalScreen[bool]):
    """Runs `job` in a thread worker of the app; the UI stays responsive and shows each step.

    Steps reach the screen in the order the job sends them (call_from_thread is a queue). Esc
    closes the dialog; the work goes on (the worker belongs to the app, not to this screen) and
    a notification says how it ended. `on_done` runs on the UI thread when the job has ended.
    """

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, job: Job, *, on_done: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.job = job
        self.on_done = on_done
        self.done = False
        self.ok = False
        self.closed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="progress-dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield ProgressBar(id="progress-bar", show_eta=False)
            yield Static("", id="progress-step")
            yield Static("", id="progress-summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.the_app = self.app
        self.app.run_worker(self._run, thread=True, group="long-work", exit_on_error=False,
                            name=self.title_text)

    def _run(self) -> None:
        app = self.the_app            # this screen may be closed meanwhile: keep hold of the app
        try:
            lines = self.job(lambda done, total, what: app.call_from_thread(self._step, done, total, what))
        except Exception as exc:  # shown to the user; the UI goes on
            app.call_from_thread(self._finished, None, exc)
        else:
            app.call_from_thread(self._finished, lines, None)

    def _step(self, done: int, total: int, what: str) -> None:
        if self.closed:
            return
        self.query_one("#progress-bar", ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#progress-step", Static).update(literal(f"{done}/{total}  {what}"))

    def _finished(self, lines: list[str] | None, error: BaseException | None) -> None:
        self.done, self.ok = True, error is None
        message = (str(error) if isinstance(error, WorkbenchError) else f"{type(error).__name__}: {error}") \
            if error is not None else ""
        if self.closed:
            if error is None:
                self.the_app.notify(f"{self.title_text}: done", timeout=4)
            else:
                self.the_app.notify(f"{self.title_text}: {message}", severity="error", timeout=10)
        else:
            summary = self.query_one("#progress-summary", Static)
            if error is None:
                bar = self.query_one("#progress-bar", ProgressBar)
                bar.update(total=bar.total or 1, progress=bar.total or 1)
                self.query_one("#progress-step", Static).update(Text("finished", style="green"))
                summary.update(literal("\n".join((lines or [])[-12:])) if lines else Text("Done.", style="green"))
            else:                       # no bar still at work over the reason
                self.query_one("#progress-bar", ProgressBar).display = False
                self.query_one("#progress-step", Static).update(Text("stopped: nothing more is done", style="bold red"))
                summary.update(Text(message, style="bold red"))
        if self.on_done is not None:
            self.on_done()

    def action_close(self) -> None:
        self.closed = True
        self.dismiss(self.ok)

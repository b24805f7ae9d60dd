"""The Textual application: screens over the services of one open workbench."""

from __future__ import annotations

import gc
from functools import partial
from typing import Callable, Iterable

from textual import events, work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widgets import TextArea

from workbench.services.context import Workbench
from workbench.tui.dashboard import DashboardScreen
from workbench.tui.widgets import visible


class WorkbenchApp(App):
    """One user, one project; the language chosen on the dashboard is remembered for the session."""

    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"

    def __init__(self, wb: Workbench, *, language: str | None = None) -> None:
        super().__init__()
        self.wb = wb
        self.language = wb.settings.target(language) if language else None
        self.sub_title = visible(f"{wb.settings.name} — {wb.user}")

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())
        self.warm_up()

    @work(thread=True, exclusive=True, group="warm-up")
    def warm_up(self) -> None:
        """While the dashboard is read: load what the first editor would otherwise load before
        its first frame (its modules, the stemmers of the term matcher), then move every object
        made so far out of the garbage collector's way (gc.freeze: the long-lived objects of
        start-up are no longer walked by each full collection, which took a frame's time)."""
        import workbench.tui.editor  # noqa: F401
        import workbench.tui.review  # noqa: F401
        from workbench.services.terms import matcher_for

        matcher = matcher_for(self.wb.project)
        for language in (self.wb.settings.source_language, *self.wb.settings.target_languages):
            matcher.find("économie sociale", language)     # builds its index and stemmer
        self.call_from_thread(self._freeze)

    async def on_event(self, event: events.Event) -> None:
        """A key the current screen does not take yet (the dashboard before its first data shows:
        keys typed while the app started) is dropped before any binding sees it."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            takes_key = getattr(self.screen, "takes_key", None)
            if takes_key is not None and not takes_key(event):
                event.stop()
                return
        await super().on_event(event)

    def _freeze(self) -> None:
        gc.collect()
        gc.freeze()

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Notifications carry keys and texts from the content: never markup, controls made visible."""
        super().notify(visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False)

    def action_quit(self) -> None:
        """Quit, unless an editor holds unsaved text: then ask what to do with it first (once the
        text area has taken the keys typed before ctrl+q)."""
        focused = self.focused
        if isinstance(focused, TextArea):
            focused.call_later(self._quit_unless_unsaved)
        else:
            self._quit_unless_unsaved()

    def _quit_unless_unsaved(self) -> None:
        for screen in reversed(self.screen_stack):
            is_modified = getattr(screen, "is_modified", None)
            if is_modified is None or not is_modified():
                continue
            if screen is self.screen:
                screen.confirm_leave(self.exit)
            else:
                self.notify("The editor under this dialog has unsaved text: close the dialog (esc) first, "
                            "then ctrl+q asks what to do with it.", severity="warning", timeout=5)
            return
        self.exit()

    def choose_language(self, language: str) -> None:
        self.language = language

    # -- screens, opened from anywhere ------------------------------------------------------

    def open_editor(self, *, language: str, query: str = "", cursor: tuple | None = None,
                    on_leave: Callable | None = None) -> None:
        """`on_leave`: called with the editor's current row (None: none) when the editor is left."""
        from workbench.tui.editor import EditorScreen

        self.choose_language(language)
        self.push_screen(EditorScreen(language=language, query=query, cursor=cursor), on_leave)

    def open_review(self, *, language: str, query: str = "") -> None:
        from workbench.tui.review import ReviewScreen

        self.choose_language(language)
        self.push_screen(ReviewScreen(language=language, query=query))

    def open_subtitles(self, *, language: str, video: str | None = None) -> None:
        from workbench.tui.subtitles import TimelineScreen, VideoListScreen

        self.choose_language(language)
        if video is None:
            self.push_screen(VideoListScreen(language=language))
        else:
            self.push_screen(TimelineScreen(language=language, video=video))

    def open_termbase(self, *, language: str, query: str = "") -> None:
        from workbench.tui.termbase import TermBaseScreen

        self.choose_language(language)
        self.push_screen(TermBaseScreen(language=language, query=query))

    # -- the command palette: every key of the current screen, by its description -----------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.system or not active.enabled:
                continue
            if not (binding.show or binding.tooltip) and active.node is not screen:
                continue                # a widget's own keys (cursor moves, copy): not commands
            if active.node is self or binding.action.startswith("app.focus"):
                continue                # Textual's own (quit, palette, focus): listed below or implicit
            name = (binding.tooltip or binding.description).split(" (")[0]
            if name in seen:
                continue
            seen.add(name)
            key = self.get_key_display(binding)
            yield SystemCommand(name, f"{key} — on this screen",
                                partial(self.run_action, binding.action, active.node))
        for command in super().get_system_commands(screen):
            if command.title not in seen:
                yield command

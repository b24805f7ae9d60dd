"""Review mode: what awaits review in one language, each with its diff against the last approved text."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from workbench.domain.checks.base import Issue
from workbench.domain.errors import ConflictError, WorkbenchError
from workbench.domain.languages import display_name
from workbench.domain.query import Filter, parse_filter
from workbench.domain.states import State
from workbench.services import browse, review
from workbench.services.issue_marks import issues_of
from workbench.services.open_issues import pending_checks
from workbench.services.unit_context import UnitDetail, end_cursor, unit_detail
from workbench.tui.conflict import diff_text
from workbench.tui.dialogs import CommentScreen
from workbench.tui.live import issue_line
from workbench.tui.unit_list import UnitList
from workbench.tui.widgets import KeyFooter, STATE_GLYPHS, STATE_STYLES, literal, visible


class ReviewScreen(Screen):
    """The queue of translations awaiting review (state translated); approve or reject with one key."""

    BINDINGS = [
        Binding("a", "approve", "Approve"),
        Binding("r", "reject", "Reject"),
        Binding("e", "edit", "Edit"),
        Binding("down", "step(1)", "Next", show=False),
        Binding("up", "step(-1)", "Previous", show=False),
        Binding("slash", "focus_filter", "Filter"),
        Binding("ctrl+down", "scroll_detail(3)", "Scroll the text", show=False,
                tooltip="Scroll the text under review down (a long one, on a small terminal)"),
        Binding("ctrl+up", "scroll_detail(-3)", "Scroll the text up", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, *, language: str, query: str = "") -> None:
        super().__init__()
        self.language = language
        self.query_text = query
        self.filter = Filter(states=(State.TRANSLATED.value,))
        self.detail: UnitDetail | None = None
        self._away = False                  # another screen (the editor) was shown over this one

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter-bar"):
            yield Input(value=self.query_text, id="filter",
                        placeholder="narrow the queue: module:2 kind:quiz \"plan d'action\"  (Enter applies)")
            yield Static(id="filter-info")
        with Horizontal(id="review-main"):
            yield UnitList(self._fetch, end_cursor=lambda: end_cursor(self.app.wb), id="units")
            with VerticalScroll(id="review-detail", can_focus=False):
                yield Static(id="unit-head")
                yield Static(id="review-source")
                yield Static(id="review-target")
                yield Static(id="review-issues")
                yield Static(id="review-diff")
                yield Static(id="review-context")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = visible(f"review · {self.language} · {self.app.wb.user}")
        units = self.query_one("#units", UnitList)
        units.border_title = "awaiting review"
        self._apply_filter(self.query_text)
        units.focus()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        """Back from the editor (e): the current unit read again, as it may have been saved there."""
        if self._away:
            self._away = False
            self._reread()
            self.count_rows(self.filter)

    def _fetch(self, after, before, limit):
        return browse.page(self.app.wb, language=self.language, filter=self.filter, after=after,
                           before=before, limit=limit, recheck=False)   # (re-checked by count_rows)

    def _apply_filter(self, text: str) -> bool:
        info = self.query_one("#filter-info", Static)
        try:
            f = parse_filter(text, modules=self.app.wb.settings.module_ids())
        except WorkbenchError as exc:
            info.update(Text(str(exc), style="bold red"))
            return False
        self.filter = f.with_(states=(State.TRANSLATED.value,))
        self.query_text = text
        info.update(Text(f"{self.language} {display_name(self.language)} · awaiting review", style="bold"))
        units = self.query_one("#units", UnitList)
        units.reload()
        self.count_rows(self.filter)
        return True

    @work(thread=True, exclusive=True, group="count")
    def count_rows(self, f: Filter) -> None:
        """Count the queue off the UI thread; a `check:` filter's stale results are re-checked
        here first, and the list read again after that."""
        wb = self.app.wb
        stale = bool(f.checks) and pending_checks(wb, languages=[self.language]) > 0
        total = browse.count(wb, language=self.language, filter=f)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_count, f, total, stale)

    def _show_count(self, f: Filter, total: int, reread: bool = False) -> None:
        if f != self.filter:
            return
        if reread:
            self._reread()
        self.query_one("#units", UnitList).total = total

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._apply_filter(event.value):
            self.query_one("#units", UnitList).focus()

    @on(UnitList.Moved)
    def _moved(self, event: UnitList.Moved) -> None:
        self.show(event.row)

    def show(self, row) -> None:
        statics = ("#unit-head", "#review-source", "#review-target", "#review-issues", "#review-diff",
                   "#review-context")
        if row is None:
            self.detail = None
            self.query_one("#unit-head", Static).update(
                Text("Nothing awaits review here.", style="dim italic"))
            for wid in statics[1:]:
                self.query_one(wid, Static).update("")
            return
        try:
            d = unit_detail(self.app.wb, unit_id=row.unit_id, language=self.language)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.detail = d
        t = d.translation
        head = Text(end="")
        head.append(f"{STATE_GLYPHS[t.state]} {t.state.value}", style=STATE_STYLES[t.state])
        head.append("  ")
        head.append_text(literal(d.key, style="bold"))
        head.append(f"  · {d.unit.kind.value} · ", style="dim")
        head.append_text(literal(f"{d.unit.module} · v{t.version}", style="dim"))
        if t.author:
            head.append(" · by ", style="dim")
            head.append_text(literal(t.author, style="cyan"))
        self.query_one("#unit-head", Static).update(head)
        source = Text("Source\n", style="bold")
        source.append_text(literal(d.unit.source))
        if d.unit.source_plural is not None:
            source.append("\nplural: ", style="dim")
            source.append_text(literal(d.unit.source_plural))
        self.query_one("#review-source", Static).update(source)
        target = Text(f"Translation ({self.language})\n", style="bold")
        for i, form in enumerate(t.forms):
            if len(t.forms) > 1:
                target.append(f"[{i}] ", style="dim")
            target.append_text(literal(form))
            target.append("\n")
        target.rstrip()
        self.query_one("#review-target", Static).update(target)
        self.query_one("#review-issues", Static).update(Text("Checks: reading…", style="dim italic"))
        if d.translation_id is not None:
            self.load_issues(d.unit_id, d.translation_id)
        if d.last_approved is None:
            diff = Text("Never approved before: the whole text is new.", style="dim italic")
        elif tuple(d.last_approved) == tuple(t.forms):
            diff = Text("Same text as when it was last approved.", style="dim italic")
        else:
            diff = Text("Changes since last approved\n", style="bold")
            diff.append_text(diff_text(d.last_approved[0] if d.last_approved else "", t.text))
        self.query_one("#review-diff", Static).update(diff)
        ctx = Text(end="")
        if d.previous_source is not None and d.previous_source != d.unit.source:
            ctx.append("Source changed: ", style="bold yellow")
            ctx.append_text(diff_text(d.previous_source, d.unit.source))
            ctx.append("\n")
        if d.review_comment is not None:
            ctx.append("Last review comment: ", style="bold magenta")
            ctx.append_text(literal(d.review_comment.text, style="magenta"))
            ctx.append("\n")
        for n in d.quiz:
            if n.current:
                continue
            ctx.append("  ")
            ctx.append_text(literal(n.unit.key.rsplit("/", 1)[-1], style="dim"))
            ctx.append(": ", style="dim")
            ctx.append_text(literal(n.target or n.unit.source, style="dim"))
            ctx.append("\n")
        ctx.rstrip()
        self.query_one("#review-context", Static).update(ctx)

    @work(thread=True, exclusive=True, group="issues")
    def load_issues(self, unit_id: int, translation_id: int) -> None:
        """The checks' stored issues of the text under review, off the UI thread."""
        try:
            issues = issues_of(self.app.wb, language=self.language, translation_id=translation_id)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_issues, unit_id, issues)

    def _show_issues(self, unit_id: int, issues: list[Issue] | None) -> None:
        if self.detail is None or self.detail.unit_id != unit_id:
            return                                  # the reviewer has moved on
        out = Text("Checks", style="bold")
        if issues is None:
            out.append("  not re-checked since the last import yet", style="dim italic")
        elif not issues:
            out.append("  ✓ no issue", style="green")
        for issue in issues or ():
            out.append("\n")
            out.append_text(issue_line(issue))
        self.query_one("#review-issues", Static).update(out)

    # -- actions ------------------------------------------------------------------------------

    def _done(self, saved, verb: str) -> None:
        units = self.query_one("#units", UnitList)
        units.update_current(state=saved.state.value, version=saved.version)
        self.notify(f"{verb}: {saved.key}", timeout=2)
        if not units.step(1):
            self.show(units.current)

    def _reread(self) -> None:
        """The list read again around the current unit (its Moved shows it anew)."""
        units = self.query_one("#units", UnitList)
        current = units.current
        units.reload(current.cursor if current is not None else None)

    def _changed_meanwhile(self, verb: str) -> None:
        """Someone saved the text after it was shown: show the new one, to be read before deciding."""
        key = self.detail.key if self.detail else ""
        self._reread()
        self.notify(f"{key} was changed meanwhile and was not {verb}: the pane now shows the new text; "
                    f"read it, then decide again.", severity="warning", timeout=8)

    def _decide(self, decide: Callable[[], object], *, verb: str) -> None:
        """Run the approval or rejection `decide`; on to the next unit, or say why not."""
        try:
            saved = decide()
        except ConflictError:
            self._changed_meanwhile(verb)
            return
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self._done(saved, verb.capitalize())

    def action_approve(self) -> None:
        d = self.detail
        if d is None:
            return
        if d.translation.state is not State.TRANSLATED:
            self.notify(f"{d.key} is {d.translation.state.value}, not awaiting review.", severity="warning")
            return
        self._decide(lambda: review.approve(self.app.wb, resource=d.resource, key=d.key, language=self.language,
                                            base_version=d.translation.version, unit_id=d.unit_id),
                     verb="approved")

    def action_reject(self) -> None:
        d = self.detail
        if d is None:
            return

        def rejected(comment: str | None) -> None:
            if comment is not None:
                self._decide(lambda: review.reject(self.app.wb, resource=d.resource, key=d.key,
                                                   language=self.language, comment=comment,
                                                   base_version=d.translation.version, unit_id=d.unit_id),
                             verb="rejected")

        self.app.push_screen(CommentScreen(f"Reject {d.key}: what should change?",
                                           placeholder="the reason, for the translator"), rejected)

    def action_edit(self) -> None:
        row = self.query_one("#units", UnitList).current
        if row is not None:
            self.app.open_editor(language=self.language, query=self.query_text, cursor=row.cursor)

    def action_step(self, delta: int) -> None:
        self.query_one("#units", UnitList).step(delta)

    def action_scroll_detail(self, lines: int) -> None:
        self.query_one("#review-detail", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#filter", Input).value = self.query_text
            self.query_one("#units", UnitList).focus()
            return
        self.app.pop_screen()

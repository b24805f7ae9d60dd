"""The editor: a filtered list of units, the current one with its context, and its translation."""

from __future__ import annotations

import functools
import gc
import textwrap
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Static, TextArea
from textual.worker import get_current_worker

from workbench.domain.checks.base import Issue
from workbench.domain.errors import ConflictError, WorkbenchError
from workbench.domain.languages import display_name
from workbench.domain.query import Filter, parse_filter
from workbench.domain.translations import Origin
from workbench.domain.terms import TermStatus
from workbench.domain.units import UnitKind
from workbench.services import browse, editing, history, issue_marks, memory, terms
from workbench.services.checks import draft_checker
from workbench.services.open_issues import active_checks, pending_checks, recheck_pending
from workbench.services.pretranslate import machine_suggestion, machine_unavailable
from workbench.services.unit_context import UnitDetail, end_cursor, unit_detail
from workbench.services.users import edit_refusal
from workbench.tui.conflict import ConflictScreen, Resolution, diff_text
from workbench.tui.dialogs import ChoiceScreen, UnsavedScreen
from workbench.tui.history import RevertScreen
from workbench.tui.live import issue_line, live_report
from workbench.tui.unit_list import UnitList
from workbench.tui.widgets import (
    STATE_GLYPHS, STATE_STYLES, FilterInput, KeyFooter, TargetArea, literal, one_line, replace_text, visible,
)

MAX_SUGGESTIONS = 3
MAX_TERM_KEYS = 9          # ctrl+l then 1…9 inserts the term of one of the first nine term lines
TERM_STYLES = {TermStatus.PREFERRED: "underline bold cyan", TermStatus.ADMITTED: "underline cyan",
               TermStatus.DO_NOT_TRANSLATE: "underline bold magenta", TermStatus.FORBIDDEN: "underline red"}


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str          # "92%" or "MT"
    text: str
    origin: str         # Origin.MEMORY or Origin.machine(provider)
    detail: str = ""    # where it comes from
    forms: tuple[str, ...] = ()   # every plural form, when the suggestion has them


def after_typing(action: Callable) -> Callable:
    """For the action of a priority key that reads or changes the text: run it once the focused text
    area has taken the keys typed before the key. The app handles a priority key at once while the
    typed keys wait in the area's queue, so a quick ctrl+s saved the text without its last letters."""
    @functools.wraps(action)
    def run(self: "EditorScreen", *args) -> None:
        focused = self.focused
        if isinstance(focused, TextArea) and focused in self.form_areas:
            focused.call_later(action, self, *args)
        else:
            action(self, *args)
    return run


_NOTHING = object()

#: A worker's call that took longer than this built an index (the language's consistency index, the
#: memory's): hundreds of thousands of long-lived objects, which every full collection of the
#: garbage collector would walk again (about 100 ms on the UI thread, once, at the next filter).
BUILT_AN_INDEX = 0.25


@contextmanager
def _freezing_what_it_builds():
    """Freeze (gc.freeze, no pause) what a call that built an index left behind."""
    started = time.perf_counter()
    yield
    if time.perf_counter() - started > BUILT_AN_INDEX:
        gc.freeze()


class EditorScreen(Screen):
    """Translate one language, unit after unit, without the mouse."""

    #: The text is focused the moment the screen exists: keys typed right after Enter on the
    #: dashboard went to the filter (first in the layout), whose text they replaced.
    AUTO_FOCUS = "TargetArea"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Save (ready for review)"),
        Binding("ctrl+n", "save_next", "Save+next", priority=True, tooltip="Save and next (go to the next unit)"),
        Binding("ctrl+d", "draft", "Draft", priority=True, tooltip="Mark draft (save as draft)"),
        Binding("ctrl+o", "copy_source", "Copy src", priority=True, tooltip="Copy source (into the translation)"),
        Binding("ctrl+z", "undo", "Undo", priority=True, tooltip="Undo (the last edit of the text)"),
        Binding("ctrl+g", "next_issue", "Issue", priority=True,
                tooltip="Next issue (the next unit with a stored issue)"),
        Binding("ctrl+r", "revert", "Revert", priority=True,
                tooltip="Revert (restore an earlier version of the translation, from its history)"),
        Binding("f1", "insert(1)", "Insert", priority=True, key_display="F1…3", show=False,
                tooltip="Insert suggestion 1 (F1, F2 and F3 insert suggestions 1 to 3)"),
        Binding("f2", "insert(2)", "Insert 2", priority=True, show=False, tooltip="Insert suggestion 2"),
        Binding("f3", "insert(3)", "Insert 3", priority=True, show=False, tooltip="Insert suggestion 3"),
        Binding("f4", "read_suggestions", "Suggestions", priority=True, show=False,
                tooltip="Read the suggestions whole (in a dialog; 1-3 inserts one, Esc closes)"),
        Binding("f5", "apply_fix", "Fix", priority=True, show=False,
                tooltip="Fix an issue (apply a live check's suggested fix to the text, the issue at the "
                        "cursor or else the first one; not saved, ctrl+z undoes it)"),
        Binding("ctrl+l", "insert_term", "Term", priority=True, show=False,
                tooltip="Insert a term (of the term base's terms shown for this unit, at the cursor)"),
        Binding("ctrl+t", "machine", "MT", priority=True,
                tooltip="Request MT (the machine translation provider's proposal for this unit)"),
        Binding("alt+down", "next_unit(1)", "Next", priority=True, key_display="M-↓",
                tooltip="Next unit (without saving; asks when the text changed)"),
        Binding("alt+up", "next_unit(-1)", "Previous unit", priority=True, show=False, key_display="M-↑",
                tooltip="Previous unit"),
        Binding("ctrl+f", "focus_filter", "Filter", priority=True, tooltip="Filter (the list of units)"),
        Binding("ctrl+down", "scroll_source(3)", "Scroll source", priority=True, show=False, key_display="^↓",
                tooltip="Scroll the source down (its end, the note and the terms, on a small terminal)"),
        Binding("ctrl+up", "scroll_source(-3)", "Scroll source up", priority=True, show=False, key_display="^↑",
                tooltip="Scroll the source up"),
        Binding("escape", "back", "Back", tooltip="Back (to the dashboard)"),
    ]

    def __init__(self, *, language: str, query: str = "", cursor: tuple | None = None) -> None:
        super().__init__()
        self.language = language
        self.query_text = query
        self.filter = Filter()
        self.start_cursor = cursor
        self.detail: UnitDetail | None = None
        self.base_version = 0
        self.saved_forms: tuple[str, ...] = ()
        self.suggestions: list[Suggestion] = []
        self.inserted: tuple[str, str] | None = None        # (text, origin) of the last inserted suggestion
        self.form_areas: list[TargetArea] = []
        self.checker = None                                 # services.checks.DraftChecker for the unit
        self._shown_now: object = _NOTHING                 # a row shown before its Moved message came
        self.machine_problem: str | None = None             # why MT cannot be asked (no DeepL key, say)
        self.read_only: str | None = None                   # why this user may not save here, if so
        self.term_keys: list[tuple[str, str]] = []          # ctrl+l: (term, source words) per term line

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter-bar"):
            yield FilterInput(value=self.query_text, id="filter",
                              placeholder="filter: state:draft is:commented module:2 kind:quiz check:ID "
                                          "\"plan d'action\"  (Enter applies)")
            yield Static(id="filter-info")
        with Horizontal(id="editor-main"):
            yield UnitList(self._fetch, end_cursor=lambda: end_cursor(self.app.wb), guard=self._may_leave,
                           id="units")
            with Vertical(id="detail"):
                yield Static(id="unit-head")
                with VerticalScroll(id="source-box", can_focus=False):
                    yield Static(id="source")
                    yield Static(id="terms")
                    yield Static(id="context")
                    yield Static(id="neighbours")
                with Vertical(id="forms"):              # one form at first: focused as soon as it exists
                    self.form_areas = [TargetArea(soft_wrap=True, show_line_numbers=False, classes="target")]
                    yield from self.form_areas
                yield Static(id="live")
                with VerticalScroll(id="aux", can_focus=False):
                    yield Static(id="suggestions")
                    yield Static(id="history")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = visible(f"editor · {self.language} · {self.app.wb.user}")
        self.query_one("#units", UnitList).border_title = "units"
        if not self._apply_filter(self.query_text, cursor=self.start_cursor):
            units = self.query_one("#units", UnitList)
            units.reload()
            self._show_now(units.current)
        self.call_after_refresh(self._focus_text)
        self.index_text(prepare=True)
        self.check_machine()
        self.check_rights()

    # -- the list ---------------------------------------------------------------------------

    def _fetch(self, after, before, limit):
        """A page of the list, each row with its worst stored issue (one more query a page)."""
        rows = browse.page(self.app.wb, language=self.language, filter=self.filter, after=after,
                           before=before, limit=limit, recheck=False)   # (re-checked in a worker)
        return issue_marks.marked(self.app.wb, rows, language=self.language)

    def _issue_of(self, translation_id: int | None) -> str | None:
        """The worst stored issue of the current unit's translation, after it changed."""
        marks = issue_marks.worst_issues(self.app.wb, language=self.language, translation_ids=[translation_id])
        return marks.get(translation_id)

    def _apply_filter(self, text: str, *, cursor: tuple | None = None) -> bool:
        info = self.query_one("#filter-info", Static)
        try:
            self.filter = parse_filter(text, modules=self.app.wb.settings.module_ids())
        except WorkbenchError as exc:
            info.update(Text(str(exc), style="bold red"))
            return False
        self.query_text = text
        self._show_info()
        units = self.query_one("#units", UnitList)
        units.reload(cursor)
        self._show_now(units.current)
        self.count_rows(self.filter, units.current.cursor if cursor is not None and units.current else None)
        if self.filter.text or self.filter.source_text or self.filter.target_text:
            self.index_text()
        if self.filter.checks:
            self.recheck()
        return True

    @work(thread=True, exclusive=True, group="recheck")
    def recheck(self) -> None:
        """A list of failing checks reads the stored results; what an import or a change of the
        term base left stale is re-checked here, off the UI thread, with its progress in the
        filter bar, and the list is read again when it is done."""
        wb, language = self.app.wb, self.language
        if not pending_checks(wb, languages=[language]):
            return
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._recheck_progress, done, total)
        progress(0, 1)
        recheck_pending(wb, languages=[language], progress=progress, cancelled=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._rechecked)

    def _show_info(self, note: str = "") -> None:
        """The filter bar's right side: the language (read-only, if so), and a note on work in progress."""
        self.query_one("#filter-info", Static).update(Text.assemble(
            (f"{self.language} {display_name(self.language)}", "bold"),
            (" · read-only" if self.read_only else "", "bold yellow"), (f" · {note}" if note else "", "italic")))

    @work(thread=True, exclusive=True, group="rights")
    def check_rights(self) -> None:
        """Whether this user may save in this language, said when the editor opens rather than at
        the first save, after the text is typed."""
        refusal = edit_refusal(self.app.wb, self.language)
        if refusal and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._read_only, refusal)

    def _read_only(self, refusal: str) -> None:
        self.read_only = refusal
        self._show_info()
        self.notify(f"Read-only: {refusal}", severity="warning", timeout=8)

    def _recheck_progress(self, done: int, total: int) -> None:
        share = 100 * done // total if total else 100
        self._show_info(f"re-checking what changed: {share} %, the list follows")

    def _rechecked(self) -> None:
        if self.filter.checks and self.is_modified():     # the text being typed stays where it is
            self._show_info("re-checked: Enter in the filter shows the new list")
            return
        self._show_info()
        if not self.filter.checks:
            return
        units = self.query_one("#units", UnitList)
        current = units.current
        units.reload(current.cursor if current is not None else None)
        self._show_now(units.current)
        self.count_rows(self.filter, units.current.cursor if units.current else None)

    @work(thread=True, exclusive=True, group="text-index")
    def index_text(self, prepare: bool = False) -> None:
        """Bring the text search's index up to date off the UI thread: after an import it lacks
        the new rows, after edits the changed ones (searches are exact meanwhile, only slower);
        `prepare`: and have a text search's statements compiled before the first one is typed."""
        worker = get_current_worker()
        browse.index_text(self.app.wb, language=self.language if prepare else None,
                          stop=lambda: worker.is_cancelled)

    @work(thread=True, exclusive=True, group="count")
    def count_rows(self, f: Filter, cursor: tuple | None) -> None:
        """Count the filtered list (and the rows before a jump target) off the UI thread."""
        wb = self.app.wb
        total = browse.count(wb, language=self.language, filter=f, recheck=False)
        before = (browse.position_of(wb, language=self.language, filter=f, cursor=cursor, recheck=False)
                  if cursor else None)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_count, f, total, before)

    def _show_count(self, f: Filter, total: int, before: int | None) -> None:
        if f != self.filter:
            return
        units = self.query_one("#units", UnitList)
        units.total = total
        if before is not None:
            units.set_position(before)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self._may_leave():
            self.confirm_leave(lambda: self._filter_submitted(event))
            return
        if self._apply_filter(event.value):
            self._focus_text()

    def _show_now(self, row) -> None:
        """Show the list's current unit at once, so that the next frame has the list and the unit
        (the list's Moved message, which follows, would have it drawn a frame later)."""
        self.show(row)
        self._shown_now = row

    @on(UnitList.Moved)
    def _moved(self, event: UnitList.Moved) -> None:
        shown, self._shown_now = self._shown_now, _NOTHING
        if event.row is not shown:
            self.show(event.row)

    @on(UnitList.Selected)
    def _selected(self, event: UnitList.Selected) -> None:
        self._focus_text()

    @on(UnitList.WantsMove)
    def _wants_move(self, event: UnitList.WantsMove) -> None:
        units = event.unit_list

        def go() -> None:
            if event.action == "first":
                units.go_first()
            elif event.action == "last":
                units.go_last()
            else:
                units.step(event.delta)
        self.confirm_leave(go)

    # -- the current unit -------------------------------------------------------------------

    def show(self, row) -> None:
        """Show the unit of `row` (None: the list is empty)."""
        forms_box = self.query_one("#forms", Vertical)
        if row is None:
            self.detail = None
            self.query_one("#unit-head", Static).update(Text("No unit matches this filter.", style="dim italic"))
            for wid in ("#source", "#terms", "#context", "#neighbours", "#live", "#suggestions", "#history"):
                self.query_one(wid, Static).update("")
            forms_box.remove_children()
            self.form_areas = []
            return
        try:
            detail = unit_detail(self.app.wb, unit_id=row.unit_id, language=self.language)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.detail = detail
        t = detail.translation
        self.base_version = t.version
        forms = tuple(t.forms) + ("",) * max(0, detail.form_count - len(t.forms))
        self.saved_forms = forms[: detail.form_count]
        self.inserted = None
        self._show_head()
        matches = self._term_matches(detail)
        self.query_one("#source", Static).update(self._source_text(detail, matches))
        self.query_one("#terms", Static).update(self._terms_text(matches))
        self.query_one("#context", Static).update(self._context_text(detail))
        self.query_one("#neighbours", Static).update(self._neighbours_text(detail))
        self._load_forms(self.saved_forms)
        self._show_history()
        self._show_suggestions()
        self.checker = None
        self._update_live()
        self._when_drawn(detail.unit_id, lambda: self.prepare_checker(detail.unit_id, detail.resource, detail.key))

    def _show_head(self) -> None:
        d = self.detail
        t = d.translation
        head = Text(end="", no_wrap=True, overflow="ellipsis")
        head.append(f"{STATE_GLYPHS[t.state]} {t.state.value}", style=STATE_STYLES[t.state])
        head.append("  ")
        head.append_text(literal(d.key, style="bold"))
        head.append(f"  · {d.unit.kind.value} · v{t.version}", style="dim")
        if t.author:
            head.append(" · ", style="dim")
            head.append_text(literal(t.author, style="cyan"))
        if t.origin != Origin.HUMAN:
            head.append_text(literal(f" · from {t.origin}", style="dim"))
        self.query_one("#unit-head", Static).update(head)

    def _term_matches(self, d: UnitDetail) -> list:
        """The ESS terms in the source (spans in its first form), longest first."""
        try:
            return list(terms.find_in_text(self.app.wb, d.unit.source, language=self.app.wb.settings.source_language))
        except WorkbenchError as exc:
            self.notify(f"term base: {exc}", severity="error", timeout=6)
            return []

    def _source_text(self, d: UnitDetail, matches: list) -> Text:
        out = Text(end="")
        out.append(f"Source ({self.app.wb.settings.source_language})", style="bold")
        out.append_text(literal(f" · {d.unit.module} {d.module_title}"
                                + (f" · {d.resource}" if d.resource != d.unit.module else ""), style="dim"))
        out.append("\n")
        source = literal(d.unit.source)
        if source.plain == d.unit.source:               # spans count characters of the source as typed
            for m in matches:
                source.stylize(TERM_STYLES.get(m.status, "underline"), m.start, m.end)
        out.append_text(source)
        if d.unit.source_plural is not None:
            out.append("\nplural: ", style="dim")
            out.append_text(literal(d.unit.source_plural))
        if d.unit.comments:
            out.append("\nnote: ", style="dim italic")
            out.append_text(literal(d.unit.comments, style="dim italic"))
        return out

    def _terms_text(self, matches: list) -> Text:
        """For each concept in the source: the terms to use in this language, and the ones not to
        (wrapped: a term cut at the panel's edge could not be typed from it). A homonym (several
        concepts share the source term) has a line per concept, named by its id, to choose from."""
        out = Text(end="")
        seen: set[str] = set()
        self.term_keys = []
        if not matches:
            return out
        try:                    # read once here: each lookup through the service lists the glossaries again
            termbase = terms.load_termbase(self.app.wb.project).termbase
        except WorkbenchError:
            return out
        concepts_at: dict[tuple[int, int], int] = {}
        for m in matches:
            concepts_at[m.span] = concepts_at.get(m.span, 0) + 1
        for m in matches:
            if m.concept_id in seen:
                continue
            seen.add(m.concept_id)
            try:
                concept = termbase.get(m.concept_id)
            except WorkbenchError:
                continue
            out.append("\n" if len(seen) > 1 else "")
            wanted = concept.accepted(self.language)
            homonym = concepts_at[m.span] > 1
            out.append("≡", style="bold cyan")
            if wanted and len(self.term_keys) < MAX_TERM_KEYS:
                preferred = [t for t in wanted if t.status is TermStatus.PREFERRED]
                self.term_keys.append(((preferred or wanted)[0].text,
                                       f"{m.text} ({concept.id})" if homonym else m.text))
                out.append(f"{len(self.term_keys)}", style="bold cyan")
            out.append(" ")
            out.append_text(one_line(m.text, style="underline"))
            if homonym:
                out.append(" (", style="dim")
                out.append_text(one_line(concept.id, style="yellow"))
                out.append(")", style="dim")
            out.append(" → ", style="dim")
            if not wanted:
                out.append(f"no {self.language} term yet", style="dim italic")
            for i, term in enumerate(wanted):
                out.append(" · " if i else "", style="dim")
                preferred = term.status is TermStatus.PREFERRED
                out.append_text(one_line(term.text, style="bold green" if preferred else "green"))
            for term in concept.forbidden(self.language):
                out.append("  not: ", style="dim")
                out.append_text(one_line(term.text, style="strike red"))
            if len(self.term_keys) == 1 and wanted:
                out.append("   ctrl+l inserts a term", style="dim italic")
        return out

    def _context_text(self, d: UnitDetail) -> Text:
        """What changed and what the reviewer said (wrapped: it must be read whole)."""
        out = Text(end="")
        if d.previous_source is not None and d.previous_source != d.unit.source:
            out.append("Source changed since translated: ", style="bold yellow")
            out.append_text(diff_text(d.previous_source, d.unit.source))
            out.append("\n")
        if d.review_comment is not None:
            c = d.review_comment
            out.append("Reviewer", style="bold magenta")
            if c.user:
                out.append_text(literal(f" {c.user}", style="magenta"))
            out.append(": ", style="bold magenta")
            out.append_text(literal(c.text, style="magenta"))
        out.rstrip()
        return out

    def _neighbours_text(self, d: UnitDetail) -> Text:
        """The quiz question around a quiz item, or the cues around a cue: one line each."""
        out = Text(end="", no_wrap=True, overflow="ellipsis")
        width = max(40, self.query_one("#neighbours", Static).size.width or 74)
        if d.quiz:
            out.append("Quiz question\n", style="bold")
            for n in d.quiz:
                part = n.unit.key.rsplit("/", 1)[-1] if n.unit.kind is not UnitKind.QUIZ_QUESTION else "question"
                line = Text(no_wrap=True, overflow="ellipsis", end="")
                line.append("▶ " if n.current else "  ", style="bold")
                line.append(f"{part}{' ✔' if n.unit.is_correct_choice else ''}: ", style="bold" if n.current else "dim")
                line.append_text(one_line(n.unit.source, style="" if n.current else "dim"))
                if n.target and not n.current:
                    line.append("  → ", style="dim")
                    line.append_text(one_line(n.target, style="dim italic"))
                line.truncate(width, overflow="ellipsis")
                out.append_text(line)
                out.append("\n")
        if d.cues:
            limit = self._limits().cps
            side = max(10, (width - 24) // 2)
            out.append("Cues", style="bold")
            out.append("  start–end, reading speed, source → translation\n", style="dim")
            for c in d.cues:
                cur = c.neighbour.current
                style = "" if cur else "dim"
                line = Text(no_wrap=True, overflow="ellipsis", end="")
                line.append("▶ " if cur else "  ", style="bold")
                line.append(f"{_ms(c.start_ms)}–{_ms(c.end_ms)} ", style="cyan" if cur else "dim cyan")
                src = one_line(c.neighbour.unit.source, style=style)
                src.truncate(side, overflow="ellipsis", pad=True)
                line.append_text(src)
                if not cur and c.neighbour.target:
                    cps = c.target_cps or 0
                    line.append(f" {cps:4.1f} ", style="bold red" if cps > limit else "dim")
                    line.append_text(one_line(c.neighbour.target, style="dim italic"))
                elif cur:
                    line.append(" ◀ this cue", style="bold")
                line.truncate(width, overflow="ellipsis")
                out.append_text(line)
                out.append("\n")
        out.rstrip()
        return out

    def _limits(self):
        return self.app.wb.settings.for_language(self.language).subtitles

    def _load_forms(self, forms: tuple[str, ...]) -> None:
        """One text area per plural form (made anew only when the number of forms changes)."""
        box = self.query_one("#forms", Vertical)
        if len(self.form_areas) != len(forms):
            focused = self.focused in self.form_areas
            box.remove_children()
            self.form_areas = [TargetArea(soft_wrap=True, show_line_numbers=False, classes="target")
                               for _ in forms]
            box.mount_all(self.form_areas)
            if focused and self.form_areas:
                self.call_after_refresh(self.form_areas[0].focus)
        for i, (area, form) in enumerate(zip(self.form_areas, forms)):
            area.load_text(form)
            area.border_title = (f"{self.language} translation" if len(forms) == 1
                                 else f"{self.language} plural form {i}")
        box.set_class(len(forms) > 1, "plural")

    def _areas(self) -> list[TextArea]:
        return list(self.form_areas)

    def current_forms(self) -> tuple[str, ...]:
        return tuple(a.text for a in self._areas())

    def is_modified(self) -> bool:
        return self.detail is not None and self.current_forms() != self.saved_forms

    def _focus_text(self) -> None:
        areas = self._areas()
        if areas:
            areas[0].focus()

    def _focused_area(self) -> TextArea | None:
        focused = self.focused
        if isinstance(focused, TextArea) and focused in self._areas():
            return focused
        areas = self._areas()
        return areas[0] if areas else None

    # -- live checks, suggestions, history ----------------------------------------------------

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        if event.text_area in self._areas():
            self._update_live()

    def _update_live(self) -> None:
        """Length, lines and reading speed, then every check's issues, for the text as typed now."""
        if self.detail is None:
            return
        forms = self.current_forms()
        report = live_report(self.app.wb, self.detail, forms, language=self.language)
        if self.is_modified():
            report.append("  ● unsaved", style="bold yellow")
        if self.checker is None:
            report.append("  checking…", style="dim italic")
        else:
            issues = self.checker.check(forms)
            if not issues and any(f.strip() for f in forms):
                report.append("  ✓ no issue", style="green")
            for issue in issues:
                report.append("\n")
                report.append_text(issue_line(issue, fix_key="F5" if _fixes(issue, forms) else None))
        self.query_one("#live", Static).update(report)

    def _when_drawn(self, unit_id: int, start: Callable[[], object]) -> None:
        """Start a worker for the unit just shown once the frame showing it is drawn, if it is still
        the current unit: the frame need not share the interpreter with the worker (a thread
        holds the GIL between its queries), and a unit passed over quickly starts nothing."""
        def later() -> None:
            if self.detail is not None and self.detail.unit_id == unit_id:
                start()
        self.call_after_refresh(later)

    @work(thread=True, exclusive=True, group="checker")
    def prepare_checker(self, unit_id: int, resource: str, key: str) -> None:
        """The unit's checks with its neighbours and the term base, made ready off the UI thread."""
        try:
            with _freezing_what_it_builds():
                checker = draft_checker(self.app.wb, resource=resource, key=key, language=self.language)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, f"checks: {exc}", severity="error")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._checker_ready, unit_id, checker)

    def _checker_ready(self, unit_id: int, checker) -> None:
        if self.detail is not None and self.detail.unit_id == unit_id:
            self.checker = checker
            self._update_live()

    def _show_suggestions(self) -> None:
        """Memory matches come from a worker; the panel says so until they arrive."""
        d = self.detail
        self.suggestions = []
        self._render_suggestions(searching=True)
        self._when_drawn(d.unit_id, lambda: self.find_matches(d.unit_id, d.unit.source, d.key, d.resource))

    @work(thread=True, exclusive=True, group="memory")
    def find_matches(self, unit_id: int, source: str, key: str, resource: str) -> None:
        """Memory matches for the unit's source, its own translation left out (it is in the editor)."""
        try:
            with _freezing_what_it_builds():
                matches = memory.lookup(self.app.wb, source, language=self.language, key=key,
                                        limit=MAX_SUGGESTIONS, exclude=(resource, key))
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            matches = []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._matches_found, unit_id, matches)

    def _matches_found(self, unit_id: int, matches) -> None:
        if self.detail is None or self.detail.unit_id != unit_id:
            return                                  # the user has moved on: a later lookup answers
        found = [Suggestion(label=f"{m.score:3.0f}%", text=m.entry.target, origin=Origin.MEMORY,
                            detail=m.where + (" · same key" if m.same_key else "")) for m in matches]
        machine = [s for s in self.suggestions if s.label == "MT"]     # asked for before the memory answered
        self.suggestions = found[: MAX_SUGGESTIONS - len(machine)] + machine
        self._render_suggestions()

    def _render_suggestions(self, *, searching: bool = False, asking: bool = False) -> None:
        out = Text(end="")
        out.append("Suggestions", style="bold")
        out.append("  F1 F2 F3 insert · F4 in full", style="dim")
        shown = list(self.suggestions[:MAX_SUGGESTIONS])
        for i, sug in enumerate(shown, start=1):
            out.append(f"\n{i} ", style="bold reverse")
            out.append(f" {sug.label} ", style="bold green" if sug.label.startswith("100") else "bold yellow")
            out.append_text(one_line(sug.text))
            if sug.detail:
                out.append("\n     ")
                out.append_text(one_line(sug.detail, style="dim"))
        if asking:
            out.append("\nasking the machine translation provider…", style="dim italic")
        if searching:
            out.append("\nlooking in the translation memory…", style="dim italic")
        elif not shown:
            out.append("\nno match in the translation memory" if self.machine_problem else
                       "\nno match in the translation memory; ctrl+t asks machine translation", style="dim italic")
        if self.machine_problem and not asking:         # wrapped here: the panel cuts long lines
            width = max(30, self.query_one("#suggestions", Static).size.width or 74) - 2
            out.append(f"\nNo machine translation ({self.app.wb.settings.mt_provider}):", style="bold yellow")
            for line in textwrap.wrap(visible(self.machine_problem), width):
                out.append(f"\n  {line}", style="yellow")
        self.query_one("#suggestions", Static).update(out)

    def _show_history(self) -> None:
        """The latest changes, one line each (ctrl+r shows them all, and restores one)."""
        d = self.detail
        out = Text(end="", no_wrap=True, overflow="ellipsis")
        out.append("History", style="bold")
        if d.translation_id is None or not d.changes:
            out.append("  nobody has worked on it yet" if d.translation_id is None else "  no change recorded yet",
                       style="dim italic")
        else:
            out.append("  ctrl+r restores an earlier version", style="dim")
        for c in reversed(d.changes):
            out.append(f"\nv{c.version} ", style="bold")
            out.append(f"{c.at:%Y-%m-%d %H:%M} " if c.at else "", style="dim")
            out.append_text(literal(c.user, style="cyan"))
            out.append(f" {c.action} → {c.new_state.value}", style=STATE_STYLES[c.new_state])
            if c.text_changed and any(c.new_forms):        # (a cleared text: nothing after a colon)
                out.append(": ", style="dim")
                out.append_text(one_line(c.new_forms[0], style="dim"))
            if c.comment:
                out.append("  “", style="magenta")
                out.append_text(one_line(c.comment, style="magenta"))
                out.append("”", style="magenta")
        self.query_one("#history", Static).update(out)

    # -- saving -------------------------------------------------------------------------------

    def _may_leave(self) -> bool:
        return not self.is_modified()

    def confirm_leave(self, then) -> None:
        """Ask what to do with unsaved changes, then run `then` unless the user stays (also the
        app's ctrl+q, which quits only once the text is saved or dropped)."""
        def chosen(choice: str | None) -> None:
            if choice in ("save", "draft"):
                if self._save(draft=choice == "draft"):
                    then()
            elif choice == "discard":
                self._load_forms(self.saved_forms)
                then()
        self.app.push_screen(UnsavedScreen(self.detail.key if self.detail else ""), chosen)

    def _save(self, *, draft: bool, forms: tuple[str, ...] | None = None, base_version: int | None = None,
              then_next: bool = False) -> bool:
        d = self.detail
        if d is None:
            return False
        forms = self.current_forms() if forms is None else forms
        origin = Origin.HUMAN
        if self.inserted is not None and forms and forms[0] == self.inserted[0]:
            origin = self.inserted[1]
        try:
            saved = editing.save_translation(
                self.app.wb, resource=d.resource, key=d.key, language=self.language, forms=forms,
                base_version=self.base_version if base_version is None else base_version, draft=draft,
                origin=origin, unit_id=d.unit_id)
        except ConflictError as exc:
            self.app.push_screen(ConflictScreen(exc),
                                 lambda r: self._resolved(r, draft=draft, then_next=then_next))
            return False
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return False
        self._after_save(saved)
        if then_next:
            self._next(1)
        return True

    def _after_save(self, saved, *, message: str | None = None) -> None:
        units = self.query_one("#units", UnitList)
        self.detail = unit_detail(self.app.wb, unit_id=self.detail.unit_id, language=self.language)
        units.update_current(state=saved.state.value, target=saved.text, version=saved.version,
                             translation_id=self.detail.translation_id,
                             issue=self._issue_of(self.detail.translation_id))
        self.base_version = saved.version
        self.saved_forms = tuple(saved.forms)
        self._show_head()
        self._show_history()
        self._update_live()
        self.notify(message or f"Saved: {saved.state.value} (v{saved.version})", timeout=2)

    def _resolved(self, resolution: Resolution | None, *, draft: bool, then_next: bool) -> None:
        if resolution is None:
            self.notify("Your text is still in the editor; saving again will show the conflict again.",
                        timeout=4)
            return
        if resolution.choice == "theirs":
            self.base_version = resolution.base_version
            self.detail = unit_detail(self.app.wb, unit_id=self.detail.unit_id, language=self.language)
            t = self.detail.translation
            self.saved_forms = tuple(t.forms)
            self._load_forms(self.saved_forms)
            units = self.query_one("#units", UnitList)
            units.update_current(state=t.state.value, target=t.text, version=t.version,
                                 issue=self._issue_of(self.detail.translation_id))
            self._show_head()
            self._show_history()
            self._update_live()
            self.notify("Kept their text; yours is on the clipboard.", timeout=4)
            return
        self._load_forms(resolution.forms)
        self.base_version = resolution.base_version
        self._save(draft=draft, forms=resolution.forms, base_version=resolution.base_version,
                   then_next=then_next)

    def _next(self, delta: int) -> None:
        units = self.query_one("#units", UnitList)
        if not units.step(delta):
            self.notify("That was the last unit of this list." if delta > 0 else "This is the first unit.",
                        timeout=2)
        self._focus_text()

    # -- actions ------------------------------------------------------------------------------

    @after_typing
    def action_save(self) -> None:
        self._save(draft=False)

    @after_typing
    def action_save_next(self) -> None:
        self._save(draft=False, then_next=True)

    @after_typing
    def action_draft(self) -> None:
        self._save(draft=True)

    @after_typing
    def action_copy_source(self) -> None:
        d = self.detail
        area = self._focused_area()
        if d is None or area is None:
            return
        areas = self._areas()
        index = areas.index(area)
        source = d.unit.source if index == 0 or d.unit.source_plural is None else d.unit.source_plural
        area.replace(source, area.document.start, area.document.end)
        area.focus()

    @after_typing
    def action_undo(self) -> None:
        area = self._focused_area()
        if area is not None:
            area.undo()

    @after_typing
    def action_apply_fix(self) -> None:
        """A live check's suggested fix, applied to the form it is about as an edit (not saved, undone
        with ctrl+z): the fix of the issue at the cursor, else of the first fixable issue listed."""
        if self.detail is None:
            return
        if self.checker is None:
            self.notify("The checks are not ready yet: try again in a moment.", timeout=3)
            return
        areas = self._areas()
        forms = self.current_forms()
        fixable = [i for i in self.checker.check(forms) if _fixes(i, forms)]
        if not fixable:
            self.notify("Nothing to fix: no issue of this text has a suggested fix.", timeout=3)
            return
        area = self._focused_area()
        form = areas.index(area) if area in areas else 0
        cursor = areas[form].document.get_index_from_location(areas[form].cursor_location)
        issue = next((i for i in fixable if i.form == form and i.span is not None
                      and i.span[0] <= cursor <= i.span[1]), fixable[0])
        replace_text(areas[issue.form], issue.fix)
        areas[issue.form].focus()
        self.notify(f"Applied the {issue.check} fix (not saved; ctrl+z undoes it).", timeout=3, markup=False)

    @after_typing
    def action_insert(self, n: int) -> None:
        if n > len(self.suggestions):
            self.notify(f"There is no suggestion {n} for this unit.", timeout=2)
            return
        suggestion = self.suggestions[n - 1]
        areas = self._areas()
        forms = suggestion.forms if len(suggestion.forms) == len(areas) else (suggestion.text,)
        for area, form in zip(areas, forms):
            area.replace(form, area.document.start, area.document.end)
        self.inserted = (suggestion.text, suggestion.origin)
        areas[0].focus()

    def action_read_suggestions(self) -> None:
        """The suggestions whole (the panel cuts each to a line, and shows few on a small terminal);
        a number inserts one, as F1-F3 do."""
        from workbench.tui.dialogs import ReadTextsScreen

        if not self.suggestions:
            self.notify("No suggestion for this unit yet.", timeout=2)
            return
        texts = []
        for sug in self.suggestions[:MAX_SUGGESTIONS]:
            text = Text(end="")
            text.append(sug.label.strip(), style="bold green" if sug.label.startswith("100") else "bold yellow")
            if sug.detail:
                text.append("  ")
                text.append_text(literal(sug.detail, style="dim"))
            forms = sug.forms if len(sug.forms) > 1 else (sug.text,)
            for i, form in enumerate(forms):
                text.append("\n")
                if len(forms) > 1:
                    text.append(f"form {i + 1}: ", style="dim")
                text.append_text(literal(form))
            texts.append(text)
        self.app.push_screen(ReadTextsScreen("Suggestions for this unit", texts,
                                             hint="1-3 inserts one · ↑↓ PgUp PgDn scroll · Esc closes"),
                             lambda i: self.action_insert(i + 1) if i is not None else None)

    @after_typing
    def action_insert_term(self) -> None:
        """A term of the term base (the preferred form of a term line) typed at the cursor, over a
        selection: the only one at once, else the one chosen by its number."""
        area = self._focused_area()
        if area is None:
            return
        if not self.term_keys:
            self.notify("No term of the term base in this language for this unit's source.", timeout=2)
            return
        terms_now = list(self.term_keys)
        if len(terms_now) == 1:
            self._insert_at_cursor(area, terms_now[0][0])
            return
        self.app.push_screen(ChoiceScreen("Insert a term (its number; esc: none)",
                                          [f"{term}   ← {source}" for term, source in terms_now]),
                             lambda i: self._insert_at_cursor(area, terms_now[i][0]) if i is not None else None)

    def _insert_at_cursor(self, area: TextArea, text: str) -> None:
        start, end = sorted((area.selection.start, area.selection.end))
        area.replace(text, start, end)
        area.focus()

    def action_machine(self) -> None:
        d = self.detail
        if d is None:
            return
        self._render_suggestions(asking=True)
        self.ask_machine(d.unit_id, d.resource, d.key)

    @work(thread=True, exclusive=True, group="machine-check")
    def check_machine(self) -> None:
        """Whether machine translation can be asked for (a DeepL key is set...), off the UI thread:
        the suggestions panel says plainly when it cannot, before anyone presses ctrl+t."""
        problem = machine_unavailable(self.app.wb)
        if problem and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._machine_unavailable, problem)

    def _machine_unavailable(self, problem: str | None) -> None:
        self.machine_problem = problem
        if self.detail is not None:
            self._render_suggestions()

    @work(thread=True, exclusive=True, group="machine")
    def ask_machine(self, unit_id: int, resource: str, key: str) -> None:
        """The provider's proposal (DeepL, or the offline fake) for one unit; nothing is saved."""
        provider = self.app.wb.settings.mt_provider
        try:
            forms = machine_suggestion(self.app.wb, resource=resource, key=key, language=self.language)
        except WorkbenchError as exc:
            problem = machine_unavailable(self.app.wb)      # no key (still): the panel keeps saying so
            self.app.call_from_thread(self._machine_unavailable, problem)
            self.app.call_from_thread(self._machine_failed, unit_id, str(exc))
            return
        if self.machine_problem:                     # a key was set meanwhile
            self.app.call_from_thread(self._machine_unavailable, None)
        self.app.call_from_thread(self._machine_found, unit_id, provider, tuple(forms))

    def _machine_failed(self, unit_id: int, message: str) -> None:
        self.notify(f"MT: {message}", severity="error", timeout=8)
        if self.detail is not None and self.detail.unit_id == unit_id:
            self._render_suggestions()

    def _machine_found(self, unit_id: int, provider: str, forms: tuple[str, ...]) -> None:
        if self.detail is None or self.detail.unit_id != unit_id or not forms:
            return
        mt = Suggestion(label="MT", text=forms[0], origin=Origin.machine(provider),
                        detail=f"machine translation: {provider}", forms=forms)
        kept = [s for s in self.suggestions if s.label != "MT"]
        self.suggestions = (kept + [mt]) if len(kept) < MAX_SUGGESTIONS else kept[: MAX_SUGGESTIONS - 1] + [mt]
        self._render_suggestions()

    @after_typing
    def action_next_unit(self, delta: int) -> None:
        if self.is_modified():
            self.confirm_leave(lambda: self._next(delta))
        else:
            self._next(delta)

    @after_typing
    def action_next_issue(self) -> None:
        """The next unit of this list whose saved translation has an issue (the checks' stored results)."""
        units = self.query_one("#units", UnitList)
        current = units.current
        f = self.filter.with_(checks=self.filter.checks or active_checks(self.app.wb))
        found = browse.page(self.app.wb, language=self.language, filter=f, recheck=False,
                            after=current.cursor if current is not None else None, limit=1)
        wrapped = False
        if not found and current is not None:          # round again from the top of the list
            found = browse.page(self.app.wb, language=self.language, filter=f, recheck=False, limit=1)
            wrapped = bool(found) and found[0].cursor != current.cursor
            if not wrapped:
                found = []
        if pending_checks(self.app.wb, languages=[self.language]):
            self.recheck()
        if not found:
            self.notify("No other unit with an issue in this list (checks run on save; "
                        "'workbench check' re-checks everything).", timeout=4)
            return
        if wrapped:
            self.notify("No issue after this unit: back to the first one of the list.", timeout=3)

        def go() -> None:
            units.reload(found[0].cursor)
            self.count_rows(self.filter, found[0].cursor)
            self._focus_text()
        if self.is_modified():
            self.confirm_leave(go)
        else:
            go()

    @after_typing
    def action_revert(self) -> None:
        """The whole history of the translation in a dialog; the version chosen is restored as a new change."""
        d = self.detail
        if d is None:
            return
        if d.translation_id is None:
            self.notify("Nothing to revert: nobody has worked on this unit yet.", timeout=3)
            return
        if self.is_modified():
            self.confirm_leave(self._open_history)
        else:
            self._open_history()

    def _open_history(self) -> None:
        d = self.detail
        try:
            changes = history.history(self.app.wb, resource=d.resource, key=d.key, language=self.language)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        if not changes:
            self.notify("Nothing to revert: no change of this translation is recorded yet.", timeout=3)
            return
        self.app.push_screen(RevertScreen(label=f"{d.key} [{self.language}]", changes=changes,
                                          current_version=self.base_version, current_forms=self.saved_forms),
                             self._revert_to)

    def _revert_to(self, version: int | None) -> None:
        d = self.detail
        if version is None or d is None:
            return
        try:
            reverted = history.revert(self.app.wb, resource=d.resource, key=d.key, language=self.language,
                                      to_version=version, base_version=self.base_version, unit_id=d.unit_id)
        except ConflictError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            self.show(self.query_one("#units", UnitList).current)      # the newer version, nothing typed is lost
            return
        except WorkbenchError as exc:                                    # not allowed, or no such version
            self.notify(str(exc), severity="error", timeout=8)
            return
        forms = (tuple(reverted.forms) + ("",) * max(0, d.form_count - len(reverted.forms)))[: d.form_count]
        self._load_forms(forms)
        self._after_save(reverted, message=f"Restored v{version}: now v{reverted.version}, {reverted.state.value}")
        if self.saved_forms != forms:            # a text stored with fewer forms than the unit has now
            self.saved_forms = forms
            self._update_live()

    def action_scroll_source(self, lines: int) -> None:
        """The source box, which cannot take the focus, scrolled from the text being typed."""
        self.query_one("#source-box", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#filter", Input).value = self.query_text
            self._focus_text()
            return
        if self.is_modified():
            self.confirm_leave(self._leave)
        else:
            self._leave()

    def _leave(self) -> None:
        """Back to the screen below, which learns where the editor was (the timeline follows)."""
        self.dismiss(self.query_one("#units", UnitList).current)


def _fixes(issue: Issue, forms: tuple[str, ...]) -> bool:
    """Whether the issue has a fix that changes the text of its form."""
    return issue.fix is not None and issue.form < len(forms) and issue.fix != forms[issue.form]


def _ms(ms: int) -> str:
    s, ms = divmod(ms, 1000)
    m, s = divmod(s, 60)
    return f"{m:02d}:{s:02d}.{ms // 100}"

"""The term base screen: search concepts, see one in every language, add a term or a concept."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from workbench.domain.errors import WorkbenchError
from workbench.domain.languages import display_name
from workbench.domain.terms import Concept, Term, TermStatus
from workbench.services import terms
from workbench.tui.dialogs import ConfirmScreen
from workbench.tui.widgets import KeyFooter, literal, one_line, visible

if TYPE_CHECKING:
    from workbench.services.context import Workbench

STATUS_STYLES = {
    TermStatus.PREFERRED: "bold green",
    TermStatus.ADMITTED: "green",
    TermStatus.FORBIDDEN: "strike red",
    TermStatus.DO_NOT_TRANSLATE: "bold cyan",
}
STATUS_LABELS = {
    TermStatus.PREFERRED: "preferred",
    TermStatus.ADMITTED: "admitted",
    TermStatus.FORBIDDEN: "forbidden",
    TermStatus.DO_NOT_TRANSLATE: "do not translate",
}


def term_text(term: Term) -> Text:
    out = literal(term.text, style=STATUS_STYLES[term.status])
    out.append(f" ({STATUS_LABELS[term.status]})", style="dim")
    if term.homonym_of:
        out.append_text(literal(f" (homonym of {', '.join(term.homonym_of)})", style="dim italic"))
    return out


#: The characters of a definition the homonym dialog shows (the concept itself shows it whole).
DEFINITION_SHOWN = 200


def homonym_details(wb: Workbench, error: terms.HomonymError, *, language: str) -> Text:
    """The concepts that already have the refused term(s), each with its definition (plain text),
    and what the keys of the confirm dialog do."""
    source = wb.settings.source_language
    out = Text(end="")
    grouped: dict[tuple[str, str], list[str]] = {}
    for lang, text, other in error.clashes:
        grouped.setdefault((lang, text), []).append(other)
    for (lang, text), others in grouped.items():
        if out:
            out.append("\n\n")
        out.append(f"The {lang} term ")
        out.append_text(literal(text, style="bold"))
        out.append(" is already a term of:")
        for other in others:
            try:
                concept = terms.get_concept(wb, other)
            except WorkbenchError:
                continue
            out.append("\n  • ")
            out.append_text(literal(concept.label(source), style="bold"))
            out.append_text(literal(f"  (id {concept.id})", style="dim"))
            shown = next(((l, concept.definitions[l]) for l in (language, lang, source) if concept.definitions.get(l)),
                         next(iter(concept.definitions.items()), None))
            out.append("\n    ")
            if shown is None:
                out.append("no definition", style="dim italic")
            else:
                definition = shown[1] if len(shown[1]) <= DEFINITION_SHOWN else shown[1][:DEFINITION_SHOWN - 1] + "…"
                out.append_text(literal(f"{shown[0]}: {definition}", style="italic"))
    out.append("\n\nA deliberate homonym is the same term naming a different concept.\n")
    out.append("y", style="bold")
    out.append(" saves it as a deliberate homonym · ")
    out.append("n", style="bold")
    out.append(" or ")
    out.append("Esc", style="bold")
    out.append(" goes back to edit it")
    return out


class TermDialog(ModalScreen[tuple[str, str, TermStatus, str] | None]):
    """A new term (and, for a new concept, its source term): fields, then Enter."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, *, title: str, language: str, source_language: str, new_concept: bool,
                 term: Term | None = None, definition: str = "",
                 typed: tuple[str, str, TermStatus, str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.language = language
        self.source_language = source_language
        self.new_concept = new_concept
        self.term = term
        self.definition = definition
        self.typed = typed          # (source, term, status, definition) typed before, to go back to

    def compose(self) -> ComposeResult:
        source, text, status, definition = self.typed or (
            "", self.term.text if self.term else "", self.term.status if self.term else TermStatus.PREFERRED,
            self.definition)
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text, style="bold"), classes="dialog-title")
            if self.new_concept:
                yield Static(f"Term in the source language ({self.source_language})")
                yield Input(source, id="term-source", placeholder="for example: entreprise d'insertion")
            yield Static(f"Term in {display_name(self.language)} ({self.language})")
            yield Input(text, id="term-text", placeholder="the term as it should be written")
            yield Select([(STATUS_LABELS[s], s) for s in TermStatus], value=status,
                         allow_blank=False, id="term-status")
            yield Input(definition, id="term-definition", placeholder="definition (optional)")
            yield Static("", id="term-error", classes="error")
            yield Static(Text(f"Tab moves between fields · Enter in a text field {'saves' if self.term else 'adds'} · "
                              "Esc cancels", style="dim"))
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#term-source" if self.new_concept else "#term-text", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = self.query_one("#term-text", Input).value.strip()
        source = self.query_one("#term-source", Input).value.strip() if self.new_concept else ""
        if self.new_concept and not source:
            self.query_one("#term-error", Static).update("The source term is needed.")
            return
        if not text:
            self.query_one("#term-error", Static).update("The term is needed.")
            return
        status = self.query_one("#term-status", Select).value
        definition = self.query_one("#term-definition", Input).value.strip()
        self.dismiss((source, text, TermStatus(status), definition))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TermBaseScreen(Screen):
    """Search concepts; the selected one in all the project's languages; add terms where allowed."""

    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("a", "add_term", "Add term"),
        Binding("e", "edit_term", "Edit term"),
        Binding("n", "new_concept", "New concept"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, *, language: str, query: str = "") -> None:
        super().__init__()
        self.language = language
        self.query_text = query
        self.found: list[Concept] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(value=self.query_text, id="term-search",
                    placeholder="search concepts in any language (Enter); empty shows them all")
        with Horizontal(id="terms-main"):
            yield OptionList(id="concepts")
            with VerticalScroll(id="concept-box", can_focus=False):
                yield Static(id="concept")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = visible(f"term base · {self.language} · {self.app.wb.user}")
        self.query_one("#concepts", OptionList).border_title = "concepts"
        self._search(self.query_text)
        self.query_one("#concepts", OptionList).focus()

    def _search(self, query: str, *, select: str | None = None) -> None:
        wb = self.app.wb
        try:
            self.found = terms.search_concepts(wb, query)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.query_text = query
        options = self.query_one("#concepts", OptionList)
        options.clear_options()
        source = wb.settings.source_language
        for c in self.found:
            label = Text(no_wrap=True, overflow="ellipsis", end="")
            label.append_text(one_line(c.label(source), style="bold"))
            target = c.label(self.language)
            if target != c.id:
                label.append(" → ", style="dim")
                label.append_text(one_line(target))
            else:
                label.append(f"  (no {self.language} term)", style="dim italic")
            options.add_option(Option(label, id=c.id))
        options.border_subtitle = f"{len(self.found)} of {len(terms.search_concepts(wb, ''))}"
        if self.found:
            index = next((i for i, c in enumerate(self.found) if c.id == select), 0)
            options.highlighted = index
            self._show(self.found[index])
        else:
            self.query_one("#concept", Static).update(Text("No concept matches.", style="dim italic"))

    @on(Input.Submitted, "#term-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._search(event.value.strip())
        self.query_one("#concepts", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#concepts")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None and event.option_index < len(self.found):
            self._show(self.found[event.option_index])

    def _current(self) -> Concept | None:
        options = self.query_one("#concepts", OptionList)
        i = options.highlighted
        return self.found[i] if i is not None and i < len(self.found) else None

    def _show(self, c: Concept) -> None:
        wb = self.app.wb
        out = Text(end="")
        out.append_text(literal(c.label(wb.settings.source_language), style="bold"))
        out.append_text(literal(f"   id {c.id}", style="dim"))
        if c.tags:
            out.append_text(literal("   " + " ".join(f"#{t}" for t in c.tags), style="magenta"))
        for lang in wb.settings.languages:
            out.append("\n")
            mark = "▶" if lang == self.language else " "
            out.append(f"{mark} {lang:<3}", style="bold" if lang == self.language else "")
            found = c.terms_in(lang)
            if not found:
                out.append("—", style="dim")
            for i, term in enumerate(found):
                if i:
                    out.append(" · ", style="dim")
                out.append_text(term_text(term))
            definition = c.definitions.get(lang)
            if definition:
                out.append("\n      ")
                out.append_text(literal(definition, style="italic dim"))
        if c.source:
            out.append("\n\nSource: ", style="bold")
            out.append_text(literal(c.source, style="dim"))
        if c.note:
            out.append("\nNote: ", style="bold")
            out.append_text(literal(c.note, style="dim"))
        self.query_one("#concept", Static).update(out)

    # -- adding -------------------------------------------------------------------------------

    def _allowed(self, *, whole_concept: bool = False) -> bool:
        if terms.may_change(self.app.wb, frozenset() if whole_concept else frozenset({self.language})):
            return True
        self.notify("Only coordinators add concepts." if whole_concept else
                    f"Only coordinators, and reviewers of {self.language}, edit its terms.",
                    severity="warning", timeout=5)
        return False

    def _save(self, save: Callable[[bool], object], *, done: Callable[[object], None],
              again: Callable[[], None]) -> None:
        """Run `save(homonyms=False)` through the service and call `done` with its result. A term
        another concept has already is shown with those concepts, and saved as a deliberate
        homonym (`save(True)`) when confirmed; otherwise `again` reopens the dialog as typed."""
        try:
            result = save(False)
        except terms.HomonymError as exc:
            def answered(yes: bool | None) -> None:
                if not yes:
                    again()
                    return
                try:
                    confirmed = save(True)
                except WorkbenchError as error:
                    self.notify(str(error), severity="error", timeout=8)
                    return
                done(confirmed)

            self.app.push_screen(ConfirmScreen("Already in the term base: save as a deliberate homonym?",
                                               homonym_details(self.app.wb, exc, language=self.language)),
                                 answered)
            return
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        done(result)

    def _edit(self, concept_id: str, change, *, done: str, again: Callable[[], None]) -> None:
        """Apply `change` to the concept through the service; say what was done, or why not."""
        def finished(_changed: object) -> None:
            self.notify(done, timeout=3)
            self._search(self.query_text, select=concept_id)

        self._save(lambda homonyms: terms.edit_concept(self.app.wb, concept_id, change, homonyms=homonyms),
                   done=finished, again=again)

    def action_add_term(self, typed: tuple[str, str, TermStatus, str] | None = None) -> None:
        concept = self._current()
        if concept is None or not self._allowed():
            return

        def added(result) -> None:
            if result is None:
                return
            _, text, status, definition = result
            language = self.language

            def change(c: Concept) -> Concept:
                c = c.with_term(language, Term(text, status))
                return c.with_definition(language, definition) if definition else c
            self._edit(concept.id, change, done=f"Added to {concept.id}: {text} ({status.value})",
                       again=lambda: self.action_add_term(result))

        source_language = self.app.wb.settings.source_language
        self.app.push_screen(TermDialog(title=f"Add a {self.language} term to {concept.label(source_language)}",
                                        language=self.language, source_language=source_language,
                                        new_concept=False, typed=typed), added)

    def action_edit_term(self, typed: tuple[str, str, TermStatus, str] | None = None) -> None:
        """Change the first term of the current language (text, status) and its definition."""
        concept = self._current()
        if concept is None or not self._allowed():
            return
        existing = concept.terms_in(self.language)
        if not existing:
            self.notify(f"{concept.id} has no {self.language} term yet: a adds one.", timeout=4)
            return
        old = existing[0]

        def edited(result) -> None:
            if result is None:
                return
            _, text, status, definition = result
            language = self.language

            def change(c: Concept) -> Concept:
                kept = [t for t in c.terms_in(language) if t.text not in (old.text, text)]
                c = c.with_terms(language, (Term(text, status, old.type, old.note), *kept))
                return c.with_definition(language, definition)
            self._edit(concept.id, change, done=f"Changed in {concept.id}: {text} ({status.value})",
                       again=lambda: self.action_edit_term(result))

        self.app.push_screen(TermDialog(title=f"Change the {self.language} term {old.text}", language=self.language,
                                        source_language=self.app.wb.settings.source_language, new_concept=False,
                                        term=old, definition=concept.definitions.get(self.language, ""),
                                        typed=typed), edited)

    def action_new_concept(self, typed: tuple[str, str, TermStatus, str] | None = None) -> None:
        if not self._allowed(whole_concept=True):
            return
        wb = self.app.wb

        def created(result) -> None:
            if result is None:
                return
            source, text, status, definition = result
            source_language = wb.settings.source_language
            try:
                concept_id = terms.load_termbase(wb.project).termbase.new_id(source)
                concept = Concept(id=concept_id,
                                  terms={source_language: (Term(source),), self.language: (Term(text, status),)},
                                  definitions={self.language: definition} if definition else {})
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error", timeout=8)
                return

            def finished(path) -> None:
                self.notify(f"New concept {concept_id} in {wb.project.relative(path)}", timeout=3)
                self._search("", select=concept_id)

            self._save(lambda homonyms: terms.add_concept(wb, concept, homonyms=homonyms),
                       done=finished, again=lambda: self.action_new_concept(result))

        self.app.push_screen(TermDialog(title="A new concept", language=self.language,
                                        source_language=wb.settings.source_language, new_concept=True,
                                        typed=typed), created)

    def action_search(self) -> None:
        self.query_one("#term-search", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#concepts", OptionList).focus()
            return
        self.app.pop_screen()

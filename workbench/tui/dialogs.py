"""Small modal dialogs: unsaved changes, a comment to write, a choice to confirm, one of a few texts
(by its number, or read whole first)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from workbench.tui.widgets import KeyFooter, literal


class UnsavedScreen(ModalScreen[str | None]):
    """The text was changed and not saved: save, save as draft, discard, or stay."""

    BINDINGS = [
        Binding("s", "choose('save')", "Save"),
        Binding("d", "choose('draft')", "Save as draft"),
        Binding("x", "choose('discard')", "Discard"),
        Binding("escape", "choose(None)", "Stay"),
    ]

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            text = Text("Unsaved changes to ", style="bold")
            text.append_text(literal(self.label, style="bold"))
            yield Static(text, classes="dialog-title")
            yield Static(Text("s save (ready for review) · d save as draft · x discard my changes · esc stay here"))
        yield KeyFooter()

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)


class CommentScreen(ModalScreen[str | None]):
    """One line of text, for example the reason of a rejection; Enter confirms, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, *, placeholder: str = "", required: bool = True, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.required = required
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text, style="bold"), classes="dialog-title")
            yield Input(value=self.value, placeholder=self.placeholder, id="comment")
            yield Static("", id="comment-error", classes="error")
            yield Static(Text("Enter confirms · Esc cancels", style="dim"), id="comment-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#comment", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self.required and not text:
            self.query_one("#comment-error", Static).update("A comment is needed: say what to change.")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A question with its details; y confirms, Esc (or n) declines."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, question: str, details: Text | str = "") -> None:
        super().__init__()
        self.question = question
        self.details = details

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question, style="bold"), classes="dialog-title")
            if self.details:
                yield Static(self.details if isinstance(self.details, Text) else literal(self.details))
        yield KeyFooter()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def _number_keys(*, escape: str, number: str) -> list[Binding]:
    """Esc chooses none; 1-9 choose a numbered text (one key shown in the footer for all nine)."""
    return [Binding("escape", "choose(None)", escape)] + [
        Binding(str(n), f"choose({n - 1})", number, show=n == 1, key_display="1…9") for n in range(1, 10)]


def _numbered(n: int, text: Text) -> Text:
    """A text after its number, shown reversed."""
    out = Text(end="")
    out.append(f" {n} ", style="bold reverse")
    out.append(" ")
    out.append_text(text)
    return out


class _NumberedScreen(ModalScreen[int | None]):
    """Up to nine numbered items: dismissed with the index of the one chosen, or None."""

    def __init__(self, title: str, items: list) -> None:
        super().__init__()
        self.title_text = title
        self.items = items[:9]

    def action_choose(self, index: int | None) -> None:
        if index is None or index < len(self.items):
            self.dismiss(index)


class ChoiceScreen(_NumberedScreen):
    """One of up to nine texts, chosen by its number (1-9); Esc chooses none."""

    BINDINGS = _number_keys(escape="Cancel", number="Choose")

    def __init__(self, title: str, choices: list[str]) -> None:
        super().__init__(title, choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text, style="bold"), classes="dialog-title")
            lines = Text(end="")
            for n, choice in enumerate(self.items, start=1):
                lines.append("\n" if n > 1 else "")
                lines.append_text(_numbered(n, literal(choice)))
            yield Static(lines)
        yield KeyFooter()


class ReadTextsScreen(_NumberedScreen):
    """A few numbered texts shown whole (wrapped, scrolled with ↑↓ PgUp PgDn), where a panel cut
    them to a line; 1-9 chooses one, Esc closes."""

    BINDINGS = _number_keys(escape="Close", number="Insert")

    def __init__(self, title: str, texts: list[Text], *, hint: str = "") -> None:
        super().__init__(title, texts)
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text, style="bold"), classes="dialog-title")
            with VerticalScroll(id="read-texts"):
                for n, text in enumerate(self.items, start=1):
                    yield Static(_numbered(n, text), classes="read-text")
            if self.hint:
                yield Static(Text(self.hint, style="dim"), id="read-texts-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#read-texts", VerticalScroll).focus()

"""The history dialog: every version of a translation; Enter restores the one chosen as a new change."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.services.history import Change
from workbench.tui.conflict import diff_text
from workbench.tui.widgets import STATE_STYLES, KeyFooter, literal, one_line


def versions(changes: Sequence[Change]) -> dict[int, Change]:
    """Each version's last change (the text it had), oldest first."""
    out: dict[int, Change] = {}
    for c in changes:
        out[c.version] = c
    return out


class RevertScreen(ModalScreen[int | None]):
    """Newest version first; the current one cannot be chosen, version 0 is the empty text before any change.

    Dismisses with the version to restore, or None.
    """

    BINDINGS = [
        Binding("enter", "restore", "Restore", priority=True, tooltip="Restore the version chosen (as a new change)"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, *, label: str, changes: Sequence[Change], current_version: int,
                 current_forms: tuple[str, ...]) -> None:
        super().__init__()
        self.label = label
        self.by_version = versions(changes)
        self.current_version = current_version
        self.current_forms = current_forms
        first = changes[0].old_forms if changes else current_forms
        self.empty = tuple("" for _ in first) or ("",)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="history-dialog"):
            title = Text("History of ", style="bold")
            title.append_text(literal(self.label, style="bold"))
            title.append(" · choose a version to restore", style="bold")
            yield Static(title, classes="dialog-title")
            yield OptionList(*self._options(), id="versions")
            with VerticalScroll(id="version-box", can_focus=False):
                yield Static(id="version-text")
            yield Static(Text("↑↓ choose · Enter restores its text as a new version (it then awaits review; "
                              "nothing is lost: the current text stays in the history) · Esc cancels", style="dim"))
        yield KeyFooter()

    def _options(self) -> list[Option]:
        options = []
        for version, c in sorted(self.by_version.items(), reverse=True):
            line = Text(no_wrap=True, overflow="ellipsis", end="")
            line.append(f"v{version:<3}", style="bold")
            line.append(f" {c.at:%Y-%m-%d %H:%M} " if c.at else " ", style="dim")
            line.append_text(one_line(c.user, style="cyan"))
            line.append(f" {c.action} → {c.new_state.value}", style=STATE_STYLES[c.new_state])
            if version == self.current_version:
                line.append("  (current)", style="bold")
            line.append("  ")
            line.append_text(one_line(c.new_forms[0] if c.new_forms else "", style="dim"))
            options.append(Option(line, id=f"v{version}", disabled=version == self.current_version))
        if self.current_version != 0:
            options.append(Option(Text.assemble(("v0  ", "bold"), ("  empty: before the first change", "dim italic")),
                                  id="v0"))
        return options

    def on_mount(self) -> None:
        versions_list = self.query_one("#versions", OptionList)
        versions_list.focus()
        if versions_list.highlighted is None and versions_list.option_count:
            versions_list.action_first()
        self._show(self.chosen())

    def chosen(self) -> int | None:
        versions_list = self.query_one("#versions", OptionList)
        index = versions_list.highlighted
        if index is None:
            return None
        option = versions_list.get_option_at_index(index)
        return None if option.disabled else int(option.id[1:])

    def forms_of(self, version: int) -> tuple[str, ...]:
        return self.empty if version == 0 else tuple(self.by_version[version].new_forms)

    @on(OptionList.OptionHighlighted, "#versions")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(self.chosen())

    @on(OptionList.OptionSelected, "#versions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_restore()

    def _show(self, version: int | None) -> None:
        out = Text(end="")
        if version is None:
            out.append("The current version is the one in the editor; choose an earlier one.", style="dim italic")
        else:
            forms = self.forms_of(version)
            out.append(f"Text of v{version}", style="bold")
            for i, form in enumerate(forms):
                out.append(f"\n[{i}] " if len(forms) > 1 else "\n", style="dim")
                out.append_text(literal(form) if form else Text("(empty)", style="dim italic"))
            out.append(f"\n\nChanges from the current text (v{self.current_version}) to v{version}", style="bold")
            for i, (now, then) in enumerate(zip(self.current_forms, forms)):
                out.append(f"\n[{i}] " if len(forms) > 1 else "\n", style="dim")
                out.append_text(diff_text(now, then) if now != then else Text("(the same text)", style="dim italic"))
        self.query_one("#version-text", Static).update(out)

    def action_restore(self) -> None:
        version = self.chosen()
        if version is not None:
            self.dismiss(version)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""The conflict dialog: a save met a newer version; keep mine, take theirs, or merge — nothing is lost."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from workbench.domain.errors import ConflictError
from workbench.services.review import word_diff
from workbench.tui.widgets import KeyFooter, SafeTextArea, literal


@dataclass(frozen=True, slots=True)
class Resolution:
    """What the user chose: the forms to save on top of `base_version`, or theirs to keep."""

    choice: str                      # "mine" | "theirs" | "merged"
    forms: tuple[str, ...]
    base_version: int


def diff_text(old: str, new: str) -> Text:
    """A word diff: removed words struck through in red, added ones in green; the text stays literal."""
    out = Text(end="")
    for op, chunk in word_diff(old, new):
        style = {"=": "", "-": "strike red", "+": "bold green"}[op]
        out.append_text(literal(chunk, style=style))
    return out


class ConflictScreen(ModalScreen[Resolution | None]):
    """Both texts side by side; m keeps mine, t takes theirs, e edits a merge of both."""

    BINDINGS = [
        Binding("m", "mine", "Keep mine"),
        Binding("t", "theirs", "Take theirs"),
        Binding("e", "merge", "Merge"),
        Binding("ctrl+s", "save_merge", "Save merge", priority=True),
        Binding("escape", "cancel", "Back"),
    ]

    AUTO_FOCUS = None       # the keys m, t, e go to the screen until the merge editor opens

    def __init__(self, error: ConflictError) -> None:
        super().__init__()
        self.error = error
        self.merging = False

    def compose(self) -> ComposeResult:
        e = self.error
        with Vertical(classes="dialog wide", id="conflict"):
            title = Text("Conflict: ", style="bold red")
            title.append_text(literal(f"{e.key} [{e.language}]", style="bold"))
            title.append(f" was saved meanwhile (version {e.current_version}"
                         + (f", by {e.theirs_author}" if e.theirs_author else "") + f"); your text is based on "
                         f"version {e.base_version}. Nothing was overwritten.")
            yield Static(title, classes="dialog-title")
            with Horizontal(id="conflict-sides"):
                with Vertical(classes="side"):
                    yield Static(Text("Yours", style="bold"))
                    yield Static(self._forms(e.mine), id="conflict-mine")
                with Vertical(classes="side"):
                    yield Static(Text(f"Theirs (version {e.current_version})", style="bold"))
                    yield Static(self._forms(e.theirs), id="conflict-theirs")
            yield Static(Text("Changes from theirs to yours", style="bold"))
            yield Static(diff_text(e.theirs[0] if e.theirs else "", e.mine[0] if e.mine else ""),
                         id="conflict-diff")
            merge = SafeTextArea(id="conflict-merge", soft_wrap=True, show_line_numbers=False, disabled=True)
            merge.display = False
            yield merge
            yield Static(Text("m keep mine · t take theirs (yours is copied to the clipboard) · "
                              "e merge both in an editor, then ctrl+s · esc back to editing", style="dim"),
                         id="conflict-help")
        yield KeyFooter()

    @staticmethod
    def _forms(forms: tuple[str, ...]) -> Text:
        if len(forms) == 1:
            return literal(forms[0]) if forms[0] else Text("(empty)", style="dim italic")
        out = Text(end="")
        for i, form in enumerate(forms):
            out.append(f"[{i}] ", style="dim")
            out.append_text(literal(form))
            out.append("\n")
        return out

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """While merging, only saving the merge and going back apply; before, not saving a merge."""
        if action == "save_merge":
            return self.merging
        if action in ("mine", "theirs", "merge"):
            return not self.merging
        return True

    def action_mine(self) -> None:
        e = self.error
        self.dismiss(Resolution("mine", tuple(e.mine), e.current_version))

    def action_theirs(self) -> None:
        e = self.error
        self.app.copy_to_clipboard("\n".join(e.mine))
        self.dismiss(Resolution("theirs", tuple(e.theirs), e.current_version))

    def action_merge(self) -> None:
        e = self.error
        area = self.query_one("#conflict-merge", TextArea)
        if len(e.mine) > 1:
            self.notify("Plural forms: keep one side here, then edit the forms in the editor.", severity="warning")
            return
        merged = e.mine[0] if e.mine[0].strip() == (e.theirs[0] if e.theirs else "").strip() else \
            f"{e.mine[0]}\n{e.theirs[0] if e.theirs else ''}"
        area.load_text(merged)
        area.disabled = False
        area.display = True
        area.focus()
        self.merging = True
        self.refresh_bindings()
        self.query_one("#conflict-help", Static).update(
            Text("Both texts are in the editor: keep what you want, then ctrl+s saves it · esc cancels", style="dim"))

    def action_save_merge(self) -> None:
        """Save the merge once the area has taken the keys typed before ctrl+s (a priority key runs at
        once, typed keys wait in the area's queue)."""
        if not self.merging:
            return
        area = self.query_one("#conflict-merge", TextArea)

        def save() -> None:
            if self.merging and self.is_attached:
                self.dismiss(Resolution("merged", (area.text,), self.error.current_version))
        area.call_later(save)

    def action_cancel(self) -> None:
        if self.merging:
            self.merging = False
            area = self.query_one("#conflict-merge", TextArea)
            area.display = False
            area.disabled = True
            self.set_focus(None)
            self.refresh_bindings()
            return
        self.dismiss(None)

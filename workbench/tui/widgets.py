"""Small renderables shared by the screens: state bars and glyphs, and user text shown literally."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Footer, Input, TextArea

from workbench.domain.states import State

STATE_STYLES = {
    State.APPROVED: "green",
    State.TRANSLATED: "cyan",
    State.DRAFT: "yellow",
    State.UNTRANSLATED: "grey35",
}
STATE_GLYPHS = {
    State.APPROVED: "✓",
    State.TRANSLATED: "●",
    State.DRAFT: "✎",
    State.UNTRANSLATED: "○",
}
STATE_ORDER = (State.APPROVED, State.TRANSLATED, State.DRAFT, State.UNTRANSLATED)


def state_bar(counts: dict[str, int], width: int = 20) -> Text:
    """A bar whose segments are the shares approved, translated, draft and untranslated."""
    total = sum(counts.values())
    bar = Text()
    if total == 0:
        return Text("·" * width, style="grey35")
    used = 0
    for i, state in enumerate(STATE_ORDER):
        n = counts.get(state.value, 0)
        cells = round(width * n / total) if i < len(STATE_ORDER) - 1 else width - used
        cells = max(0, min(cells, width - used))
        used += cells
        bar.append("█" * cells if state is not State.UNTRANSLATED else "░" * cells, style=STATE_STYLES[state])
    return bar


#: Characters that are not shown as typed: C0/C1 controls (ESC starts terminal sequences), DEL,
#: and the invisible format characters (zero-width, direction marks and overrides, BOM).
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def _escape(match: re.Match, keep_newlines: bool) -> str:
    ch = match.group()
    if ch == "\n":
        return ch if keep_newlines else "⏎ "
    if ch == "\t":
        return "    "
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """Control characters (escape sequences included) made visible as \\xNN; tabs as spaces."""
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(lambda m: _escape(m, keep_newlines), text)


def literal(text: str, style: str = "") -> Text:
    """User content shown as typed: never markup, control characters made visible."""
    return Text(visible(text), style=style, end="")


def one_line(text: str, style: str = "") -> Text:
    """User content on one line: line breaks shown as ⏎."""
    return Text(visible(text, keep_newlines=False), style=style, no_wrap=True, overflow="ellipsis", end="")


def _without_keys(binding: Binding, keys: set[str]) -> Binding | None:
    kept = [k for k in binding.key.split(",") if k.strip() not in keys]
    return replace(binding, key=",".join(kept)) if kept else None


def _picture(ch: str) -> str | None:
    """A visible stand-in for an invisible or control character, one cell wide; None for others."""
    code = ord(ch)
    if code < 0x20 and ch != "\t":
        return chr(0x2400 + code)          # ␛ for ESC, ␀ for NUL...
    if code == 0x7F:
        return "␡"
    if 0x80 <= code < 0xA0:
        return "\ufffd"
    if unicodedata.category(ch) == "Cf":   # zero-width and direction marks, soft hyphen
        return "¦"
    return None


def replace_text(area: TextArea, text: str) -> None:
    """Make the area hold `text` by replacing only the part that differs, as one edit of its own
    that ctrl+z undoes (`load_text` would clear the undo history)."""
    old = area.text
    start = 0
    limit = min(len(old), len(text))
    while start < limit and old[start] == text[start]:
        start += 1
    end_old, end_new = len(old), len(text)
    while end_old > start and end_new > start and old[end_old - 1] == text[end_new - 1]:
        end_old -= 1
        end_new -= 1
    document = area.document
    area.history.checkpoint()
    area.replace(text[start:end_new], document.get_location_from_index(start),
                 document.get_location_from_index(end_old))
    area.history.checkpoint()


class SafeTextArea(TextArea):
    """A TextArea that shows control characters (escape sequences included) as visible symbols.

    The document keeps the characters as typed; only what is drawn on the terminal differs.
    """

    def get_line(self, line_index: int) -> Text:
        line = self.document.get_line(line_index)
        if all(_picture(ch) is None for ch in line):
            return Text(line, end="", no_wrap=True)
        out = Text(end="", no_wrap=True)
        for ch in line:
            pic = _picture(ch)
            if pic is None:
                out.append(ch)
            else:
                out.append(pic, style="reverse")
        return out


class TargetArea(SafeTextArea, inherit_bindings=False):
    """The translation editor: a TextArea whose ctrl+d and ctrl+z belong to the editor screen
    (mark draft, undo), so that the footer lists the screen's keys in their order."""

    BINDINGS = [b for b in (_without_keys(b, {"ctrl+d", "ctrl+z", "super+z"}) for b in TextArea.BINDINGS
                            if isinstance(b, Binding)) if b is not None]


class FilterInput(Input, inherit_bindings=False):
    """The one-line filter: an Input whose ctrl+d (delete right) belongs to the screen (mark draft);
    the Delete key still deletes."""

    BINDINGS = [b for b in (_without_keys(b, {"ctrl+d"}) for b in Input.BINDINGS if isinstance(b, Binding))
                if b is not None]


class KeyFooter(Footer):
    """The footer, redrawn only when the keys it shows change (not on every focus change).

    Textual's Footer rebuilds its keys whenever the focus moves; on the editor, moving from the
    filter to the text changes no visible key but cost a fifth of a second on a busy machine.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def _signature(self, screen) -> tuple:
        return tuple((key, b.description, b.action, enabled, b.key_display)
                     for key, (_, b, enabled, _) in screen.active_bindings.items()
                     if b.show or key == self.app.COMMAND_PALETTE_BINDING)

    def bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            signature = self._signature(screen)
            if signature == self._shown:
                self._bindings_ready = True
                return
            self._shown = signature
        super().bindings_changed(screen)

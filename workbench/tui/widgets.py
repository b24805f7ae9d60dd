"""Small renderables shared by the screens: progress bars made of state segments."""

from __future__ import annotations

from rich.text import Text

from workbench.domain.states import State

STATE_STYLES = {
    State.APPROVED: "green",
    State.TRANSLATED: "cyan",
    State.DRAFT: "yellow",
    State.UNTRANSLATED: "grey35",
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


def literal(text: str) -> Text:
    """User content shown as typed: never markup, control characters made visible."""
    cleaned = "".join(ch if ch.isprintable() or ch in "\n\t" else f"\\x{ord(ch):02x}" for ch in text)
    return Text(cleaned)

"""A virtual list of translations: only a window of rows is held, fetched page by page by keyset."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Protocol, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from workbench.domain.states import State
from workbench.tui.widgets import STATE_GLYPHS, STATE_STYLES, one_line


class ListRow(Protocol):
    """What the list needs of a row (services/browse.py's Row has it; a row may also have an
    `issue`, the severity of its worst stored issue, as services/issue_marks.py's MarkedRow does)."""

    unit_id: int
    key: str
    state: str
    source: str
    target: str
    cursor: tuple


#: fetch(after, before, limit): rows after a cursor, before one, or from the start when both are None.
Fetch = Callable[[tuple | None, tuple | None, int], Sequence[ListRow]]


class RowWindow:
    """The rows around the cursor; moving past either end fetches one more page, and the far end is dropped.

    `offset` is the index of the first held row in the whole list when it is known (after Home, or
    when the caller sets it from a count); it stays None after a jump into the middle.
    """

    PAGE = 100
    KEEP = 400

    def __init__(self, fetch: Fetch, *, page: int = PAGE, keep: int = KEEP) -> None:
        self.fetch = fetch
        self.page = page
        self.keep = max(keep, 2 * page)
        self.rows: list[ListRow] = []
        self.index = 0              # the cursor, in `rows`
        self.offset: int | None = 0
        self.at_start = True        # nothing before rows[0]
        self.at_end = True          # nothing after rows[-1]

    # -- loading ----------------------------------------------------------------------------

    def reset(self) -> None:
        """The start of the list."""
        rows = list(self.fetch(None, None, self.page))
        self.rows, self.index, self.offset = rows, 0, 0
        self.at_start, self.at_end = True, len(rows) < self.page

    def last(self, end_cursor: tuple, total: int | None = None) -> None:
        """The end of the list (`end_cursor` lies after every row)."""
        rows = list(self.fetch(None, end_cursor, self.page))
        self.rows, self.index = rows, max(0, len(rows) - 1)
        self.at_start, self.at_end = len(rows) < self.page, True
        self.offset = 0 if self.at_start else (total - len(rows) if total is not None else None)

    def goto(self, cursor: tuple) -> None:
        """The window around the row at `cursor` (or the next one, if that row is gone)."""
        before = list(self.fetch(None, cursor, self.page // 2))
        after = list(self.fetch(before[-1].cursor if before else None, None, self.page))
        if before and after and after[0].cursor <= before[-1].cursor:  # pragma: no cover - defensive
            after = [r for r in after if r.cursor > before[-1].cursor]
        self.rows = before + after
        self.index = min(len(before), max(0, len(self.rows) - 1))
        self.at_start = len(before) < self.page // 2
        self.at_end = len(after) < self.page
        self.offset = 0 if self.at_start else None

    def _more_after(self) -> bool:
        if self.at_end or not self.rows:
            return False
        rows = list(self.fetch(self.rows[-1].cursor, None, self.page))
        self.at_end = len(rows) < self.page
        self.rows.extend(rows)
        drop = len(self.rows) - self.keep
        if drop > 0:
            del self.rows[:drop]
            self.index -= drop
            self.at_start = False
            if self.offset is not None:
                self.offset += drop
        return bool(rows)

    def _more_before(self) -> bool:
        if self.at_start or not self.rows:
            return False
        rows = list(self.fetch(None, self.rows[0].cursor, self.page))
        self.at_start = len(rows) < self.page
        self.rows[:0] = rows
        self.index += len(rows)
        if self.offset is not None:
            self.offset -= len(rows)
        if self.at_start:
            self.offset = 0
        drop = len(self.rows) - self.keep
        if drop > 0:
            del self.rows[-drop:]
            self.at_end = False
        return bool(rows)

    # -- moving -----------------------------------------------------------------------------

    def move(self, delta: int) -> bool:
        """Move the cursor by `delta` rows, fetching pages as needed; False when it cannot move."""
        if not self.rows:
            return False
        target = self.index + delta
        while target >= len(self.rows) and self._more_after():
            target = self.index + delta
        while target < 0:
            old = self.index
            if not self._more_before():
                break
            target += self.index - old
        target = max(0, min(target, len(self.rows) - 1))
        moved = target != self.index
        self.index = target
        return moved

    @property
    def current(self) -> ListRow | None:
        return self.rows[self.index] if self.rows else None

    @property
    def position(self) -> int | None:
        """The cursor's index in the whole list, when known."""
        return None if self.offset is None else self.offset + self.index

    def replace_current(self, **changes) -> None:
        if self.rows:
            self.rows[self.index] = replace(self.rows[self.index], **changes)


#: The marks of a row whose translation has stored issues (a row's optional `issue`: its worst severity).
ISSUE_MARKS = {"error": ("✗", "bold red"), "warning": ("⚠", "yellow")}


def _default_row(row: ListRow, width: int, current: bool) -> list[Text]:
    state = State(row.state)
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    if hasattr(row, "issue"):                   # rows that carry their issues get a column for the mark
        mark, style = ISSUE_MARKS.get(row.issue, (" ", ""))
        line.append(STATE_GLYPHS[state], style=STATE_STYLES[state])
        line.append(mark, style=style)
        line.append(" ")
    else:
        line.append(f"{STATE_GLYPHS[state]} ", style=STATE_STYLES[state])
    line.append_text(one_line(row.key, style="bold" if current else ""))
    line.append("  ")
    line.append_text(one_line(row.target or row.source, style="" if row.target else "dim italic"))
    line.truncate(width, overflow="ellipsis")
    return [line]


class UnitList(Widget, can_focus=True):
    """The window of rows as lines; only what fits on screen is rendered."""

    BINDINGS = [
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Edit", show=False),
    ]

    total: reactive[int | None] = reactive(None)

    class Moved(Message):
        """The cursor is on another row (or the list was reloaded)."""

        def __init__(self, unit_list: "UnitList", row: ListRow | None) -> None:
            super().__init__()
            self.unit_list = unit_list
            self.row = row

    class Selected(Message):
        def __init__(self, unit_list: "UnitList", row: ListRow) -> None:
            super().__init__()
            self.unit_list = unit_list
            self.row = row

    class WantsMove(Message):
        """The user asked to move by `delta` (the screen decides, e.g. after unsaved changes)."""

        def __init__(self, unit_list: "UnitList", action: str, delta: int) -> None:
            super().__init__()
            self.unit_list = unit_list
            self.action = action
            self.delta = delta

    def __init__(self, fetch: Fetch, *, end_cursor: Callable[[], tuple] | None = None,
                 render_row: Callable[[ListRow, int, bool], list[Text]] = _default_row,
                 row_height: int = 1, guard: Callable[[], bool] | None = None,
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.window = RowWindow(fetch)
        self.end_cursor = end_cursor
        self.render_row = render_row
        self.row_height = row_height
        self.guard = guard          # returns False when the screen wants to confirm a move first
        self.top = 0                # index in window.rows of the first row shown

    # -- the screen's calls -----------------------------------------------------------------

    def reload(self, cursor: tuple | None = None) -> None:
        """Fetch from the start (or around `cursor`) and tell the screen which row is current."""
        self.total = None
        if cursor is None:
            self.window.reset()
        else:
            self.window.goto(cursor)
        self.top = max(0, self.window.index - self.visible_rows // 3)
        self._moved()

    def update_current(self, **changes) -> None:
        self.window.replace_current(**changes)
        self.refresh()

    @property
    def current(self) -> ListRow | None:
        return self.window.current

    @property
    def visible_rows(self) -> int:
        return max(1, self.content_size.height // self.row_height) if self.content_size.height else 20

    def step(self, delta: int) -> bool:
        """Move without asking; True when the cursor moved."""
        moved = self.window.move(delta)
        if moved:
            self._moved()
        return moved

    def go_first(self) -> None:
        self.window.reset()
        self._moved()

    def go_last(self) -> None:
        if self.end_cursor is None:
            while self.window.move(self.window.page):
                pass
        else:
            self.window.last(self.end_cursor(), self.total)
        self._moved()

    # -- keys -------------------------------------------------------------------------------

    def _ask(self, action: str, delta: int = 0) -> bool:
        if self.guard is not None and not self.guard():
            self.post_message(self.WantsMove(self, action, delta))
            return False
        return True

    def action_move(self, delta: int) -> None:
        if self._ask("move", delta):
            self.step(delta)

    def action_page(self, direction: int) -> None:
        delta = direction * max(1, self.visible_rows - 1)
        if self._ask("move", delta):
            self.step(delta)

    def action_first(self) -> None:
        if self._ask("first"):
            self.go_first()

    def action_last(self) -> None:
        if self._ask("last"):
            self.go_last()

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    # -- drawing ----------------------------------------------------------------------------

    def _moved(self) -> None:
        w = self.window
        shown = self.visible_rows
        if w.index < self.top:
            self.top = w.index
        elif w.index >= self.top + shown:
            self.top = w.index - shown + 1
        self.top = max(0, min(self.top, max(0, len(w.rows) - shown)))
        self._update_title()
        self.refresh()
        self.post_message(self.Moved(self, w.current))

    def watch_total(self, total: int | None) -> None:
        if total is not None and self.window.offset is None and self.window.at_end:
            self.window.offset = total - len(self.window.rows)
        self._update_title()

    def set_position(self, before: int) -> None:
        """The number of rows before the current one, counted by the screen in a worker."""
        self.window.offset = before - self.window.index
        self._update_title()

    def _update_title(self) -> None:
        pos = self.window.position
        total = self.total
        where = "…" if pos is None else f"{pos + 1:,}"
        if not self.window.rows:
            self.border_subtitle = "no units match" if total is not None or self.window.at_end else ""
        else:
            self.border_subtitle = f"{where} / {'…' if total is None else f'{total:,}'}"

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self._moved_quietly()

    def _moved_quietly(self) -> None:
        shown = self.visible_rows
        w = self.window
        if w.index >= self.top + shown:
            self.top = w.index - shown + 1
        self.refresh()

    def render(self) -> Text:
        width = max(10, self.content_size.width)
        w = self.window
        out = Text(no_wrap=True, overflow="ellipsis", end="")
        if not w.rows:
            out.append("No unit matches this filter.", style="dim italic")
            return out
        shown = self.visible_rows
        lines: list[Text] = []
        for i in range(self.top, min(len(w.rows), self.top + shown)):
            current = i == w.index
            row_lines = self.render_row(w.rows[i], width - 1, current)
            for line in row_lines[: self.row_height]:
                if current:
                    line.pad_right(max(0, width - 1 - line.cell_len))
                    line.stylize("reverse" if self.has_focus else "on grey23")
                    line = Text("▌", style="bold", end="") + line
                else:
                    line = Text(" ", end="") + line
                lines.append(line)
        return Text("\n", end="").join(lines)

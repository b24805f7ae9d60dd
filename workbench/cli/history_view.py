"""How `workbench history` prints a translation's changes: a line per version, then its comment and text change."""

from __future__ import annotations

import shutil
import textwrap
from typing import TYPE_CHECKING, Sequence

from workbench.cli.common import show, table_lines
from workbench.domain.translations import Origin
from workbench.services.review import word_diff

if TYPE_CHECKING:
    from workbench.services.history import Change

MAX_LINES = 6       # a text or diff longer than this many terminal lines is shortened (unless --full)
CONTEXT = 30        # unchanged characters kept on each side of a change in a shortened word diff
INDENT = "    "
LINE_BREAK = "↵"    # marks a line break inside the text
SPACE = "␣"         # marks a space at the start or end of a line of the text

HEADERS = ["ver", "when (UTC)", "user", "what", "origin", "state"]
LEGEND = {
    "-": "- old text",
    "+": "+ new text",
    "~": "~ word diff: [-removed-] {+added+}",
    LINE_BREAK: f"{LINE_BREAK} line break",
    SPACE: f"{SPACE} space at a line's start or end",
    "cut": "… text left out (--full shows it whole)",
}


def what(change: "Change") -> str:
    """What happened, in a reviewer's words: a suggestion is told apart by where it came from."""
    if change.action == "suggest":
        if Origin.is_machine(change.origin):
            return "mt"
        if change.origin == Origin.MEMORY:
            return "memory"
    return change.action


def history_lines(changes: Sequence["Change"], *, width: int | None = None, full: bool = False) -> list[str]:
    """The whole history, oldest first, ending with a legend of the marks used."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    width = max(width, 40)
    rows = [[c.version, f"{c.at:%Y-%m-%d %H:%M}" if c.at else "?", show(c.user), what(c), show(c.origin),
             f"{c.old_state.value} → {c.new_state.value}"] for c in changes]
    head, rule, *lines = table_lines(HEADERS, rows, align="rlllll")
    out = [head, rule]
    notes: set[str] = set()
    for line, change in zip(lines, changes):
        out.append(line)
        if change.comment:
            out += _wrapped(f"comment: {_visible(change.comment, notes=notes, edges=False)}", width=width,
                            indent=INDENT, more=INDENT + "         ")
        out += text_change_lines(change.old_forms, change.new_forms, width=width, full=full, notes=notes)
    if notes:
        out.append("")
        out.append("; ".join(LEGEND[m] for m in LEGEND if m in notes))
    return out


def text_change_lines(old_forms: Sequence[str], new_forms: Sequence[str], *, width: int,
                      full: bool = False, notes: set[str] | None = None) -> list[str]:
    """The text change, form by form (plural forms labelled [0], [1]…); nothing when the text is the same.

    `notes` collects the marks used (keys of LEGEND)."""
    notes = set() if notes is None else notes
    count = max(len(old_forms), len(new_forms))
    out: list[str] = []
    for i in range(count):
        old = old_forms[i] if i < len(old_forms) else ""
        new = new_forms[i] if i < len(new_forms) else ""
        if old != new:
            out += _form_lines(old, new, label=f"[{i}] " if count > 1 else "", width=width, full=full,
                               notes=notes)
    return out


def _form_lines(old: str, new: str, *, label: str, width: int, full: bool, notes: set[str]) -> list[str]:
    room = width - len(INDENT) - 2 - len(label)
    if old and new and not _short(old, room) and _similar(old, new):
        diff = "".join(_diff_runs(old, new, full=full, notes=notes))
        return _block("~", label, diff, width=width, full=full, notes=notes)
    out: list[str] = []
    if old:
        out += _block("-", label, _visible(old, notes=notes), width=width, full=full, notes=notes)
    if new:
        out += _block("+", label, _visible(new, notes=notes), width=width, full=full, notes=notes)
    return out


def _short(text: str, room: int) -> bool:
    return "\n" not in text and len(text) <= room


def _similar(old: str, new: str) -> bool:
    """Whether a word diff reads better than the two texts: at least half of the longer text is unchanged."""
    same = sum(len(t) for op, t in word_diff(old, new) if op == "=")
    return same * 2 >= max(len(old), len(new))


def _diff_runs(old: str, new: str, *, full: bool, notes: set[str]) -> list[str]:
    runs = word_diff(old, new)
    out = []
    for n, (op, text) in enumerate(runs):
        if op == "=":
            if not full:
                text = _middle_cut(text, first=n == 0, last=n == len(runs) - 1, notes=notes)
            out.append(_visible(text, notes=notes, edges=False))
            continue
        text = _visible(text, notes=notes, edges=False)
        out.append(f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return out


def _middle_cut(text: str, *, first: bool, last: bool, notes: set[str]) -> str:
    """An unchanged run cut to about CONTEXT characters (whole words) next to each change."""
    keep_head = 0 if first else CONTEXT
    keep_tail = 0 if last else CONTEXT
    if len(text) <= keep_head + keep_tail + 10:
        return text
    head = text[:keep_head]
    if keep_head and " " in head and not text[keep_head].isspace():
        head = head[:head.rindex(" ") + 1]
    tail = text[len(text) - keep_tail:] if keep_tail else ""
    if tail and " " in tail and not text[len(text) - keep_tail - 1].isspace():
        tail = tail[tail.index(" "):]
    notes.add("cut")
    return head + "…" + tail


def _block(mark: str, label: str, text: str, *, width: int, full: bool, notes: set[str]) -> list[str]:
    notes.add(mark)
    first = f"{INDENT}{mark} {label}"
    lines = _wrapped(text, width=width, indent=first, more=" " * len(first))
    if full or len(lines) <= MAX_LINES:
        return lines
    notes.add("cut")
    hidden = len(lines) - (MAX_LINES - 1)
    return lines[:MAX_LINES - 1] + [" " * len(first) + f"… ({hidden} more lines)"]


def _wrapped(text: str, *, width: int, indent: str, more: str) -> list[str]:
    """`text` (its line breaks already marked and kept) wrapped to the width, under a first-line prefix."""
    out: list[str] = []
    for n, line in enumerate(text.split("\n")):
        prefix = indent if n == 0 else more
        out += textwrap.wrap(line, width=width, initial_indent=prefix, subsequent_indent=more,
                             break_long_words=True, break_on_hyphens=False) or [prefix.rstrip()]
    return out


def _visible(text: str, *, notes: set[str], edges: bool = True) -> str:
    """Content made safe and legible: control characters shown escaped, each line break marked and
    kept (a new terminal line), spaces at a line's edges marked (when `edges`)."""
    lines = []
    for line in text.split("\n"):
        line = show(line)
        if edges:
            stripped = line.strip(" ")
            if stripped != line:
                start = len(line) - len(line.lstrip(" "))
                end = len(line) - len(line.rstrip(" "))
                line = SPACE * start + stripped + SPACE * end if stripped else SPACE * len(line)
                notes.add(SPACE)
        lines.append(line)
    if len(lines) > 1:
        notes.add(LINE_BREAK)
    return f"{LINE_BREAK}\n".join(lines)

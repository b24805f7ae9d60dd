"""Helpers shared by the commands: opening the workbench, printing tables and JSON."""

from __future__ import annotations

import json
import re
import sys
from argparse import Namespace
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from workbench.services.context import Workbench


def bulk(command):
    """Mark a command that works on many rows at once (import, check): the garbage collector is
    paused while it runs, output included (see repository.paused_gc)."""
    command.bulk = True
    return command


def open_workbench(args: Namespace) -> "Workbench":
    # (imported here: building the parser, and `--help`, need no database library)
    from workbench.services.context import Workbench

    return Workbench.open(args.project, db=args.db, user=args.user)


def print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def show(text: str | None) -> str:
    """Content as one safe terminal line: newlines and control characters made visible."""
    if text is None:
        return ""
    return _CONTROL.sub(lambda m: {"\n": "\\n", "\t": "\\t"}.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def print_table(headers: Sequence[str], rows: Iterable[Sequence], *, align: str | None = None) -> None:
    """A plain text table; `align` is one letter per column, l or r."""
    for line in table_lines(headers, rows, align=align):
        print(line)


def table_lines(headers: Sequence[str], rows: Iterable[Sequence], *, align: str | None = None) -> list[str]:
    """The lines of print_table: the headings, a rule, then one line per row."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [len(h) for h in headers]
    for r in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, r)]
    align = align or "l" * len(headers)

    def fmt(cells):
        return "  ".join(c.rjust(w) if a == "r" else c.ljust(w)
                         for c, w, a in zip(cells, widths, align)).rstrip()

    return [fmt(headers), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


class ProgressLine:
    """A one-line progress indicator on stderr when it is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int, what: str) -> None:
        if not self.enabled or not total:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {what[:40]:<40}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()

"""The command line: one module per group of commands, listed in COMMAND_MODULES."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from pathlib import Path
from typing import Sequence

from workbench.domain.errors import WorkbenchError

#: Each module has `register(subparsers)`, which adds its commands with `set_defaults(func=...)`.
COMMAND_MODULES: tuple[str, ...] = (
    "workbench.cli.project_commands",
    "workbench.cli.tui_command",
    "workbench.cli.review_commands",
    "workbench.cli.user_commands",
    "workbench.cli.terms_commands",
    "workbench.cli.mt_commands",
    "workbench.cli.check_command",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Translate course texts, quizzes and subtitles. With no command, opens the terminal UI.")
    _global_options(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in set(sub.choices.values()):
        # the global options are accepted after the command too (`workbench status --db URL`)
        _global_options(command, default=argparse.SUPPRESS)
    return parser


def _global_options(parser: argparse.ArgumentParser, *, default) -> None:
    group = parser.add_argument_group("project options")
    group.add_argument("--project", "-C", type=Path, default=default, metavar="DIR",
                       help="the course project (default: the current directory)")
    group.add_argument("--db", default=default, metavar="URL",
                       help="database URL (default: WORKBENCH_DATABASE_URL, else SQLite inside the project)")
    group.add_argument("--user", default=default,
                       help="who you are (default: WORKBENCH_USER, else your login)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; `argv` None means the process's own arguments (the `workbench` program)."""
    process = argv is None
    if process:
        # The garbage collector frees nothing while the command modules are imported (a tenth
        # of the start-up time); it runs again once the command is known, unless that is a bulk
        # command, which pauses it anyway (see common.bulk).
        gc.disable()
    try:
        return _run(argv, collect_after_parsing=process)
    finally:
        if process:
            # The process ends when this returns: the garbage collector need not walk what a big
            # command leaves behind (half a second after checking 100k translations).
            gc.freeze()


def _run(argv: Sequence[str] | None, *, collect_after_parsing: bool = False) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from workbench.cli.tui_command import run_tui

        args.func = run_tui
    if collect_after_parsing and not getattr(args.func, "bulk", False):
        gc.enable()
    try:
        if getattr(args.func, "bulk", False):
            from workbench.storage.repository import paused_gc

            with paused_gc():
                return int(args.func(args) or 0)
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("workbench: interrupted; work done so far is saved", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0

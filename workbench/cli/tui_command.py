"""`workbench tui` (and `workbench` alone): the terminal UI, imported only when needed."""

from __future__ import annotations

from argparse import Namespace


def register(sub) -> None:
    p = sub.add_parser("tui", help="open the terminal UI (the default)")
    p.set_defaults(func=run_tui)


def run_tui(args: Namespace) -> int:
    from workbench.cli.common import open_workbench
    from workbench.services.importing import import_project

    wb = open_workbench(args)
    if wb.store.is_empty():
        report = import_project(wb)
        for f in report.errors:
            print(f"workbench: {f.error}")
    from workbench.tui.app import WorkbenchApp

    WorkbenchApp(wb).run()
    return 0

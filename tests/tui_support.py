"""Helpers for the TUI tests: the demo course on SQLite, an app, and reading what a widget shows."""

from __future__ import annotations

import asyncio
import sys
from contextlib import contextmanager
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from workbench.services.context import Workbench
from workbench.services.importing import import_project

SIZE = (120, 36)
FROZEN = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)


_TEMPLATE: dict[str, Path] = {}


@contextmanager
def frozen_time(at: datetime = FROZEN):
    """Every `utcnow` of the workbench returns `at` (history times in snapshots stay the same)."""
    import workbench.services.changes  # noqa: F401 - loaded so that their utcnow is patched too
    import workbench.services.importing  # noqa: F401
    import workbench.services.users  # noqa: F401
    import workbench.storage.repository  # noqa: F401

    patched = [(m, m.utcnow) for name, m in list(sys.modules.items())
               if name.startswith("workbench") and callable(getattr(m, "utcnow", None))]
    for module, _ in patched:
        module.utcnow = lambda: at.replace(tzinfo=timezone.utc)
    try:
        yield
    finally:
        for module, original in patched:
            module.utcnow = original


def open_demo(directory: Path, *, user: str = "tina") -> Workbench:
    """The demo course in `directory`, imported into a SQLite database inside it.

    The import runs once per test session; each test gets its own copy of the project and database.
    """
    if "dir" not in _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="wb-tui-template-")) / "demo"
        shutil.copytree(directory, template)
        wb = Workbench.open(template, db=f"sqlite:///{template / 'wb.db'}", user="importer")
        with frozen_time():
            report = import_project(wb)
        assert not report.errors, [f.error for f in report.errors]
        wb.close()
        _TEMPLATE["dir"] = template
    shutil.copy(_TEMPLATE["dir"] / "wb.db", directory / "wb.db")
    return Workbench.open(directory, db=f"sqlite:///{directory / 'wb.db'}", user=user)


def open_demo_with_deepl_and_no_key(tmp_path: Path, monkeypatch) -> Workbench:
    """The demo course set to DeepL, with no key in the environment nor in a config file."""
    from tests.conftest import copy_demo

    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    project = copy_demo(tmp_path / "demo")
    toml = project / "workbench.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('provider = "fake"', 'provider = "deepl"'),
                    encoding="utf-8")
    return open_demo(project)


def as_user(wb: Workbench, user: str) -> Workbench:
    return Workbench(project=wb.project, store=wb.store, user=user)


def run(coro):
    return asyncio.run(coro)


def shown(widget) -> str:
    """The plain text a Static (or any widget with a renderable) displays."""
    visual = getattr(widget, "visual", None)
    content = getattr(widget, "content", None)
    for candidate in (content, visual, getattr(widget, "renderable", None)):
        if candidate is None:
            continue
        plain = getattr(candidate, "plain", None)
        if isinstance(plain, str):
            return plain
        if isinstance(candidate, str):
            return candidate
    return str(widget.render())


async def settle(pilot, times: int = 3) -> None:
    """Let messages and workers finish (no timing: pauses until the queues are empty)."""
    for _ in range(times):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

"""storage/tables.py (the Core tables commands query) follows storage/models.py (the SQLModel tables)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, text

from workbench.storage import mirror, tables
from workbench.storage.models import SQLModel


def test_tables_py_is_what_the_models_make():
    assert Path(tables.__file__).read_text(encoding="utf-8") == mirror.render(), \
        "storage/tables.py is out of date: run python -m workbench.storage.mirror"


def _schema(metadata) -> list[tuple[str, str]]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.connect() as conn:
        return sorted(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")).all())


def test_both_create_the_same_schema():
    assert _schema(tables.metadata) == _schema(SQLModel.metadata)


@pytest.mark.parametrize("metadata", [tables.metadata, SQLModel.metadata], ids=["core", "sqlmodel"])
def test_times_are_stored_in_utc_and_read_back_aware(metadata):
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    users = metadata.tables["user_account"]
    paris = datetime(2026, 11, 28, 23, 30, tzinfo=timezone(timedelta(hours=1)))
    with engine.begin() as conn:
        conn.execute(insert(users).values(name="anna", created_at=paris))
        conn.execute(insert(users).values(name="ben"))                      # the default: now
        stored = dict(conn.execute(select(users.c.name, users.c.created_at)).all())
    assert stored["anna"] == paris and stored["anna"].tzinfo == timezone.utc
    assert stored["ben"].tzinfo == timezone.utc


def test_a_naive_time_is_refused():
    engine = create_engine("sqlite://")
    tables.metadata.create_all(engine)
    with pytest.raises(Exception, match="aware"), engine.begin() as conn:
        conn.execute(insert(tables.user_account).values(name="anna", created_at=datetime(2026, 1, 1)))


def test_commands_do_not_import_sqlmodel():
    import subprocess
    import sys

    code = ("import importlib, pkgutil, sys, workbench.cli, workbench.services\n"
            "for package in (workbench.cli, workbench.services):\n"
            "    for m in pkgutil.iter_modules(package.__path__, package.__name__ + '.'):\n"
            "        importlib.import_module(m.name)\n"
            "print(sorted(m for m in ('sqlmodel', 'pydantic', 'sqlalchemy.orm') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

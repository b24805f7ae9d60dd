"""Shared fixtures: databases (SQLite, and PostgreSQL where a server answers) and course projects."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("WORKBENCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_pg_state: dict[str, object] = {}


def postgres_available() -> str | None:
    """None when the server answers, else why not."""
    if "reason" not in _pg_state:
        try:
            import psycopg

            with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3):
                pass
            _pg_state["reason"] = None
        except Exception as exc:  # any failure to connect means: skip
            _pg_state["reason"] = f"no PostgreSQL server answers on 127.0.0.1:5432 ({exc.__class__.__name__})"
    return _pg_state["reason"]  # type: ignore[return-value]


@pytest.fixture
def pg_url():
    """A fresh schema in the `test` database; dropped afterwards."""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"wb_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'wb.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """Each test that takes this runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wb.db'}"
    return request.getfixturevalue("pg_url")


def copy_demo(target: Path) -> Path:
    """A copy of the bundled demo course (settings, catalogs, subtitles, glossaries)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "workbench.toml", target / "workbench.toml")
    for name in ("locales", "subtitles", "glossaries"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    return target


@pytest.fixture
def demo_dir(tmp_path) -> Path:
    return copy_demo(tmp_path / "demo")


@pytest.fixture
def demo_wb(demo_dir, db_url):
    """The demo course, imported, on each database."""
    from workbench.services.context import Workbench
    from workbench.services.importing import import_project

    wb = Workbench.open(demo_dir, db=db_url, user="coordinator")
    report = import_project(wb)
    assert not report.errors, [f.error for f in report.errors]
    yield wb
    wb.close()

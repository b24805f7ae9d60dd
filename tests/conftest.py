"""Shared fixtures: databases (SQLite, and PostgreSQL where a server answers) and course projects."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("WORKBENCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
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


def _pg_trgm_outside_test_schemas(conn) -> None:
    """Keep pg_trgm in the `test` database's schema `extensions` (made once, and kept): migration
    0008 creates it in the current schema if the database has it nowhere, and a database has an
    extension once. In a test's schema it went away with that schema, and with it the trigram
    indexes of every other test's tables, concurrent sessions' too (deadlocks). Best effort: the
    migration copes with pg_trgm anywhere, or nowhere."""
    import psycopg

    if _pg_state.get("pg_trgm_placed"):
        return
    _pg_state["pg_trgm_placed"] = True
    try:
        if conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone() is None:
            return
        conn.execute("CREATE SCHEMA IF NOT EXISTS extensions")
        home = conn.execute("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                            "WHERE e.extname = 'pg_trgm'").fetchone()
        if home is None:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA extensions")
        elif home[0] != "extensions":
            conn.execute("ALTER EXTENSION pg_trgm SET SCHEMA extensions")
    except psycopg.Error:   # (another session doing the same at the same moment)
        pass


@pytest.fixture
def pg_url():
    """A fresh schema in the `test` database; dropped afterwards."""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"wb_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
        _pg_trgm_outside_test_schemas(conn)
        conn.execute(f'CREATE SCHEMA "{schema}"')
    # the schema's name is also its connections' application name: a query a test left running
    # (a TUI worker still counting matches) is ended before the schema goes, else the two could
    # deadlock and fail the teardown
    yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}&application_name={schema}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE application_name = %s AND pid <> pg_backend_pid()", (schema,))
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


def _import_demo(directory: Path, url: str) -> None:
    from workbench.services.context import Workbench
    from workbench.services.importing import import_project

    wb = Workbench.open(directory, db=url, user="coordinator")
    report = import_project(wb)
    assert not report.errors, [f.error for f in report.errors]
    wb.close()


@pytest.fixture(scope="session")
def demo_sqlite_template(tmp_path_factory) -> Path:
    """The demo course imported once per session; each test gets a copy of this database."""
    directory = copy_demo(tmp_path_factory.mktemp("demo-template") / "demo")
    path = directory / "template.db"
    _import_demo(directory, f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def demo_pg_template():
    """A PostgreSQL database holding the imported demo, cloned for each test (CREATE DATABASE … TEMPLATE)."""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    name = f"wb_demo_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    directory = copy_demo(Path(tempfile.mkdtemp(prefix="demo-pg-template-")) / "demo")
    _import_demo(directory, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    yield name
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(directory.parent, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_url(request, demo_dir):
    """A database holding the imported demo course (a fresh copy per test), on each database."""
    if request.param == "sqlite":
        template = request.getfixturevalue("demo_sqlite_template")
        target = demo_dir / ".workbench" / "workbench.db"
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(template) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        yield f"sqlite:///{target}"
        return
    import psycopg

    template = request.getfixturevalue("demo_pg_template")
    name = f"wb_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def demo_wb(demo_dir, demo_url):
    """The demo course, imported, on each database (its URL is `demo_url`)."""
    from workbench.services.context import Workbench

    wb = Workbench.open(demo_dir, db=demo_url, user="coordinator")
    yield wb
    wb.close()


@pytest.fixture(autouse=True)
def _unfrozen_gc():
    """The TUI freezes its start-up objects out of the garbage collector (gc.freeze); each test
    gives them back, so that a test session's apps are collected."""
    yield
    import gc
    gc.unfreeze()

"""Reading a translation nobody wrote yet (its history, its text) writes nothing and waits for no writer."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest
from review_support import as_user, make_project
from sqlalchemy import make_url, select

from workbench.domain.errors import ConflictError, NotFoundError
from workbench.domain.states import State
from workbench.domain.translations import Origin
from workbench.services.context import Workbench
from workbench.services.editing import get_translation, save_translation, suggest_translation
from workbench.services.history import history
from workbench.storage import engine
from workbench.storage import repository as repo

PLAIN = dict(resource="m1", key="m1/p2", language="de")
PLURAL = dict(resource="m1", key="m1/files", language="de")


@pytest.fixture
def wb(tmp_path, db_url):
    wb = make_project(tmp_path / "course", db_url)
    yield wb
    wb.close()


def dump(wb: Workbench) -> dict[str, list[tuple]]:
    """Every translation row and every history row, as stored."""
    with wb.store.read() as conn:
        return {table.name: sorted(tuple(map(repr, r)) for r in conn.execute(select(table)).all())
                for table in (repo.T, repo.C)}


def stored_row(wb: Workbench, *, resource: str, key: str, language: str):
    T, U, R = repo.T, repo.U, repo.R
    with wb.store.read() as conn:
        return conn.execute(select(T.c.id).join(U, U.c.id == T.c.unit_id).join(R, R.c.id == U.c.resource_id)
                            .where(R.c.name == resource, U.c.key == key, T.c.language == language)).first()


@contextmanager
def writer_holding_the_lock(wb: Workbench, monkeypatch):
    """Another connection in a write transaction for the block's length."""
    url = make_url(wb.store.url)
    if wb.store.dialect == "sqlite":
        # a read that wanted the lock would give up soon and raise, instead of after 15 s
        monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 300)
        other = sqlite3.connect(url.database, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            yield
        finally:
            other.close()   # (rolls back)
        return
    import psycopg

    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as other:
        # every write to the table waits for it; reads do not
        other.execute("LOCK TABLE translation IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            other.rollback()


@pytest.fixture
def reader(wb):
    """The same project and database, for reads; on PostgreSQL a statement that waits for a lock
    fails after 2 s instead of waiting for ever."""
    url = make_url(wb.store.url)
    if wb.store.dialect == "postgresql":
        options = " ".join(filter(None, [url.query.get("options"), "-c lock_timeout=2000"]))
        url = url.update_query_dict({"options": options})
    other = Workbench.open(wb.project.root, db=url.render_as_string(hide_password=False), user="tde")
    yield other
    other.close()


@pytest.mark.parametrize("where", [PLAIN, PLURAL], ids=["plain", "plural"])
def test_reading_an_untranslated_unit_writes_nothing(wb, where):
    before = dump(wb)
    assert stored_row(wb, **where) is None
    t = get_translation(wb, **where)
    assert (t.key, t.resource, t.language, t.forms, t.state, t.version, t.author, t.origin, t.comment) == (
        where["key"], "m1", "de", ("",), State.UNTRANSLATED, 0, None, Origin.HUMAN, None)
    assert history(wb, **where) == []
    assert stored_row(wb, **where) is None
    assert dump(wb) == before


@pytest.mark.parametrize("where", [PLAIN, PLURAL], ids=["plain", "plural"])
def test_reading_an_untranslated_unit_waits_for_no_writer(wb, reader, where, monkeypatch):
    before = dump(wb)
    with writer_holding_the_lock(wb, monkeypatch):
        t = get_translation(reader, **where)
        changes = history(reader, **where)
    assert (t.forms, t.state, t.version) == (("",), State.UNTRANSLATED, 0)
    assert changes == []
    assert dump(wb) == before


def test_reading_a_translated_unit_waits_for_no_writer(wb, reader, monkeypatch):
    save_translation(as_user(wb, "tde"), **PLAIN, forms=["zwei"], base_version=0)
    with writer_holding_the_lock(wb, monkeypatch):
        t = get_translation(reader, **PLAIN)
        changes = history(reader, **PLAIN)
    assert (t.forms, t.state, t.version, t.author) == (("zwei",), State.TRANSLATED, 1, "tde")
    assert [(c.version, c.action, c.new_forms) for c in changes] == [(1, "edit", ("zwei",))]


def test_an_unknown_key_is_still_not_found(wb):
    before = dump(wb)
    with pytest.raises(NotFoundError, match=r"m1/nope \[de\]: no such translation in m1"):
        get_translation(wb, resource="m1", key="m1/nope", language="de")
    with pytest.raises(NotFoundError, match=r"m1/nope \[de\]: no such translation in m1"):
        history(wb, resource="m1", key="m1/nope", language="de")
    assert dump(wb) == before


def test_a_save_after_reading_creates_the_row_and_checks_version_zero(wb):
    tde = as_user(wb, "tde")
    read = get_translation(tde, **PLAIN)
    with pytest.raises(ConflictError) as stale:        # a base that the empty translation never had
        save_translation(tde, **PLAIN, forms=["eins"], base_version=1)
    assert (stale.value.base_version, stale.value.current_version) == (1, 0)
    saved = save_translation(tde, **PLAIN, forms=["eins"], base_version=read.version)
    assert (saved.version, saved.state, saved.forms) == (1, State.TRANSLATED, ("eins",))
    assert stored_row(wb, **PLAIN) is not None
    with pytest.raises(ConflictError) as late:          # a second save from the same empty read
        save_translation(tde, **PLAIN, forms=["zwei"], base_version=read.version)
    assert (late.value.base_version, late.value.current_version, late.value.theirs) == (0, 1, ("eins",))
    assert [(c.version, c.new_forms) for c in history(wb, **PLAIN)] == [(1, ("eins",))]


def test_a_suggestion_on_an_untranslated_unit_still_creates_its_row(wb):
    assert history(wb, **PLURAL) == []
    t = suggest_translation(wb, **PLURAL, forms=["eine Datei", "%d Dateien"], origin=Origin.machine("fake"))
    assert (t.version, t.state, t.forms) == (1, State.DRAFT, ("eine Datei", "%d Dateien"))
    assert get_translation(wb, **PLURAL).forms == ("eine Datei", "%d Dateien")
    assert [c.version for c in history(wb, **PLURAL)] == [1]


def test_the_history_command_of_an_untranslated_unit_waits_for_no_writer(wb, reader, capsys, monkeypatch):
    from workbench.cli import main

    before = dump(wb)
    with writer_holding_the_lock(wb, monkeypatch):
        code = main(["history", "m1/p2", "--lang", "de", "--project", str(wb.project.root),
                     "--db", reader.store.url, "--user", "tde"])
    out, err = capsys.readouterr()
    assert (code, out.strip(), err) == (0, "m1/p2 [de]: no changes yet (version 0, untranslated)", "")
    assert dump(wb) == before

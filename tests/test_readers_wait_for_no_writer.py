"""Functions that only read use Store.read(): on SQLite they work while another program holds the write lock."""

from __future__ import annotations

import sqlite3

import pytest
from review_support import as_user, make_project
from sqlalchemy import make_url

from workbench.services.editing import save_translation
from workbench.services.memory import memory_entries, memory_index
from workbench.services.permissions import ensure_coordinator
from workbench.services.pretranslate import candidates
from workbench.services.review import pending_review
from workbench.services.terms import coverage_report
from workbench.services.users import list_users
from workbench.storage import engine as engine_module
from workbench.storage.migrate import current_revisions, head_revisions


@pytest.fixture
def wb(tmp_path, sqlite_url):
    wb = make_project(tmp_path / "course", sqlite_url)
    save_translation(as_user(wb, "tde"), resource="m1", key="m1/p1", language="de", forms=["eins"],
                     base_version=0)
    yield wb
    wb.close()


def test_readers_work_while_another_connection_holds_the_write_lock(wb, monkeypatch):
    # a reader that still asked for the write lock would give up after 0.3 s and raise StoreError
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 300)
    other = sqlite3.connect(make_url(wb.store.url).database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        store = wb.store
        assert store.is_empty() is False
        store.ping()
        assert {"resource", "unit", "translation"} <= set(store.table_names())
        assert current_revisions(store.engine) == head_revisions()
        ensure_coordinator(wb, what="export")
        users = list_users(wb)
        assert "tde" in [u.name for u in users.users] and users.current.is_coordinator
        assert [(i.unit.key, i.translation.text) for i in pending_review(wb, language="de")] == [("m1/p1", "eins")]
        assert [r.language for r in coverage_report(wb, languages=["de"])] == ["de"]
        assert memory_index(wb, "de").lookup("Texte m1/p1") == []      # nothing approved yet
        assert memory_entries(wb) == []
        assert {c.key for c in candidates(wb, "de")} == {"m1/p2", "m1/p3", "m1/files"}
    finally:
        other.close()      # (rolls back)

"""The start-up fast path: an up-to-date database is recognised without importing Alembic."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import create_engine

from workbench.storage.engine import Store
from workbench.storage.migrate import declared_heads, head_revisions, stored_revisions


def test_heads_read_from_the_files_are_alembics_heads():
    assert declared_heads() == head_revisions()


def test_a_new_database_has_no_stored_revisions(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert stored_revisions(engine) is None


def test_an_upgraded_database_stores_the_heads(db_url):
    store = Store(db_url)
    try:
        assert stored_revisions(store.engine) == head_revisions()
    finally:
        store.dispose()


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    Store(url).dispose()
    code = ("import sys; from workbench.storage.engine import Store; "
            f"Store({url!r}).dispose(); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"

"""The text search's index followed without triggers (SQLite only).

Revision ID: 0007
Revises: 0006

Any UPDATE trigger on `translation`, even one that never fires, makes SQLite keep a statement
journal for every UPDATE; inside the import's per-file savepoints that made re-importing a
catalog of 100,000 changed translations take 133 s instead of 8 (py-spy: sqlite3PagerSavepoint).
So the index now learns what changed from the history instead: every change of a translation's
text writes a `change` row, and `text_search_state` keeps the last one it has seen. A translation's
old text is then no longer at hand, so the language tables keep their text (FTS5 with content) and
forget a row by its id. A unit's source changes only when its template is imported, which notes
the old text itself (text_search.sources_changed). Translations are indexed again from the start.
"""

from alembic import op
from sqlalchemy import text

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or bind.execute(text(
            "SELECT count(*) FROM sqlite_master WHERE name = 'text_search_state'")).scalar_one() != 1:
        return
    for name in ("unit_update", "unit_delete", "translation_update", "translation_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS text_search_{name}")
    for (fts,) in bind.execute(text("SELECT fts FROM text_search_language")).all():
        op.execute(f'DROP TABLE IF EXISTS "{fts}"')
    op.execute("DELETE FROM text_search_language")
    op.execute("DELETE FROM text_search_pending WHERE kind = 'translation'")
    op.execute("ALTER TABLE text_search_pending DROP COLUMN unit_id")
    op.execute("ALTER TABLE text_search_pending DROP COLUMN language")
    op.execute("UPDATE text_search_state SET indexed_upto = 0 WHERE name = 'translation'")
    op.execute("INSERT INTO text_search_state (name, indexed_upto) VALUES ('change', 0)")


_BACK = (  # migration 0006's state: triggers note the old text, translations indexed again
    "ALTER TABLE text_search_pending ADD COLUMN language TEXT",
    "ALTER TABLE text_search_pending ADD COLUMN unit_id INTEGER",
    "UPDATE text_search_state SET indexed_upto = 0 WHERE name = 'translation'",
    "CREATE TRIGGER text_search_unit_update AFTER UPDATE OF source, source_plural ON unit "
    "WHEN old.id <= (SELECT indexed_upto FROM text_search_state WHERE name = 'unit') "
    "AND (new.source IS NOT old.source OR new.source_plural IS NOT old.source_plural) BEGIN "
    "INSERT OR IGNORE INTO text_search_pending (kind, row_id, old_body) VALUES "
    "('unit', old.id, old.source || char(10) || coalesce(old.source_plural, '')); END",
    "CREATE TRIGGER text_search_unit_delete AFTER DELETE ON unit "
    "WHEN old.id <= (SELECT indexed_upto FROM text_search_state WHERE name = 'unit') BEGIN "
    "INSERT OR IGNORE INTO text_search_pending (kind, row_id, old_body) VALUES "
    "('unit', old.id, old.source || char(10) || coalesce(old.source_plural, '')); END",
    "CREATE TRIGGER text_search_translation_update AFTER UPDATE OF text, plurals ON translation "
    "WHEN old.id <= (SELECT indexed_upto FROM text_search_state WHERE name = 'translation') "
    "AND (new.text IS NOT old.text OR new.plurals IS NOT old.plurals) BEGIN "
    "INSERT OR IGNORE INTO text_search_pending (kind, row_id, old_body, language, unit_id) VALUES "
    "('translation', old.id, CASE WHEN (old.text != '' OR old.plurals IS NOT NULL) THEN "
    "old.text || char(10) || coalesce(old.plurals, '') END, old.language, old.unit_id); END",
    "CREATE TRIGGER text_search_translation_delete AFTER DELETE ON translation "
    "WHEN old.id <= (SELECT indexed_upto FROM text_search_state WHERE name = 'translation') BEGIN "
    "INSERT OR IGNORE INTO text_search_pending (kind, row_id, old_body, language, unit_id) VALUES "
    "('translation', old.id, CASE WHEN (old.text != '' OR old.plurals IS NOT NULL) THEN "
    "old.text || char(10) || coalesce(old.plurals, '') END, old.language, old.unit_id); END",
)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or bind.execute(text(
            "SELECT count(*) FROM sqlite_master WHERE name = 'text_search_state'")).scalar_one() != 1:
        return
    for (fts,) in bind.execute(text("SELECT fts FROM text_search_language")).all():
        op.execute(f'DROP TABLE IF EXISTS "{fts}"')
    op.execute("DELETE FROM text_search_language")
    op.execute("DELETE FROM text_search_state WHERE name = 'change'")
    for statement in _BACK:
        op.execute(statement)

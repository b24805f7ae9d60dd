"""The text search's translations indexed per language, by unit id (SQLite only).

Revision ID: 0006
Revises: 0005

With one FTS table for every language, a word of the course's domain (`équipe`: 13,783 rows in
12 languages) cost a lookup of each row's translation to keep the 187 of the editor's language
(28 ms at 1.1M translations). Each language now has its own table (made by the index as it meets
the language, listed in `text_search_language`) whose rowid is the unit's id, so a lookup gives
the editor's units straight away. The triggers note the language and unit of a changed row, which
its table needs to forget it. Translations are indexed again from the start.
"""

from alembic import op
from sqlalchemy import text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BODY = "{row}.text || char(10) || coalesce({row}.plurals, '')"
HAS_TEXT = "({row}.text != '' OR {row}.plurals IS NOT NULL)"


def _has_index() -> bool:
    bind = op.get_bind()
    return bind.dialect.name == "sqlite" and bind.execute(text(
        "SELECT count(*) FROM sqlite_master WHERE name = 'text_search_state'")).scalar_one() == 1


def upgrade() -> None:
    if not _has_index():
        return
    op.execute("DROP TRIGGER text_search_translation_update")
    op.execute("DROP TRIGGER text_search_translation_delete")
    op.execute("DROP TABLE text_search_translation")
    op.execute("DELETE FROM text_search_pending WHERE kind = 'translation'")
    op.execute("UPDATE text_search_state SET indexed_upto = 0 WHERE name = 'translation'")
    op.execute("ALTER TABLE text_search_pending ADD COLUMN language TEXT")
    op.execute("ALTER TABLE text_search_pending ADD COLUMN unit_id INTEGER")
    op.execute("CREATE TABLE text_search_language (language TEXT PRIMARY KEY, fts TEXT NOT NULL)")
    upto = "(SELECT indexed_upto FROM text_search_state WHERE name = 'translation')"
    old_body = f"CASE WHEN {HAS_TEXT.format(row='old')} THEN {BODY.format(row='old')} END"
    log = ("INSERT OR IGNORE INTO text_search_pending (kind, row_id, old_body, language, unit_id) "
           f"VALUES ('translation', old.id, {old_body}, old.language, old.unit_id)")
    op.execute("CREATE TRIGGER text_search_translation_update AFTER UPDATE OF text, plurals ON translation "
               f"WHEN old.id <= {upto} AND (new.text IS NOT old.text OR new.plurals IS NOT old.plurals) "
               f"BEGIN {log}; END")
    op.execute("CREATE TRIGGER text_search_translation_delete AFTER DELETE ON translation "
               f"WHEN old.id <= {upto} BEGIN {log}; END")


def downgrade() -> None:
    if not _has_index():
        return
    for (fts,) in op.get_bind().execute(text("SELECT fts FROM text_search_language")).all():
        op.execute(f'DROP TABLE IF EXISTS "{fts}"')
    op.execute("DROP TABLE text_search_language")
    op.execute("DROP TRIGGER text_search_translation_update")
    op.execute("DROP TRIGGER text_search_translation_delete")
    op.execute("DELETE FROM text_search_pending WHERE kind = 'translation'")
    op.execute("ALTER TABLE text_search_pending DROP COLUMN unit_id")
    op.execute("ALTER TABLE text_search_pending DROP COLUMN language")
    op.execute("UPDATE text_search_state SET indexed_upto = 0 WHERE name = 'translation'")
    op.execute("CREATE VIRTUAL TABLE text_search_translation USING fts5(body, content='', tokenize='trigram')")
    upto = "(SELECT indexed_upto FROM text_search_state WHERE name = 'translation')"
    old_body = f"CASE WHEN {HAS_TEXT.format(row='old')} THEN {BODY.format(row='old')} END"
    log = ("INSERT OR IGNORE INTO text_search_pending (kind, row_id, old_body) "
           f"VALUES ('translation', old.id, {old_body})")
    op.execute("CREATE TRIGGER text_search_translation_update AFTER UPDATE OF text, plurals ON translation "
               f"WHEN old.id <= {upto} AND (new.text IS NOT old.text OR new.plurals IS NOT old.plurals) "
               f"BEGIN {log}; END")
    op.execute("CREATE TRIGGER text_search_translation_delete AFTER DELETE ON translation "
               f"WHEN old.id <= {upto} BEGIN {log}; END")

"""A trigram index of source and translation text for the editor's text search (SQLite only).

Revision ID: 0005
Revises: 0004

The index (storage/text_search.py) is filled after the fact, not on insert: an import writes
rows as fast as before and the editor indexes what is new in a worker. What it needs from the
schema: two contentless FTS5 tables, the id up to which each table's rows are indexed, and
triggers that note the old text of an indexed row when it changes or goes (a contentless FTS5
table can only forget a row when told the text it was given). The triggers touch only plain
tables, so writes work even where FTS5 is missing. PostgreSQL keeps its ILIKE scans.
"""

from alembic import op
from sqlalchemy.exc import OperationalError

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: (FTS table, indexed table, the text a row gives the index, whether it gives any, the columns it comes from)
INDEXED = (
    ("text_search_unit", "unit", "{row}.source || char(10) || coalesce({row}.source_plural, '')", "1",
     ("source", "source_plural")),
    ("text_search_translation", "translation", "{row}.text || char(10) || coalesce({row}.plurals, '')",
     "({row}.text != '' OR {row}.plurals IS NOT NULL)", ("text", "plurals")),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    try:
        op.execute("CREATE VIRTUAL TABLE text_search_unit USING fts5(body, content='', tokenize='trigram')")
    except OperationalError:     # an SQLite without FTS5 or its trigram tokenizer: searches scan (LIKE)
        return
    op.execute("CREATE VIRTUAL TABLE text_search_translation USING fts5(body, content='', tokenize='trigram')")
    op.execute("CREATE TABLE text_search_state (name TEXT PRIMARY KEY, indexed_upto INTEGER NOT NULL)")
    op.execute("INSERT INTO text_search_state (name, indexed_upto) VALUES ('unit', 0), ('translation', 0)")
    op.execute("CREATE TABLE text_search_pending (kind TEXT NOT NULL, row_id INTEGER NOT NULL, old_body TEXT, "
               "PRIMARY KEY (kind, row_id)) WITHOUT ROWID")
    for _fts, table, body, has_text, columns in INDEXED:
        upto = f"(SELECT indexed_upto FROM text_search_state WHERE name = '{table}')"
        old_body = f"CASE WHEN {has_text.format(row='old')} THEN {body.format(row='old')} END"
        changed = " OR ".join(f"new.{c} IS NOT old.{c}" for c in columns)
        # OR IGNORE: the first change since the row was indexed keeps the text the index was given
        log = (f"INSERT OR IGNORE INTO text_search_pending (kind, row_id, old_body) "
               f"VALUES ('{table}', old.id, {old_body})")
        op.execute(f"CREATE TRIGGER text_search_{table}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
                   f"WHEN old.id <= {upto} AND ({changed}) BEGIN {log}; END")
        op.execute(f"CREATE TRIGGER text_search_{table}_delete AFTER DELETE ON {table} "
                   f"WHEN old.id <= {upto} BEGIN {log}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for _fts, table, *_ in INDEXED:
        op.execute(f"DROP TRIGGER IF EXISTS text_search_{table}_update")
        op.execute(f"DROP TRIGGER IF EXISTS text_search_{table}_delete")
    for name in ("text_search_pending", "text_search_state", "text_search_translation", "text_search_unit"):
        op.execute(f"DROP TABLE IF EXISTS {name}")

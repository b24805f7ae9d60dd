"""Trigram indexes for the text search on PostgreSQL, where the server lets the database have pg_trgm.

Revision ID: 0008
Revises: 0007

The editor's text search (services/browse.py) finds the units whose source or translation contains
a needle, case ignored (ILIKE '%needle%'); without an index PostgreSQL reads every unit and every
translation of the language for it. pg_trgm's GIN indexes answer ILIKE with a bitmap index scan
(rows found through trigrams, each one checked again by ILIKE itself: the results stay ILIKE's).

pg_trgm is a contrib extension: trusted since PostgreSQL 13 (the database's owner may create it),
but a server may not have the contrib package, or refuse. So the extension and the indexes are made
inside a savepoint, and when anything there fails nothing is made and searches keep scanning (the
README says how to add them later). The indexes are not in storage/models.py: SQLite never has
them (it has its own trigram index, migrations 0005-0007), and no query names them.

The extension may already exist in another schema than the tables' (a database holds it once), so
the operator class is named with its schema. Downgrade drops the indexes and leaves the extension,
which the database may use elsewhere.
"""

from alembic import op
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: (index, table, column): what the search reads (browse._trigram_matches).
INDEXES = (
    ("ix_unit_source_trgm", "unit", "source"),
    ("ix_unit_source_plural_trgm", "unit", "source_plural"),
    ("ix_translation_text_trgm", "translation", "text"),
    ("ix_translation_plurals_trgm", "translation", "plurals"),
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    savepoint = bind.begin_nested()
    try:
        bind.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        schema = bind.execute(text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                   "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")).scalar_one()
        opclass = f"{bind.dialect.identifier_preparer.quote_schema(schema)}.gin_trgm_ops"
        for name, table, column in INDEXES:
            bind.execute(text(f"CREATE INDEX {name} ON {table} USING gin ({column} {opclass})"))
    except DBAPIError:      # no pg_trgm on this server, or not for this user: searches scan
        savepoint.rollback()
        return
    savepoint.commit()


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _, _ in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")

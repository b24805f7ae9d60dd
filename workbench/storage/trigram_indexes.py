"""PostgreSQL's trigram indexes for the text search (pg_trgm, migration 0008): whether a database has them.

Migration 0008 makes them where the server lets the database have pg_trgm; elsewhere searches scan.
PostgreSQL keeps them up to date itself, and rechecks every row they give with the query's own
ILIKE, so they change how fast a search is, never what it finds.
"""

from __future__ import annotations

import re
import weakref

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

#: The indexes migration 0008 makes: (index, table, column).
INDEXES = (
    ("ix_unit_source_trgm", "unit", "source"),
    ("ix_unit_source_plural_trgm", "unit", "source_plural"),
    ("ix_translation_text_trgm", "translation", "text"),
    ("ix_translation_plurals_trgm", "translation", "plurals"),
)

_available: "weakref.WeakKeyDictionary[Engine, bool]" = weakref.WeakKeyDictionary()

#: Three letters or digits in a row: pg_trgm takes trigrams from words, and a needle of shorter
#: words (`a_b`, `l'é`, `50%`) gives only trigrams padded with blanks, which most texts have: its
#: lookup reads more than a scan would.
_WORD = re.compile(r"[^\W_]{3}")


def useful(needle: str) -> bool:
    """True when the indexes narrow a search for `needle` down."""
    return _WORD.search(needle) is not None


def present(conn: Connection) -> list[str]:
    """The trigram indexes the tables of this connection's schema have (none on SQLite)."""
    if conn.dialect.name != "postgresql":
        return []
    names = [name for name, _, _ in INDEXES]
    found = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                                  "AND indexname = ANY(:names)"), {"names": names}).scalars())
    return [name for name in names if name in found]


def available(conn: Connection) -> bool:
    """True when this database has all of them (asked once per engine)."""
    engine = conn.engine
    known = _available.get(engine)
    if known is None:
        known = len(present(conn)) == len(INDEXES)
        _available[engine] = known
    return known

"""The trigram index of source and translation text (SQLite FTS5): what is indexed, catching up, lookups.

Rows are indexed after the fact, so that imports write no index: each FTS table holds the rows of
its table up to `text_search_state.indexed_upto` (ids only grow), minus the rows noted in
`text_search_pending` by the triggers of migration 0005 when an indexed row's text changed or the
row went. `catch_up` indexes the rest in short transactions. A lookup is exact at any moment: it
takes the index for the rows it holds and scans (LIKE) the few it does not; the editor uses it only
while that rest is small (`backlog`), and its plain scans otherwise.

The trigram tokenizer folds case over all of Unicode (`ÉQUIPE` finds `équipe`) and keeps accents
(`equipe` does not find `équipe`), like PostgreSQL's ILIKE; it needs needles of three characters or
more (shorter ones are scanned).
"""

from __future__ import annotations

import weakref
from typing import Callable

from sqlalchemy import Select, column, func, literal_column, or_, select, table, text
from sqlalchemy.engine import Connection, Engine

from workbench.storage.repository import T, U

#: The shortest needle the trigram index can look up.
MIN_NEEDLE = 3
#: Rows indexed per transaction while catching up (a writer waits at most about that long).
BATCH = 20_000

UNIT_FTS = table("text_search_unit", column("rowid"))
TRANSLATION_FTS = table("text_search_translation", column("rowid"))
STATE = table("text_search_state", column("name"), column("indexed_upto"))
PENDING = table("text_search_pending", column("kind"), column("row_id"), column("old_body"))

#: Per indexed table: its FTS table, the text a row gives the index, whether it gives any (the
#: same expressions as the triggers of migration 0005).
_INDEXED = {
    "unit": ("text_search_unit", "{row}.source || char(10) || coalesce({row}.source_plural, '')", "1"),
    "translation": ("text_search_translation", "{row}.text || char(10) || coalesce({row}.plurals, '')",
                    "({row}.text != '' OR {row}.plurals IS NOT NULL)"),
}

_available: "weakref.WeakKeyDictionary[Engine, bool]" = weakref.WeakKeyDictionary()


def available(conn: Connection) -> bool:
    """True when this database has the index (SQLite with FTS5's trigram tokenizer)."""
    engine = conn.engine
    known = _available.get(engine)
    if known is None:
        known = conn.dialect.name == "sqlite" and conn.execute(text(
            "SELECT count(*) FROM sqlite_master WHERE name = 'text_search_state'")).scalar_one() == 1
        _available[engine] = known
    return known


def usable(needle: str) -> bool:
    return len(needle) >= MIN_NEEDLE


def backlog(conn: Connection) -> int:
    """How many rows the index does not hold yet (0 without an index)."""
    if not available(conn):
        return 0
    upto = dict(conn.execute(select(STATE.c.name, STATE.c.indexed_upto)).all())
    units = conn.execute(select(func.max(U.c.id))).scalar_one() or 0
    translations = conn.execute(select(func.max(T.c.id))).scalar_one() or 0
    pending = conn.execute(select(func.count()).select_from(PENDING)).scalar_one()
    return max(0, units - upto["unit"]) + max(0, translations - upto["translation"]) + pending


def catch_up(store, *, batch: int = BATCH, stop: Callable[[], bool] | None = None) -> int:
    """Index what the index does not hold yet, in short write transactions of `store` (whose
    writers wait at most one batch), until nothing is left or `stop()` says so; returns the number
    of rows looked at. Looking costs one read when there is nothing to do."""
    with store.read() as conn:
        if not backlog(conn):
            return 0
    done = 0
    while stop is None or not stop():
        with store.transaction() as conn:
            n = _step(conn, batch)
        if not n:
            break
        done += n
    return done


def _step(conn: Connection, batch: int) -> int:
    """One transaction's worth: rows whose text changed, then new rows."""
    for kind in _INDEXED:
        n = _reindex_changed(conn, kind, batch)
        if n:
            return n
    for kind in _INDEXED:
        n = _index_new(conn, kind, batch)
        if n:
            return n
    return 0


def _reindex_changed(conn: Connection, kind: str, batch: int) -> int:
    fts, body, has_text = _INDEXED[kind]
    rows = conn.execute(text("SELECT row_id, old_body FROM text_search_pending WHERE kind = :kind LIMIT :n"),
                        {"kind": kind, "n": batch}).all()
    if not rows:
        return 0
    gone = [{"id": row_id, "body": old} for row_id, old in rows if old is not None]
    if gone:   # a contentless table forgets a row when given the text it indexed
        conn.execute(text(f"INSERT INTO {fts} ({fts}, rowid, body) VALUES ('delete', :id, :body)"), gone)
    ids = [row_id for row_id, _ in rows]
    conn.execute(text(f"INSERT INTO {fts} (rowid, body) SELECT id, {body.format(row=kind)} FROM {kind} "
                      f"WHERE id IN (SELECT value FROM json_each(:ids)) AND {has_text.format(row=kind)}"),
                 {"ids": _json_ids(ids)})
    conn.execute(text("DELETE FROM text_search_pending WHERE kind = :kind "
                      "AND row_id IN (SELECT value FROM json_each(:ids))"), {"kind": kind, "ids": _json_ids(ids)})
    return len(rows)


def _index_new(conn: Connection, kind: str, batch: int) -> int:
    fts, body, has_text = _INDEXED[kind]
    upto = conn.execute(select(STATE.c.indexed_upto).where(STATE.c.name == kind)).scalar_one()
    last = conn.execute(text(f"SELECT max(id) FROM (SELECT id FROM {kind} WHERE id > :upto ORDER BY id LIMIT :n)"),
                        {"upto": upto, "n": batch}).scalar_one()
    if last is None:
        return 0
    conn.execute(text(f"INSERT INTO {fts} (rowid, body) SELECT id, {body.format(row=kind)} FROM {kind} "
                      f"WHERE id > :upto AND id <= :last AND {has_text.format(row=kind)}"),
                 {"upto": upto, "last": last})
    conn.execute(STATE.update().where(STATE.c.name == kind).values(indexed_upto=last))
    return last - upto


def _json_ids(ids: list[int]) -> str:
    return "[" + ",".join(map(str, ids)) + "]"


# -- lookups -------------------------------------------------------------------------------

def _match(fts, needle: str):
    return literal_column(fts.name).op("MATCH")('"' + needle.replace('"', '""') + '"')


def _upto(kind: str):
    return select(STATE.c.indexed_upto).where(STATE.c.name == kind).scalar_subquery()


def _pending(kind: str):
    return select(PENDING.c.row_id).where(PENDING.c.kind == kind)


def source_matches(needle: str, like: Callable) -> list[Select]:
    """Selects whose union is the ids of the units whose source (or plural source) contains
    `needle`; `like(column)` is the scan's test for the rows the index does not hold."""
    found = or_(like(U.c.source), like(U.c.source_plural))
    return [
        select(UNIT_FTS.c.rowid).where(_match(UNIT_FTS, needle), UNIT_FTS.c.rowid.not_in(_pending("unit"))),
        select(U.c.id).where(U.c.id > _upto("unit"), found),
        select(U.c.id).where(U.c.id.in_(_pending("unit")), found),
    ]


def target_matches(needle: str, language: str, like: Callable) -> list[Select]:
    """Selects whose union is the ids of the units whose translation in `language` contains `needle`."""
    found = or_(like(T.c.text), like(T.c.plurals))
    # `language || ''`: rows are found by id (from the index, or past indexed_upto), not through
    # the language index (every row of the language)
    in_language = (T.c.language + "") == language
    indexed = select(TRANSLATION_FTS.c.rowid).where(_match(TRANSLATION_FTS, needle))
    return [
        select(T.c.unit_id).where(T.c.id.in_(indexed), T.c.id.not_in(_pending("translation")), in_language),
        select(T.c.unit_id).where(T.c.id > _upto("translation"), in_language, found),
        select(T.c.unit_id).where(T.c.id.in_(_pending("translation")), in_language, found),
    ]


def count_matches(conn: Connection, needle: str, *, limit: int) -> int:
    """How many rows of either FTS table contain `needle`, counted up to `limit` (whether a needle
    is rare enough for the index to be the faster way)."""
    total = 0
    for fts in (UNIT_FTS, TRANSLATION_FTS):
        q = select(func.count()).select_from(select(fts.c.rowid).where(_match(fts, needle)).limit(limit - total)
                                             .subquery())
        total += conn.execute(q).scalar_one()
        if total >= limit:
            break
    return total

"""The trigram index of source and translation text (SQLite FTS5): what is indexed, catching up, lookups.

Rows are indexed after the fact, so that imports write no index, and without triggers (any UPDATE
trigger on a table makes SQLite journal every UPDATE statement: migration 0007). `text_search_unit`
holds the units' source text by unit id; each target language has a table of its translations'
text, also by unit id (listed in `text_search_language`, made as the index meets the language), so
that a lookup gives the editor's units without reading translations. What the index holds:

- units up to `text_search_state.indexed_upto` ('unit'), minus those noted in `text_search_pending`
  with their old text (sources_changed, called when a template import changes a unit's source);
- translations up to indexed_upto ('translation'), with their text as of the history's change
  indexed_upto ('change'): a translation's text never changes without a `change` row, so the ones
  changed since are those of the later change rows.

`catch_up` indexes the rest in short transactions. A lookup is exact at any moment: it takes the
index for the rows it holds and scans (LIKE) the few it does not; the editor uses it only while that
rest is small (`backlog`), and plain scans otherwise.

The trigram tokenizer folds case over all of Unicode (`ÉQUIPE` finds `équipe`) and keeps accents
(`equipe` does not find `équipe`), like PostgreSQL's ILIKE; it needs needles of three characters or
more (shorter ones are scanned).
"""

from __future__ import annotations

import weakref
from typing import Callable, Iterable

from sqlalchemy import Select, column, func, literal_column, or_, select, table, text
from sqlalchemy.engine import Connection, Engine

from workbench.storage.repository import C, T, U

#: The shortest needle the trigram index can look up.
MIN_NEEDLE = 3
#: Rows looked at per transaction while catching up (a writer waits at most about that long).
BATCH = 10_000

UNIT_FTS = table("text_search_unit", column("rowid"))
STATE = table("text_search_state", column("name"), column("indexed_upto"))
PENDING = table("text_search_pending", column("kind"), column("row_id"), column("old_body"))
LANGUAGES = table("text_search_language", column("language"), column("fts"))

#: The text a row gives the index, and whether it gives any (the triggers' expressions).
UNIT_BODY = "{row}.source || char(10) || coalesce({row}.source_plural, '')"
TRANSLATION_BODY = "{row}.text || char(10) || coalesce({row}.plurals, '')"
TRANSLATION_HAS_TEXT = "({row}.text != '' OR {row}.plurals IS NOT NULL)"

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
    """How many rows the index does not hold yet, or holds with an older text (0 without an index;
    a translation changed twice may count twice)."""
    if not available(conn):
        return 0
    upto = dict(conn.execute(select(STATE.c.name, STATE.c.indexed_upto)).all())
    units = conn.execute(select(func.max(U.c.id))).scalar_one() or 0
    translations = conn.execute(select(func.max(T.c.id))).scalar_one() or 0
    changes = conn.execute(select(func.max(C.c.id))).scalar_one() or 0
    pending = conn.execute(select(func.count()).select_from(PENDING)).scalar_one()
    return (max(0, units - upto["unit"]) + max(0, translations - upto["translation"])
            + max(0, changes - upto["change"]) + pending)


def sources_changed(conn: Connection, units: Iterable[tuple[int, str, str | None]]) -> None:
    """Note, in the caller's transaction, units whose source changed: (id, old source, old plural
    source). The index looks them up by scanning until it has caught up."""
    rows = [{"id": unit_id, "body": f"{source}\n{plural or ''}"} for unit_id, source, plural in units]
    if not rows or not available(conn):
        return
    # OR IGNORE: the first change since the unit was indexed keeps the text the index was given
    conn.execute(text("INSERT OR IGNORE INTO text_search_pending (kind, row_id, old_body) SELECT 'unit', :id, :body "
                      "WHERE :id <= (SELECT indexed_upto FROM text_search_state WHERE name = 'unit')"), rows)


def language_table(conn: Connection, language: str) -> str | None:
    """The FTS table of `language`'s translations; None while the index holds none of them."""
    return conn.execute(select(LANGUAGES.c.fts).where(LANGUAGES.c.language == language)).scalar_one_or_none()


# -- catching up ---------------------------------------------------------------------------

def catch_up(store, *, batch: int = BATCH, stop: Callable[[], bool] | None = None) -> int:
    """Index what the index does not hold yet, in short write transactions of `store`, until
    nothing is left or `stop()` says so; returns the number of rows looked at. When there is
    nothing to do this costs one read."""
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
    """One transaction's worth: units whose source changed, translations whose text changed, then
    new rows."""
    return (_reindex_units(conn, batch) or _reindex_translations(conn, batch)
            or _index_new_units(conn, batch) or _index_new_translations(conn, batch))


def _ids_json(ids) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


_IN_IDS = "IN (SELECT value FROM json_each(:ids))"


def _reindex_units(conn: Connection, batch: int) -> int:
    rows = conn.execute(text("SELECT row_id, old_body FROM text_search_pending WHERE kind = 'unit' LIMIT :n"),
                        {"n": batch}).all()
    if not rows:
        return 0
    ids = _ids_json(r[0] for r in rows)
    # a contentless table forgets a row when given the text it was given
    conn.execute(text("INSERT INTO text_search_unit (text_search_unit, rowid, body) VALUES ('delete', :id, :body)"),
                 [{"id": i, "body": old} for i, old in rows])
    conn.execute(text(f"INSERT INTO text_search_unit (rowid, body) SELECT id, {UNIT_BODY.format(row='unit')} "
                      f"FROM unit WHERE id {_IN_IDS}"), {"ids": ids})
    conn.execute(text(f"DELETE FROM text_search_pending WHERE kind = 'unit' AND row_id {_IN_IDS}"), {"ids": ids})
    return len(rows)


def _reindex_translations(conn: Connection, batch: int) -> int:
    """Translations (already indexed) whose text the next `batch` change rows may have changed."""
    span = _next_range(conn, "change", batch)
    if span is None:
        return 0
    upto = conn.execute(select(STATE.c.indexed_upto).where(STATE.c.name == "translation")).scalar_one()
    rows = conn.execute(text("SELECT DISTINCT t.id, t.language, t.unit_id FROM change c "
                             "JOIN translation t ON t.id = c.translation_id "
                             "WHERE c.id > :from AND c.id <= :last AND t.id <= :upto"),
                        {"from": span[0], "last": span[1], "upto": upto}).all()
    by_language: dict[str, list] = {}
    for row in rows:
        by_language.setdefault(row[1], []).append(row)
    for language, group in by_language.items():
        fts = _ensure_language_table(conn, language)
        conn.execute(text(f'DELETE FROM "{fts}" WHERE rowid {_IN_IDS}'), {"ids": _ids_json(r[2] for r in group)})
        _insert_translations(conn, fts, language, f"id {_IN_IDS}", {"ids": _ids_json(r[0] for r in group)})
    _advance(conn, "change", span[1])
    return span[1] - span[0]


def _next_range(conn: Connection, kind: str, batch: int) -> tuple[int, int] | None:
    """(indexed_upto, the id that ends the next batch of new rows), or None when there are none."""
    upto = conn.execute(select(STATE.c.indexed_upto).where(STATE.c.name == kind)).scalar_one()
    last = conn.execute(text(f"SELECT max(id) FROM (SELECT id FROM {kind} WHERE id > :upto ORDER BY id LIMIT :n)"),
                        {"upto": upto, "n": batch}).scalar_one()
    return None if last is None else (upto, last)


def _advance(conn: Connection, kind: str, last: int) -> None:
    conn.execute(STATE.update().where(STATE.c.name == kind).values(indexed_upto=last))


def _index_new_units(conn: Connection, batch: int) -> int:
    span = _next_range(conn, "unit", batch)
    if span is None:
        return 0
    conn.execute(text(f"INSERT INTO text_search_unit (rowid, body) SELECT id, {UNIT_BODY.format(row='unit')} "
                      f"FROM unit WHERE id > :upto AND id <= :last"), {"upto": span[0], "last": span[1]})
    _advance(conn, "unit", span[1])
    return span[1] - span[0]


def _index_new_translations(conn: Connection, batch: int) -> int:
    span = _next_range(conn, "translation", batch)
    if span is None:
        return 0
    bounds = {"upto": span[0], "last": span[1]}
    languages = conn.execute(text("SELECT DISTINCT language FROM translation WHERE id > :upto AND id <= :last"),
                             bounds).scalars().all()
    for language in languages:
        _insert_translations(conn, _ensure_language_table(conn, language), language,
                             "id > :upto AND id <= :last", bounds)
    _advance(conn, "translation", span[1])
    return span[1] - span[0]


def _insert_translations(conn: Connection, fts: str, language: str, where: str, params: dict) -> None:
    # `language || ''`: the rows are found by id, not through the language index
    conn.execute(text(f'INSERT INTO "{fts}" (rowid, body) SELECT unit_id, {TRANSLATION_BODY.format(row="translation")} '
                      f"FROM translation WHERE {where} AND translation.language || '' = :language "
                      f"AND {TRANSLATION_HAS_TEXT.format(row='translation')}"), {**params, "language": language})


def _ensure_language_table(conn: Connection, language: str) -> str:
    fts = language_table(conn, language)
    if fts is None:
        fts = "text_search_translation_" + language.encode("utf-8").hex()    # any code makes a safe name
        # with its own copy of the text (a row is forgotten by its id: its old text is gone by
        # then); columnsize=0: no table of row sizes (nothing is ranked), one table fewer for
        # every connection to read the schema of
        conn.execute(text(f"CREATE VIRTUAL TABLE \"{fts}\" USING fts5(body, columnsize=0, tokenize='trigram')"))
        conn.execute(LANGUAGES.insert().values(language=language, fts=fts))
    return fts


# -- lookups -------------------------------------------------------------------------------

def _match(fts: str, needle: str):
    return literal_column(f'"{fts}"').op("MATCH")('"' + needle.replace('"', '""') + '"')


def _upto(kind: str):
    return select(STATE.c.indexed_upto).where(STATE.c.name == kind).scalar_subquery()


def _pending(kind: str):
    return select(PENDING.c.row_id).where(PENDING.c.kind == kind)


def source_matches(needle: str, like: Callable, *, complete: bool) -> list[Select]:
    """Selects whose union is the ids of the units whose source (or plural source) contains
    `needle`; `like(column)` is the scan's test for the rows the index does not hold, if any
    (`complete`: it holds every row, backlog() == 0 in the same transaction)."""
    if complete:
        return [select(UNIT_FTS.c.rowid).where(_match(UNIT_FTS.name, needle))]
    found = or_(like(U.c.source), like(U.c.source_plural))
    changed = select(PENDING.c.row_id).where(PENDING.c.kind == "unit")
    return [
        select(UNIT_FTS.c.rowid).where(_match(UNIT_FTS.name, needle), UNIT_FTS.c.rowid.not_in(changed)),
        select(U.c.id).where(U.c.id > _upto("unit"), found),
        select(U.c.id).where(U.c.id.in_(changed), found),
    ]


def target_matches(needle: str, language: str, like: Callable, *, fts: str | None,
                   complete: bool) -> list[Select]:
    """Selects whose union is the ids of the units whose translation in `language` contains
    `needle`; `fts` is the language's table (language_table)."""
    rowid = literal_column(f'"{fts}".rowid')
    if complete:
        return [] if fts is None else [select(rowid).select_from(table(fts)).where(_match(fts, needle))]
    found = or_(like(T.c.text), like(T.c.plurals))
    in_language = (T.c.language + "") == language      # (found by id, not through the language index)
    changed = select(C.c.translation_id).where(C.c.id > _upto("change"))
    selects = [
        select(T.c.unit_id).where(T.c.id > _upto("translation"), in_language, found),
        select(T.c.unit_id).where(T.c.id.in_(changed), in_language, found),
    ]
    if fts is not None:
        changed_units = select(T.c.unit_id).where(T.c.id.in_(changed), in_language)
        selects.insert(0, select(rowid).select_from(table(fts)).where(_match(fts, needle),
                                                                       rowid.not_in(changed_units)))
    return selects


def count_matches(conn: Connection, needle: str, *, fts: str | None, limit: int) -> int:
    """In how many units' source or translation (in the language whose table is `fts`) the index
    finds `needle`, counted up to `limit` (whether a needle is rare enough for the index to be the
    faster way)."""
    total = 0
    for fts in (UNIT_FTS.name, fts):
        if fts is None or total >= limit:
            continue
        rowid = literal_column(f'"{fts}".rowid')
        q = select(rowid).select_from(table(fts)).where(_match(fts, needle)).limit(limit - total)
        total += conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    return total

"""Queries and bulk writes over the tables, through SQLAlchemy Core (fast and explicit)."""

from __future__ import annotations

import gc
import json
import threading
from contextlib import contextmanager
from json.encoder import encode_basestring
from typing import Iterable, Iterator, Sequence

from sqlalchemy import and_, bindparam, exists, func, insert, literal, or_, select, update
from sqlalchemy.engine import Connection

from workbench.domain.states import State
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind, count_words
from workbench.storage.columns import utcnow
from workbench.storage.tables import change, file_state, resource, translation, unit

R = resource
U = unit
T = translation
C = change
F = file_state


def forms_to_json(forms: Sequence[str]) -> str:
    """json.dumps(list(forms), ensure_ascii=False), without the encoder's set-up per call (an
    import writes two of these per translation)."""
    return "[" + ", ".join(map(encode_basestring, forms)) + "]"


def forms_from_row(text: str, plurals: str | None) -> tuple[str, ...]:
    if plurals:
        return tuple(json.loads(plurals))
    return (text,)


def split_forms(forms: Sequence[str], plural: bool) -> tuple[str, str | None]:
    """The `text` and `plurals` columns for a translation's forms."""
    first = forms[0] if forms else ""
    return first, (forms_to_json(forms) if plural else None)


# -- bulk reads and writes ---------------------------------------------------------------

def tuples(conn: Connection, query) -> list[tuple]:
    """Every row of a select as plain tuples, straight from the driver's cursor, for reads of
    many rows whose columns need no conversion (text, integers; SQLite's booleans come as 0 and
    1): SQLAlchemy's Row objects cost half as much again on 100k rows."""
    result = conn.execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_many(conn: Connection, table, columns: Sequence[str], rows: Sequence[Sequence], *,
                converted: Sequence[str] = ()) -> None:
    """Insert rows (tuples in `columns` order) with the driver's own executemany, each value
    converted as SQLAlchemy would (dates on SQLite): Core's per-row parameter handling costs more
    than the database when an import writes 100k rows. `converted`: columns whose values are
    driver_value's already (an import's one date: no copy of each row to convert it)."""
    if not rows:
        return
    mark = _MARKS.get(conn.dialect.paramstyle)
    if mark is None:
        conn.execute(insert(table), [dict(zip(columns, r)) for r in rows])
        return
    dialect = conn.dialect
    processors = [(i, proc) for i, name in enumerate(columns) if name not in converted
                  and (proc := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    if processors:
        converted = []
        last: dict[int, tuple] = {}          # column -> (value, converted): an import's rows share one date
        for row in rows:
            row = list(row)
            for i, proc in processors:
                value = row[i]
                seen = last.get(i)
                if seen is not None and seen[0] is value:
                    row[i] = seen[1]
                else:
                    row[i] = proc(value)
                    last[i] = (value, row[i])
            converted.append(tuple(row))
        rows = converted
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    conn.exec_driver_sql(sql, rows if isinstance(rows, list) else list(rows))


def driver_value(conn: Connection, table, column: str, value):
    """`value` as insert_many hands it to the driver for `table.column` (see its `converted`);
    on a dialect that insert_many writes through Core, the value itself."""
    dialect = conn.dialect
    if dialect.paramstyle not in _MARKS or value is None:
        return value
    proc = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return value if proc is None else proc(value)


def next_ids(conn: Connection, table, count: int) -> range | None:
    """On SQLite, the ids that `count` rows inserted next into `table` get when given explicitly:
    the writer lock, taken at BEGIN, keeps them ours until the transaction ends (an import then
    knows its rows' ids without reading them back). None elsewhere."""
    if conn.dialect.name != "sqlite":
        return None
    last = conn.execute(select(func.max(table.c.id))).scalar_one() or 0
    return range(last + 1, last + 1 + count)


# -- resources ---------------------------------------------------------------------------

def get_resource(conn: Connection, name: str):
    return conn.execute(select(R).where(R.c.name == name)).mappings().first()


def upsert_resource(conn: Connection, *, name: str, kind: str, module: str, path: str, meta: dict) -> int:
    row = get_resource(conn, name)
    meta_json = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    if row is None:
        return conn.execute(insert(R).values(name=name, kind=kind, module=module, path=path,
                                             meta=meta_json)).inserted_primary_key[0]
    old = json.loads(row["meta"] or "{}")
    merged = {**old, **meta}
    merged_json = json.dumps(merged, ensure_ascii=False, sort_keys=True)
    if (row["kind"], row["module"], row["path"], row["meta"]) != (kind, module, path, merged_json):
        conn.execute(update(R).where(R.c.id == row["id"]).values(
            kind=kind, module=module, path=path, meta=merged_json))
    return row["id"]


#: Statements an import runs for every file, built once (building one costs three times running it).
_RESOURCE_META = select(R.c.meta).where(R.c.id == bindparam("rid"))
_SET_RESOURCE_META = update(R).where(R.c.id == bindparam("rid")).values(meta=bindparam("new_meta"))
_FILE_HASH = select(F.c.sha256).where(F.c.path == bindparam("file_path"))
_NEW_FILE_HASH = insert(F)


def set_resource_language_meta(conn: Connection, resource_id: int, language: str, meta: dict, *,
                               checks_stale: bool = False) -> None:
    """What a language's file says about the resource; with `checks_stale`, in the same write, what
    mark_checks_stale(conn, resource_id, [language]) does (one read and one write for both)."""
    data = resource_meta(conn, resource_id)
    languages = data.setdefault("languages", {})
    changed = languages.get(language) != meta
    languages[language] = meta
    if checks_stale:
        known = data.get(CHECKS_STALE) or []
        if language not in known:
            data[CHECKS_STALE] = sorted({*known, language})
            changed = True
    if changed:
        set_resource_meta(conn, resource_id, data)


#: The key of a resource's meta that lists the languages whose stored check results no longer
#: follow the resource's content (see services/checks.py, "Stale results").
CHECKS_STALE = "checks_stale"


def checks_stale_in(meta: str | None, language: str) -> bool:
    """Whether a resource's meta (its JSON text) marks `language`'s stored check results stale."""
    return bool(meta) and CHECKS_STALE in meta and language in (json.loads(meta).get(CHECKS_STALE) or ())


#: A translation that has text (in its first form or in its plural forms).
HAS_TEXT = or_(T.c.text != "", T.c.plurals.is_not(None))


def _dump_meta(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def resource_meta(conn: Connection, resource_id: int) -> dict:
    """A resource's meta, as data."""
    return json.loads(conn.execute(_RESOURCE_META, {"rid": resource_id}).scalar_one() or "{}")


def set_resource_meta(conn: Connection, resource_id: int, data: dict) -> None:
    """Replace a resource's meta, in the caller's transaction."""
    conn.execute(_SET_RESOURCE_META, {"rid": resource_id, "new_meta": _dump_meta(data)})


def mark_checks_stale(conn: Connection, resource_id: int, languages: Iterable[str]) -> None:
    """Note, in the caller's transaction, that the stored check results of these languages of the
    resource no longer follow its content."""
    data = resource_meta(conn, resource_id)
    known = set(data.get(CHECKS_STALE) or ())
    wanted = known | set(languages)
    if wanted != known:
        data[CHECKS_STALE] = sorted(wanted)
        set_resource_meta(conn, resource_id, data)


def stale_checks(conn: Connection, *, lock: bool = False) -> dict[int, set[str]]:
    """Resource id -> the languages whose stored check results are stale; with `lock`, the
    resources' rows are locked until the transaction ends (PostgreSQL; SQLite's writer lock is
    taken at BEGIN already)."""
    q = select(R.c.id, R.c.meta).where(R.c.meta.contains(f'"{CHECKS_STALE}"'))
    if lock and conn.dialect.name == "postgresql":
        q = q.with_for_update()
    out: dict[int, set[str]] = {}
    for rid, meta in conn.execute(q):
        languages = json.loads(meta or "{}").get(CHECKS_STALE)
        if languages:
            out[rid] = set(languages)
    return out


def clear_checks_stale(conn: Connection, pairs: dict[int, set[str]]) -> None:
    """The stored results of these (resource id -> languages) follow their content again."""
    for rid, languages in pairs.items():
        meta = conn.execute(select(R.c.meta).where(R.c.id == rid)).scalar_one_or_none()
        if meta is None:
            continue
        data = json.loads(meta or "{}")
        known = set(data.get(CHECKS_STALE) or ())
        left = known - set(languages)
        if left == known:
            continue
        if left:
            data[CHECKS_STALE] = sorted(left)
        else:
            del data[CHECKS_STALE]
        conn.execute(update(R).where(R.c.id == rid).values(meta=_dump_meta(data)))


def resources(conn: Connection, kind: str | None = None):
    q = select(R).order_by(R.c.name)
    if kind:
        q = q.where(R.c.kind == kind)
    return conn.execute(q).mappings().all()


# -- units -------------------------------------------------------------------------------

def unit_from_row(row, resource: str) -> Unit:
    return Unit(
        key=row["key"], resource=resource, kind=UnitKind(row["kind"]), module=row["module"],
        position=row["position"], source=row["source"], source_plural=row["source_plural"],
        context=row["context"], comments=row["comments"],
        references=tuple(r for r in row["refs"].split("\n") if r),
        flags=tuple(f for f in row["flags"].split(",") if f),
        previous_source=row["previous_source"], start_ms=row["start_ms"], end_ms=row["end_ms"],
        cue_settings=row["cue_settings"], obsolete=bool(row["obsolete"]),
        extra=json.loads(row["extra"] or "{}"),
    )


def unit_values(unit: Unit) -> dict:
    return dict(
        key=unit.key, kind=_KIND_VALUES[unit.kind], module=unit.module, position=unit.position,
        source=unit.source, source_plural=unit.source_plural, context=unit.context,
        comments=unit.comments, refs="\n".join(unit.references), flags=",".join(unit.flags),
        previous_source=unit.previous_source, start_ms=unit.start_ms, end_ms=unit.end_ms,
        cue_settings=unit.cue_settings, obsolete=unit.obsolete, words=unit.words,
        extra=json.dumps(unit.extra, ensure_ascii=False, sort_keys=True) if unit.extra else "{}",
    )


def unit_row(unit: Unit, resource_id: int) -> tuple:
    """The values of ("resource_id", *UNIT_COLUMNS) for a unit (unit_values' as a tuple, for
    insert_many: an import of a new catalog writes 100k, and the dicts cost a third of the time)."""
    extra = unit.extra
    return (resource_id, unit.key, _KIND_VALUES[unit.kind], unit.module, unit.position, unit.source, unit.source_plural,
            unit.context, unit.comments, "\n".join(unit.references), ",".join(unit.flags), unit.previous_source,
            unit.start_ms, unit.end_ms, unit.cue_settings, unit.obsolete, count_words(unit.source),
            json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "{}")


def stored_unit(unit: Unit, row: tuple) -> Unit:
    """The Unit that units_of reads back after `row` (unit_row's) was written: `unit` itself
    when writing it changes nothing (no reference or flag that the columns would split otherwise,
    an extra of strings and lists of strings), else unit_from_values'."""
    refs, flags, extra = unit.references, unit.flags, unit.extra
    if (type(refs) is tuple and type(flags) is tuple and type(unit.obsolete) is bool
            and (not refs or ("" not in refs and row[9].count("\n") == len(refs) - 1))
            and (not flags or ("" not in flags and row[10].count(",") == len(flags) - 1))
            and all(type(k) is str and (type(v) is str or type(v) is list and all(type(s) is str for s in v))
                    for k, v in extra.items())):
        return unit
    return unit_from_values(dict(zip(UNIT_COLUMNS, row[1:])), unit.resource)


def unit_from_values(values: dict, resource: str) -> Unit:
    """The Unit that units_of reads back after `values` (unit_values) were written."""
    refs, flags, extra = values["refs"], values["flags"], values["extra"]
    return Unit(values["key"], resource, _KINDS[values["kind"]], values["module"], values["position"],
                values["source"], values["source_plural"], values["context"], values["comments"],
                tuple(r for r in refs.split("\n") if r) if refs else (),
                tuple(f for f in flags.split(",") if f) if flags else (),
                values["previous_source"], values["start_ms"], values["end_ms"], values["cue_settings"],
                bool(values["obsolete"]), json.loads(extra) if extra and extra != "{}" else {})


#: The columns of unit_values, in its order.
UNIT_COLUMNS = ("key", "kind", "module", "position", "source", "source_plural", "context", "comments", "refs",
                "flags", "previous_source", "start_ms", "end_ms", "cue_settings", "obsolete", "words", "extra")


def unit_rows(conn: Connection, resource_id: int):
    return conn.execute(select(U).where(U.c.resource_id == resource_id).order_by(U.c.position)).mappings().all()


_UNIT_FIELDS = (U.c.key, U.c.kind, U.c.module, U.c.position, U.c.source, U.c.source_plural, U.c.context,
                U.c.comments, U.c.refs, U.c.flags, U.c.previous_source, U.c.start_ms, U.c.end_ms,
                U.c.cue_settings, U.c.obsolete, U.c.extra)
_KINDS = {k.value: k for k in UnitKind}
_KIND_VALUES = {k: k.value for k in UnitKind}      # (an enum's .value is a slow property)


def units_of(conn: Connection, resource_id: int, resource: str, *, include_obsolete: bool = True) -> list[Unit]:
    """The units of a resource in position order, as unit_from_row makes them (read as plain
    tuples: an import reads every unit of a catalog of 100k)."""
    out = []
    q = select(*_UNIT_FIELDS).where(U.c.resource_id == resource_id).order_by(U.c.position)
    for (key, kind, module, position, source, source_plural, context, comments, refs, flags, previous_source,
         start_ms, end_ms, cue_settings, obsolete, extra) in tuples(conn, q):
        if obsolete and not include_obsolete:
            continue
        out.append(Unit(key, resource, _KINDS[kind], module, position, source, source_plural, context, comments,
                        tuple(r for r in refs.split("\n") if r) if refs else (),
                        tuple(f for f in flags.split(",") if f) if flags else (),
                        previous_source, start_ms, end_ms, cue_settings, bool(obsolete),
                        json.loads(extra) if extra and extra != "{}" else {}))
    return out


# -- translations ------------------------------------------------------------------------

def translation_from_row(row, key: str, resource: str) -> Translation:
    return Translation(
        key=key, resource=resource, language=row["language"],
        forms=forms_from_row(row["text"], row["plurals"]), state=State(row["state"]),
        version=row["version"], author=row["author"], origin=row["origin"], comment=row["comment"],
        translator_comments=row["translator_comments"], previous_source=row["previous_source"],
        updated_at=row["updated_at"],
    )


def of_resource(resource_id: int):
    """A condition on translation rows: they belong to units of `resource_id`.

    Add it next to `T.language == ...` when joining units: without it SQLite (which has no table
    statistics) drives the join from the translation table's language index and reads every row
    of that language (150 ms a file at 1M translations, instead of 1 ms).
    """
    return T.c.unit_id.in_(select(U.c.id).where(U.c.resource_id == resource_id))


def translations_of(conn: Connection, resource_id: int, resource: str, language: str) -> dict[str, Translation]:
    q = (select(T, U.c.key).join(U, U.c.id == T.c.unit_id)
         .where(and_(U.c.resource_id == resource_id, of_resource(resource_id), T.c.language == language)))
    return {r["key"]: translation_from_row(r, r["key"], resource) for r in conn.execute(q).mappings()}


def ensure_translations(conn: Connection, *, language: str, unit_ids: Sequence[int] | None = None,
                        resource_ids: Sequence[int] | None = None) -> None:
    """Create the (untranslated) translation rows that do not exist yet.

    Translation rows are made lazily: a unit has a row in a language once that language has text,
    history, or someone is about to work on it. No row means untranslated (status and the editor's
    list count it so), which keeps an import of a big catalog from writing 12 empty rows per unit.
    """
    if unit_ids is not None and not unit_ids:
        return
    missing = ~exists().where(and_(T.c.unit_id == U.c.id, T.c.language == language))
    q = select(U.c.id, literal(language), U.c.module, U.c.kind, literal(State.UNTRANSLATED.value),
               literal(""), literal(0), literal("human"), literal(""), literal("{}")).where(missing)
    if unit_ids is not None:
        q = q.where(U.c.id.in_(list(unit_ids)))
    if resource_ids is not None:
        q = q.where(U.c.resource_id.in_(list(resource_ids)))
    columns = ["unit_id", "language", "module", "kind", "state", "text", "version", "origin",
               "translator_comments", "extra"]
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(T).from_select(columns, q).on_conflict_do_nothing())
    else:  # SQLite: BEGIN IMMEDIATE already serialises writers
        conn.execute(insert(T).from_select(columns, q))


def record_change(conn: Connection, *, translation_id: int, version: int, action: str, user: str,
                  old_state: str, new_state: str, old_forms: Sequence[str], new_forms: Sequence[str],
                  origin: str, comment: str | None = None, at=None) -> None:
    conn.execute(insert(C).values(
        translation_id=translation_id, version=version, action=action, user=user, at=at or utcnow(),
        old_state=old_state, new_state=new_state, old_text=forms_to_json(old_forms),
        new_text=forms_to_json(new_forms), origin=origin, comment=comment))


# -- file states -------------------------------------------------------------------------

def file_hash(conn: Connection, path: str) -> str | None:
    return conn.execute(_FILE_HASH, {"file_path": path}).scalar_one_or_none()


def set_file_hash(conn: Connection, path: str, sha256: str, *, known: str | None = ...) -> None:   # type: ignore[assignment]
    """`known`: what file_hash said of `path` earlier in this transaction, when the caller has it."""
    if known is ...:
        known = file_hash(conn, path)
    if known is None:
        conn.execute(_NEW_FILE_HASH, {"path": path, "sha256": sha256, "synced_at": utcnow()})
    elif known != sha256:
        conn.execute(update(F).where(F.c.path == path).values(sha256=sha256, synced_at=utcnow()))


def count(conn: Connection, table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()


# -- bulk work ---------------------------------------------------------------------------

_gc_lock = threading.Lock()
_gc_depth = 0
_gc_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during bulk work over many rows.

    Importing or checking 100k translations makes millions of objects that live until the work
    ends (rows, units, translations, index entries); the collector would walk all of them again
    each time their number grows by a quarter, which costs about a third of the work's time and
    frees nothing. Nested and concurrent uses (TUI workers) are counted: the collector runs again
    when the last one ends, if it ran before the first one began.
    """
    global _gc_depth, _gc_was_enabled
    with _gc_lock:
        if _gc_depth == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_was_enabled:
                gc.enable()

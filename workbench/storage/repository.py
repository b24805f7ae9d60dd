"""Queries and bulk writes over the tables, through SQLAlchemy Core (fast and explicit)."""

from __future__ import annotations

import json
from typing import Iterable, Sequence

from sqlalchemy import and_, exists, func, insert, literal, select, update
from sqlalchemy.engine import Connection

from workbench.domain.states import State
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind
from workbench.storage.models import (
    ChangeRow, FileStateRow, ResourceRow, TranslationRow, UnitRow, utcnow,
)

R = ResourceRow.__table__
U = UnitRow.__table__
T = TranslationRow.__table__
C = ChangeRow.__table__
F = FileStateRow.__table__


def forms_to_json(forms: Sequence[str]) -> str:
    return json.dumps(list(forms), ensure_ascii=False)


def forms_from_row(text: str, plurals: str | None) -> tuple[str, ...]:
    if plurals:
        return tuple(json.loads(plurals))
    return (text,)


def split_forms(forms: Sequence[str], plural: bool) -> tuple[str, str | None]:
    """The `text` and `plurals` columns for a translation's forms."""
    first = forms[0] if forms else ""
    return first, (forms_to_json(forms) if plural else None)


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


def set_resource_language_meta(conn: Connection, resource_id: int, language: str, meta: dict) -> None:
    row = conn.execute(select(R.c.meta).where(R.c.id == resource_id)).scalar_one()
    data = json.loads(row or "{}")
    languages = data.setdefault("languages", {})
    if languages.get(language) != meta:
        languages[language] = meta
        conn.execute(update(R).where(R.c.id == resource_id).values(
            meta=json.dumps(data, ensure_ascii=False, sort_keys=True)))


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
        key=unit.key, kind=unit.kind.value, module=unit.module, position=unit.position,
        source=unit.source, source_plural=unit.source_plural, context=unit.context,
        comments=unit.comments, refs="\n".join(unit.references), flags=",".join(unit.flags),
        previous_source=unit.previous_source, start_ms=unit.start_ms, end_ms=unit.end_ms,
        cue_settings=unit.cue_settings, obsolete=unit.obsolete, words=unit.words,
        extra=json.dumps(unit.extra, ensure_ascii=False, sort_keys=True),
    )


def unit_rows(conn: Connection, resource_id: int):
    return conn.execute(select(U).where(U.c.resource_id == resource_id).order_by(U.c.position)).mappings().all()


def units_of(conn: Connection, resource_id: int, resource: str, *, include_obsolete: bool = True) -> list[Unit]:
    return [unit_from_row(r, resource) for r in unit_rows(conn, resource_id)
            if include_obsolete or not r["obsolete"]]


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
    return conn.execute(select(F.c.sha256).where(F.c.path == path)).scalar_one_or_none()


def set_file_hash(conn: Connection, path: str, sha256: str) -> None:
    known = file_hash(conn, path)
    if known is None:
        conn.execute(insert(F).values(path=path, sha256=sha256, synced_at=utcnow()))
    elif known != sha256:
        conn.execute(update(F).where(F.c.path == path).values(sha256=sha256, synced_at=utcnow()))


def count(conn: Connection, table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()

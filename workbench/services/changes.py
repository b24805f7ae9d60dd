"""The one write path for a translation: a version-checked UPDATE and its history row, together.

Every change of a translation made by a person or a suggestion goes through `apply_change`
inside the caller's transaction: the UPDATE carries `WHERE id = :id AND version = :base`, so a
save that started from a stale version changes nothing and raises ConflictError with both
texts; the history row is written in the same transaction, so a change and its record exist
together or not at all. On SQLite the transaction holds the write lock from BEGIN (IMMEDIATE);
on PostgreSQL (READ COMMITTED) the UPDATE re-checks the version on the newest committed row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import and_, select, update
from sqlalchemy.engine import Connection

from workbench.domain.errors import ConflictError, NotFoundError, WorkbenchError
from workbench.domain.states import Action, State, transition
from workbench.domain.translations import Translation
from workbench.domain.units import Unit
from workbench.storage import repository as repo
from workbench.storage.columns import utcnow

T, U, R = repo.T, repo.U, repo.R


@dataclass(frozen=True, slots=True)
class Located:
    """A translation row with what we need of its unit and resource."""

    id: int
    resource: str
    key: str
    language: str
    plural: bool
    obsolete: bool
    translation: Translation

    @property
    def label(self) -> str:
        return f"{self.key} [{self.language}]"


def _query():
    return (select(T, U.c.key, U.c.source_plural, U.c.obsolete, R.c.name.label("resource_name"))
            .join(U, U.c.id == T.c.unit_id).join(R, R.c.id == U.c.resource_id))


def _located(row) -> Located:
    return Located(id=row["id"], resource=row["resource_name"], key=row["key"], language=row["language"],
                   plural=row["source_plural"] is not None, obsolete=bool(row["obsolete"]),
                   translation=repo.translation_from_row(row, row["key"], row["resource_name"]))


def locate(conn: Connection, *, resource: str, key: str, language: str, unit_id: int | None = None) -> Located:
    """The translation row to change, created (untranslated, version 0) when the unit has none
    yet: for writers only, in a write transaction; readers use `read_translation`.
    `unit_id`: the unit the caller read (a screen that shows it): its row is the one changed even
    when its key is another one by now (re-cut subtitles whose cues were renumbered moved the
    keys, each unit keeping its translations); `resource` and `key` then only name it."""
    if unit_id is None:
        unit_id = _unit_id(conn, resource=resource, key=key)
    if unit_id is not None:
        repo.ensure_translations(conn, language=language, unit_ids=[unit_id])
        row = conn.execute(_query().where(and_(U.c.id == unit_id, T.c.language == language))).mappings().first()
    else:
        row = None
    if row is None:
        raise _missing(resource=resource, key=key, language=language)
    return _located(row)


def _unit_id(conn: Connection, *, resource: str, key: str) -> int | None:
    return conn.execute(select(U.c.id).join(R, R.c.id == U.c.resource_id)
                        .where(and_(R.c.name == resource, U.c.key == key))).scalar_one_or_none()


def _row(conn: Connection, *, resource: str, key: str, language: str):
    return conn.execute(_query().where(and_(R.c.name == resource, U.c.key == key,
                                            T.c.language == language))).mappings().first()


def _missing(*, resource: str, key: str, language: str) -> NotFoundError:
    return NotFoundError(f"{key} [{language}]: no such translation in {resource}")


def read_translation(conn: Connection, *, resource: str, key: str,
                     language: str) -> tuple[int | None, Translation]:
    """The stored row's id and its translation; (None, an empty untranslated one at version 0)
    when the unit has no row in `language` yet, as the row `locate` would create says. Writes
    nothing, so it works on a `Store.read()` connection."""
    row = _row(conn, resource=resource, key=key, language=language)
    if row is not None:
        return row["id"], _located(row).translation
    if _unit_id(conn, resource=resource, key=key) is None:
        raise _missing(resource=resource, key=key, language=language)
    return None, Translation(key=key, resource=resource, language=language, forms=("",),
                             state=State.UNTRANSLATED, version=0)


def locate_by_id(conn: Connection, translation_id: int) -> Located:
    row = conn.execute(_query().where(T.c.id == translation_id)).mappings().one()
    return _located(row)


def locate_many(conn: Connection, *, language: str, resources: Sequence[str]) -> dict[tuple[str, str], Located]:
    """Every translation of `language` in `resources`, by (resource, key)."""
    resource_ids = conn.execute(select(R.c.id).where(R.c.name.in_(list(resources)))).scalars().all()
    repo.ensure_translations(conn, language=language, resource_ids=resource_ids)
    rows = conn.execute(_query().where(and_(R.c.name.in_(list(resources)), T.c.language == language))).mappings()
    return {(r["resource_name"], r["key"]): _located(r) for r in rows}


def check_forms(located: Located, forms: Sequence[str]) -> tuple[str, ...]:
    forms = tuple(forms)
    if not forms or not all(isinstance(f, str) for f in forms):
        raise WorkbenchError(f"{located.label}: a translation needs its text as a list of strings")
    if not located.plural and len(forms) != 1:
        raise WorkbenchError(f"{located.label}: this unit has no plural forms, but {len(forms)} were given")
    return forms


def conflict(located: Located, *, base_version: int, mine: Sequence[str]) -> ConflictError:
    current = located.translation
    return ConflictError(key=located.key, language=located.language, base_version=base_version,
                         current_version=current.version, mine=tuple(mine), theirs=current.forms,
                         theirs_author=current.author)


def apply_change(conn: Connection, located: Located, *, action: Action, user: str,
                 base_version: int | None, forms: Sequence[str] | None = None,
                 author: str | None = None, origin: str | None = None,
                 comment: str | None = None, review_comment: str | None = None,
                 keep_review_comment: bool = True) -> Translation:
    """Apply `action` to the translation as it was at `base_version` (None: as just read).

    `forms`, `author` and `origin` default to the current ones. `review_comment` replaces the
    reviewer's comment kept on the translation (else it is kept, or cleared when
    `keep_review_comment` is false). Raises TransitionError or ConflictError; writes nothing then.
    """
    current = located.translation
    base = current.version if base_version is None else base_version
    new_forms = current.forms if forms is None else tuple(forms)
    if base != current.version:
        raise conflict(located, base_version=base, mine=new_forms)
    old_state = current.state
    new_state = transition(old_state, action)
    text, plurals = repo.split_forms(new_forms, located.plural)
    kept_comment = current.comment if keep_review_comment else None
    new_comment = review_comment if review_comment is not None else kept_comment
    previous_source = None if new_state in (State.TRANSLATED, State.APPROVED) else current.previous_source
    new_author = current.author if author is None else author
    new_origin = current.origin if origin is None else origin
    now = utcnow()
    result = conn.execute(
        update(T).where(and_(T.c.id == located.id, T.c.version == base)).values(
            state=new_state.value, text=text, plurals=plurals, version=base + 1, author=new_author,
            origin=new_origin, comment=new_comment, previous_source=previous_source, updated_at=now))
    if result.rowcount != 1:
        # someone committed a newer version between our read and our write
        raise conflict(locate_by_id(conn, located.id), base_version=base, mine=new_forms)
    repo.record_change(conn, translation_id=located.id, version=base + 1, action=action.value, user=user,
                       old_state=old_state.value, new_state=new_state.value, old_forms=current.forms,
                       new_forms=new_forms, origin=new_origin, comment=comment, at=now)
    return Translation(
        key=located.key, resource=located.resource, language=located.language, forms=new_forms,
        state=new_state, version=base + 1, author=new_author, origin=new_origin, comment=new_comment,
        translator_comments=current.translator_comments, previous_source=previous_source, updated_at=now)


def unit_of(conn: Connection, *, resource: str, key: str) -> Unit:
    row = conn.execute(select(U).join(R, R.c.id == U.c.resource_id)
                       .where(and_(R.c.name == resource, U.c.key == key))).mappings().first()
    if row is None:
        raise NotFoundError(f"{key}: no such key in {resource}")
    return repo.unit_from_row(row, resource)

"""The editor's view of the units: filtered, in course order, paged by keyset (instant at 1M rows)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, or_, select, tuple_

from workbench.domain.query import Filter
from workbench.services.context import Workbench
from workbench.storage import repository as repo

T, U, R, C = repo.T, repo.U, repo.R, repo.C


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the editor's list."""

    translation_id: int | None        # None while the language has no row for this unit (untranslated)
    unit_id: int
    key: str
    resource: str
    module: str
    kind: str
    state: str
    source: str
    target: str
    version: int
    cursor: tuple[str, int, int]      # (module, resource id, position): the keyset position


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column, needle: str):
    return column.ilike(f"%{_escape_like(needle)}%", escape="\\")


STATE = func.coalesce(T.c.state, "untranslated")


def _where(language: str, f: Filter, check_table=None) -> list:
    clauses = [U.c.obsolete == False]  # noqa: E712
    if f.states:
        clauses.append(STATE.in_(f.states))
    if f.modules:
        clauses.append(U.c.module.in_(f.modules))
    if f.kinds:
        clauses.append(U.c.kind.in_(f.kinds))
    if f.resources:
        clauses.append(R.c.name.in_(f.resources))
    if f.key_prefix:
        clauses.append(U.c.key.like(f"{_escape_like(f.key_prefix)}%", escape="\\"))
    for needle in f.text:
        clauses.append(or_(_contains(U.c.source, needle), _contains(U.c.source_plural, needle),
                           _contains(T.c.text, needle), _contains(T.c.plurals, needle)))
    for needle in f.source_text:
        clauses.append(or_(_contains(U.c.source, needle), _contains(U.c.source_plural, needle)))
    for needle in f.target_text:
        clauses.append(or_(_contains(T.c.text, needle), _contains(T.c.plurals, needle)))
    if f.commented:
        clauses.append(and_(T.c.comment.is_not(None), T.c.comment != ""))
    if f.stale:
        clauses.append(T.c.previous_source.is_not(None))
    if f.checks and check_table is not None:
        clauses.append(exists().where(and_(check_table.c.translation_id == T.c.id,
                                           check_table.c.check_id.in_(f.checks))))
    return clauses


def _check_table():
    """The stored check results, when the checks service keeps them."""
    from workbench.storage import models

    row = getattr(models, "CheckResultRow", None)
    return row.__table__ if row is not None else None


ORDER = (U.c.module, U.c.resource_id, U.c.position)


def _from(language: str):
    """Units of the project with their translation in `language`, if it has one."""
    return U.join(R, R.c.id == U.c.resource_id).outerjoin(
        T, and_(T.c.unit_id == U.c.id, T.c.language == language))


def _base(language: str, f: Filter) -> Select:
    return (select(T.c.id, U.c.key, R.c.name, U.c.module, U.c.kind, STATE, U.c.source,
                   func.coalesce(T.c.text, ""), func.coalesce(T.c.version, 0), U.c.resource_id, U.c.position,
                   U.c.id)
            .select_from(_from(language))
            .where(*_where(language, f, _check_table())))


def _row(r) -> Row:
    return Row(translation_id=r[0], unit_id=r[11], key=r[1], resource=r[2], module=r[3], kind=r[4], state=r[5],
               source=r[6], target=r[7], version=r[8], cursor=(r[3], r[9], r[10]))


def _fresh(wb: Workbench, language: str, f: Filter) -> None:
    """A `check:` filter reads stored check results: stale ones are refreshed first
    (services/checks.py, "Stale results")."""
    if f.checks:
        from workbench.services.checks import ensure_checked

        ensure_checked(wb, languages=[language])


def page(wb: Workbench, *, language: str, filter: Filter, after: tuple | None = None,
         before: tuple | None = None, limit: int = 100) -> list[Row]:
    """Up to `limit` rows after (or before) a keyset cursor, in course order."""
    _fresh(wb, language, filter)
    q = _base(language, filter)
    if after is not None:
        q = q.where(tuple_(*ORDER) > tuple_(*after)).order_by(*ORDER)
    elif before is not None:
        q = q.where(tuple_(*ORDER) < tuple_(*before)).order_by(*(c.desc() for c in ORDER))
    else:
        q = q.order_by(*ORDER)
    with wb.store.read() as conn:
        rows = [_row(r) for r in conn.execute(q.limit(limit))]
    return rows[::-1] if before is not None else rows


def count(wb: Workbench, *, language: str, filter: Filter) -> int:
    _fresh(wb, language, filter)
    q = select(func.count()).select_from(_from(language)).where(*_where(language, filter, _check_table()))
    with wb.store.read() as conn:
        return conn.execute(q).scalar_one()


def position_of(wb: Workbench, *, language: str, filter: Filter, cursor: tuple) -> int:
    """How many rows come before `cursor` (for the scrollbar)."""
    _fresh(wb, language, filter)
    q = (select(func.count()).select_from(_from(language))
         .where(*_where(language, filter, _check_table()), tuple_(*ORDER) < tuple_(*cursor)))
    with wb.store.read() as conn:
        return conn.execute(q).scalar_one()

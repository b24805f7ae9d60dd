"""Issue marks for the editor's list: the severity of each row's worst stored issue, one query a page.

Stable API:

- ``worst_issues(wb, *, language, translation_ids) -> dict[int, str]``: translation id -> the
  severity (``error``, ``warning``, ``info``) of its worst stored issue, for those that have one;
  the project's disabled checks left out, its severity overrides applied. One query.
- ``marked(wb, rows, *, language) -> list[MarkedRow]``: browse rows with their ``issue`` (the same
  query, for a page of rows).
- ``issues_of(wb, *, language, translation_id) -> list[Issue] | None``: one translation's stored
  issues as the project wants them (the review pane); None while they are stale.

Stored results are read as they are (a page fetch does not re-check), except those of a (resource,
language) pair that an import left stale (services/checks.py, "Stale results"): those get no mark,
as no mark is better than an outdated one. The stale marks come with the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from sqlalchemy import case, null, select

from workbench.domain.checks.base import Issue, Severity
from workbench.services.browse import Row
from workbench.services.checks import CR, SEVERITIES, issue_filter, stored_issues, suite_for
from workbench.services.context import Workbench
from workbench.storage import repository as repo

__all__ = ["MarkedRow", "issues_of", "marked", "worst_issues"]

R, T, U = repo.R, repo.T, repo.U


@dataclass(frozen=True, slots=True)
class MarkedRow(Row):
    """A row of the editor's list with the severity of its worst stored issue (None: no issue)."""

    issue: str | None = None


def worst_issues(wb: Workbench, *, language: str, translation_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted({i for i in translation_ids if i is not None})
    if not ids:
        return {}
    suite = suite_for(wb.settings)
    # the resource's meta only when it carries stale marks (rare: after a big import)
    stale_meta = case((R.c.meta.contains(f'"{repo.CHECKS_STALE}"'), R.c.meta), else_=null())
    q = (select(CR.c.translation_id, CR.c.check_id, CR.c.severity, R.c.id, stale_meta)
         .join(T, T.c.id == CR.c.translation_id).join(U, U.c.id == T.c.unit_id)
         .join(R, R.c.id == U.c.resource_id)
         .where(CR.c.translation_id.in_(ids), issue_filter(suite)))
    stale: dict[int, bool] = {}
    worst: dict[int, Severity] = {}
    with wb.store.read() as conn:
        for tid, check_id, severity, rid, meta in conn.execute(q):
            if meta is not None:
                if rid not in stale:
                    stale[rid] = repo.checks_stale_in(meta, language)
                if stale[rid]:
                    continue
            effective = suite.overrides.get(check_id) or SEVERITIES.get(severity, Severity.WARNING)
            if tid not in worst or effective.rank > worst[tid].rank:
                worst[tid] = effective
    return {tid: s.value for tid, s in worst.items()}


def marked(wb: Workbench, rows: Sequence[Row], *, language: str) -> list[MarkedRow]:
    marks = worst_issues(wb, language=language, translation_ids=[r.translation_id for r in rows])
    return [MarkedRow(**{f: getattr(r, f) for f in Row.__dataclass_fields__}, issue=marks.get(r.translation_id))
            for r in rows]


def issues_of(wb: Workbench, *, language: str, translation_id: int) -> list[Issue] | None:
    """The stored issues of one translation, as the project wants them; None while an import left
    its resource's results in this language to re-check (an outdated list is worse than none)."""
    q = (select(R.c.meta).join(U, U.c.resource_id == R.c.id).join(T, T.c.unit_id == U.c.id)
         .where(T.c.id == translation_id))
    with wb.store.read() as conn:
        meta = conn.execute(q).scalar_one_or_none()
        if repo.checks_stale_in(meta, language):
            return None
        return stored_issues(conn, translation_id, settings=wb.settings)

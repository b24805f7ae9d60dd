"""The subtitle view of a video: its cues in order with times, reading speed and line lengths,
the source and one language side by side, paged by position (a video can be long).

Stable API:

- ``videos(wb, *, language) -> list[VideoInfo]``: every video (subtitle resource) in course order,
  with its number of cues, how many are translated (translated or approved) in `language`, and
  where its last cue ends.
- ``cue_page(wb, *, video, language, after=None, before=None, limit=100) -> list[TimelineCue]``:
  up to `limit` cues after (or before) a position cursor `(position,)`, in time order.
- ``END`` is a cursor after the last cue of any video.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from workbench.domain.errors import NotFoundError
from workbench.domain.states import State
from workbench.domain.units import Unit, UnitKind
from workbench.services.context import Workbench
from workbench.services.subtitles import CueReport, cue_report
from workbench.storage import repository as repo

__all__ = ["END", "TimelineCue", "VideoInfo", "cue_page", "videos"]

T, U, R = repo.T, repo.U, repo.R
END = (2**31 - 1,)


@dataclass(frozen=True, slots=True)
class VideoInfo:
    name: str
    module: str
    cues: int
    translated: int               # translated or approved in the language
    duration_ms: int              # end of the last cue


@dataclass(frozen=True, slots=True)
class TimelineCue:
    unit_id: int
    translation_id: int | None
    key: str
    number: int                   # 1-based, in time order
    start_ms: int
    end_ms: int
    source: str
    target: str
    state: str
    version: int
    source_report: CueReport
    target_report: CueReport | None   # None while untranslated
    cursor: tuple[int]                # (position,) in this video
    list_cursor: tuple[str, int, int]  # the same cue in the editor's list (browse's cursor)

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def resource(self) -> str:
        return self.key.rsplit("/", 1)[0]


def videos(wb: Workbench, *, language: str) -> list[VideoInfo]:
    language = wb.settings.target(language)
    done = case((T.c.state.in_([State.TRANSLATED.value, State.APPROVED.value]), 1), else_=0)
    q = (select(R.c.name, R.c.module, func.count(U.c.id), func.coalesce(func.sum(done), 0),
                func.coalesce(func.max(U.c.end_ms), 0))
         .select_from(R.join(U, U.c.resource_id == R.c.id)
                      .outerjoin(T, and_(T.c.unit_id == U.c.id, T.c.language == language)))
         .where(and_(R.c.kind == "subtitles", U.c.obsolete == False, U.c.kind == UnitKind.CUE.value))  # noqa: E712
         .group_by(R.c.name, R.c.module).order_by(R.c.module, R.c.name))
    with wb.store.read() as conn:
        return [VideoInfo(name=r[0], module=r[1], cues=r[2], translated=int(r[3]), duration_ms=int(r[4]))
                for r in conn.execute(q)]


def cue_page(wb: Workbench, *, video: str, language: str, after: tuple | None = None,
             before: tuple | None = None, limit: int = 100) -> list[TimelineCue]:
    """Cues of `video` with their translation in `language`, by position, after or before a cursor."""
    language = wb.settings.target(language)
    source_language = wb.settings.source_language
    with wb.store.read() as conn:
        found = conn.execute(select(R.c.id, R.c.module).where(and_(R.c.name == video, R.c.kind == "subtitles"))
                             ).first()
        if found is None:
            raise NotFoundError(f"{video}: no such video (the subtitle view lists them)")
        resource_id = found[0]
        q = (select(U.c.id, T.c.id, U.c.key, U.c.position, U.c.start_ms, U.c.end_ms, U.c.source,
                    func.coalesce(T.c.text, ""), func.coalesce(T.c.state, State.UNTRANSLATED.value),
                    func.coalesce(T.c.version, 0), U.c.module)
             .select_from(U.outerjoin(T, and_(T.c.unit_id == U.c.id, T.c.language == language)))
             .where(and_(U.c.resource_id == resource_id, U.c.obsolete == False,  # noqa: E712
                         U.c.kind == UnitKind.CUE.value)))
        if after is not None:
            q = q.where(U.c.position > after[0]).order_by(U.c.position)
        elif before is not None:
            q = q.where(U.c.position < before[0]).order_by(U.c.position.desc())
        else:
            q = q.order_by(U.c.position)
        rows = conn.execute(q.limit(limit)).all()
        if before is not None:
            rows.reverse()
        first = rows[0][3] if rows else 0
        number_base = conn.execute(select(func.count()).select_from(U).where(and_(
            U.c.resource_id == resource_id, U.c.obsolete == False,  # noqa: E712
            U.c.kind == UnitKind.CUE.value, U.c.position < first))).scalar_one() if rows else 0
    out = []
    for i, r in enumerate(rows):
        start, end = r[4] or 0, r[5] or 0
        unit = _cue_unit(key=r[2], video=video, start=start, end=end, source=r[6])
        out.append(TimelineCue(
            unit_id=r[0], translation_id=r[1], key=r[2], number=number_base + i + 1, start_ms=start, end_ms=end,
            source=r[6], target=r[7], state=r[8], version=r[9],
            source_report=cue_report(wb, unit=unit, text=r[6], language=source_language),
            target_report=cue_report(wb, unit=unit, text=r[7], language=language) if r[7] else None,
            cursor=(r[3],), list_cursor=(r[10], resource_id, r[3])))
    return out


def _cue_unit(*, key: str, video: str, start: int, end: int, source: str) -> Unit:
    return Unit(key=key, resource=video, kind=UnitKind.CUE, module="", position=0, source=source,
                start_ms=start, end_ms=end)

"""A unit's detail for the editor: its translation and context (quiz, neighbouring cues, comments).

Stable API:

- ``unit_detail(wb, *, unit_id, language, cues_around=2) -> UnitDetail``: the unit and its
  translation (an empty untranslated one when the language has no row for it yet; reading never
  writes), the module's title, the quiz it belongs to (the question, its choices and its
  feedback, each with its translation in the same language), the neighbouring subtitle cues with
  their times and reading speed in the source and the translation, the source the translation was
  made for when it changed since, the reviewer's last comment with who wrote it and when, and
  the text it had when it was last approved (for the reviewer's diff), how many plural forms
  the translation takes in its language, and its latest `changes` history entries (read only:
  services/history.py has the whole history and reverts).
- ``end_cursor(wb) -> tuple``: a keyset cursor after the last unit in course order (browse.page's
  `before=` takes it to show the end of a list).
- ``reading_speed(text, duration_ms) -> float | None``: characters per second as shown beside a cue.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from workbench.domain import subtitles
from workbench.domain.errors import NotFoundError
from workbench.domain.states import Action, State
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind, quiz_path
from workbench.formats.po import babel_plural_forms
from workbench.services.context import Workbench
from workbench.services.history import Change
from workbench.storage import repository as repo

__all__ = ["CueLine", "Neighbour", "ReviewComment", "UnitDetail", "end_cursor", "reading_speed",
           "unit_detail"]

T, U, R, C = repo.T, repo.U, repo.R, repo.C

#: Larger than any resource id or position: the end of a module in the keyset order.
_LAST = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A unit next to the current one (a quiz part or a cue), with its translation if any."""

    unit: Unit
    translation: Translation | None
    current: bool

    @property
    def target(self) -> str:
        return self.translation.text if self.translation is not None else ""


@dataclass(frozen=True, slots=True)
class CueLine:
    """One subtitle cue as the editor shows it: times, and reading speed of each side."""

    neighbour: Neighbour
    start_ms: int
    end_ms: int
    source_cps: float | None
    target_cps: float | None

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True, slots=True)
class ReviewComment:
    text: str
    user: str | None
    at: datetime | None


@dataclass(frozen=True, slots=True)
class UnitDetail:
    unit_id: int                          # the unit's row id
    translation_id: int | None            # None while nobody has worked on it in this language
    unit: Unit
    translation: Translation
    resource_kind: str                    # "catalog" | "subtitles"
    module_title: str
    quiz: tuple[Neighbour, ...]           # the whole question: question, choices, feedback
    cues: tuple[CueLine, ...]             # the cues around this one, this one included
    previous_source: str | None           # what the source said when it was translated
    review_comment: ReviewComment | None
    last_approved: tuple[str, ...] | None  # the text when it was last approved, if ever
    form_count: int                       # how many plural forms the translation takes (1 if none)
    changes: tuple[Change, ...] = ()      # the latest changes of its history, newest last

    @property
    def resource(self) -> str:
        return self.unit.resource

    @property
    def key(self) -> str:
        return self.unit.key


def reading_speed(text: str, duration_ms: int | None) -> float | None:
    """Characters per second (counted as Subtitle Edit does) for `text` shown `duration_ms` long;
    None without a duration or a text."""
    if not duration_ms or duration_ms <= 0 or not text:
        return None
    return subtitles.reading_speed(text, duration_ms)


def _translations(conn, unit_ids: list[int], language: str, resource: str,
                  keys: dict[int, str]) -> dict[int, Translation]:
    if not unit_ids:
        return {}
    rows = conn.execute(select(T).where(and_(T.c.unit_id.in_(unit_ids), T.c.language == language))).mappings()
    return {r["unit_id"]: repo.translation_from_row(r, keys[r["unit_id"]], resource) for r in rows}


def _neighbours(conn, rows, language: str, resource: str, current_id: int) -> list[Neighbour]:
    keys = {r["id"]: r["key"] for r in rows}
    found = _translations(conn, list(keys), language, resource, keys)
    return [Neighbour(unit=repo.unit_from_row(r, resource), translation=found.get(r["id"]),
                      current=r["id"] == current_id) for r in rows]


def _quiz(conn, unit_row, language: str, resource: str) -> tuple[Neighbour, ...]:
    path = quiz_path(unit_row["key"])
    if path is None:
        return ()
    qkey = path.question_key
    like = qkey.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
    rows = conn.execute(select(U).where(and_(
        U.c.resource_id == unit_row["resource_id"], U.c.obsolete == False,  # noqa: E712
        or_(U.c.key == qkey, U.c.key.like(like, escape="\\")))).order_by(U.c.position)).mappings().all()
    return tuple(_neighbours(conn, rows, language, resource, unit_row["id"]))


def _cues(conn, unit_row, language: str, resource: str, around: int) -> tuple[CueLine, ...]:
    if unit_row["kind"] != UnitKind.CUE.value:
        return ()
    base = and_(U.c.resource_id == unit_row["resource_id"], U.c.obsolete == False)  # noqa: E712
    before = conn.execute(select(U).where(base, U.c.position < unit_row["position"])
                          .order_by(U.c.position.desc()).limit(around)).mappings().all()
    after = conn.execute(select(U).where(base, U.c.position > unit_row["position"])
                         .order_by(U.c.position).limit(around)).mappings().all()
    rows = [*reversed(before), unit_row, *after]
    lines = []
    for n in _neighbours(conn, rows, language, resource, unit_row["id"]):
        start, end = n.unit.start_ms or 0, n.unit.end_ms or 0
        duration = end - start
        lines.append(CueLine(neighbour=n, start_ms=start, end_ms=end,
                             source_cps=reading_speed(n.unit.source, duration),
                             target_cps=reading_speed(n.target, duration)))
    return tuple(lines)


def _review_comment(conn, translation_id: int, translation: Translation) -> ReviewComment | None:
    if not translation.comment:
        return None
    row = conn.execute(select(C.c.user, C.c.at).where(and_(
        C.c.translation_id == translation_id, C.c.action == Action.REJECT.value,
        C.c.comment == translation.comment)).order_by(C.c.version.desc()).limit(1)).first()
    return ReviewComment(text=translation.comment, user=row[0] if row else None, at=row[1] if row else None)


def _recent_changes(conn, translation_id: int, limit: int) -> tuple[Change, ...]:
    rows = conn.execute(select(C).where(C.c.translation_id == translation_id)
                        .order_by(C.c.version.desc(), C.c.id.desc()).limit(limit)).mappings().all()
    return tuple(Change(version=r["version"], action=r["action"], user=r["user"], at=r["at"],
                        old_state=State(r["old_state"]), new_state=State(r["new_state"]),
                        old_forms=tuple(json.loads(r["old_text"])), new_forms=tuple(json.loads(r["new_text"])),
                        origin=r["origin"], comment=r["comment"]) for r in reversed(rows))


def _last_approved(conn, translation_id: int) -> tuple[str, ...] | None:
    text = conn.execute(select(C.c.new_text).where(and_(
        C.c.translation_id == translation_id, C.c.new_state == State.APPROVED.value))
        .order_by(C.c.version.desc(), C.c.id.desc()).limit(1)).scalar_one_or_none()
    return tuple(json.loads(text)) if text is not None else None


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def _form_count(meta_json: str, unit: Unit, translation: Translation) -> int:
    """1 without plural; else the forms it has, the catalog's Plural-Forms, or Babel's rule."""
    if not unit.is_plural:
        return 1
    if len(translation.forms) > 1:
        return len(translation.forms)
    meta = json.loads(meta_json or "{}")
    header = meta.get("languages", {}).get(translation.language, {}).get("metadata", {}).get("Plural-Forms", "")
    found = _NPLURALS.search(header) or _NPLURALS.search(babel_plural_forms(translation.language))
    return max(1, int(found.group(1))) if found else 2


def _empty(unit: Unit, language: str, forms: int) -> Translation:
    """A translation nobody has touched yet (no row is stored for it)."""
    return Translation(key=unit.key, resource=unit.resource, language=language, forms=("",) * forms,
                       state=State.UNTRANSLATED, version=0)


def unit_detail(wb: Workbench, *, unit_id: int, language: str, cues_around: int = 2,
                changes: int = 8) -> UnitDetail:
    """Everything the editor shows about a unit in `language` besides suggestions and checks.

    Reading writes nothing: a unit with no translation row yet shows an empty, untranslated one.
    """
    with wb.store.read() as conn:
        unit_row = conn.execute(select(U, R.c.name.label("resource_name"), R.c.kind.label("resource_kind"),
                                       R.c.meta.label("resource_meta"))
                                .join(R, R.c.id == U.c.resource_id).where(U.c.id == unit_id)).mappings().first()
        if unit_row is None:
            raise NotFoundError(f"unit {unit_id} does not exist (any more); refresh the list")
        resource = unit_row["resource_name"]
        unit = repo.unit_from_row(unit_row, resource)
        row = conn.execute(select(T).where(and_(T.c.unit_id == unit_id, T.c.language == language))
                           ).mappings().first()
        if row is None:
            translation_id = None
            translation = _empty(unit, language, 2 if unit.is_plural else 1)
        else:
            translation_id = row["id"]
            translation = repo.translation_from_row(row, unit.key, resource)
        form_count = _form_count(unit_row["resource_meta"], unit, translation)
        if row is None:
            translation = _empty(unit, language, form_count)
        return UnitDetail(
            unit_id=unit_id, translation_id=translation_id, unit=unit, translation=translation,
            resource_kind=unit_row["resource_kind"], module_title=wb.settings.module_title(unit.module),
            quiz=_quiz(conn, unit_row, language, resource),
            cues=_cues(conn, unit_row, language, resource, cues_around),
            previous_source=translation.previous_source or unit.previous_source,
            review_comment=None if translation_id is None else _review_comment(conn, translation_id, translation),
            last_approved=None if translation_id is None else _last_approved(conn, translation_id),
            form_count=form_count,
            changes=() if translation_id is None else _recent_changes(conn, translation_id, changes))


def end_cursor(wb: Workbench) -> tuple[str, int, int]:
    """A cursor after every unit in course order (module, resource, position)."""
    with wb.store.read() as conn:
        last = conn.execute(select(func.max(U.c.module))).scalar_one_or_none()
    return (last or "", _LAST, _LAST)

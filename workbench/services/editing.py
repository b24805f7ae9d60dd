"""Editing translations: the API that the CLI, the TUI, pretranslation and the memory call.

Stable API (keyword-only; `language` is a project target language, `forms` all plural forms):

- ``find_unit(wb, key, *, resource=None) -> Unit``: the unit with this key; `key` alone works
  when it is unique in the project, else pass `resource` (or write ``RESOURCE:KEY``).
- ``get_translation(wb, *, resource, key, language) -> Translation``: what to edit, with the
  `version` to pass back as `base_version`. A read: it writes nothing and waits for no writer
  (a unit nobody translated yet reads as untranslated, version 0; its row is made by a write).
- ``save_translation(wb, *, resource, key, language, forms, base_version, draft=False,
  origin=Origin.HUMAN, comment=None, unit_id=None) -> Translation``: a person's save. Finished text becomes
  `translated` (awaiting review; also when it was approved), ``draft=True`` keeps it a draft,
  empty forms clear it (`untranslated`). The current user becomes its author. Refused with
  ConflictError (carrying both texts) when `base_version` is not the current version, with
  PermissionDeniedError (rule ``translator-of-language``/``known-user``) when the user may not
  edit the language. A save that changes neither text nor state records nothing.
- ``suggest_translation(wb, *, resource, key, language, forms, origin, base_version=None,
  comment=None) -> Translation``: a machine (``Origin.machine("deepl")``) or memory
  (``Origin.MEMORY``) text, always a `draft`, never over a person's text: allowed on an
  untranslated translation or one whose current draft is itself a suggestion (`can_suggest`);
  refused with rule ``suggestion-keeps-human-text`` otherwise.
- ``suggest_translations(wb, *, language, suggestions, comment=None) -> SuggestReport``: the
  same for many `Suggestion`s in one transaction; what cannot take a suggestion is skipped and
  listed in `SuggestReport.kept`, never overwritten.

Reviewing (approve, reject, what awaits review) is in services/review.py; history and revert in
services/history.py; the rules themselves in services/permissions.py. Every change writes one
history row in the same transaction (services/changes.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from sqlalchemy import select

from workbench.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, WorkbenchError
from workbench.domain.states import Action, State, transition
from workbench.domain.translations import Origin, Translation
from workbench.domain.units import Unit
from workbench.services.changes import (Located, apply_change, check_forms, conflict, locate, locate_many,
                                        read_translation)
from workbench.services.checks import refresh_translations
from workbench.services.context import Workbench
from workbench.services.permissions import deny, require_translator
from workbench.storage import repository as repo

__all__ = [
    "Suggestion", "SuggestReport", "can_suggest", "find_unit", "get_translation", "save_translation",
    "suggest_translation", "suggest_translations",
]


def find_unit(wb: Workbench, key: str, *, resource: str | None = None) -> Unit:
    """The unit with `key`; `RESOURCE:KEY` or `resource=` picks one when a key is in several resources."""
    U, R = repo.U, repo.R
    with wb.store.read() as conn:
        def matches(k: str, res: str | None):
            q = select(U, R.c.name.label("resource_name")).join(R, R.c.id == U.c.resource_id).where(U.c.key == k)
            if res is not None:
                q = q.where(R.c.name == res)
            return conn.execute(q.order_by(R.c.name)).mappings().all()

        rows = matches(key, resource)
        if not rows and resource is None and ":" in key:
            res, _, k = key.partition(":")
            rows = matches(k, res)
    if not rows:
        where = f" in {resource}" if resource else ""
        raise NotFoundError(f"{key}: no such key{where}; 'workbench review --lang L' lists keys awaiting review")
    if len(rows) > 1:
        names = ", ".join(r["resource_name"] for r in rows)
        raise NotFoundError(f"{key}: this key is in several resources ({names}); write RESOURCE:{key}")
    return repo.unit_from_row(rows[0], rows[0]["resource_name"])


def get_translation(wb: Workbench, *, resource: str, key: str, language: str) -> Translation:
    language = wb.settings.target(language)
    with wb.store.read() as conn:   # writes nothing: a unit with no row yet reads as untranslated, version 0
        return read_translation(conn, resource=resource, key=key, language=language)[1]


def _refuse_obsolete(located: Located) -> None:
    if located.obsolete:
        raise WorkbenchError(f"{located.label}: this unit was removed from the source; it cannot be edited")


def save_translation(wb: Workbench, *, resource: str, key: str, language: str, forms: Sequence[str],
                     base_version: int, draft: bool = False, origin: str = Origin.HUMAN,
                     comment: str | None = None, unit_id: int | None = None) -> Translation:
    """A person's save, based on `base_version`; see the module docstring for the rules.
    `unit_id`: the unit the caller showed (see changes.locate), which a screen passes."""
    language = wb.settings.target(language)
    with wb.store.transaction() as conn:
        require_translator(conn, wb.user, language)
        located = locate(conn, resource=resource, key=key, language=language, unit_id=unit_id)
        _refuse_obsolete(located)
        forms = check_forms(located, forms)
        current = located.translation
        if base_version != current.version:
            raise conflict(located, base_version=base_version, mine=forms)
        if not any(f.strip() for f in forms):
            action = Action.CLEAR
            forms = tuple("" for _ in forms)
        elif draft:
            action = Action.SAVE_DRAFT
        else:
            if not all(f.strip() for f in forms):
                raise WorkbenchError(f"{located.label}: every plural form needs a text before it is "
                                     f"marked translated; save it as a draft")
            action = Action.EDIT
        if forms == current.forms and transition(current.state, action) == current.state:
            return current
        saved = apply_change(conn, located, action=action, user=wb.user, base_version=base_version,
                             forms=forms, author=wb.user if action is not Action.CLEAR else None,
                             origin=origin, comment=comment)
        refresh_translations(conn, [located.id], project=wb.project)   # its stored check results
        return saved


# -- suggestions ---------------------------------------------------------------------------

def can_suggest(translation: Translation) -> bool:
    """True when a suggestion may replace this translation: empty, or itself a suggestion draft."""
    if translation.state is State.UNTRANSLATED:
        return True
    return translation.state is State.DRAFT and (
        translation.origin == Origin.MEMORY or Origin.is_machine(translation.origin))


def _why_kept(translation: Translation) -> str:
    if translation.state is State.DRAFT:
        return "a person's draft is kept"
    return f"a {translation.state.value} text is kept"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A machine or memory text for one unit; `base_version` None means: whatever is current."""

    resource: str
    key: str
    forms: tuple[str, ...]
    origin: str
    base_version: int | None = None


@dataclass
class SuggestReport:
    applied: list[Translation] = field(default_factory=list)
    kept: list[tuple[str, str, str]] = field(default_factory=list)   # (resource, key, why)
    unchanged: int = 0                                                # same text already there


def _suggest_one(conn, wb: Workbench, located: Located, *, forms: Sequence[str], origin: str,
                 base_version: int | None, comment: str | None) -> Translation | None:
    """The new translation, None when the same text is already there; raises when refused."""
    _refuse_obsolete(located)
    forms = check_forms(located, forms)
    current = located.translation
    if base_version is not None and base_version != current.version:
        raise conflict(located, base_version=base_version, mine=forms)
    if not can_suggest(current):
        raise deny("suggestion-keeps-human-text",
                   f"{located.label}: {_why_kept(current)}; a suggestion never replaces a person's text")
    if not any(f.strip() for f in forms):
        raise WorkbenchError(f"{located.label}: an empty suggestion")
    if forms == current.forms and current.state is State.DRAFT and current.origin == origin:
        return None
    return apply_change(conn, located, action=Action.SUGGEST, user=wb.user, base_version=current.version,
                        forms=forms, author=wb.user, origin=origin, comment=comment)


def suggest_translation(wb: Workbench, *, resource: str, key: str, language: str, forms: Sequence[str],
                        origin: str, base_version: int | None = None,
                        comment: str | None = None) -> Translation:
    language = wb.settings.target(language)
    with wb.store.transaction() as conn:
        require_translator(conn, wb.user, language, what="insert suggestions into")
        located = locate(conn, resource=resource, key=key, language=language)
        result = _suggest_one(conn, wb, located, forms=forms, origin=origin,
                              base_version=base_version, comment=comment)
        if result is not None:
            refresh_translations(conn, [located.id], project=wb.project)
        return located.translation if result is None else result


def suggest_translations(wb: Workbench, *, language: str, suggestions: Iterable[Suggestion],
                         comment: str | None = None) -> SuggestReport:
    """Many suggestions in one transaction; refused ones are listed in `kept`, nothing is overwritten."""
    language = wb.settings.target(language)
    suggestions = list(suggestions)
    report = SuggestReport()
    if not suggestions:
        return report
    with wb.store.transaction() as conn:
        require_translator(conn, wb.user, language, what="insert suggestions into")
        rows = locate_many(conn, language=language, resources=sorted({s.resource for s in suggestions}))
        applied_ids: list[int] = []
        for s in suggestions:
            located = rows.get((s.resource, s.key))
            if located is None:
                raise NotFoundError(f"{s.key} [{language}]: no such translation in {s.resource}")
            if located.obsolete:
                report.kept.append((s.resource, s.key, "removed from the source"))
                continue
            try:
                result = _suggest_one(conn, wb, located, forms=s.forms, origin=s.origin,
                                      base_version=s.base_version, comment=comment)
            except ConflictError:
                report.kept.append((s.resource, s.key, "changed since it was read"))
                continue
            except PermissionDeniedError:
                report.kept.append((s.resource, s.key, _why_kept(located.translation)))
                continue
            if result is None:
                report.unchanged += 1
            else:
                report.applied.append(result)
                applied_ids.append(located.id)
                rows[(s.resource, s.key)] = Located(
                    id=located.id, resource=located.resource, key=located.key, language=located.language,
                    plural=located.plural, obsolete=located.obsolete, translation=result)
        refresh_translations(conn, applied_ids, project=wb.project)   # their stored check results
    return report

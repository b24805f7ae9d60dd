"""A translation's history, and reverting to an earlier text as a new change.

Stable API:

- ``history(wb, *, resource, key, language) -> list[Change]``: every recorded change, oldest
  first. `Change.version` is the translation's version after that change; version 0 is the
  empty translation before anything happened (a read: it writes nothing, waits for no writer).
- ``revert(wb, *, resource, key, language, to_version, base_version=None, comment=None)
  -> Translation``: restores the text of `to_version` as a new change (state `translated`,
  awaiting review; `untranslated` when that text was empty), by a translator of the language,
  who becomes its author. ConflictError when `base_version` is given and stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.domain.states import Action, State
from workbench.domain.translations import Origin, Translation
from workbench.services.changes import apply_change, locate, read_translation
from workbench.services.checks import refresh_translations
from workbench.services.context import Workbench
from workbench.services.permissions import require_translator
from workbench.storage import repository as repo

__all__ = ["Change", "history", "revert"]


@dataclass(frozen=True, slots=True)
class Change:
    version: int
    action: str               # a domain Action value, or "import"
    user: str
    at: datetime
    old_state: State
    new_state: State
    old_forms: tuple[str, ...]
    new_forms: tuple[str, ...]
    origin: str
    comment: str | None

    @property
    def text_changed(self) -> bool:
        return self.old_forms != self.new_forms


def _changes(conn, translation_id: int) -> list[Change]:
    C = repo.C
    rows = conn.execute(select(C).where(C.c.translation_id == translation_id)
                        .order_by(C.c.version, C.c.id)).mappings()
    return [Change(version=r["version"], action=r["action"], user=r["user"], at=r["at"],
                   old_state=State(r["old_state"]), new_state=State(r["new_state"]),
                   old_forms=tuple(json.loads(r["old_text"])), new_forms=tuple(json.loads(r["new_text"])),
                   origin=r["origin"], comment=r["comment"]) for r in rows]


def history(wb: Workbench, *, resource: str, key: str, language: str) -> list[Change]:
    language = wb.settings.target(language)
    with wb.store.read() as conn:   # writes nothing: a unit with no row yet has no changes
        translation_id, _ = read_translation(conn, resource=resource, key=key, language=language)
        return [] if translation_id is None else _changes(conn, translation_id)


def revert(wb: Workbench, *, resource: str, key: str, language: str, to_version: int,
           base_version: int | None = None, comment: str | None = None,
           unit_id: int | None = None) -> Translation:
    """`unit_id`: the unit the caller showed (see changes.locate), which a screen passes."""
    language = wb.settings.target(language)
    with wb.store.transaction() as conn:
        require_translator(conn, wb.user, language, what="revert")
        located = locate(conn, resource=resource, key=key, language=language, unit_id=unit_id)
        current = located.translation
        changes = _changes(conn, located.id)
        if to_version == 0:
            forms = tuple("" for _ in (changes[0].old_forms if changes else current.forms))
        else:
            found = [c for c in changes if c.version == to_version]
            if not found:
                known = ", ".join(str(c.version) for c in changes) or "none yet"
                raise NotFoundError(f"{located.label}: no version {to_version} in its history (versions: 0, {known})")
            forms = found[-1].new_forms
        if to_version == current.version:
            raise WorkbenchError(f"{located.label}: version {to_version} is the current version; nothing to revert")
        empty = not any(f.strip() for f in forms)
        reverted = apply_change(conn, located, action=Action.CLEAR if empty else Action.REVERT, user=wb.user,
                                base_version=base_version, forms=forms, author=None if empty else wb.user,
                                origin=Origin.HUMAN, comment=comment or f"revert to version {to_version}")
        refresh_translations(conn, [located.id], project=wb.project)   # its stored check results
        return reverted

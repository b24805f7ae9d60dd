"""Reviewing translations: what awaits review (with its diff), approve and reject.

Stable API:

- ``pending_review(wb, *, language, module=None, resource=None) -> list[ReviewItem]``: the
  translations of `language` in state `translated`, in course order, each with the text it
  last had when approved (if ever) and a word diff against it.
- ``approve(wb, *, resource, key, language, base_version=None, comment=None) -> Translation``:
  a reviewer of the language accepts a `translated` text. Refused by the four-eyes rule when
  the user wrote the current text (unless `[review] allow_self_approval`); with ConflictError
  when `base_version` is given and stale (None: the current version).
- ``reject(wb, *, resource, key, language, comment, base_version=None) -> Translation``: back
  to `draft` with the reviewer's comment, which is required (rule ``rejection-needs-comment``).
- ``word_diff(old, new) -> list[tuple[str, str]]``: ("=", "-", "+") runs, for any front end.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import and_, select

from workbench.domain.states import Action, State, transition
from workbench.domain.translations import Translation
from workbench.domain.units import Unit
from workbench.services.changes import apply_change, locate
from workbench.services.context import Workbench
from workbench.services.permissions import check_four_eyes, deny, require_reviewer
from workbench.storage import repository as repo

__all__ = ["ReviewItem", "approve", "pending_review", "reject", "word_diff"]


def approve(wb: Workbench, *, resource: str, key: str, language: str, base_version: int | None = None,
            comment: str | None = None, unit_id: int | None = None) -> Translation:
    """`unit_id`: the unit the reviewer was shown (see changes.locate), which a screen passes."""
    language = wb.settings.target(language)
    with wb.store.transaction() as conn:
        require_reviewer(conn, wb.user, language, what="approve")
        located = locate(conn, resource=resource, key=key, language=language, unit_id=unit_id)
        transition(located.translation.state, Action.APPROVE)
        check_four_eyes(user=wb.user, author=located.translation.author, key=located.key, language=language,
                        allow_self_approval=wb.settings.allow_self_approval)
        return apply_change(conn, located, action=Action.APPROVE, user=wb.user, base_version=base_version,
                            comment=comment, keep_review_comment=False)


def reject(wb: Workbench, *, resource: str, key: str, language: str, comment: str | None,
           base_version: int | None = None, unit_id: int | None = None) -> Translation:
    language = wb.settings.target(language)
    with wb.store.transaction() as conn:
        require_reviewer(conn, wb.user, language, what="reject")
        if comment is None or not comment.strip():
            raise deny("rejection-needs-comment",
                       f"{key} [{language}]: say what to change: a rejection needs a comment")
        located = locate(conn, resource=resource, key=key, language=language, unit_id=unit_id)
        return apply_change(conn, located, action=Action.REJECT, user=wb.user, base_version=base_version,
                            comment=comment.strip(), review_comment=comment.strip())


# -- what awaits review --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReviewItem:
    unit: Unit
    translation: Translation
    approved_forms: tuple[str, ...] | None       # the text when it was last approved, if ever
    approved_version: int | None

    @property
    def diff(self) -> list[tuple[str, str]]:
        """Word diff of the first form against the last approved text (all "+" when never approved)."""
        old = self.approved_forms[0] if self.approved_forms else ""
        return word_diff(old, self.translation.text)


def pending_review(wb: Workbench, *, language: str, module: str | None = None,
                   resource: str | None = None) -> list[ReviewItem]:
    language = wb.settings.target(language)
    if module is not None:
        wb.settings.check_module(module)
    T, U, R, C = repo.T, repo.U, repo.R, repo.C
    q = (select(T, U.c.key, R.c.name.label("resource_name"))
         .join(U, U.c.id == T.c.unit_id).join(R, R.c.id == U.c.resource_id)
         .where(and_(T.c.language == language, T.c.state == State.TRANSLATED.value, U.c.obsolete.is_(False))))
    if module is not None:
        q = q.where(U.c.module == module)
    if resource is not None:
        q = q.where(R.c.name == resource)
    q = q.order_by(U.c.module, R.c.kind, R.c.name, U.c.position)
    units: dict[int, object] = {}
    approved: dict[int, tuple[int, str]] = {}
    with wb.store.read() as conn:
        rows = conn.execute(q).mappings().all()
        for start in range(0, len(rows), 500):
            part = rows[start:start + 500]
            for u in conn.execute(select(U).where(U.c.id.in_([r["unit_id"] for r in part]))).mappings():
                units[u["id"]] = u
            for c in conn.execute(
                    select(C.c.translation_id, C.c.version, C.c.new_text)
                    .where(and_(C.c.translation_id.in_([r["id"] for r in part]),
                                C.c.new_state == State.APPROVED.value))
                    .order_by(C.c.version)).mappings():
                approved[c["translation_id"]] = (c["version"], c["new_text"])   # the latest wins
    items = []
    for r in rows:
        name = r["resource_name"]
        found = approved.get(r["id"])
        items.append(ReviewItem(
            unit=repo.unit_from_row(units[r["unit_id"]], name),
            translation=repo.translation_from_row(r, r["key"], name),
            approved_forms=tuple(json.loads(found[1])) if found else None,
            approved_version=found[0] if found else None))
    return items


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The changes from `old` to `new` as runs of ("=", text), ("-", text) and ("+", text)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[tuple[str, str]] = []

    def emit(op: str, tokens: Sequence[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            emit("=", a[i1:i2])
        else:
            emit("-", a[i1:i2])
            emit("+", b[j1:j2])
    return out

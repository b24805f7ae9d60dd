"""People and their roles per language: add, remove, list.

Stable API:

- ``add_user(wb, name, *, role, languages=(), display_name=None) -> UserInfo``: gives `name`
  (created if new) the role in each language; a coordinator has every language, so takes none.
  Only a coordinator may do it; in a project with no users anyone may, and the first user must
  be a coordinator (see services/permissions.py for the bootstrap rule).
- ``remove_user(wb, name, *, role=None, languages=()) -> UserInfo | None``: takes roles away
  (all of them, and the user, when `role` is None); the last coordinator stays.
- ``list_users(wb) -> UserList``: everyone with their roles, whether the project is still in its
  bootstrap phase, and what the current user may do.
- ``own_languages(wb) -> tuple[str, ...]``: the target languages the current user translates or
  reviews, in the project's order (none for a coordinator, who has them all).
- ``edit_refusal(wb, language) -> str | None``: why the current user may not edit `language`
  (the rule's message), or None when they may.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from sqlalchemy import and_, delete, func, insert, select

from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.services.context import Workbench
from workbench.services.permissions import (
    ALL_LANGUAGES, ROLES, USERS, Grants, Role, deny, grants_of, require_coordinator, require_translator,
)
from workbench.storage.columns import utcnow

__all__ = ["BOOTSTRAP_NOTE", "UserInfo", "UserList", "add_user", "edit_refusal", "list_users", "own_languages",
           "parse_role", "remove_user"]

_NAME = re.compile(r"^[\w][\w.@+-]{0,63}$", re.UNICODE)

BOOTSTRAP_NOTE = ("No users yet: until the first user is added, everyone acts as coordinator. "
                  "The first user must be a coordinator: workbench user add NAME --role coordinator")


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    display_name: str
    roles: tuple[tuple[str, str], ...]        # (role, language or "*"), sorted

    def languages(self, role: Role) -> tuple[str, ...]:
        return tuple(lang for r, lang in self.roles if r == role.value)


@dataclass
class UserList:
    users: list[UserInfo] = field(default_factory=list)
    bootstrap: bool = False
    current: Grants | None = None


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise WorkbenchError(f"unknown role {value!r}: use translator, reviewer or coordinator") from None


def _check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise WorkbenchError(f"{name!r} is not a usable user name: letters, digits and . _ @ + - only, "
                             f"at most 64 characters")
    return name


def _languages_for(wb: Workbench, role: Role, languages: Sequence[str]) -> list[str]:
    if role is Role.COORDINATOR:
        if any(lang not in (ALL_LANGUAGES, "all") for lang in languages):
            raise WorkbenchError("a coordinator has every language: leave out --lang")
        return [ALL_LANGUAGES]
    if not languages:
        raise WorkbenchError(f"a {role.value} works on given languages: add --lang L (repeatable, or 'all')")
    if any(lang in (ALL_LANGUAGES, "all") for lang in languages):
        return [ALL_LANGUAGES]
    return sorted({wb.settings.target(lang) for lang in languages})


def _user(conn, name: str, wb: Workbench) -> UserInfo | None:
    row = conn.execute(select(USERS).where(USERS.c.name == name)).mappings().first()
    if row is None:
        return None
    roles = conn.execute(select(ROLES.c.role, ROLES.c.language).where(ROLES.c.user_id == row["id"])).all()
    return UserInfo(name=row["name"], display_name=row["display_name"],
                    roles=tuple(sorted((r[0], r[1]) for r in roles)))


def add_user(wb: Workbench, name: str, *, role: Role | str, languages: Sequence[str] = (),
             display_name: str | None = None) -> UserInfo:
    role = parse_role(role) if isinstance(role, str) else role
    name = _check_name(name)
    langs = _languages_for(wb, role, languages)
    with wb.store.transaction() as conn:
        grants = require_coordinator(conn, wb.user, what="manage users")
        if grants.bootstrap and role is not Role.COORDINATOR:
            raise deny("first-user-is-coordinator",
                       f"this project has no users yet, so the first one must be a coordinator "
                       f"(else nobody could manage users): workbench user add {wb.user} --role coordinator")
        row = conn.execute(select(USERS.c.id).where(USERS.c.name == name)).first()
        if row is None:
            user_id = conn.execute(insert(USERS).values(
                name=name, display_name=display_name or "", email="", created_at=utcnow())).inserted_primary_key[0]
        else:
            user_id = row[0]
        have = {(r[0], r[1]) for r in conn.execute(
            select(ROLES.c.role, ROLES.c.language).where(ROLES.c.user_id == user_id))}
        new = [dict(user_id=user_id, role=role.value, language=lang) for lang in langs
               if (role.value, lang) not in have]
        if new:
            conn.execute(insert(ROLES), new)
        return _user(conn, name, wb)  # type: ignore[return-value]


def _coordinators(conn) -> int:
    return conn.execute(select(func.count(func.distinct(ROLES.c.user_id)))
                        .where(ROLES.c.role == Role.COORDINATOR.value)).scalar_one()


def remove_user(wb: Workbench, name: str, *, role: Role | str | None = None,
                languages: Sequence[str] = ()) -> UserInfo | None:
    """Remove roles (or the user, with `role` None); None when the user is gone."""
    role = parse_role(role) if isinstance(role, str) else role
    with wb.store.transaction() as conn:
        require_coordinator(conn, wb.user, what="manage users")
        row = conn.execute(select(USERS.c.id).where(USERS.c.name == name)).first()
        if row is None:
            raise NotFoundError(f"{name!r} is not a user of this project ('workbench user list' shows them)")
        user_id = row[0]
        cond = ROLES.c.user_id == user_id
        if role is not None:
            cond = and_(cond, ROLES.c.role == role.value)
            if languages and role is not Role.COORDINATOR:
                cond = and_(cond, ROLES.c.language.in_(_languages_for(wb, role, languages)))
        conn.execute(delete(ROLES).where(cond))
        if role is None:
            conn.execute(delete(USERS).where(USERS.c.id == user_id))
        remaining = conn.execute(select(func.count()).select_from(USERS)).scalar_one()
        if remaining and _coordinators(conn) == 0:
            raise deny("keep-a-coordinator", f"{name} is the last coordinator; add another one first")
        return _user(conn, name, wb)


def list_users(wb: Workbench) -> UserList:
    with wb.store.read() as conn:
        names = [r[0] for r in conn.execute(select(USERS.c.name).order_by(USERS.c.name))]
        users = [_user(conn, n, wb) for n in names]
        return UserList(users=[u for u in users if u is not None], bootstrap=not names,
                        current=grants_of(conn, wb.user))


def own_languages(wb: Workbench) -> tuple[str, ...]:
    """The target languages the current user translates or reviews, in the project's order."""
    with wb.store.read() as conn:
        grants = grants_of(conn, wb.user)
    if grants.is_coordinator:
        return ()
    return tuple(lang for lang in wb.settings.target_languages
                 if grants.has(Role.TRANSLATOR, lang) or grants.has(Role.REVIEWER, lang))


def edit_refusal(wb: Workbench, language: str) -> str | None:
    """Why the current user may not edit `language` (what a save would answer), or None."""
    with wb.store.read() as conn:
        try:
            require_translator(conn, wb.user, language)
        except WorkbenchError as exc:
            return str(exc)
    return None

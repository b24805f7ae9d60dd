"""Who may do what: roles per language and the named rules of the review workflow.

Roles (stored in the `user_role` table):

- ``translator`` of a language edits its translations (saves, drafts, suggestions, reverts);
- ``reviewer`` of a language approves and rejects its translations;
- ``coordinator`` acts in every language: everything a translator and a reviewer may do, and
  importing, exporting and managing users.

Bootstrap rule: a project with no users at all is usable by one person: until the first user
is added, whoever runs the workbench acts as coordinator. The first user added must be a
coordinator (rule ``first-user-is-coordinator``), so that adding people never locks everyone
out; removing the last coordinator is refused (rule ``keep-a-coordinator``). Once users exist,
a name that is not one of them may read but not change anything (rule ``known-user``).

The four-eyes rule applies to everyone, coordinators and the bootstrap included: nobody
approves a translation whose current text they wrote, unless the project sets
``[review] allow_self_approval = true``.

Every refusal is a PermissionDeniedError whose `rule` is one of the ids in RULES.
The user's name is not authenticated: it comes from `--user`, WORKBENCH_USER or the login.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from workbench.domain.errors import PermissionDeniedError
from workbench.domain.roles import Role
from workbench.storage.tables import user_account, user_role

USERS = user_account
ROLES = user_role

ALL_LANGUAGES = "*"


#: The rules, by their stable id, with what each one says.
RULES: dict[str, str] = {
    "known-user": "once a project has users, only they change it",
    "translator-of-language": "translators of a language edit it",
    "reviewer-of-language": "reviewers of a language approve or reject it",
    "coordinator-only": "coordinators import, export and manage users",
    "four-eyes": "nobody approves a translation whose current text they wrote",
    "rejection-needs-comment": "a rejection needs a comment",
    "suggestion-keeps-human-text": "a machine or memory suggestion never replaces a person's text",
    "first-user-is-coordinator": "the first user of a project must be a coordinator",
    "keep-a-coordinator": "a project with users keeps at least one coordinator",
    "terms-of-language": "coordinators manage the term base; reviewers of a language edit its terms",
}


def deny(rule: str, message: str) -> PermissionDeniedError:
    assert rule in RULES, rule
    return PermissionDeniedError(rule, message)


@dataclass(frozen=True, slots=True)
class Grants:
    """What one user may do, read from the database at the start of an action."""

    user: str
    bootstrap: bool                           # no users yet: everyone acts as coordinator
    known: bool
    roles: frozenset[tuple[str, str]]         # (role, language or "*")

    @property
    def is_coordinator(self) -> bool:
        return self.bootstrap or (Role.COORDINATOR.value, ALL_LANGUAGES) in self.roles

    def has(self, role: Role, language: str) -> bool:
        if self.is_coordinator:
            return True
        return (role.value, language) in self.roles or (role.value, ALL_LANGUAGES) in self.roles


def grants_of(conn: Connection, user: str) -> Grants:
    any_user = conn.execute(select(func.count()).select_from(USERS)).scalar_one() > 0
    if not any_user:
        return Grants(user=user, bootstrap=True, known=False, roles=frozenset())
    rows = conn.execute(
        select(ROLES.c.role, ROLES.c.language, USERS.c.id)
        .select_from(USERS.outerjoin(ROLES, ROLES.c.user_id == USERS.c.id))
        .where(USERS.c.name == user)).all()
    return Grants(user=user, bootstrap=False, known=bool(rows),
                  roles=frozenset((r[0], r[1]) for r in rows if r[0] is not None))


def _known(grants: Grants) -> None:
    if not grants.bootstrap and not grants.known:
        raise deny("known-user", f"{grants.user!r} is not a user of this project; "
                   f"a coordinator adds people with 'workbench user add {grants.user} --role ROLE --lang L'")


def require_translator(conn: Connection, user: str, language: str, *, what: str = "edit") -> Grants:
    grants = grants_of(conn, user)
    _known(grants)
    if not grants.has(Role.TRANSLATOR, language):
        raise deny("translator-of-language", f"{user} may not {what} {language}: "
                   f"only translators of {language} (or a coordinator) edit it")
    return grants


def require_reviewer(conn: Connection, user: str, language: str, *, what: str = "review") -> Grants:
    grants = grants_of(conn, user)
    _known(grants)
    if not grants.has(Role.REVIEWER, language):
        raise deny("reviewer-of-language", f"{user} may not {what} {language}: "
                   f"only reviewers of {language} (or a coordinator) approve or reject it")
    return grants


def require_coordinator(conn: Connection, user: str, *, what: str) -> Grants:
    grants = grants_of(conn, user)
    _known(grants)
    if not grants.is_coordinator:
        raise deny("coordinator-only", f"{user} may not {what}: only a coordinator does that")
    return grants


def require_terminologist(conn: Connection, user: str, languages: frozenset[str], *, what: str) -> Grants:
    """Coordinators change anything in the term base; a reviewer changes the terms of the
    languages they review, and nothing else (`languages` empty: a change of the whole concept)."""
    grants = grants_of(conn, user)
    _known(grants)
    if grants.is_coordinator:
        return grants
    outside = sorted(lang for lang in languages if not grants.has(Role.REVIEWER, lang))
    if not languages or outside:
        scope = f"the terms of {', '.join(outside)}" if outside else "a whole concept"
        raise deny("terms-of-language", f"{user} may not {what}: it changes {scope}; "
                   f"reviewers of a language edit its terms, coordinators the rest of the term base")
    return grants


def check_four_eyes(*, user: str, author: str | None, key: str, language: str,
                    allow_self_approval: bool) -> None:
    if author is not None and author == user and not allow_self_approval:
        raise deny("four-eyes", f"{key} [{language}]: {user} wrote the current text and may not approve it; "
                   f"another reviewer must (or set [review] allow_self_approval = true for a one-person project)")


def ensure_coordinator(wb, *, what: str) -> None:
    """Refuse `what` (import, export, ...) unless the workbench's user is a coordinator."""
    with wb.store.read() as conn:     # (reads only: the action's own transaction comes after)
        require_coordinator(conn, wb.user, what=what)

"""The roles a user can have in a project (see services/permissions.py for what each may do)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    TRANSLATOR = "translator"
    REVIEWER = "reviewer"
    COORDINATOR = "coordinator"

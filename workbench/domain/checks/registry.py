"""The explicit registry of checks: a new check is one class and one line here."""

from __future__ import annotations

from workbench.domain.checks.base import Check

#: Every check the workbench runs, by id. Each module that defines checks adds its classes here.
CHECKS: dict[str, type[Check]] = {}


def register(*classes: type[Check]) -> None:
    for cls in classes:
        CHECKS[cls.id] = cls

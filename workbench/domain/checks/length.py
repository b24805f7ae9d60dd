"""Maximum length: a `max-length:N` flag limits a translation to N characters."""

from __future__ import annotations

from typing import Iterable

from workbench.domain.checks.base import Check, CheckContext, Issue, Severity
from workbench.domain.checks.text import NO_ISSUES
from workbench.domain.translations import Translation
from workbench.domain.units import Unit

FLAG_PREFIX = "max-length:"


def max_length(unit: Unit) -> int | str | None:
    """The limit set by the unit's flag; the flag's text when it is not a positive number."""
    for flag in unit.flags:
        if flag.startswith(FLAG_PREFIX):
            value = flag[len(FLAG_PREFIX):].strip()
            return int(value) if value.isdigit() and int(value) > 0 else flag
    return None


class MaxLengthCheck(Check):
    id = "max-length"
    name = "Maximum length"
    description = ("A unit flagged max-length:N (a button, a menu entry, a badge title) holds at most "
                   "N characters in every plural form.")
    severity = Severity.ERROR

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        if not unit.flags:
            return NO_ISSUES
        limit = max_length(unit)
        if limit is None:
            return NO_ISSUES
        if isinstance(limit, str):
            return (self.issue(f"flag {limit!r} needs a positive whole number of characters",
                               severity=Severity.WARNING),)
        issues = []
        for i, form in enumerate(translation.forms):
            if len(form) > limit:
                issues.append(self.issue(f"{len(form)} characters, at most {limit} allowed",
                                         span=(limit, len(form)), form=i))
        return issues

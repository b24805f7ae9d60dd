"""Length: at most N characters with a `max-length:N` flag; near the source's length in catalog texts."""

from __future__ import annotations

from typing import Iterable, Sequence

from workbench.domain.checks.base import Check, CheckContext, Issue, Severity
from workbench.domain.checks.text import CATALOG_KINDS, NO_ISSUES, FormCheck
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


#: A translation between the course's languages is rarely more than 1.5 times as long or short as
#: its source (German runs about 1.3 times French, English about 0.85 times); 3 times is a wrong
#: text: pasted twice, another paragraph, a cut-off machine translation.
RATIO = 3
#: Below this (the longer of the two texts, in characters) nothing is reported: a title, a quiz
#: choice, 'Oui.' or an acronym spelled out may well triple.
RATIO_MIN_CHARS = 100


class LengthRatioCheck(FormCheck):
    id = "length-ratio"
    name = "Length against the source"
    description = (f"A lesson text or quiz item is not more than {RATIO} times as long, or as short, as its "
                   f"source (texts under {RATIO_MIN_CHARS} characters on both sides are not compared).")
    severity = Severity.WARNING
    kinds = CATALOG_KINDS

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        s, t = len(source), len(target)
        if s < RATIO_MIN_CHARS and t < RATIO_MIN_CHARS:
            return NO_ISSUES
        if t > RATIO * s:
            return (self.issue(f"{t:,} characters, {t / max(s, 1):.1f} times the source's {s:,} "
                               f"(more than {RATIO}×)", form=form),)
        if s > RATIO * t:
            return (self.issue(f"{t:,} characters, the source has {s:,}: {s / max(t, 1):.1f} times shorter "
                               f"(more than {RATIO}×)", form=form),)
        return NO_ISSUES

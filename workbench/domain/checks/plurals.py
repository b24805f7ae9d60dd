"""Plural forms: as many forms as the language's Plural-Forms rule, none of them empty."""

from __future__ import annotations

from typing import Iterable

from workbench.domain.checks.base import Check, CheckContext, Issue, Severity
from workbench.domain.checks.text import NO_ISSUES
from workbench.domain.translations import Translation
from workbench.domain.units import Unit

#: The key of CheckContext.extras that holds the number of plural forms per resource (a catalog
#: keeps its own Plural-Forms header), and the one with the language's default.
NPLURALS = "nplurals"
NPLURALS_DEFAULT = "nplurals_default"


def expected_forms(unit: Unit, ctx: CheckContext) -> int | None:
    per_resource = ctx.extras.get(NPLURALS)
    if per_resource:
        n = per_resource.get(unit.resource)
        if n:
            return n
    return ctx.extras.get(NPLURALS_DEFAULT)


class PluralFormsCheck(Check):
    id = "plural-forms"
    name = "Number of plural forms"
    description = ("A plural string has exactly as many forms as the language's plural rule "
                   "(the catalog's Plural-Forms header, else Babel's): 2 in German, 3 in Polish.")
    severity = Severity.ERROR

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        if unit.source_plural is None:
            return NO_ISSUES
        n = expected_forms(unit, ctx)
        got = len(translation.forms)
        if n is None or got == n:
            return NO_ISSUES
        return (self.issue(f"{got} plural form(s), {ctx.language} needs {n}"),)


class EmptyPluralCheck(Check):
    id = "empty-plural"
    name = "Empty plural form"
    description = ("Every plural form of a translated plural string is filled in: an empty one shows "
                   "the source text to the learner for those numbers.")
    severity = Severity.ERROR

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        if unit.source_plural is None:
            return NO_ISSUES
        n = expected_forms(unit, ctx) or len(translation.forms)
        forms = translation.forms
        empty = [i for i in range(min(n, len(forms))) if not forms[i].strip()]
        if not empty:
            return NO_ISSUES
        which = ", ".join(str(i) for i in empty)
        return (self.issue(f"plural form {which} empty" if len(empty) == 1 else f"plural forms {which} empty",
                           form=empty[0]),)

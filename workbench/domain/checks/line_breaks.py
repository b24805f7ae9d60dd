"""Line breaks in catalog texts: as many as the source has, at the start and end only where it has them."""

from __future__ import annotations

from typing import Sequence

from workbench.domain.checks.base import CheckContext, Issue, Severity
from workbench.domain.checks.text import CATALOG_KINDS, NO_ISSUES, FormCheck
from workbench.domain.units import Unit

_REFUSED = "msgfmt -c refuses the catalog"


def _breaks(n: int) -> str:
    return "no line break" if n == 0 else "1 line break" if n == 1 else f"{n} line breaks"


class LineBreaksCheck(FormCheck):
    id = "line-breaks"
    name = "Line breaks"
    description = ("A lesson text or quiz item has as many line breaks as its source (warning), and begins "
                   "and ends with a line break only where the source does (error: gettext's msgfmt -c "
                   "refuses a catalog where they differ). Not subtitle cues: their lines are layout.")
    severity = Severity.ERROR
    kinds = CATALOG_KINDS

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if "\n" not in target and "\n" not in source:
            return NO_ISSUES
        issues: list[Issue] = []
        fixed = target
        s_begins, t_begins = source[:1] == "\n", target[:1] == "\n"
        if s_begins != t_begins:
            fixed = "\n" + fixed if s_begins else fixed.lstrip("\n")
            issues.append(self.issue(
                f"begins with a line break, the source does not ({_REFUSED})" if t_begins else
                f"does not begin with a line break like the source ({_REFUSED})",
                span=(0, 1) if t_begins else None, form=form, fix=fixed or None))
        s_ends, t_ends = source[-1:] == "\n", target[-1:] == "\n"
        if s_ends != t_ends:
            body = fixed.rstrip("\n")
            issues.append(self.issue(
                f"ends with a line break, the source does not ({_REFUSED})" if t_ends else
                f"does not end with a line break like the source ({_REFUSED})",
                span=(len(target.rstrip("\n")), len(target)) if t_ends else None, form=form,
                fix=(body + "\n" if s_ends else body) or None))
        s_count, t_count = source.count("\n"), target.count("\n")
        # an edge break reported above is not reported again in the count
        if s_count != t_count and (
                not issues or source.strip("\n").count("\n") != target.strip("\n").count("\n")):
            issues.append(self.issue(f"{_breaks(t_count)}, the source has {s_count}",
                                     form=form, severity=Severity.WARNING))
        return issues

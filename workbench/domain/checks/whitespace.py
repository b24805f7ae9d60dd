"""Whitespace: leading and trailing whitespace like the source's, no doubled spaces."""

from __future__ import annotations

import re
from typing import Sequence

from workbench.domain.checks.base import CheckContext, Issue, Severity
from workbench.domain.checks.text import CATALOG_KINDS, NO_ISSUES, FormCheck
from workbench.domain.units import Unit


def _describe(ws: str) -> str:
    if not ws:
        return "no whitespace"
    names = {" ": "space", "\n": "line break", "\t": "tab", "\u00a0": "no-break space"}
    kinds = {names.get(c, "whitespace") for c in ws}
    return " and ".join(sorted(kinds)) if len(ws) == 1 or len(kinds) > 1 else f"{len(ws)} {kinds.pop()}s"


class LeadingSpaceCheck(FormCheck):
    id = "leading-space"
    name = "Leading whitespace"
    description = ("The translation starts with the same whitespace as the source (usually none). A line "
                   "break in a catalog text only one of them starts with is the line-breaks check's.")
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if not source[:1].isspace() and not target[:1].isspace():
            return NO_ISSUES
        if (source[:1] == "\n") != (target[:1] == "\n") and unit.kind in CATALOG_KINDS:
            return NO_ISSUES                  # line-breaks reports it (an error: msgfmt -c refuses it)
        s_ws = source[: len(source) - len(source.lstrip())]
        t_ws = target[: len(target) - len(target.lstrip())]
        if s_ws == t_ws:
            return NO_ISSUES
        return (self.issue(f"starts with {_describe(t_ws)}, the source with {_describe(s_ws)}",
                           span=(0, len(t_ws)) if t_ws else None, form=form,
                           fix=s_ws + target.lstrip()),)


class TrailingSpaceCheck(FormCheck):
    id = "trailing-space"
    name = "Trailing whitespace"
    description = ("The translation ends with the same whitespace as the source (usually none). A line "
                   "break in a catalog text only one of them ends with is the line-breaks check's.")
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if not source[-1:].isspace() and not target[-1:].isspace():
            return NO_ISSUES
        if (source[-1:] == "\n") != (target[-1:] == "\n") and unit.kind in CATALOG_KINDS:
            return NO_ISSUES                  # line-breaks reports it (an error: msgfmt -c refuses it)
        s_body, t_body = source.rstrip(), target.rstrip()
        s_ws, t_ws = source[len(s_body):], target[len(t_body):]
        if s_ws == t_ws or not t_body:
            return NO_ISSUES
        return (self.issue(f"ends with {_describe(t_ws)}, the source with {_describe(s_ws)}",
                           span=(len(t_body), len(target)) if t_ws else None, form=form,
                           fix=t_body + s_ws),)


_DOUBLE = re.compile(r"[ \u00a0\u202f\u2009]{2,}")


class DoubleSpaceCheck(FormCheck):
    id = "double-space"
    name = "Double space"
    description = "No two spaces in a row inside the text (unless the source has them too)."
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        # two spaces in a row need "  " or one of the other spaces (a substring test is cheaper
        # than the pattern's search)
        if "  " not in target and "\u00a0" not in target and "\u202f" not in target and "\u2009" not in target:
            return NO_ISSUES
        if _DOUBLE.search(target) is None:
            return NO_ISSUES
        body = target.strip()
        m = _DOUBLE.search(body)
        if m is None or _DOUBLE.search(source.strip()):
            return NO_ISSUES
        offset = len(target) - len(target.lstrip())
        start = offset + m.start()

        def one(run: re.Match) -> str:
            s = run.group()
            return "\u202f" if "\u202f" in s else "\u00a0" if "\u00a0" in s else " "

        fixed = target[:offset] + _DOUBLE.sub(one, body) + target[offset + len(body):]
        return (self.issue("two spaces in a row", span=(start, start + len(m.group())), form=form,
                           fix=fixed),)

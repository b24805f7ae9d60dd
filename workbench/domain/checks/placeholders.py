"""Format strings kept: python-format (`%(name)s`, `%s`, `%d`) and brace format (`{name}`)."""

from __future__ import annotations

import re
from typing import Sequence

from workbench.domain.checks.base import CheckContext, Issue, Severity
from workbench.domain.checks.text import NO_ISSUES, FormCheck, listing, multiset_diff
from workbench.domain.units import Unit

#: Every conversion Python's %-formatting accepts (used when the unit is flagged python-format).
_PY_FULL = re.compile(
    r"%(?:\((?P<name>[^()]*)\)|(?P<pos>\d+)\$)?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<conv>[diouxXeEfFgGcrsa%])")
#: Without the flag, only unambiguous placeholders count: no space flag, so that "50 % de" in
#: French prose is not taken for "% d".
_PY_STRICT = re.compile(
    r"%(?:\((?P<name>[A-Za-z_]\w*)\)|(?P<pos>\d+)\$)?[#0+-]?\d*(?:\.\d+)?(?P<conv>[sdifr])")

_BRACE = re.compile(r"\{(?P<field>[A-Za-z_]\w*(?:\.\w+|\[[^\]{}]*\])*|\d+)?(?:![rsa])?(?::[^{}]*)?\}")


def _python_tokens(text: str, pattern: re.Pattern) -> tuple[list[str], list[str]]:
    """(named or numbered placeholders, positional placeholders in order); `%%` is left out."""
    named: list[str] = []
    positional: list[str] = []
    for m in pattern.finditer(text):
        if m["conv"] == "%":
            continue
        if m["name"] is not None or m["pos"] is not None:
            named.append(m.group())
        else:
            positional.append(m.group())
    return named, positional


def _span(target: str, token: str) -> tuple[int, int] | None:
    at = target.find(token)
    return (at, at + len(token)) if at >= 0 else None


class PythonFormatCheck(FormCheck):
    id = "python-format"
    name = "Python format placeholders"
    description = ("The translation keeps the source's %-placeholders: %(name)s by name, %s and %d "
                   "in the same order. A missing or extra one breaks the course platform at run time.")
    severity = Severity.ERROR

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if "%" not in source and "%" not in target:
            return NO_ISSUES
        flags = unit.flags
        if "no-python-format" in flags:
            return NO_ISSUES
        flagged = "python-format" in flags
        pattern = _PY_FULL if flagged else _PY_STRICT
        s_named, s_pos = _python_tokens(source, pattern)
        t_named, t_pos = _python_tokens(target, pattern)
        issues: list[Issue] = []
        if s_named or t_named:
            missing, extra = multiset_diff(s_named, t_named)
            if missing:
                issues.append(self.issue(f"placeholder {listing(missing)} missing", form=form))
            if extra:
                issues.append(self.issue(f"placeholder {listing(extra)} not in the source",
                                         span=_span(target, extra[0]), form=form))
        if s_pos != t_pos:
            if sorted(s_pos) == sorted(t_pos):
                issues.append(self.issue(
                    f"placeholders {' '.join(t_pos)} in another order than the source's "
                    f"{' '.join(s_pos)}; %s and %d cannot be reordered", form=form))
            else:
                missing, extra = multiset_diff(s_pos, t_pos)
                if missing:
                    issues.append(self.issue(f"placeholder {listing(missing)} missing", form=form))
                if extra:
                    issues.append(self.issue(f"placeholder {listing(extra)} not in the source",
                                             span=_span(target, extra[0]), form=form))
        if flagged and not issues:
            rest = _PY_FULL.sub("", target)
            if "%" in rest:
                at = target.rfind("%")
                issues.append(self.issue("a lone % in a python-format string: write %% for a percent sign",
                                         span=(at, at + 1), form=form))
        return issues


def _brace_fields(text: str) -> list[str]:
    if "{{" in text or "}}" in text:
        text = text.replace("{{", "").replace("}}", "")
    return ["{" + (m["field"] or "") + "}" for m in _BRACE.finditer(text)]


class BraceFormatCheck(FormCheck):
    id = "brace-format"
    name = "Brace placeholders"
    description = ("The translation keeps the source's {name} and {0} placeholders (Python str.format, "
                   "ICU-style variables). Their order may change; their names may not.")
    severity = Severity.ERROR

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if "{" not in source and "{" not in target:
            return NO_ISSUES
        if "no-python-brace-format" in unit.flags:
            return NO_ISSUES
        missing, extra = multiset_diff(_brace_fields(source), _brace_fields(target))
        issues: list[Issue] = []
        if missing:
            issues.append(self.issue(f"placeholder {listing(missing)} missing", form=form))
        if extra:
            issues.append(self.issue(f"placeholder {listing(extra)} not in the source",
                                     span=_span(target, extra[0]), form=form))
        return issues

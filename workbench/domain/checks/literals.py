"""Literals kept: URLs, e-mail addresses and numbers (in any local digit grouping)."""

from __future__ import annotations

import re
from typing import Sequence

from workbench.domain.checks.base import CheckContext, Issue, Severity
from workbench.domain.checks.text import EMAIL, NO_ISSUES, TAG, URL, FormCheck, listing, multiset_diff, urls
from workbench.domain.units import Unit


def _replaced(what: str, missing: list[str], extra: list[str]) -> str:
    if missing and extra:
        return f"{what} {listing(missing)} replaced by {listing(extra)}"
    if missing:
        return f"{what} {listing(missing)} missing"
    return f"{what} {listing(extra)} not in the source"


class UrlsCheck(FormCheck):
    id = "urls"
    name = "URLs"
    description = ("The translation keeps the source's web addresses. A warning, not an error: a link "
                   "may rightly point to a page in the target language.")
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if (":" not in source and "www." not in source and ":" not in target and "www." not in target) or (
                "://" not in source and "www." not in source and "://" not in target and "www." not in target):
            return NO_ISSUES        # (no URL without "://" or "www."; ":" is the cheaper test)
        s, t = urls(source), urls(target)
        if not s and not t:
            return NO_ISSUES
        missing, extra = multiset_diff(s, t)
        if not missing and not extra:
            return NO_ISSUES
        return (self.issue(_replaced("URL", missing, extra), form=form),)


class EmailsCheck(FormCheck):
    id = "emails"
    name = "E-mail addresses"
    description = "The translation keeps the source's e-mail addresses."
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if "@" not in source and "@" not in target:
            return NO_ISSUES
        missing, extra = multiset_diff(EMAIL.findall(source), EMAIL.findall(target))
        if not missing and not extra:
            return NO_ISSUES
        return (self.issue(_replaced("e-mail address", missing, extra), form=form),)


#: A number in thousands grouped by space, no-break space, "." or "," ("3 000", "3,000", "3.000"),
#: or a plain run of digits. A decimal part is a number of its own, so that "1,5" and "1.5" agree,
#: and so do "01/02/2024" and "01.02.2024", "9 h 20" and "9:20".
_NUMBER = re.compile(r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f.,]\d{3}(?!\d))+|\d+")
_NON_DIGIT = re.compile(r"\D")


def numbers(text: str) -> list[str]:
    """The numbers of a text as plain digit strings: "3 000", "3,000" and "3.000" all give "3000"."""
    if "://" in text or "www." in text:
        text = URL.sub(" ", text)
    if "@" in text:
        text = EMAIL.sub(" ", text)
    if "<" in text:
        text = TAG.sub(" ", text)
    return [_NON_DIGIT.sub("", m).lstrip("0") or "0" for m in _NUMBER.findall(text)]


_HAS_DIGIT = re.compile(r"\d")


class NumbersCheck(FormCheck):
    id = "numbers"
    name = "Numbers"
    description = ("Every number of the source is in the translation, whatever the digit grouping and "
                   "decimal sign (3 000 = 3,000 = 3.000). A number added (a figure for a word) is fine.")
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if not _HAS_DIGIT.search(source):
            return NO_ISSUES
        missing, extra = multiset_diff(numbers(source), numbers(target))
        if missing and unit.is_plural:
            # "1 file" may rightly become "%d files" in a form that also serves 21, 31, ...
            missing = [n for n in missing if n != "1"]
        if not missing:
            return NO_ISSUES
        message = f"number {listing(missing)} missing"
        if extra:
            message += f" (the translation has {listing(extra)})"
        return (self.issue(message, form=form),)

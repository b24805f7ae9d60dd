"""Shared helpers of the text checks: precompiled patterns and a per-form base class."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from workbench.domain.checks.base import Check, CheckContext, Issue
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind

NO_ISSUES: tuple[Issue, ...] = ()

#: Spaces a typographer may use between words: space, no-break space, narrow no-break space,
#: thin space, figure space.
SPACES = " \u00a0\u202f\u2009\u2007"

URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'«»“”‘’()\[\]{}]+")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
#: an HTML or WebVTT tag: <b>, </a>, <br/>, <c.yellow>, <v Nadia>
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:[.:-][\w.-]*)?(?:\s[^<>]*)?/?>")
_URL_TRAILING = ".,;:!?"
#: What a catalog holds (lesson texts, quiz items): every kind but the subtitle cue, whose line
#: breaks and length are layout the subtitle checks see.
CATALOG_KINDS = frozenset({UnitKind.TEXT, UnitKind.QUIZ_QUESTION, UnitKind.QUIZ_CHOICE,
                           UnitKind.QUIZ_FEEDBACK})


def urls(text: str) -> list[str]:
    """The URLs in `text`, without the sentence punctuation that may follow them."""
    if "://" not in text and "www." not in text:
        return []
    return [m.rstrip(_URL_TRAILING) for m in URL.findall(text)]


_PRIMARY: dict[str, str] = {}


def language_primary(tag: str) -> str:
    """`nl-BE` -> `nl` (cached: checks ask for every translation)."""
    found = _PRIMARY.get(tag)
    if found is None:
        found = _PRIMARY[tag] = tag.split("-", 1)[0].lower()
    return found


class FormCheck(Check):
    """A check that compares each form of a translation with its source form.

    Subclasses implement `pair(unit, source, target, form, ctx)` and return a sequence of issues
    (`NO_ISSUES` in the common case). Empty forms are skipped (the plural checks see them).
    """

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        forms = translation.forms
        if unit.source_plural is None:
            return self.pair(unit, unit.source, forms[0], 0, ctx) if forms and forms[0] else NO_ISSUES
        out: list[Issue] = []
        seen: set[str] = set()
        for i, target in enumerate(forms):
            if target:
                for issue in self.pair(unit, unit.source if i == 0 else unit.source_plural, target, i, ctx):
                    if issue.message not in seen:       # the same fault in several forms: once
                        seen.add(issue.message)
                        out.append(issue)
        return out

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        raise NotImplementedError


def counted(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


def multiset_diff(source: Iterable[str], target: Iterable[str]) -> tuple[list[str], list[str]]:
    """What the target lacks and what it adds, each item as often as the difference."""
    s, t = counted(source), counted(target)
    missing = [k for k, n in s.items() for _ in range(n - t.get(k, 0))]
    extra = [k for k, n in t.items() for _ in range(n - s.get(k, 0))]
    return missing, extra


def listing(items: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")

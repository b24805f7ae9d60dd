"""Typography around ; : ! ? and guillemets: French spacing in French, none elsewhere."""

from __future__ import annotations

import re
from typing import Sequence

from workbench.domain.checks.base import CheckContext, Issue, Severity
from workbench.domain.checks.text import NO_ISSUES, FormCheck, language_primary
from workbench.domain.units import Unit

NBSP, NNBSP = "\u00a0", "\u202f"
_NO_BREAK = (NBSP, NNBSP)
_HIGH = re.compile(r"[;:!?«»]")
_SPACE_CHARS = " \u00a0\u202f\u2009"


def _skip_mark(text: str, i: int) -> bool:
    """A ; : ! ? that is not sentence punctuation: in a URL, a time, an emoticon, after another mark."""
    c = text[i]
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if not before or before == "\n":
        return True
    if before in "!?" and c in "!?":           # ?! and !!: the space goes before the first one only
        return True
    if c == ":" and (after == "/" or (before.isdigit() and after.isdigit())):
        return True                            # https://, 14:30, 1:2
    if c in ":;" and after and (after in ")(" or (after == "-" and text[i + 2:i + 3] in (")", "("))):
        return True                            # :) ;-)
    if before in "%}>" and c == ":" and after and after not in _SPACE_CHARS:
        return True                            # {time:%H:%M}, %(x)s:%(y)s
    return False


class FrenchSpacingCheck(FormCheck):
    id = "french-spacing"
    name = "French spacing"
    description = ("In French, a no-break space (U+00A0 or the narrow U+202F) goes before ; : ! ? and "
                   "inside « »; a normal space there lets the line break before the mark. Canadian French "
                   "(fr-CA) puts one before the colon and inside guillemets only.")
    severity = Severity.WARNING

    def applies_to_language(self, language: str) -> bool:
        return language_primary(language) == "fr"

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if _HIGH.search(target) is None:
            return NO_ISSUES
        canadian = ctx.language.lower().startswith("fr-ca")
        out: list[str] = []
        problems: list[str] = []
        first: tuple[int, int] | None = None
        n = len(target)
        i = 0
        last = 0
        for m in _HIGH.finditer(target):
            i = m.start()
            c = target[i]
            if c == "«":
                after = target[i + 1] if i + 1 < n else ""
                if after and after not in _NO_BREAK and after != "\n":
                    problems.append("after «")
                    first = first or (i, i + 2)
                    out.append(target[last:i + 1])
                    out.append(NBSP)
                    last = i + 2 if after in _SPACE_CHARS else i + 1
                continue
            if c in ";!?" and canadian:
                continue
            if (i == 0) if c == "»" else _skip_mark(target, i):
                continue
            before = target[i - 1]
            if before in _NO_BREAK:
                continue
            space = NBSP if c in ":»" else NNBSP
            where = "before »" if c == "»" else f"before {c}"
            if before in _SPACE_CHARS:
                # a normal (or thin) space: replace it, and any run of spaces before it
                j = i - 1
                while j > 0 and target[j - 1] in _SPACE_CHARS:
                    j -= 1
                if j < last:
                    continue
                problems.append(where)
                first = first or (j, i + 1)
                out.append(target[last:j])
                out.append(space)
                last = i
            else:
                problems.append(where)
                first = first or (i - 1, i + 1)
                out.append(target[last:i])
                out.append(space)
                last = i
        if not problems:
            return NO_ISSUES
        out.append(target[last:])
        unique = list(dict.fromkeys(problems))
        return (self.issue(f"no-break space missing {', '.join(unique)}", span=first, form=form,
                           fix="".join(out)),)


class PunctuationSpacingCheck(FormCheck):
    id = "punctuation-spacing"
    name = "Space before punctuation"
    description = ("Outside French, no space goes before ; : ! ? (a habit carried over from a French "
                   "source). Greek's question mark ';' is included.")
    severity = Severity.WARNING

    def applies_to_language(self, language: str) -> bool:
        return language_primary(language) != "fr"

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if " " not in target and NBSP not in target and NNBSP not in target:
            return NO_ISSUES
        # a mark after a space needs one of ; : ! ? and then " ;", " :", " !" or " ?", or one of the
        # other spaces (substring tests: cheaper than the pattern's search, which stops at every space)
        if "?" not in target and "!" not in target and ":" not in target and ";" not in target:
            return NO_ISSUES
        if (" ?" not in target and " !" not in target and " :" not in target and " ;" not in target
                and NBSP not in target and NNBSP not in target and "\u2009" not in target):
            return NO_ISSUES
        marks: list[str] = []
        first: tuple[int, int] | None = None
        out: list[str] = []
        last = 0
        for m in _SPACED.finditer(target):
            i = m.end() - 1
            if _skip_mark(target, i) or m.start() == 0 or target[m.start() - 1] == "\n":
                continue
            marks.append(target[i])
            first = first or (m.start(), m.end())
            out.append(target[last:m.start()])
            last = i
        if not marks:
            return NO_ISSUES
        out.append(target[last:])
        return (self.issue(f"space before {' '.join(dict.fromkeys(marks))}", span=first, form=form,
                           fix="".join(out)),)


_SPACED = re.compile(r"[ \u00a0\u202f\u2009]+[;:!?]")

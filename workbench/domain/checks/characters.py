"""Characters that should not be there: control characters, and invisible zero-width or bidi marks."""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

from workbench.domain.checks.base import CheckContext, Issue, Severity
from workbench.domain.checks.text import NO_ISSUES, FormCheck, listing
from workbench.domain.subtitles import INVISIBLE as INVISIBLE_CHARS
from workbench.domain.units import Unit

#: C0 controls but the line feed, DEL, and the C1 controls (tab and carriage return included:
#: they are allowed only where the source has them too).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
#: A whole terminal escape sequence (ESC [ … or CSI …), removed as one by the fix.
_ESCAPE_SEQUENCE = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]?")
#: Characters the source may have and the translation then may too.
_ALLOWED_IF_IN_SOURCE = "\t\r"

_C0 = ("NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
       "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
       "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE",
       "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE",
       "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
       "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
       "INFORMATION SEPARATOR ONE")
_C1 = ("PADDING CHARACTER", "HIGH OCTET PRESET", "BREAK PERMITTED HERE", "NO BREAK HERE", "INDEX",
       "NEXT LINE", "START OF SELECTED AREA", "END OF SELECTED AREA", "CHARACTER TABULATION SET",
       "CHARACTER TABULATION WITH JUSTIFICATION", "LINE TABULATION SET", "PARTIAL LINE FORWARD",
       "PARTIAL LINE BACKWARD", "REVERSE LINE FEED", "SINGLE SHIFT TWO", "SINGLE SHIFT THREE",
       "DEVICE CONTROL STRING", "PRIVATE USE ONE", "PRIVATE USE TWO", "SET TRANSMIT STATE",
       "CANCEL CHARACTER", "MESSAGE WAITING", "START OF GUARDED AREA", "END OF GUARDED AREA",
       "START OF STRING", "SINGLE GRAPHIC CHARACTER INTRODUCER", "SINGLE CHARACTER INTRODUCER",
       "CONTROL SEQUENCE INTRODUCER", "STRING TERMINATOR", "OPERATING SYSTEM COMMAND", "PRIVACY MESSAGE",
       "APPLICATION PROGRAM COMMAND")

#: Zero-width characters and bidirectional formatting marks (the ones character counting skips):
#: nothing to see, something to change.
INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE_CHARS)) + "]")


def _may_have_invisible(t: str) -> bool:
    """A fast "no" for most texts: a substring test per character is several times cheaper than
    the pattern's search (and next to free in a text of Latin-1 characters only). Spelled out
    for speed: the characters of INVISIBLE_CHARS (tests/test_checks_characters_lines_length.py)."""
    return not t.isascii() and (
        "\u200b" in t or "\u200c" in t or "\u200d" in t or "\u200e" in t or "\u200f" in t
        or "\u202a" in t or "\u202b" in t or "\u202c" in t or "\u202d" in t or "\u202e" in t
        or "\u2060" in t or "\u2066" in t or "\u2067" in t or "\u2068" in t or "\u2069" in t
        or "\ufeff" in t or "\u061c" in t)


def char_name(c: str) -> str:
    """`U+001B ESCAPE`: the code point and its Unicode name (controls have none in unicodedata)."""
    code = ord(c)
    if code < 0x20:
        name = _C0[code]
    elif code == 0x7F:
        name = "DELETE"
    elif 0x80 <= code <= 0x9F:
        name = _C1[code - 0x80]
    else:
        name = unicodedata.name(c, "")
    return f"U+{code:04X} {name}".rstrip()


def _without_controls(text: str, allowed: str) -> str:
    """`text` without its escape sequences and controls (but `allowed`); a tab becomes a space."""
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub(lambda m: m.group() if m.group() in allowed else " " if m.group() == "\t" else "",
                        text)


def _issues(check: FormCheck, found: list[re.Match], *, kind: str, after: str = "", fixed: str,
            form: int) -> tuple[Issue, ...]:
    """The one issue naming each character `found` (`kind`: "control", "invisible"), fixed by `fixed`."""
    first = found[0].start()
    count = f"{kind} character" if len(found) == 1 else f"{len(found)} {kind} characters"
    listed = listing([f"{char_name(m.group())} at position {m.start()}" for m in found])
    return (check.issue(f"{count}{after}: {listed}", span=(first, first + 1), form=form, fix=fixed or None),)


class ControlCharsCheck(FormCheck):
    id = "control-chars"
    name = "Control characters"
    description = ("No control character (ESC, BEL, NUL, any other C0 or C1 control) in the translation: it "
                   "would end up in the learners' catalogs and subtitle files. The line feed is allowed, "
                   "a tab or carriage return only where the source has one too.")
    severity = Severity.ERROR

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        m = _CONTROL.search(target)
        if m is None:
            return NO_ISSUES
        allowed = "".join(c for c in _ALLOWED_IF_IN_SOURCE if c in source)
        found = [m for m in _CONTROL.finditer(target) if m.group() not in allowed]
        if not found:
            return NO_ISSUES
        return _issues(self, found, kind="control", fixed=_without_controls(target, allowed),
                       form=form)


class InvisibleCharsCheck(FormCheck):
    id = "invisible-chars"
    name = "Invisible characters"
    description = ("No zero-width character or bidirectional formatting mark (U+200B–U+200F, "
                   "U+202A–U+202E, U+2060, U+2066–U+2069, U+FEFF, U+061C) that the source does not have: "
                   "they are not seen when reviewing, yet change how the text breaks, joins or runs.")
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if not _may_have_invisible(target):
            return NO_ISSUES
        in_source = set(INVISIBLE.findall(source))
        found = [m for m in INVISIBLE.finditer(target) if m.group() not in in_source]
        if not found:
            return NO_ISSUES
        extra = {m.group() for m in found}
        return _issues(self, found, kind="invisible", after=" the source does not have",
                       fixed="".join(c for c in target if c not in extra), form=form)

"""Punctuation: end punctuation like the source's (language-aware), balanced brackets and quotes."""

from __future__ import annotations

import re
from typing import Sequence

from workbench.domain.checks.base import CheckContext, Issue, Severity
from workbench.domain.checks.text import NO_ISSUES, FormCheck, language_primary
from workbench.domain.units import Unit, UnitKind

#: What may follow the final punctuation: closing quotes and brackets, closing tags, emphasis.
_TAIL = re.compile(r"(?:</[A-Za-z][^<>]*>|[\s\"'»«“”„’‘›‹)\]*_])+\Z")
#: The final run of punctuation.
_FINAL = re.compile(r"[.!?…;:,。．！？؟；：，、،؛;·\u037e\u0387]+\Z")

#: One class per kind of ending, whatever the script.
_CLASS = {
    ".": ".", "。": ".", "．": ".",
    "!": "!", "！": "!",
    "?": "?", "？": "?", "؟": "?",
    ":": ":", "：": ":",
    ";": ";", "；": ";", "؛": ";",
    ",": ",", "，": ",", "、": ",", "،": ",",
    "…": "…",
}
#: Greek writes the question mark as ";" (U+037E or U+003B) and the semicolon as "·" (ano teleia).
_GREEK = {**_CLASS, ";": "?", "\u037e": "?", "\u0387": ";", "·": ";"}
_BY_LANGUAGE = {"el": _GREEK}
_NAMES = {".": "a full stop", "!": "an exclamation mark", "?": "a question mark", ":": "a colon",
          ";": "a semicolon", ",": "a comma", "…": "an ellipsis", "": "no punctuation"}
_CLOSING = frozenset("\"'»«“”„’‘›‹)]*_>") | frozenset(" \n\t\u00a0\u202f")


_FINAL_CHARS = frozenset(".!?…;:,。．！？؟；：，、،؛·\u037e\u0387")


def end_class(text: str, language: str) -> str:
    """The kind of final punctuation of `text`: ".", "!", "?", ":", ";", ",", "…" or ""."""
    if text and text[-1] in _CLOSING:
        text = _TAIL.sub("", text)
    last = text[-1:]
    if not last or last not in _FINAL_CHARS:
        return ""
    table = _BY_LANGUAGE.get(language_primary(language), _CLASS)
    if text[-2:-1] not in _FINAL_CHARS or len(text) < 2:      # one mark: the common case
        return table.get(last, "")
    run = _FINAL.search(text).group()
    classes = [table.get(c, "") for c in run]
    if "?" in classes:
        return "?"
    if "!" in classes:
        return "!"
    if run.endswith("...") or "…" in classes:
        return "…"
    return classes[-1]


_SENTENCE_END = frozenset(".!?…")
_CLOSING_QUOTES = frozenset("\"'»«“”’‘›‹")


def _quoted_end(text: str) -> bool:
    """Whether the text ends with a closing quotation mark (after its final punctuation)."""
    text = text.rstrip()
    return bool(text) and text[-1] in _CLOSING_QUOTES


#: In a subtitle cue a sentence may run on into the next cue, so only these differences count:
#: a question against a statement, and a sentence that ends against one that runs on.
_CUE_GROUP = {"?": "?", "!": ".", ".": ".", "…": ",", ":": ",", ";": ",", ",": ",", "": ","}


class EndPunctuationCheck(FormCheck):
    id = "end-punctuation"
    name = "End punctuation"
    description = ("The translation ends with the same kind of punctuation as the source: a question "
                   "stays a question, a full stop a full stop. Local forms count as the same (Greek ';' "
                   "for '?', '…' for '...', French spacing). In subtitle cues, only a question against a "
                   "statement, or a finished sentence against one that runs on, is reported.")
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if source[-1:].isalnum() and target[-1:].isalnum():
            return NO_ISSUES
        s = end_class(source, ctx.source_language)
        t = end_class(target, ctx.language)
        if s == t:
            return NO_ISSUES
        # a quotation that ends the sentence carries its own mark: ‘So you mean…’ = « … ».
        if (s == "." and t in _SENTENCE_END and _quoted_end(target)) or \
                (t == "." and s in _SENTENCE_END and _quoted_end(source)):
            return NO_ISSUES
        if unit.kind is UnitKind.CUE and _CUE_GROUP[s] == _CUE_GROUP[t]:
            return NO_ISSUES
        return (self.issue(f"ends with {_NAMES[t]}, the source with {_NAMES[s]}", form=form),)


_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))


_BRACKET_CHARS = {pair: re.compile("[" + re.escape(pair[0] + pair[1]) + "]") for pair in _BRACKETS}


def _closes_early(text: str, open_: str, close: str) -> bool:
    """Whether a closing bracket comes before the one that opens it."""
    depth = 0
    for c in _BRACKET_CHARS[(open_, close)].findall(text):     # the brackets only, not every character
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth < 0:
                return True
    return False


class BracketsCheck(FormCheck):
    id = "brackets"
    name = "Unbalanced brackets"
    description = ("Every (, [ and { opened in the translation is closed, unless the source is unbalanced "
                   "the same way (a list item such as '1)').")
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if ("(" not in target and ")" not in target and "[" not in target and "]" not in target
                and "{" not in target and "}" not in target):
            return NO_ISSUES
        issues: list[Issue] = []
        for open_, close in _BRACKETS:
            opened, closed = target.count(open_), target.count(close)
            if not opened and not closed:
                continue
            t_depth = opened - closed
            s_depth = source.count(open_) - source.count(close)
            if t_depth != s_depth and t_depth != 0:
                what = f"{t_depth} {open_} not closed" if t_depth > 0 else f"{-t_depth} {close} never opened"
                issues.append(self.issue(f"unbalanced brackets: {what}", form=form))
            elif opened and _closes_early(target, open_, close) and not _closes_early(source, open_, close):
                issues.append(self.issue(f"unbalanced brackets: {close} before its {open_}", form=form))
        return issues




def quotes_balanced(text: str) -> bool:
    """Whether every quotation opened is closed, in any of the European quoting styles.

    « » and » « (French, German books, Croatian), “ ” (English, Italian, Dutch), „ “ (German,
    Bulgarian, Slovenian), „ ” (Polish, Dutch, Romanian, Croatian), straight "...". Single quotes
    are not counted: ’ is also the apostrophe.
    """
    if text.count('"') % 2:
        return False
    if text.count("«") != text.count("»") or text.count("‹") != text.count("›"):
        return False
    low, left, right = text.count("„"), text.count("“"), text.count("”")
    if low:
        return low == left + right
    return left == right


class QuotesCheck(FormCheck):
    id = "quotes"
    name = "Unbalanced quotes"
    description = ("Every quotation opened in the translation is closed (any European quoting style: "
                   "« », “ ”, „ “, „ ”, » «, \"), unless the source is unbalanced too.")
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if ('"' not in target and "«" not in target and "»" not in target and "„" not in target
                and "“" not in target and "”" not in target and "‹" not in target and "›" not in target):
            return NO_ISSUES
        if quotes_balanced(target) or not quotes_balanced(source):
            return NO_ISSUES
        return (self.issue("unbalanced quotation marks", form=form),)

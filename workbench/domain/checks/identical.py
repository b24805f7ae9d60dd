"""A translation identical to its source: probably not translated."""

from __future__ import annotations

import re
from typing import Sequence

from workbench.domain.checks.base import CheckContext, Issue, Severity
from workbench.domain.checks.text import EMAIL, NO_ISSUES, TAG, URL, FormCheck
from workbench.domain.units import Unit

_PLACEHOLDER = re.compile(r"%(?:\([^()]*\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{[^{}]*\}")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def words_to_translate(text: str) -> list[str]:
    """The words of a text once placeholders, tags, URLs and e-mail addresses are taken out."""
    if "%" in text or "{" in text:
        text = _PLACEHOLDER.sub(" ", text)
    if "<" in text:
        text = TAG.sub(" ", text)
    if "://" in text or "www." in text:
        text = URL.sub(" ", text)
    if "@" in text:
        text = EMAIL.sub(" ", text)
    return _WORD.findall(text)


class IdenticalCheck(FormCheck):
    id = "identical"
    name = "Same as source"
    description = ("The translation is the source text unchanged: probably not translated. Not reported "
                   "for a single word (many are the same in several languages), for names (every word "
                   "capitalised), or for text with nothing to translate (numbers, codes, placeholders, "
                   "links). Use the flag ignore-identical where the same text is right.")
    severity = Severity.WARNING

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if target != source and target.strip() != source.strip():
            return NO_ISSUES
        words = words_to_translate(source)
        if len(words) < 2 or all(w[0].isupper() for w in words):
            return NO_ISSUES
        return (self.issue("same as the source: not translated?", form=form),)

"""Units: the translatable pieces of a course, with their kind, key and context."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from enum import StrEnum

from workbench.domain.records import positional_maker


class UnitKind(StrEnum):
    TEXT = "text"
    QUIZ_QUESTION = "quiz-question"
    QUIZ_CHOICE = "quiz-choice"
    QUIZ_FEEDBACK = "quiz-feedback"
    CUE = "cue"

    @property
    def family(self) -> str:
        """The coarse kind a user filters on: text, quiz or subtitle."""
        if self is UnitKind.CUE:
            return "subtitle"
        if self is UnitKind.TEXT:
            return "text"
        return "quiz"


#: A flag on a quiz choice that marks it correct.
QUIZ_CORRECT_FLAG = "quiz-correct"

_QUIZ_KEY = re.compile(r"^(?P<quiz>.+/quiz-[^/]+)/(?P<q>q\d+)(?:/(?P<part>choice-[a-z]|feedback))?$")


@dataclass(frozen=True, slots=True)
class QuizPath:
    """Where a quiz unit sits: quiz, question, and part (choice letter or feedback)."""

    quiz: str
    question: str
    part: str | None  # None for the question itself, "choice-b", or "feedback"

    @property
    def question_key(self) -> str:
        return f"{self.quiz}/{self.question}"


def quiz_path(key: str) -> QuizPath | None:
    m = _QUIZ_KEY.match(key)
    if not m:
        return None
    return QuizPath(m["quiz"], m["q"], m["part"])


def kind_for_catalog_key(key: str) -> UnitKind:
    """The kind of a catalog unit from its readable key (`m2/quiz-1/q3/choice-b`): quiz_path's part,
    read without making the QuizPath (an import asks this of every key of a catalog)."""
    m = _QUIZ_KEY.match(key)
    if m is None:
        return UnitKind.TEXT
    part = m.group("part")
    if part is None:
        return UnitKind.QUIZ_QUESTION
    if part == "feedback":
        return UnitKind.QUIZ_FEEDBACK
    return UnitKind.QUIZ_CHOICE


_WORD = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def count_words(text: str) -> int:
    """Words as a reader sees them: markup tags are not words, entities are their character."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable piece of source text."""

    key: str                       # stable, readable, unique within its resource
    resource: str                  # catalog domain ("m1") or video id
    kind: UnitKind
    module: str
    position: int
    source: str
    source_plural: str | None = None
    context: str | None = None     # gettext msgctxt
    comments: str = ""             # extracted comments for translators
    references: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    previous_source: str | None = None
    start_ms: int | None = None
    end_ms: int | None = None
    cue_settings: str = ""
    obsolete: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_plural(self) -> bool:
        return self.source_plural is not None

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if self.source_plural is None else (self.source, self.source_plural)

    @property
    def duration_ms(self) -> int | None:
        if self.start_ms is None or self.end_ms is None:
            return None
        return self.end_ms - self.start_ms

    @property
    def words(self) -> int:
        return count_words(self.source)

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags

    @property
    def is_correct_choice(self) -> bool:
        return self.kind is UnitKind.QUIZ_CHOICE and QUIZ_CORRECT_FLAG in self.flags


#: Unit(...) for bulk loads (fields in order), about twice as fast (domain/records.py).
make_unit = positional_maker(Unit)

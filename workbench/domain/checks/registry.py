"""The explicit registry of checks: a new check is one class and one line here."""

from __future__ import annotations

from workbench.domain.checks.base import Check
from workbench.domain.checks.characters import ControlCharsCheck, InvisibleCharsCheck
from workbench.domain.checks.identical import IdenticalCheck
from workbench.domain.checks.length import LengthRatioCheck, MaxLengthCheck
from workbench.domain.checks.line_breaks import LineBreaksCheck
from workbench.domain.checks.literals import EmailsCheck, NumbersCheck, UrlsCheck
from workbench.domain.checks.markup import HtmlTagsCheck, MarkdownCheck
from workbench.domain.checks.placeholders import BraceFormatCheck, PythonFormatCheck
from workbench.domain.checks.plurals import EmptyPluralCheck, PluralFormsCheck
from workbench.domain.checks.punctuation import BracketsCheck, EndPunctuationCheck, QuotesCheck
from workbench.domain.checks.quiz import QuizChoicesCheck, QuizCorrectCheck, QuizGiveawayCheck
from workbench.domain.checks.subtitles import (
    DurationCheck, GapCheck, LineCountCheck, LineLengthCheck, OverlapCheck, ReadingSpeedCheck,
)
from workbench.domain.checks.terminology import TerminologyCheck
from workbench.domain.checks.typography import FrenchSpacingCheck, PunctuationSpacingCheck
from workbench.domain.checks.whitespace import DoubleSpaceCheck, LeadingSpaceCheck, TrailingSpaceCheck

# Each check module is imported here and its classes listed in ALL_CHECKS.

ALL_CHECKS: tuple[type[Check], ...] = (
    PythonFormatCheck, BraceFormatCheck, HtmlTagsCheck, MarkdownCheck, UrlsCheck, EmailsCheck, NumbersCheck,
    ControlCharsCheck, InvisibleCharsCheck, LeadingSpaceCheck, TrailingSpaceCheck, DoubleSpaceCheck, LineBreaksCheck,
    EndPunctuationCheck, BracketsCheck, QuotesCheck,
    FrenchSpacingCheck, PunctuationSpacingCheck, IdenticalCheck, PluralFormsCheck, EmptyPluralCheck,
    MaxLengthCheck, LengthRatioCheck, QuizChoicesCheck, QuizCorrectCheck, QuizGiveawayCheck,
    ReadingSpeedCheck, LineLengthCheck, LineCountCheck, DurationCheck, GapCheck, OverlapCheck,
    TerminologyCheck,
)

CHECKS: dict[str, type[Check]] = {cls.id: cls for cls in ALL_CHECKS}

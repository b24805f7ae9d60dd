"""Quizzes: distinct choices, a correct choice marked, and no give-away by length."""

from __future__ import annotations

from typing import Iterable

from workbench.domain.checks.base import Check, CheckContext, Issue, Severity
from workbench.domain.checks.text import NO_ISSUES
from workbench.domain.translations import Translation
from workbench.domain.units import QUIZ_CORRECT_FLAG, Unit, UnitKind, quiz_path

Item = tuple[Unit, Translation | None]


def question_items(unit: Unit, translation: Translation, ctx: CheckContext) -> tuple[Item | None, list[Item]]:
    """The question and its choices around `unit`, with `translation` standing for the unit's own."""
    kind = unit.kind
    if kind is UnitKind.QUIZ_QUESTION:
        qkey = unit.key
    elif kind is UnitKind.QUIZ_CHOICE or kind is UnitKind.QUIZ_FEEDBACK:
        qkey = unit.key.rsplit("/", 1)[0]
    else:
        path = quiz_path(unit.key)
        if path is None:
            return None, []
        qkey = path.question_key
    prefix = qkey + "/choice-"
    question: Item | None = None
    choices: list[Item] = []
    seen = False
    for u, t in ctx.neighbours:
        if u.obsolete:
            continue
        if u.key == unit.key:
            t, seen = translation, True
        if u.key == qkey:
            question = (u, t)
        elif u.key.startswith(prefix):
            choices.append((u, t))
    if not seen:
        if unit.kind is UnitKind.QUIZ_QUESTION:
            question = (unit, translation)
        elif unit.kind is UnitKind.QUIZ_CHOICE:
            choices.append((unit, translation))
            choices.sort(key=lambda item: item[0].key)
    return question, choices


#: The folded texts of the last context asked about (the service checks a question's items one
#: after the other with one shared context): (neighbours, folded text -> unit keys).
_last_folded: tuple[object, dict[str, list[str]]] | None = None


def _keys_by_folded_text(neighbours) -> dict[str, list[str]]:
    """The keys of the items of a context by their translation's folded text, made once per context."""
    global _last_folded
    cached = _last_folded
    if cached is not None and cached[0] is neighbours:
        return cached[1]
    by_text: dict[str, list[str]] = {}
    for u, t in neighbours:
        if t is not None:
            by_text.setdefault(t.text.strip().casefold(), []).append(u.key)
    _last_folded = (neighbours, by_text)
    return by_text


def _text(t: Translation | None) -> str:
    return t.text.strip() if t is not None else ""


def _letter(unit: Unit) -> str:
    return unit.key.rsplit("/", 1)[-1]


class QuizChoicesCheck(Check):
    id = "quiz-choices"
    name = "Distinct quiz choices"
    description = ("A question keeps its number of choices: two choices that differ in the source may "
                   "not get the same translation, or the learner sees one answer twice.")
    severity = Severity.ERROR
    kinds = frozenset({UnitKind.QUIZ_CHOICE})

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        mine = translation.text.strip()
        if not mine:
            return NO_ISSUES
        folded = mine.casefold()
        # a quick look at the context: does any other item carry the same text?
        keys = _keys_by_folded_text(ctx.neighbours).get(folded)
        if not keys or keys[0] == unit.key and (len(keys) == 1 or all(k == unit.key for k in keys)):
            return NO_ISSUES
        _, choices = question_items(unit, translation, ctx)
        same = [u for u, t in choices
                if u.key != unit.key and _text(t).casefold() == folded
                and u.source.strip().casefold() != unit.source.strip().casefold()]
        if not same:
            return NO_ISSUES
        distinct = len({_text(t).casefold() or u.source for u, t in choices})
        return (self.issue(f"same translation as {', '.join(_letter(u) for u in same)}: the question offers "
                           f"{distinct} distinct choices, the source {len(choices)}"),)


class QuizCorrectCheck(Check):
    id = "quiz-correct"
    name = "Correct choice marked"
    description = (f"A question with choices has at least one marked correct (the {QUIZ_CORRECT_FLAG} flag), "
                   "so that the course platform can score it.")
    severity = Severity.ERROR
    kinds = frozenset({UnitKind.QUIZ_QUESTION})

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        _, choices = question_items(unit, translation, ctx)
        if not choices or any(u.is_correct_choice for u, _ in choices):
            return NO_ISSUES
        return (self.issue(f"none of its {len(choices)} choices is marked correct ({QUIZ_CORRECT_FLAG} flag)"),)


#: The correct choice "stands out" when it is this many times as long as the longest wrong one
#: (or the shortest wrong one this many times as long as it), and by at least MIN_CHARS characters.
RATIO = 1.4
MIN_CHARS = 10
#: ... and the translation must stand out this much more than the source does.
MARGIN = 0.2


def _stand_out(correct: int, others: list[int]) -> tuple[float, float]:
    """(how much longer than the longest wrong choice, how much shorter than the shortest)."""
    longest, shortest = max(others), min(others)
    return correct / max(longest, 1), shortest / max(correct, 1)


class QuizGiveawayCheck(Check):
    id = "quiz-giveaway"
    name = "Correct choice stands out by length"
    description = ("In the translation, the correct choice is much longer (or shorter) than the wrong "
                   f"ones although it is not in the source: at least {RATIO}× and {MIN_CHARS} characters "
                   "apart. Test-wise learners pick the odd one out.")
    severity = Severity.WARNING
    kinds = frozenset({UnitKind.QUIZ_CHOICE})

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        if QUIZ_CORRECT_FLAG not in unit.flags:
            return NO_ISSUES
        _, choices = question_items(unit, translation, ctx)
        wrong = [(u, t) for u, t in choices if not u.is_correct_choice]
        if not wrong or any(not _text(t) for _, t in wrong):
            return NO_ISSUES
        t_correct = len(translation.text.strip())
        s_correct = len(unit.source.strip())
        t_others = [len(_text(t)) for _, t in wrong]
        s_others = [len(u.source.strip()) for u, _ in wrong]
        t_long, t_short = _stand_out(t_correct, t_others)
        s_long, s_short = _stand_out(s_correct, s_others)
        if t_long >= RATIO and t_correct - max(t_others) >= MIN_CHARS and t_long - s_long >= MARGIN:
            return (self.issue(f"the correct choice is {t_correct} characters, {round(100 * (t_long - 1))}% "
                               f"longer than the longest wrong one (in the source "
                               f"{round(100 * (s_long - 1)):+d}%): a give-away"),)
        if t_short >= RATIO and min(t_others) - t_correct >= MIN_CHARS and t_short - s_short >= MARGIN:
            return (self.issue(f"the correct choice is {t_correct} characters, the shortest wrong one "
                               f"{round(100 * (t_short - 1))}% longer (in the source "
                               f"{round(100 * (s_short - 1)):+d}%): a give-away"),)
        return NO_ISSUES

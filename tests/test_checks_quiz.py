"""quiz-choices, quiz-correct and quiz-giveaway, with the question's items as context."""

from __future__ import annotations

import pytest

from check_cases import translation, unit
from workbench.domain.checks.base import CheckContext
from workbench.domain.checks.quiz import QuizChoicesCheck, QuizCorrectCheck, QuizGiveawayCheck
from workbench.domain.units import QUIZ_CORRECT_FLAG

Q = "m1/quiz-1/q1"


def quiz(sources: list[str], targets: list[str | None], *, correct: int | None = 1, language: str = "de"):
    """The question and its choices (a, b, c, ...) with translations; choice `correct` is marked."""
    items = [(unit("Que faire ?", key=Q), translation(unit("Que faire ?", key=Q), "Was tun?", language))]
    for i, (s, t) in enumerate(zip(sources, targets)):
        u = unit(s, key=f"{Q}/choice-{'abcdef'[i]}", position=i + 1,
                 flags=(QUIZ_CORRECT_FLAG,) if i == correct else ())
        items.append((u, translation(u, t, language) if t is not None else None))
    items.append((unit("Bravo.", key=f"{Q}/feedback", position=9), None))
    return items, CheckContext(language, "fr", neighbours=tuple(items))


def issues_of(check, items, ctx, index):
    u, t = items[index]
    instance = check()
    if not instance.applies_to(u, t, ctx):
        return []
    return list(instance.run(u, t, ctx))


SOURCES = ["Couper la parole", "Écouter activement", "Parler plus fort", "Changer de sujet"]

CHOICES_GOOD = [
    ["Unterbrechen", "Aktiv zuhören", "Lauter sprechen", "Das Thema wechseln"],
    ["Unterbrechen", "Aktiv zuhören", "Lauter sprechen", None],             # one not translated yet
    ["Interrompre", "Écouter", "Parler fort", "Changer"],
]
CHOICES_BAD = [
    (["Unterbrechen", "Aktiv zuhören", "Aktiv zuhören", "Das Thema wechseln"], 2, "same translation as choice-c"),
    (["Unterbrechen", "Zuhören", "Lauter sprechen", "unterbrechen"], 4, "choice-a: the question offers 3 distinct"),
    (["Reden", "Reden", "Reden", "Reden"], 1, "choice-b, choice-c, choice-d"),
]


@pytest.mark.parametrize("targets", CHOICES_GOOD)
def test_quiz_choices_good(targets):
    items, ctx = quiz(SOURCES, targets)
    for i in range(1, 5):
        if items[i][1] is not None:
            assert issues_of(QuizChoicesCheck, items, ctx, i) == []


@pytest.mark.parametrize("targets,index,expected", CHOICES_BAD)
def test_quiz_choices_bad(targets, index, expected):
    items, ctx = quiz(SOURCES, targets)
    [issue] = issues_of(QuizChoicesCheck, items, ctx, index)
    assert expected in issue.message


def test_choices_that_are_the_same_in_the_source_may_stay_the_same():
    items, ctx = quiz(["Oui", "Oui", "Non"], ["Ja", "Ja", "Nein"])
    assert issues_of(QuizChoicesCheck, items, ctx, 2) == []


# (choices, index of the choice marked correct or None)
CORRECT_GOOD = [
    (SOURCES, 1),
    (SOURCES, 0),
    (["Oui", "Non"], 1),
    (["Vrai", "Faux", "Je ne sais pas"], 2),
]
CORRECT_BAD = [
    (SOURCES, None),
    (["Oui", "Non"], None),
    (["Vrai", "Faux", "Je ne sais pas"], None),
]


@pytest.mark.parametrize("choices,correct", CORRECT_GOOD)
def test_quiz_correct_good(choices, correct):
    items, ctx = quiz(choices, choices, correct=correct)
    assert issues_of(QuizCorrectCheck, items, ctx, 0) == []


@pytest.mark.parametrize("choices,correct", CORRECT_BAD)
def test_quiz_correct_bad(choices, correct):
    items, ctx = quiz(choices, choices, correct=correct)
    [issue] = issues_of(QuizCorrectCheck, items, ctx, 0)
    assert f"none of its {len(choices)} choices is marked correct" in issue.message


def test_a_question_without_choices_needs_no_correct_one():
    items, _ = quiz(SOURCES, SOURCES, correct=None)
    only_question = (items[0],)
    assert issues_of(QuizCorrectCheck, only_question, CheckContext("de", "fr", neighbours=only_question), 0) == []


# The correct choice is b (index 1); the sources are of similar length.
GIVEAWAY_GOOD = [
    (["Unterbrechen", "Aktiv zuhören", "Lauter sprechen", "Thema wechseln"], "de"),
    (["Interrompere", "Ascoltare attivamente", "Parlare più forte", "Cambiare argomento"], "it"),
    (["Interrumpir", "Escuchar activamente", "Hablar más fuerte", "Cambiar de tema"], "es"),
    (["Unterbrechen", "Aktiv zuhören", "Lauter sprechen", None], "de"),             # not all translated
]
GIVEAWAY_BAD = [
    (["Unterbrechen", "Aktiv und aufmerksam zuhören, ohne zu urteilen", "Lauter sprechen", "Thema wechseln"], "de", "longer"),
    (["Interrumpir a la otra persona", "Oír", "Hablar mucho más fuerte que ella", "Cambiar de tema de golpe"], "es", "shortest wrong one"),
    (["Przerywać", "Aktywnie słuchać drugiej osoby bez oceniania", "Mówić głośniej", "Zmienić temat"], "pl", "longer"),
]


@pytest.mark.parametrize("targets,language", GIVEAWAY_GOOD)
def test_quiz_giveaway_good(targets, language):
    items, ctx = quiz(SOURCES, targets, language=language)
    assert issues_of(QuizGiveawayCheck, items, ctx, 2) == []


@pytest.mark.parametrize("targets,language,expected", GIVEAWAY_BAD)
def test_quiz_giveaway_bad(targets, language, expected):
    items, ctx = quiz(SOURCES, targets, language=language)
    [issue] = issues_of(QuizGiveawayCheck, items, ctx, 2)
    assert expected in issue.message and "give-away" in issue.message


def test_quiz_giveaway_not_reported_when_the_source_gives_it_away_already():
    sources = ["Non", "Écouter activement la personne sans la juger", "Crier", "Partir"]
    items, ctx = quiz(sources, ["Nein", "Der Person aktiv und ohne Urteil zuhören", "Schreien", "Gehen"])
    assert issues_of(QuizGiveawayCheck, items, ctx, 2) == []


def test_quiz_checks_use_the_text_being_typed_for_the_unit_itself():
    items, ctx = quiz(SOURCES, ["Unterbrechen", "Aktiv zuhören", "Lauter sprechen", "Thema wechseln"])
    u, _ = items[2]
    typed = translation(u, "Aktiv und aufmerksam zuhören, ohne zu urteilen")
    assert list(QuizGiveawayCheck().run(u, typed, ctx))
    u3, _ = items[3]
    assert list(QuizChoicesCheck().run(u3, translation(u3, "Aktiv zuhören"), ctx))


def test_quiz_choices_compare_case_insensitively_beyond_ascii():
    items, ctx = quiz(["Rue", "Avenue", "Place"], ["Straße", "STRASSE", "Platz"])
    assert issues_of(QuizChoicesCheck, items, ctx, 2)

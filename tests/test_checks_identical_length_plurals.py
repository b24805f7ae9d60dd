"""identical, max-length, plural-forms and empty-plural."""

from __future__ import annotations

import pytest

from check_cases import run
from workbench.domain.checks.base import CheckContext, Severity
from workbench.domain.checks.identical import IdenticalCheck
from workbench.domain.checks.length import MaxLengthCheck
from workbench.domain.checks.plurals import NPLURALS, NPLURALS_DEFAULT, EmptyPluralCheck, PluralFormsCheck

IDENTICAL_GOOD = [
    ("Communication", "Communication", "en"),                 # one word: the same in many languages
    ("Nadia Benali", "Nadia Benali", "de"),                    # a name
    ("ESS Erasmus+", "ESS Erasmus+", "es"),
    ("%(count)d / %(total)d", "%(count)d / %(total)d", "de"),  # nothing to translate
    ("https://ess.eu", "https://ess.eu", "de"),
    ("Le small talk au travail", "Small talk at work", "en"),
]
IDENTICAL_BAD = [
    ("Le small talk au travail", "Le small talk au travail", "en"),
    ("Bienvenue dans ce module !", "Bienvenue dans ce module !", "de"),
    ("Écouter activement", "Écouter activement ", "es"),
]


@pytest.mark.parametrize("source,target,language", IDENTICAL_GOOD)
def test_identical_good(source, target, language):
    assert run(IdenticalCheck, source, target, language=language) == []


@pytest.mark.parametrize("source,target,language", IDENTICAL_BAD)
def test_identical_bad(source, target, language):
    [issue] = run(IdenticalCheck, source, target, language=language)
    assert "not translated" in issue.message


LENGTH_GOOD = [
    ("Valider", "Bestätigen", ("max-length:12",)),
    ("Valider", "Bestätigen", ()),
    ("Valider", "x" * 12, ("max-length:12",)),
    ("Badge", "Abzeichen", ("python-format", "max-length:20")),
]
LENGTH_BAD = [
    ("Valider", "Bestätigen und weiter", ("max-length:12",), "21 characters, at most 12"),
    ("Valider", "x" * 13, ("max-length:12",), "13 characters"),
    ("Badge", "Abzeichen für das Modul", ("max-length:10",), "at most 10"),
]


@pytest.mark.parametrize("source,target,flags", LENGTH_GOOD)
def test_max_length_good(source, target, flags):
    assert run(MaxLengthCheck, source, target, flags=flags) == []


@pytest.mark.parametrize("source,target,flags,expected", LENGTH_BAD)
def test_max_length_bad(source, target, flags, expected):
    [issue] = run(MaxLengthCheck, source, target, flags=flags)
    assert expected in issue.message and issue.severity is Severity.ERROR


def test_max_length_with_a_broken_flag_says_so():
    [issue] = run(MaxLengthCheck, "Valider", "Bestätigen", flags=("max-length:douze",))
    assert "max-length:douze" in issue.message and issue.severity is Severity.WARNING


def ctx_for(language: str, n: int) -> CheckContext:
    return CheckContext(language, "fr", extras={NPLURALS: {"m1": n}, NPLURALS_DEFAULT: n})


# (language, nplurals, forms)
PLURALS_GOOD = [
    ("de", 2, ["%d Frage", "%d Fragen"]),
    ("pl", 3, ["%d pytanie", "%d pytania", "%d pytań"]),
    ("sl", 4, ["%d vprašanje", "%d vprašanji", "%d vprašanja", "%d vprašanj"]),
    ("fr", 3, ["%d question", "%d questions", "%d de questions"]),            # Babel 2.19's French
]
PLURALS_BAD = [
    ("de", 2, ["%d Frage"], "1 plural form(s), de needs 2"),
    ("pl", 3, ["%d pytanie", "%d pytania"], "2 plural form(s), pl needs 3"),
    ("de", 2, ["%d Frage", "%d Fragen", "%d Fragen"], "3 plural form(s)"),
]


@pytest.mark.parametrize("language,n,forms", PLURALS_GOOD)
def test_plural_forms_good(language, n, forms):
    issues = run(PluralFormsCheck, "%d question", forms, plural="%d questions", language=language,
                 ctx=ctx_for(language, n))
    assert issues == []


@pytest.mark.parametrize("language,n,forms,expected", PLURALS_BAD)
def test_plural_forms_bad(language, n, forms, expected):
    [issue] = run(PluralFormsCheck, "%d question", forms, plural="%d questions", language=language,
                  ctx=ctx_for(language, n))
    assert expected in issue.message


def test_plural_forms_without_a_known_count_says_nothing():
    assert run(PluralFormsCheck, "%d question", ["a"], plural="%d questions") == []


EMPTY_GOOD = [
    ("de", 2, ["%d Frage", "%d Fragen"]),
    ("pl", 3, ["%d pytanie", "%d pytania", "%d pytań"]),
    ("de", 2, ["", ""]),                                 # untranslated: not this check's business
]
EMPTY_BAD = [
    ("de", 2, ["%d Frage", ""], "plural form 1 empty"),
    ("pl", 3, ["%d pytanie", "", ""], "plural forms 1, 2 empty"),
    ("pl", 3, ["", "%d pytania", "%d pytań"], "plural form 0 empty"),
]


@pytest.mark.parametrize("language,n,forms", EMPTY_GOOD)
def test_empty_plural_good(language, n, forms):
    assert run(EmptyPluralCheck, "%d question", forms, plural="%d questions", language=language,
               ctx=ctx_for(language, n)) == []


@pytest.mark.parametrize("language,n,forms,expected", EMPTY_BAD)
def test_empty_plural_bad(language, n, forms, expected):
    [issue] = run(EmptyPluralCheck, "%d question", forms, plural="%d questions", language=language,
                  ctx=ctx_for(language, n))
    assert expected in issue.message

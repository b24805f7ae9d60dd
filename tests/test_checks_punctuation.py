"""end-punctuation (language-aware), brackets and quotes."""

from __future__ import annotations

import pytest

from check_cases import run
from workbench.domain.checks.punctuation import BracketsCheck, EndPunctuationCheck, QuotesCheck, end_class
from workbench.domain.units import UnitKind

# (source, target, target language)
END_GOOD = [
    ("Bienvenue dans ce module !", "Willkommen in diesem Modul!", "de"),
    ("Qu'en pensez-vous ?", "What do you think?", "en"),
    ("Qu'en pensez-vous ?", "¿Qué opinas?", "es"),
    ("Qu'en pensez-vous ?", "Τι πιστεύετε;", "el"),                  # Greek question mark is ";"
    ("Qu'en pensez-vous ?", "Τι πιστεύετε\u037e", "el"),
    ("Le week-end…", "Das Wochenende …", "de"),
    ("Le week-end...", "The weekend…", "en"),
    ("Trois étapes :", "Drei Schritte:", "de"),
    ("Il a dit « bonjour ».", "He said “hello.”", "en"),
    ("On évite le « Tu veux dire que… » accusateur.", "And avoid an accusing ‘So you mean…’", "en"),
    ("Titre", "Titel", "de"),
    ("<b>Attention.</b>", "<b>Achtung.</b>", "de"),
]
END_BAD = [
    ("… que n'importe quel discours.", "… que cualquier discurso", "es", "no punctuation, the source with a full stop"),
    ("Qu'en pensez-vous ?", "Was denkst du.", "de", "full stop, the source with a question mark"),
    ("Qu'en pensez-vous ?", "What do you think;", "en", "semicolon"),      # ";" is a question mark only in Greek
    ("Titre", "Titel.", "de", "full stop, the source with no punctuation"),
    ("Bravo !", "Gut gemacht.", "de", "exclamation mark"),
]


@pytest.mark.parametrize("source,target,language", END_GOOD)
def test_end_punctuation_good(source, target, language):
    assert run(EndPunctuationCheck, source, target, language=language) == []


@pytest.mark.parametrize("source,target,language,expected", END_BAD)
def test_end_punctuation_bad(source, target, language, expected):
    [issue] = run(EndPunctuationCheck, source, target, language=language)
    assert expected in issue.message


def test_greek_source_question_mark():
    assert end_class("Τι πιστεύετε;", "el") == "?"
    assert end_class("What; ", "en") == ";"


CUE = dict(kind=UnitKind.CUE, key="m1-v1/3")
CUE_GOOD = [
    ("Bonjour à toutes et à tous,\net bienvenue", "Hallo zusammen\nund willkommen"),    # runs on either way
    ("Aujourd'hui, on va parler\nd'un sujet qui a l'air léger :", "Heute geht es um ein Thema,\ndas harmlos wirkt:"),
    ("C'est important.", "Das ist wichtig!"),
    ("le small talk…", "Small Talk,"),
]
CUE_BAD = [
    ("Vous voyez ?", "Ihr seht."),
    ("C'est tout.", "Das ist alles,"),
    ("et donc,", "und deshalb?"),
]


@pytest.mark.parametrize("source,target", CUE_GOOD)
def test_end_punctuation_in_cues_allows_running_on(source, target):
    assert run(EndPunctuationCheck, source, target, **CUE) == []


@pytest.mark.parametrize("source,target", CUE_BAD)
def test_end_punctuation_in_cues_bad(source, target):
    assert len(run(EndPunctuationCheck, source, target, **CUE)) == 1


BRACKETS_GOOD = [
    ("Les SIAE (structures d'insertion)", "Die SIAE (Eingliederungsbetriebe)"),
    ("1) Écouter", "1) Zuhören"),                                       # unbalanced the same way
    ("1) Écouter", "1. Zuhören"),
    ("[voir] et (lire)", "[siehe] und (lies)"),
    ("Sans rien", "Ohne alles"),
]
BRACKETS_BAD = [
    ("Les SIAE (structures d'insertion)", "Die SIAE (Eingliederungsbetriebe", "( not closed"),
    ("Les SIAE", "Die SIAE)", ") never opened"),
    ("(a) et (b)", ")a( und (b)", "before its ("),
    ("[voir]", "[siehe", "[ not closed"),
]


@pytest.mark.parametrize("source,target", BRACKETS_GOOD)
def test_brackets_good(source, target):
    assert run(BracketsCheck, source, target) == []


@pytest.mark.parametrize("source,target,expected", BRACKETS_BAD)
def test_brackets_bad(source, target, expected):
    issues = run(BracketsCheck, source, target)
    assert issues and expected in issues[0].message


# Each language's own quotation marks are balanced (German closes with “, Polish with ”).
QUOTES_GOOD = [
    ("Le « small talk »", "Der „Small Talk“", "de"),
    ("Le « small talk »", "Small talk, “the little talk”", "en"),
    ("Le « small talk »", "El «small talk»", "es"),
    ("Le « small talk »", "„Small talk” po polsku", "pl"),
    ("Le « small talk »", "Der »Small Talk«", "de"),
    ("Le « small talk »", "Malé „small talk“", "sl"),
    ('Le "small talk"', 'Der "Small Talk"', "de"),
    ("L'apostrophe", "Don’t worry", "en"),
]
QUOTES_BAD = [
    ("Le « small talk »", "Der „Small Talk", "de"),
    ("Le « small talk »", "El «small talk", "es"),
    ("Le « small talk »", "The “small talk", "en"),
    ('Le "small talk"', 'Der "Small Talk', "de"),
]


@pytest.mark.parametrize("source,target,language", QUOTES_GOOD)
def test_quotes_good(source, target, language):
    assert run(QuotesCheck, source, target, language=language) == []


@pytest.mark.parametrize("source,target,language", QUOTES_BAD)
def test_quotes_bad(source, target, language):
    assert len(run(QuotesCheck, source, target, language=language)) == 1


def test_quotes_unbalanced_in_the_source_too_are_not_reported():
    assert run(QuotesCheck, "« début de citation", "„Anfang des Zitats") == []

"""french-spacing (French targets) and punctuation-spacing (all other targets)."""

from __future__ import annotations

import pytest

from check_cases import run
from workbench.domain.checks.typography import FrenchSpacingCheck, PunctuationSpacingCheck

NB, NN = "\u00a0", "\u202f"

# An English-source course translated into French.
FRENCH_GOOD = [
    (f"Bienvenue{NN}!", "fr"),
    (f"Trois étapes{NB}:", "fr"),
    (f"Le{NB}«{NB}small talk{NB}» crée du lien{NN};", "fr"),
    ("Voir https://ess.eu et 14:30", "fr"),
    (f"Quoi{NN}?!", "fr"),
    ("Bienvenue!", "fr-CA"),                                       # Canadian French: no space before !
    (f"Trois étapes{NB}:", "fr-CA"),
    ("Sans ponctuation haute", "fr"),
]
FRENCH_BAD = [
    ("Bienvenue !", "fr", f"Bienvenue{NN}!", "before !"),
    ("Bienvenue!", "fr", f"Bienvenue{NN}!", "before !"),
    ("Trois étapes :", "fr", f"Trois étapes{NB}:", "before :"),
    ("Le « small talk »", "fr", f"Le «{NB}small talk{NB}»", "after «, before »"),
    ("Le «small talk»", "fr", f"Le «{NB}small talk{NB}»", "after «"),
    ("Trois étapes:", "fr-CA", f"Trois étapes{NB}:", "before :"),
]


@pytest.mark.parametrize("text,language", FRENCH_GOOD)
def test_french_spacing_good(text, language):
    assert run(FrenchSpacingCheck, "Source", text, language=language, source_language="en") == []


@pytest.mark.parametrize("text,language,fix,expected", FRENCH_BAD)
def test_french_spacing_bad(text, language, fix, expected):
    [issue] = run(FrenchSpacingCheck, "Source", text, language=language, source_language="en")
    assert issue.fix == fix
    assert expected in issue.message


def test_french_spacing_is_only_for_french():
    assert run(FrenchSpacingCheck, "Welcome!", "Willkommen!", language="de", source_language="en") == []


OTHER_GOOD = [
    ("Willkommen!", "de"),
    ("Drei Schritte: zuhören, fragen, antworten.", "de"),
    ("What do you think?", "en"),
    ("Das Wochenende …", "de"),                       # a space before an ellipsis is German style
    ("Τι πιστεύετε;", "el"),
    ("¿Qué opinas?", "es"),
    ("Smile :)", "en"),
]
OTHER_BAD = [
    ("Willkommen !", "de", "Willkommen!", "before !"),
    (f"Drei Schritte{NB}: zuhören", "de", "Drei Schritte: zuhören", "before :"),
    ("What do you think ?", "en", "What do you think?", "before ?"),
    ("Τι πιστεύετε ;", "el", "Τι πιστεύετε;", "before ;"),
    ("¡Hola ! ¿Qué tal ?", "es", "¡Hola! ¿Qué tal?", "before ! ?"),
]


@pytest.mark.parametrize("text,language", OTHER_GOOD)
def test_punctuation_spacing_good(text, language):
    assert run(PunctuationSpacingCheck, "Source !", text, language=language) == []


@pytest.mark.parametrize("text,language,fix,expected", OTHER_BAD)
def test_punctuation_spacing_bad(text, language, fix, expected):
    [issue] = run(PunctuationSpacingCheck, "Source !", text, language=language)
    assert issue.fix == fix
    assert expected in issue.message


def test_punctuation_spacing_leaves_french_alone():
    assert run(PunctuationSpacingCheck, "Welcome!", f"Bienvenue{NN}!", language="fr", source_language="en") == []

"""urls, emails and numbers: kept, whatever the language's digit grouping."""

from __future__ import annotations

import pytest

from check_cases import run
from workbench.domain.checks.literals import EmailsCheck, NumbersCheck, UrlsCheck, numbers

URL_GOOD = [
    ("Voir https://ess.eu/guide.", "Siehe https://ess.eu/guide."),
    ("Site : www.ess.eu !", "Website: www.ess.eu!"),
    ("(https://ess.eu/a)", "(https://ess.eu/a)"),
    ("Pas de lien", "Kein Link"),
]
URL_BAD = [
    ("Voir https://ess.eu/guide.", "Siehe den Leitfaden.", "https://ess.eu/guide missing"),
    ("Voir https://ess.eu/fr/guide", "Siehe https://ess.eu/de/guide", "replaced by https://ess.eu/de/guide"),
    ("Voir le guide", "Siehe https://example.com", "not in the source"),
]


@pytest.mark.parametrize("source,target", URL_GOOD)
def test_urls_good(source, target):
    assert run(UrlsCheck, source, target) == []


@pytest.mark.parametrize("source,target,expected", URL_BAD)
def test_urls_bad(source, target, expected):
    issues = run(UrlsCheck, source, target)
    assert issues and expected in issues[0].message


EMAIL_GOOD = [
    ("Écrivez à contact@ess.eu.", "Schreib an contact@ess.eu."),
    ("Écrivez-nous", "Schreib uns"),
    ("a@b.org et c@d.org", "c@d.org und a@b.org"),
]
EMAIL_BAD = [
    ("Écrivez à contact@ess.eu.", "Schreib uns.", "missing"),
    ("Écrivez à contact@ess.eu.", "Schreib an kontakt@ess.eu.", "replaced"),
    ("Écrivez-nous", "Schreib an info@ess.eu", "not in the source"),
]


@pytest.mark.parametrize("source,target", EMAIL_GOOD)
def test_emails_good(source, target):
    assert run(EmailsCheck, source, target) == []


@pytest.mark.parametrize("source,target,expected", EMAIL_BAD)
def test_emails_bad(source, target, expected):
    issues = run(EmailsCheck, source, target)
    assert issues and expected in issues[0].message


# Numbers: (source, target, language); digit grouping and decimal sign follow the language.
NUMBER_GOOD = [
    ("3 000 salariés", "3,000 employees", "en"),
    ("3 000 salariés", "3.000 Beschäftigte", "de"),
    ("1,5 million", "1.5 million", "en"),
    ("1,5 million", "1,5 millones", "es"),
    ("à 9 h 20", "at 9:20", "en"),
    ("à 9 h 20", "um 9:20 Uhr", "de"),
    ("en 2024, 12 %", "2024 waren es 12 %", "de"),
    ("trois conseils", "3 Tipps", "de"),                       # a figure for a word is fine
    ("Voir https://ess.eu/2024 et 5 pages", "Siehe https://ess.eu/2024 und 5 Seiten", "de"),
    ("le 01/02/2024", "am 01.02.2024", "de"),
]
NUMBER_BAD = [
    ("15 % des salariés", "50 % der Beschäftigten", "de", "number 15 missing (the translation has 50)"),
    ("3 000 salariés", "300 employees", "en", "3000 missing"),
    ("quatre étapes en 4 jours", "cuatro pasos en cuatro días", "es", "4 missing"),
    ("à 9 h 20", "um 9 Uhr", "de", "20 missing"),
]


@pytest.mark.parametrize("source,target,language", NUMBER_GOOD)
def test_numbers_good(source, target, language):
    assert run(NumbersCheck, source, target, language=language) == []


@pytest.mark.parametrize("source,target,language,expected", NUMBER_BAD)
def test_numbers_bad(source, target, language, expected):
    issues = run(NumbersCheck, source, target, language=language)
    assert issues and expected in issues[0].message


def test_numbers_normalise_grouping():
    assert numbers("3 000 et 3\u00a0000 et 3,000 et 3.000") == ["3000"] * 4
    assert numbers("1 000 000,50") == ["1000000", "50"]
    assert numbers("le 01/02/2024 à 9 h 05") == ["1", "2", "2024", "9", "5"]


def test_a_plural_form_may_say_n_for_one():
    assert run(NumbersCheck, "1 fichier", ["%d datoteka", "%d datoteke", "%d datotek"],
               plural="%d fichiers", language="sl") == []

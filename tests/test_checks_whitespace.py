"""leading-space, trailing-space and double-space."""

from __future__ import annotations

import pytest

from check_cases import run
from workbench.domain.checks.base import Severity
from workbench.domain.checks.line_breaks import LineBreaksCheck
from workbench.domain.checks.whitespace import DoubleSpaceCheck, LeadingSpaceCheck, TrailingSpaceCheck
from workbench.domain.units import UnitKind

LEADING_GOOD = [("Bonjour", "Hallo"), (" suite", " weiter"), ("\nListe", "\nListe"), ("Fin ", "Ende")]
LEADING_BAD = [(" suite", "weiter", " suite"), ("Bonjour", " Hallo", "Hallo"), ("Bonjour", "\tHallo", "Hallo")]


@pytest.mark.parametrize("source,target", LEADING_GOOD)
def test_leading_good(source, target):
    assert run(LeadingSpaceCheck, source, target) == []


@pytest.mark.parametrize("source,target,fix", LEADING_BAD)
def test_leading_bad(source, target, fix):
    [issue] = run(LeadingSpaceCheck, source, target)
    assert issue.fix == (" weiter" if fix == " suite" else fix)


TRAILING_GOOD = [("Bonjour", "Hallo"), ("Bonjour ", "Hallo "), ("Liste :\n", "Liste:\n"), (" début", " Anfang")]
TRAILING_BAD = [("Bonjour", "Hallo ", "Hallo"), ("Bonjour ", "Hallo", "Hallo "), ("Fin.", "Ende.\t", "Ende."),
                ("Fin.", "Ende.\u00a0", "Ende.")]


@pytest.mark.parametrize("source,target", TRAILING_GOOD)
def test_trailing_good(source, target):
    assert run(TrailingSpaceCheck, source, target) == []


@pytest.mark.parametrize("source,target,fix", TRAILING_BAD)
def test_trailing_bad(source, target, fix):
    [issue] = run(TrailingSpaceCheck, source, target)
    assert issue.fix == fix


@pytest.mark.parametrize("source,target", [("Fin.", "Ende.\n"), ("\nFin.", "Ende.")])
def test_line_break_at_an_edge_is_left_to_line_breaks_in_a_catalog_text(source, target):
    assert run(LeadingSpaceCheck, source, target) == run(TrailingSpaceCheck, source, target) == []
    assert [i.severity for i in run(LineBreaksCheck, source, target)] == [Severity.ERROR]


def test_line_break_at_an_edge_of_a_cue_is_trailing_whitespace():
    [issue] = run(TrailingSpaceCheck, "Fin.", "Ende.\n", key="m1-v1/3", kind=UnitKind.CUE)
    assert issue.fix == "Ende."


DOUBLE_GOOD = [
    ("Le langage traite les négations.", "Die Sprache verarbeitet Verneinungen."),
    ("Bonjour\u00a0!", "Bonjour\u202f!"),
    ("Colonne  A", "Spalte  A"),                         # the source has it too
    ("Fin ", "Ende "),                                   # trailing is another check's business
    ("Deux lignes\net voilà", "Zwei Zeilen\nund fertig"),
]
DOUBLE_BAD = [
    ("Le langage traite les négations.", "Die Sprache verarbeitet  Verneinungen.", "Die Sprache verarbeitet Verneinungen."),
    ("Quoi ?", "Quoi \u00a0?", "Quoi\u00a0?"),
    ("Un mot", "Ein\u00a0 Wort", "Ein\u00a0Wort"),
    ("Un. Deux.", "Eins.   Zwei.", "Eins. Zwei."),
]


@pytest.mark.parametrize("source,target", DOUBLE_GOOD)
def test_double_good(source, target):
    assert run(DoubleSpaceCheck, source, target) == []


@pytest.mark.parametrize("source,target,fix", DOUBLE_BAD)
def test_double_bad(source, target, fix):
    [issue] = run(DoubleSpaceCheck, source, target, language="fr" if "Quoi" in target else "de")
    assert issue.fix == fix
    start, end = issue.span
    assert target[start:end].strip(" \u00a0") == ""

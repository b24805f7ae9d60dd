"""control-chars, invisible-chars, line-breaks and length-ratio."""

from __future__ import annotations

import pytest

from check_cases import run
from workbench.domain.checks.base import Severity
from workbench.domain.checks.characters import ControlCharsCheck, InvisibleCharsCheck, char_name
from workbench.domain.checks.length import RATIO_MIN_CHARS, LengthRatioCheck
from workbench.domain.checks.line_breaks import LineBreaksCheck
from workbench.domain.units import UnitKind

CUE = {"key": "m1-v1-intro/4", "kind": UnitKind.CUE}

CONTROL_GOOD = [
    ("Charisme rouge", "Charisma rot"),
    ("Colonne\tA", "Spalte\tA"),                  # a tab where the source has one
    ("Deux\nlignes", "Zwei\nZeilen"),             # the line feed
    ("Ligne\r\nsuivante", "Zeile\r\nfolgende"),   # a carriage return where the source has one
    ("Oui\u200b", "Ja\u200b"),                    # invisible, not control: the other check's
]
CONTROL_BAD = [
    ("Charisme rouge", "Charisma \x1b[31mROT\x1b[0m", "U+001B ESCAPE at position 9", "Charisma ROT"),
    ("Attention", "Achtung\x07", "U+0007 BELL at position 7", "Achtung"),
    ("Fin", "En\x00de", "U+0000 NULL at position 2", "Ende"),
    ("Colonne A", "Spalte\tA", "U+0009 CHARACTER TABULATION at position 6", "Spalte A"),
    ("Suite", "Weiter\x85", "U+0085 NEXT LINE at position 6", "Weiter"),
    ("Effacer", "Lö\x7fschen", "U+007F DELETE at position 2", "Löschen"),
]


@pytest.mark.parametrize("source,target", CONTROL_GOOD)
def test_control_good(source, target):
    assert run(ControlCharsCheck, source, target) == []


@pytest.mark.parametrize("source,target,named,fix", CONTROL_BAD)
def test_control_bad(source, target, named, fix):
    [issue] = run(ControlCharsCheck, source, target)
    assert issue.severity is Severity.ERROR
    assert named in issue.message
    assert issue.fix == fix
    start, end = issue.span
    assert target[start:end] == chr(int(named[2:6], 16))


def test_control_in_a_cue_is_an_error_too():
    [issue] = run(ControlCharsCheck, "Bonjour", "Hallo\x1b", **CUE)
    assert issue.severity is Severity.ERROR


def test_control_names_every_occurrence():
    [issue] = run(ControlCharsCheck, "a", "\x1b[1mA\x1b[0m")
    assert issue.message == "2 control characters: U+001B ESCAPE at position 0, U+001B ESCAPE at position 5"


def test_char_name():
    assert [char_name(c) for c in "\x1b\x9b\u200e\ufeff"] == [
        "U+001B ESCAPE", "U+009B CONTROL SEQUENCE INTRODUCER", "U+200E LEFT-TO-RIGHT MARK",
        "U+FEFF ZERO WIDTH NO-BREAK SPACE"]


INVISIBLE_GOOD = [
    ("Bonjour", "Hallo"),
    ("mot\u200bclé", "Schlüssel\u200bwort"),                      # the source has it too
    ("Fichier \u2068{name}\u2069", "Datei \u2068{name}\u2069"),    # isolates around a placeholder, as in the source
    ("Bonjour\u00a0!", "Bonjour\u202f!"),                          # visible spaces: not this check's
]
INVISIBLE_BAD = [
    ("Bonjour", "Hal\u200blo", "U+200B ZERO WIDTH SPACE at position 3", "Hallo"),
    ("Bonjour", "\ufeffHallo", "U+FEFF ZERO WIDTH NO-BREAK SPACE at position 0", "Hallo"),
    ("Prix", "\u202ePreis", "U+202E RIGHT-TO-LEFT OVERRIDE at position 0", "Preis"),
    ("Fichier {name}", "Datei \u2068{name}\u2069", "U+2068 FIRST STRONG ISOLATE at position 6", "Datei {name}"),
    ("mot\u200bclé", "Schlüssel\u200bwort\u200d", "U+200D ZERO WIDTH JOINER at position 14", "Schlüssel\u200bwort"),
]


@pytest.mark.parametrize("source,target", INVISIBLE_GOOD)
def test_invisible_good(source, target):
    assert run(InvisibleCharsCheck, source, target) == []


@pytest.mark.parametrize("source,target,named,fix", INVISIBLE_BAD)
def test_invisible_bad(source, target, named, fix):
    [issue] = run(InvisibleCharsCheck, source, target)
    assert issue.severity is Severity.WARNING
    assert named in issue.message
    assert issue.fix == fix


LINES_GOOD = [
    ("Bonjour", "Hallo"),
    ("Première ligne\nseconde", "Erste Zeile\nzweite"),
    ("Liste :\n- un\n- deux\n", "Liste:\n- eins\n- zwei\n"),
    ("\nSuite", "\nWeiter"),
]
#: source, target, severities, the fix of the first issue
LINES_BAD = [
    ("Bonjour", "\nHallo", [Severity.ERROR], "Hallo"),
    ("Bonjour\n", "Hallo", [Severity.ERROR], "Hallo\n"),
    ("Fin.", "Ende.\n", [Severity.ERROR], "Ende."),
    ("Une phrase.", "Ein\nSatz.", [Severity.WARNING], None),
    ("Ligne un\nligne deux", "Zeile eins zeile zwei", [Severity.WARNING], None),
    ("Un\ndeux", "Eins\nzwei\n", [Severity.ERROR], "Eins\nzwei"),
    ("Un", "\nEins\nzwei", [Severity.ERROR, Severity.WARNING], "Eins\nzwei"),
]


@pytest.mark.parametrize("source,target", LINES_GOOD)
def test_lines_good(source, target):
    assert run(LineBreaksCheck, source, target) == []


@pytest.mark.parametrize("source,target,severities,fix", LINES_BAD)
def test_lines_bad(source, target, severities, fix):
    issues = run(LineBreaksCheck, source, target)
    assert [i.severity for i in issues] == severities
    assert issues[0].fix == fix


def test_lines_messages():
    [edge] = run(LineBreaksCheck, "Fin.", "Ende.\n")
    assert edge.message == "ends with a line break, the source does not (msgfmt -c refuses the catalog)"
    assert edge.span == (5, 6)
    [count] = run(LineBreaksCheck, "Un\ndeux\ntrois", "Eins zwei\ndrei")
    assert count.message == "1 line break, the source has 2"


def test_lines_in_quiz_items_and_plural_forms():
    assert run(LineBreaksCheck, "Vrai", "Richtig\n", key="m1/quiz-1/q1/choice-a")
    [issue] = run(LineBreaksCheck, "%d fichier", ["%d Datei", "%d Dateien\n"], plural="%d fichiers")
    assert issue.form == 1


def test_lines_leave_subtitle_cues_alone():
    assert run(LineBreaksCheck, "Bonjour à tous", "Hallo\nzusammen", **CUE) == []


SOURCE_324 = ("Dans l'économie sociale et solidaire, la communication repose sur l'écoute et le respect. " * 4)[:324]
LENGTH_GOOD = [
    ("Oui.", "Ja, selbstverständlich, sehr gerne."),                 # short: a title or a choice may triple
    ("ESS", "Sozial- und Solidarwirtschaft (SSW)"),                  # an acronym spelled out
    (SOURCE_324, "Kommunikation " * 30),                              # 420 characters: 1.3 times
    (SOURCE_324, "x" * 110),                                          # 2.9 times shorter
    ("Ceci est un titre", "Dies ist ein Titel " * 4),                # 76 characters: both under the minimum
]
LENGTH_BAD = [
    (SOURCE_324, "y" * 4739, "4,739 characters, 14.6 times the source's 324 (more than 3×)"),
    (SOURCE_324, "z" * 90, "90 characters, the source has 324: 3.6 times shorter (more than 3×)"),
    ("Oui.", "j" * 400, "400 characters, 100.0 times the source's 4 (more than 3×)"),
    ("Titre du module", "t" * RATIO_MIN_CHARS, f"{RATIO_MIN_CHARS} characters, 6.7 times the source's 15 (more than 3×)"),
]


@pytest.mark.parametrize("source,target", LENGTH_GOOD)
def test_length_ratio_good(source, target):
    assert run(LengthRatioCheck, source, target) == []


@pytest.mark.parametrize("source,target,message", LENGTH_BAD)
def test_length_ratio_bad(source, target, message):
    [issue] = run(LengthRatioCheck, source, target)
    assert (issue.severity, issue.message) == (Severity.WARNING, message)


def test_length_ratio_in_quiz_items_not_cues():
    assert run(LengthRatioCheck, "Vrai", "r" * 200, key="m1/quiz-1/q1/choice-a")
    assert run(LengthRatioCheck, "Vrai", "r" * 200, **CUE) == []


def test_the_fast_filter_knows_every_invisible_character():
    from workbench.domain.checks.characters import _may_have_invisible
    from workbench.domain.subtitles import INVISIBLE
    assert all(_may_have_invisible(f"é{c}") for c in INVISIBLE)
    assert not _may_have_invisible("é\u00a0\u202f\u2019")

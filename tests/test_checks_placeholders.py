"""python-format and brace-format: placeholders kept, named ones in any order, positional in order."""

from __future__ import annotations

import pytest

from check_cases import run
from workbench.domain.checks.base import Severity
from workbench.domain.checks.placeholders import BraceFormatCheck, PythonFormatCheck

PY = ("python-format",)

PYTHON_GOOD = [
    ("Bonjour %(name)s !", "Hallo %(name)s!", PY),
    ("%(count)d sur %(total)d", "%(total)d insgesamt, davon %(count)d", PY),       # named: any order
    ("%s a écrit %d messages", "%s hat %d Nachrichten geschrieben", PY),
    ("50 %% des salariés", "50 %% der Beschäftigten", PY),
    ("50 % des salariés", "50 % der Beschäftigten", ()),        # prose, no flag: "% d" is no placeholder
    ("Réussite : 80 %", "Erfolg: 80 %", ()),
    ("Texte sans rien", "Text ohne alles", PY),
    ("%(name)s", "%(name)s", ("no-python-format",)),
    ("%(x)s et %(x)s", "%(x)s und %(x)s", PY),
]

PYTHON_BAD = [
    ("Tu as répondu à %(count)d question sur %(total)d.", "Du hast %(count)d Frage beantwortet.", PY, "%(total)d missing"),
    ("Bonjour %(name)s", "Hallo %(nom)s", PY, "missing"),
    ("%s a écrit %d messages", "%d Nachrichten von %s", PY, "another order"),
    ("%s a écrit", "hat geschrieben", (), "%s missing"),                   # without the flag too
    ("Bonjour", "Hallo %(name)s", PY, "not in the source"),
    ("50 %% réussi", "50 % bestanden", PY, "lone %"),
    ("50 %% réussi", "50 % geschafft", PY, "% g not in the source"),      # "% g" is a conversion
    ("%(x)s et %(x)s", "%(x)s und", PY, "%(x)s missing"),
]


@pytest.mark.parametrize("source,target,flags", PYTHON_GOOD)
def test_python_format_good(source, target, flags):
    assert run(PythonFormatCheck, source, target, flags=flags) == []


@pytest.mark.parametrize("source,target,flags,expected", PYTHON_BAD)
def test_python_format_bad(source, target, flags, expected):
    issues = run(PythonFormatCheck, source, target, flags=flags)
    assert issues and expected in issues[0].message
    assert issues[0].severity is Severity.ERROR


def test_python_format_same_fault_in_every_plural_form_is_reported_once():
    issues = run(PythonFormatCheck, "%(count)d question sur %(total)d", ["%(count)d Frage", "%(count)d Fragen"],
                 plural="%(count)d questions sur %(total)d", flags=PY)
    assert [i.message for i in issues] == ["placeholder %(total)d missing"]


def test_python_format_checks_each_plural_form_against_its_source_form():
    issues = run(PythonFormatCheck, "une question", ["eine Frage", "%(count)d Fragen"],
                 plural="%(count)d questions", flags=PY)
    assert issues == []
    issues = run(PythonFormatCheck, "une question", ["eine Frage", "viele Fragen"],
                 plural="%(count)d questions", flags=PY)
    assert len(issues) == 1 and issues[0].form == 1


BRACE_GOOD = [
    ("Bonjour {name} !", "Hallo {name}!"),
    ("{count} sur {total}", "{total} insgesamt, davon {count}"),
    ("Module {0} : {1}", "Modul {0}: {1}"),
    ("{{littéral}} et {name}", "{{wörtlich}} und {name}"),
    ("Durée : {minutes:d} min", "Dauer: {minutes} Min."),
    ("Pas d'accolade", "Keine Klammer"),
]

BRACE_BAD = [
    ("Bonjour {name} !", "Hallo {nom}!", "missing"),
    ("{count} sur {total}", "{count} insgesamt", "{total} missing"),
    ("Module {0}", "Modul", "{0} missing"),
    ("Bonjour", "Hallo {name}", "not in the source"),
]


@pytest.mark.parametrize("source,target", BRACE_GOOD)
def test_brace_format_good(source, target):
    assert run(BraceFormatCheck, source, target) == []


@pytest.mark.parametrize("source,target,expected", BRACE_BAD)
def test_brace_format_bad(source, target, expected):
    issues = run(BraceFormatCheck, source, target)
    assert issues and expected in issues[0].message


def test_brace_format_can_be_turned_off_per_unit():
    assert run(BraceFormatCheck, "{a}", "{b}", flags=("no-python-brace-format",)) == []

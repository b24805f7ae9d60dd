"""html-tags and markdown: tags, links, bold and inline code kept."""

from __future__ import annotations

import pytest

from check_cases import run
from workbench.domain.checks.base import Severity
from workbench.domain.checks.markup import HtmlTagsCheck, MarkdownCheck
from workbench.domain.units import UnitKind

TAGS_GOOD = [
    ("Le <b>small talk</b> crée du lien.", "<b>Small Talk</b> schafft Verbindung."),
    ('Voir <a href="https://ess.eu" title="Site">le site</a>.', 'Siehe <a title="Website" href="https://ess.eu">die Website</a>.'),
    ("Ligne 1<br>ligne 2", "Zeile 1<br/>Zeile 2"),
    ("<i>Bonjour</i> <b>à tous</b>", "<b>Hallo</b> <i>zusammen</i>"),        # tags may move
    ("Si a < b alors", "Wenn a < b, dann"),                                   # not a tag
    ("<v Nadia>Bonjour à tous", "<v Nadia>Hallo zusammen"),                   # WebVTT voice, unclosed in both
]

TAGS_BAD = [
    ("Le <b>small talk</b> crée du lien.", "Small Talk schafft Verbindung.", "missing"),
    ("Le <b>small talk</b>.", "<b>Small Talk.", "</b> missing"),
    ("Bonjour", "<i>Hallo</i>", "not in the source"),
    ("<b><i>Important</i></b>", "<b><i>Wichtig</b></i>", "nested"),
]


@pytest.mark.parametrize("source,target", TAGS_GOOD)
def test_html_tags_good(source, target):
    assert run(HtmlTagsCheck, source, target) == []


@pytest.mark.parametrize("source,target,expected", TAGS_BAD)
def test_html_tags_bad(source, target, expected):
    issues = run(HtmlTagsCheck, source, target)
    assert issues and expected in issues[0].message
    assert issues[0].severity is Severity.ERROR


def test_html_tags_in_a_subtitle_cue():
    assert run(HtmlTagsCheck, "<i>Bonjour</i>", "Hallo", kind=UnitKind.CUE, key="v1/3")


MD_GOOD = [
    ("Lisez [le guide](https://ess.eu/guide).", "Lies [den Leitfaden](https://ess.eu/guide)."),
    ("C'est **important**.", "Das ist **wichtig**."),
    ("Tapez `workbench check`.", "Gib `workbench check` ein."),
    ("![Logo](logo.png) et **gras**", "![Logo](logo.png) und **fett**"),
    ("Pas de Markdown ici.", "Hier kein Markdown."),
    ("Voir [ce lien](https://ess.eu/a_(b)).", "Siehe [diesen Link](https://ess.eu/a_(b))."),
]

MD_BAD = [
    ("Lisez [le guide](https://ess.eu/guide).", "Lies den Leitfaden.", "link", Severity.ERROR),
    ("C'est **important**.", "Das ist **wichtig.", "unclosed", Severity.ERROR),
    ("Lisez [le guide](https://ess.eu/fr/guide).", "Lies [den Leitfaden](https://ess.eu/de/guide).",
     "replaced", Severity.WARNING),
    ("Tapez `workbench check`.", "Gib `workbench prüfen` ein.", "inline code", Severity.WARNING),
    ("![Logo](logo.png)", "Logo", "image", Severity.ERROR),
    ("C'est **très** **important**.", "Das ist **sehr wichtig**.", "bold passage", Severity.WARNING),
]


@pytest.mark.parametrize("source,target", MD_GOOD)
def test_markdown_good(source, target):
    assert run(MarkdownCheck, source, target) == []


@pytest.mark.parametrize("source,target,expected,severity", MD_BAD)
def test_markdown_bad(source, target, expected, severity):
    issues = run(MarkdownCheck, source, target)
    assert issues and expected in issues[0].message
    assert issues[0].severity is severity

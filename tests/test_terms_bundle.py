"""The bundled ESS term base: built from the sourced list, nothing invented, the right marks."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from workbench.domain.terms import FRENCH_ONLY, TermStatus
from workbench.formats.tbx import read_tbx

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "glossaries" / "ess.tbx"
SOURCES = REPO.parent / "shared" / "reference" / "ess-glossary-sources.csv"
LANGS = ["fr", "en", "de", "nl", "it", "es", "pl", "bg", "hr", "el", "lv", "ro", "sl"]

#: Terms that write out an optional part of a cell ("(arbeids)beperking", "and/or").
DERIVED = {
    ("nl", "mensen met een beperking"), ("nl", "mensen met een arbeidsbeperking"),
    ("hr", "radnik s potrebama podrške"), ("en", "work integration pathway"),
    ("en", "primacy of people"), ("fr", "gouvernance participative"), ("en", "democratic governance"),
    ("it", "governance democratica"), ("it", "governance partecipativa"),
}


@pytest.fixture(scope="module")
def termbase():
    return read_tbx(BUNDLED.read_bytes(), path="glossaries/ess.tbx")


def test_at_least_35_concepts_each_with_its_source_note(termbase):
    assert len(termbase) >= 35
    assert all(c.source for c in termbase)
    assert all(c.preferred("fr") or c.accepted("fr") for c in termbase)


@pytest.mark.parametrize("acronym,concept", [
    ("EI", "entreprise-insertion"), ("ETTI", "etti"), ("AI", "association-intermediaire"),
    ("ACI", "aci"), ("IAE", "iae"), ("SIAE", "siae"),
])
def test_french_only_structures_are_marked(termbase, acronym, concept):
    c = termbase.get(concept)
    assert c.has_tag(FRENCH_ONLY)
    assert [t.text for t in c.do_not_translate("fr")] == [acronym]


@pytest.mark.parametrize("acronym", ["WISE", "ENSIE", "NEET"])
def test_acronyms_are_do_not_translate(termbase, acronym):
    holders = [c for c in termbase if any(t.text == acronym for t in c.do_not_translate("fr"))]
    assert len(holders) == 1
    for c in termbase:
        for lang, terms in c.terms.items():
            for t in terms:
                if t.text == acronym:
                    assert t.status is TermStatus.DO_NOT_TRANSLATE, (c.id, lang)


def test_small_talk_only_where_the_sources_say(termbase):
    c = termbase.get("small-talk")
    assert set(c.terms) == {"fr", "en"}


@pytest.mark.skipif(not SOURCES.is_file(), reason=f"{SOURCES} is not here (outside the shared workspace)")
def test_every_term_comes_from_the_sources_and_unsourced_cells_stay_empty(termbase):
    rows = list(csv.reader(SOURCES.open(encoding="utf-8")))[1:]
    assert len(rows) == len(termbase)
    for concept in termbase:
        first_fr = concept.terms_in("fr")[0].text.casefold()
        [row] = [r for r in rows if r[13].strip() == concept.source and first_fr in r[0].casefold()]
        cells = dict(zip(LANGS, row[:13]))
        for lang in LANGS:
            terms = concept.terms_in(lang)
            if not cells[lang].strip():
                assert not terms, f"{concept.id} [{lang}]: the sources have no term here"
            for t in terms:
                found = t.text.casefold() in (cells[lang] + " " + row[13]).casefold()
                assert found or (lang, t.text) in DERIVED, f"{concept.id} [{lang}] {t.text!r} is not in the sources"

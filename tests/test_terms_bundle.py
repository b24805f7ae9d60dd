"""The bundled ESS term base: built from the sourced list, nothing invented, the right marks."""

from __future__ import annotations

import csv
import re
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
    ("fr", "primauté de la personne et de l'objet social sur le capital"),
    ("fr", "primauté de la personne sur le capital"),
    ("fr", "accueil et accompagnement socioprofessionnel"),
    ("fr", "gouvernance démocratique et/ou participative"),
    ("en", "long-term unemployed person"),
}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _row_of(concept, rows: list[list[str]]) -> list[str]:
    """The source row of a concept: the same source note, and its first French term's words in the cell."""
    first_fr = set(_words(concept.terms_in("fr")[0].text))
    [row] = [r for r in rows if r[13].strip() == concept.source and first_fr <= set(_words(r[0]))]
    return row


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
        row = _row_of(concept, rows)
        cells = dict(zip(LANGS, row[:13]))
        for lang in LANGS:
            terms = concept.terms_in(lang)
            if not cells[lang].strip():
                assert not terms, f"{concept.id} [{lang}]: the sources have no term here"
            for t in terms:
                found = t.text.casefold() in (cells[lang] + " " + row[13]).casefold()
                assert found or (lang, t.text) in DERIVED, f"{concept.id} [{lang}] {t.text!r} is not in the sources"


@pytest.mark.skipif(not SOURCES.is_file(), reason=f"{SOURCES} is not here (outside the shared workspace)")
def test_no_word_of_a_sourced_cell_is_lost(termbase):
    """Cell by cell: every word of a sourced term cell (its optional parts in parentheses, its
    alternatives after ';', its glosses, its acronyms) is in that language's terms, their notes or
    the concept's definition in that language; only the compiler's [bracketed] remarks may go."""
    rows = list(csv.reader(SOURCES.open(encoding="utf-8")))[1:]
    lost = []
    for concept in termbase:
        row = _row_of(concept, rows)
        for lang, cell in zip(LANGS, row[:13]):
            kept = " ".join([*(t.text for t in concept.terms_in(lang)), *(t.note for t in concept.terms_in(lang)),
                             concept.definitions.get(lang, "")]).casefold()
            for word in _words(re.sub(r"\[[^\]]*\]", " ", cell)):
                if not re.search(r"(?<!\w)" + re.escape(word), kept):
                    lost.append(f"{concept.id} [{lang}] {word!r} of {cell!r}")
    assert not lost, "\n".join(lost)


@pytest.mark.parametrize("concept,lang,terms", [
    ("primaute-de-la-personne", "fr", [("primauté de la personne et de l'objet social sur le capital", TermStatus.PREFERRED),
                                       ("primauté de la personne sur le capital", TermStatus.ADMITTED)]),
    ("accueil-accompagnement", "fr", [("accueil et accompagnement socioprofessionnel", TermStatus.PREFERRED),
                                      ("accueil et accompagnement", TermStatus.ADMITTED)]),
    ("gouvernance-democratique", "fr", [("gouvernance démocratique et/ou participative", TermStatus.PREFERRED),
                                        ("gouvernance démocratique", TermStatus.ADMITTED),
                                        ("gouvernance participative", TermStatus.ADMITTED)]),
    ("chomeur-longue-duree", "en", [("long-term unemployed person", TermStatus.PREFERRED),
                                    ("long-term unemployed", TermStatus.ADMITTED)]),
    ("siae", "en", [("structure for integration through economic activity", TermStatus.PREFERRED),
                    ("SIAE", TermStatus.DO_NOT_TRANSLATE)]),
])
def test_an_optional_part_in_parentheses_gives_the_full_form_and_the_short_one(termbase, concept, lang, terms):
    assert [(t.text, t.status) for t in termbase.get(concept).terms_in(lang)] == terms


def test_every_concept_has_a_french_definition_with_its_source(termbase):
    for c in termbase:
        assert set(c.definitions) == {"fr"}, c.id
        assert set(c.definition_sources) == {"fr"}, c.id
        text = c.definitions["fr"]
        assert text[0].isupper() and text.endswith("."), c.id
        assert 60 <= len(text) <= 450, c.id       # one or two sentences, not a label and not an essay


@pytest.mark.parametrize("concept,cited", [
    ("economie-sociale-et-solidaire", "A/RES/77/281"), ("economie-sociale", "COM(2021) 778"),
    ("gouvernance-democratique", "C/2023/1344"), ("utilite-sociale", "loi n° 2014-856"),
    ("iae", "L5132-1"), ("aci", "L5132-15"), ("etti", "L5132-6"), ("association-intermediaire", "L5132-7"),
    ("micro-certification", "2022/C 243/02"), ("wise", "B-WISE"),
])
def test_a_definition_names_the_source_it_draws_on(termbase, concept, cited):
    assert cited in termbase.get(concept).definition_sources["fr"]

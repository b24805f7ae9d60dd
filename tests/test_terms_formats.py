"""The term base value, and its TBX-Basic and CSV formats: round trips, structure, refusals."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workbench.domain.errors import FormatError, FormatErrors, NotFoundError
from workbench.domain.terms import (
    FRENCH_ONLY, Concept, Term, TermBase, TermError, TermStatus, TermType, coverage, looks_like_acronym,
)
from workbench.formats.glossary_csv import read_glossary_csv, write_glossary_csv
from workbench.formats.tbx import NS, read_tbx, write_tbx

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "glossaries" / "ess.tbx"


def sample() -> TermBase:
    return TermBase((
        Concept("wise", terms={
            "fr": (Term("entreprise sociale d'insertion"), Term("entreprise sociale inclusive", TermStatus.ADMITTED),
                   Term("WISE", TermStatus.DO_NOT_TRANSLATE, TermType.ACRONYM, note="keep the acronym")),
            "en": (Term("work integration social enterprise"),
                   Term("WISE", TermStatus.DO_NOT_TRANSLATE, TermType.ACRONYM)),
        }, definitions={"en": "A social enterprise whose aim is work integration & <support>.",
                        "de": "Definition ohne Benennung", "fr": "Entreprise sociale d'insertion."},
           definition_sources={"en": "B-WISE project [BW]", "de": "Council Rec. C/2023/1344 [EU-SE]"},
           source="B-WISE pages [BW]", note="Core term.\nSecond line.", subject="social economy"),
        Concept("aci", terms={
            "fr": (Term("atelier et chantier d'insertion"), Term("ACI", TermStatus.DO_NOT_TRANSLATE, TermType.ACRONYM)),
            "en": (Term("integration workshop and site"),
                   Term("work camp", TermStatus.FORBIDDEN, note="avoid")),
            "de": (Term("Reinvestition der Gewinne", TermStatus.ADMITTED, TermType.PHRASE),),
        }, tags=(FRENCH_ONLY, "structures")),
        Concept("empty-one"),
    ))


# -- the domain value -------------------------------------------------------------------------

def test_concept_rules():
    with pytest.raises(TermError):
        Concept("1bad id")
    with pytest.raises(TermError):
        Concept("c", {"fr": (Term("x"), Term("x"))})
    with pytest.raises(TermError):
        Concept("c", {"fr": (Term(" padded "),)})
    with pytest.raises(TermError):
        TermBase((Concept("c"), Concept("c")))
    with pytest.raises(NotFoundError):
        sample().get("nope")


def test_concept_views_and_changes():
    c = sample().get("aci")
    assert [t.text for t in c.accepted("en")] == ["integration workshop and site"]
    assert [t.text for t in c.forbidden("en")] == ["work camp"]
    assert [t.text for t in c.do_not_translate("fr")] == ["ACI"]
    assert c.label("en") == "integration workshop and site" and c.label("pl") == "aci"
    c2 = c.with_term("en", Term("work camp", TermStatus.ADMITTED))
    assert c2.terms_in("en")[-1].status is TermStatus.ADMITTED and c.forbidden("en")
    assert not c2.without_term("en", "work camp").forbidden("en")
    with pytest.raises(NotFoundError):
        c.without_term("en", "nothing")
    assert c.with_definition("fr", "déf").definitions["fr"] == "déf"
    sourced = c.with_definition("fr", "déf", source="loi ESS 2014")
    assert sourced.definition_sources == {"fr": "loi ESS 2014"}
    assert sourced.with_definition("fr", "autre").definition_sources == {"fr": "loi ESS 2014"}
    assert sourced.with_definition("fr", "").definition_sources == {}
    with pytest.raises(TermError, match="definition source without a definition"):
        Concept("c", definition_sources={"fr": "loi ESS 2014"})
    assert c.has_tag(FRENCH_ONLY)


@pytest.mark.parametrize("text,expected", [
    ("WISE", True), ("SIAE", True), ("GFK", True), ("ΚΑΛΟ", True), ("NEETs", False), ("Wise", False),
    ("A", False), ("small talk", False), ("CO2", True),
])
def test_acronyms(text, expected):
    assert looks_like_acronym(text) is expected


def test_search_and_new_ids():
    tb = sample()
    assert [c.id for c in tb.search("INSERTION")] == ["wise", "aci"]
    assert [c.id for c in tb.search("insertion", language="en")] == []
    assert [c.id for c in tb.search("chantier")] == ["aci"]
    assert [c.id for c in tb.search("entreprise sociale inclusive")] == ["wise"]
    assert tb.new_id("WISE") == "wise-2" and tb.new_id("Économie sociale") == "economie-sociale"


def test_coverage_counts_preferred_and_accepted():
    [fr, de, pl] = coverage(sample(), ["fr", "de", "pl"])
    assert (fr.concepts, fr.preferred, fr.accepted) == (3, 2, 2)
    assert (de.preferred, de.accepted) == (0, 1)
    assert pl.share == 0.0


# -- TBX ---------------------------------------------------------------------------------------

def test_tbx_round_trip_keeps_everything():
    tb = sample()
    data = write_tbx(tb, title="Sample", source_language="fr")
    assert read_tbx(data, path="sample.tbx") == tb


def test_bundled_term_base_round_trips():
    data = BUNDLED.read_bytes()
    tb = read_tbx(data, path="glossaries/ess.tbx")
    again = read_tbx(write_tbx(tb, title="ESS", source_language="fr"), path="again.tbx")
    assert again == tb
    assert [c.id for c in again] == [c.id for c in tb]


def test_exported_tbx_is_well_formed_tbx_basic():
    data = write_tbx(sample(), title="Sample", source_language="fr")
    root = ET.fromstring(data)          # well-formed, or this raises
    q = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    assert root.tag == q("tbx") and root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    assert root.find(f"{q('tbxHeader')}/{q('fileDesc')}/{q('titleStmt')}/{q('title')}").text == "Sample"
    entries = root.findall(f"{q('text')}/{q('body')}/{q('conceptEntry')}")
    assert [e.get("id") for e in entries] == ["wise", "aci", "empty-one"]
    for entry in entries:
        for lang_sec in entry.findall(q("langSec")):
            assert lang_sec.get("{http://www.w3.org/XML/1998/namespace}lang")
            term_secs = lang_sec.findall(q("termSec"))
            assert term_secs, "TBX wants at least one termSec per langSec"
            for ts in term_secs:
                assert ts[0].tag == q("term")
                statuses = [n.text for n in ts.findall(q("termNote")) if n.get("type") == "administrativeStatus"]
                assert statuses and statuses[0] in ("preferredTerm-admn-sts", "admittedTerm-admn-sts",
                                                    "deprecatedTerm-admn-sts")
    aci = entries[1]
    assert [a.text for a in aci.findall(q("admin")) if a.get("type") == "projectSubset"] == [FRENCH_ONLY, "structures"]
    en = [ls for ls in aci.findall(q("langSec")) if ls.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"][0]
    forbidden = [ts for ts in en.findall(q("termSec")) if ts.find(q("term")).text == "work camp"][0]
    assert forbidden.find(q("termNote")).text == "deprecatedTerm-admn-sts"


def test_a_definition_source_is_tbx_basic_admin_source_in_a_descripgrp():
    data = write_tbx(sample(), title="Sample", source_language="fr")
    root = ET.fromstring(data)
    q = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    wise = root.find(f"{q('text')}/{q('body')}/{q('conceptEntry')}")
    lang_of = lambda e: e.get("{http://www.w3.org/XML/1998/namespace}lang")  # noqa: E731
    [en] = [ls for ls in wise.findall(q("langSec")) if lang_of(ls) == "en"]
    [group] = en.findall(q("descripGrp"))
    assert [(c.tag, c.get("type"), c.text) for c in group] == [
        (q("descrip"), "definition", "A social enterprise whose aim is work integration & <support>."),
        (q("admin"), "source", "B-WISE project [BW]")]
    [fr] = [ls for ls in wise.findall(q("langSec")) if lang_of(ls) == "fr"]
    assert fr.find(q("descrip")).text == "Entreprise sociale d'insertion." and fr.find(q("descripGrp")) is None
    [de_group] = wise.findall(q("descripGrp"))       # a language without terms: on the concept, with xml:lang
    assert lang_of(de_group.find(q("descrip"))) == "de"


def test_tbx_reads_a_definition_source_written_by_another_tool():
    data = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="fr"><text><body>
  <conceptEntry id="c1">
    <descripGrp><descrip type="definition">concept-level</descrip><admin type="source">somewhere</admin></descripGrp>
    <langSec xml:lang="fr">
      <descripGrp><descrip type="definition">une définition</descrip><admin type="source">loi ESS 2014</admin></descripGrp>
      <termSec><term>coopérative</term></termSec>
    </langSec>
    <langSec xml:lang="en"><termSec><term>cooperative</term></termSec></langSec>
  </conceptEntry>
</body></text></tbx>""".encode("utf-8")
    [c] = read_tbx(data, path="other.tbx")
    assert c.definitions == {"fr": "une définition"} and c.definition_sources == {"fr": "loi ESS 2014"}
    assert c.note == "concept-level (source: somewhere)"


def test_tbx_reads_the_2008_martif_form():
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>old</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <descrip type="subjectField">ESS</descrip>
      <langSet xml:lang="fr">
        <descrip type="definition">une d\xc3\xa9finition</descrip>
        <tig><term>coop\xc3\xa9rative</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="de">
        <ntig><termGrp><term>Genossenschaft</term></termGrp>
          <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></ntig>
        <tig><term>Kooperative</term></tig>
      </langSet>
    </termEntry>
  </body></text>
</martif>"""
    [c] = read_tbx(data, path="old.tbx")
    assert c.id == "c1" and c.subject == "ESS" and c.definitions == {"fr": "une définition"}
    assert c.terms["fr"] == (Term("coopérative", TermStatus.PREFERRED),)
    assert [(t.text, t.status) for t in c.terms["de"]] == [("Genossenschaft", TermStatus.FORBIDDEN),
                                                          ("Kooperative", TermStatus.ADMITTED)]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<tbx><text><body><conceptEntry id="a"><langSec xml:lang="en"><termSec><term>&lol2;</term>
</termSec></langSec></conceptEntry></body></text></tbx>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE tbx SYSTEM "file:///etc/passwd">
<tbx><text><body/></text></tbx>"""


@pytest.mark.parametrize("data,line,problem", [
    (BILLION_LAUGHS, 2, "DOCTYPE is not allowed"),
    (EXTERNAL, 2, "DOCTYPE is not allowed"),
    (b"<tbx><text><body>", 1, "not well-formed XML"),
    (b"<glossary/>", 1, "not a TBX file"),
    (b"<tbx/>", 1, "no <text><body>"),
])
def test_tbx_refuses_dangerous_or_broken_files(data, line, problem):
    with pytest.raises(FormatError) as info:
        read_tbx(data, path="bad.tbx")
    assert info.value.line == line and problem in info.value.problem
    assert str(info.value).startswith(f"bad.tbx:{line}: ")


def test_tbx_reports_every_bad_entry_with_its_line():
    data = b"""<tbx><text><body>
<conceptEntry id="a"><langSec xml:lang="en"><termSec><term></term></termSec></langSec></conceptEntry>
<conceptEntry id="b"><langSec xml:lang="en"><termSec><term>x</term>
  <termNote type="administrativeStatus">bestTerm</termNote></termSec></langSec></conceptEntry>
<conceptEntry id="b"><langSec xml:lang="en"><termSec><term>y</term></termSec></langSec></conceptEntry>
<conceptEntry id="c"><langSec><termSec><term>z</term></termSec></langSec></conceptEntry>
</body></text></tbx>"""
    with pytest.raises(FormatErrors) as info:
        read_tbx(data, path="g.tbx")
    assert [(e.line, e.problem.split(" ")[0]) for e in info.value.errors] == [
        (2, "a"), (4, "unknown"), (5, "concept"), (6, "<langSec>")]


# -- CSV ---------------------------------------------------------------------------------------

def test_csv_round_trip_keeps_everything():
    tb = sample()
    assert read_glossary_csv(write_glossary_csv(tb), path="g.csv") == tb


def test_the_bundled_term_base_round_trips_through_csv_with_its_definitions():
    tb = read_tbx(BUNDLED.read_bytes(), path="glossaries/ess.tbx")
    again = read_glossary_csv(write_glossary_csv(tb), path="ess.csv")
    assert again == tb
    assert all(c.definitions.get("fr") and c.definition_sources.get("fr") for c in again)


def test_csv_reads_a_hand_written_file():
    data = ("\ufeffConcept,Language,Term,Status,tags\n"
            "coop,fr,coopérative,preferred,\n"
            "coop,de,Genossenschaft,preferredTerm-admn-sts,x;y\n"
            "coop,en,co-op,,\n"
            "\n").encode("utf-8")
    [c] = read_glossary_csv(data, path="g.csv")
    assert c.tags == ("x", "y")
    assert [(l, t.text, t.status) for l, ts in c.terms.items() for t in ts] == [
        ("fr", "coopérative", TermStatus.PREFERRED), ("de", "Genossenschaft", TermStatus.PREFERRED),
        ("en", "co-op", TermStatus.ADMITTED)]


@pytest.mark.parametrize("text,line,problem", [
    ("", 1, "empty file"),
    ("concept,language\n", 1, "missing column 'term'"),
    ("concept,language,term,colour\n", 1, "unknown column 'colour'"),
    ("concept,language,term,status\nc,fr,x,best\n", 2, "unknown status 'best'"),
    ("concept,language,term\nc,french!,x\n", 2, "not a language code"),
    ("concept,language,term\n,fr,x\n", 2, "concept column is empty"),
    ("concept,language,term\nc,fr,x\nc,fr,x\n", 3, "listed twice"),
    ("concept,language,term,source\nc,fr,x,a\nc,de,y,b\n", 3, "source differs"),
    ("concept,language,term\n1c,fr,x\n", 2, "concept id"),
    ("concept,language,term,definition_source\nc,fr,x,loi ESS 2014\n", 2, "definition source without a definition"),
    ("concept,language,term,definition,definition_source\nc,fr,x,d,a\nc,fr,y,d,b\n", 3,
     "definition_source differs"),
])
def test_csv_errors_name_the_line(text, line, problem):
    with pytest.raises((FormatError, FormatErrors)) as info:
        read_glossary_csv(text.encode("utf-8"), path="g.csv")
    error = info.value.errors[0] if isinstance(info.value, FormatErrors) else info.value
    assert error.line == line and problem in error.problem


def test_csv_refuses_non_utf8():
    with pytest.raises(FormatError, match="not UTF-8"):
        read_glossary_csv("concept,language,term\nc,fr,coopérative\n".encode("latin-1"), path="g.csv")


# -- deliberate homonyms --------------------------------------------------------------------------

def homonyms() -> TermBase:
    """Two concepts sharing "entreprise sociale": the second records the first as a deliberate homonym."""
    return TermBase((
        Concept("entreprise-sociale", {"fr": (Term("entreprise sociale"),)}),
        Concept("es-juridique", {
            "fr": (Term("entreprise sociale", homonym_of=("entreprise-sociale",), note="la forme juridique"),),
            "de": (Term("Sozialunternehmen", homonym_of=("entreprise-sociale", "wise")),)}),
    ))


@pytest.mark.parametrize("write,read", [
    (lambda tb: write_tbx(tb, title="H", source_language="fr"), lambda data: read_tbx(data, path="h.tbx")),
    (write_glossary_csv, lambda data: read_glossary_csv(data, path="h.csv")),
])
def test_a_deliberate_homonym_survives_the_round_trip(write, read):
    assert read(write(homonyms())) == homonyms()


def test_a_deliberate_homonym_is_a_tbx_term_note_other_tools_show():
    root = ET.fromstring(write_tbx(homonyms(), title="H", source_language="fr"))
    q = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    term_secs = root.iter(q("termSec"))
    notes = [[n.text for n in ts.findall(q("note"))] for ts in term_secs]
    assert notes == [[], ["la forme juridique", "homonym of entreprise-sociale"],
                     ["homonym of entreprise-sociale", "homonym of wise"]]


@pytest.mark.parametrize("note,homonym_of,kept", [
    ("homonym of entreprise-sociale", ("entreprise-sociale",), ""),
    ("homonym of a word with spaces", (), "homonym of a word with spaces"),
    ("Homonym of wise", (), "Homonym of wise"),
    ("see homonym of wise", (), "see homonym of wise"),
])
def test_tbx_reads_only_an_exact_homonym_note_as_the_mark(note, homonym_of, kept):
    data = (f'<tbx xmlns="{NS}"><text><body><conceptEntry id="c"><langSec xml:lang="fr"><termSec>'
            f'<term>x</term><note>{note}</note></termSec></langSec></conceptEntry></body></text></tbx>').encode()
    term = read_tbx(data, path="n.tbx").get("c").terms["fr"][0]
    assert (term.homonym_of, term.note) == (homonym_of, kept)


@pytest.mark.parametrize("homonym_of", [("c",), ("1bad",)])
def test_a_term_is_no_homonym_of_its_own_concept_or_of_a_bad_id(homonym_of):
    with pytest.raises(TermError, match="not another concept id"):
        Concept("c", {"fr": (Term("x", homonym_of=homonym_of),)})


def test_csv_refuses_a_homonym_mark_without_a_term():
    with pytest.raises(FormatErrors, match="homonym_of is given"):
        read_glossary_csv(b"concept,language,term,homonym_of\nc,fr,,d\n", path="h.csv")


def test_homonym_marks_are_added_once_and_kept_by_a_change():
    c = homonyms().get("es-juridique")
    marked = c.with_homonym_marks([("fr", "Entreprise Sociale", "entreprise-sociale"), ("fr", "entreprise sociale", "x")])
    assert marked.terms["fr"][0].homonym_of == ("entreprise-sociale", "x")
    rewritten = marked.with_terms("fr", (Term("entreprise sociale", TermStatus.ADMITTED),))
    assert rewritten.keeping_homonym_marks(marked).terms["fr"][0].homonym_of == ("entreprise-sociale", "x")
    renamed = marked.with_terms("fr", (Term("société sociale"),))
    assert renamed.keeping_homonym_marks(marked).terms["fr"][0].homonym_of == ()

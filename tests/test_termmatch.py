"""Term matching: inflected forms must match, near misses must not, spans must be right."""

from __future__ import annotations

import pytest

from workbench.domain.termmatch import (
    SNOWBALL, SUFFIX_RULES, TermMatcher, longest_first_only, longest_first_with_homonyms, stemming_method,
)
from workbench.domain.terms import Concept, Term, TermBase, TermStatus, TermType


def match(language: str, term: str, text: str) -> list[str]:
    tb = TermBase((Concept("c", {language: (Term(term),)}),))
    return [m.text for m in TermMatcher(tb).find(text, language)]


# (language, term, text, the matched text or None for a near miss that must not match)
CASES = [
    # French: plurals, elision with either apostrophe, case, hyphen for space
    ("fr", "entreprise d'insertion", "Les entreprises d’insertion recrutent.", "entreprises d’insertion"),
    ("fr", "entreprise d'insertion", "ENTREPRISE D'INSERTION", "ENTREPRISE D'INSERTION"),
    ("fr", "salarié en insertion", "les salariés en insertion", "salariés en insertion"),
    ("fr", "salarié en insertion", "une salariée en insertion", "salariée en insertion"),
    ("fr", "économie sociale", "des économies sociales", "économies sociales"),
    ("fr", "communication non violente", "la communication non-violente", "communication non-violente"),
    ("fr", "entreprise d'insertion", "une entreprise de travail temporaire d'insertion", None),
    ("fr", "entreprise d'insertion", "une entreprise, d'insertion", None),
    ("fr", "économie sociale", "une économie socialiste", None),
    ("fr", "économie sociale", "la politique économique sociale", None),
    ("fr", "employabilité", "sans emploi", None),
    # French nouns in -er that Snowball stems as verbs: plural and feminine still match
    ("fr", "conseiller en insertion professionnelle", "les conseillers en insertion professionnelle",
     "conseillers en insertion professionnelle"),
    ("fr", "conseiller en insertion professionnelle", "la conseillère en insertion professionnelle",
     "conseillère en insertion professionnelle"),
    ("fr", "chômeur de longue durée", "des chômeuses de longue durée", "chômeuses de longue durée"),
    ("fr", "atelier et chantier d'insertion", "les ateliers et chantiers d'insertion",
     "ateliers et chantiers d'insertion"),
    ("fr", "conseiller en insertion professionnelle", "un conseil en insertion professionnelle", None),
    ("fr", "coopérative", "coopérer", None),
    # English: plurals, irregular plural, hyphenated compounds, acronyms case-sensitive
    ("en", "social enterprise", "Social enterprises are businesses.", "Social enterprises"),
    ("en", "person with disabilities", "people with disabilities", "people with disabilities"),
    ("en", "Nonviolent Communication", "non-violent communication", "non-violent communication"),
    ("en", "micro-credential", "two microcredentials", "microcredentials"),
    ("en", "WISE", "Many WISEs exist.", "WISEs"),
    ("en", "WISE", "a wise choice", None),
    ("en", "WISE", "Wise people", None),
    ("en", "social enterprise", "social enterprising spirit", None),
    ("en", "employability", "their employment", None),
    # German: genitive, adjective inflection; agent noun and other compounds are not the term
    ("de", "Sozialunternehmen", "des Sozialunternehmens", "Sozialunternehmens"),
    ("de", "Soziales Unternehmen zur Arbeitsintegration", "in einem sozialen Unternehmen zur Arbeitsintegration",
     "sozialen Unternehmen zur Arbeitsintegration"),
    ("de", "Langzeitarbeitslose", "für Langzeitarbeitslosen", "Langzeitarbeitslosen"),
    ("de", "Sozialunternehmen", "eine soziale Firma", None),
    ("de", "Sozialunternehmen", "der Sozialunternehmer", None),
    ("de", "Sozialunternehmen", "das Sozialunternehmertum", None),
    ("de", "Sozialunternehmen", "ein Unternehmen", None),
    # German closed compounds that start with the term name the concept; adjectives do not
    ("de", "Sozialunternehmen", "das Sozialunternehmensnetzwerk", "Sozialunternehmensnetzwerk"),
    ("de", "Langzeitarbeitslose", "die Langzeitarbeitslosenquote", "Langzeitarbeitslosenquote"),
    ("de", "berufliche Integration", "berufliche Integrationsmaßnahmen", "berufliche Integrationsmaßnahmen"),
    ("de", "Sozialunternehmen", "das Sozialunternehmernetzwerk", None),
    ("de", "Genossenschaft", "eine Genossenschaftsbank", "Genossenschaftsbank"),
    ("de", "Genossenschaft", "genossenschaftsartig", None),
    ("de", "Genossenschaft", "genossenschaftsmäßig", None),
    ("de", "Jobcoach", "das Jobcoaching", None),
    ("de", "Gewaltfreie Kommunikation", "gewaltfreie Kommunikationsartig", None),
    # Spanish
    ("es", "empresa social", "las empresas sociales", "empresas sociales"),
    ("es", "economía social y solidaria", "de la Economía Social y Solidaria", "Economía Social y Solidaria"),
    ("es", "empresa social", "un empresario social", None),
    ("es", "economía social", "una economía socialista", None),
    # Polish: cases
    ("pl", "przedsiębiorstwo społeczne", "przedsiębiorstwa społecznego", "przedsiębiorstwa społecznego"),
    ("pl", "przedsiębiorstwo społeczne", "w przedsiębiorstwach społecznych", "przedsiębiorstwach społecznych"),
    ("pl", "przedsiębiorstwo społeczne", "z przedsiębiorstwem społecznym", "przedsiębiorstwem społecznym"),
    ("pl", "ekonomia społeczna", "ustawa o ekonomii społecznej", "ekonomii społecznej"),
    ("pl", "przedsiębiorstwo społeczne", "przedsiębiorca społeczny", None),
    ("pl", "ekonomia społeczna", "ekonomista społeczny", None),
    # Croatian (Snowball Serbian fallback + plural extension rule)
    ("hr", "socijalno poduzeće", "socijalnog poduzeća", "socijalnog poduzeća"),
    ("hr", "socijalno poduzeće", "u socijalnim poduzećima", "socijalnim poduzećima"),
    ("hr", "radna integracija", "radne integracije", "radne integracije"),
    ("hr", "put radne integracije", "putove radne integracije", "putove radne integracije"),
    ("hr", "socijalno poduzeće", "socijalno poduzetništvo", None),
    # Greek: cases, plural, capitals without accents
    ("el", "κοινωνική επιχείρηση", "της κοινωνικής επιχείρησης", "κοινωνικής επιχείρησης"),
    ("el", "κοινωνική επιχείρηση", "οι κοινωνικές επιχειρήσεις", "κοινωνικές επιχειρήσεις"),
    ("el", "κοινωνική επιχείρηση", "ΚΟΙΝΩΝΙΚΗ ΕΠΙΧΕΙΡΗΣΗ", "ΚΟΙΝΩΝΙΚΗ ΕΠΙΧΕΙΡΗΣΗ"),
    ("el", "Κοινωνική και Αλληλέγγυα Οικονομία", "της Κοινωνικής και Αλληλέγγυας Οικονομίας",
     "Κοινωνικής και Αλληλέγγυας Οικονομίας"),
    ("el", "κοινωνική επιχείρηση", "κοινωνική επιχειρηματικότητα", None),
    # Romanian, Italian, Dutch (Snowball)
    ("ro", "întreprindere socială", "întreprinderile sociale", "întreprinderile sociale"),
    ("ro", "întreprindere socială", "întreprinderii sociale", "întreprinderii sociale"),
    ("ro", "întreprindere socială", "întreprinzător social", None),
    ("it", "impresa sociale", "le imprese sociali", "imprese sociali"),
    ("nl", "sociale onderneming", "sociale ondernemingen", "sociale ondernemingen"),
    # Bulgarian, Latvian, Slovenian (suffix-rule fallback)
    ("bg", "социално предприятие", "социалните предприятия", "социалните предприятия"),
    ("bg", "социално предприятие", "социално предприемачество", None),
    ("lv", "sociālais uzņēmums", "sociālajiem uzņēmumiem", "sociālajiem uzņēmumiem"),
    ("lv", "sociālais uzņēmums", "sociālais uzņēmējs", None),
    ("sl", "socialno podjetje", "socialnih podjetij", "socialnih podjetij"),
    ("sl", "socialno podjetje", "socialno podjetništvo", None),
]


@pytest.mark.parametrize("language,term,text,expected", CASES,
                         ids=[f"{c[0]}-{c[2][:30]}" for c in CASES])
def test_inflected_forms_match_and_near_misses_do_not(language, term, text, expected):
    found = match(language, term, text)
    assert found == ([expected] if expected else [])


def test_the_acceptance_examples_match():
    assert match("fr", "entreprise d'insertion", "des entreprises d'insertion") == ["entreprises d'insertion"]
    assert match("de", "Sozialunternehmen", "eines Sozialunternehmens") == ["Sozialunternehmens"]
    assert match("pl", "przedsiębiorstwo społeczne", "przedsiębiorstwa społecznego") == ["przedsiębiorstwa społecznego"]


def test_spans_point_into_the_text():
    tb = TermBase((Concept("c", {"fr": (Term("entreprise sociale"),)}),))
    text = "Dans une entreprise sociale, puis deux entreprises sociales."
    spans = [m.span for m in TermMatcher(tb).find(text, "fr")]
    assert [text[a:b] for a, b in spans] == ["entreprise sociale", "entreprises sociales"]
    assert spans[0] == (9, 27)


def test_decomposed_accents_keep_spans_right():
    tb = TermBase((Concept("c", {"fr": (Term("économie sociale"),)}),))
    text = "l'e\u0301conomie sociale"
    [m] = TermMatcher(tb).find(text, "fr")
    assert text[m.start:m.end] == "e\u0301conomie sociale"


def test_longest_match_wins_among_overlaps():
    tb = TermBase((
        Concept("ess", {"fr": (Term("économie sociale et solidaire"),)}),
        Concept("es", {"fr": (Term("économie sociale"),)}),
        Concept("wise", {"fr": (Term("entreprise sociale d'insertion"),)}),
        Concept("se", {"fr": (Term("entreprise sociale"),)}),
    ))
    text = "L'économie sociale et solidaire et les entreprises sociales d'insertion."
    m = TermMatcher(tb)
    assert {x.concept_id for x in m.find(text, "fr")} == {"ess", "es", "wise", "se"}
    assert [x.concept_id for x in m.find(text, "fr", longest_first=True)] == ["ess", "wise"]
    assert longest_first_only([]) == []


def test_words_must_follow_each_other():
    assert match("en", "social enterprise", "social, enterprise") == []
    assert match("en", "social enterprise", "social and enterprise") == []
    assert match("en", "democratic and/or participatory governance",
                 "democratic and/or participatory governance") == ["democratic and/or participatory governance"]


def test_concept_filter_and_statuses():
    tb = TermBase((Concept("aci", {"en": (Term("integration workshop and site"),
                                          Term("work camp", TermStatus.FORBIDDEN))}),
                   Concept("other", {"en": (Term("site"),)})))
    m = TermMatcher(tb)
    found = m.find("two work camps and a site", "en", concepts=["aci"])
    assert [(x.text, x.status) for x in found] == [("work camps", TermStatus.FORBIDDEN)]


def test_acronym_typed_terms_are_case_sensitive():
    tb = TermBase((Concept("neet", {"ro": (Term("NEET", TermStatus.DO_NOT_TRANSLATE, TermType.ACRONYM),)}),))
    m = TermMatcher(tb)
    assert [x.text for x in m.find("tineri NEETs și neet", "ro")] == ["NEETs"]


def test_regional_tags_fall_back_to_the_language():
    tb = TermBase((Concept("c", {"nl": (Term("sociale onderneming"),)}),))
    assert [x.text for x in TermMatcher(tb).find("een sociale onderneming", "nl-BE")] == ["sociale onderneming"]


def test_find_term_for_a_term_outside_the_base():
    m = TermMatcher(TermBase())
    assert m.find_term("Die WISE-Netzwerke", "de", Term("WISE")) == [(4, 8)]
    assert m.find("anything", "de") == []


def test_which_languages_have_which_stemmer():
    ours = ["fr", "en", "de", "nl", "it", "es", "pl", "bg", "hr", "el", "lv", "ro", "sl"]
    methods = {lang: stemming_method(lang) for lang in ours}
    assert {l for l, m in methods.items() if m.startswith("snowball:") and "fallback" not in m} == \
        {"fr", "en", "de", "nl", "it", "es", "pl", "el", "ro"}
    assert methods["hr"] == "snowball:serbian (fallback for Croatian)"
    assert {l for l, m in methods.items() if m == "suffix rule (fallback)"} == {"bg", "lv", "sl"}
    assert set(SUFFIX_RULES) == {"bg", "lv", "sl"} and "hr" in SNOWBALL
    assert stemming_method("fi") == "exact words (no stemmer)"
    assert match("fi", "sosiaalinen yritys", "Sosiaalinen yritys") == ["Sosiaalinen yritys"]


def test_longest_first_with_homonyms_keeps_every_concept_at_the_same_span():
    """longest_first_only kept one concept of a homonym: the editor's term panel showed only it."""
    tb = TermBase((Concept("a", {"fr": (Term("coopérative"),)}),
                   Concept("b", {"fr": (Term("coopérative"),)}),
                   Concept("c", {"fr": (Term("coopérative sociale"),)})))
    found = TermMatcher(tb).find("Une coopérative sociale et une coopérative.", "fr")
    kept = longest_first_with_homonyms(found)
    assert [(m.concept_id, m.text) for m in kept] == [
        ("c", "coopérative sociale"), ("a", "coopérative"), ("b", "coopérative")]
    assert len(longest_first_only(found)) == 2

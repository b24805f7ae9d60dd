"""The terminology check: good and bad cases for each rule, false alarms of exact matching included."""

from __future__ import annotations

import pytest

from workbench.domain.checks.base import CheckContext, Severity
from workbench.domain.checks.terminology import (
    CONSISTENCY, TERMS, ConsistencyIndex, ConsistencyRule, DoNotTranslateRule, ForbiddenTermRule,
    MissingTermRule, TerminologyCheck,
)
from workbench.domain.states import State
from workbench.domain.termmatch import TermMatcher
from workbench.domain.terms import Concept, Term, TermBase, TermStatus as S, TermType
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind


def P(text): return Term(text, S.PREFERRED)
def A(text): return Term(text, S.ADMITTED)
def F(text): return Term(text, S.FORBIDDEN)
def D(text): return Term(text, S.DO_NOT_TRANSLATE, TermType.ACRONYM)


TB = TermBase((
    Concept("ess", {"fr": (P("économie sociale et solidaire"),), "en": (P("social and solidarity economy"),)}),
    Concept("es", {"fr": (P("économie sociale"),), "en": (P("social economy"),)}),
    Concept("wise", {"fr": (P("entreprise sociale d'insertion"), D("WISE")),
                     "en": (P("work integration social enterprise"), D("WISE")),
                     "es": (P("empresa social de integración laboral"),)}),
    Concept("se", {"fr": (P("entreprise sociale"),), "de": (P("Sozialunternehmen"),),
                   "pl": (P("przedsiębiorstwo społeczne"),), "el": (P("κοινωνική επιχείρηση"),),
                   "es": (P("empresa social"),),
                   "hr": (P("socijalno poduzeće"), A("društveno poduzeće"))}),
    Concept("aci", {"fr": (P("atelier et chantier d'insertion"), A("chantier d'insertion"), D("ACI")),
                    "en": (P("integration workshop and site"), F("work camp"))}),
    Concept("iae", {"fr": (P("insertion par l'activité économique"), D("IAE"))}),
    Concept("siae", {"fr": (P("structure d'insertion par l'activité économique"), D("SIAE"))}),
    Concept("small-talk", {"fr": (P("small talk"),), "en": (P("small talk"),)}),
    Concept("lucrativite", {"fr": (P("lucrativité limitée"),),
                            "de": (Term("Reinvestition der Gewinne", S.ADMITTED, TermType.PHRASE),)}),
))
MATCHER = TermMatcher(TB)


def unit(source: str, key: str = "m1/lesson-1/p1", resource: str = "m1", plural: str | None = None) -> Unit:
    return Unit(key=key, resource=resource, kind=UnitKind.TEXT, module=resource, position=1,
                source=source, source_plural=plural)


def tr(u: Unit, language: str, *forms: str) -> Translation:
    return Translation(key=u.key, resource=u.resource, language=language, forms=forms, state=State.TRANSLATED)


def run(rule, language: str, source: str, target: str, extras=None):
    u = unit(source)
    ctx = CheckContext(language, "fr", extras=extras if extras is not None else {TERMS: MATCHER})
    return list(rule.issues(u, tr(u, language, target), ctx))


# -- missing term ---------------------------------------------------------------------------------

MISSING_BAD = [
    ("de", "Dans une entreprise sociale, on travaille.", "In einer sozialen Firma arbeitet man.", "“Sozialunternehmen”"),
    ("es", "Les entreprises sociales d'insertion recrutent.", "Las empresas de inserción contratan.",
     "“empresa social de integración laboral”"),
    ("en", "Karim arrive sur son chantier d'insertion.", "Karim arrives at his building site.",
     "“integration workshop and site”"),
    ("hr", "Une entreprise sociale.", "Jedna tvrtka.", "“socijalno poduzeće”, “društveno poduzeće”"),
]


@pytest.mark.parametrize("language,source,target,named", MISSING_BAD)
def test_missing_term_is_a_warning_naming_the_expected_terms(language, source, target, named):
    [issue] = run(MissingTermRule(), language, source, target)
    assert issue.severity is Severity.WARNING and issue.check == "terminology"
    assert issue.message.endswith("expected " + named)


MISSING_GOOD = [
    # inflected targets an exact-match glossary check would flag
    ("pl", "Avec une entreprise sociale.", "Z przedsiębiorstwem społecznym."),
    ("el", "Le rôle de l'entreprise sociale.", "Ο ρόλος της κοινωνικής επιχείρησης."),
    ("es", "Des entreprises sociales.", "Unas empresas sociales."),
    ("de", "Les entreprises sociales.", "Die Sozialunternehmen des Landes und eines Sozialunternehmens."),
    ("de", "Le réseau des entreprises sociales grandit.", "Das Sozialunternehmensnetzwerk wächst."),
    ("hr", "Une entreprise sociale.", "Jedno društveno poduzeće."),
    # longest first: "économie sociale et solidaire" does not also expect "social economy"
    ("en", "L'économie sociale et solidaire (ESS).", "The social and solidarity economy (SSE)."),
    # no term known in the language: nothing is expected
    ("de", "Le small talk compte.", "Small Talk zählt."),
    ("pl", "Le small talk compte.", "Small talk się liczy."),
    # a descriptive rendering (phrase) is accepted, never demanded
    ("de", "La lucrativité limitée.", "Begrenzte Gewinnausschüttung."),
    # the source's do-not-translate acronym is a valid rendering of the concept
    ("en", "Une entreprise sociale d'insertion recrute.", "A WISE is hiring."),
    ("en", "Le small talk.", "Small Talk."),
]


@pytest.mark.parametrize("language,source,target", MISSING_GOOD)
def test_no_missing_term_when_an_accepted_form_is_there(language, source, target):
    assert run(MissingTermRule(), language, source, target) == []


def test_missing_term_checks_each_plural_form():
    u = unit("%(n)d entreprise sociale", plural="%(n)d entreprises sociales")
    ctx = CheckContext("de", "fr", extras={TERMS: MATCHER})
    issues = MissingTermRule().issues(u, tr(u, "de", "%(n)d Sozialunternehmen", "%(n)d soziale Firmen"), ctx)
    assert [i.form for i in issues] == [1]


HOMONYMS = TermMatcher(TermBase((
    *TB,
    # "entreprise sociale" as a legal form too: a deliberate homonym of "se" in French
    Concept("se-legal", {"fr": (Term("entreprise sociale", homonym_of=("se",)),), "de": (P("Sozialbetrieb"),)}),
    Concept("se-vague", {"fr": (Term("entreprise sociale", homonym_of=("se", "se-legal")),)}),   # no de term
)))
HOMONYMS_NO_VAGUE = TermMatcher(TermBase((*TB, Concept("se-legal", {
    "fr": (Term("entreprise sociale", homonym_of=("se",)),), "de": (P("Sozialbetrieb"),)}))))


@pytest.mark.parametrize("matcher,target,message", [
    # either concept's term will do: the source cannot tell which one it names
    (HOMONYMS_NO_VAGUE, "In einem Sozialunternehmen.", None),
    (HOMONYMS_NO_VAGUE, "In einem Sozialbetrieb.", None),
    (HOMONYMS_NO_VAGUE, "In einer Firma.", "missing term: the source has “entreprise sociale” (se or se-legal); "
                                           "expected “Sozialunternehmen” or “Sozialbetrieb”"),
    # one of them has no German term: nothing to expect
    (HOMONYMS, "In einer Firma.", None),
])
def test_a_homonym_in_the_source_takes_a_term_of_any_of_its_concepts(matcher, target, message):
    issues = run(MissingTermRule(), "de", "Dans une entreprise sociale.", target, extras={TERMS: matcher})
    assert [i.message for i in issues] == ([message] if message else [])


# -- forbidden term --------------------------------------------------------------------------------

@pytest.mark.parametrize("target,span_text", [
    ("They met in two work camps last year.", "work camps"),
    ("The work camp opens at eight.", "work camp"),
    ("WORK CAMP", "WORK CAMP"),
])
def test_forbidden_term_is_an_error_with_its_span(target, span_text):
    [issue] = run(ForbiddenTermRule(), "en", "Un chantier d'insertion.", target)
    assert issue.severity is Severity.ERROR
    assert target[issue.span[0]:issue.span[1]] == span_text
    assert "use “integration workshop and site”" in issue.message


@pytest.mark.parametrize("target", [
    "Their homework campaign worked.",          # an exact substring check would flag "work camp"
    "An integration workshop and site.",
    "The work is camped out.",
])
def test_no_forbidden_term(target):
    assert run(ForbiddenTermRule(), "en", "Un chantier d'insertion.", target) == []


# -- do-not-translate ------------------------------------------------------------------------------

@pytest.mark.parametrize("language,source,target,problem,span_text", [
    ("en", "Les règles de l'IAE.", "The rules of integration through economic activity.", "“IAE” is missing", None),
    ("en", "Une WISE recrute.", "A Wise is hiring.", "“WISE” is altered to “Wise”", "Wise"),
    ("de", "Les WISE recrutent.", "Die W.I.S.E. stellen ein.", "“WISE” is altered to “W.I.S.E”", "W.I.S.E"),
    ("pl", "Une SIAE et une ACI.", "SIAE i warsztat.", "“ACI” is missing", None),
])
def test_do_not_translate_missing_or_altered_is_an_error(language, source, target, problem, span_text):
    [issue] = run(DoNotTranslateRule(), language, source, target)
    assert issue.severity is Severity.ERROR and problem in issue.message
    assert (target[issue.span[0]:issue.span[1]] if issue.span else None) == span_text


@pytest.mark.parametrize("language,source,target", [
    ("en", "Une SIAE recrute.", "An SIAE is hiring."),        # "AI" inside "SIAE" is not the acronym AI
    ("en", "Les WISE recrutent.", "The WISEs are hiring."),
    ("de", "Dans l'ACI.", "Im ACI-Projekt."),
    ("en", "Une structure d'insertion.", "A work integration organisation."),
    ("en", "Une wise décision.", "A wise decision."),         # not the acronym: case matters
])
def test_do_not_translate_kept(language, source, target):
    assert run(DoNotTranslateRule(), language, source, target) == []


# -- consistency -----------------------------------------------------------------------------------

QUIZ = "Quiz : testez vos connaissances"
GOOD_ES = "Cuestionario: pon a prueba tus conocimientos"


def index_of(entries):
    return ConsistencyIndex.build("es", ((r, k, (s,), (t,)) for r, k, s, t in entries))


def consistency(entries, resource, key, source, target):
    u = unit(source, key=key, resource=resource)
    ctx = CheckContext("es", "fr", extras={CONSISTENCY: index_of(entries)})
    return list(ConsistencyRule().issues(u, tr(u, "es", target), ctx))


STORED = [("m1", "m1/quiz-1/title", QUIZ, GOOD_ES), ("m2", "m2/quiz-1/title", QUIZ, "Test: comprueba lo que sabes"),
          ("m3", "m3/quiz-1/title", QUIZ, GOOD_ES)]


def test_the_odd_one_out_is_warned():
    [issue] = consistency(STORED, "m2", "m2/quiz-1/title", QUIZ, "Test: comprueba lo que sabes")
    assert issue.severity is Severity.WARNING
    assert issue.message == ("inconsistent translation: the same source is translated as "
                             f"“{GOOD_ES}” in m1/quiz-1/title, m3/quiz-1/title")


@pytest.mark.parametrize("target", [GOOD_ES + ".", GOOD_ES.lower(), "Test: comprueba lo que sabes"])
def test_a_fourth_module_that_differs_from_the_others_is_warned(target):
    [issue] = consistency(STORED, "m4", "m4/quiz-1/title", QUIZ, target)
    assert issue.severity is Severity.WARNING and issue.message.startswith("inconsistent translation")


def test_the_majority_is_not_warned():
    assert consistency(STORED, "m1", "m1/quiz-1/title", QUIZ, GOOD_ES) == []


def test_without_majority_every_variant_is_warned():
    stored = [("m1", "m1/t", "Bonjour à tous", "Hola a todos"), ("m2", "m2/t", "Bonjour à tous", "Buenos días a todos")]
    assert len(consistency(stored, "m1", "m1/t", "Bonjour à tous", "Hola a todos")) == 1
    assert len(consistency(stored, "m2", "m2/t", "Bonjour à tous", "Buenos días a todos")) == 1


def test_the_checked_draft_replaces_the_stored_text_of_its_unit():
    # m2 is being corrected in the editor: its stored text is the old one, the draft is consistent
    assert consistency(STORED, "m2", "m2/quiz-1/title", QUIZ, GOOD_ES) == []


def test_line_breaks_and_spaces_do_not_make_a_difference():
    stored = [("v1", "v1/3", "Bonjour à toutes\net à tous", "Hola a todas\ny a todos")]
    assert consistency(stored, "v2", "v2/1", "Bonjour à toutes et à tous", "Hola a todas y a todos") == []


def test_same_translation_for_different_sources_is_info():
    stored = [("m1", "m1/a", "Il faut planifier la formation.", "Hay que planificar la formación.")]
    [issue] = consistency(stored, "m2", "m2/b", "Il faut prévoir la formation.", "Hay que planificar la formación.")
    assert issue.severity is Severity.INFO and "m1/a" in issue.message


@pytest.mark.parametrize("stored,source,named", [
    ([("m1", "m1/a", "Préparez votre plan d'action pour la semaine.", "Prepara tu plan de acción para la semana.")],
     "Préparez votre plan d'action pour l'année.", "m1/a"),
    ([("v1", "v1/3", "Bonjour à toutes\net à tous", "Hola a todas y a todos")],
     "Bonjour à toutes et à tous, ça va ?", "v1/3"),
    ([("m1", "m1/a", "Il faut planifier la formation.", "Hay que planificar la formación."),
      ("m3", "m3/b", "Il faut organiser la formation.", "Hay que planificar la formación.")],
     "Il faut prévoir la formation.", "m1/a"),
])
def test_same_translation_for_different_sources_table(stored, source, named):
    target = stored[0][3].replace("\n", " ")
    [issue] = consistency(stored, "m2", "m2/z", source, target)
    assert issue.severity is Severity.INFO and named in issue.message


@pytest.mark.parametrize("stored_source,source,target", [
    ("Il faut planifier la formation.", "il faut planifier la formation", "Hay que planificar la formación."),
    ("À tout à l'heure !", "À tout de suite !", "¡Hasta luego!"),     # short: legitimately shared
])
def test_no_info_for_trivial_differences_or_short_texts(stored_source, source, target):
    stored = [("m1", "m1/a", stored_source, target)]
    assert consistency(stored, "m2", "m2/b", source, target) == []


# -- the registered check --------------------------------------------------------------------------

def test_the_check_runs_all_rules_and_is_silent_without_its_data():
    check = TerminologyCheck()
    assert check.id == "terminology"
    u = unit("Une entreprise sociale d'insertion (WISE) dans l'IAE.")
    t = tr(u, "es", "Una empresa de inserción en el IAE.")
    assert list(check.run(u, t, CheckContext("es", "fr"))) == []
    ctx = CheckContext("es", "fr", extras={TERMS: MATCHER, CONSISTENCY: index_of([])})
    messages = [i.message for i in check.run(u, t, ctx)]
    assert len(messages) == 2
    assert messages[0].startswith("missing term") and "“WISE” is missing" in messages[1]


def test_the_consistency_index_leaves_nothing_for_the_garbage_collector():
    """The editor holds a language's index for as long as it runs: made of plain tuples and strings,
    it is untracked by the cyclic collector after one collection, so full collections (which stop
    every thread, the UI's too) do not walk its entries."""
    import gc

    from workbench.domain.checks.terminology import ConsistencyIndex

    entries = [("m1", f"m1/k{i}", (f"Source {i % 50}",), (f"Ziel {i % 70}",)) for i in range(2_000)]
    entries += [("m2", "m2/plural", ("un", "des"), ("ein", "mehrere"))]
    index = ConsistencyIndex.build("de", entries)
    gc.collect()
    gc.collect()
    containers = [index.by_unit, index.by_source, index.by_target]
    held = [v for table in containers for v in table.values()]
    held += [e for group in index.by_source.values() for e in group]
    assert not any(gc.is_tracked(v) for v in held)

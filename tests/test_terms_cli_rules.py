"""`workbench terms` as a terminologist expects: search ignores hyphens against spaces, a term of
another concept is not silently added as a new concept, contradictory term options are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.terms import Concept, Term, TermBase, search_key


def cli(project: Path, *args: str) -> int:
    return main(["--project", str(project), "--user", "coordinator", "terms", *args])


@pytest.fixture
def project(demo_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return demo_dir


def _ids(capsys) -> list[str]:
    return [c["id"] for c in json.loads(capsys.readouterr().out)]


# -- search: hyphens and spaces alike --------------------------------------------------------

SMALL = TermBase((
    Concept("tiers-lieu", {"fr": (Term("tiers-lieu"),)}),
    Concept("porte-a-porte", {"fr": (Term("porte à porte"),)}),
    Concept("ei", {"fr": (Term("entreprise d'insertion"),)}),
))


@pytest.mark.parametrize("query,found", [
    ("tiers lieu", ["tiers-lieu"]),
    ("tiers-lieu", ["tiers-lieu"]),
    ("Tiers  Lieu", ["tiers-lieu"]),
    ("tiers\u2011lieu", ["tiers-lieu"]),          # a non-breaking hyphen
    ("porte-à-porte", ["porte-a-porte"]),
    ("porte a porte", ["porte-a-porte"]),
    ("entreprise d\u2019insertion", ["ei"]),     # a typographic apostrophe
    ("tierslieu", []),                           # no separator at all is another word
    ("tiers lieux", []),
])
def test_search_treats_hyphens_and_spaces_alike(query, found):
    assert [c.id for c in SMALL.search(query)] == found


@pytest.mark.parametrize("text,key", [
    ("Tiers-Lieu", "tiers lieu"), ("micro – certification", "micro certification"), (" a\t-\nb ", "a b"),
    ("l\u2019économie", "l'economie"),
])
def test_search_key(text, key):
    assert search_key(text) == key


@pytest.mark.parametrize("query,concept", [
    ("tiers lieu", "tiers-lieu"),               # added as "tiers-lieu" below
    ("long term unemployed", "chomeur-longue-duree"),
    ("micro certification", "micro-certification"),
    ("work-integration social enterprise", "wise"),
    ("chantier-d'insertion", "aci"),
])
def test_cli_search_finds_hyphenated_terms_from_spaced_queries(project, capsys, query, concept):
    assert cli(project, "add", "--preferred", "fr=tiers-lieu") == 0
    capsys.readouterr()
    assert cli(project, "search", query, "--json") == 0
    assert concept in _ids(capsys)


# -- add: a term another concept has -------------------------------------------------------

@pytest.mark.parametrize("args,language,text,other", [
    (("--preferred", "fr=entreprise sociale"), "fr", "entreprise sociale", "entreprise-sociale"),
    (("--preferred", "fr=Entreprise Sociale"), "fr", "Entreprise Sociale", "entreprise-sociale"),
    (("--admitted", "fr=chantier d'insertion"), "fr", "chantier d'insertion", "aci"),
    (("--preferred", "fr=ressourcerie", "--preferred", "de=Sozialunternehmen"), "de", "Sozialunternehmen",
     "entreprise-sociale"),
    (("--dnt", "fr=WISE"), "fr", "WISE", "wise"),
])
def test_add_refuses_a_term_that_another_concept_has(project, capsys, args, language, text, other):
    path = project / "glossaries" / "ess.tbx"
    before = path.read_bytes()
    assert cli(project, "add", *args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"the {language} term {text!r} is already a term of concept {other}" in err
    assert f"workbench terms edit {other}" in err and "--homonym" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize("args,new_id", [
    (("--preferred", "fr=entreprise sociale", "--homonym"), "entreprise-sociale-2"),
    (("--preferred", "fr=entreprise sociale", "--homonym", "--id", "es-juridique"), "es-juridique"),
    (("--preferred", "fr=entreprise sociale agréée"), "entreprise-sociale-agreee"),   # a longer term is no homonym
    (("--preferred", "fr=cooperative", "--preferred", "en=cooperative"), None),         # same text, other language
])
def test_add_takes_a_homonym_when_asked_and_what_is_no_homonym(project, capsys, args, new_id):
    if new_id is None:    # "cooperative" is the English term of concept cooperative, not a French one
        assert cli(project, "add", *args) == 2
        assert "the en term 'cooperative' is already a term of concept cooperative" in capsys.readouterr().err
        return
    assert cli(project, "add", *args) == 0
    assert f"added concept {new_id} " in capsys.readouterr().out


@pytest.mark.parametrize("args,code,message", [
    (("wise", "--admitted", "fr=entreprise sociale"), 2, "already a term of concept entreprise-sociale"),
    (("wise", "--admitted", "fr=entreprise sociale", "--homonym"), 0, "changed concept wise"),
    (("wise", "--admitted", "fr=entreprise sociale d'insertion"), 0, "changed concept wise"),   # its own term
    (("aci", "--preferred", "en=work camp"), 0, "changed concept aci"),                      # its own term
])
def test_edit_refuses_a_term_of_another_concept_too(project, capsys, args, code, message):
    assert cli(project, "edit", *args) == code
    out = capsys.readouterr()
    assert message in (out.err if code else out.out)


def test_a_homonym_taken_is_recorded_shown_and_kept_by_later_edits(project, capsys):
    assert cli(project, "add", "--id", "es-juridique", "--preferred", "fr=entreprise sociale", "--homonym") == 0
    assert cli(project, "edit", "es-juridique", "--admitted", "fr=entreprise sociale") == 0   # re-status only
    capsys.readouterr()
    assert cli(project, "show", "es-juridique", "--lang", "fr") == 0
    assert "  entreprise sociale (admitted) [homonym of entreprise-sociale]" in capsys.readouterr().out
    # a third concept with the term is asked about again, naming both concepts that have it
    assert cli(project, "add", "--preferred", "fr=entreprise sociale") == 2
    assert "is already a term of concepts entreprise-sociale, es-juridique" in capsys.readouterr().err


# -- edit: contradictory term options --------------------------------------------------------

@pytest.mark.parametrize("args,message", [
    (("--remove", "en=work camp", "--preferred", "en=work camp"),
     "the en term 'work camp' is given with both --preferred and --remove: choose one"),
    (("--preferred", "en=work camp", "--remove", "en=work camp"),
     "the en term 'work camp' is given with both --preferred and --remove: choose one"),
    (("--forbidden", "en=work camp", "--remove", "en=work camp"), "both --forbidden and --remove"),
    (("--preferred", "de=Kompass", "--admitted", "de=Kompass"), "the de term 'Kompass' is given with both "
                                                                 "--preferred and --admitted"),
    (("--dnt", "en=ACI", "--forbidden", "en=ACI"), "both --forbidden and --dnt"),
    (("--admitted", "en=work  camp", "--remove", "en=work camp"), "both --admitted and --remove"),
])
def test_edit_refuses_contradictory_term_options(project, capsys, args, message):
    path = project / "glossaries" / "ess.tbx"
    before = path.read_bytes()
    assert cli(project, "edit", "aci", *args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert path.read_bytes() == before


@pytest.mark.parametrize("args,expected", [
    (("--remove", "en=work camp"), []),
    (("--preferred", "en=work camp", "--preferred", "en=work camp"), [("work camp", "preferred")]),
    (("--remove", "en=work camp", "--remove", "en=work camp"), "has no en term"),
])
def test_edit_without_contradiction(project, capsys, args, expected):
    code = cli(project, "edit", "aci", *args)
    if isinstance(expected, str):   # removing twice: the second finds nothing, one line
        assert code == 2 and expected in capsys.readouterr().err
        return
    assert code == 0
    capsys.readouterr()
    assert cli(project, "show", "aci", "--json") == 0
    terms = json.loads(capsys.readouterr().out)["terms"]["en"]
    assert [(t["text"], t["status"]) for t in terms if t["text"] == "work camp"] == expected


# -- definitions and their sources through the command line ----------------------------------------

def test_definition_and_its_source_are_shown_and_set(project, capsys):
    assert cli(project, "show", "iae", "--lang", "fr") == 0
    out = capsys.readouterr().out
    assert "  definition: Dispositif français" in out and "  definition source: Code du travail, art. L5132-1" in out
    assert cli(project, "edit", "badge-numerique", "--definition-source", "fr=Open Badges 3.0") == 0
    capsys.readouterr()
    assert cli(project, "show", "badge-numerique", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["definition_sources"] == {"fr": "Open Badges 3.0"} and data["definitions"]["fr"].startswith("Représentation")
    assert cli(project, "edit", "badge-numerique", "--definition-source", "de=x") == 2
    assert "has no de definition" in capsys.readouterr().err

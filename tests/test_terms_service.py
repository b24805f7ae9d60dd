"""The term base service and `workbench terms`: load, search, add, edit, import/export, coverage,
and the terminology check on the demo course."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.errors import FormatError, FormatErrors, UnknownLanguageError, WorkbenchError
from workbench.domain.terms import Concept, Term, TermBase, TermError, TermStatus
from workbench.formats.glossary_csv import write_glossary_csv
from workbench.services.context import Workbench
from workbench.services.terms import (
    add_concept, coverage_report, edit_concept, export_termbase, get_concept, import_glossary,
    load_termbase, matcher_for, search_concepts, terminology_extras,
)


@pytest.fixture
def wb(demo_dir, sqlite_url):
    workbench = Workbench.open(demo_dir, db=sqlite_url, user="coordinator")
    yield workbench
    workbench.close()


def test_the_demo_term_base_loads(wb):
    loaded = load_termbase(wb.project)
    assert len(loaded.termbase) >= 35
    assert loaded.file_of("wise") == wb.project.glossaries / "ess.tbx"
    assert [c.id for c in search_concepts(wb, "Sozialunternehmen", language="de")] == ["entreprise-sociale"]
    assert get_concept(wb, "neet").do_not_translate("fr")[0].text == "NEET"


def test_a_concept_defined_twice_is_refused(wb):
    (wb.project.glossaries / "extra.csv").write_bytes(
        write_glossary_csv(TermBase((Concept("wise", {"fr": (Term("x"),)}),))))
    with pytest.raises(FormatError, match=r"glossaries/extra.csv: concept id 'wise' is also defined in glossaries/ess.tbx"):
        load_termbase(wb.project)


def test_a_broken_glossary_names_its_line(wb):
    (wb.project.glossaries / "broken.tbx").write_text("<tbx>\n<text><body>\n<conceptEntry>\n", encoding="utf-8")
    with pytest.raises(FormatError) as info:
        load_termbase(wb.project)
    assert str(info.value).startswith("glossaries/broken.tbx:4: not well-formed XML")


def test_add_then_edit_writes_back_to_the_file(wb):
    path = wb.project.glossaries / "ess.tbx"
    before = path.read_bytes()
    written = add_concept(wb, Concept("boussole", {"fr": (Term("boussole"),), "de": (Term("Kompass"),)}))
    assert written == path and path.read_bytes() != before
    assert get_concept(wb, "boussole").label("de") == "Kompass"
    edit_concept(wb, "boussole", lambda c: c.with_term("de", Term("Kompass", TermStatus.FORBIDDEN)))
    assert get_concept(wb, "boussole").forbidden("de")[0].text == "Kompass"
    assert not list(wb.project.glossaries.glob(".*.tmp")), "atomic writes leave no temporary file"
    # the matcher follows the file
    assert [m.concept_id for m in matcher_for(wb.project).find("die Kompasse", "de")] == ["boussole"]


def test_refused_changes_leave_the_file_alone(wb):
    path = wb.project.glossaries / "ess.tbx"
    before = path.read_bytes()
    with pytest.raises(TermError, match="exists already"):
        add_concept(wb, Concept("wise", {"fr": (Term("x"),)}))
    with pytest.raises(UnknownLanguageError):
        add_concept(wb, Concept("new", {"pt": (Term("x"),)}))
    with pytest.raises(TermError, match="cannot be changed"):
        edit_concept(wb, "wise", lambda c: Concept("other"))
    broken = wb.project.root / "incoming.csv"
    broken.write_text("concept,language,term,status\nc,fr,x,best\n", encoding="utf-8")
    with pytest.raises(FormatErrors):
        import_glossary(wb, broken)
    assert path.read_bytes() == before


def test_a_concept_from_a_csv_file_is_written_back_as_csv(wb):
    csv_path = wb.project.glossaries / "local.csv"
    csv_path.write_text("concept,language,term,status\nlocal,fr,ressourcerie,preferred\n", encoding="utf-8")
    edit_concept(wb, "local", lambda c: c.with_term("de", Term("Re-Use-Betrieb")))
    assert "local,de,Re-Use-Betrieb,preferred" in csv_path.read_text(encoding="utf-8")


def test_export_and_import_round_trip(wb, tmp_path):
    for name in ("all.tbx", "all.csv"):
        target = tmp_path / name
        assert export_termbase(wb, target) == len(load_termbase(wb.project).termbase)
        result = import_glossary(wb, target)
        assert (result.added, result.updated) == (0, 0) and result.unchanged >= 35
    incoming = tmp_path / "new.csv"
    incoming.write_text("concept,language,term,status\n"
                        "wise,fr,entreprise sociale d'insertion,preferred\n"
                        "ressourcerie,fr,ressourcerie,preferred\n", encoding="utf-8")
    result = import_glossary(wb, incoming)
    assert (result.added, result.updated) == (1, 1)
    assert get_concept(wb, "wise").terms_in("en") == ()
    with pytest.raises(WorkbenchError, match="unknown term base format"):
        export_termbase(wb, tmp_path / "terms.xlsx")


def test_coverage_per_language(wb):
    from workbench.services.importing import import_project

    assert not import_project(wb).errors
    rows = {r.language: r for r in coverage_report(wb)}
    en, de = rows["en"], rows["de"]
    assert en.concepts == de.concepts >= 35
    assert en.preferred > de.preferred > rows["pl"].preferred
    assert de.units_with_terms == en.units_with_terms > 0
    assert de.units_missing > en.units_missing
    assert "small-talk" in de.missing_concepts and "small-talk" not in en.missing_concepts
    assert "neet" not in de.missing_concepts   # kept as is everywhere
    assert rows["fr"].units_missing == 0


def test_terminology_extras(wb):
    with wb.store.transaction() as conn:
        extras = terminology_extras(conn, wb.project, "de")
    assert set(extras) == {"terms", "consistency"}


def test_terminology_check_on_the_demo_catalogs_reports_the_planted_problems(demo_wb):
    """The catalog problems of demo/PLANTED-catalogs.md, and nothing else."""
    from workbench.services.checks import check_project

    report = check_project(demo_wb, checks=["terminology"])
    catalog_issues = sorted((f.language, f.key, f.issue.severity.value, f.issue.message.split(":")[0])
                            for f in report.issues if f.resource in ("m1", "m2", "m3"))
    assert catalog_issues == [
        ("de", "m2/lesson-2/p3", "warning", "missing term"),
        ("es", "m2/quiz-1/title", "warning", "inconsistent translation"),
    ]
    [de] = [f for f in report.issues if f.key == "m2/lesson-2/p3"]
    assert "“Sozialunternehmen”" in de.issue.message and "“entreprise sociale”" in de.issue.message


# -- the command line ------------------------------------------------------------------------------

def cli(project: Path, *args: str) -> int:
    return main(["--project", str(project), "--user", "coordinator", "terms", *args])


def test_cli_search_show_add_edit_coverage(demo_dir, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert cli(demo_dir, "search", "insertion", "--lang", "en") == 0
    out = capsys.readouterr().out
    assert "salarie-en-insertion" in out and "employee on an integration programme (preferred)" in out
    assert cli(demo_dir, "show", "aci", "--lang", "en") == 0
    out = capsys.readouterr().out
    assert "work camp (forbidden)" in out and "tags: french-only" in out
    assert cli(demo_dir, "add", "--preferred", "fr=ressourcerie", "--admitted", "de=Re-Use-Betrieb",
               "--definition", "en=A reuse centre", "--tag", "local") == 0
    assert "added concept ressourcerie to glossaries/ess.tbx" in capsys.readouterr().out
    assert cli(demo_dir, "edit", "ressourcerie", "--preferred", "de=Re-Use-Betrieb", "--dnt", "en=RREUSE",
               "--note", "network") == 0
    capsys.readouterr()
    assert cli(demo_dir, "show", "ressourcerie", "--json") == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["terms"]["de"][0] == {"text": "Re-Use-Betrieb", "status": "preferred", "type": "fullForm", "note": "",
                                       "homonym_of": []}
    assert data["terms"]["en"][0]["status"] == "do-not-translate" and data["terms"]["en"][0]["type"] == "acronym"
    assert data["note"] == "network" and data["tags"] == ["local"]
    assert cli(demo_dir, "coverage", "--lang", "de", "--lang", "en") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["lang", "concepts", "preferred"]


@pytest.mark.parametrize("args,message", [
    (("show", "nope"), "no concept 'nope'"),
    (("add", "--preferred", "xx=foo"), "unknown language 'xx'"),
    (("add", "--preferred", "fr"), "write LANG=TEXT"),
    (("add",), "give at least one term"),
    (("edit", "wise", "--remove", "de=Nichts"), "has no de term 'Nichts'"),
])
def test_cli_errors_are_one_line(demo_dir, capsys, monkeypatch, tmp_path, args, message):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert cli(demo_dir, *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def _index(wb, language: str):
    from workbench.services.terms import consistency_index

    with wb.store.read() as conn:
        return consistency_index(conn, language)


def _settle_indexes(monkeypatch):
    """As if the last import were long ago: a quick signature alone tells (see terms.SYNC_MARGIN)."""
    from datetime import timedelta

    from workbench.services import terms

    later = terms._now() + timedelta(hours=1)
    monkeypatch.setattr(terms, "_now", lambda: later)


def _no_scan(monkeypatch):
    """Reading a language's translations (the exact signature, a build) fails the test."""
    from workbench.services import terms

    def scan(*args, **kwargs):
        raise AssertionError("the language's translations were read")
    monkeypatch.setattr(terms, "exact_signature", scan)
    monkeypatch.setattr(terms.ConsistencyIndex, "build", scan)


def test_the_consistency_index_is_kept_until_a_text_changes(demo_wb, monkeypatch):
    from workbench.services.editing import get_translation, save_translation

    _settle_indexes(monkeypatch)
    first = _index(demo_wb, "es")
    with monkeypatch.context() as m:
        _no_scan(m)
        assert _index(demo_wb, "es") is first                 # unchanged: one quick query, no scan
    current = get_translation(demo_wb, resource="m2", key="m2/quiz-1/title", language="es")
    save_translation(demo_wb, resource="m2", key="m2/quiz-1/title", language="es",
                     forms=["Cuestionario: pon a prueba tus conocimientos"], base_version=current.version)
    again = _index(demo_wb, "es")
    assert again is not first
    variants = {target for _, _, _, target in again.by_source[("Quiz : testez vos connaissances",)]}
    assert variants == {("Cuestionario: pon a prueba tus conocimientos",)}
    assert _index(demo_wb, "de") is not None
    current = get_translation(demo_wb, resource="m2", key="m2/quiz-1/title", language="de")
    save_translation(demo_wb, resource="m2", key="m2/quiz-1/title", language="de",
                     forms=["Quiz: Testen Sie Ihr Wissen"], base_version=current.version)
    with monkeypatch.context() as m:
        m.setattr("workbench.services.terms.ConsistencyIndex.build", _fail)
        assert _index(demo_wb, "es") is again                 # another language's save: not built again


def _fail(*args, **kwargs):
    raise AssertionError("built again")


def test_the_consistency_index_forgets_a_unit_the_template_no_longer_has(demo_wb, monkeypatch):
    """Obsoleting a unit writes no history; the import records the template's new hash instead."""
    from workbench.services.importing import import_project

    _settle_indexes(monkeypatch)
    before = _index(demo_wb, "es")
    assert ("m2", "m2/quiz-1/title") in before.by_unit
    template = demo_wb.project.root / "locales" / "m2.pot"
    text = template.read_text(encoding="utf-8")
    start = text.rindex("\n\n", 0, text.index('msgctxt "m2/quiz-1/title"'))
    end = text.index("\n\n", start + 2)
    template.write_text(text[:start] + text[end:], encoding="utf-8")      # the entry removed
    assert not import_project(demo_wb).errors
    after = _index(demo_wb, "es")
    assert ("m2", "m2/quiz-1/title") not in after.by_unit
    assert len(after.by_unit) == len(before.by_unit) - 1


def test_right_after_an_import_the_index_is_confirmed_by_its_exact_signature(demo_wb, monkeypatch):
    """A file sync stamped near the build may commit after it: the language's translations are
    counted again (not indexed again) until the sync is SYNC_MARGIN seconds old."""
    from datetime import timedelta

    from workbench.services import terms

    with demo_wb.store.read() as conn:
        synced = terms.quick_signature(conn)[-1].replace(tzinfo=None)
    monkeypatch.setattr(terms, "_now", lambda: synced + timedelta(seconds=1))   # a moment after the import
    first = _index(demo_wb, "es")
    counted = []
    exact = terms.exact_signature
    monkeypatch.setattr(terms, "exact_signature", lambda conn, language: counted.append(language) or exact(conn, language))
    monkeypatch.setattr(terms.ConsistencyIndex, "build", _fail)
    assert _index(demo_wb, "es") is first and counted == ["es"]
    _settle_indexes(monkeypatch)
    assert _index(demo_wb, "es") is first and counted == ["es", "es"]   # confirmed now, and settled
    assert _index(demo_wb, "es") is first and counted == ["es", "es"]


# -- who may change the term base ------------------------------------------------------------

def _people(wb):
    from dataclasses import replace

    from workbench.services.users import add_user
    add_user(wb, "cora", role="coordinator")
    add_user(replace(wb, user="cora"), "rita", role="reviewer", languages=["de"])
    add_user(replace(wb, user="cora"), "tina", role="translator", languages=["de"])
    return {name: replace(wb, user=name) for name in ("cora", "rita", "tina", "nobody")}


@pytest.mark.parametrize("who, allowed", [("cora", True), ("rita", True), ("tina", False), ("nobody", False)])
def test_the_terms_of_a_language_are_edited_by_its_reviewers(wb, who, allowed):
    people = _people(wb)
    path = wb.project.glossaries / "ess.tbx"
    before = path.read_bytes()

    def change(c):
        return c.with_term("de", Term("Arbeitsintegrationsbetrieb", TermStatus.ADMITTED))
    if allowed:
        edit_concept(people[who], "wise", change)
        assert "Arbeitsintegrationsbetrieb" in [t.text for t in get_concept(wb, "wise").terms_in("de")]
    else:
        with pytest.raises(WorkbenchError, match=r"rule: (terms-of-language|known-user)"):
            edit_concept(people[who], "wise", change)
        assert path.read_bytes() == before


@pytest.mark.parametrize("change", [
    lambda c: c.with_term("es", Term("empresa de inserción", TermStatus.ADMITTED)),   # another language
    lambda c: replace_note(c, "a new note"),                                            # the concept itself
])
def test_a_reviewer_changes_nothing_outside_their_language(wb, change):
    people = _people(wb)
    path = wb.project.glossaries / "ess.tbx"
    before = path.read_bytes()
    with pytest.raises(WorkbenchError, match=r"rule: terms-of-language"):
        edit_concept(people["rita"], "wise", change)
    with pytest.raises(WorkbenchError, match=r"rule: terms-of-language"):
        add_concept(people["rita"], Concept("boussole", {"fr": (Term("boussole"),), "de": (Term("Kompass"),)}))
    assert path.read_bytes() == before
    add_concept(people["cora"], Concept("boussole", {"fr": (Term("boussole"),), "de": (Term("Kompass"),)}))
    assert get_concept(wb, "boussole").label("de") == "Kompass"


def replace_note(concept, note):
    from dataclasses import replace
    return replace(concept, note=note)


def test_only_the_last_few_indexes_are_kept(demo_wb, monkeypatch):
    """A re-check of every language keeps two indexes in memory, not one per language."""
    from workbench.services import terms

    _settle_indexes(monkeypatch)
    monkeypatch.setattr(terms, "INDEXES_KEPT", 2)
    es = _index(demo_wb, "es")
    de = _index(demo_wb, "de")
    assert _index(demo_wb, "es") is es                       # used last: kept
    _index(demo_wb, "nl")                                    # de, the least recently used, goes
    assert _index(demo_wb, "es") is es
    assert _index(demo_wb, "de") is not de

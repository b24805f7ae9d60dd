"""Coordinators import and export; an approved-only export of the demo holds exactly the approved texts."""

from __future__ import annotations

import pytest
from review_support import as_user, make_project

from workbench.cli import main
from workbench.domain.errors import PermissionDeniedError
from workbench.domain.states import State
from workbench.formats.base import SourceDocument
from workbench.formats.registry import translation_format
from workbench.services.exporting import export_project
from workbench.services.importing import import_project
from workbench.services.layout import export_paths, source_files, translation_file
from workbench.storage import repository as repo

CASES = [
    ("coordinator-imports", "coord", "import", None),
    ("coordinator-exports", "coord", "export", None),
    ("translator-cannot-import", "tde", "import", "coordinator-only"),
    ("reviewer-cannot-export", "rde", "export", "coordinator-only"),
    ("stranger-cannot-export", "nobody", "export", "known-user"),
]


@pytest.mark.parametrize("actor,what,rule", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_only_coordinators_import_and_export(tmp_path, db_url, actor, what, rule):
    wb = make_project(tmp_path / "course", db_url)
    run = import_project if what == "import" else export_project
    if rule is None:
        run(as_user(wb, actor))
    else:
        with pytest.raises(PermissionDeniedError) as info:
            run(as_user(wb, actor))
        assert info.value.rule == rule
    wb.close()


def read_files(wb, paths_for) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(language, resource, key) -> forms of every non-empty entry; `paths_for` picks the files."""
    found = {}
    with wb.store.transaction() as conn:
        for source in source_files(wb.project):
            resource = repo.get_resource(conn, source.resource)
            units = repo.units_of(conn, resource["id"], source.resource)
            for language in wb.settings.target_languages:
                for path, state in paths_for(source, language):
                    fmt = translation_format(path.suffix)
                    doc = fmt.read_translation(path, language=language, units=units,
                                               display_path=wb.project.relative(path),
                                               source=SourceDocument(source.resource, source.kind, units))
                    for key, entry in doc.entries.items():
                        if any(entry.forms) and (state is None or entry.state is state):
                            found[(language, source.resource, key)] = tuple(entry.forms)
    return found


def test_export_approved_only_of_the_demo_holds_exactly_the_approved_translations(demo_wb, demo_url, capsys):
    wb = demo_wb
    # what the demo's own files mark approved, read before the export overwrites them
    def originals(source, language):
        path = translation_file(wb.project, source, language)
        return [(path, State.APPROVED)] if path is not None else []

    expected = read_files(wb, originals)
    assert {lang for lang, _, _ in expected} == {"en", "de", "es"}
    # what the database holds approved
    with wb.store.transaction() as conn:
        approved = {}
        for source in source_files(wb.project):
            resource = repo.get_resource(conn, source.resource)
            for language in wb.settings.target_languages:
                for key, t in repo.translations_of(conn, resource["id"], source.resource, language).items():
                    if t.state is State.APPROVED:
                        approved[(language, source.resource, key)] = t.forms
    assert approved == expected

    assert main(["export", "--approved-only", "--omit-untranslated-cues", "--project", str(wb.project.root),
                 "--db", demo_url, "--user", "coordinator"]) == 0
    capsys.readouterr()

    def exported(source, language):
        release = wb.project.root / "dist"
        return [(q, None) for p in export_paths(wb.project, source, language)
                if p.suffix in (".po", ".vtt") and (q := release / p.relative_to(wb.project.root)).is_file()]

    assert read_files(wb, exported) == expected
    # the working files are untouched: they still say what the demo's files said
    assert read_files(wb, originals) == expected


def test_plain_approved_only_export_shows_the_source_for_unapproved_cues(demo_wb, demo_url, capsys):
    wb = demo_wb
    expected = read_files(wb, lambda s, l: [(p, State.APPROVED)] if (p := translation_file(wb.project, s, l)) else [])
    assert main(["export", "--approved-only", "--project", str(wb.project.root), "--db", demo_url,
                 "--user", "coordinator"]) == 0
    capsys.readouterr()
    release = wb.project.root / "dist"
    got = read_files(wb, lambda s, l: [(q, None) for p in export_paths(wb.project, s, l)
                                       if p.suffix in (".po", ".vtt")
                                       and (q := release / p.relative_to(wb.project.root)).is_file()])
    kinds = {s.resource: s.kind for s in source_files(wb.project)}
    # catalogs: exactly the approved translations
    assert {k: v for k, v in got.items() if kinds[k[1]] == "catalog"} == \
        {k: v for k, v in expected.items() if kinds[k[1]] == "catalog"}
    # subtitles: every approved cue translated; every other cue shows the source text
    with wb.store.transaction() as conn:
        sources = {}
        for s in source_files(wb.project):
            if s.kind == "subtitles":
                resource = repo.get_resource(conn, s.resource)
                for u in repo.units_of(conn, resource["id"], s.resource):
                    sources[(s.resource, u.key)] = u.source
    cues = {k: v for k, v in got.items() if kinds[k[1]] == "subtitles"}
    assert cues
    for (language, resource, key), forms in cues.items():
        assert forms == expected.get((language, resource, key), (sources[(resource, key)],))
    assert all(k in cues for k in expected if kinds[k[1]] == "subtitles")


def test_the_coordinator_who_imported_a_file_may_approve_its_texts(demo_wb):
    """Import does not make the importer the author: the four-eyes rule is about who wrote a text."""
    from workbench.services.review import approve, pending_review

    item = pending_review(demo_wb, language="de")[0]
    assert item.translation.author is None
    approved = approve(demo_wb, resource=item.unit.resource, key=item.unit.key, language="de")
    assert approved.state is State.APPROVED

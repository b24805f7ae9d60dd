"""The editor's text search: substrings of source and translation text, before and after the
trigram index (SQLite) has caught up, after edits and re-imports; PostgreSQL scans."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from workbench.domain.query import parse_filter
from workbench.services import browse, editing
from workbench.services.context import Workbench
from workbench.services.importing import import_project
from workbench.storage import text_search

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path, db_url):
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    wb = Workbench.open(target, db=db_url)
    import_project(wb)
    yield wb
    wb.close()


@pytest.fixture(params=["scanned", "indexed"])
def wb(request, mini):
    """The mini course with the index left behind (what an import leaves) or caught up."""
    if request.param == "indexed":
        browse.index_text(mini, language="de")
    return mini


def keys(wb, query: str) -> list[str]:
    f = parse_filter(query)
    found = [r.key for r in browse.page(wb, language="de", filter=f)]
    assert browse.count(wb, language="de", filter=f) == len(found)
    return found


def save(wb, key: str, forms: list[str]) -> None:
    current = editing.get_translation(wb, resource="m1", key=key, language="de")
    editing.save_translation(wb, resource="m1", key=key, language="de", forms=forms,
                             base_version=current.version)


def test_a_substring_of_the_source_is_found(wb):
    assert keys(wb, "conversation") == ["m1/lesson-1/p1"]
    assert keys(wb, '"ouvre la conv"') == ["m1/lesson-1/p1"]
    assert keys(wb, "source:confian") == ["m1/quiz-1/q1/feedback"]


def test_a_substring_of_the_translation_is_found(wb):
    assert keys(wb, "Gespräch") == ["m1/lesson-1/p1"]
    assert keys(wb, "target:Kollegin") == ["m1/lesson-1/p1"]
    assert keys(wb, "target:conversation") == []
    assert keys(wb, "source:Gespräch") == []


def test_plural_forms_are_searched(wb):
    assert keys(wb, "questions") == ["m1/quiz-1/result"]
    assert keys(wb, "target:Fragen") == ["m1/quiz-1/result"]


def test_case_is_ignored_accents_are_not(wb):
    assert keys(wb, "SMALLTALK") == ["m1/lesson-1/title", "m1/lesson-1/p1", "m1/quiz-1/q1"]
    assert keys(wb, "collègue") == ["m1/lesson-1/p1"]
    assert keys(wb, "collegue") == []


def test_short_needles_and_other_filters_combine(wb):
    assert keys(wb, "Wo") == ["m1/quiz-1/q1"]
    assert keys(wb, "state:draft lien") == []
    assert keys(wb, "kind:quiz lien") == ["m1/quiz-1/q1/choice-a", "m1/quiz-1/q1/feedback"]
    assert keys(wb, "lien confiance") == ["m1/quiz-1/q1/feedback"]
    assert keys(wb, '"100%" lien') == []


def test_an_edit_is_found_at_once_and_after_indexing(wb):
    save(wb, "m1/lesson-1/p1", ["Smalltalk beginnt das Gespräch mit einem Kollegen."])
    save(wb, "m1/quiz-1/q1/choice-a", ["Eine Verbindung schaffen"])
    for _ in range(2):
        assert keys(wb, "Kollegin") == []
        assert keys(wb, "Kollegen") == ["m1/lesson-1/p1"]
        assert keys(wb, "Verbindung") == ["m1/quiz-1/q1/choice-a"]
        browse.index_text(wb)


def test_a_changed_source_is_found_after_the_import(wb):
    pot = wb.project.root / "locales" / "m1.pot"
    pot.write_text(pot.read_text(encoding="utf-8").replace("avec un collègue", "avec une cliente"),
                   encoding="utf-8")
    import_project(wb)
    for _ in range(2):
        assert keys(wb, "cliente") == ["m1/lesson-1/p1"]
        assert keys(wb, "collègue") == []
        browse.index_text(wb)


def test_the_index_catches_up_with_rows_imported_later(tmp_path, sqlite_url):
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    wb = Workbench.open(target, db=sqlite_url)
    try:
        browse.index_text(wb)                   # nothing yet
        import_project(wb)
        with wb.store.read() as conn:
            assert text_search.available(conn)
            assert text_search.backlog(conn) > 0
        assert browse.index_text(wb) > 0
        with wb.store.read() as conn:
            assert text_search.backlog(conn) == 0
        save(wb, "m1/lesson-1/title", ["Plaudern"])
        with wb.store.read() as conn:
            assert text_search.backlog(conn) == 1
        assert browse.index_text(wb) == 1
        assert browse.index_text(wb) == 0
        assert keys(wb, "Plaudern") == ["m1/lesson-1/title"]
    finally:
        wb.close()


def test_the_index_folds_case_beyond_ascii(mini):
    if mini.store.dialect != "sqlite":
        pytest.skip("PostgreSQL's ILIKE folds case as the database's locale says")
    browse.index_text(mini)
    assert keys(mini, "À QUOI") == ["m1/quiz-1/q1"]
    assert keys(mini, "GESPRÄCH") == ["m1/lesson-1/p1"]


def test_the_index_is_looked_up_once_caught_up(mini):
    """The index, not a scan, answers once it holds every row (a scan would find the text below,
    written behind its back: only imports change a source, and they tell it)."""
    if mini.store.dialect != "sqlite":
        pytest.skip("SQLite only")
    browse.index_text(mini)
    with mini.store.transaction() as conn:
        conn.execute(text("UPDATE unit SET source = 'xyzzy' WHERE key = 'm1/lesson-1/title'"))
    assert keys(mini, "xyzzy") == []
    assert keys(mini, '"le small talk"') == ["m1/lesson-1/title", "m1/lesson-1/p1", "m1/quiz-1/q1"]


def test_a_changed_translation_is_found_after_the_import(wb):
    po = wb.project.root / "locales" / "de" / "LC_MESSAGES" / "m1.po"
    po.write_text(po.read_text(encoding="utf-8").replace("mit einer Kollegin", "mit einem Kunden"),
                  encoding="utf-8")
    import_project(wb)
    for _ in range(2):
        assert keys(wb, "Kunden") == ["m1/lesson-1/p1"]
        assert keys(wb, "Kollegin") == []
        browse.index_text(wb)

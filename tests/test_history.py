"""History records every kind of change; revert restores an earlier text as a new change."""

from __future__ import annotations

import pytest
from review_support import as_user, make_project

from workbench.domain.errors import NotFoundError, PermissionDeniedError, WorkbenchError
from workbench.domain.states import State
from workbench.domain.translations import Origin
from workbench.services.editing import get_translation, save_translation, suggest_translation
from workbench.services.history import history, revert
from workbench.services.importing import import_project
from workbench.services.review import approve, reject

KEY = "m1/p1"
WHERE = dict(resource="m1", key=KEY, language="de")


@pytest.fixture
def wb(tmp_path, db_url):
    wb = make_project(tmp_path / "course", db_url)
    yield wb
    wb.close()


def version(wb) -> int:
    return get_translation(wb, **WHERE).version


def test_every_kind_of_change_is_recorded(wb, tmp_path):
    tde, rde = as_user(wb, "tde"), as_user(wb, "rde")
    suggest_translation(tde, **WHERE, forms=["Gedächtnis"], origin=Origin.MEMORY)
    suggest_translation(as_user(wb, "coord"), **WHERE, forms=["Maschine"], origin=Origin.machine("fake"))
    save_translation(tde, **WHERE, forms=["Mensch"], base_version=version(wb))
    reject(rde, **WHERE, comment="Tippfehler?")
    save_translation(tde, **WHERE, forms=["Mensch!"], base_version=version(wb))
    approve(rde, **WHERE)
    revert(tde, **WHERE, to_version=3)
    # the source changes: an import makes the translation stale
    root = wb.project.root
    pot = root / "locales" / "m1.pot"
    pot.write_text(pot.read_text(encoding="utf-8").replace("Texte m1/p1", "Texte m1/p1 (nouveau)"),
                   encoding="utf-8")
    assert not import_project(wb).errors
    changes = history(wb, **WHERE)
    assert [c.version for c in changes] == list(range(1, 9))
    assert [(c.action, c.user, c.old_state.value, c.new_state.value) for c in changes] == [
        ("suggest", "tde", "untranslated", "draft"),
        ("suggest", "coord", "draft", "draft"),
        ("edit", "tde", "draft", "translated"),
        ("reject", "rde", "translated", "draft"),
        ("edit", "tde", "draft", "translated"),
        ("approve", "rde", "translated", "approved"),
        ("revert", "tde", "approved", "translated"),
        ("source-changed", "coord", "translated", "draft"),
    ]
    assert [c.new_forms for c in changes] == [
        ("Gedächtnis",), ("Maschine",), ("Mensch",), ("Mensch",), ("Mensch!",), ("Mensch!",),
        ("Mensch",), ("Mensch",)]
    assert changes[0].old_forms == ("",)
    assert [c.origin for c in changes[:3]] == ["tm", "mt:fake", "human"]
    assert changes[3].comment == "Tippfehler?"
    assert changes[6].comment == "revert to version 3"
    assert all(c.at is not None for c in changes)


def test_import_of_a_translation_file_is_recorded(wb):
    po = wb.project.root / "locales" / "de" / "LC_MESSAGES" / "m1.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n\n'
                  'msgctxt "m1/p1"\nmsgid "Texte m1/p1"\nmsgstr "Importiert"\n', encoding="utf-8")
    assert not import_project(wb).errors
    [change] = history(wb, **WHERE)
    assert (change.action, change.user, change.new_forms, change.origin) == (
        "import", "coord", ("Importiert",), "import")


def test_revert_restores_an_earlier_text_as_a_new_change(wb):
    tde, both = as_user(wb, "tde"), as_user(wb, "both")
    save_translation(tde, **WHERE, forms=["eins"], base_version=0)
    save_translation(tde, **WHERE, forms=["zwei"], base_version=1)
    t = revert(both, **WHERE, to_version=1, comment="zurück")
    assert (t.forms, t.state, t.version, t.author) == (("eins",), State.TRANSLATED, 3, "both")
    last = history(wb, **WHERE)[-1]
    assert (last.action, last.user, last.old_forms, last.new_forms, last.comment) == (
        "revert", "both", ("zwei",), ("eins",), "zurück")
    # whoever reverts chose the current text: the four-eyes rule applies to them
    with pytest.raises(PermissionDeniedError) as info:
        approve(both, **WHERE)
    assert info.value.rule == "four-eyes"
    assert approve(as_user(wb, "rde"), **WHERE).state is State.APPROVED


def test_revert_to_version_zero_clears(wb):
    save_translation(as_user(wb, "tde"), **WHERE, forms=["eins"], base_version=0)
    t = revert(as_user(wb, "tde"), **WHERE, to_version=0)
    assert (t.forms, t.state) == (("",), State.UNTRANSLATED)


REVERT_REFUSED = [
    ("unknown-version", "tde", 9, None, NotFoundError, "no version 9"),
    ("current-version", "tde", 2, None, WorkbenchError, "is the current version"),
    ("reviewer-may-not-revert", "rde", 1, None, PermissionDeniedError, "translator-of-language"),
    ("stale-base", "tde", 1, 1, WorkbenchError, "conflict"),
]


@pytest.mark.parametrize("actor,to,base,error,message", [c[1:] for c in REVERT_REFUSED],
                         ids=[c[0] for c in REVERT_REFUSED])
def test_revert_refusals(wb, actor, to, base, error, message):
    save_translation(as_user(wb, "tde"), **WHERE, forms=["eins"], base_version=0)
    save_translation(as_user(wb, "tde"), **WHERE, forms=["zwei"], base_version=1)
    with pytest.raises(error, match=message):
        revert(as_user(wb, actor), **WHERE, to_version=to, base_version=base)
    assert get_translation(wb, **WHERE).forms == ("zwei",)
    assert len(history(wb, **WHERE)) == 2


def test_history_of_an_unknown_key(wb):
    with pytest.raises(NotFoundError):
        history(wb, resource="m1", key="m1/nope", language="de")

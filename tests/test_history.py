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


# -- `workbench history` on the command line ---------------------------------------------------

def cli(wb, user: str, *args: str) -> int:
    from workbench.cli import main

    return main([*args, "--project", str(wb.project.root), "--db", wb.store.url, "--user", user])


def shown(wb, capsys, *args: str) -> list[str]:
    capsys.readouterr()
    assert cli(wb, "tde", "history", *args, "--lang", "de") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    return out.splitlines()


def rows(lines: list[str]) -> dict[int, list[str]]:
    """Each version's row as its columns (the state's arrow joined back)."""
    out = {}
    for line in lines[3:]:
        if line[:3].strip().isdigit():
            ver, day, time, user, what, origin, *state = line.split()
            out[int(ver)] = [f"{day} {time}", user, what, origin, " ".join(state)]
    return out


def details(lines: list[str], version: int) -> list[str]:
    """The indented lines under one version's row (comment, then text change), as printed."""
    start = next(i for i, line in enumerate(lines) if i > 2 and line.split()[:1] == [str(version)])
    out = []
    for line in lines[start + 1:]:
        if not line.startswith("    "):
            break
        out.append(line[4:])
    return out


@pytest.fixture
def columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


def test_history_command_shows_who_what_origin_states_comment_and_both_texts(wb, capsys, columns):
    tde, rde = as_user(wb, "tde"), as_user(wb, "rde")
    suggest_translation(tde, **WHERE, forms=["Gedächtnis"], origin=Origin.MEMORY)
    suggest_translation(as_user(wb, "coord"), **WHERE, forms=["Maschine"], origin=Origin.machine("deepl"))
    save_translation(tde, **WHERE, forms=["Mensch"], base_version=version(wb))
    reject(rde, **WHERE, comment="Tippfehler?")
    save_translation(tde, **WHERE, forms=["Mensch!"], base_version=version(wb))
    approve(rde, **WHERE)
    revert(tde, **WHERE, to_version=3)
    lines = shown(wb, capsys, KEY)
    assert lines[0] == "m1/p1 [de]: 7 change(s), oldest first; now version 7, translated"
    assert lines[1].split() == ["ver", "when", "(UTC)", "user", "what", "origin", "state"]
    got = rows(lines)
    assert [got[v][1:] for v in range(1, 8)] == [
        ["tde", "memory", "tm", "untranslated → draft"],
        ["coord", "mt", "mt:deepl", "draft → draft"],
        ["tde", "edit", "human", "draft → translated"],
        ["rde", "reject", "human", "translated → draft"],
        ["tde", "edit", "human", "draft → translated"],
        ["rde", "approve", "human", "translated → approved"],
        ["tde", "revert", "human", "approved → translated"],
    ]
    assert all(len(got[v][0]) == len("2025-01-01 12:00") for v in got)
    assert [details(lines, v) for v in range(1, 8)] == [
        ["+ Gedächtnis"],
        ["- Gedächtnis", "+ Maschine"],
        ["- Maschine", "+ Mensch"],
        ["comment: Tippfehler?"],
        ["- Mensch", "+ Mensch!"],
        [],
        ["comment: revert to version 3", "- Mensch!", "+ Mensch"],
    ]
    assert lines[-2:] == ["", "- old text; + new text"]


def test_history_json_is_complete(wb, capsys):
    save_translation(as_user(wb, "tde"), **WHERE, forms=["eins"], base_version=0)
    reject(as_user(wb, "rde"), **WHERE, comment="nein")
    capsys.readouterr()
    assert cli(wb, "tde", "history", KEY, "--lang", "de", "--json") == 0
    import json

    edit, rejected = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in edit.items() if k != "at"} == dict(
        version=1, action="edit", user="tde", old_state="untranslated", new_state="translated",
        old_forms=[""], new_forms=["eins"], origin="human", comment=None)
    assert (rejected["old_forms"], rejected["new_forms"], rejected["comment"]) == (["eins"], ["eins"], "nein")
    assert edit["at"][:4].isdigit() and "T" in edit["at"]


def test_history_command_shows_only_the_plural_forms_that_changed(wb, capsys, columns):
    where = dict(WHERE, key="m1/files")
    save_translation(as_user(wb, "tde"), **where, forms=["eine Datei", "%d Datei"], base_version=0)
    save_translation(as_user(wb, "tde"), **where, forms=["eine Datei", "%d Dateien"], base_version=1)
    lines = shown(wb, capsys, "m1/files")
    assert details(lines, 1) == ["+ [0] eine Datei", "+ [1] %d Datei"]
    assert details(lines, 2) == ["- [1] %d Datei", "+ [1] %d Dateien"]


def test_history_command_prints_content_as_data(wb, capsys, columns):
    """Markup-like text is printed as it is; line breaks are marked and kept; control characters
    and edge spaces are made visible."""
    text = "[bold red]fett[/bold red] {+x+}\nzweite \x1b[31mZeile "
    save_translation(as_user(wb, "tde"), **WHERE, forms=[text], base_version=0, comment="[link=x]sieh[/link]\x07")
    lines = shown(wb, capsys, KEY)
    assert details(lines, 1) == ["comment: [link=x]sieh[/link]\\x07",
                                 "+ [bold red]fett[/bold red] {+x+}↵",
                                 "  zweite \\x1b[31mZeile␣"]
    assert lines[-1] == "+ new text; ↵ line break; ␣ space at a line's start or end"


LONG = " ".join(f"Satz {i} ist ein Satz über die soziale und solidarische Wirtschaft." for i in range(1, 13))


def test_history_command_shortens_long_texts_and_full_shows_them(wb, capsys, columns):
    save_translation(as_user(wb, "tde"), **WHERE, forms=[LONG], base_version=0)
    save_translation(as_user(wb, "tde"), **WHERE, forms=[LONG.replace("Satz 6 ", "Absatz 6 ")], base_version=1)
    lines = shown(wb, capsys, KEY)
    assert all(len(line) <= 80 for line in lines[:-1])
    new = details(lines, 1)
    assert len(new) == 6 and new[0].startswith("+ Satz 1 ist") and new[-1].startswith("  … (")
    # a small change in a long text: a word diff around the change, the rest left out
    diff = details(lines, 2)
    assert len(diff) <= 2 and diff[0].startswith("~ …") and diff[-1].endswith("…")
    assert "[-Satz-]{+Absatz+} 6" in " ".join(diff)
    assert lines[-1] == "+ new text; ~ word diff: [-removed-] {+added+}; … text left out (--full shows it whole)"
    lines = shown(wb, capsys, KEY, "--full")
    whole = " ".join(line[2:] for line in details(lines, 1))
    assert whole == LONG
    diff = " ".join(line[2:] for line in details(lines, 2))
    assert diff == LONG.replace("Satz 6 ", "[-Satz-]{+Absatz+} 6 ")


def test_history_command_of_a_translation_without_changes(wb, capsys):
    assert cli(wb, "tde", "history", "m1/p2", "--lang", "de") == 0
    assert capsys.readouterr().out.strip() == "m1/p2 [de]: no changes yet (version 0, untranslated)"

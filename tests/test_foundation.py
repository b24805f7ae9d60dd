"""The foundation: project, store, import that changes only what changed, status, CLI errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from workbench.cli import main
from workbench.services.context import Workbench
from workbench.services.importing import import_project
from workbench.services.status import compute_status

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def mini_dir(tmp_path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def dump(wb: Workbench) -> dict:
    """Every row of every table, without the history timestamps' variability."""
    out = {}
    with wb.store.engine.connect() as conn:
        for table in ("resource", "unit", "translation", "change", "file_state"):
            rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY id")).mappings().all()
            out[table] = [dict(r) for r in rows]
    return out


def test_init_creates_a_project_with_13_languages(tmp_path, capsys):
    assert main(["init", str(tmp_path / "course"), "--name", "Cours"]) == 0
    wb = Workbench.open(tmp_path / "course")
    assert wb.settings.source_language == "fr"
    assert len(wb.settings.languages) == 13
    assert len(wb.settings.target_languages) == 12
    assert (tmp_path / "course" / "locales").is_dir()
    assert main(["init", str(tmp_path / "course")]) == 2
    assert "already exists" in capsys.readouterr().err


def test_migrations_run_from_empty(db_url, mini_dir):
    wb = Workbench.open(mini_dir, db=db_url)
    names = set(wb.store.table_names())
    assert {"resource", "unit", "translation", "change", "user_account", "user_role", "alembic_version"} <= names
    wb.store.upgrade()   # a second upgrade is a no-op
    wb.close()


def test_import_twice_changes_nothing(db_url, mini_dir):
    wb = Workbench.open(mini_dir, db=db_url, user="coord")
    first = import_project(wb)
    assert not first.errors
    before = dump(wb)
    again = import_project(wb, force=True)     # read every file again, not only skip by hash
    assert not again.errors
    assert dump(wb) == before
    skipped = import_project(wb)
    assert all(f.skipped for f in skipped.files)
    assert dump(wb) == before


def test_import_reads_states_from_the_catalog(db_url, mini_dir):
    wb = Workbench.open(mini_dir, db=db_url)
    import_project(wb)
    row = compute_status(wb, languages=["de"]).get("de", "m1")
    assert row.units == 7
    assert row.counts == {"approved": 1, "translated": 2, "draft": 1, "untranslated": 3}


def test_changed_source_reimports_only_what_changed(db_url, mini_dir):
    wb = Workbench.open(mini_dir, db=db_url, user="coord")
    import_project(wb)
    before = dump(wb)
    pot = mini_dir / "locales" / "m1.pot"
    pot.write_text(pot.read_text().replace("Le small talk ouvre", "Le small talk engage"), encoding="utf-8")
    report = import_project(wb)
    (source_report,) = [f for f in report.files if f.path == "locales/m1.pot"]
    assert (source_report.added, source_report.changed, source_report.obsoleted) == (0, 1, 0)
    assert source_report.stale == {"de": 1}
    after = dump(wb)
    changed_units = [a for a, b in zip(after["unit"], before["unit"]) if a != b]
    assert [u["key"] for u in changed_units] == ["m1/lesson-1/p1"]
    changed_translations = [a for a, b in zip(after["translation"], before["translation"]) if a != b]
    assert [(t["language"], t["state"]) for t in changed_translations] == [("de", "draft")]
    assert changed_translations[0]["previous_source"] == "Le small talk ouvre la conversation avec un collègue."
    new_history = after["change"][len(before["change"]):]
    assert [(c["action"], c["old_state"], c["new_state"]) for c in new_history] == [
        ("source-changed", "translated", "draft")]


def test_removed_source_becomes_obsolete_and_keeps_translations(db_url, mini_dir):
    wb = Workbench.open(mini_dir, db=db_url)
    import_project(wb)
    pot = mini_dir / "locales" / "m1.pot"
    content = pot.read_text()
    start = content.index('msgctxt "m1/lesson-1/p1"')
    end = content.index('msgctxt "m1/quiz-1/q1"\n')
    pot.write_text(content[:start] + content[end:], encoding="utf-8")
    import_project(wb)
    with wb.store.engine.connect() as conn:
        obsolete, = conn.execute(text("SELECT obsolete FROM unit WHERE key = 'm1/lesson-1/p1'")).one()
        kept = conn.execute(text(
            "SELECT t.text FROM translation t JOIN unit u ON u.id = t.unit_id "
            "WHERE u.key = 'm1/lesson-1/p1' AND t.language = 'de'")).scalar_one()
    assert obsolete
    assert kept.startswith("Smalltalk eröffnet")
    assert compute_status(wb, languages=["de"]).get("de", "m1").units == 6


@pytest.mark.parametrize("argv,expected", [
    (["status", "--lang", "xx"], "unknown language 'xx'"),
    (["status", "--lang", "fr"], "source language"),
    (["status", "--module", "m9"], "unknown module 'm9'"),
    (["export", "--lang", "klingon-x"], "not a language code"),
    (["export", "--lang", "pt"], "unknown language 'pt'"),
])
def test_bad_input_is_one_line_and_exit_2(mini_dir, argv, expected, capsys):
    code = main(["--project", str(mini_dir), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_project(tmp_path, capsys):
    assert main(["--project", str(tmp_path), "status"]) == 2
    assert "no workbench.toml" in capsys.readouterr().err


def test_unreadable_database(mini_dir, tmp_path, capsys):
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"this is not a database" * 100)
    assert main(["--project", str(mini_dir), "status", "--db", f"sqlite:///{bad}"]) == 2
    err = capsys.readouterr().err
    assert "cannot open database" in err and "not a database" in err
    assert bad.read_bytes() == b"this is not a database" * 100


def test_database_of_a_newer_schema(db_url, mini_dir, capsys):
    """A database whose schema revision no migration of ours knows (a newer workbench wrote it)."""
    wb = Workbench.open(mini_dir, db=db_url)
    with wb.store.transaction() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe9999'"))
    wb.close()
    assert main(["--project", str(mini_dir), "status", "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert "cannot open database" in err and "f00dcafe9999 is unknown" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("where, what", [
    ("workbench.toml/wb.db", "is not a folder"),          # a file where its folder would be
    ("no/such/dir/wb.db", "does not exist"),              # a mistyped --db: no empty workbench
])
def test_database_where_no_folder_is(mini_dir, capsys, where, what):
    url = f"sqlite:///{mini_dir / where}"
    assert main(["--project", str(mini_dir), "status", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "cannot open database" in err and what in err and where.rsplit("/", 1)[0] in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (mini_dir / "no").exists()


def test_the_projects_own_database_folder_is_made(mini_dir, capsys):
    assert not (mini_dir / ".workbench").exists()
    assert main(["--project", str(mini_dir), "status"]) == 0
    assert (mini_dir / ".workbench" / "workbench.db").is_file()


def test_a_projects_database_folder_that_cannot_be_made(mini_dir, capsys):
    (mini_dir / ".workbench").write_text("in the way", encoding="utf-8")
    assert main(["--project", str(mini_dir), "status"]) == 2
    err = capsys.readouterr().err
    assert "cannot create the database's folder" in err and ".workbench" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_broken_settings_file(mini_dir, capsys):
    (mini_dir / "workbench.toml").write_text("[project\nname = 1", encoding="utf-8")
    assert main(["--project", str(mini_dir), "status"]) == 2
    assert "workbench.toml" in capsys.readouterr().err


def test_status_json_lists_every_language_and_module(mini_dir, capsys):
    assert main(["--project", str(mini_dir), "import"]) == 0
    capsys.readouterr()
    assert main(["--project", str(mini_dir), "status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["languages"]) == 13 and data["languages"][0] == data["source_language"] == "fr"
    assert data["modules"] == ["m1"]
    assert len(data["rows"]) == 13
    assert [r["source"] for r in data["rows"]] == [True] + [False] * 12
    # a language asked for is listed alone (the source is not a translation language)
    assert main(["--project", str(mini_dir), "status", "--json", "--lang", "de"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["languages"] == ["de"] and [r["language"] for r in data["rows"]] == ["de"]

"""A new template works like msgmerge: changed sources go stale, new keys are untranslated,
removed keys become obsolete with their translations; the import says so per language."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.cli import main
from workbench.domain.states import State
from workbench.formats.po import CONTEXT_GLUE, PoFormat
from workbench.formats.po_reader import read_po
from workbench.services.context import Workbench
from workbench.services.exporting import export_project
from workbench.services.importing import import_project
from workbench.storage import repository as repo

FIXTURES = Path(__file__).parent / "fixtures" / "po"
OLD_INTRO = "Cooperatives, mutual societies and associations share one idea"
NEW_INTRO = "Co-operatives, mutuals and associations share one idea"


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "locales" / "de" / "LC_MESSAGES").mkdir(parents=True)
    (root / "workbench.toml").write_text(
        '[project]\nsource_language = "en"\nlanguages = ["en", "de", "fr"]\n', encoding="utf-8")
    shutil.copy(FIXTURES / "coop.pot", root / "locales" / "coop.pot")
    shutil.copy(FIXTURES / "de.po", root / "locales" / "de" / "LC_MESSAGES" / "coop.po")
    return root


def update_template(root: Path) -> None:
    pot = root / "locales" / "coop.pot"
    text = pot.read_text(encoding="utf-8")
    text = text.replace(OLD_INTRO, NEW_INTRO)                                 # changed
    start = text.index('msgctxt "shop/price"')                               # removed
    text = text[:text.rindex("\n\n", 0, start) + 2] + text[text.index("\n\n", start) + 2:]
    text += '\n#. Quiz question\nmsgctxt "m1/quiz-1/q2"\nmsgid "What is a cooperative?"\nmsgstr ""\n'  # added
    pot.write_text(text, encoding="utf-8")


def test_template_update_states_report_and_export(tmp_path, db_url, capsys):
    root = project(tmp_path)
    wb = Workbench.open(root, db=db_url, user="coordinator")
    assert not import_project(wb).errors
    update_template(root)
    assert main(["--project", str(root), "--db", db_url, "--user", "coordinator", "import"]) == 0
    out = capsys.readouterr().out
    assert "locales/coop.pot: 1 new, 1 changed, 1 removed" in out
    assert ("  de: 1 new (untranslated), 1 made draft (source changed, previous kept), "
            "1 translation(s) of removed entries kept as obsolete") in out
    assert "  fr: 1 new (untranslated), 0 made draft (source changed, previous kept), 0 translation(s)" in out

    with wb.store.transaction() as conn:
        resource = repo.get_resource(conn, "coop")
        units = {u.key: u for u in repo.units_of(conn, resource["id"], "coop")}
        de = repo.translations_of(conn, resource["id"], "coop", "de")
    intro = de["tutorial/intro"]
    assert intro.state is State.DRAFT and intro.previous_source.startswith(OLD_INTRO)
    assert units["tutorial/intro"].source.startswith(NEW_INTRO)
    assert "m1/quiz-1/q2" in units and ("m1/quiz-1/q2" not in de or de["m1/quiz-1/q2"].state is State.UNTRANSLATED)
    assert units["shop/price"].obsolete and de["shop/price"].text.startswith("Preis: 5 €")

    export_project(wb)
    wb.close()
    catalog = read_po((root / "locales" / "de" / "LC_MESSAGES" / "coop.po").read_bytes(), "de")
    by_ctxt = {(e.msgctxt, e.obsolete): e for e in catalog.entries}
    changed = by_ctxt[("tutorial/intro", False)]
    assert changed.fuzzy and changed.previous_msgid.startswith(OLD_INTRO) and changed.msgid.startswith(NEW_INTRO)
    assert changed.forms[0].startswith("Genossenschaften")                 # the translation is kept
    assert by_ctxt[("m1/quiz-1/q2", False)].forms == [""]
    removed = by_ctxt[("shop/price", True)]
    assert removed.forms[0].startswith("Preis: 5 €")
    # the catalog's own obsolete entries are still there too
    assert [e.msgid for e in catalog.entries if e.obsolete and e.msgctxt != "shop/price"] == \
        ["Export as PDF", "%d old file"]


def test_keys_are_the_msgctxt_where_it_is_unique_and_stay_unique_where_it_is_not(tmp_path):
    doc = PoFormat().read_source(FIXTURES / "coop.pot", resource="coop", module="coop", display_path="coop.pot")
    keys = [u.key for u in doc.units]
    assert len(set(keys)) == len(keys)
    assert keys[:4] == [f"menu{CONTEXT_GLUE}File", f"menu{CONTEXT_GLUE}Open…", "button", "Save"]
    assert "tutorial/intro" in keys and "m1/quiz-1/q1/choice-a" in keys
    choice = next(u for u in doc.units if u.key == "m1/quiz-1/q1/choice-a")
    assert choice.is_correct_choice                       # our quiz-correct flag is kept in the template


def test_a_changed_catalog_entry_for_a_changed_source_comes_in_as_a_draft(tmp_path, sqlite_url):
    """A catalog made for the old template (msgctxt the same, msgid not): stale, like msgmerge's fuzzy."""
    root = project(tmp_path)
    update_template(root)
    wb = Workbench.open(root, db=sqlite_url, user="coordinator")
    assert not import_project(wb).errors
    with wb.store.transaction() as conn:
        resource = repo.get_resource(conn, "coop")
        de = repo.translations_of(conn, resource["id"], "coop", "de")
    assert de["tutorial/intro"].state is State.DRAFT
    assert de["tutorial/intro"].previous_source.startswith(OLD_INTRO)
    export_project(wb)
    wb.close()
    text = (root / "locales" / "de" / "LC_MESSAGES" / "coop.po").read_text(encoding="utf-8")
    assert '#~ msgctxt "shop/price"' in text               # the entry the template lost is kept


def test_the_editor_shows_the_previous_source_of_a_changed_entry(tmp_path, sqlite_url):
    from textual.widgets import Static

    from tests.tui_support import SIZE, run, settle, shown
    from workbench.tui.app import WorkbenchApp

    root = project(tmp_path)
    wb = Workbench.open(root, db=sqlite_url, user="coordinator")
    assert not import_project(wb).errors
    update_template(root)
    assert not import_project(wb).errors

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_editor(language="de", query="key:tutorial/intro")
            await settle(pilot)
            context = app.screen.query_one("#context", Static)
            text = shown(context)
            assert text.startswith("Source changed since translated: ")
            spans = context.content.spans
            removed = "".join(text[s.start:s.end] for s in spans if "strike" in str(s.style))
            added = "".join(text[s.start:s.end] for s in spans if "green" in str(s.style))
            assert "Cooperatives" in removed and "mutual societies" in removed
            assert "Co-operatives" in added and "mutuals" in added
    run(go())
    wb.close()

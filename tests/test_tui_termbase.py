"""The term base screen driven by the Pilot: search, a concept in every language, add a term or a concept."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Select

from tests.conftest import copy_demo
from tests.tui_support import SIZE, as_user, open_demo, run, settle, shown
from workbench.domain.terms import TermStatus
from workbench.services import terms
from workbench.services.users import add_user
from workbench.tui.app import WorkbenchApp
from workbench.tui.termbase import TermBaseScreen, TermDialog


@pytest.fixture
def wb(tmp_path):
    wb = open_demo(copy_demo(tmp_path / "demo"))
    if not terms.search_concepts(wb, ""):
        pytest.skip("the demo has no term base")
    yield wb
    wb.close()


async def _termbase(pilot, language="de"):
    pilot.app.open_termbase(language=language)
    await settle(pilot)
    assert isinstance(pilot.app.screen, TermBaseScreen)
    return pilot.app.screen


def test_search_and_see_a_concept_in_every_language(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _termbase(pilot)
            options = screen.query_one("#concepts", OptionList)
            assert options.option_count == len(terms.search_concepts(wb, ""))
            await pilot.press("slash")
            assert isinstance(app.focused, Input)
            await pilot.press(*"Sozialunternehmen", "enter")
            await settle(pilot)
            found = terms.search_concepts(wb, "Sozialunternehmen")
            assert options.option_count == len(found) >= 1
            text = shown(screen.query_one("#concept"))
            for language in wb.settings.languages:
                assert f" {language} " in text or f"▶ {language}" in text
            assert "Sozialunternehmen (preferred)" in text
            assert app.focused is options
    run(go())


def test_add_a_term_to_a_concept(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _termbase(pilot, language="nl")
            concept = screen._current()
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, TermDialog)
            await pilot.press(*"buurtonderneming")
            app.screen.query_one("#term-status", Select).value = TermStatus.ADMITTED
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, TermBaseScreen)
            changed = terms.get_concept(wb, concept.id)
            assert [(t.text, t.status) for t in changed.terms_in("nl")][-1] == ("buurtonderneming",
                                                                                 TermStatus.ADMITTED)
            assert "buurtonderneming (admitted)" in shown(screen.query_one("#concept"))
    run(go())


def test_a_term_of_another_concept_is_refused_with_the_concept_named(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _termbase(pilot, language="nl")
            concept = screen._current()
            other = next(c for c in terms.search_concepts(wb, "sociale onderneming")
                         if any(t.text == "sociale onderneming" for t in c.terms_in("nl")))
            assert other.id != concept.id
            before = terms.get_concept(wb, concept.id)
            await pilot.press("a")
            await settle(pilot)
            await pilot.press(*"sociale onderneming", "enter")
            await settle(pilot)
            assert terms.get_concept(wb, concept.id) == before
            assert any(other.id in str(n.message) and n.severity == "error" for n in app._notifications)
    run(go())


def test_add_a_new_concept(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            await _termbase(pilot, language="de")
            await pilot.press("n")
            await settle(pilot)
            await pilot.press(*"tiers-lieu solidaire", "tab")
            await pilot.press(*"solidarischer Dritter Ort")
            await pilot.press("enter")
            await settle(pilot)
            found = terms.search_concepts(wb, "tiers-lieu")
            assert len(found) == 1
            assert found[0].label("de") == "solidarischer Dritter Ort"
            assert app.screen._current().id == found[0].id
    run(go())


def test_translators_may_not_edit_the_term_base(wb):
    add_user(wb, "coord", role="coordinator")
    coordinator = as_user(wb, "coord")
    add_user(coordinator, "tina", role="translator", languages=["de"])

    async def go():
        app = WorkbenchApp(as_user(wb, "tina"))
        async with app.run_test(size=SIZE) as pilot:
            before = terms.search_concepts(wb, "")
            await _termbase(pilot)
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, TermBaseScreen)
            assert any("Only coordinators" in n.message for n in app._notifications)
            assert terms.search_concepts(wb, "") == before
    run(go())


def test_edit_a_term_and_its_definition(wb):
    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _termbase(pilot, language="de")
            await pilot.press("slash", *"Sozialunternehmen", "enter")
            await settle(pilot)
            concept = screen._current()
            old = concept.terms_in("de")[0]
            await pilot.press("e")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, TermDialog)
            assert dialog.query_one("#term-text", Input).value == old.text
            dialog.query_one("#term-text", Input).value = old.text + "s"
            dialog.query_one("#term-status", Select).value = TermStatus.ADMITTED
            dialog.query_one("#term-definition", Input).value = "Ein Unternehmen der Sozialwirtschaft."
            dialog.query_one("#term-text", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            changed = terms.get_concept(wb, concept.id)
            first = changed.terms_in("de")[0]
            assert (first.text, first.status) == (old.text + "s", TermStatus.ADMITTED)
            assert old.text not in [t.text for t in changed.terms_in("de")]
            assert changed.definitions["de"] == "Ein Unternehmen der Sozialwirtschaft."
    run(go())

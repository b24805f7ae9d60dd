"""The term base screen driven by the Pilot: search, a concept in every language, add a term or a
concept, and a homonym shown with the concepts that have the term, then saved as one or edited."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Select, Static

from tests.conftest import copy_demo
from tests.tui_support import SIZE, as_user, open_demo, run, settle, shown
from workbench.domain.terms import TermStatus
from workbench.services import terms
from workbench.services.users import add_user
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs import ConfirmScreen
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


def _other_with(wb, language: str, text: str):
    return next(c for c in terms.search_concepts(wb, text) if any(t.text == text for t in c.terms_in(language)))


async def _type_a_homonym(pilot, screen, how: str, text: str) -> None:
    """Open the dialog of `how` (add, edit, new) and submit `text` as the nl term (and, for a new
    concept, as its French term too)."""
    await pilot.press({"add": "a", "edit": "e", "new": "n"}[how])
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, TermDialog)
    if how == "new":
        dialog.query_one("#term-source", Input).value = "économie sociale"
    dialog.query_one("#term-text", Input).value = text
    dialog.query_one("#term-text", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


HOMONYM_CASES = [   # how the term is entered, the term, the language of the other concept's term
    ("add", "sociale onderneming", "nl"),
    ("edit", "sociale onderneming", "nl"),
    ("new", "sociale onderneming", "nl"),       # its French term "économie sociale" clashes too
]


@pytest.mark.parametrize("how,text,language", HOMONYM_CASES)
def test_a_homonym_shows_the_other_concepts_and_goes_back_to_edit(wb, how, text, language):
    other = _other_with(wb, language, text)
    marked_up = "Une [bold red]entreprise[/] de l'[link=https://example.org]ESS[/link]."
    terms.edit_concept(wb, other.id, lambda c: c.with_definition("nl", marked_up))

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _termbase(pilot, language="nl")
            await pilot.press("slash", *"coopérative", "enter")
            await settle(pilot)
            concept = screen._current()
            assert concept.id != other.id
            before = terms.search_concepts(wb, "")
            await _type_a_homonym(pilot, screen, how, text)
            dialog = app.screen
            assert isinstance(dialog, ConfirmScreen)
            details = "\n".join(shown(s) for s in dialog.query(Static))
            assert f"The nl term {text} is already a term of:" in details
            assert f"(id {other.id})" in details
            assert f"nl: {marked_up}" in details           # as typed: no markup interpreted
            if how == "new":
                assert "The fr term économie sociale is already a term of:" in details
            await pilot.press("n")
            await settle(pilot)
            back = app.screen
            assert isinstance(back, TermDialog)             # back to the dialog, as typed
            assert back.query_one("#term-text", Input).value == text
            if how == "new":
                assert back.query_one("#term-source", Input).value == "économie sociale"
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen
            assert terms.search_concepts(wb, "") == before
    run(go())


@pytest.mark.parametrize("how,text,language", HOMONYM_CASES)
def test_a_confirmed_homonym_is_saved_and_recorded_as_deliberate(wb, how, text, language):
    other = _other_with(wb, language, text)

    async def go():
        app = WorkbenchApp(wb)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _termbase(pilot, language="nl")
            await pilot.press("slash", *"coopérative", "enter")
            await settle(pilot)
            await _type_a_homonym(pilot, screen, how, text)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            assert app.screen is screen
            saved = screen._current()
            assert saved.id != other.id
            term = saved.term_named("nl", text)
            assert term is not None and term.homonym_of == (other.id,)
            assert terms.get_concept(wb, saved.id) == saved
            assert terms.get_concept(wb, other.id) == other       # the other concept is left alone
            assert f"homonym of {other.id}" in shown(screen.query_one("#concept"))
            assert not [n for n in app._notifications if n.severity == "error"]
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

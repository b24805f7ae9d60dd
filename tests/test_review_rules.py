"""Every rule of the review workflow, table-driven, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from review_support import as_user, make_project

from workbench.domain.errors import ConflictError, PermissionDeniedError, TransitionError
from workbench.domain.states import State
from workbench.domain.translations import Origin
from workbench.services.editing import (
    Suggestion, get_translation, save_translation, suggest_translation, suggest_translations,
)
from workbench.services.history import history
from workbench.services.review import approve, reject

KEY = "m1/p1"
S = State


@pytest.fixture
def wb(tmp_path, db_url):
    wb = make_project(tmp_path / "course", db_url)
    yield wb
    wb.close()


def prepare(wb, start: str, author: str, *, lang: str = "de") -> None:
    """Bring KEY [lang] into the start state, its current text written by `author`."""
    def t():
        return get_translation(wb, resource="m1", key=KEY, language=lang)

    if start == "untranslated":
        return
    if start == "draft-mt":
        suggest_translation(as_user(wb, author), resource="m1", key=KEY, language=lang,
                            forms=["maschinell"], origin=Origin.machine("fake"))
        return
    draft = start == "draft"
    save_translation(as_user(wb, author), resource="m1", key=KEY, language=lang, forms=["von " + author],
                     base_version=t().version, draft=draft)
    if start == "approved":
        approve(as_user(wb, "rde" if author != "rde" else "coord"), resource="m1", key=KEY, language=lang)
    assert t().state.value == start


def act(wb, op: str, actor: str, lang: str):
    me = as_user(wb, actor)
    base = get_translation(wb, resource="m1", key=KEY, language=lang).version
    where = dict(resource="m1", key=KEY, language=lang)
    if op == "edit":
        return save_translation(me, **where, forms=["neu von " + actor], base_version=base)
    if op == "draft":
        return save_translation(me, **where, forms=["Entwurf"], base_version=base, draft=True)
    if op == "clear":
        return save_translation(me, **where, forms=[""], base_version=base)
    if op == "approve":
        return approve(me, **where)
    if op == "reject":
        return reject(me, **where, comment="Bitte Fachbegriff verwenden")
    if op == "reject-empty":
        return reject(me, **where, comment="   ")
    if op == "reject-none":
        return reject(me, **where, comment=None)
    if op == "suggest":
        return suggest_translation(me, **where, forms=["Vorschlag"], origin=Origin.MEMORY)
    raise AssertionError(op)


# (case id, start state, author of the current text, actor, operation, language, expected)
# expected: a State (allowed; the new state), a rule id (PermissionDeniedError), or "transition".
CASES = [
    # translators of a language edit it
    ("translator-edits-own-language", "untranslated", "", "tde", "edit", "de", S.TRANSLATED),
    ("translator-saves-draft", "untranslated", "", "tde", "draft", "de", S.DRAFT),
    ("translator-clears", "translated", "tde", "tde", "clear", "de", S.UNTRANSLATED),
    ("translator-of-de-cannot-edit-es", "untranslated", "", "tde", "edit", "es", "translator-of-language"),
    ("reviewer-cannot-edit", "untranslated", "", "rde", "edit", "de", "translator-of-language"),
    ("translator-of-all-languages-edits-es", "untranslated", "", "tall", "edit", "es", S.TRANSLATED),
    ("coordinator-edits-any-language", "untranslated", "", "coord", "edit", "es", S.TRANSLATED),
    ("unknown-user-cannot-edit", "untranslated", "", "stranger", "edit", "de", "known-user"),
    ("unknown-user-cannot-approve", "translated", "tde", "stranger", "approve", "de", "known-user"),
    # editing an approved translation makes it translated again
    ("edit-approved-awaits-review-again", "approved", "tde", "tde", "edit", "de", S.TRANSLATED),
    ("edit-draft-is-translated", "draft", "tde", "tde", "edit", "de", S.TRANSLATED),
    # reviewers of a language approve or reject it
    ("reviewer-approves", "translated", "tde", "rde", "approve", "de", S.APPROVED),
    ("translator-cannot-approve", "translated", "tall", "tde", "approve", "de", "reviewer-of-language"),
    ("reviewer-of-de-cannot-approve-es", "translated", "tes", "rde", "approve", "es", "reviewer-of-language"),
    ("coordinator-approves", "translated", "tde", "coord", "approve", "de", S.APPROVED),
    ("translator-cannot-reject", "translated", "both", "tde", "reject", "de", "reviewer-of-language"),
    ("reviewer-rejects-translated", "translated", "tde", "rde", "reject", "de", S.DRAFT),
    ("reviewer-rejects-approved", "approved", "tde", "rde", "reject", "de", S.DRAFT),
    # four-eyes
    ("reviewer-cannot-approve-own-text", "translated", "both", "both", "approve", "de", "four-eyes"),
    ("coordinator-cannot-approve-own-text", "translated", "coord", "coord", "approve", "de", "four-eyes"),
    ("another-reviewer-approves-it", "translated", "both", "rde", "approve", "de", S.APPROVED),
    # a rejection needs a comment
    ("reject-without-comment", "translated", "tde", "rde", "reject-none", "de", "rejection-needs-comment"),
    ("reject-with-blank-comment", "translated", "tde", "rde", "reject-empty", "de", "rejection-needs-comment"),
    # the state machine
    ("approve-needs-translated-not-draft", "draft", "tde", "rde", "approve", "de", "transition"),
    ("approve-needs-translated-not-untranslated", "untranslated", "", "rde", "approve", "de", "transition"),
    ("approve-twice", "approved", "tde", "coord", "approve", "de", "transition"),
    ("reject-draft", "draft", "tde", "rde", "reject", "de", "transition"),
    # suggestions never replace a person's text
    ("suggest-into-untranslated", "untranslated", "", "tde", "suggest", "de", S.DRAFT),
    ("suggest-over-machine-draft", "draft-mt", "tde", "tde", "suggest", "de", S.DRAFT),
    ("suggest-over-human-draft", "draft", "tde", "tde", "suggest", "de", "suggestion-keeps-human-text"),
    ("suggest-over-translated", "translated", "tde", "tde", "suggest", "de", "suggestion-keeps-human-text"),
    ("suggest-over-approved", "approved", "tde", "coord", "suggest", "de", "suggestion-keeps-human-text"),
    ("suggest-needs-translator", "untranslated", "", "rde", "suggest", "de", "translator-of-language"),
]


@pytest.mark.parametrize("start,author,actor,op,lang,expected",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(wb, start, author, actor, op, lang, expected):
    prepare(wb, start, author, lang=lang)
    before = get_translation(wb, resource="m1", key=KEY, language=lang)
    changes_before = len(history(wb, resource="m1", key=KEY, language=lang))
    if isinstance(expected, State):
        result = act(wb, op, actor, lang)
        assert result.state is expected
        after = get_translation(wb, resource="m1", key=KEY, language=lang)
        assert after == result
        assert after.version == before.version + 1
        last = history(wb, resource="m1", key=KEY, language=lang)[-1]
        assert (last.version, last.user, last.old_state, last.new_state) == (
            after.version, actor, before.state, expected)
        assert last.old_forms == before.forms and last.new_forms == after.forms
        return
    error = TransitionError if expected == "transition" else PermissionDeniedError
    with pytest.raises(error) as info:
        act(wb, op, actor, lang)
    if error is PermissionDeniedError:
        assert info.value.rule == expected
        assert f"(rule: {expected})" in str(info.value)
    # a refusal changes nothing and records nothing
    assert get_translation(wb, resource="m1", key=KEY, language=lang) == before
    assert len(history(wb, resource="m1", key=KEY, language=lang)) == changes_before


def test_self_approval_allowed_by_project_setting(tmp_path, db_url):
    wb = make_project(tmp_path / "solo", db_url, allow_self_approval=True)
    prepare(wb, "translated", "both")
    assert approve(as_user(wb, "both"), resource="m1", key=KEY, language="de").state is S.APPROVED
    wb.close()


def test_rejection_keeps_the_comment_and_approval_clears_it(wb):
    prepare(wb, "translated", "tde")
    rejected = reject(as_user(wb, "rde"), resource="m1", key=KEY, language="de", comment=" Zu lang ")
    assert (rejected.state, rejected.comment) == (S.DRAFT, "Zu lang")
    assert history(wb, resource="m1", key=KEY, language="de")[-1].comment == "Zu lang"
    fixed = save_translation(as_user(wb, "tde"), resource="m1", key=KEY, language="de", forms=["kurz"],
                             base_version=rejected.version)
    assert fixed.comment == "Zu lang"      # the reviewer sees what was asked
    approved = approve(as_user(wb, "rde"), resource="m1", key=KEY, language="de")
    assert approved.comment is None


def test_a_stale_save_is_a_conflict_with_both_texts(wb):
    tde = as_user(wb, "tde")
    v0 = get_translation(wb, resource="m1", key=KEY, language="de").version
    save_translation(tde, resource="m1", key=KEY, language="de", forms=["erste"], base_version=v0)
    with pytest.raises(ConflictError) as info:
        save_translation(as_user(wb, "both"), resource="m1", key=KEY, language="de", forms=["zweite"],
                         base_version=v0)
    err = info.value
    assert (err.mine, err.theirs, err.base_version, err.current_version, err.theirs_author) == (
        ("zweite",), ("erste",), v0, v0 + 1, "tde")
    assert get_translation(wb, resource="m1", key=KEY, language="de").forms == ("erste",)
    assert [c.new_forms for c in history(wb, resource="m1", key=KEY, language="de")] == [("erste",)]


def test_approve_from_a_stale_version_is_a_conflict(wb):
    prepare(wb, "translated", "tde")
    seen = get_translation(wb, resource="m1", key=KEY, language="de")
    save_translation(as_user(wb, "tde"), resource="m1", key=KEY, language="de", forms=["anders"],
                     base_version=seen.version)
    with pytest.raises(ConflictError):
        approve(as_user(wb, "rde"), resource="m1", key=KEY, language="de", base_version=seen.version)
    assert get_translation(wb, resource="m1", key=KEY, language="de").state is S.TRANSLATED


def test_a_save_that_changes_nothing_records_nothing(wb):
    tde = as_user(wb, "tde")
    t = save_translation(tde, resource="m1", key=KEY, language="de", forms=["gleich"], base_version=0)
    again = save_translation(tde, resource="m1", key=KEY, language="de", forms=["gleich"], base_version=t.version)
    assert again == t
    assert len(history(wb, resource="m1", key=KEY, language="de")) == 1


PLURAL_CASES = [
    ("plural-needs-all-forms", ["eine Datei", ""], False, "every plural form needs a text"),
    ("singular-gets-one-form", None, False, "has no plural forms"),
]


@pytest.mark.parametrize("forms,draft,message", [c[1:] for c in PLURAL_CASES], ids=[c[0] for c in PLURAL_CASES])
def test_forms_are_checked(wb, forms, draft, message):
    from workbench.domain.errors import WorkbenchError

    key = "m1/files" if forms else KEY
    with pytest.raises(WorkbenchError, match=message):
        save_translation(as_user(wb, "tde"), resource="m1", key=key, language="de",
                         forms=forms or ["a", "b"], base_version=0, draft=draft)


def test_a_partial_plural_may_be_a_draft(wb):
    t = save_translation(as_user(wb, "tde"), resource="m1", key="m1/files", language="de",
                         forms=["eine Datei", ""], base_version=0, draft=True)
    assert (t.state, t.forms) == (S.DRAFT, ("eine Datei", ""))


def test_bulk_suggestions_skip_what_a_person_wrote(wb):
    tde = as_user(wb, "tde")
    save_translation(tde, resource="m1", key="m1/p2", language="de", forms=["Mensch"], base_version=0, draft=True)
    report = suggest_translations(as_user(wb, "coord"), language="de", suggestions=[
        Suggestion("m1", "m1/p1", ("Maschine 1",), Origin.machine("fake")),
        Suggestion("m1", "m1/p2", ("Maschine 2",), Origin.machine("fake")),
        Suggestion("m1", "m1/p3", ("Maschine 3",), Origin.machine("fake"), base_version=7),
    ])
    assert [t.key for t in report.applied] == ["m1/p1"]
    assert [(k, why) for _, k, why in report.kept] == [
        ("m1/p2", "a person's draft is kept"), ("m1/p3", "changed since it was read")]
    assert get_translation(wb, resource="m1", key="m1/p2", language="de").forms == ("Mensch",)
    p1 = get_translation(wb, resource="m1", key="m1/p1", language="de")
    assert (p1.state, p1.origin) == (S.DRAFT, "mt:fake")
    assert history(wb, resource="m1", key="m1/p1", language="de")[-1].action == "suggest"

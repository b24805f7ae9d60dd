"""The state machine: every allowed transition, and every refused one with a clear error."""

import pytest

from workbench.domain.errors import TransitionError
from workbench.domain.states import TRANSITIONS, Action, State, transition

S, A = State, Action

ALLOWED = [
    (S.UNTRANSLATED, A.EDIT, S.TRANSLATED),
    (S.DRAFT, A.EDIT, S.TRANSLATED),
    (S.APPROVED, A.EDIT, S.TRANSLATED),
    (S.TRANSLATED, A.SAVE_DRAFT, S.DRAFT),
    (S.UNTRANSLATED, A.SUGGEST, S.DRAFT),
    (S.DRAFT, A.SUGGEST, S.DRAFT),
    (S.TRANSLATED, A.APPROVE, S.APPROVED),
    (S.TRANSLATED, A.REJECT, S.DRAFT),
    (S.APPROVED, A.REJECT, S.DRAFT),
    (S.TRANSLATED, A.SOURCE_CHANGED, S.DRAFT),
    (S.APPROVED, A.SOURCE_CHANGED, S.DRAFT),
    (S.UNTRANSLATED, A.SOURCE_CHANGED, S.UNTRANSLATED),
    (S.APPROVED, A.CLEAR, S.UNTRANSLATED),
    (S.DRAFT, A.REVERT, S.TRANSLATED),
]

REFUSED = [
    (S.UNTRANSLATED, A.APPROVE, "only a translation awaiting review"),
    (S.DRAFT, A.APPROVE, "only a translation awaiting review"),
    (S.APPROVED, A.APPROVE, "only a translation awaiting review"),
    (S.UNTRANSLATED, A.REJECT, "only a translated or approved"),
    (S.DRAFT, A.REJECT, "only a translated or approved"),
    (S.TRANSLATED, A.SUGGEST, "never replaces"),
    (S.APPROVED, A.SUGGEST, "never replaces"),
]


@pytest.mark.parametrize("current,action,expected", ALLOWED)
def test_allowed(current, action, expected):
    assert transition(current, action) is expected


@pytest.mark.parametrize("current,action,why", REFUSED)
def test_refused(current, action, why):
    with pytest.raises(TransitionError) as info:
        transition(current, action)
    assert why in str(info.value)
    assert current.value in str(info.value)


def test_table_is_complete_for_every_pair():
    """Every (state, action) pair is either in the table or refused with an error."""
    for state in State:
        for action in Action:
            if (state, action) in TRANSITIONS:
                assert transition(state, action) in State
            else:
                with pytest.raises(TransitionError):
                    transition(state, action)

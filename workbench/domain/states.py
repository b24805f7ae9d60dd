"""Translation states and the one table of allowed transitions."""

from __future__ import annotations

from enum import StrEnum

from workbench.domain.errors import TransitionError


class State(StrEnum):
    UNTRANSLATED = "untranslated"
    DRAFT = "draft"
    TRANSLATED = "translated"
    APPROVED = "approved"


class Action(StrEnum):
    """What happens to a translation; each action moves it to a new state."""

    EDIT = "edit"                  # a person saves a finished text: ready for review
    SAVE_DRAFT = "save-draft"      # a person saves unfinished work, or marks it draft
    SUGGEST = "suggest"            # machine or memory text inserted: always a draft
    APPROVE = "approve"            # a reviewer accepts it
    REJECT = "reject"              # a reviewer sends it back, with a comment
    SOURCE_CHANGED = "source-changed"  # the source text changed: the translation is stale
    CLEAR = "clear"                # the text is removed
    REVERT = "revert"              # an earlier text restored as a new change


S, A = State, Action

#: (from, action) -> to. Anything not listed is refused.
TRANSITIONS: dict[tuple[State, Action], State] = {
    **{(s, A.EDIT): S.TRANSLATED for s in S},
    **{(s, A.SAVE_DRAFT): S.DRAFT for s in S},
    (S.UNTRANSLATED, A.SUGGEST): S.DRAFT,
    (S.DRAFT, A.SUGGEST): S.DRAFT,
    (S.TRANSLATED, A.APPROVE): S.APPROVED,
    (S.TRANSLATED, A.REJECT): S.DRAFT,
    (S.APPROVED, A.REJECT): S.DRAFT,
    (S.UNTRANSLATED, A.SOURCE_CHANGED): S.UNTRANSLATED,
    (S.DRAFT, A.SOURCE_CHANGED): S.DRAFT,
    (S.TRANSLATED, A.SOURCE_CHANGED): S.DRAFT,
    (S.APPROVED, A.SOURCE_CHANGED): S.DRAFT,
    **{(s, A.CLEAR): S.UNTRANSLATED for s in S},
    **{(s, A.REVERT): S.TRANSLATED for s in S},
}

_WHY: dict[Action, str] = {
    A.SUGGEST: "a suggestion never replaces a translated or approved text",
    A.APPROVE: "only a translation awaiting review (translated) can be approved",
    A.REJECT: "only a translated or approved translation can be rejected",
}


def transition(current: State, action: Action) -> State:
    """The state after `action`, or a TransitionError saying why it is not allowed."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        why = _WHY.get(action, "not allowed")
        raise TransitionError(f"cannot {action.value} a translation that is {current.value}: {why}") from None


def allowed_actions(current: State) -> tuple[Action, ...]:
    return tuple(a for (s, a) in TRANSITIONS if s is current)

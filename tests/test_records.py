"""domain.records.positional_maker: the same objects as the dataclasses' own constructors."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from workbench.domain.records import positional_maker
from workbench.domain.states import State
from workbench.domain.translations import Translation, make_translation
from workbench.domain.units import Unit, UnitKind, make_unit


@pytest.mark.parametrize("cls, make, args", [
    (Unit, make_unit, ("k", "m1", UnitKind.TEXT, "m1", 3, "Bonjour")),
    (Unit, make_unit, ("k", "v", UnitKind.CUE, "m1", 3, "Bonjour", None, "ctx", "note", ("a:1",), ("fuzzy",),
                       "Salut", 1000, 2500, "align:start", True, {"po": {"x": 1}})),
    (Translation, make_translation, ("k", "m1", "de", ("Hallo",), State.DRAFT)),
    (Translation, make_translation, ("k", "m1", "de", ("a", "b"), State.APPROVED, 4, "anna", "mt:deepl", "gut",
                                     "# note", "Salut", None)),
])
def test_a_maker_makes_what_the_constructor_makes(cls, make, args):
    made = make(*args)
    assert type(made) is cls and made == cls(*args)
    assert [getattr(made, s) for s in cls.__slots__] == [getattr(cls(*args), s) for s in cls.__slots__]
    with pytest.raises(FrozenInstanceError):
        made.key = "other"


def test_a_default_factory_gives_each_object_its_own_value():
    first, second = (make_unit("k", "m1", UnitKind.TEXT, "m1", i, "s") for i in (1, 2))
    assert first.extra == {} and first.extra is not second.extra


def test_a_class_with_post_init_is_refused():
    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int
        items: list = field(default_factory=list)

        def __post_init__(self):
            if self.value < 0:
                raise ValueError

    with pytest.raises(TypeError, match="__post_init__"):
        positional_maker(Checked)

"""Helpers for the table-driven check tests: run one check on a source and a translation."""

from __future__ import annotations

from typing import Sequence

from workbench.domain.checks.base import Check, CheckContext, Issue
from workbench.domain.states import State
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind, kind_for_catalog_key


def unit(source: str, *, key: str = "m1/lesson-1/p1", plural: str | None = None, flags: Sequence[str] = (),
         kind: UnitKind | None = None, resource: str = "m1", position: int = 0, **extra) -> Unit:
    return Unit(key=key, resource=resource, kind=kind or kind_for_catalog_key(key), module="m1",
                position=position, source=source, source_plural=plural, flags=tuple(flags), **extra)


def translation(u: Unit, forms: str | Sequence[str], language: str = "de") -> Translation:
    forms = (forms,) if isinstance(forms, str) else tuple(forms)
    return Translation(key=u.key, resource=u.resource, language=language, forms=forms, state=State.TRANSLATED)


def run(check: type[Check], source: str, target: str | Sequence[str], *, language: str = "de",
        source_language: str = "fr", ctx: CheckContext | None = None, **unit_args) -> list[Issue]:
    """The issues `check` finds (its applies_to respected, as the service does)."""
    u = unit(source, **unit_args)
    t = translation(u, target, language)
    ctx = ctx or CheckContext(language, source_language)
    instance = check()
    if not instance.applies_to(u, t, ctx):
        return []
    return list(instance.run(u, t, ctx))

"""The check framework: a check is a small class that looks at one translation and returns issues."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Iterable, Sequence

from workbench.domain.settings import SubtitleLimits
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found by a check in one translation."""

    check: str
    severity: Severity
    message: str
    span: tuple[int, int] | None = None    # where in the translation text (form `form`), if known
    form: int = 0                          # plural form index
    fix: str | None = None                 # a suggested replacement for the whole text, if any


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may need beyond the unit and its translation."""

    language: str
    source_language: str
    limits: SubtitleLimits = SubtitleLimits()
    #: neighbouring units and their translations in the same resource (subtitle cues, quiz items),
    #: in position order, the checked unit included
    neighbours: Sequence[tuple[Unit, Translation | None]] = ()
    #: services may put shared read-only helpers here (e.g. the term base matcher under "terms")
    extras: dict[str, Any] = field(default_factory=dict)


class Check:
    """Base of every check. Subclasses set the class attributes and implement `run`."""

    id: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    #: the unit kinds it applies to; empty means all kinds
    kinds: ClassVar[frozenset[UnitKind]] = frozenset()

    def applies_to(self, unit: Unit, translation: Translation, ctx: CheckContext) -> bool:
        if self.kinds and unit.kind not in self.kinds:
            return False
        return not translation.is_empty and self.applies_to_language(ctx.language)

    def applies_to_language(self, language: str) -> bool:
        """Whether the check has anything to say about translations into `language` (French
        typography only in French, say). The service asks once per language and leaves out a
        check that says no; a check whose applicability depends only on the language, the kind
        and an empty text overrides this rather than `applies_to`, so that nothing more is asked
        per translation."""
        return True

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        raise NotImplementedError

    def issue(self, message: str, *, span: tuple[int, int] | None = None, form: int = 0,
              fix: str | None = None, severity: Severity | None = None) -> Issue:
        return Issue(self.id, severity or self.severity, message, span=span, form=form, fix=fix)

"""A unit's translation into one language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workbench.domain.records import positional_maker
from workbench.domain.states import State


class Origin:
    """Where a text came from: a person, the memory, a machine, or a file import."""

    HUMAN = "human"
    MEMORY = "tm"
    IMPORT = "import"

    @staticmethod
    def machine(provider: str) -> str:
        return f"mt:{provider}"

    @staticmethod
    def is_machine(origin: str) -> bool:
        return origin.startswith("mt:")


@dataclass(frozen=True, slots=True)
class Translation:
    """The text of a unit in one language (all plural forms), its state and provenance."""

    key: str
    resource: str
    language: str
    forms: tuple[str, ...]
    state: State
    version: int = 0
    author: str | None = None
    origin: str = Origin.HUMAN
    comment: str | None = None          # the reviewer's last comment
    translator_comments: str = ""       # per-language comments kept from the catalog
    previous_source: str | None = None  # the source this text was made for, when it changed since
    updated_at: datetime | None = None

    @property
    def text(self) -> str:
        return self.forms[0] if self.forms else ""

    @property
    def is_empty(self) -> bool:
        return not any(self.forms)


#: Translation(...) for bulk loads (fields in order), about twice as fast (domain/records.py).
make_translation = positional_maker(Translation)

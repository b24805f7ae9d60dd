"""The provider interface: translate a batch of texts from one language to another, with options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, ClassVar, Mapping, Protocol, Sequence

from workbench.domain.errors import WorkbenchError


@dataclass(frozen=True, slots=True)
class Glossary:
    """The term base as glossary dictionaries: (source, target) language pair -> {term: translation}."""

    name: str
    dictionaries: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)

    def entries(self, source: str, target: str) -> Mapping[str, str]:
        return self.dictionaries.get((source, target), {})


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """How to translate one batch; every text of the batch shares these."""

    glossary: Mapping[str, str] | None = None   # preferred source term -> preferred target term
    formality: str | None = None                # more, less, default, prefer_more, prefer_less
    context: str | None = None                  # text around the batch: not translated, not billed
    protect_markup: bool = True                 # keep placeholders, tags and Markdown links intact
    split_sentences: bool = True                # False for subtitle cues: one cue is one segment


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A machine translation of one text, with the provider that made it."""

    text: str
    provider: str
    billed_characters: int = 0


class Provider(Protocol):
    """A machine translation service; `id` is the stable lowercase name in the registry."""

    id: ClassVar[str]
    #: Set by the caller: told, in a short line, when the provider waits before trying again (a
    #: network failure, a busy server), so that a person does not watch a frozen screen.
    on_wait: Callable[[str], None] | None

    def translate(self, texts: Sequence[str], *, source: str, target: str,
                  options: TranslateOptions) -> list[Suggestion]: ...

    def prepare_glossary(self, glossary: Glossary, *, source: str) -> None:
        """Make the term base available to later translate() calls (upload it if needed)."""
        ...

    def close(self) -> None: ...


class MtError(WorkbenchError):
    """Machine translation failed; the message says what to do.

    `partial`: the suggestions for the first texts of the batch, translated (and billed) before
    the failure, in order; a provider that sends a batch in several requests fills it.
    """

    partial: Sequence[Suggestion] = ()


class MtAuthError(MtError):
    """The provider refused the credentials."""


class MtQuotaError(MtError):
    """The character quota is used up: stop, keep what was done."""


class MtUnavailableError(MtError):
    """Too many requests or a server error, still failing after the retries."""


class MtConnectionError(MtError):
    """The provider cannot be reached."""


class MtConfigError(MtError):
    """The provider is not configured (no key, unknown provider)."""

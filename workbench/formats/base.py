"""What every file format adapter reads and writes, independent of the format."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol, Sequence

from workbench.domain.states import State
from workbench.domain.translations import Translation
from workbench.domain.units import Unit


@dataclass(slots=True)
class SourceDocument:
    """The units of one source file (a template or a source-language subtitle file)."""

    resource: str
    kind: str                       # "catalog" | "subtitles"
    units: list[Unit]
    meta: dict = field(default_factory=dict)   # header and format-specific blocks, kept for export


@dataclass(slots=True)
class FileTranslation:
    """One entry of a translation file as found on disk."""

    key: str
    forms: tuple[str, ...]
    state: State
    comment: str | None = None               # the reviewer's comment, when the file carries one
    translator_comments: str = ""
    previous_source: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass(slots=True)
class TranslationDocument:
    language: str
    resource: str
    entries: dict[str, FileTranslation]
    meta: dict = field(default_factory=dict)
    #: False when the format cannot say a translation's review state (SRT): an entry whose text is
    #: the stored one then changes nothing (state, reviewer's comment, previous source stay)
    states_known: bool = True
    #: False when the format does not say which source text an entry translates (subtitles: a cue
    #: has only its translation): such an entry cannot tell that it still fits a changed source
    sources_known: bool = True


@dataclass(slots=True)
class ExportOptions:
    approved_only: bool = False
    fallback_to_source: bool = True          # subtitles: an untranslated cue shows the source text
    last_translator: str | None = None
    revision_date: str | None = None         # "YYYY-MM-DD HH:MM+0000"


@dataclass(slots=True)
class ExportResult:
    outputs: dict[str, bytes]                 # file extension (".po", ".mo", ".vtt", ".srt") -> bytes
    written: int = 0                          # entries with a translation
    fallbacks: int = 0                        # subtitle cues that fell back to the source
    omitted: int = 0                          # subtitle cues left out


class SourceFormat(Protocol):
    """A format's reader of source files and reader/writer of translation files."""

    id: ClassVar[str]
    kind: ClassVar[str]

    def read_source(self, path: Path, *, resource: str, module: str, display_path: str) -> SourceDocument: ...

    def read_translation(self, path: Path, *, language: str, source: SourceDocument | None,
                         units: Sequence[Unit], display_path: str) -> TranslationDocument: ...

    def write_translation(self, *, language: str, units: Sequence[Unit],
                          translations: dict[str, Translation], meta: dict,
                          options: ExportOptions) -> ExportResult: ...

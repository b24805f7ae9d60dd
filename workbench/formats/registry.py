"""The explicit registry of file formats, by file extension."""

from __future__ import annotations

from workbench.formats.base import SourceFormat
from workbench.formats.po import PoFormat
from workbench.formats.srt import SrtFormat
from workbench.formats.vtt import VttFormat

#: Source files: extension -> format.
SOURCE_FORMATS: dict[str, SourceFormat] = {
    ".pot": PoFormat(),
    ".vtt": VttFormat(),
}

#: Translation files: extension -> format. The first match wins when several exist.
TRANSLATION_FORMATS: dict[str, SourceFormat] = {
    ".po": PoFormat(),
    ".vtt": VttFormat(),
    ".srt": SrtFormat(),
}


def source_format(suffix: str) -> SourceFormat | None:
    return SOURCE_FORMATS.get(suffix.lower())


def translation_format(suffix: str) -> SourceFormat | None:
    return TRANSLATION_FORMATS.get(suffix.lower())

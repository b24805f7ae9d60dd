"""The explicit registry of file formats, by file extension.

Each format's module is imported the first time a file of its kind is met: a command on
catalogs does not load the subtitle readers and writers (nor their Unicode tables), and the
other way round."""

from __future__ import annotations

from importlib import import_module

from workbench.formats.base import SourceFormat

#: Source files: extension -> the format's class, as "module:Class".
SOURCE_FORMATS: dict[str, str] = {
    ".pot": "workbench.formats.po:PoFormat",
    ".vtt": "workbench.formats.vtt:VttFormat",
}

#: Translation files: extension -> the format's class, as "module:Class". The first match wins
#: when several exist.
TRANSLATION_FORMATS: dict[str, str] = {
    ".po": "workbench.formats.po:PoFormat",
    ".vtt": "workbench.formats.vtt:VttFormat",
    ".srt": "workbench.formats.srt:SrtFormat",
}

_INSTANCES: dict[str, SourceFormat] = {}


def _format(where: str | None) -> SourceFormat | None:
    if where is None:
        return None
    found = _INSTANCES.get(where)
    if found is None:
        module, _, name = where.partition(":")
        found = _INSTANCES.setdefault(where, getattr(import_module(module), name)())
    return found


def source_format(suffix: str) -> SourceFormat | None:
    return _format(SOURCE_FORMATS.get(suffix.lower()))


def translation_format(suffix: str) -> SourceFormat | None:
    return _format(TRANSLATION_FORMATS.get(suffix.lower()))

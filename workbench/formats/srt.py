"""SubRip (.srt) subtitles: read as translations (strictly, every problem with its line), written with .vtt.

Parsed by hand: webvtt-py's SRT reader renumbers cues, drops empty ones, merges a cue's second
paragraph into it and reads `,5` as 5 ms. SRT has no entities, so text is kept literally (`&` is
`&`); `<i>`, `<b>`, `<u>` and `<font>` are kept; ASS overrides such as `{\an8}` are dropped with a
warning (the export uses the source's cue settings). A file without numbers or with a blank line
inside a cue is refused with the line of each problem.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar, Sequence

from workbench.domain.errors import FormatError, FormatErrors
from workbench.domain.subtitles import ASS_OVERRIDE
from workbench.domain.translations import Translation
from workbench.domain.units import Unit
from workbench.formats.base import ExportOptions, ExportResult, SourceDocument, TranslationDocument
from workbench.formats.subtitle_common import (
    Cue, Problems, decode, duplicate_keys, match_cues,
)
from workbench.formats.vtt import export_subtitles, translation_entries

_TIME = r"(\d+):(\d{2}):(\d{2})[,.](\d{3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+(?P<rest>.*?))?\s*$")
_LOOSE_TIMING = re.compile(r"-->|->|\d+:\d+")


def _ms(h: str, m: str, s: str, frac: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(frac)


def parse_srt(data: bytes, problems: Problems) -> tuple[list[Cue], dict]:
    """Every cue of an .srt file, and its layout (BOM, line ends)."""
    decoded = decode(data, problems)
    if decoded is None:
        return [], {}
    lines = decoded.lines
    cues: list[Cue] = []
    overrides = 0
    pos = 0
    while pos < len(lines):
        if not lines[pos].strip():
            pos += 1
            continue
        start = pos
        block = []
        while pos < len(lines) and lines[pos].strip():
            block.append(lines[pos])
            pos += 1
        number = block[0].strip()
        if not number.isdigit():
            if _TIMING.match(block[0]):
                problems.error(start + 1, "cue number missing before the timing line")
            elif cues:
                problems.error(start + 1, f"text {number[:40]!r} outside a cue: a blank line inside "
                                          f"the cue at line {cues[-1].line}? (a blank line ends a cue)")
            else:
                problems.error(start + 1, f"expected a cue number, found {number[:40]!r}")
            continue
        if len(block) < 2:
            problems.error(start + 2, f"cue {number} has no timing line ('00:00:01,000 --> 00:00:02,000')")
            continue
        m = _TIMING.match(block[1])
        if not m:
            problems.error(start + 2, f"bad timing line {block[1].strip()!r}: expected "
                                      "'HH:MM:SS,mmm --> HH:MM:SS,mmm'")
            continue
        g = m.groups()
        if any(int(x) > 59 for x in (g[1], g[2], g[5], g[6])):
            problems.error(start + 2, "minutes and seconds must be below 60")
            continue
        begin, end = _ms(*g[0:4]), _ms(*g[4:8])
        if end < begin:
            problems.error(start + 2, f"cue ends before it starts ({block[1].strip()})")
        elif end == begin:
            problems.error(start + 2, f"cue ends when it starts ({block[1].strip()}): it is never shown")
        if m.group("rest"):
            problems.warn(start + 2, f"position {m.group('rest')!r} after the times is ignored")
        text = "\n".join(block[2:])
        if ASS_OVERRIDE.search(text):
            overrides += 1
            text = "\n".join(l for l in (ASS_OVERRIDE.sub("", l) for l in text.split("\n")) if l.strip())
        cues.append(Cue(line=start + 1, identifier=str(int(number)), start_ms=begin, end_ms=end,
                        settings="", text=text, index=len(cues) + 1))
    if overrides:
        problems.warn(None, f"{overrides} cue(s) had ASS overrides such as {{\\an8}}; dropped "
                            "(exports use the source's cue settings)")
    return cues, {"format": "srt", "bom": decoded.bom, "newline": decoded.newline}


class SrtFormat:
    id: ClassVar[str] = "srt"
    kind: ClassVar[str] = "subtitles"

    def read_source(self, path: Path, *, resource: str, module: str, display_path: str) -> SourceDocument:
        raise FormatError(display_path, None, "SRT is read only as a translation; "
                                              "source subtitles must be WebVTT (.vtt)")

    def read_translation(self, path: Path, *, language: str, source: SourceDocument | None,
                         units: Sequence[Unit], display_path: str) -> TranslationDocument:
        problems = Problems(display_path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FormatError(display_path, None, f"cannot read: {exc.strerror or exc}") from None
        cues, meta = parse_srt(data, problems)
        resource = source.resource if source is not None else (units[0].resource if units else "")
        duplicate_keys(cues, resource, problems)
        matched = match_cues(cues, units, resource=resource, problems=problems, prefer_timing=True)
        if problems.errors:
            raise FormatErrors(problems.errors)
        entries = translation_entries(matched, states=None, problems=problems)
        meta["warnings"] = problems.warnings
        meta["unknown_entries"] = sum(1 for _, unit in matched if unit is None)
        return TranslationDocument(language=language, resource=resource, entries=entries, meta=meta,
                                   states_known=False, sources_known=False)

    def write_translation(self, *, language: str, units: Sequence[Unit],
                          translations: dict[str, Translation], meta: dict,
                          options: ExportOptions) -> ExportResult:
        return export_subtitles(language=language, units=units, translations=translations,
                                meta=meta, options=options)

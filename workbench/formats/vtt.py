"""WebVTT subtitles: a strict reader that follows the WebVTT parsing algorithm, and a faithful writer.

We parse by hand instead of through webvtt-py: its reader drops a malformed cue block without a
word (strict mode stops at the first problem), moves STYLE and REGION blocks, rewrites NOTE
blocks, loses CRLF and does not decode entities; we need every problem with its line and every
block where it was. The reader follows https://www.w3.org/TR/webvtt1/#file-parsing, so it accepts
what browsers accept (`MM:SS.mmm` without hours, header lines, a cue right after the header), and
reports as errors what browsers would silently drop (a bad timing line, a block that is no cue).

Conventions: a cue's unit key is `<video>/<identifier>`, or `<video>/#<n>` (its 1-based position
in the source file) for a cue without identifier. Unit text has entities decoded and tags kept;
a voice tag spanning the whole cue (`<v Nadia>`) is kept in the unit's extra and put back on
export. A `<` that starts none of the known tags is text, so `a < b` survives; a literal `<i>`
in text is therefore read back as a tag. A translated file may carry a `NOTE workbench-states`
block (`approved 1-38 40`, `draft 39`, `untranslated 41`); cues it does not list are translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Sequence

from workbench.domain.errors import FormatErrors
from workbench.domain.states import State
from workbench.domain.subtitles import KNOWN_TAG
from workbench.domain.translations import Translation
from workbench.domain.units import Unit
from workbench.formats.base import (
    ExportOptions, ExportResult, FileTranslation, SourceDocument, TranslationDocument,
)
from workbench.formats.subtitle_common import (
    BOM, STATES_NOTE, Cue, Problems, decode, decode_vtt_text, duplicate_keys, encode_srt_text,
    encode_vtt_text, format_states, format_time, join_voice, key_suffix, match_cues,
    overlap_warnings, parse_states, source_units, split_voice,
)

_WS = " \t\f"
_NOTE = re.compile(r"^NOTE(?:[ \t]|$)")
_STYLE = re.compile(r"^STYLE[ \t]*$")
_REGION = re.compile(r"^REGION[ \t]*$")
_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_LANGUAGE_LINE = re.compile(r"^Language:", re.IGNORECASE)


@dataclass(slots=True)
class Block:
    """A NOTE, STYLE or REGION block, and the index (1-based) of the cue that follows it."""

    kind: str                   # "note" | "style" | "region"
    lines: list[str]
    line: int
    before: int | None          # the following cue's index; None at the end of the file


@dataclass(slots=True)
class ParsedVtt:
    signature: str = "WEBVTT"
    header_lines: list[str] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    states: list[Block] = field(default_factory=list)
    bom: bool = False
    newline: str = "\n"
    short_times: bool = True    # no timestamp had hours


# -- timestamps and settings (WebVTT §6.3) -----------------------------------------------

class _TimeError(ValueError):
    pass


def _timestamp(s: str, pos: int) -> tuple[int, int, bool]:
    """Parse a timestamp at `pos`: (milliseconds, new position, had hours)."""
    def digits(p: int) -> tuple[str, int]:
        q = p
        while q < len(s) and s[q].isascii() and s[q].isdigit():
            q += 1
        return s[p:q], q

    first, pos = digits(pos)
    if not first:
        raise _TimeError("expected a time such as 00:01.000 or 00:00:01.000")
    hours = len(first) != 2 or int(first) > 59
    if pos >= len(s) or s[pos] != ":":
        raise _TimeError("expected ':' after the first number")
    second, pos = digits(pos + 1)
    if len(second) != 2:
        raise _TimeError("minutes and seconds need exactly two digits")
    if hours or (pos < len(s) and s[pos] == ":"):
        if pos >= len(s) or s[pos] != ":":
            raise _TimeError("expected ':' before the seconds")
        third, pos = digits(pos + 1)
        if len(third) != 2:
            raise _TimeError("seconds need exactly two digits")
        h, m, sec = int(first), int(second), int(third)
        hours = True
    else:
        h, m, sec = 0, int(first), int(second)
    if pos >= len(s) or s[pos] != ".":
        raise _TimeError("expected '.' and three digits of milliseconds (',' is SRT, not WebVTT)")
    frac, pos = digits(pos + 1)
    if len(frac) != 3:
        raise _TimeError("milliseconds need exactly three digits")
    if m > 59 or sec > 59:
        raise _TimeError("minutes and seconds must be below 60")
    return ((h * 60 + m) * 60 + sec) * 1000 + int(frac), pos, hours


def _skip_ws(s: str, pos: int) -> int:
    while pos < len(s) and s[pos] in _WS:
        pos += 1
    return pos


_FAST_TIME = r"(?:([0-9]+):([0-9]{2}):([0-9]{2})|([0-9]{2}):([0-9]{2}))\.([0-9]{3})(?![0-9])"
#: A well-formed timing line (the slow parser below reads it the same and says what is wrong with
#: any other); the minutes and seconds still need checking.
_FAST_TIMING = re.compile(rf"[ \t\f]*{_FAST_TIME}[ \t\f]*-->[ \t\f]*{_FAST_TIME}(.*)", re.DOTALL)


def parse_timing(line: str) -> tuple[int, int, str, bool]:
    """`start --> end settings` -> (start ms, end ms, settings, had hours); _TimeError if malformed."""
    m = _FAST_TIMING.fullmatch(line)
    if m is not None:
        h1, m1, s1, mm1, ss1, f1, h2, m2, s2, mm2, ss2, f2, settings = m.groups()
        if h1 is None:
            h1, m1, s1 = "0", mm1, ss1
        if h2 is None:
            h2, m2, s2 = "0", mm2, ss2
        minutes1, seconds1, minutes2, seconds2 = int(m1), int(s1), int(m2), int(s2)
        if minutes1 < 60 and seconds1 < 60 and minutes2 < 60 and seconds2 < 60:
            return (((int(h1) * 60 + minutes1) * 60 + seconds1) * 1000 + int(f1),
                    ((int(h2) * 60 + minutes2) * 60 + seconds2) * 1000 + int(f2),
                    settings.strip(_WS), mm1 is None or mm2 is None)
    pos = _skip_ws(line, 0)
    try:
        start, pos, h1 = _timestamp(line, pos)
    except _TimeError as exc:
        raise _TimeError(f"bad start time: {exc}") from None
    pos = _skip_ws(line, pos)
    if not line.startswith("-->", pos):
        raise _TimeError("expected '-->' between the start and end times")
    pos = _skip_ws(line, pos + 3)
    try:
        end, pos, h2 = _timestamp(line, pos)
    except _TimeError as exc:
        raise _TimeError(f"bad end time: {exc}") from None
    return start, end, line[pos:].strip(_WS), h1 or h2


_SETTING_VALUES = {
    "vertical": re.compile(r"^(?:rl|lr)$"),
    "line": re.compile(r"^(?:-?\d+(?:\.\d+)?|\d+(?:\.\d+)?%)(?:,(?:start|center|end))?$"),
    "position": re.compile(r"^\d+(?:\.\d+)?%(?:,(?:line-left|center|line-right))?$"),
    "size": re.compile(r"^\d+(?:\.\d+)?%$"),
    "align": re.compile(r"^(?:start|center|end|left|right)$"),
    "region": re.compile(r"^[^\s]+$"),
}


def setting_problems(settings: str) -> list[str]:
    """Cue settings that browsers ignore (unknown names, bad values, repeated)."""
    out = []
    seen: set[str] = set()
    for token in settings.split():
        name, colon, value = token.partition(":")
        if not colon or name not in _SETTING_VALUES or not value:
            out.append(f"cue setting {token!r} is unknown; browsers ignore it")
        elif not _SETTING_VALUES[name].match(value):
            out.append(f"cue setting {token!r} has a bad value; browsers ignore it")
        elif name in seen:
            out.append(f"cue setting {name!r} is given twice; browsers use the last one")
        seen.add(name)
    return out


# -- the file parser (WebVTT §6.1) -------------------------------------------------------

def parse_vtt(data: bytes, problems: Problems) -> ParsedVtt:
    """Every cue and block of a .vtt file; problems collected, none skipped."""
    parsed = ParsedVtt()
    decoded = decode(data, problems)
    if decoded is None:
        return parsed
    lines, parsed.bom, parsed.newline = decoded.lines, decoded.bom, decoded.newline
    if not _SIGNATURE.match(lines[0]):
        problems.error(1, "missing WEBVTT header: the first line must be 'WEBVTT'")
        return parsed
    parsed.signature = lines[0]
    pos = 1
    while pos < len(lines) and lines[pos] != "" and "-->" not in lines[pos]:
        parsed.header_lines.append(lines[pos])
        pos += 1
    seen_cue = False
    while True:
        while pos < len(lines) and lines[pos] == "":
            pos += 1
        if pos >= len(lines):
            break
        pos, seen_cue = _block(lines, pos, parsed, problems, seen_cue)
    for block in parsed.blocks:
        if block.before is not None and block.before > len(parsed.cues):
            block.before = None
    return parsed


def _block(lines: list[str], pos: int, parsed: ParsedVtt, problems: Problems,
           seen_cue: bool) -> tuple[int, bool]:
    """Collect one block starting at `pos` (WebVTT "collect a WebVTT block"); the next position."""
    start = pos
    buffer: list[str] = []
    count = 0
    seen_arrow = False
    cue: Cue | None = None
    timing_failed = False
    kind: str | None = None
    while pos < len(lines):
        line = lines[pos]
        count += 1
        if "-->" in line:
            if count == 1 or (count == 2 and not seen_arrow):
                seen_arrow = True
                identifier = buffer[0] if buffer else None
                try:
                    begin, end, settings, had_hours = parse_timing(line)
                except _TimeError as exc:
                    problems.error(pos + 1, f"{exc}: {line.strip()!r}; browsers drop this cue")
                    timing_failed = True
                else:
                    if had_hours:
                        parsed.short_times = False
                    cue = Cue(line=start + 1, identifier=identifier, start_ms=begin, end_ms=end,
                              settings=settings, text="")
                    if end < begin:
                        problems.error(pos + 1, f"cue ends before it starts ({line.strip()})")
                    elif end == begin:
                        problems.error(pos + 1, f"cue ends when it starts ({line.strip()}): it is never shown")
                    if settings:
                        for problem in setting_problems(settings):
                            problems.warn(pos + 1, problem)
                    buffer = []
                    seen_cue = True
                pos += 1
                continue
            break                      # a timing line further down starts the next block
        if line == "":
            break
        if count == 2 and not seen_cue and not seen_arrow and buffer:
            if _STYLE.match(buffer[0]):
                kind = "style"
            elif _REGION.match(buffer[0]):
                kind = "region"
        buffer.append(line)
        pos += 1
    if cue is not None:
        if cue.identifier is not None and cue.identifier.startswith("NOTE") and _NOTE.match(cue.identifier):
            problems.error(start + 1, "a NOTE block must not contain '-->': browsers show it as a cue")
        raw = "\n".join(buffer)
        cue.text = decode_vtt_text(raw)
        cue.index = len(parsed.cues) + 1
        if "<" in raw and "<" in KNOWN_TAG.sub("", raw):
            problems.warn(start + 1, "a '<' in the text that starts no known tag: browsers read a tag "
                                     "there and hide text; write '&lt;'")
        parsed.cues.append(cue)
        return pos, seen_cue
    if timing_failed:
        return pos, seen_cue
    first = buffer[0] if buffer else ""
    before = len(parsed.cues) + 1
    if kind is not None:
        parsed.blocks.append(Block(kind, buffer, start + 1, before))
    elif _NOTE.match(first):
        if first.strip() == STATES_NOTE:
            parsed.states.append(Block("note", buffer, start + 1, before))
        else:
            parsed.blocks.append(Block("note", buffer, start + 1, before))
    elif _STYLE.match(first) or _REGION.match(first):
        if seen_cue:
            problems.error(start + 1, f"{first.strip()} block after the first cue: browsers ignore it; "
                                      "move it before the first cue")
        else:
            parsed.blocks.append(Block(first.strip().lower(), buffer, start + 1, before))
    elif re.search(r"\d:\d\d", first) or (len(buffer) > 1 and re.search(r"\d:\d\d", buffer[1])):
        bad = 1 if len(buffer) > 1 and re.search(r"\d:\d\d", buffer[1]) else 0
        problems.error(start + 1 + bad, f"bad timing line {buffer[bad].strip()!r}: expected "
                                        "'start --> end'; browsers drop this cue")
    else:
        problems.error(start + 1, f"block {first.strip()[:40]!r} is neither a cue (no 'start --> end' "
                                  "line) nor a NOTE, STYLE or REGION block; browsers ignore it")
    return pos, seen_cue


def _states_of(parsed: ParsedVtt, problems: Problems) -> dict[str, State] | None:
    if not parsed.states:
        return None
    for extra in parsed.states[1:]:
        problems.error(extra.line, f"a second {STATES_NOTE} block (the first is at line {parsed.states[0].line})")
    block = parsed.states[0]
    return parse_states(block.lines, block.line, problems)


def _raise(problems: Problems) -> None:
    if problems.errors:
        raise FormatErrors(problems.errors)


def _note_comments(parsed: ParsedVtt) -> dict[int, str]:
    """The NOTE right before a cue, as a comment for translators (without the word NOTE)."""
    out: dict[int, str] = {}
    for block in parsed.blocks:
        if block.kind == "note" and block.before is not None:
            body = [block.lines[0][4:].strip(), *block.lines[1:]]
            text = "\n".join(l for l in body if l.strip())
            if text:
                out[block.before] = "\n".join(x for x in (out.get(block.before, ""), text) if x)
    return out


def _layout_meta(parsed: ParsedVtt, keys: dict[int, str]) -> dict:
    return {
        "format": "vtt",
        "signature": parsed.signature,
        "header_lines": list(parsed.header_lines),
        "blocks": [{"kind": b.kind, "lines": list(b.lines),
                    "before": keys.get(b.before) if b.before is not None else None}
                   for b in parsed.blocks],
        "bom": parsed.bom,
        "newline": parsed.newline,
        "short_times": parsed.short_times,
    }


# -- writing -----------------------------------------------------------------------------

@dataclass(slots=True)
class OutCue:
    unit: Unit
    text: str                     # stored text (decoded, tags), voice included
    state: State                  # UNTRANSLATED for a cue showing the source text


def build_cues(units: Sequence[Unit], translations: dict[str, Translation],
               options: ExportOptions) -> tuple[list[OutCue], int, int, int]:
    """The cues an export writes, with (written, fallbacks, omitted)."""
    out: list[OutCue] = []
    written = fallbacks = omitted = 0
    for unit in sorted((u for u in units if not u.obsolete), key=lambda u: u.position):
        t = translations.get(unit.key)
        if t is not None and not t.is_empty and (not options.approved_only or t.state is State.APPROVED):
            out.append(OutCue(unit, join_voice(unit, t.text), t.state))
            written += 1
        elif options.fallback_to_source:
            out.append(OutCue(unit, join_voice(unit, unit.source), State.UNTRANSLATED))
            fallbacks += 1
        else:
            omitted += 1
    return out, written, fallbacks, omitted


def _choose_blocks(source_meta: dict, lang_meta: dict) -> list[dict]:
    """The blocks to write: NOTEs from the translated .vtt once there is one, else the source's;
    STYLE and REGION from the translated file when it has some, else the source's (cue settings
    may name a region)."""
    own = lang_meta.get("blocks", []) if lang_meta.get("format") == "vtt" else []
    theirs = source_meta.get("blocks", [])
    layout_own = any(b["kind"] != "note" for b in own)
    notes_own = lang_meta.get("format") == "vtt"
    if layout_own == notes_own:
        return list(own if layout_own else theirs)          # one file's blocks, in its order
    layout = [b for b in (own if layout_own else theirs) if b["kind"] != "note"]
    notes = [b for b in (own if notes_own else theirs) if b["kind"] == "note"]
    return layout + notes


def _anchored(blocks: list[dict], positions: dict[str, int]) -> list[tuple[float, int, dict]]:
    """(where, order, block): a block goes before the first written cue at or after `where`.

    STYLE and REGION blocks (and the NOTEs before them) stay before every cue, as WebVTT requires;
    a NOTE goes before the cue it preceded, or the next written one; one at the end stays there.
    """
    last_layout = max((i for i, b in enumerate(blocks) if b["kind"] != "note"), default=-1)
    out = []
    for i, b in enumerate(blocks):
        if b["kind"] != "note" or i < last_layout:
            where = -1.0
        elif b.get("before") is None:
            where = float("inf")
        else:
            where = float(positions.get(b["before"], float("inf")))
        out.append((where, i, b))
    return sorted(out, key=lambda a: (a[0], a[1]))


def _header(language: str, source_meta: dict, lang_meta: dict) -> tuple[str, list[str]]:
    if lang_meta.get("format") == "vtt":
        return lang_meta.get("signature", "WEBVTT"), list(lang_meta.get("header_lines", []))
    lines = [f"Language: {language}" if _LANGUAGE_LINE.match(l) else l
             for l in source_meta.get("header_lines", [])]
    return source_meta.get("signature", "WEBVTT"), lines


def write_vtt(cues: Sequence[OutCue], *, language: str, source_meta: dict, lang_meta: dict,
              positions: dict[str, int], with_states: bool) -> str:
    signature, header_lines = _header(language, source_meta, lang_meta)
    short = bool(source_meta.get("short_times", False))
    parts: list[list[str]] = []
    if with_states:
        states = format_states([(key_suffix(c.unit), c.state) for c in cues])
        if states:
            parts.append(states)
    anchors = _anchored(_choose_blocks(source_meta, lang_meta), positions)
    k = 0
    for cue in cues:
        unit = cue.unit
        while k < len(anchors) and anchors[k][0] <= unit.position:
            parts.append(list(anchors[k][2]["lines"]))
            k += 1
        timing = (f"{format_time(unit.start_ms or 0, short=short)} --> "
                  f"{format_time(unit.end_ms or 0, short=short)}")
        if unit.cue_settings:
            timing += " " + unit.cue_settings
        identifier = unit.extra.get("identifier")
        block = [identifier, timing] if identifier else [timing]
        text = encode_vtt_text(cue.text)
        if text:
            block.append(text)           # its lines, already joined by "\n"
        parts.append(block)
    parts.extend(list(a[2]["lines"]) for a in anchors[k:])
    head = "\n".join([signature, *header_lines])
    body = "\n\n".join("\n".join(p) for p in parts)
    return head + "\n\n" + body + "\n" if body else head + "\n"


def write_srt(cues: Sequence[OutCue]) -> str:
    idents = [c.unit.extra.get("identifier") for c in cues]
    numeric = all(i and i.isdigit() for i in idents) and all(
        int(a) < int(b) for a, b in zip(idents, idents[1:]))
    parts = []
    for n, cue in enumerate(cues, start=1):
        unit = cue.unit
        number = idents[n - 1] if numeric else str(n)
        _, text = split_voice(cue.text)
        block = (f"{number}\n{format_time(unit.start_ms or 0, sep=',')} --> "
                 f"{format_time(unit.end_ms or 0, sep=',')}")
        body = encode_srt_text(text)
        parts.append(f"{block}\n{body}" if body else block)
    return "\n\n".join(parts) + "\n" if parts else ""


def encode_file(text: str, *, newline: str, bom: bool) -> bytes:
    if newline != "\n":
        text = text.replace("\n", newline)
    return ((BOM if bom else "") + text).encode("utf-8")


def export_subtitles(*, language: str, units: Sequence[Unit], translations: dict[str, Translation],
                     meta: dict, options: ExportOptions) -> ExportResult:
    """A language's .vtt and .srt for one video, with the source's times, identifiers and settings."""
    source_meta = meta.get("source") or {}
    lang_meta = meta.get("language") or {}
    cues, written, fallbacks, omitted = build_cues(units, translations, options)
    style = lang_meta if lang_meta.get("format") in ("vtt", "srt") else source_meta
    newline, bom = style.get("newline", "\n"), bool(style.get("bom", False))
    vtt = write_vtt(cues, language=language, source_meta=source_meta, lang_meta=lang_meta,
                    positions={u.key: u.position for u in units}, with_states=not options.approved_only)
    srt = write_srt(cues)
    return ExportResult(outputs={".vtt": encode_file(vtt, newline=newline, bom=bom),
                                 ".srt": encode_file(srt, newline=newline, bom=bom)},
                        written=written, fallbacks=fallbacks, omitted=omitted)


# -- the format --------------------------------------------------------------------------

def translation_entries(matched, *, states: dict[str, State] | None, problems: Problems,
                        ) -> dict[str, FileTranslation]:
    """File entries for matched cues; a cue that shows the source text is not a translation."""
    entries: dict[str, FileTranslation] = {}
    same_as_source = 0
    for cue, unit in matched:
        if unit is None:
            continue
        voice, text = split_voice(cue.text)
        if voice is not None and voice.tag != unit.extra.get("voice_tag"):
            text = cue.text            # another voice than the source's: keep it in the text
        if not text.strip():
            continue
        listed = None
        if states is not None:
            listed = states.get(cue.identifier or "") or states.get(key_suffix(unit))
        if listed is State.UNTRANSLATED or (states is None and text == unit.source):
            if text == unit.source:
                same_as_source += 1
                continue
            listed = State.TRANSLATED
        entries[unit.key] = FileTranslation(key=unit.key, forms=(text,), state=listed or State.TRANSLATED)
    if same_as_source and states is None:
        problems.warn(None, f"{same_as_source} cue(s) show the source text; they stay untranslated")
    return entries


class VttFormat:
    id: ClassVar[str] = "vtt"
    kind: ClassVar[str] = "subtitles"

    def read_source(self, path: Path, *, resource: str, module: str, display_path: str) -> SourceDocument:
        problems = Problems(display_path)
        parsed = parse_vtt(_read(path, problems), problems)
        duplicate_keys(parsed.cues, resource, problems)
        for block in parsed.states:
            problems.warn(block.line, f"{STATES_NOTE} in a source file means nothing; ignored")
        _raise(problems)
        overlap_warnings(parsed.cues, problems)
        units = source_units(parsed.cues, resource=resource, module=module, comments=_note_comments(parsed))
        keys = {cue.index: unit.key for cue, unit in zip(parsed.cues, units)}
        meta = _layout_meta(parsed, keys)
        meta["warnings"] = problems.warnings
        return SourceDocument(resource=resource, kind=self.kind, units=units, meta=meta)

    def read_translation(self, path: Path, *, language: str, source: SourceDocument | None,
                         units: Sequence[Unit], display_path: str) -> TranslationDocument:
        problems = Problems(display_path)
        parsed = parse_vtt(_read(path, problems), problems)
        resource = source.resource if source is not None else (units[0].resource if units else "")
        states = _states_of(parsed, problems)
        duplicate_keys(parsed.cues, resource, problems)
        matched = match_cues(parsed.cues, units, resource=resource, problems=problems)
        _raise(problems)
        entries = translation_entries(matched, states=states, problems=problems)
        _raise(problems)
        keys = {cue.index: unit.key for cue, unit in matched if unit is not None}
        meta = _layout_meta(parsed, keys)
        meta["warnings"] = problems.warnings
        meta["unknown_entries"] = sum(1 for _, unit in matched if unit is None)
        return TranslationDocument(language=language, resource=resource, entries=entries, meta=meta,
                                   sources_known=False)

    def write_translation(self, *, language: str, units: Sequence[Unit],
                          translations: dict[str, Translation], meta: dict,
                          options: ExportOptions) -> ExportResult:
        return export_subtitles(language=language, units=units, translations=translations,
                                meta=meta, options=options)


def _read(path: Path, problems: Problems) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        problems.error(None, f"cannot read: {exc.strerror or exc}")
        _raise(problems)
        return b""

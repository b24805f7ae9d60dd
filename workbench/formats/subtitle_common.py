"""What the WebVTT and SRT adapters share: decoding, times, cue text, voices, states and matching."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from workbench.domain.errors import FormatError
from workbench.domain.states import State
from workbench.domain.subtitles import ASS_OVERRIDE, KNOWN_TAG, VOICE_OPEN
from workbench.domain.units import Unit, UnitKind

BOM = "\ufeff"
#: The NOTE block that carries translation states in a translated .vtt file.
STATES_NOTE = "NOTE workbench-states"
#: States a states block may list; a cue not listed is "translated".
LISTED_STATES = (State.APPROVED, State.DRAFT, State.TRANSLATED, State.UNTRANSLATED)


@dataclass(slots=True)
class Cue:
    """One cue as read from a file."""

    line: int                       # where the cue block starts (identifier or timing line)
    identifier: str | None
    start_ms: int
    end_ms: int
    settings: str
    text: str                       # lines joined by "\n"; WebVTT entities decoded, tags kept
    index: int = 0                  # 1-based position among the file's cues


@dataclass(slots=True)
class Problems:
    """Errors (the file is refused) and warnings (it is imported) found while reading a file."""

    path: str
    errors: list[FormatError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, line: int | None, problem: str) -> None:
        self.errors.append(FormatError(self.path, line, problem))

    def warn(self, line: int | None, problem: str) -> None:
        self.warnings.append(f"{self.path}:{line}: {problem}" if line else f"{self.path}: {problem}")


# -- bytes to lines ----------------------------------------------------------------------

@dataclass(slots=True)
class Decoded:
    lines: list[str]
    bom: bool
    newline: str


def decode(data: bytes, problems: Problems) -> Decoded | None:
    """UTF-8 text (a BOM accepted) split into lines; CRLF, CR and LF line ends all accepted."""
    bom = data.startswith(BOM.encode("utf-8"))
    if bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        problems.error(line, "not UTF-8 text; save the file as UTF-8")
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    return Decoded(text.split("\n"), bom, newline)


# -- times -------------------------------------------------------------------------------

def format_time(ms: int, *, sep: str = ".", short: bool = False) -> str:
    """12345 -> "00:00:12.345" (or "00:12.345" when `short` and under an hour)."""
    return _format_time(ms, sep, short)


@lru_cache(maxsize=65536)
def _format_time(ms: int, sep: str, short: bool) -> str:
    """format_time, remembered: an export writes each cue's times once per language and format."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if short and hours == 0:
        return f"{minutes:02d}:{seconds:02d}{sep}{millis:03d}"
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{millis:03d}"


# -- cue text ----------------------------------------------------------------------------

def _split_tags(text: str) -> list[tuple[bool, str]]:
    """(is_tag, piece) in order; only well-formed known tags count as tags."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in KNOWN_TAG.finditer(text):
        if m.start() > pos:
            out.append((False, text[pos:m.start()]))
        out.append((True, m.group(0)))
        pos = m.end()
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


def decode_vtt_text(raw: str) -> str:
    """Cue text as stored: character references decoded outside tags, tags kept verbatim."""
    if "&" not in raw:
        return raw                 # nothing to decode (tags are kept as they are)
    return "".join(piece if is_tag else html.unescape(piece) for is_tag, piece in _split_tags(raw))


_VTT_ONLY = re.compile(r"^</?(?:c|v|lang|ruby|rt)\b|^<\d", re.IGNORECASE)
_HTML_ONLY = re.compile(r"^</?(?:font|br)\b", re.IGNORECASE)


#: Characters an encoder escapes, drops or reads as markup (tags, entities, ASS overrides, CR).
_SPECIAL_VTT = re.compile(r"[<>&{\r\u00a0\u200e\u200f]")
_SPECIAL_SRT = re.compile(r"[<\r]")
_BLANK_LINE = re.compile(r"^\s*$", re.MULTILINE)


def _plain(text: str, special: re.Pattern) -> bool:
    """Whether an encoder leaves `text` as it is: no special character and no blank line."""
    if special.search(text) is not None:
        return False
    return _BLANK_LINE.search(text) is None if "\n" in text else not text.isspace() and text != ""


def encode_vtt_text(text: str) -> str:
    """Cue text for a .vtt file: `&`, `<`, `>` escaped outside tags, SRT-only markup dropped."""
    if _plain(text, _SPECIAL_VTT):
        return text
    out: list[str] = []
    for is_tag, piece in _split_tags(_lf(text)):
        if is_tag:
            if re.match(r"^<br\b", piece, re.IGNORECASE):
                out.append("\n")
            elif not _HTML_ONLY.match(piece):
                out.append(piece)
        else:
            piece = ASS_OVERRIDE.sub("", piece)
            out.append(piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                       .replace("\u00a0", "&nbsp;").replace("\u200e", "&lrm;").replace("\u200f", "&rlm;"))
    return _no_blank_lines("".join(out))


def encode_srt_text(text: str) -> str:
    """Cue text for an .srt file: italics, bold, underline and font kept; WebVTT-only tags dropped."""
    if _plain(text, _SPECIAL_SRT):
        return text
    out: list[str] = []
    for is_tag, piece in _split_tags(_lf(text)):
        if is_tag:
            if re.match(r"^<br\b", piece, re.IGNORECASE):
                out.append("\n")
            elif not _VTT_ONLY.match(piece):
                out.append(re.sub(r"^<(/?[ibu])(?:\.[^\s>]*)?(?:[ \t][^>]*)?>$", r"<\1>", piece,
                                  flags=re.IGNORECASE))
        else:
            out.append(piece)
    return _no_blank_lines("".join(out))


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _no_blank_lines(text: str) -> str:
    """A blank line would end the cue: cue text never has one."""
    return "\n".join(line for line in text.split("\n") if line.strip())


@dataclass(frozen=True, slots=True)
class Voice:
    tag: str            # "<v.loud Nadia>" exactly as written
    name: str           # "Nadia"
    closed: bool        # the cue text ended with "</v>"


def split_voice(text: str) -> tuple[Voice | None, str]:
    """A voice tag that spans a whole cue, taken off its text (`<v Nadia>Bonjour` -> Nadia, Bonjour)."""
    if not text.startswith("<v"):
        return None, text
    m = VOICE_OPEN.match(text)
    if not m:
        return None, text
    rest = text[m.end():]
    closed = rest.endswith("</v>")
    if closed:
        rest = rest[:-4]
    if re.search(r"</?v[\s.>]", rest, re.IGNORECASE):
        return None, text          # several voices in one cue: the tags stay in the text
    return Voice(m.group(0), html.unescape(m.group("name")), closed), rest


def join_voice(unit: Unit, text: str) -> str:
    """The cue text with the source cue's voice tag put back, unless the text has its own."""
    tag = unit.extra.get("voice_tag") if unit.extra else None
    if not tag or VOICE_OPEN.match(text):
        return text
    return tag + text + ("</v>" if unit.extra.get("voice_closed") else "")


def voice_extra(voice: Voice | None) -> dict:
    if voice is None:
        return {}
    return {"voice": voice.name, "voice_tag": voice.tag, "voice_closed": voice.closed}


# -- keys and units ----------------------------------------------------------------------

def cue_suffix(identifier: str | None, index: int) -> str:
    """The part of a cue key after the video: its identifier, or `#<n>` (its 1-based position)."""
    return identifier if identifier else f"#{index}"


def cue_key(video: str, identifier: str | None, index: int) -> str:
    return f"{video}/{cue_suffix(identifier, index)}"


def key_suffix(unit: Unit) -> str:
    return suffix_of(unit.key, unit.resource)


def suffix_of(key: str, resource: str) -> str:
    """The part of a cue's key after its video (cue_suffix's), or the whole key if it has none."""
    return key[len(resource) + 1:] if key.startswith(resource + "/") else key


def source_units(cues: Sequence[Cue], *, resource: str, module: str,
                 comments: dict[int, str] | None = None) -> list[Unit]:
    units = []
    for position, cue in enumerate(cues):
        voice, text = split_voice(cue.text)
        units.append(Unit(
            key=cue_key(resource, cue.identifier, cue.index), resource=resource, kind=UnitKind.CUE,
            module=module, position=position, source=text, start_ms=cue.start_ms, end_ms=cue.end_ms,
            cue_settings=cue.settings, comments=(comments or {}).get(cue.index, ""),
            extra={"identifier": cue.identifier, **voice_extra(voice)},
        ))
    return units


def duplicate_keys(cues: Sequence[Cue], resource: str, problems: Problems) -> None:
    seen: dict[str, int] = {}
    for cue in cues:
        key = cue_key(resource, cue.identifier, cue.index)
        if key in seen:
            problems.error(cue.line, f"cue identifier {cue_suffix(cue.identifier, cue.index)!r} "
                                     f"already used at line {seen[key]}")
        else:
            seen[key] = cue.line


def overlap_warnings(cues: Sequence[Cue], problems: Problems) -> None:
    for before, cue in zip(cues, cues[1:]):
        if cue.start_ms < before.start_ms:
            problems.warn(cue.line, f"cue starts at {format_time(cue.start_ms)}, before the previous "
                                    f"cue (line {before.line}); players sort cues by start time")
        elif cue.start_ms < before.end_ms:
            problems.warn(cue.line, f"cue overlaps the previous cue (line {before.line}) by "
                                    f"{before.end_ms - cue.start_ms} ms")


# -- matching translated cues to the source ----------------------------------------------

def match_cues(cues: Sequence[Cue], units: Sequence[Unit], *, resource: str, problems: Problems,
               prefer_timing: bool = False) -> list[tuple[Cue, Unit | None]]:
    """Each translated cue's source cue: by identifier, else by identical timing.

    `prefer_timing` (SRT, whose numbers are often renumbered): identical timing first.
    """
    live = [u for u in units if not u.obsolete and u.kind is UnitKind.CUE]
    by_suffix = {key_suffix(u): u for u in live}
    by_time: dict[tuple[int | None, int | None], Unit] = {}
    for u in live:
        by_time.setdefault((u.start_ms, u.end_ms), u)
    matched: list[tuple[Cue, Unit | None]] = []
    used: dict[str, int] = {}
    retimed: list[Cue] = []
    for cue in cues:
        unit = by_time.get((cue.start_ms, cue.end_ms)) if prefer_timing else None
        if unit is None:
            unit = by_suffix.get(cue.identifier) if cue.identifier else None
        if unit is None:
            unit = by_time.get((cue.start_ms, cue.end_ms))
        elif (unit.start_ms, unit.end_ms) != (cue.start_ms, cue.end_ms):
            retimed.append(cue)
        if unit is None:
            what = f"cue {cue.identifier!r}" if cue.identifier else "cue"
            problems.warn(cue.line, f"{what} at {format_time(cue.start_ms)} matches no source cue "
                                    f"(no such identifier, no cue with the same times); ignored")
        elif unit.key in used:
            problems.error(cue.line, f"this cue and the one at line {used[unit.key]} both translate "
                                     f"source cue {key_suffix(unit)!r}")
            unit = None
        else:
            used[unit.key] = cue.line
        matched.append((cue, unit))
    if retimed:
        problems.warn(retimed[0].line, f"{len(retimed)} cue(s) have other times than the source "
                                       "(first here); exports use the source's times")
    return matched


# -- the states block --------------------------------------------------------------------

def parse_states(block_lines: Sequence[str], first_line: int, problems: Problems) -> dict[str, State]:
    """`approved 1-38 40` lines -> {"1": APPROVED, ...}; tokens are cue key suffixes."""
    states: dict[str, State] = {}
    where: dict[str, int] = {}
    names = {s.value: s for s in LISTED_STATES}
    for offset, line in enumerate(block_lines[1:], start=1):
        number = first_line + offset
        words = line.split()
        if not words:
            continue
        state = names.get(words[0])
        if state is None:
            problems.error(number, f"{STATES_NOTE}: unknown state {words[0]!r} "
                                   f"(expected one of {', '.join(names)})")
            continue
        for token in words[1:]:
            m = re.fullmatch(r"(\d+)-(\d+)", token)
            if m:
                low, high = int(m[1]), int(m[2])
                if low > high:
                    problems.error(number, f"{STATES_NOTE}: range {token} runs backwards")
                    continue
                tokens = [str(i) for i in range(low, high + 1)]
            else:
                tokens = [token]
            for t in tokens:
                if t in states and states[t] is not state:
                    problems.error(number, f"{STATES_NOTE}: cue {t} is listed as {states[t].value} "
                                           f"at line {where[t]} and as {state.value} here")
                states[t] = state
                where.setdefault(t, number)
    return states


def format_states(assignments: Sequence[tuple[str, State]]) -> list[str] | None:
    """The lines of a states block for (key suffix, state) pairs; None when all are translated."""
    lines = [STATES_NOTE]
    for state in (State.APPROVED, State.DRAFT, State.UNTRANSLATED):
        tokens = [suffix for suffix, s in assignments if s is state]
        if tokens:
            lines.append(f"{state.value} {' '.join(_compress(tokens))}")
    return lines if len(lines) > 1 else None


def _compress(tokens: Sequence[str]) -> list[str]:
    """Runs of consecutive numbers as ranges (`1 2 3 5` -> `1-3 5`); other tokens as they are."""
    numbers = sorted({int(t) for t in tokens if t.isdigit() and str(int(t)) == t})
    others = [t for t in tokens if not (t.isdigit() and str(int(t)) == t)]
    out: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        out.append(str(numbers[i]) if i == j else f"{numbers[i]}-{numbers[j]}")
        i = j + 1
    return out + others

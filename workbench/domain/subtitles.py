"""Subtitle text rules: character counting as Subtitle Edit does, reading speed, line breaking."""

from __future__ import annotations

import html
import itertools
import math
import re
from dataclasses import dataclass

import regex

# -- tags --------------------------------------------------------------------------------

#: A WebVTT cue text tag (`<i>`, `</c>`, `<c.loud>`, `<v Nadia>`, `<lang en>`, `<ruby>`, `<rt>`,
#: a timestamp `<00:01.500>`) or an SRT/HTML formatting tag (`<font color="red">`, `<br>`).
#: Anything else that starts with `<` is text ("a < b").
KNOWN_TAG = re.compile(
    r"<(?:"
    r"/?(?:c|i|b|u|ruby|rt|v|lang)(?:\.[^\s.<>&]+)*(?:[ \t][^<>\n]*)?"   # WebVTT (annotation after a space)
    r"|/?font(?:[ \t][^<>\n]*)?|br ?/?"                                     # SRT / HTML
    r"|(?:\d+:)?\d{2}:\d{2}\.\d{3}"                                          # timestamp tag
    r")>",
    re.IGNORECASE,
)
#: An ASS/SSA override such as `{\an8}` or `{\i1}` found in SRT files.
ASS_OVERRIDE = re.compile(r"\{\\[^{}\n]*\}")
#: The voice tag that may open a whole cue: `<v Nadia>` or `<v.loud Nadia>`.
VOICE_OPEN = re.compile(r"^<v(?P<classes>(?:\.[^\s.<>&]+)*)[ \t]+(?P<name>[^<>\n]*?)[ \t]*>")
#: Zero-width and bidirectional marks: shown as nothing, so not counted.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def strip_tags(text: str) -> str:
    """The text without formatting tags and ASS overrides (a lone `<` stays: it is text)."""
    return ASS_OVERRIDE.sub("", KNOWN_TAG.sub("", text))


def visible_text(text: str, *, decode_entities: bool = False) -> str:
    """What a viewer reads: tags removed; `decode_entities` for text straight from a file."""
    text = strip_tags(text)
    return html.unescape(text) if decode_entities else text


# -- counting ----------------------------------------------------------------------------

#: Below this (the combining diacritical marks) every character is a grapheme cluster of its own: no
#: combining marks, joiners, prepended marks or invisible marks (tests/test_subtitle_text.py).
_FIRST_COMBINING = "\u0300"


def count_chars(text: str, *, decode_entities: bool = False) -> int:
    """Characters as Subtitle Edit counts them for reading speed and line length.

    Tags are removed, entities decoded (when the text is raw file text), then every grapheme
    cluster counts once, spaces and punctuation included; line breaks and zero-width or bidi
    marks count nothing.
    """
    visible = visible_text(text, decode_entities=decode_entities)
    if visible.isascii() or max(visible) < _FIRST_COMBINING:
        # each character its own cluster ("\r\n" one, not counted): no regex needed
        return len(visible) - visible.count("\n") - visible.count("\r")
    count = 0
    for cluster in regex.findall(r"\X", visible):
        if cluster in ("\n", "\r\n", "\r"):
            continue
        if all(ch in INVISIBLE for ch in cluster):
            continue
        count += 1
    return count


def text_lines(text: str) -> list[str]:
    """The displayed lines of a cue text (trailing empty lines are not lines)."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not visible_text(lines[-1]).strip():
        lines.pop()
    return lines


def line_lengths(text: str) -> list[int]:
    return [count_chars(line) for line in text_lines(text)]


def reading_speed(text: str, duration_ms: int) -> float:
    """Characters per second; infinite for a cue without duration."""
    chars = count_chars(text)
    if duration_ms <= 0:
        return math.inf if chars else 0.0
    return chars * 1000.0 / duration_ms


@dataclass(frozen=True, slots=True)
class SpeedAdvice:
    """What it takes to bring a cue down to the reading-speed limit."""

    cps: float
    more_ms: int          # extra display time needed (rounded up to 100 ms)
    fewer_chars: int      # characters to remove to fit the current duration


def speed_advice(chars: int, duration_ms: int, limit_cps: float) -> SpeedAdvice:
    cps = chars * 1000.0 / duration_ms if duration_ms > 0 else math.inf
    needed_ms = chars * 1000.0 / limit_cps
    more = max(0, math.ceil((needed_ms - max(duration_ms, 0)) / 100.0 - 1e-9) * 100)
    allowed = math.floor(limit_cps * max(duration_ms, 0) / 1000.0 + 1e-9)
    return SpeedAdvice(cps, more, max(0, chars - allowed))


def format_number(value: float) -> str:
    """17.0 -> "17", 17.5 -> "17.5"."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def format_seconds(ms: int) -> str:
    """1200 -> "1.2 s", 833 -> "0.833 s", 7000 -> "7 s"."""
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".") + " s"


@dataclass(frozen=True, slots=True)
class CueMetrics:
    """The numbers an editor shows next to a cue."""

    chars: int
    line_lengths: tuple[int, ...]
    duration_ms: int | None
    cps: float | None


def cue_metrics(text: str, duration_ms: int | None) -> CueMetrics:
    chars = count_chars(text)
    cps = None if duration_ms is None else reading_speed(text, duration_ms)
    return CueMetrics(chars, tuple(line_lengths(text)), duration_ms, cps)


# -- line breaking -----------------------------------------------------------------------

#: Words a line must not end with, per language: articles, prepositions, conjunctions (and a few
#: determiners and clitics that belong with the next word). Compared case-insensitively.
SHORT_WORDS: dict[str, frozenset[str]] = {lang: frozenset(w.casefold() for w in words.split()) for lang, words in {
    "fr": "le la les l' un une des du de d' au aux à en dans par pour sur sous avec sans chez vers "
          "entre contre dès selon et ou mais donc or ni car que qu' si comme quand lorsque "
          "ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs "
          "je j' ne n' se s'",
    "en": "a an the and or but nor so yet of to in on at by for with from into onto about as than "
          "that if my your his her its our their this these those",
    "de": "der die das den dem des ein eine einen einem einer eines und oder aber denn sondern dass "
          "ob wenn weil als wie in im an am auf aus bei beim mit nach von vom zu zum zur für über "
          "unter vor durch gegen ohne um bis seit ins ans",
    "nl": "de het een 't en of maar want dus dat als om te in op aan van voor met bij naar uit door "
          "over tot onder tegen zonder sinds tussen",
    "it": "il lo la i gli le l' un uno una un' di a da in con su per tra fra del dello della dei "
          "degli delle al allo alla ai agli alle dal dallo dalla dai dagli dalle nel nello nella nei "
          "negli nelle sul sullo sulla sui sugli sulle e ed o od ma che se né perché",
    "es": "el la los las lo un una unos unas a al de del en con por para sin sobre entre hacia desde "
          "hasta según y e o u ni pero que si como porque mi mis tu tus su sus",
    "pl": "w we z ze na do od o u za po przy przez dla bez pod nad przed między ku i a oraz lub albo "
          "ale czy że bo by aby żeby gdy jak ani",
    "bg": "в във на с със за от до по при към без под над пред след между през около у и а но или "
          "да че ако като ни",
    "hr": "u na s sa k ka o od do iz za po pri kroz bez pod nad pred među prema oko i a ali ili te pa "
          "da ni niti no jer ako kao dok",
    "el": "ο η το οι τα του της των τον την τους τις ένας μια μία ένα έναν ενός μιας σε στο στη στην "
          "στον στα στους στις από με για προς χωρίς κατά μετά παρά ως αντί και κι ή αλλά ότι πως "
          "αν να ούτε μα δεν μην θα",
    "lv": "ar uz no par pie pa bez līdz pret aiz zem virs starp caur pēc priekš un vai bet ka lai ja "
          "jo kā nekā gan ne",
    "ro": "un o unui unei niște cel cea cei cele al a ai ale lui în la de pe cu din spre fără pentru "
          "prin sub peste până despre după între către dintre printre lângă și sau dar iar ci că să "
          "dacă ori nici fie deci",
    "sl": "v na z s k h o po pri za od do iz pod nad pred med brez skozi proti čez zaradi in ali pa a "
          "ampak da ker če ko kot ter niti ne",
}.items()}

#: A token that only closes something, or a lone dash (a line starting with a dash is a new
#: speaker): never at the start of a line (French "module !").
_CLOSING = re.compile(r"^[!?:;.,…»”’)\]%–—-]+$")
#: A token that only opens something: never at the end of a line.
_OPENING = re.compile(r"^[«„“‘(\[¿¡]+$")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_SENTENCE_END = re.compile(r"[.!?…:;]$")
_CLAUSE_END = re.compile(r",$")
_DIALOGUE = re.compile(r"^\s*[-–—]")
#: Spaces outside tags separate words (a tag such as `<v Nadia>` holds a space); a no-break
#: space does not.
_TOKEN = re.compile(r"(?:<[^<>\n]*>|[^ \t\r\n<]|<)+")


def short_words(language: str) -> frozenset[str]:
    return SHORT_WORDS.get(language.split("-")[0].lower(), frozenset())


def tokenize(text: str) -> list[str]:
    """The words of a text, tags kept with the word they touch."""
    return _TOKEN.findall(text.replace("\n", " "))


def _bare(token: str) -> str:
    return visible_text(token).casefold()


def ends_with_short_word(line: str, language: str) -> bool:
    """Whether a line's last word is one that must not end a line in this language."""
    tokens = tokenize(line)
    if not tokens:
        return False
    last = _bare(tokens[-1])
    words = short_words(language)
    if last in words:
        return True
    # elided forms ("l'", "qu'") and words with a leading quote: compare without edge punctuation
    # only when nothing follows the word (a trailing comma ends the phrase, so it is allowed)
    if last and not re.search(r"[\w']$", last):
        return False
    return _EDGE_PUNCT.sub("", last) in words


@dataclass(frozen=True, slots=True)
class LineBreak:
    text: str
    fits: bool            # every line within the limits
    changed: bool


def is_dialogue(text: str) -> bool:
    lines = text_lines(text)
    return len(lines) >= 2 and all(_DIALOGUE.match(visible_text(line)) for line in lines)


def break_lines(text: str, language: str, *, max_chars: int = 42, max_lines: int = 2) -> LineBreak:
    """Re-break a cue text to fit `max_lines` lines of `max_chars` characters.

    One line when it fits; otherwise the fewest lines that fit, bottom-heavy (each line no longer
    than the next) when the split is uneven, preferring a break after punctuation, and never after
    a short word of the language (article, preposition, conjunction) nor before a lone closing
    punctuation mark. Dialogue cues (every line starts with a dash) keep one speaker per line.
    When nothing fits, the least overflowing break is returned with `fits` False.
    """
    original = text
    if is_dialogue(text):
        lines = text_lines(text)
        fits = len(lines) <= max_lines and all(count_chars(l) <= max_chars for l in lines)
        return LineBreak(original, fits, False)
    tokens = tokenize(text)
    if not tokens:
        return LineBreak(original, True, False)
    widths = [count_chars(t) for t in tokens]
    n = len(tokens)
    words = short_words(language)

    def forbidden_after(i: int) -> bool:
        """Breaking after token i (between i and i+1) is forbidden."""
        bare = _bare(tokens[i])
        if bare in words or (re.search(r"[\w']$", bare) and _EDGE_PUNCT.sub("", bare) in words):
            return True
        if _OPENING.match(bare):
            return True
        return bool(_CLOSING.match(_bare(tokens[i + 1])))

    def bonus_after(i: int) -> int:
        bare = visible_text(tokens[i])
        if _SENTENCE_END.search(bare):
            return 10
        if _CLAUSE_END.search(bare):
            return 6
        return 0

    def line_width(a: int, b: int) -> int:
        return sum(widths[a:b]) + (b - a - 1)

    best_key = None
    best_breaks: tuple[int, ...] = ()
    for k in range(1, max(1, min(max_lines, n)) + 1):
        candidates = itertools.combinations(range(1, n), k - 1)
        found_key = None
        found: tuple[int, ...] = ()
        for breaks in candidates:
            bounds = (0, *breaks, n)
            lw = [line_width(bounds[j], bounds[j + 1]) for j in range(k)]
            overflow = sum(max(0, w - max_chars) for w in lw)
            bad_breaks = sum(1 for b in breaks if forbidden_after(b - 1))
            top_heavy = sum(1 for j in range(k - 1) if lw[j] > lw[j + 1])
            spread = (max(lw) - min(lw)) if k > 1 else 0
            bonus = sum(bonus_after(b - 1) for b in breaks)
            # a forbidden break is worse than overflowing: the rule is never broken when avoidable
            key = (overflow > 0 or bad_breaks > 0, bad_breaks, overflow, top_heavy, spread - bonus)
            if found_key is None or key < found_key:
                found_key, found = key, breaks
        if found_key is not None and not found_key[0]:
            best_key, best_breaks = found_key, found
            break
        if found_key is not None and (best_key is None or found_key[1:] < best_key[1:]):
            best_key, best_breaks = found_key, found
    bounds = (0, *best_breaks, n)
    lines = [" ".join(tokens[bounds[j]:bounds[j + 1]]) for j in range(len(bounds) - 1)]
    result = "\n".join(lines)
    fits = len(lines) <= max_lines and all(count_chars(l) <= max_chars for l in lines)
    return LineBreak(result, fits, result != original)

"""A synthetic course project, deterministic from a seed: catalogs and subtitles as real files."""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("fr", "en", "de", "nl", "it", "es", "pl", "bg", "hr", "el", "lv", "ro", "sl")
TARGETS = LANGUAGES[1:]
#: The share of units translated per language in a generated course (a busy organisation's project).
SHARES = {"en": 0.98, "de": 0.95, "es": 0.93, "nl": 0.9, "it": 0.9, "pl": 0.88, "bg": 0.85, "hr": 0.85,
          "el": 0.88, "lv": 0.85, "ro": 0.88, "sl": 0.85}
STATES_NOTE = "NOTE workbench-states"

WORDS = (
    "le la les un une des du de à au aux et ou mais donc pour avec sans dans sur sous entre vers "
    "équipe salarié encadrant entreprise insertion parcours projet valeur valeurs communication "
    "écoute reformulation conflit besoin sentiment demande observation accompagnement formation "
    "compétence compétences objectif objectifs action actions plan environnement professionnel "
    "solidaire sociale économie coopérative association bénévole territoire partenaire emploi "
    "travail chantier atelier réunion collègue responsable confiance respect dialogue engagement "
    "préparer organiser écouter comprendre proposer expliquer valoriser partager construire "
    "accueillir évaluer améliorer soutenir développer reconnaître exprimer choisir agir "
    "chaque notre votre leur bien mieux souvent toujours ensemble aussi encore très plus moins "
    "important concret simple clair utile nouveau commun quotidien personnel collectif durable"
).split()
PLACEHOLDERS = ("%(name)s", "%(count)d", "{module}", "%s", "{score}")
FUNCTION_WORDS = ("de la le et les des à un une du en pour dans que qui sur au par avec ne pas se ce il "
                  "elle nous vous ils est sont a ont plus ou mais son sa ses leur leurs cette ces tout "
                  "comme aux on y être avoir faire").split()
SYLLABLES = ("ba cou ré mi so la tion ment pro con ver sa ti on é co no mie soli dai re ges ca pi ta lu gi "
             "que par tra vail men tre pre ac com dé in for ma teur ri té").split()


def _vocabulary(size: int = 8000) -> tuple[list[str], list[float]]:
    """French-like words by frequency rank (function words, then the course's domain words, then a
    long tail of made-up words) and their cumulative Zipf weights (s = 1), as in real prose."""
    rng = random.Random(1234)
    words = list(dict.fromkeys(FUNCTION_WORDS + WORDS))
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cum.append(total)
    return words, cum


VOCABULARY, _CUMULATIVE = _vocabulary()


def word(rng: random.Random) -> str:
    return VOCABULARY[bisect(_CUMULATIVE, rng.random() * _CUMULATIVE[-1])]


def sentence(rng: random.Random, lo: int = 5, hi: int = 30) -> str:
    n = rng.randint(lo, hi)
    words = [word(rng) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice((".", ".", ".", " ?", " !"))


def po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def pseudo(text: str, language: str) -> str:
    """A deterministic 'translation' that keeps placeholders and punctuation."""
    out = []
    for word in text.split(" "):
        if any(p in word for p in PLACEHOLDERS) or not word.isalpha():
            out.append(word)
        else:
            out.append(word[::-1] if language in ("de", "nl") else word.upper() if language == "el" else word + "o")
    text = " ".join(out)
    if language != "fr":    # French puts a space before ? ! : ; and the other languages do not
        for mark in "?!:;":
            text = text.replace(" " + mark, mark)
    return text


def defective(rng: random.Random, text: str) -> str:
    """A translation with one of the problems a checker should find."""
    kind = rng.randrange(5)
    for p in PLACEHOLDERS:
        if kind == 0 and p in text:
            return text.replace(p, "", 1).replace("  ", " ")
    if kind == 1 and " " in text:
        return text.replace(" ", "  ", 1)
    if kind == 2:
        return text + " "
    if kind == 3 and text[-1:] in ".?!":
        return text[:-1]
    return text[:1].lower() + text[1:] + "!!"


@dataclass
class Entry:
    key: str
    source: str
    plural: str | None = None
    flags: tuple[str, ...] = ()


def catalog_entries(rng: random.Random, module: str, n: int) -> list[Entry]:
    entries: list[Entry] = []
    lesson, para, quiz, question = 1, 0, 1, 0
    while len(entries) < n:
        roll = rng.random() if n - len(entries) >= 6 else 0.0     # a quiz (6 entries) is never cut short
        if roll < 0.55:
            para += 1
            if para > 8:
                lesson, para = lesson + 1, 1
            text = " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))
            flags: tuple[str, ...] = ()
            if rng.random() < 0.2:
                text = text[:-1] + f" {rng.choice(PLACEHOLDERS)}."
                flags = ("python-format",) if "%(" in text else ()
            entries.append(Entry(f"{module}/lesson-{lesson}/p{para}", text, flags=flags))
        elif roll < 0.65:
            para += 1
            entries.append(Entry(f"{module}/lesson-{lesson}/count-{para}",
                                 f"%(count)d {word(rng)} {word(rng)}",
                                 plural=f"%(count)d {word(rng)}s {word(rng)}",
                                 flags=("python-format",)))
        else:
            question += 1
            if question > 10:
                quiz, question = quiz + 1, 1
            base = f"{module}/quiz-{quiz}/q{question}"
            entries.append(Entry(base, sentence(rng, 6, 18)[:-1] + " ?"))
            correct = rng.randint(0, 3)
            for i, letter in enumerate("abcd"):
                entries.append(Entry(f"{base}/choice-{letter}", sentence(rng, 3, 9),
                                     flags=("quiz-correct",) if i == correct else ()))
            entries.append(Entry(f"{base}/feedback", sentence(rng, 8, 20)))
    return entries


def write_catalog(path: Path, entries: list[Entry], *, language: str | None, rng: random.Random | None,
                  translated_share: float = 0.0, defects: float = 0.0) -> int:
    """A GNU-style catalog; translated entries are 7 % fuzzy and 30 % approved. Returns how many are translated."""
    lines = ['msgid ""', 'msgstr ""', '"Project-Id-Version: Bench 1.0\\n"']
    if language:
        lines.append(f'"Language: {language}\\n"')
    lines += ['"MIME-Version: 1.0\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
              '"Content-Transfer-Encoding: 8bit\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    count = 0
    for e in entries:
        translated = language is not None and rng is not None and rng.random() < translated_share
        flags = list(e.flags)
        if translated:
            count += 1
            roll = rng.random()
            if roll < 0.07:
                flags.insert(0, "fuzzy")
            elif roll < 0.37:
                flags.append("approved")
        if flags:
            lines.append("#, " + ", ".join(flags))
        lines.append(f'msgctxt "{po_escape(e.key)}"')
        lines.append(f'msgid "{po_escape(e.source)}"')
        bad = translated and defects and rng.random() < defects
        if e.plural is not None:
            lines.append(f'msgid_plural "{po_escape(e.plural)}"')
            for i, src in enumerate((e.source, e.plural)):
                t = pseudo(src, language) if translated else ""
                if bad and i == 1:
                    t = defective(rng, t)
                lines.append(f'msgstr[{i}] "{po_escape(t)}"')
        else:
            t = pseudo(e.source, language) if translated else ""
            if bad:
                t = defective(rng, t)
            lines.append(f'msgstr "{po_escape(t)}"')
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return count


def ms(t: int) -> str:
    h, rest = divmod(t, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def cues(rng: random.Random, n: int) -> list[tuple[int, int, str]]:
    """Cues of 1–7 s, at most two lines of 42 characters, read at 15 characters a second at most."""
    out, t = [], rng.randint(500, 3000)
    for _ in range(n):
        duration = rng.randint(1000, 7000)
        budget = max(12, duration * 15 // 1000)
        lines: list[list[str]] = [[]]
        used = 0
        while True:
            w = word(rng)
            line = lines[-1]
            width = len(" ".join(line + [w]))
            if used + len(w) + 1 > budget:
                break
            if width > 42:
                if len(lines) == 2:
                    break
                lines.append([w])
            else:
                line.append(w)
            used += len(w) + 1
        text = "\n".join(" ".join(line) for line in lines if line) or word(rng)
        out.append((t, t + duration, text))
        t += duration + rng.choice((80, 120, 160, 240, 400, 900))
    return out


def write_vtt(path: Path, items: list[tuple[int, int, str]], language: str, *,
              states: list[str] | None = None) -> None:
    """A WebVTT file; with `states` (one per cue: approved, draft, translated or untranslated) it is a
    translation that leaves out untranslated cues and lists the others' states in a NOTE block."""
    parts = [f"WEBVTT\nKind: captions\nLanguage: {language}\n"]
    if states is not None:
        note = [STATES_NOTE]
        for state in ("approved", "draft"):
            ids = [str(i) for i, s in enumerate(states, 1) if s == state]
            if ids:
                note.append(f"{state} {' '.join(ids)}")
        if len(note) > 1:
            parts.append("\n".join(note) + "\n")
    for i, (start, end, text) in enumerate(items, 1):
        if states is not None and states[i - 1] == "untranslated":
            continue
        parts.append(f"{i}\n{ms(start)} --> {ms(end)}\n{text}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")


def cue_states(rng: random.Random, n: int, share: float) -> list[str]:
    out = []
    for _ in range(n):
        if rng.random() >= share:
            out.append("untranslated")
            continue
        roll = rng.random()
        out.append("draft" if roll < 0.07 else "approved" if roll < 0.37 else "translated")
    return out


@dataclass
class Shape:
    modules: int
    entries_per_module: int
    videos: int
    cues_per_video: int
    languages: tuple[str, ...]                 # target languages with translation files
    catalog_translations: int = 0              # translated entries written (filled in by generate_project)
    cue_translations: int = 0

    @property
    def units(self) -> int:
        return self.modules * self.entries_per_module + self.videos * self.cues_per_video

    @property
    def translations(self) -> int:
        """Units × target languages: what 'translations' means in the issue (lazy rows or not)."""
        return self.units * len(TARGETS)


def shape_for(scale: float) -> Shape:
    """scale 1 ≈ the real course: 3 modules of 340 catalog entries, 50 videos of 120 cues (7,020 units,
    91,000 unit × language pairs in 13 languages); above 1 the course grows by modules and videos."""
    return Shape(modules=max(3, round(3 * scale)),
                 entries_per_module=340 if scale >= 1 else max(20, int(340 * scale)),
                 videos=max(2, round(50 * scale)),
                 cues_per_video=120,
                 languages=TARGETS)


def generate_project(root: Path, *, scale: float, seed: int = 7) -> Shape:
    """Catalogs and subtitles of a course in 13 languages, every target language partly translated."""
    rng = random.Random(seed)
    shape = shape_for(scale)
    root.mkdir(parents=True, exist_ok=True)
    modules = [f"m{i}" for i in range(1, shape.modules + 1)]
    toml = ['[project]', 'name = "Synthetic course"', 'source_language = "fr"',
            "languages = [" + ", ".join(f'"{l}"' for l in LANGUAGES) + "]", ""]
    for m in modules:
        toml += ["[[modules]]", f'id = "{m}"', f'title = "Module {m}"', ""]
    (root / "workbench.toml").write_text("\n".join(toml), encoding="utf-8")
    for m in modules:
        entries = catalog_entries(rng, m, shape.entries_per_module)
        write_catalog(root / "locales" / f"{m}.pot", entries, language=None, rng=None)
        for lang in shape.languages:
            shape.catalog_translations += write_catalog(
                root / "locales" / lang / "LC_MESSAGES" / f"{m}.po", entries, language=lang, rng=rng,
                translated_share=SHARES[lang], defects=0.02)
    for v in range(shape.videos):
        module = modules[v % len(modules)]
        name = f"{module}-v{v + 1:03d}"
        items = cues(rng, shape.cues_per_video)
        write_vtt(root / "subtitles" / f"{name}.vtt", items, "fr")
        for lang in shape.languages:
            states = cue_states(rng, len(items), SHARES[lang])
            shape.cue_translations += sum(1 for s in states if s != "untranslated")
            write_vtt(root / "subtitles" / lang / f"{name}.vtt",
                      [(s, e, pseudo(t, lang)) for s, e, t in items], lang, states=states)
    return shape


def generate_subtitles(root: Path, *, videos: int, cues_per_video: int, seed: int = 5) -> int:
    """A project of subtitles only: `videos` source files and a complete translation in every target
    language (13 languages in all). Returns the number of files written."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "workbench.toml").write_text(
        '[project]\nname = "Subtitles"\nsource_language = "fr"\n'
        "languages = [" + ", ".join(f'"{l}"' for l in LANGUAGES) + "]\n", encoding="utf-8")
    files = 0
    for v in range(videos):
        name = f"m{v % 3 + 1}-v{v + 1:03d}"
        items = cues(rng, cues_per_video)
        write_vtt(root / "subtitles" / f"{name}.vtt", items, "fr")
        files += 1
        for lang in TARGETS:
            write_vtt(root / "subtitles" / lang / f"{name}.vtt", [(s, e, pseudo(t, lang)) for s, e, t in items],
                      lang, states=cue_states(rng, len(items), 1.0))
            files += 1
    return files


def _big_entries(entries: int, seed: int) -> tuple[random.Random, list[Entry]]:
    rng = random.Random(seed)
    items: list[Entry] = []
    per_module = max(1, entries // 20)
    while len(items) < entries:
        items += catalog_entries(rng, f"m{len(items) // per_module + 1}", min(per_module, entries - len(items)))
    return rng, items[:entries]


def generate_big_catalog(path: Path, *, entries: int, seed: int = 11, translated_share: float = 0.93,
                         defects: float = 0.0, language: str = "de") -> int:
    """One catalog of `entries` entries (French-like source, pseudo-translated); returns translated count."""
    rng, items = _big_entries(entries, seed)
    return write_catalog(path, items, language=language, rng=rng, translated_share=translated_share,
                         defects=defects)


def generate_big_template(path: Path, *, entries: int, seed: int = 11) -> None:
    """The template (.pot) that goes with generate_big_catalog's catalog of the same seed."""
    _, items = _big_entries(entries, seed)
    write_catalog(path, items, language=None, rng=None)


def memory_sources(entries: int, *, seed: int = 17) -> list[str]:
    """The source sentences of a translation memory (distinct, 5–30 words)."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < entries:
        seen[sentence(rng)] = None
    return list(seen)


def memory_queries(sources: list[str], n: int, *, seed: int = 19) -> list[str]:
    """Lookups as an editor makes them: a third exact copies of a memory entry, a third near variants
    (one word changed, added or dropped), a third new sentences."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = i % 3
        if kind == 2:
            out.append(sentence(rng))
            continue
        text = rng.choice(sources)
        if kind == 1:
            words = text.split(" ")
            at = rng.randrange(len(words))
            change = rng.randrange(3)
            if change == 0:
                words[at] = word(rng)
            elif change == 1:
                words.insert(at, word(rng))
            elif len(words) > 2:
                del words[at]
            text = " ".join(words)
        out.append(text)
    return out


def write_tmx(path: Path, sources: list[str], *, source_language: str = "fr", language: str = "de") -> None:
    """A TMX 1.4 file with one translation unit per source sentence."""
    from xml.sax.saxutils import escape

    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n',
             f'<header creationtool="bench" creationtoolversion="1" datatype="plaintext" segtype="sentence" '
             f'adminlang="en" srclang="{source_language}" o-tmf="bench"/>\n<body>\n']
    for s in sources:
        parts.append(f'<tu><tuv xml:lang="{source_language}"><seg>{escape(s)}</seg></tuv>'
                     f'<tuv xml:lang="{language}"><seg>{escape(pseudo(s, language))}</seg></tuv></tu>\n')
    parts.append("</body>\n</tmx>\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")

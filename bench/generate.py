"""A synthetic course project, deterministic from a seed: catalogs and subtitles as real files."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("fr", "en", "de", "nl", "it", "es", "pl", "bg", "hr", "el", "lv", "ro", "sl")

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


def sentence(rng: random.Random, lo: int = 5, hi: int = 30) -> str:
    n = rng.randint(lo, hi)
    words = [rng.choice(WORDS) for _ in range(n)]
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
    return " ".join(out)


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
        roll = rng.random()
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
                                 f"%(count)d {rng.choice(WORDS)} {rng.choice(WORDS)}",
                                 plural=f"%(count)d {rng.choice(WORDS)}s {rng.choice(WORDS)}",
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
    return entries[:n]


def write_catalog(path: Path, entries: list[Entry], *, language: str | None, rng: random.Random | None,
                  translated_share: float = 0.0) -> None:
    lines = ['msgid ""', 'msgstr ""', '"Project-Id-Version: Bench 1.0\\n"']
    if language:
        lines.append(f'"Language: {language}\\n"')
    lines += ['"MIME-Version: 1.0\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
              '"Content-Transfer-Encoding: 8bit\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    for e in entries:
        translated = language is not None and rng is not None and rng.random() < translated_share
        flags = list(e.flags)
        if translated and rng.random() < 0.07:
            flags.insert(0, "fuzzy")
        if flags:
            lines.append("#, " + ", ".join(flags))
        lines.append(f'msgctxt "{po_escape(e.key)}"')
        lines.append(f'msgid "{po_escape(e.source)}"')
        if e.plural is not None:
            lines.append(f'msgid_plural "{po_escape(e.plural)}"')
            for i, src in enumerate((e.source, e.plural)):
                t = pseudo(src, language) if translated else ""
                lines.append(f'msgstr[{i}] "{po_escape(t)}"')
        else:
            t = pseudo(e.source, language) if translated else ""
            lines.append(f'msgstr "{po_escape(t)}"')
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def ms(t: int) -> str:
    h, rest = divmod(t, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def cues(rng: random.Random, n: int) -> list[tuple[int, int, str]]:
    out, t = [], rng.randint(500, 3000)
    for _ in range(n):
        duration = rng.randint(1000, 7000)
        words = [rng.choice(WORDS) for _ in range(max(2, duration // 450))]
        text = " ".join(words)
        if len(text) > 40:
            cut = text.rfind(" ", 0, len(text) // 2 + 4)
            text = text[:cut] + "\n" + text[cut + 1:]
        out.append((t, t + duration, text))
        t += duration + rng.choice((80, 120, 160, 240, 400, 900))
    return out


def write_vtt(path: Path, items: list[tuple[int, int, str]], language: str) -> None:
    parts = [f"WEBVTT\nKind: captions\nLanguage: {language}\n"]
    for i, (start, end, text) in enumerate(items, 1):
        parts.append(f"{i}\n{ms(start)} --> {ms(end)}\n{text}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")


@dataclass
class Shape:
    modules: int
    entries_per_module: int
    videos: int
    cues_per_video: int
    translated_languages: tuple[str, ...]

    @property
    def units(self) -> int:
        return self.modules * self.entries_per_module + self.videos * self.cues_per_video


def shape_for(scale: float) -> Shape:
    """scale 1 ≈ the real course: 3 modules, ~1,000 catalog entries, 50 videos of ~120 cues."""
    return Shape(modules=3 if scale <= 1 else max(3, int(3 * scale)),
                 entries_per_module=int(340 * (scale if scale <= 1 else 1)),
                 videos=max(2, int(50 * scale)),
                 cues_per_video=120 if scale >= 0.2 else 60,
                 translated_languages=("en", "de", "es"))


def generate_project(root: Path, *, scale: float, seed: int = 7) -> Shape:
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
        for lang in shape.translated_languages:
            write_catalog(root / "locales" / lang / "LC_MESSAGES" / f"{m}.po", entries, language=lang,
                          rng=rng, translated_share=0.9 if lang == "en" else 0.5)
    for v in range(shape.videos):
        module = modules[v % len(modules)]
        name = f"{module}-v{v + 1:03d}"
        items = cues(rng, shape.cues_per_video)
        write_vtt(root / "subtitles" / f"{name}.vtt", items, "fr")
        for lang in shape.translated_languages:
            write_vtt(root / "subtitles" / lang / f"{name}.vtt",
                      [(s, e, pseudo(t, lang)) for s, e, t in items], lang)
    return shape


def generate_big_catalog(path: Path, *, entries: int, seed: int = 11) -> None:
    """One catalog of `entries` entries (translated French-like text), for import/export/check timing."""
    rng = random.Random(seed)
    items = []
    per_module = max(1, entries // 20)
    while len(items) < entries:
        items += catalog_entries(rng, f"m{len(items) // per_module + 1}", min(per_module, entries - len(items)))
    write_catalog(path, items[:entries], language="de", rng=rng, translated_share=0.93)


def generate_big_template(path: Path, *, entries: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    items = []
    per_module = max(1, entries // 20)
    while len(items) < entries:
        items += catalog_entries(rng, f"m{len(items) // per_module + 1}", min(per_module, entries - len(items)))
    write_catalog(path, items[:entries], language=None, rng=None)

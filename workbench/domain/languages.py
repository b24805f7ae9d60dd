"""The languages the workbench knows, with what DeepL supports for each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.domain.errors import UnknownLanguageError


@dataclass(frozen=True, slots=True)
class LanguageInfo:
    code: str                 # BCP-47 primary tag we use ("en", "nl")
    name: str                 # English name
    native: str               # name in the language
    deepl_target: str
    deepl_glossary: bool
    deepl_tags: bool
    deepl_formality: bool


LANGUAGES: dict[str, LanguageInfo] = {
    info.code: info
    for info in (
        LanguageInfo("fr", "French", "français", "FR", True, True, True),
        LanguageInfo("en", "English", "English", "EN-GB", True, True, False),
        LanguageInfo("de", "German", "Deutsch", "DE", True, True, True),
        LanguageInfo("nl", "Dutch", "Nederlands", "NL", True, True, True),
        LanguageInfo("it", "Italian", "italiano", "IT", True, True, True),
        LanguageInfo("es", "Spanish", "español", "ES", True, True, True),
        LanguageInfo("pl", "Polish", "polski", "PL", True, True, True),
        LanguageInfo("bg", "Bulgarian", "български", "BG", True, True, False),
        LanguageInfo("hr", "Croatian", "hrvatski", "HR", False, False, False),
        LanguageInfo("el", "Greek", "Ελληνικά", "EL", True, True, False),
        LanguageInfo("lv", "Latvian", "latviešu", "LV", True, True, False),
        LanguageInfo("ro", "Romanian", "română", "RO", True, True, False),
        LanguageInfo("sl", "Slovenian", "slovenščina", "SL", True, True, False),
    )
}

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def normalize_tag(tag: str) -> str:
    """`nl_be` -> `nl-BE`, `FR` -> `fr`: BCP-47 casing with hyphens."""
    if not _TAG.match(tag or ""):
        raise UnknownLanguageError(f"not a language code: {tag!r} (expected a BCP-47 tag such as 'de' or 'nl-BE')")
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower())
    return "-".join(out)


def primary(tag: str) -> str:
    return normalize_tag(tag).split("-")[0]


def language_info(tag: str) -> LanguageInfo | None:
    return LANGUAGES.get(primary(tag))


def display_name(tag: str) -> str:
    info = language_info(tag)
    return f"{info.name}" if info else tag

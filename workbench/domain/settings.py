"""Project settings as plain values: languages, modules, paths, per-language options."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from workbench.domain.errors import NotFoundError, UnknownLanguageError
from workbench.domain.languages import normalize_tag


@dataclass(frozen=True, slots=True)
class SubtitleLimits:
    """Subtitle quality limits (DESIGN.md §6); any of them can be overridden per language."""

    chars_per_line: int = 42
    lines: int = 2
    cps: float = 17.0
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    min_gap_ms: int = 80

    FIELDS = {"chars_per_line": int, "lines": int, "cps": float, "min_duration_ms": int,
              "max_duration_ms": int, "min_gap_ms": int}

    def merged(self, overrides: dict) -> "SubtitleLimits":
        return replace(self, **{k: SubtitleLimits.FIELDS[k](v) for k, v in overrides.items()})


#: Per-language defaults that differ from the general ones (Netflix: English 20 cps).
DEFAULT_LANGUAGE_LIMITS: dict[str, dict] = {"en": {"cps": 20.0}}


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class LanguageSettings:
    code: str
    formality: str | None = None
    subtitles: SubtitleLimits = SubtitleLimits()


@dataclass(frozen=True, slots=True)
class CheckSettings:
    disabled: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    name: str
    source_language: str
    languages: tuple[str, ...]              # all project languages, source included
    modules: tuple[Module, ...] = ()
    locales_dir: str = "locales"
    subtitles_dir: str = "subtitles"
    glossaries_dir: str = "glossaries"
    database: str = ".workbench/workbench.db"
    allow_self_approval: bool = False
    mt_provider: str = "fake"
    language_settings: dict[str, LanguageSettings] = field(default_factory=dict)
    checks: CheckSettings = CheckSettings()
    videos: dict[str, str] = field(default_factory=dict)   # video id -> module id, overrides

    @property
    def target_languages(self) -> tuple[str, ...]:
        return tuple(code for code in self.languages if code != self.source_language)

    def language(self, tag: str) -> str:
        """The project's spelling of `tag`, or an error naming the known languages."""
        code = normalize_tag(tag)
        if code in self.languages:
            return code
        raise UnknownLanguageError(
            f"unknown language {tag!r}: this project has {', '.join(self.languages)}")

    def target(self, tag: str) -> str:
        code = self.language(tag)
        if code == self.source_language:
            raise UnknownLanguageError(
                f"{code} is the source language of this project, not a translation language")
        return code

    def for_language(self, code: str) -> LanguageSettings:
        found = self.language_settings.get(code)
        if found is not None:
            return found
        limits = SubtitleLimits().merged(DEFAULT_LANGUAGE_LIMITS.get(code.split("-")[0], {}))
        return LanguageSettings(code=code, subtitles=limits)

    def module_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.modules)

    def module_title(self, module_id: str) -> str:
        for m in self.modules:
            if m.id == module_id:
                return m.title
        return module_id

    def module_for_video(self, video: str) -> str:
        if video in self.videos:
            return self.videos[video]
        return video.split("-", 1)[0]

    def check_module(self, module: str) -> str:
        if self.modules and module not in self.module_ids():
            raise NotFoundError(
                f"unknown module {module!r}: this project has {', '.join(self.module_ids())}")
        return module

"""Finding, reading and creating a course project (`workbench.toml` and its folders)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.errors import ProjectError, UnknownLanguageError, WorkbenchError
from workbench.domain.languages import LANGUAGES, normalize_tag
from workbench.domain.settings import (
    DEFAULT_LANGUAGE_LIMITS, CheckSettings, LanguageSettings, Module, ProjectSettings, SubtitleLimits,
)

PROJECT_FILE = "workbench.toml"
ALL_LANGUAGES = ("fr", "en", "de", "nl", "it", "es", "pl", "bg", "hr", "el", "lv", "ro", "sl")


@dataclass(frozen=True)
class Project:
    root: Path
    settings: ProjectSettings

    @property
    def locales(self) -> Path:
        return self.root / self.settings.locales_dir

    @property
    def subtitles(self) -> Path:
        return self.root / self.settings.subtitles_dir

    @property
    def glossaries(self) -> Path:
        return self.root / self.settings.glossaries_dir

    @property
    def database_path(self) -> Path:
        return self.root / self.settings.database

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def inside(self, relative: str) -> Path:
        """A path inside the project; refuses anything that would escape it."""
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ProjectError(f"{relative}: path is outside the project")
        return path


def find_project(start: Path | None = None) -> Project:
    """The project whose workbench.toml is in `start` (default: the current directory)."""
    directory = (start or Path.cwd()).resolve()
    candidate = directory / PROJECT_FILE
    if not candidate.is_file():
        raise ProjectError(
            f"{directory}: no {PROJECT_FILE} here; run 'workbench init' to create a course project "
            f"or pass --project DIR")
    return Project(root=directory, settings=load_settings(candidate))


def load_settings(path: Path) -> ProjectSettings:
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: {exc}") from None
    except UnicodeDecodeError:
        raise ProjectError(f"{path}: not UTF-8 text") from None
    return settings_from_dict(data, where=where)


def _table(data: dict, name: str, where: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ProjectError(f"{where}: [{name}] must be a table")
    return value


def settings_from_dict(data: dict, *, where: str = PROJECT_FILE) -> ProjectSettings:
    project = _table(data, "project", where)
    paths = _table(data, "paths", where)
    try:
        source = normalize_tag(str(project.get("source_language", "fr")))
        languages = tuple(normalize_tag(str(code)) for code in project.get("languages", ALL_LANGUAGES))
    except UnknownLanguageError as exc:
        raise ProjectError(f"{where}: [project] {exc}") from None
    if source not in languages:
        languages = (source, *languages)
    if len(set(languages)) != len(languages):
        raise ProjectError(f"{where}: [project] languages lists a language twice")
    modules = []
    for i, m in enumerate(data.get("modules", []), 1):
        if not isinstance(m, dict) or "id" not in m:
            raise ProjectError(f"{where}: [[modules]] entry {i} needs an id")
        modules.append(Module(id=str(m["id"]), title=str(m.get("title", m["id"]))))
    lang_settings: dict[str, LanguageSettings] = {}
    general_limits = SubtitleLimits().merged(_limits(_table(data, "subtitles", where), where, "subtitles"))
    raw_langs = _table(data, "languages", where)
    for code in languages:
        raw = raw_langs.get(code, {})
        base = general_limits.merged(DEFAULT_LANGUAGE_LIMITS.get(code.split("-")[0], {}))
        limits = base.merged(_limits(raw.get("subtitles", {}), where, f"languages.{code}.subtitles"))
        formality = raw.get("formality")
        if formality is not None and formality not in ("more", "less", "default", "prefer_more", "prefer_less"):
            raise ProjectError(f"{where}: [languages.{code}] formality must be more, less or default")
        lang_settings[code] = LanguageSettings(code=code, formality=formality, subtitles=limits)
    for code in raw_langs:
        if normalize_tag(code) not in languages:
            raise ProjectError(f"{where}: [languages.{code}] is not one of the project's languages")
    review = _table(data, "review", where)
    mt = _table(data, "mt", where)
    checks = _table(data, "checks", where)
    return ProjectSettings(
        name=str(project.get("name", "Course")),
        source_language=source,
        languages=languages,
        modules=tuple(modules),
        locales_dir=str(paths.get("locales", "locales")),
        subtitles_dir=str(paths.get("subtitles", "subtitles")),
        glossaries_dir=str(paths.get("glossaries", "glossaries")),
        database=str(paths.get("database", ".workbench/workbench.db")),
        allow_self_approval=bool(review.get("allow_self_approval", False)),
        mt_provider=str(mt.get("provider", "fake")),
        language_settings=lang_settings,
        checks=CheckSettings(
            disabled=tuple(checks.get("disabled", ())),
            severity={str(k): str(v) for k, v in _table(checks, "severity", where).items()},
        ),
        videos={str(k): str(v) for k, v in _table(data, "videos", where).items()},
    )


def _limits(raw: dict, where: str, table: str) -> dict:
    if not isinstance(raw, dict):
        raise ProjectError(f"{where}: [{table}] must be a table")
    aliases = {"cps": "cps", "chars_per_line": "chars_per_line", "lines": "lines",
               "min_duration_ms": "min_duration_ms", "max_duration_ms": "max_duration_ms",
               "min_gap_ms": "min_gap_ms"}
    out = {}
    for k, v in raw.items():
        if k not in aliases:
            raise ProjectError(f"{where}: [{table}] unknown setting {k!r} "
                               f"(known: {', '.join(aliases)})")
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0:
            raise ProjectError(f"{where}: [{table}] {k} must be a positive number")
        out[aliases[k]] = v
    return out


TEMPLATE = """# Course project settings for the workbench.

[project]
name = "{name}"
source_language = "{source}"
languages = [{languages}]

[paths]
locales = "locales"
subtitles = "subtitles"
glossaries = "glossaries"
# SQLite database, relative to this file; override with --db or WORKBENCH_DATABASE_URL.
database = ".workbench/workbench.db"

# [[modules]]
# id = "m1"
# title = "First module"

[review]
allow_self_approval = false

[mt]
provider = "fake"
"""


def init_project(directory: Path, *, name: str | None = None, source: str = "fr",
                 languages: tuple[str, ...] = ALL_LANGUAGES) -> Project:
    """Create an empty course project in `directory`; refuses to overwrite one."""
    directory = directory.resolve()
    target = directory / PROJECT_FILE
    if target.exists():
        raise ProjectError(f"{target}: a course project already exists here")
    source = normalize_tag(source)
    for code in languages:
        if code.split("-")[0] not in LANGUAGES:
            raise UnknownLanguageError(f"unknown language {code!r}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for sub in ("locales", "subtitles", "glossaries"):
            (directory / sub).mkdir(exist_ok=True)
        text = TEMPLATE.format(
            name=(name or directory.name).replace('"', "'"), source=source,
            languages=", ".join(f'"{c}"' for c in languages))
        target.write_text(text, encoding="utf-8")
        gitignore = directory / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text(".workbench/\n", encoding="utf-8")
    except OSError as exc:
        raise WorkbenchError(f"{directory}: cannot create project: {exc.strerror}") from None
    return find_project(directory)

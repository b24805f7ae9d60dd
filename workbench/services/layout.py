"""Where a project's files are: source catalogs and videos, and their translations per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.services.project import Project


@dataclass(frozen=True)
class SourceFile:
    resource: str            # catalog domain or video id
    kind: str                # "catalog" | "subtitles"
    module: str
    path: Path


def source_files(project: Project) -> list[SourceFile]:
    """Every source file of the project, catalogs first, in a stable order."""
    found: list[SourceFile] = []
    if project.locales.is_dir():
        for path in sorted(project.locales.glob("*.pot")):
            found.append(SourceFile(path.stem, "catalog", path.stem, path))
    if project.subtitles.is_dir():
        for path in sorted(project.subtitles.glob("*.vtt")):
            found.append(SourceFile(path.stem, "subtitles",
                                    project.settings.module_for_video(path.stem), path))
    return found


def translation_candidates(project: Project, source: SourceFile, language: str) -> list[Path]:
    """Where a language's translation of a source file may be, in order of preference."""
    if source.kind == "catalog":
        return [project.locales / language / "LC_MESSAGES" / f"{source.resource}.po"]
    return [project.subtitles / language / f"{source.resource}{ext}" for ext in (".vtt", ".srt")]


def translation_file(project: Project, source: SourceFile, language: str) -> Path | None:
    for path in translation_candidates(project, source, language):
        if path.is_file():
            return path
    return None


def export_paths(project: Project, source: SourceFile, language: str) -> list[Path]:
    """The files an export writes for one source file and language."""
    if source.kind == "catalog":
        base = project.locales / language / "LC_MESSAGES" / source.resource
        return [base.with_suffix(".po"), base.with_suffix(".mo")]
    return [project.subtitles / language / f"{source.resource}{ext}" for ext in (".vtt", ".srt")]

"""Export: write each language's catalogs and subtitles back to the project, atomically."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import and_, select

from workbench.domain.errors import WorkbenchError
from workbench.formats.base import ExportOptions
from workbench.formats.registry import translation_format
from workbench.services.context import Workbench
from workbench.services.files import write_atomic
from workbench.services.layout import SourceFile, export_paths, source_files
from workbench.services.permissions import ensure_coordinator
from workbench.storage import repository as repo
from workbench.storage.models import UserRow


@dataclass
class ExportedFile:
    path: str
    language: str
    written: int
    total: int
    fallbacks: int = 0
    omitted: int = 0
    changed: bool = True


@dataclass
class ExportReport:
    files: list[ExportedFile] = field(default_factory=list)
    skipped_languages: dict[str, str] = field(default_factory=dict)   # language -> why


Progress = Callable[[int, int, str], None]


def export_project(wb: Workbench, *, languages: list[str] | None = None, approved_only: bool = False,
                   fallback_to_source: bool = True, modules: list[str] | None = None,
                   progress: Progress | None = None, force: bool = False,
                   output: Path | None = None) -> ExportReport:
    """Write every language's files; with `output`, into that folder (same layout) instead of
    over the project's working files (what the course platform gets with approved_only)."""
    ensure_coordinator(wb, what="export")   # rule coordinator-only
    settings = wb.settings
    langs = [settings.target(l) for l in languages] if languages else list(settings.target_languages)
    mods = {settings.check_module(m) for m in modules} if modules else None
    report = ExportReport()
    if not force:   # a language with error-level issues is not written (DESIGN: checks before export)
        from workbench.services.checks import describe_blockers, export_blockers

        blocked = export_blockers(wb, languages=langs, modules=sorted(mods) if mods else None,
                                  approved_only=approved_only)
        report.skipped_languages.update(describe_blockers(blocked))
        langs = [l for l in langs if l not in blocked]
    sources = [s for s in source_files(wb.project) if mods is None or s.module in mods]
    total, done = len(sources) * len(langs), 0
    for source in sources:
        for language in langs:
            done += 1
            report.files.extend(export_one(wb, source, language, approved_only=approved_only,
                                           fallback_to_source=fallback_to_source, output=output))
            if progress:
                progress(done, total, f"{source.resource} [{language}]")
    return report


#: Changes that are not a translator's revision: they leave a catalog's PO-Revision-Date alone.
_NOT_REVISIONS = ("import", "source-changed")


def _last_change(conn, resource_id: int, language: str, since: str | None = None) -> tuple[str | None, str | None]:
    """Who last revised a language's text of a resource, and when (PO-Revision-Date format).

    Imports and source changes do not count; nor does anything older than `since`, the revision
    date of the imported file (its own header then stays as it is).
    """
    C, T, U = repo.C, repo.T, repo.U
    row = conn.execute(
        select(C.c.user, C.c.at).join(T, T.c.id == C.c.translation_id).join(U, U.c.id == T.c.unit_id)
        .where(and_(U.c.resource_id == resource_id, T.c.language == language,
                    C.c.action.not_in(_NOT_REVISIONS)))
        .order_by(C.c.at.desc(), C.c.id.desc()).limit(1)).first()
    if row is None:
        return None, None
    at = row[1] if row[1].tzinfo else row[1].replace(tzinfo=timezone.utc)
    if since:
        try:
            if at <= datetime.strptime(since, "%Y-%m-%d %H:%M%z"):
                return None, None
        except ValueError:
            pass        # a placeholder or a date in another format: ours is better
    user = row[0]
    people = UserRow.__table__
    person = conn.execute(select(people.c.display_name, people.c.email).where(people.c.name == user)).first()
    if person is not None and person[1]:
        user = f"{person[0] or user} <{person[1]}>"
    return user, at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def _entry_extras(conn, resource_id: int, language: str) -> dict[str, dict]:
    """Per-entry details a language's imported catalog had beyond its text (extra["po"])."""
    T, U = repo.T, repo.U
    found = {}
    for key, extra in conn.execute(
            select(U.c.key, T.c.extra).join(U, U.c.id == T.c.unit_id)
            .where(and_(U.c.resource_id == resource_id, repo.of_resource(resource_id), T.c.language == language,
                        T.c.extra != "{}"))):
        data = json.loads(extra)
        if "po" in data:
            found[key] = data["po"]
    return found


def export_one(wb: Workbench, source: SourceFile, language: str, *, approved_only: bool,
               fallback_to_source: bool, output: Path | None = None) -> list[ExportedFile]:
    targets = export_paths(wb.project, source, language)
    if output is not None:
        targets = [output / path.relative_to(wb.project.root) for path in targets]
    fmt = translation_format(targets[0].suffix)
    if fmt is None:
        return []
    with wb.store.transaction() as conn:
        resource = repo.get_resource(conn, source.resource)
        if resource is None:
            raise WorkbenchError(f"{wb.project.relative(source.path)}: not imported yet; run 'workbench import'")
        units = repo.units_of(conn, resource["id"], source.resource)
        translations = repo.translations_of(conn, resource["id"], source.resource, language)
        meta = json.loads(resource["meta"] or "{}")
        lang_meta = meta.get("languages", {}).get(language) or {}
        user, when = _last_change(conn, resource["id"], language,
                                  since=(lang_meta.get("metadata") or {}).get("PO-Revision-Date"))
        extras = _entry_extras(conn, resource["id"], language) if source.kind == "catalog" else {}
    if source.kind == "subtitles" and not any(not t.is_empty for t in translations.values()):
        return []          # no subtitle file for a language that has not started
    result = fmt.write_translation(
        language=language, units=units, translations=translations,
        meta={"source": {k: v for k, v in meta.items() if k != "languages"},
              "language": meta.get("languages", {}).get(language), "entries": extras},
        options=ExportOptions(approved_only=approved_only, fallback_to_source=fallback_to_source,
                              last_translator=user, revision_date=when))
    out: list[ExportedFile] = []
    live = sum(1 for u in units if not u.obsolete)
    with wb.store.transaction() as conn:
        for path in targets:
            data = result.outputs.get(path.suffix)
            if data is None:
                continue
            changed = write_atomic(path, data)
            rel = wb.project.relative(path)
            if not approved_only and output is None:
                # what we wrote is what the database holds: the next import can skip it
                repo.set_file_hash(conn, rel, hashlib.sha256(data).hexdigest())
            out.append(ExportedFile(rel, language, result.written, live, result.fallbacks,
                                    result.omitted, changed))
    return out

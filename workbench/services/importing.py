"""Import: read the project's files into the database, changing only what changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from workbench.domain.errors import FormatError, FormatErrors, WorkbenchError
from workbench.domain.states import Action, State, transition
from workbench.domain.translations import Origin
from workbench.formats.base import SourceDocument, TranslationDocument
from workbench.formats.registry import source_format, translation_format
from workbench.services.context import Workbench
from workbench.services.layout import SourceFile, source_files, translation_file
from workbench.services.permissions import ensure_coordinator
from workbench.storage import repository as repo
from workbench.storage.models import utcnow

T, U = repo.T, repo.U


@dataclass
class FileReport:
    path: str
    skipped: bool = False                  # unchanged since the last import or export
    added: int = 0
    changed: int = 0
    obsoleted: int = 0
    stale: dict[str, int] = field(default_factory=dict)   # language -> translations made draft
    kept: dict[str, int] = field(default_factory=dict)    # language -> translations of removed units kept
    updated: int = 0                       # translations changed by a translation file
    unknown_keys: int = 0
    error: str | None = None               # every problem, one per line (the file was refused)
    warnings: list[str] = field(default_factory=list)   # problems that did not stop the import


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def errors(self) -> list[FileReport]:
        return [f for f in self.files if f.error]

    @property
    def changed_files(self) -> list[FileReport]:
        return [f for f in self.files if not f.skipped and not f.error]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


Progress = Callable[[int, int, str], None]


def import_project(wb: Workbench, *, force: bool = False, progress: Progress | None = None) -> ImportReport:
    """Read every source file and translation file; a malformed file is refused as a whole."""
    ensure_coordinator(wb, what="import")   # rule coordinator-only
    project, settings = wb.project, wb.settings
    report = ImportReport()
    sources = source_files(project)
    total = len(sources) * (1 + len(settings.target_languages))
    done = 0
    for source in sources:
        rel = project.relative(source.path)
        fmt = source_format(source.path.suffix)
        if fmt is None:
            continue
        file_report = FileReport(rel)
        report.files.append(file_report)
        try:
            digest = sha256_of(source.path)
            with wb.store.transaction() as conn:
                if not force and repo.file_hash(conn, rel) == digest:
                    file_report.skipped = True
                else:
                    doc = fmt.read_source(source.path, resource=source.resource, module=source.module,
                                          display_path=rel)
                    file_report.warnings.extend(doc.meta.pop("warnings", []))
                    sync_source(conn, doc, source=source, rel=rel, report=file_report,
                                languages=settings.target_languages, user=wb.user)
                    repo.set_file_hash(conn, rel, digest)
        except (FormatError, FormatErrors, WorkbenchError) as exc:
            file_report.error = error_text(exc)
            done += 1 + len(settings.target_languages)
            continue
        done += 1
        if progress:
            progress(done, total, rel)
        for language in settings.target_languages:
            path = translation_file(project, source, language)
            done += 1
            if path is None:
                continue
            report.files.append(import_translation_file(wb, source, language, path, force=force))
            if progress:
                progress(done, total, project.relative(path))
    if report.changed_files:
        from workbench.services.checks import refresh_after_import

        refresh_after_import(wb, report)   # the stored check results follow the content
    return report


def import_translation_file(wb: Workbench, source: SourceFile, language: str, path: Path, *,
                            force: bool = False) -> FileReport:
    rel = wb.project.relative(path)
    file_report = FileReport(rel)
    fmt = translation_format(path.suffix)
    if fmt is None:
        file_report.error = f"{rel}: unsupported file type"
        return file_report
    try:
        digest = sha256_of(path)
        with wb.store.transaction() as conn:
            if not force and repo.file_hash(conn, rel) == digest:
                file_report.skipped = True
                return file_report
            resource = repo.get_resource(conn, source.resource)
            if resource is None:
                file_report.error = f"{rel}: its source {source.path.name} is not imported"
                return file_report
            units = repo.units_of(conn, resource["id"], source.resource)
            source_meta = json.loads(resource["meta"] or "{}")
            doc = fmt.read_translation(
                path, language=language, units=units, display_path=rel,
                source=SourceDocument(source.resource, source.kind, units, source_meta))
            file_report.warnings.extend(doc.meta.pop("warnings", []))
            sync_translations(conn, resource_id=resource["id"], doc=doc, language=language,
                              user=wb.user, report=file_report)
            repo.set_resource_language_meta(conn, resource["id"], language, doc.meta)
            repo.set_file_hash(conn, rel, digest)
    except (FormatError, FormatErrors, WorkbenchError) as exc:
        file_report.error = error_text(exc)
    return file_report


def error_text(exc: WorkbenchError) -> str:
    """A refused file's problems, one `path:line: problem` per line."""
    return "\n".join(exc.lines()) if isinstance(exc, FormatErrors) else str(exc)


def sync_source(conn: Connection, doc: SourceDocument, *, source: SourceFile, rel: str,
                report: FileReport, languages: tuple[str, ...], user: str) -> None:
    """Bring a resource's units in line with its source file, like msgmerge does."""
    resource_id = repo.upsert_resource(conn, name=source.resource, kind=source.kind,
                                       module=source.module, path=rel, meta=doc.meta)
    existing = {row["key"]: row for row in repo.unit_rows(conn, resource_id)}
    new_rows: list[dict] = []
    updates: list[dict] = []
    for unit in doc.units:
        values = repo.unit_values(unit)
        row = existing.pop(unit.key, None)
        if row is None:
            new_rows.append(dict(values, resource_id=resource_id))
            continue
        if (row["source"], row["source_plural"]) != (unit.source, unit.source_plural):
            report.changed += 1
            for language, n in mark_stale(conn, row["id"], old_source=row["source"], user=user).items():
                report.stale[language] = report.stale.get(language, 0) + n
        if any(row[k] != v for k, v in values.items()):
            updates.append(dict(values, _id=row["id"]))
    removed = [row for row in existing.values() if not row["obsolete"]]
    for row in removed:
        report.obsoleted += 1
        updates.append(dict(repo.unit_values(repo.unit_from_row(row, source.resource)),
                            obsolete=True, _id=row["id"]))
    if removed:   # obsolete units keep their translations (exported as #~ entries, like msgmerge)
        kept = conn.execute(select(T.c.language, func.count()).where(and_(
            T.c.unit_id.in_([row["id"] for row in removed]), T.c.state != State.UNTRANSLATED.value))
            .group_by(T.c.language)).all()
        for language, n in kept:
            report.kept[language] = report.kept.get(language, 0) + n
    if updates:
        conn.execute(update(U).where(U.c.id == bindparam("_id")),
                     [{k: v for k, v in u.items()} for u in updates])
    if new_rows:
        report.added += len(new_rows)
        conn.execute(insert(U), new_rows)
    if updates:
        # keep the copies of module and kind on the translations in step
        conn.execute(update(T).where(T.c.unit_id == bindparam("_id")).values(
            module=bindparam("module"), kind=bindparam("kind")),
            [{"_id": u["_id"], "module": u["module"], "kind": u["kind"]} for u in updates])


def mark_stale(conn: Connection, unit_id: int, *, old_source: str, user: str) -> dict[str, int]:
    """The source of a unit changed: its translated and approved translations become drafts."""
    stale: dict[str, int] = {}
    rows = conn.execute(select(T).where(T.c.unit_id == unit_id)).mappings().all()
    now = utcnow()
    for row in rows:
        if row["state"] == State.UNTRANSLATED.value:
            continue
        old_state = State(row["state"])
        new_state = transition(old_state, Action.SOURCE_CHANGED)
        forms = repo.forms_from_row(row["text"], row["plurals"])
        conn.execute(update(T).where(T.c.id == row["id"]).values(
            state=new_state.value, version=row["version"] + 1, updated_at=now,
            previous_source=row["previous_source"] or old_source))
        repo.record_change(conn, translation_id=row["id"], version=row["version"] + 1,
                           action=Action.SOURCE_CHANGED.value, user=user, old_state=old_state.value,
                           new_state=new_state.value, old_forms=forms, new_forms=forms,
                           origin=row["origin"], comment="source changed", at=now)
        stale[row["language"]] = stale.get(row["language"], 0) + 1
    return stale


def sync_translations(conn: Connection, *, resource_id: int, doc: TranslationDocument, language: str,
                      user: str, report: FileReport) -> None:
    """Apply a translation file: each entry that differs from the database becomes an import change."""
    unit_ids = dict(conn.execute(select(U.c.key, U.c.id).where(U.c.resource_id == resource_id)).all())
    report.unknown_keys += doc.meta.pop("unknown_entries", 0)
    # a row for each entry with text, or with something of its own to keep (comments, flags...)
    with_text = [unit_ids[key] for key, entry in doc.entries.items()
                 if key in unit_ids and (any(entry.forms) or entry.translator_comments
                                         or any(entry.extra.values()))]
    repo.ensure_translations(conn, language=language, unit_ids=with_text)
    rows = {r["key"]: r for r in conn.execute(
        select(T, U.c.key, U.c.source_plural).join(U, U.c.id == T.c.unit_id)
        .where(and_(U.c.resource_id == resource_id, repo.of_resource(resource_id),
                    T.c.language == language))).mappings()}
    now = utcnow()
    updates: list[dict] = []
    changes: list[dict] = []
    for key, entry in doc.entries.items():
        row = rows.get(key)
        if row is None:
            if key not in unit_ids:
                report.unknown_keys += 1
            continue   # an empty entry for a unit that has no translation yet
        if not any(entry.forms) and (row["text"] or row["plurals"]):
            continue   # an empty entry never wipes a translation (e.g. an --approved-only export)
        plural = row["source_plural"] is not None
        text, plurals = repo.split_forms(entry.forms, plural)
        new = dict(state=entry.state.value, text=text, plurals=plurals, comment=entry.comment,
                   translator_comments=entry.translator_comments, previous_source=entry.previous_source)
        if entry.extra:   # what the file says about this entry beyond the text (kept for export)
            extra = json.loads(row["extra"] or "{}")
            extra.update(entry.extra)
            new["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True)
        if all(row[k] == v for k, v in new.items()):
            continue
        old_forms = repo.forms_from_row(row["text"], row["plurals"])
        version = row["version"] + 1
        # whoever runs the import did not write the text: a changed text's author is unknown
        # (the history says who imported it), so the four-eyes rule does not stop them approving
        author = row["author"] if old_forms == tuple(entry.forms) else None
        updates.append(dict(new, _id=row["id"], version=version, updated_at=now, origin=Origin.IMPORT,
                            author=author))
        changes.append(dict(translation_id=row["id"], version=version, action="import", user=user, at=now,
                            old_state=row["state"], new_state=entry.state.value,
                            old_text=repo.forms_to_json(old_forms), new_text=repo.forms_to_json(entry.forms),
                            origin=Origin.IMPORT, comment=entry.comment))
    if updates:
        conn.execute(update(T).where(T.c.id == bindparam("_id")), updates)
        conn.execute(insert(repo.C), changes)
        report.updated += len(updates)

"""Import: read the project's files into the database, changing only what changed."""

from __future__ import annotations

import hashlib
import json
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Sequence

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from workbench.domain.errors import FormatError, FormatErrors, WorkbenchError
from workbench.domain.states import Action, State, transition
from workbench.domain.translations import Origin
from workbench.formats.base import FileTranslation, SourceDocument, TranslationDocument
from workbench.formats.registry import source_format, translation_format
from workbench.services.context import Workbench
from workbench.services.layout import SourceFile, source_files, translation_candidates, translation_file
from workbench.services.project import Project
from workbench.services.permissions import ensure_coordinator
from workbench.services import file_numbering, renumbering
from workbench.storage import repository as repo
from workbench.storage import text_search
from workbench.storage.engine import Batch
from workbench.storage.columns import utcnow

T, U = repo.T, repo.U


@dataclass
class FileReport:
    path: str
    skipped: bool = False                  # unchanged since the last import or export
    added: int = 0
    changed: int = 0
    renumbered: int = 0                    # cues that kept their translations under another key
    obsoleted: int = 0
    stale: dict[str, int] = field(default_factory=dict)   # language -> translations made draft
    kept: dict[str, int] = field(default_factory=dict)    # language -> translations of removed units kept
    updated: int = 0                       # translations changed by a translation file
    unapproved: int = 0                    # of those, marked approved in the file but with a changed text
    unknown_keys: int = 0
    error: str | None = None               # every problem, one per line (the file was refused)
    warnings: list[str] = field(default_factory=list)   # problems that did not stop the import

    @property
    def units_summary(self) -> str:
        """What a source file did to its units: '1 new, 23 renumbered, 0 changed, 0 removed'."""
        renumbered = f"{self.renumbered} renumbered, " if self.renumbered else ""    # (re-cut subtitles)
        return f"{self.added} new, {renumbered}{self.changed} changed, {self.obsoleted} removed"

    @property
    def unapproved_summary(self) -> str:
        """'' or what the file changed of approved texts: '1 marked approved in the file but...'."""
        return (f"{self.unapproved} marked approved in the file but changed there: awaiting review"
                if self.unapproved else "")


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
    with repo.paused_gc():
        return _import_project(wb, force=force, progress=progress)


def _import_project(wb: Workbench, *, force: bool, progress: Progress | None) -> ImportReport:
    ensure_coordinator(wb, what="import")   # rule coordinator-only
    project, settings = wb.project, wb.settings
    report = ImportReport()
    sources = source_files(project)
    total = len(sources) * (1 + len(settings.target_languages))
    done = 0
    # one connection for the whole import, each file in a savepoint of a transaction committed every
    # so often (Store.batch): a refused file leaves nothing behind and the others are kept
    with wb.store.batch() as batch:
        for source in sources:
            with ExitStack() as ahead:
                done = _import_source(wb, batch, source, report=report, force=force, progress=progress,
                                      done=done, total=total, ahead=ahead)
    if report.changed_files:
        from workbench.services.checks import refresh_after_import

        # the stored check results follow the content: re-checked now when that is quick, else by
        # the first reader of results (services/checks.py, "Stale results")
        refresh_after_import(wb, report)
    return report


def _import_source(wb: Workbench, batch: Batch, source: SourceFile, *, report: ImportReport, force: bool,
                   progress: Progress | None, done: int, total: int, ahead: ExitStack) -> int:
    """Import one source file and then its translation files; returns the progress count.
    `ahead`: where to keep the reading ahead of the translation files until they are read."""
    project, settings = wb.project, wb.settings
    rel = project.relative(source.path)
    fmt = source_format(source.path.suffix)
    if fmt is None:
        return done
    file_report = FileReport(rel)
    report.files.append(file_report)
    try:
        digest = sha256_of(source.path)
        with batch.piece() as conn:
            known = repo.file_hash(conn, rel)
            if not force and known == digest:
                file_report.skipped = True
            else:
                ahead.enter_context(_reading_ahead(conn, project, source, settings.target_languages, force=force))
                doc = fmt.read_source(source.path, resource=source.resource, module=source.module,
                                      display_path=rel)
                file_report.warnings.extend(doc.meta.pop("warnings", []))
                translation_paths = [project.relative(p) for language in settings.target_languages
                                     for p in translation_candidates(project, source, language)]
                resource_id, units = sync_source(conn, doc, source=source, rel=rel, report=file_report,
                                                 languages=settings.target_languages, user=wb.user,
                                                 translation_paths=translation_paths)
                # its stored check results no longer follow it, in any language (services/checks.py)
                repo.mark_checks_stale(conn, resource_id, settings.target_languages)
                repo.set_file_hash(conn, rel, digest, known=known)
    except (FormatError, FormatErrors, WorkbenchError) as exc:
        file_report.error = error_text(exc)
        return done + 1 + len(settings.target_languages)
    if file_report.skipped:
        units = None
    rows = SourceRows(source, units=units)
    done += 1
    if progress:
        progress(done, total, rel)
    for language in settings.target_languages:
        path, refused = _translation_to_read(batch, project, source, language)
        done += 1
        if refused is not None:
            report.files.append(refused)
        elif path is None:
            continue
        else:
            report.files.append(import_translation_file(wb, source, language, path, force=force, batch=batch,
                                                        rows=rows))
        if progress:
            progress(done, total, report.files[-1].path)
    return done


def _translation_to_read(batch: Batch, project: Project, source: SourceFile,
                         language: str) -> tuple[Path | None, FileReport | None]:
    """The language's translation file of `source` to read: the preferred one (.vtt before .srt),
    unless only the other was changed on disk since it was last imported or exported (an .srt
    edited in a subtitle editor); when both were, neither is read and the report says what to do."""
    found = [p for p in translation_candidates(project, source, language) if p.is_file()]
    if len(found) < 2:
        return (found[0] if found else None), None
    with batch.piece() as conn:
        synced = {p: repo.file_hash(conn, project.relative(p)) for p in found}
    changed = [p for p in found if synced[p] is not None and synced[p] != sha256_of(p)]
    if len(changed) < 2:
        return (changed or found)[0], None
    first, *others = (project.relative(p) for p in changed)
    refused = FileReport(first)
    refused.error = (f"{first}: {', '.join(others)} changed on disk too since the last import or export; "
                     "delete the one not to import (the next export writes it again)")
    return None, refused


def _reading_ahead(conn: Connection, project: Project, source: SourceFile, languages: Sequence[str], *,
                   force: bool) -> ContextManager:
    """The source's translation files parsed in another process while its own file is read and
    written (formats with a `read_ahead`, PoFormat's: two cores), those unchanged since their last
    import excepted."""
    paths = [p for p in (translation_file(project, source, language) for language in languages)
             if p is not None]
    fmt = translation_format(paths[0].suffix) if paths else None
    read_ahead = getattr(fmt, "read_ahead", None)
    paths = [p for p in paths if translation_format(p.suffix) is fmt]
    if read_ahead is None or sum(_size(p) for p in paths) < READ_AHEAD_FROM:
        return nullcontext()
    unless = {} if force else {p: h for p in paths if (h := repo.file_hash(conn, project.relative(p)))}
    return read_ahead(paths, unless=unless)


#: Translation files smaller than this in all (bytes) are not worth a process of their own.
READ_AHEAD_FROM = 1 << 20


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class SourceRows:
    """What the translation files of one source read of the database: its resource row, its units
    (as repository.units_of reads them) and key -> (unit id, plural, module, kind). Read by the first
    file of each transaction of the import's batch and kept for the others in that transaction.
    `units`: the units when the caller knows them (it has just written them all)."""

    def __init__(self, source: SourceFile, *, units: list | None = None) -> None:
        self.source = source
        self.given = units
        self.resource = None
        self.units: list | None = None
        self.keys: dict[str, tuple[int, bool, str, str]] | None = None
        self._read_in: int | None = None

    def read(self, conn: Connection, batch: Batch | None) -> bool:
        """Read (or keep) the rows; False when the source has no resource (not imported)."""
        transaction = batch.transactions if batch is not None else None
        if transaction is None or transaction != self._read_in:
            self.resource = repo.get_resource(conn, self.source.resource)
            self._read_in = transaction
            if self.resource is None:
                return False
            rid = self.resource["id"]
            self.units = self.given if self.given is not None else repo.units_of(conn, rid, self.source.resource)
            self.keys = unit_keys(conn, rid)
        return self.resource is not None


def import_translation_file(wb: Workbench, source: SourceFile, language: str, path: Path, *,
                            force: bool = False, units: list | None = None,
                            batch: Batch | None = None, rows: SourceRows | None = None) -> FileReport:
    """Read one translation file of `source` into `language`. `units`: the resource's units as
    repository.units_of reads them, when the caller knows them (it has just written them all).
    `batch`: the import's batch, whose piece the file is written in (else its own transaction);
    `rows`: what the source's other files read of the database (see SourceRows)."""
    rel = wb.project.relative(path)
    file_report = FileReport(rel)
    fmt = translation_format(path.suffix)
    if fmt is None:
        file_report.error = f"{rel}: unsupported file type"
        return file_report
    try:
        digest = sha256_of(path)
        if rows is None:
            rows = SourceRows(source, units=units)
        with (batch.piece() if batch is not None else wb.store.transaction()) as conn:
            known = repo.file_hash(conn, rel)
            if not force and known == digest:
                file_report.skipped = True
                return file_report
            if not rows.read(conn, batch):
                file_report.error = f"{rel}: its source {source.path.name} is not imported"
                return file_report
            resource, units = rows.resource, rows.units
            source_meta = json.loads(resource["meta"] or "{}")
            # a file last synced before its source was renumbered is read in the numbering it has
            numbering = file_numbering.numbering_of(source_meta, rel, known)
            back = None
            if numbering is not None:
                units, back = file_numbering.old_view(units, rows.keys, numbering, resource=source.resource)
            doc = fmt.read_translation(
                path, language=language, units=units, display_path=rel,
                source=SourceDocument(source.resource, source.kind, units, source_meta))
            file_report.warnings.extend(doc.meta.pop("warnings", []))
            if back is not None:
                file_numbering.to_current(doc, back)
                file_report.warnings.append(
                    f"{rel}: numbered as {wb.project.relative(source.path)} was before its cues were renumbered; "
                    "read in that numbering (each text goes to the cue it translated); export to renumber it")
            sync_translations(conn, resource_id=resource["id"], doc=doc, language=language,
                              user=wb.user, report=file_report, units=rows.keys)
            # its stored check results no longer follow it (services/checks.py)
            repo.set_resource_language_meta(conn, resource["id"], language, doc.meta, checks_stale=True)
            if numbering is not None:
                file_numbering.keep_numbering(conn, resource["id"], rel, digest)
            repo.set_file_hash(conn, rel, digest, known=known)
    except (FormatError, FormatErrors, WorkbenchError) as exc:
        file_report.error = error_text(exc)
    return file_report


def error_text(exc: WorkbenchError) -> str:
    """A refused file's problems, one `path:line: problem` per line."""
    return "\n".join(exc.lines()) if isinstance(exc, FormatErrors) else str(exc)


def sync_source(conn: Connection, doc: SourceDocument, *, source: SourceFile, rel: str,
                report: FileReport, languages: tuple[str, ...], user: str,
                translation_paths: Sequence[str] = ()) -> tuple[int, list | None]:
    """Bring a resource's units in line with its source file, like msgmerge does; returns the
    resource's id and, when it had no units before, its units as repository.units_of reads them.
    Subtitles: each cue keeps the row (translations, history, check results) of the cue it was,
    found by text and timing, when a subtitle editor renumbered the cues (services/renumbering.py);
    `translation_paths`: the resource's translation files, whose numbering before is remembered."""
    resource_id = repo.upsert_resource(conn, name=source.resource, kind=source.kind,
                                       module=source.module, path=rel, meta=doc.meta)
    stored = repo.unit_rows(conn, resource_id)
    if not stored:     # a new resource: every unit is new, and is written as it is
        rows = [repo.unit_row(unit, resource_id) for unit in doc.units]
        repo.insert_many(conn, U, ("resource_id", *repo.UNIT_COLUMNS), rows)
        report.added += len(rows)
        units = [repo.stored_unit(unit, row) for unit, row in zip(doc.units, rows)]
        units.sort(key=lambda u: u.position)      # (units_of's order)
        return resource_id, units
    if source.kind == "subtitles":
        plan = renumbering.plan_cues(stored, doc.units, resource=source.resource)
        existing = plan.rows
        report.renumbered += plan.renumbered
        if plan.moves:
            renumbering.apply_moves(conn, plan.moves)
            file_numbering.note_numbering(conn, resource_id, plan, translation_paths=translation_paths,
                                       old_keys={r["id"]: r["key"] for r in stored if r["id"] in plan.moves})
    else:
        existing = {row["key"]: row for row in stored}
    new_rows: list[tuple] = []
    updates: list[dict] = []
    sources_changed: list[tuple] = []
    for unit in doc.units:
        values = repo.unit_values(unit)
        row = existing.pop(unit.key, None) if existing else None
        if row is None:
            new_rows.append((resource_id, *values.values()))
            continue
        if (row["source"], row["source_plural"]) != (unit.source, unit.source_plural):
            report.changed += 1
            sources_changed.append((row["id"], row["source"], row["source_plural"]))
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
    text_search.sources_changed(conn, sources_changed)     # (the text search's index: their old text)
    if new_rows:
        report.added += len(new_rows)
        repo.insert_many(conn, U, ("resource_id", *repo.UNIT_COLUMNS), new_rows)
    if updates:
        # keep the copies of module and kind on the translations in step
        conn.execute(update(T).where(T.c.unit_id == bindparam("_id")).values(
            module=bindparam("module"), kind=bindparam("kind")),
            [{"_id": u["_id"], "module": u["module"], "kind": u["kind"]} for u in updates])
    return resource_id, None


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


def unit_keys(conn: Connection, resource_id: int) -> dict[str, tuple[int, bool, str, str]]:
    """A resource's units: key -> (unit id, has a plural, module, kind)."""
    return {key: (uid, plural is not None, module, kind) for key, uid, plural, module, kind in repo.tuples(
        conn, select(U.c.key, U.c.id, U.c.source_plural, U.c.module, U.c.kind).where(U.c.resource_id == resource_id))}


#: The units of a resource that have a row in a language (built once: see repository._FILE_HASH).
_HAVE = select(T.c.unit_id).where(and_(
    T.c.language == bindparam("language"),
    T.c.unit_id.in_(select(U.c.id).where(U.c.resource_id == bindparam("resource_id")))))   # (repository.of_resource)


def sync_translations(conn: Connection, *, resource_id: int, doc: TranslationDocument, language: str,
                      user: str, report: FileReport,
                      units: dict[str, tuple[int, bool, str, str]] | None = None) -> None:
    """Apply a translation file: each entry that differs from the database becomes an import change.
    `units`: unit_keys(conn, resource_id), when the caller has read it in this transaction."""
    if units is None:
        units = unit_keys(conn, resource_id)
    result = conn.execute(_HAVE, {"language": language, "resource_id": resource_id})
    have = {uid for (uid,) in result.cursor.fetchall()}        # (as repository.tuples reads)
    result.close()
    report.unknown_keys += doc.meta.pop("unknown_entries", 0)
    fresh: list[tuple[int, bool, str, str, FileTranslation]] = []     # entries of units without a row yet
    known: list[str] = []                                               # entries of units with one
    for key, entry in doc.entries.items():
        unit = units.get(key)
        if unit is None:
            report.unknown_keys += 1
        elif unit[0] in have:
            known.append(key)
        elif any(entry.forms) or entry.translator_comments or any(entry.extra.values()):
            # a row for each entry with text, or with something of its own to keep (comments, flags...)
            fresh.append((*unit, entry))
        # else: an empty entry for a unit that has no translation yet
    now = utcnow()
    if fresh:
        if conn.dialect.name == "postgresql":
            # another session may have made one of these rows since `have` was read (SQLite's
            # writer lock, taken at BEGIN, rules that out): then the rows are made one way only
            try:
                with conn.begin_nested():
                    _insert_fresh(conn, fresh, resource_id=resource_id, language=language, user=user,
                                  now=now, report=report)
            except IntegrityError:
                made = {f[0] for f in fresh}
                repo.ensure_translations(conn, language=language, unit_ids=sorted(made))
                known.extend(key for key in doc.entries if key in units and units[key][0] in made)
        else:
            _insert_fresh(conn, fresh, resource_id=resource_id, language=language, user=user, now=now,
                          report=report)
    if known:
        _update_known(conn, known, resource_id=resource_id, doc=doc, language=language, user=user, now=now,
                      report=report)


_STATE_VALUES = {state: state.value for state in State}     # (an enum's .value is a slow property)
_TRANSLATION_COLUMNS = ("unit_id", "language", "module", "kind", "state", "text", "plurals", "version", "author",
                        "origin", "comment", "translator_comments", "previous_source", "extra", "updated_at")
_CHANGE_COLUMNS = ("translation_id", "version", "action", "user", "at", "old_state", "new_state", "old_text",
                   "new_text", "origin", "comment")
#: What most entries of a catalog say beyond their text, and its JSON (written for every row).
_COMMON_EXTRAS = [(e, json.dumps(e, ensure_ascii=False, sort_keys=True))
                  for e in ({"po": {}}, {"po": {"translator_comments": []}})]


def _extra_json(extra: dict) -> str:
    for common, encoded in _COMMON_EXTRAS:
        if extra == common:
            return encoded
    return json.dumps(extra, ensure_ascii=False, sort_keys=True)
_EMPTY_FORMS_JSON = repo.forms_to_json(("",))


def _insert_fresh(conn: Connection, fresh: list, *, resource_id: int, language: str, user: str, now,
                  report: FileReport) -> None:
    """Rows for units that had none in `language`, written as they are, with their history: the same
    rows and changes as making an empty row and then updating it, without reading it back."""
    untranslated = State.UNTRANSLATED.value
    rows: list[tuple] = []
    changed: list[tuple[int, str, FileTranslation]] = []
    # (the date as the driver takes it, once: insert_many need not copy every row to convert it)
    when = repo.driver_value(conn, T, "updated_at", now)
    for uid, plural, module, kind, entry in sorted(fresh, key=lambda f: f[0]):    # in unit order
        text, plurals = repo.split_forms(entry.forms, plural)
        state = _STATE_VALUES[entry.state]
        extra = entry.extra
        extra_json = _extra_json(extra) if extra else "{}"
        if (state == untranslated and text == "" and plurals is None and entry.comment is None
                and entry.translator_comments == "" and entry.previous_source is None and extra_json == "{}"):
            rows.append((uid, language, module, kind, untranslated, "", None, 0, None, Origin.HUMAN, None, "",
                         None, "{}", None))       # what the file says is what an empty row says
            continue
        rows.append((uid, language, module, kind, state, text, plurals, 1, None, Origin.IMPORT, entry.comment,
                     entry.translator_comments, entry.previous_source, extra_json, when))
        changed.append((uid, state, entry))
    ids = repo.next_ids(conn, T, len(rows))
    if ids is None:
        repo.insert_many(conn, T, _TRANSLATION_COLUMNS, rows, converted=("updated_at",))
    else:                  # (SQLite: the rows' ids given, so that they need not be read back)
        repo.insert_many(conn, T, ("id", *_TRANSLATION_COLUMNS), [(i, *row) for i, row in zip(ids, rows)],
                         converted=("updated_at",))
    if not changed:
        return
    if ids is None:
        id_of = dict(repo.tuples(conn, select(T.c.unit_id, T.c.id).where(
            and_(T.c.language == language, repo.of_resource(resource_id)))))
    else:
        id_of = {row[0]: i for i, row in zip(ids, rows)}
    when = repo.driver_value(conn, repo.C, "at", now)
    forms_json = repo.forms_to_json
    repo.insert_many(conn, repo.C, _CHANGE_COLUMNS, [
        (id_of[uid], 1, "import", user, when, untranslated, state, _EMPTY_FORMS_JSON, forms_json(entry.forms),
         Origin.IMPORT, entry.comment) for uid, state, entry in changed], converted=("at",))
    report.updated += len(changed)


def _update_known(conn: Connection, keys: list[str], *, resource_id: int, doc: TranslationDocument,
                  language: str, user: str, now, report: FileReport) -> None:
    """Entries of units that have a row in `language`: each one that differs becomes an import change."""
    rows = {r["key"]: r for r in conn.execute(
        select(T, U.c.key, U.c.source_plural).join(U, U.c.id == T.c.unit_id)
        .where(and_(U.c.resource_id == resource_id, repo.of_resource(resource_id),
                    T.c.language == language))).mappings()}
    updates: list[dict] = []
    changes: list[dict] = []
    for key in keys:
        entry = doc.entries[key]
        row = rows[key]
        if not any(entry.forms) and (row["text"] or row["plurals"]):
            continue   # an empty entry never wipes a translation (e.g. an --approved-only export)
        plural = row["source_plural"] is not None
        text, plurals = repo.split_forms(entry.forms, plural)
        same_text = (text, plurals) == (row["text"], row["plurals"])
        if same_text and not doc.states_known:
            continue      # the stored text, and the file cannot say its state, comments or previous source
        if same_text and not doc.sources_known and row["previous_source"] is not None:
            continue      # its source changed since it was translated, and the file cannot say that the
            #               text still fits the new one (it may have been written before the change)
        state = entry.state
        if state is State.APPROVED and not same_text and (row["text"] or row["plurals"]):
            # an approval is of a text: one that the file changed awaits a reviewer again, as a save does
            state = State.TRANSLATED
            report.unapproved += 1
        new = dict(state=_STATE_VALUES[state], text=text, plurals=plurals, comment=entry.comment,
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
                            old_state=row["state"], new_state=_STATE_VALUES[state],
                            old_text=repo.forms_to_json(old_forms), new_text=repo.forms_to_json(entry.forms),
                            origin=Origin.IMPORT, comment=entry.comment))
    if updates:
        conn.execute(update(T).where(T.c.id == bindparam("_id")), updates)
        conn.execute(insert(repo.C), changes)
        report.updated += len(updates)

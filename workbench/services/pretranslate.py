"""Pre-translation: send what has no translation yet to the MT provider and keep the results as drafts.

Only units with no text in a language are sent (no translation row, or `untranslated`), so a run
that was interrupted, or stopped by the quota, sends only what is still missing when it is run
again. Results are written as `draft` suggestions with origin `mt:<provider>` through the editing
service, in transactions of a few dozen units, with their history row (what was translated is
written before a run stops, on an error or Ctrl-C); a text a person wrote meanwhile is
kept (the suggestion is refused, never written over it). Subtitle cues are sent one by one with
their neighbouring cues as context and sentence splitting off, then re-broken into lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from sqlalchemy import and_, false, or_, select

from workbench.domain.errors import NotFoundError, UnknownLanguageError, WorkbenchError
from workbench.domain.settings import SubtitleLimits
from workbench.domain.states import State
from workbench.domain.subtitles import break_lines
from workbench.domain.translations import Origin
from workbench.domain.units import UnitKind
from workbench.formats.po import babel_plural_forms
from workbench.mt.base import Glossary, MtConfigError, MtError, Provider, Suggestion, TranslateOptions
from workbench.mt.registry import create_provider
from workbench.services.context import Workbench
from workbench.services.editing import Suggestion as EditSuggestion
from workbench.services.editing import suggest_translations
from workbench.storage import repository as repo

T, U, R = repo.T, repo.U, repo.R

#: Texts per request for texts and quiz items (DeepL takes at most 50).
BATCH_TEXTS = 40
#: Units written per transaction (a run stopped or interrupted loses none of them: they are
#: written before it stops).
WRITE_UNITS = 40
#: Neighbouring cues sent as context on each side of a cue.
CONTEXT_CUES = 2

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A unit with no translation yet in one language."""

    resource: str
    key: str
    kind: str
    texts: tuple[str, ...]               # source (and plural source)
    version: int                          # the translation's version, 0 when it has no row yet
    nplurals: int = 1
    context: str | None = None           # neighbouring cues, for a cue

    @property
    def characters(self) -> int:
        return sum(len(t) for t in self.texts)


@dataclass
class LanguagePlan:
    language: str
    units: int = 0
    characters: int = 0


@dataclass
class PretranslateReport:
    provider: str
    dry_run: bool
    plans: dict[str, LanguagePlan] = field(default_factory=dict)
    translated: dict[str, int] = field(default_factory=dict)        # language -> drafts written
    kept: list[tuple[str, str, str, str]] = field(default_factory=list)   # (language, resource, key, why)
    billed_characters: int = 0

    @property
    def units(self) -> int:
        return sum(p.units for p in self.plans.values())

    @property
    def characters(self) -> int:
        return sum(p.characters for p in self.plans.values())

    @property
    def done(self) -> int:
        return sum(self.translated.values()) + len(self.kept)

    def remaining(self) -> dict[str, tuple[int, int]]:
        """language -> (units, characters) not done yet."""
        return {lang: (p.units, p.characters) for lang, p in self.plans.items() if p.units}


class PretranslateStopped(WorkbenchError):
    """The provider failed part-way: what was done is saved; the message says what remains."""

    def __init__(self, message: str, report: PretranslateReport) -> None:
        super().__init__(message)
        self.report = report


# -- what to send -------------------------------------------------------------------------

def kinds_for(names: Iterable[str] | None) -> set[str] | None:
    """`--kind` values: a family (text, quiz, subtitle) or a precise kind (cue, quiz-choice...)."""
    if not names:
        return None
    out: set[str] = set()
    for name in names:
        found = [k.value for k in UnitKind if name in (k.value, k.family)]
        if not found:
            known = sorted({k.family for k in UnitKind} | {k.value for k in UnitKind})
            raise WorkbenchError(f"unknown kind {name!r} (known: {', '.join(known)})")
        out.update(found)
    return out


def target_languages(wb: Workbench, languages: Sequence[str] | None) -> list[str]:
    if not languages:
        raise UnknownLanguageError("name the languages to pre-translate with --lang (or --lang all)")
    if any(l == "all" for l in languages):
        return list(wb.settings.target_languages)
    out: list[str] = []
    for l in languages:
        code = wb.settings.target(l)
        if code not in out:
            out.append(code)
    return out


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def _nplurals(meta: dict, language: str) -> int:
    header = (((meta.get("languages") or {}).get(language) or {}).get("metadata") or {}).get("Plural-Forms")
    m = _NPLURALS.search(header or "") or _NPLURALS.search(babel_plural_forms(language))
    return int(m.group(1)) if m else 2


def candidates(wb: Workbench, language: str, *, modules: Sequence[str] | None = None,
               kinds: set[str] | None = None, unit: tuple[str, str] | None = None) -> list[Candidate]:
    """The units of `language` that have no text yet, in resource and position order.

    With `unit` (resource, key): that one unit, whatever its state (for a suggestion on demand).
    """
    q = (select(U.c.id, U.c.key, U.c.kind, U.c.source, U.c.source_plural, U.c.position, U.c.resource_id,
                R.c.name.label("resource"), T.c.version, T.c.state)
         .join(R, R.c.id == U.c.resource_id)
         .outerjoin(T, and_(T.c.unit_id == U.c.id, T.c.language == language))
         .where(U.c.obsolete == false())
         .order_by(R.c.name, U.c.position))
    if unit is None:
        q = q.where(or_(T.c.id.is_(None), T.c.state == State.UNTRANSLATED.value))
    else:
        q = q.where(and_(R.c.name == unit[0], U.c.key == unit[1]))
    if modules:
        q = q.where(U.c.module.in_([wb.settings.check_module(m) for m in modules]))
    if kinds:
        q = q.where(U.c.kind.in_(sorted(kinds)))
    with wb.store.read() as conn:
        rows = conn.execute(q).mappings().all()
        metas = {r["id"]: json.loads(r["meta"] or "{}") for r in conn.execute(select(R.c.id, R.c.meta)).mappings()}
        cue_resources = sorted({r["resource_id"] for r in rows if r["kind"] == UnitKind.CUE.value})
        neighbours: dict[int, list[tuple[int, str]]] = {}
        if cue_resources:
            for n in conn.execute(select(U.c.resource_id, U.c.position, U.c.source)
                                  .where(and_(U.c.resource_id.in_(cue_resources), U.c.obsolete == false(),
                                              U.c.kind == UnitKind.CUE.value))
                                  .order_by(U.c.resource_id, U.c.position)).mappings():
                neighbours.setdefault(n["resource_id"], []).append((n["position"], n["source"]))
    out = []
    for r in rows:
        if not (r["source"] or "").strip():
            continue
        context = None
        texts: tuple[str, ...] = (r["source"],) if r["source_plural"] is None else (r["source"], r["source_plural"])
        if r["kind"] == UnitKind.CUE.value:
            texts = tuple(_one_line(t) for t in texts)
            context = _cue_context(neighbours.get(r["resource_id"], []), r["position"])
        out.append(Candidate(
            resource=r["resource"], key=r["key"], kind=r["kind"], texts=texts, version=r["version"] or 0,
            nplurals=_nplurals(metas.get(r["resource_id"], {}), language) if len(texts) > 1 else 1,
            context=context))
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cue_context(cues: list[tuple[int, str]], position: int) -> str | None:
    positions = [p for p, _ in cues]
    try:
        i = positions.index(position)
    except ValueError:
        return None
    around = cues[max(0, i - CONTEXT_CUES):i] + cues[i + 1:i + 1 + CONTEXT_CUES]
    text = "\n".join(_one_line(s) for _, s in around)
    return text or None


def plan(wb: Workbench, *, languages: Sequence[str] | None, modules: Sequence[str] | None = None,
         kinds: Iterable[str] | None = None) -> dict[str, list[Candidate]]:
    kind_set = kinds_for(kinds)
    return {lang: candidates(wb, lang, modules=modules, kinds=kind_set) for lang in target_languages(wb, languages)}


# -- the term base as glossary dictionaries ------------------------------------------------

def term_glossary(wb: Workbench, languages: Sequence[str]) -> Glossary:
    """Preferred source term -> preferred target term, one dictionary per language pair. A source
    term that names several concepts (a homonym) whose preferred target terms differ is left out:
    a glossary can force only one of them, and would force it where the other concept is meant
    (the terminology check still asks for the right one)."""
    from workbench.services.terms import load_termbase

    source = wb.settings.source_language
    termbase = load_termbase(wb.project).termbase
    dictionaries: dict[tuple[str, str], dict[str, str]] = {}
    for language in languages:
        targets_of: dict[str, set[str]] = {}
        for concept in termbase:
            targets = concept.preferred(language)
            if not targets:
                continue
            for term in concept.preferred(source):
                targets_of.setdefault(term.text, set()).add(targets[0].text)
        entries = {text: next(iter(found)) for text, found in targets_of.items() if len(found) == 1}
        if entries:
            dictionaries[(source, language)] = entries
    return Glossary(name=f"workbench: {wb.settings.name}"[:120], dictionaries=dictionaries)


# -- the run ------------------------------------------------------------------------------

#: Where providers keep their working state (the DeepL glossary id and hashes): never in git.
STATE_DIR = ".workbench"


def open_provider(wb: Workbench) -> Provider:
    """The provider that workbench.toml [mt] provider names."""
    return create_provider(wb.settings.mt_provider, state_dir=wb.project.root / STATE_DIR,
                           project_root=wb.project.root)


def machine_unavailable(wb: Workbench) -> str | None:
    """Why machine translation cannot be asked for (no DeepL key, say), or None when it can be as
    far as can be told offline: the provider is opened, never called."""
    try:
        provider = open_provider(wb)
    except MtConfigError as exc:
        return str(exc)
    provider.close()
    return None


def pretranslate(wb: Workbench, *, languages: Sequence[str] | None, modules: Sequence[str] | None = None,
                 kinds: Iterable[str] | None = None, dry_run: bool = False,
                 provider: Provider | None = None, progress: Progress | None = None,
                 batch_texts: int = BATCH_TEXTS) -> PretranslateReport:
    """Count (dry run) or send what is missing; see the module docstring for the guarantees."""
    todo = plan(wb, languages=languages, modules=modules, kinds=kinds)
    name = provider.id if provider is not None else wb.settings.mt_provider
    report = PretranslateReport(provider=name, dry_run=dry_run)
    for lang, cands in todo.items():
        report.plans[lang] = LanguagePlan(lang, len(cands), sum(c.characters for c in cands))
    if dry_run or report.units == 0:
        return report
    own = provider is None
    provider = provider or open_provider(wb)
    writer: _Writer | None = None
    if progress is not None:                # a retry is shown where the progress is
        provider.on_wait = lambda line: progress(writer.done if writer else 0, report.units, line)
    try:
        # every target language of the project, so that runs for different languages share one
        # glossary on the provider's side instead of replacing each other's dictionaries
        glossary = term_glossary(wb, wb.settings.target_languages)
        try:
            provider.prepare_glossary(glossary, source=wb.settings.source_language)
        except MtError as exc:
            exc.message = f"uploading the term base as a {provider.id} glossary: {exc.message}"
            raise _stopped(exc, report) from None
        writer = _Writer(wb=wb, report=report, provider=provider.id, progress=progress)
        try:
            for lang, cands in todo.items():
                entries = glossary.entries(wb.settings.source_language, lang) or None
                formality = wb.settings.for_language(lang).formality
                limits = wb.settings.for_language(lang).subtitles
                for batch in _batches(cands, batch_texts):
                    options = TranslateOptions(glossary=entries, formality=formality, context=batch[0].context,
                                               split_sentences=batch[0].kind != UnitKind.CUE.value)
                    texts = [t for c in batch for t in c.texts]
                    try:
                        results = provider.translate(texts, source=wb.settings.source_language, target=lang,
                                                     options=options)
                    except MtError as exc:
                        # what the batch's earlier requests translated was billed: keep it
                        _add_results(writer, language=lang, batch=batch, results=exc.partial, limits=limits)
                        writer.flush()
                        raise _stopped(exc, report) from None
                    _add_results(writer, language=lang, batch=batch, results=results, limits=limits)
                    writer.batch_done(lang, batch)
            writer.flush()
        except BaseException:
            # Ctrl-C or a failure: what was translated is written before we stop
            writer.flush()
            raise
    finally:
        provider.on_wait = None
        if own:
            provider.close()
    return report


def _add_results(writer: "_Writer", *, language: str, batch: Sequence[Candidate],
                 results: Sequence[Suggestion], limits: SubtitleLimits) -> None:
    """Hand the writer each unit of `batch` whose texts are all in `results` (in order)."""
    writer.report.billed_characters += sum(r.billed_characters for r in results)
    pos = 0
    for c in batch:
        if pos + len(c.texts) > len(results):
            break
        got = [r.text for r in results[pos:pos + len(c.texts)]]
        pos += len(c.texts)
        if c.kind == UnitKind.CUE.value:
            got = [break_lines(t, language, max_chars=limits.chars_per_line, max_lines=limits.lines).text
                   for t in got]
        forms = tuple(got) if len(got) == 1 else tuple([got[0]] + [got[1]] * (c.nplurals - 1))
        writer.add(language=language, candidate=c, forms=forms)


class _Writer:
    """Writes suggestions in transactions of up to WRITE_UNITS units (cues come one request each)."""

    def __init__(self, *, wb: Workbench, report: PretranslateReport, provider: str,
                 progress: Progress | None) -> None:
        self.wb, self.report, self.provider, self.progress = wb, report, provider, progress
        self.pending: list[tuple[str, Candidate, tuple[str, ...]]] = []
        self.done = 0
        self.total = report.units

    def add(self, *, language: str, candidate: Candidate, forms: tuple[str, ...]) -> None:
        self.pending.append((language, candidate, forms))

    def batch_done(self, language: str, batch: Sequence[Candidate]) -> None:
        self.done += len(batch)
        if self.progress:
            self.progress(self.done, self.total, f"{language} {batch[-1].resource}")
        if len(self.pending) >= WRITE_UNITS:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        by_language: dict[str, list[tuple[Candidate, tuple[str, ...]]]] = {}
        for language, c, forms in pending:
            by_language.setdefault(language, []).append((c, forms))
        origin = Origin.machine(self.provider)
        for language, items in by_language.items():
            written = suggest_translations(
                self.wb, language=language, comment=f"pre-translated by {self.provider}",
                suggestions=[EditSuggestion(resource=c.resource, key=c.key, forms=forms, origin=origin,
                                            base_version=c.version) for c, forms in items])
            report = self.report
            report.translated[language] = report.translated.get(language, 0) + len(written.applied) + written.unchanged
            report.kept.extend((language, r, k, why) for r, k, why in written.kept)
            plan_ = report.plans[language]
            plan_.units -= len(items)
            plan_.characters -= sum(c.characters for c, _ in items)


def machine_suggestion(wb: Workbench, *, resource: str, key: str, language: str,
                       provider: Provider | None = None) -> tuple[str, ...]:
    """What the MT provider proposes for one unit (all plural forms), without writing anything.

    The editor shows it next to the memory's matches; inserting it is
    `editing.suggest_translation(..., origin=Origin.machine(provider.id))`.
    """
    language = wb.settings.target(language)
    found = candidates(wb, language, unit=(resource, key))
    if not found:
        raise NotFoundError(f"{key} [{language}]: no such unit in {resource} (or it was removed)")
    c = found[0]
    own = provider is None
    provider = provider or open_provider(wb)
    try:
        glossary = term_glossary(wb, wb.settings.target_languages)
        settings = wb.settings.for_language(language)
        options = TranslateOptions(glossary=glossary.entries(wb.settings.source_language, language) or None,
                                   formality=settings.formality, context=c.context,
                                   split_sentences=c.kind != UnitKind.CUE.value)
        got = [r.text for r in provider.translate(list(c.texts), source=wb.settings.source_language,
                                                  target=language, options=options)]
    finally:
        if own:
            provider.close()
    if c.kind == UnitKind.CUE.value:
        got = [break_lines(t, language, max_chars=settings.subtitles.chars_per_line,
                           max_lines=settings.subtitles.lines).text for t in got]
    return tuple(got) if len(got) == 1 else tuple([got[0]] + [got[1]] * (c.nplurals - 1))


def _batches(cands: Sequence[Candidate], size: int) -> list[list[Candidate]]:
    """Cues one by one (each with its own context); other units up to `size` texts together."""
    out: list[list[Candidate]] = []
    current: list[Candidate] = []
    count = 0
    for c in cands:
        if c.kind == UnitKind.CUE.value:
            if current:
                out.append(current)
                current, count = [], 0
            out.append([c])
            continue
        if current and count + len(c.texts) > size:
            out.append(current)
            current, count = [], 0
        current.append(c)
        count += len(c.texts)
    if current:
        out.append(current)
    return out


def _stopped(exc: MtError, report: PretranslateReport) -> PretranslateStopped:
    remaining = report.remaining()
    units = sum(u for u, _ in remaining.values())
    chars = sum(c for _, c in remaining.values())
    per_language = ", ".join(f"{lang} {u}" for lang, (u, _) in remaining.items())
    done = sum(report.translated.values())
    return PretranslateStopped(
        f"{exc.message}; stopped: {done} draft(s) written and kept, {units} unit(s) remain "
        f"({chars} characters: {per_language}); run the same command again to send only what remains",
        report)

"""Terminology checks: expected, forbidden and do-not-translate terms, and consistency.

One registered check, id `terminology` (so that `workbench check --check terminology` selects the
family), runs four rules; each issue keeps its rule's severity and says which rule it is:

- missing term (warning): the source contains a concept and the translation contains none of its
  preferred or admitted terms for the language (nor a do-not-translate term of the source). A
  concept without a known term in the language expects nothing, and descriptive renderings
  (term type `phrase`) are accepted but never demanded.
- forbidden term (error): the translation contains a forbidden term (with its span).
- do-not-translate (error): a do-not-translate term of the source (WISE, NEET, SIAE...) is missing
  from the translation, or altered (other case or spelling; span given when found).
- consistency: within one language, the same source text translated differently (warning, on the
  units that differ from the majority, or on all of them when there is no majority); the same
  translation (of at least MIN_SHARED_WORDS words) used for different source texts (info).

What the rules need, in CheckContext.extras (without it the rules stay silent):
- extras["terms"]: a `TermMatcher` over the project's term base (workbench.services.terms);
- extras["consistency"]: a `ConsistencyIndex` of every non-empty translation of the checked
  language, built once per language by the check service (services.terms.terminology_extras,
  listed in services.checks.EXTRAS_PROVIDERS). The rule compares the checked text (which may be
  an unsaved draft) with the index's other units, never with the unit's own stored text.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple, Sequence

import regex

from workbench.domain.checks.base import Check, CheckContext, Issue, Severity
from workbench.domain.termmatch import TermMatch, TermMatcher, expected_terms
from workbench.domain.terms import Term, TermStatus
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, count_words

TERMS = "terms"
#: Shorter translations legitimately serve several sources ("See you soon!" for "À tout à
#: l'heure !" and "À tout de suite !"): the same-translation rule looks at longer ones only.
MIN_SHARED_WORDS = 4
CONSISTENCY = "consistency"
CHECK_ID = "terminology"


def _q(text: str) -> str:
    return f"“{text}”"


def _pairs(unit: Unit, translation: Translation) -> list[tuple[int, str, str]]:
    """(form, source text, target text) for each non-empty form."""
    sources = unit.sources
    out = []
    for i, target in enumerate(translation.forms):
        if target:
            out.append((i, sources[min(i, len(sources) - 1)], target))
    return out


class Rule:
    """One of the terminology rules: the issues it finds in one translation."""

    name: str = ""

    def issues(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        raise NotImplementedError


def _issue(severity: Severity, message: str, *, span: tuple[int, int] | None = None, form: int = 0) -> Issue:
    return Issue(CHECK_ID, severity, message, span=span, form=form)


class MissingTermRule(Rule):
    name = "missing term"

    def issues(self, unit, translation, ctx):
        matcher: TermMatcher | None = ctx.extras.get(TERMS)
        if matcher is None:
            return []
        tb = matcher.termbase
        out: list[Issue] = []
        seen: set[tuple[str, int]] = set()
        for form, source, target in _pairs(unit, translation):
            source_matches = matcher.find(source, ctx.source_language, longest_first=True)
            by_concept: dict[str, list[TermMatch]] = {}
            for m in source_matches:
                by_concept.setdefault(m.concept_id, []).append(m)
            sharing = _sharing(matcher.find(source, ctx.source_language))
            for concept_id, found in by_concept.items():
                if all(m.status is TermStatus.DO_NOT_TRANSLATE for m in found):
                    continue        # the do-not-translate rule looks after these
                # a homonym in the source (concepts with the same term there): the source cannot
                # tell which one it names, so a term of any of them will do
                concepts = [tb.get(cid) for cid in dict.fromkeys(
                    [concept_id, *(other for m in found for other in sharing.get(m.span, ()))])]
                demanded = [[t for t in c.accepted(ctx.language)
                             if not t.is_phrase and t.status is not TermStatus.DO_NOT_TRANSLATE] for c in concepts]
                if not all(demanded):
                    continue        # no term known in this language (for one of them): nothing to expect
                if any(_contains_any(matcher, target, ctx.language, c.id,
                                     expected_terms(c, ctx.language, ctx.source_language)) for c in concepts):
                    continue
                names = " or ".join(", ".join(_q(t.text) for t in _ordered(d)) for d in demanded)
                message = (f"missing term: the source has {_q(found[0].text)} ({' or '.join(c.id for c in concepts)}); "
                           f"expected {names}")
                if (message, form) not in seen:
                    seen.add((message, form))
                    out.append(_issue(Severity.WARNING, message, form=form))
        return out


def _sharing(matches: Sequence[TermMatch]) -> dict[tuple[int, int], list[str]]:
    """The concepts matched at each span of a text (more than one: a homonym there)."""
    out: dict[tuple[int, int], list[str]] = {}
    for m in matches:
        ids = out.setdefault(m.span, [])
        if m.concept_id not in ids:
            ids.append(m.concept_id)
    return out


def _ordered(terms: Sequence[Term]) -> list[Term]:
    rank = {TermStatus.PREFERRED: 0, TermStatus.ADMITTED: 1, TermStatus.DO_NOT_TRANSLATE: 2}
    return sorted(terms, key=lambda t: rank.get(t.status, 3))


def _contains_any(matcher: TermMatcher, text: str, language: str, concept_id: str,
                  allowed: Sequence[Term]) -> bool:
    own = matcher.find(text, language, concepts=(concept_id,))
    if any(m.term in allowed for m in own):
        return True
    foreign = [t for t in allowed if t not in {m.term for m in own}]
    return any(matcher.find_term(text, language, t) for t in foreign
               if t.status is TermStatus.DO_NOT_TRANSLATE)


class ForbiddenTermRule(Rule):
    name = "forbidden term"

    def issues(self, unit, translation, ctx):
        matcher: TermMatcher | None = ctx.extras.get(TERMS)
        if matcher is None:
            return []
        out = []
        for form, _source, target in _pairs(unit, translation):
            for m in matcher.find(target, ctx.language, longest_first=True):
                if m.status is not TermStatus.FORBIDDEN:
                    continue
                concept = matcher.termbase.get(m.concept_id)
                better = concept.preferred(ctx.language) or concept.accepted(ctx.language)
                advice = f"; use {', '.join(_q(t.text) for t in better)}" if better else ""
                note = f" ({m.term.note})" if m.term.note else ""
                out.append(_issue(Severity.ERROR, f"forbidden term {_q(m.text)} for {concept.id}{note}{advice}",
                                  span=m.span, form=form))
        return out


_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


class DoNotTranslateRule(Rule):
    name = "do-not-translate"

    def issues(self, unit, translation, ctx):
        matcher: TermMatcher | None = ctx.extras.get(TERMS)
        if matcher is None:
            return []
        out = []
        for form, source, target in _pairs(unit, translation):
            wanted: dict[str, Term] = {}
            for m in matcher.find(source, ctx.source_language, longest_first=True):
                if m.status is TermStatus.DO_NOT_TRANSLATE:
                    wanted.setdefault(m.term.text, m.term)
            for text, term in wanted.items():
                if matcher.find_term(target, ctx.language, term):
                    continue
                altered = _loose_occurrence(target, text)
                if altered is not None:
                    start, end = altered
                    out.append(_issue(Severity.ERROR,
                                      f"do-not-translate term {_q(text)} is altered to {_q(target[start:end])}",
                                      span=altered, form=form))
                else:
                    out.append(_issue(Severity.ERROR,
                                      f"do-not-translate term {_q(text)} is missing; keep it as it is",
                                      form=form))
        return out


def _loose_occurrence(text: str, term: str) -> tuple[int, int] | None:
    """Where `term` appears with another case or with dots or spaces between its letters."""
    wanted = _squash(term)
    words = list(_WORD.finditer(text))
    for i in range(len(words)):
        joined = ""
        for j in range(i, min(i + len(term) + 1, len(words))):
            if j > i and not regex.fullmatch(r"[\s.·\-]*", text[words[j - 1].end():words[j].start()]):
                break
            joined += _squash(words[j].group())
            if joined == wanted:
                return (words[i].start(), words[j].end())
            if not wanted.startswith(joined):
                break
    return None


def _squash(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())


# -- consistency -------------------------------------------------------------------------------

_EDGE = regex.compile(r"^[\s\p{P}]+|[\s\p{P}]+$")


def normalize_form(text: str) -> str:
    """One form compared for consistency: NFC, runs of white space (line breaks too) as one space,
    none at either end.

    Fast path: every white-space character but the plain space is unprintable (str.isprintable),
    so a printable text without a double space and without a space at either end is already
    spaced as it should be (and returned as it is, the same object, when it is NFC too)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            return text
        return unicodedata.normalize("NFC", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def normalize_text(forms: Sequence[str]) -> tuple[str, ...]:
    """Forms compared for consistency: NFC, runs of white space (line breaks too) as one space."""
    if len(forms) == 1:
        return (normalize_form(forms[0]),)
    return tuple(map(normalize_form, forms))


def loose_source(forms: Sequence[str]) -> tuple[str, ...]:
    """Sources that differ only in case or surrounding punctuation count as the same source."""
    return tuple(_EDGE.sub("", f).casefold() for f in normalize_text(forms))


class IndexedUnit(NamedTuple):
    """An entry of a ConsistencyIndex, as ConsistencyIndex.others gives it."""

    resource: str
    key: str
    source: tuple[str, ...]        # normalize_text of the source forms
    target: tuple[str, ...]        # normalize_text of the translation forms


#: An entry as the index holds it: (resource, key, source, target) as in IndexedUnit, a plain tuple.
Entry = tuple[str, str, tuple[str, ...], tuple[str, ...]]


@dataclass
class ConsistencyIndex:
    """Every non-empty translation of one language, by source text and by translation text.

    Made of plain tuples and strings only (entries, groups of entries), which Python's cyclic
    garbage collector stops tracking (it never untracks a named tuple, nor a tuple holding one): an
    index of 90,000 translations held by the editor would otherwise add 350,000 objects to every
    full collection (about 200 ms, which stops the UI's thread too)."""

    language: str
    by_source: dict[tuple[str, ...], tuple[Entry, ...]] = field(default_factory=dict)
    by_target: dict[tuple[str, ...], tuple[Entry, ...]] = field(default_factory=dict)
    #: (resource, key) -> (source forms, translation forms, entry) as indexed: the rule reuses the
    #: entry's normalised texts when it checks the same texts (a whole language is checked)
    by_unit: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...], Entry]] = field(
        default_factory=dict)

    @classmethod
    def build(cls, language: str,
              entries: Iterable[tuple[str, str, Sequence[str], Sequence[str]]]) -> "ConsistencyIndex":
        """From (resource, key, source forms, translation forms) of one language."""
        index = cls(language)
        by_source, by_target, by_unit = index.by_source, index.by_target, index.by_unit
        for resource, key, sources, forms in entries:
            if not any(forms):
                continue
            sources, forms = tuple(sources), tuple(forms)
            source, target = normalize_text(sources), normalize_text(forms)
            # (texts that need no normalising keep their own tuple: one object fewer per unit)
            source = sources if source == sources else source
            target = forms if target == forms else target
            item = (resource, key, source, target)
            by_unit[(resource, key)] = (sources, forms, item)
            found = by_source.get(source)
            if found is None:
                by_source[source] = (item,)             # (most groups have one entry)
            elif type(found) is tuple:
                by_source[source] = [*found, item]
            else:
                found.append(item)
            found = by_target.get(target)
            if found is None:
                by_target[target] = (item,)
            elif type(found) is tuple:
                by_target[target] = [*found, item]
            else:
                found.append(item)
        for table in (by_source, by_target):
            for value, found in table.items():
                if type(found) is list:
                    table[value] = tuple(found)
        return index

    def others(self, table: dict, value: tuple[str, ...], unit: Unit) -> list[IndexedUnit]:
        found = table.get(value)
        if not found:
            return []
        if len(found) == 1:     # the common case: only the unit itself, or one other unit
            e = found[0]
            return [] if e[1] == unit.key and e[0] == unit.resource else [IndexedUnit._make(e)]
        own = (unit.resource, unit.key)
        return [IndexedUnit._make(e) for e in found if e[:2] != own]


def _where(items: Sequence[IndexedUnit], limit: int = 3) -> str:
    keys = [e.key if e.key.startswith(e.resource + "/") else f"{e.resource}:{e.key}" for e in items]
    shown = ", ".join(keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


class ConsistencyRule(Rule):
    name = "consistency"

    def issues(self, unit, translation, ctx):
        index: ConsistencyIndex | None = ctx.extras.get(CONSISTENCY)
        if index is None or translation.is_empty:
            return []
        indexed = index.by_unit.get((unit.resource, unit.key))
        if indexed is not None and indexed[1] == translation.forms and indexed[0] == unit.sources:
            _, _, source, own = indexed[2]      # the texts the index has for this unit: its entry is the unit
            if len(index.by_source[source]) == 1 and len(index.by_target[own]) == 1:
                return []          # alone with its source and alone with its translation
        else:
            source, own = normalize_text(unit.sources), normalize_text(translation.forms)
        out = []
        same_source = index.others(index.by_source, source, unit)
        if same_source:
            variants = Counter(e.target for e in same_source)
            variants[own] += 1
            if len(variants) > 1:
                (top, top_n), *rest = variants.most_common()
                majority = top if not rest or rest[0][1] < top_n else None
                if own != majority:
                    differing = [e for e in same_source if e.target != own]
                    examples = []
                    for variant in dict.fromkeys(e.target for e in differing):
                        where = [e for e in differing if e.target == variant]
                        examples.append(f"{_q(' | '.join(variant))} in {_where(where)}")
                    out.append(_issue(Severity.WARNING,
                                      "inconsistent translation: the same source is translated as "
                                      + "; ".join(examples)))
        same_target = index.others(index.by_target, own, unit)
        if same_target:   # (counting words only when another unit has the same translation)
            if count_words(" ".join(own)) >= MIN_SHARED_WORDS:
                same_target = [e for e in same_target if loose_source(e.source) != loose_source(source)]
            else:
                same_target = []
        if same_target:
            sources = list(dict.fromkeys(e.source for e in same_target))
            shown = "; ".join(f"{_q(' | '.join(s))} ({_where([e for e in same_target if e.source == s])})"
                              for s in sources[:3])
            out.append(_issue(Severity.INFO,
                              f"same translation used for a different source: {shown}"))
        return out


_CONSISTENCY_RULE = ConsistencyRule()
RULES: tuple[Rule, ...] = (MissingTermRule(), ForbiddenTermRule(), DoNotTranslateRule(), _CONSISTENCY_RULE)


class TerminologyCheck(Check):
    id = CHECK_ID
    name = "Terminology"
    description = ("Term base terms used as the term base says (expected, forbidden, do-not-translate) "
                   "and the same source translated the same way within a language.")
    severity = Severity.WARNING

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        extras = ctx.extras
        if TERMS not in extras:     # no term base: only the consistency rule has anything to look at
            return _CONSISTENCY_RULE.issues(unit, translation, ctx) if CONSISTENCY in extras else ()
        out: list[Issue] = []
        for rule in RULES:
            out.extend(rule.issues(unit, translation, ctx))
        return out

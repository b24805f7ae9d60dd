"""The term base: concepts with definitions, sources and per-language terms with a status."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Iterable, Iterator, Mapping

from workbench.domain.errors import NotFoundError, WorkbenchError


class TermError(WorkbenchError):
    """A concept or term that breaks a rule of the term base (bad id, duplicate, empty term)."""


class TermStatus(StrEnum):
    """How a term may be used in its language."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    FORBIDDEN = "forbidden"
    DO_NOT_TRANSLATE = "do-not-translate"   # kept as is in every language (acronyms, names)

    @property
    def accepted(self) -> bool:
        """True for the forms a translation may use."""
        return self is not TermStatus.FORBIDDEN


class TermType(StrEnum):
    """The TBX `termType` values we use; a `phrase` is a descriptive rendering, not a fixed term."""

    FULL_FORM = "fullForm"
    ACRONYM = "acronym"
    ABBREVIATION = "abbreviation"
    SHORT_FORM = "shortForm"
    VARIANT = "variant"
    PHRASE = "phrase"


#: The concept tag of structures that exist only in the French system (EI, ETTI, AI, ACI, IAE, SIAE).
FRENCH_ONLY = "french-only"

#: What a concept id is (TBX files name other concepts by it too).
CONCEPT_ID = r"[A-Za-z_][A-Za-z0-9_.-]{0,79}"
_ID = re.compile(f"^{CONCEPT_ID}$")


def looks_like_acronym(text: str) -> bool:
    """One word of two or more capital letters (WISE, SIAE, ΚΑΛΟ): matched case-sensitively."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and text.isalnum() and all(c.isupper() for c in letters)


def slugify(text: str) -> str:
    """A concept id from a label: `Entreprise d'insertion` -> `entreprise-d-insertion`."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")
    if not slug or not slug[0].isalpha():
        slug = "c-" + slug if slug else "concept"
    return slug


@dataclass(frozen=True, slots=True)
class Term:
    """One designation of a concept in one language."""

    text: str
    status: TermStatus = TermStatus.PREFERRED
    type: TermType = TermType.FULL_FORM
    note: str = ""
    #: The concepts that have this term too in the same language, recorded when a coordinator
    #: decided it names a different concept there (a deliberate homonym), in the order decided.
    homonym_of: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "homonym_of", tuple(dict.fromkeys(self.homonym_of)))

    def with_homonym_of(self, *concept_ids: str) -> "Term":
        """This term, recorded as a deliberate homonym of these concepts too."""
        return replace(self, homonym_of=(*self.homonym_of, *concept_ids))

    @property
    def is_acronym(self) -> bool:
        return self.type is TermType.ACRONYM or looks_like_acronym(self.text)

    @property
    def is_phrase(self) -> bool:
        return self.type is TermType.PHRASE


@dataclass(frozen=True)
class Concept:
    """One idea of the domain, named by terms in several languages."""

    id: str
    terms: Mapping[str, tuple[Term, ...]] = field(default_factory=dict)     # language -> terms
    definitions: Mapping[str, str] = field(default_factory=dict)           # language -> definition
    definition_sources: Mapping[str, str] = field(default_factory=dict)    # language -> where its definition comes from
    source: str = ""                 # where the terms come from (kept verbatim from the sources)
    note: str = ""
    subject: str = ""
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _ID.match(self.id or ""):
            raise TermError(f"concept id {self.id!r}: use letters, digits, '-', '_' or '.', "
                            f"starting with a letter (at most 80 characters)")
        cleaned: dict[str, tuple[Term, ...]] = {}
        for lang, terms in self.terms.items():
            terms = tuple(terms)
            seen: set[str] = set()
            for t in terms:
                if not t.text.strip():
                    raise TermError(f"concept {self.id} [{lang}]: empty term")
                if t.text != t.text.strip():
                    raise TermError(f"concept {self.id} [{lang}]: term {t.text!r} has leading or trailing spaces")
                if t.text in seen:
                    raise TermError(f"concept {self.id} [{lang}]: term {t.text!r} is listed twice")
                for other in t.homonym_of:
                    if other == self.id or not _ID.match(other):
                        raise TermError(f"concept {self.id} [{lang}]: term {t.text!r} is marked as a homonym "
                                        f"of {other!r}, which is not another concept id")
                seen.add(t.text)
            if terms:
                cleaned[lang] = terms
        object.__setattr__(self, "terms", cleaned)
        object.__setattr__(self, "definitions", {k: v for k, v in self.definitions.items() if v})
        sources = {k: v for k, v in self.definition_sources.items() if v}
        for lang in sources:
            if lang not in self.definitions:
                raise TermError(f"concept {self.id} [{lang}]: a definition source without a definition")
        object.__setattr__(self, "definition_sources", sources)
        object.__setattr__(self, "tags", tuple(self.tags))

    # -- reading ------------------------------------------------------------------------

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.terms) | set(self.definitions)))

    def terms_in(self, language: str) -> tuple[Term, ...]:
        """The terms of `language`; a regional tag (nl-BE) falls back to its language (nl)."""
        terms = self.terms.get(language)
        if terms is None and "-" in language:
            terms = self.terms.get(language.split("-")[0])
        return terms or ()

    def with_status(self, language: str, *statuses: TermStatus) -> tuple[Term, ...]:
        return tuple(t for t in self.terms_in(language) if t.status in statuses)

    def preferred(self, language: str) -> tuple[Term, ...]:
        return self.with_status(language, TermStatus.PREFERRED)

    def accepted(self, language: str) -> tuple[Term, ...]:
        """Preferred, admitted and do-not-translate terms: the forms a translation may use."""
        return tuple(t for t in self.terms_in(language) if t.status.accepted)

    def forbidden(self, language: str) -> tuple[Term, ...]:
        return self.with_status(language, TermStatus.FORBIDDEN)

    def do_not_translate(self, language: str) -> tuple[Term, ...]:
        return self.with_status(language, TermStatus.DO_NOT_TRANSLATE)

    def label(self, language: str) -> str:
        """The best name of the concept in `language`: preferred, then any accepted term, else the id."""
        for group in (self.preferred(language), self.accepted(language)):
            if group:
                return group[0].text
        return self.id

    def has_tag(self, tag: str) -> bool:
        return tag in self.tags

    def term_named(self, language: str, text: str) -> Term | None:
        """The term of `language` (its own terms, no fallback) that is `text` with case ignored."""
        key = text.casefold()
        return next((t for t in self.terms.get(language, ()) if t.text.casefold() == key), None)

    # -- changing (values: each returns a new concept) -----------------------------------

    def with_terms(self, language: str, terms: Iterable[Term]) -> "Concept":
        new = dict(self.terms)
        new[language] = tuple(terms)
        return replace(self, terms=new)

    def with_term(self, language: str, term: Term) -> "Concept":
        """Adds `term`, or replaces the term with the same text in that language."""
        current = [t for t in self.terms_in(language) if t.text != term.text]
        return self.with_terms(language, (*current, term))

    def without_term(self, language: str, text: str) -> "Concept":
        current = self.terms_in(language)
        if not any(t.text == text for t in current):
            raise NotFoundError(f"concept {self.id} has no {language} term {text!r}")
        return self.with_terms(language, (t for t in current if t.text != text))

    def with_homonym_marks(self, marks: Iterable[tuple[str, str, str]]) -> "Concept":
        """Records (language, term, other concept id) as deliberate homonyms on this concept's terms."""
        concept = self
        for language, text, other in marks:
            term = concept.term_named(language, text)
            if term is not None and other not in term.homonym_of:
                concept = concept.with_terms(language, (term.with_homonym_of(other) if t is term else t
                                                        for t in concept.terms[language]))
        return concept

    def keeping_homonym_marks(self, before: "Concept") -> "Concept":
        """This concept with the homonym marks `before` had on the terms it still has (same
        language and text): a change that rewrites a term does not forget a decision."""
        return self.with_homonym_marks((lang, t.text, other) for lang, terms in before.terms.items()
                                       for t in terms for other in t.homonym_of
                                       if any(o.text == t.text for o in self.terms.get(lang, ())))

    def with_definition(self, language: str, text: str, *, source: str | None = None) -> "Concept":
        """Sets (or with an empty text removes) the definition; its source is kept unless given
        (an empty `source` removes it), and goes with a removed definition."""
        new = dict(self.definitions)
        new[language] = text
        sources = dict(self.definition_sources)
        if source is not None:
            sources[language] = source
        if not text:
            sources.pop(language, None)
        return replace(self, definitions=new, definition_sources=sources)


@dataclass(frozen=True)
class TermBase:
    """An ordered collection of concepts with unique ids."""

    concepts: tuple[Concept, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "concepts", tuple(self.concepts))
        seen: set[str] = set()
        for c in self.concepts:
            if c.id in seen:
                raise TermError(f"concept id {c.id!r} is used twice")
            seen.add(c.id)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts)

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, concept_id: object) -> bool:
        return any(c.id == concept_id for c in self.concepts)

    def get(self, concept_id: str) -> Concept:
        for c in self.concepts:
            if c.id == concept_id:
                return c
        raise NotFoundError(f"no concept {concept_id!r} in the term base "
                            f"(try 'workbench terms search WORD')")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({lang for c in self.concepts for lang in c.languages}))

    def with_concept(self, concept: Concept) -> "TermBase":
        """Replaces the concept with the same id, or appends it."""
        if concept.id in self:
            return TermBase(tuple(concept if c.id == concept.id else c for c in self.concepts))
        return TermBase((*self.concepts, concept))

    def merged(self, other: "TermBase") -> "TermBase":
        """Both term bases; a concept id used in both is an error."""
        return TermBase((*self.concepts, *other.concepts))

    def new_id(self, label: str) -> str:
        """A free concept id made from a label."""
        base = slugify(label)
        candidate, n = base, 2
        while candidate in self:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def search(self, query: str, *, language: str | None = None) -> list[Concept]:
        """Concepts whose id, terms, definitions or notes contain `query` (case, accents, and
        hyphens against spaces ignored: "tiers lieu" finds "tiers-lieu" and the other way round)."""
        needle = search_key(query)
        if not needle:
            return list(self.concepts)
        hits = []
        for c in self.concepts:
            langs = [language] if language else list(c.terms)
            haystack = [c.id, c.note, c.source if not language else ""]
            for lang in langs:
                haystack.extend(t.text for t in c.terms_in(lang))
                haystack.append(c.definitions.get(lang, ""))
            if any(needle in search_key(h) for h in haystack if h):
                hits.append(c)
        return hits


def deliberate_homonym(a: Concept, b: Concept, language: str, text: str) -> bool:
    """Whether the term `text` of `language` that `a` and `b` share is recorded as a deliberate
    homonym on either side."""
    mine, theirs = a.term_named(language, text), b.term_named(language, text)
    return bool((mine and b.id in mine.homonym_of) or (theirs and a.id in theirs.homonym_of))


def fold(text: str) -> str:
    """Case- and accent-insensitive form for searching (not for matching in translations)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014]+")


def search_key(text: str) -> str:
    """`fold` with every run of spaces and hyphens made one space, and ’ made ': what a search compares."""
    return _SEPARATORS.sub(" ", fold(text).replace("\u2019", "'")).strip()


@dataclass(frozen=True, slots=True)
class LanguageCoverage:
    """How well one language is covered by the term base."""

    language: str
    concepts: int            # concepts in the term base
    preferred: int           # of which have a preferred term in this language
    accepted: int            # of which have any accepted term (preferred, admitted, do-not-translate)

    @property
    def share(self) -> float:
        return self.preferred / self.concepts if self.concepts else 0.0


def coverage(termbase: TermBase, languages: Iterable[str]) -> list[LanguageCoverage]:
    out = []
    for lang in languages:
        out.append(LanguageCoverage(
            language=lang, concepts=len(termbase),
            preferred=sum(1 for c in termbase if c.preferred(lang)),
            accepted=sum(1 for c in termbase if c.accepted(lang))))
    return out

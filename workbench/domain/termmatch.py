"""Finding term base terms in text, through inflection and case, with the matched spans.

How a term is found
-------------------
Text and term are cut into words (letters, marks and digits; everything else separates). A term
of n words matches n consecutive words of the text when each pair of words matches and the text
between them is only spaces, apostrophes, hyphens or a slash ("d'insertion", "non-violente",
"and/or"); a comma or a full stop between them breaks the match.

Two words match when
- the term word looks like an acronym (WISE, SIAE, GFK): the text word is exactly the same,
  case included, optionally followed by a lowercase plural "s" (WISEs, NEETs);
- otherwise, case-insensitively (Unicode case folding; for Greek also without accents, because
  Greek capitals drop them): the folded words are equal, or their stems are equal, or one stem
  extends the other by at most one letter (stems of 4+ letters) or two letters (stems of 5+
  letters). The small tolerance absorbs what stemmers leave of a case ending
  (Greek "οικονομ"/"οικονομι", Polish "ekonom"/"ekonomi", Romanian "întreprind"/"întreprinder").
  Irregular plurals are mapped first (English "people" -> "person"), and a few derivational
  endings that stemmers remove are refused (French "économique"/"employabilité" is not
  "économie"/"emploi", "conseil"/"coopérer" is not "conseiller"/"coopérative"; German
  "Unternehmer", entrepreneur, is not "Unternehmen", enterprise). French stems that still differ
  are compared once more from the masculine singular (`BASE_FORMS`): Snowball takes the noun
  "conseiller" for a verb (stem "conseil") but not "conseillers" or "conseillère".
- A hyphenated compound in the text may stand for one term word and the other way round
  ("non-violent" / "Nonviolent", "micro-credential" / "Microcredential").
- German closed compounds: a text word that starts with a term word of 6+ letters and goes on
  for 4+ letters (a linking s/es/n/en/e and a further word) names the concept too
  ("Sozialunternehmensnetzwerk" has "Sozialunternehmen"); an adjective made with -lich, -isch,
  -artig, ... does not, nor does an agent noun ("Sozialunternehmernetzwerk").

Stemmers
--------
- Snowball (the `snowballstemmer` package) for French, English, German, Dutch (Kraaij-Pohlmann),
  Italian, Spanish, Polish, Greek and Romanian: the nine of our thirteen languages it covers.
- Croatian has no Snowball stemmer of its own; it uses Snowball's Serbian stemmer, which stems
  Latin-script Serbo-Croatian (the noun and adjective endings are the same), followed by a
  Croatian rule that removes the -ov-/-ev- plural extension of short nouns (put/putovi).
- Bulgarian, Latvian and Slovenian have none: they use the documented fallback, a per-language
  list of inflectional endings (articles and case endings). The longest ending that leaves a
  stem of at least `min_stem` letters is removed, once.
- Any other language: case-insensitive comparison of whole words only.

Overlaps: `longest_first` keeps, among overlapping matches, the longest (then the earliest), so
"économie sociale et solidaire" is one match, not also "économie sociale". A homonym (concepts
sharing a term) matches once per concept at the same span: `longest_first_with_homonyms` keeps them all.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import regex

from workbench.domain.terms import Concept, Term, TermBase, TermStatus, looks_like_acronym

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_FAST_WORD = re.compile(r"[^\W_]+")
_GAP = regex.compile(r"[\s'’ʼ‘\-‐‑/\u00ad]*")
_JOIN_GAP = regex.compile(r"[\-‐‑\u00ad]")
_JOINERS = "-‐‑\u00ad"

#: Our languages with a Snowball stemmer, and the algorithm used for each.
SNOWBALL: dict[str, str] = {
    "fr": "french", "en": "english", "de": "german", "nl": "dutch", "it": "italian", "es": "spanish",
    "pl": "polish", "el": "greek", "ro": "romanian",
    "hr": "serbian",    # fallback: Serbian Snowball for Croatian (same declension, Latin script)
}


@dataclass(frozen=True, slots=True)
class SuffixRule:
    """The fallback stemmer: remove the longest listed ending that leaves `min_stem` letters."""

    endings: tuple[str, ...]
    min_stem: int = 3

    def __post_init__(self) -> None:
        object.__setattr__(self, "endings", tuple(sorted(set(self.endings), key=len, reverse=True)))

    def __call__(self, word: str) -> str:
        for ending in self.endings:
            if word.endswith(ending) and len(word) - len(ending) >= self.min_stem:
                return word[: len(word) - len(ending)]
        return word


#: Fallback rules for our languages that Snowball does not cover.
SUFFIX_RULES: dict[str, SuffixRule] = {
    # Bulgarian: definite articles (-ът/-ят/-та/-то/-те, -ия/-ият) and plural/adjective endings.
    "bg": SuffixRule((
        "ията", "ието", "ните", "ната", "ното", "ният", "ския", "ските", "ската", "ското",
        "ият", "ите", "ата", "ото", "ята", "ета", "ове", "еве", "ия", "ие", "ни", "на", "но",
        "ен", "ът", "ят", "та", "то", "те", "и", "а", "о", "е", "я", "у",
    ), min_stem=3),
    # Latvian: noun declensions and definite/indefinite adjective endings.
    "lv": SuffixRule((
        "ajiem", "ajām", "ajos", "ajās", "ajai", "ajam", "ajā", "ais", "ajo", "ās", "ām", "ie",
        "iem", "ei", "ai", "am", "os", "as", "es", "is", "us", "ēm", "īm", "a", "ā", "e", "ē",
        "i", "ī", "o", "u", "s", "š",
    ), min_stem=3),
    # Slovenian: noun and adjective case endings.
    "sl": SuffixRule((
        "ega", "emu", "ima", "imi", "ami", "ama", "ih", "im", "em", "om", "ov", "ev", "ij",
        "ji", "ja", "je", "jo", "ju", "ah", "a", "e", "i", "o", "u",
    ), min_stem=3),
}


#: Irregular forms folded to the form a term uses, before stemming.
IRREGULAR: dict[str, dict[str, str]] = {
    "en": {"people": "person", "persons": "person", "women": "woman", "men": "man",
           "children": "child"},
}

#: Derivational endings that change the meaning but that a stemmer removes like an inflection
#: (French "économique"/"socialiste"/"employabilité" vs "économie"/"sociale"/"emploi"). Each
#: entry is a family of endings (singular and plural); a stem match counts only when both words
#: end in the same family, or neither does.
DERIVATIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fr": (("iste", "istes"), ("isme", "ismes"), ("ique", "iques"), ("ité", "ités"),
           ("ment", "ments"), ("ation", "ations"), ("ateur", "ateurs", "atrice", "atrices"),
           ("er", "ers", "ère", "ères")),
    "en": (("ist", "ists"), ("ism", "isms"), ("ity", "ities"), ("ment", "ments"),
           ("ation", "ations"), ("ing", "ings")),
    "es": (("ista", "istas"), ("ismo", "ismos"), ("idad", "idades"), ("ción", "ciones"),
           ("mente",), ("ario", "aria", "arios", "arias")),
    "it": (("ista", "iste", "isti"), ("ismo", "ismi"), ("ità",), ("zione", "zioni"), ("mente",)),
}


def _family(word: str, families: tuple[tuple[str, ...], ...]) -> int:
    best, best_len = -1, 0
    for n, family in enumerate(families):
        for ending in family:
            if len(ending) > best_len and word.endswith(ending) and len(word) > len(ending) + 2:
                best, best_len = n, len(ending)
    return best


def _derivation_differs(language: str, term_word: str, text_word: str) -> bool:
    """True when one word is a derivation of the other rather than an inflection."""
    if language == "de":
        # An agent noun is not its activity: Unternehmen (enterprise) / Unternehmer(in) (entrepreneur).
        if term_word.endswith("en"):
            base = term_word[:-2]
            rest = text_word[len(base):] if text_word.startswith(base) else ""
            return rest in ("er", "ers", "ern", "erin", "erinnen")
        return False
    families = DERIVATIONS.get(language)
    if not families:
        return False
    return _family(term_word, families) != _family(text_word, families)


def _french_base(word: str) -> str:
    """The masculine singular that a French plural or feminine points to (conseillères -> conseiller,
    chômeuses -> chômeur, formatrice -> formateur); other words unchanged."""
    if len(word) > 4 and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    for feminine, masculine in (("ère", "er"), ("euse", "eur"), ("rice", "eur")):
        if word.endswith(feminine) and len(word) > len(feminine) + 2:
            return word[: -len(feminine)] + masculine
    return word


#: Languages whose closed compounds may start with a term word: the linking elements that may
#: follow it, and the endings that, after one of them, make the whole an adjective, not a noun.
COMPOUNDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "de": (("es", "en", "s", "n", "e", ""), ("lich", "isch", "haft", "los", "bar", "artig", "mässig")),
}


def _compound_of(language: str, term_word: str, text_word: str) -> bool:
    """True when `text_word` is a closed compound whose first part is `term_word` (folded)."""
    rule = COMPOUNDS.get(language)
    if rule is None or len(term_word) < 6 or not text_word.startswith(term_word):
        return False
    links, adjectives = rule
    rest = text_word[len(term_word):]
    return len(rest) >= 4 and not any(rest.startswith(link) and rest[len(link):].startswith(adjectives)
                                      for link in links)


#: Per language, the base form that two words whose stems differ are compared from once more.
BASE_FORMS: dict[str, Callable[[str], str]] = {"fr": _french_base}


def _croatian_post(stem: str) -> str:
    """put-ov-i: the plural extension of short nouns, left by the Serbian stemmer."""
    for ext in ("ov", "ev"):
        if stem.endswith(ext) and 3 <= len(stem) - 2 <= 4:
            return stem[:-2]
    return stem


_POST: dict[str, Callable[[str], str]] = {"hr": _croatian_post}


def stemming_method(language: str) -> str:
    """How words of `language` are reduced, for documentation and `workbench terms` output."""
    lang = language.split("-")[0].lower()
    if lang == "hr":
        return "snowball:serbian (fallback for Croatian)"
    if lang in SNOWBALL:
        return f"snowball:{SNOWBALL[lang]}"
    if lang in SUFFIX_RULES:
        return "suffix rule (fallback)"
    return "exact words (no stemmer)"


def fold(word: str, language: str) -> str:
    """The case-insensitive form of a word; Greek also without accents."""
    folded = unicodedata.normalize("NFC", word).casefold()
    if language == "el":
        folded = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
        folded = unicodedata.normalize("NFC", folded)
    return folded


class Stemmer:
    """A cached stem function for one language (thread-safe)."""

    def __init__(self, language: str) -> None:
        self.language = language.split("-")[0].lower()
        self._lock = threading.Lock()
        self._cache: dict[str, str] = {}
        algorithm = SNOWBALL.get(self.language)
        if algorithm:
            import snowballstemmer      # (here: most commands never stem a word)
        if algorithm and algorithm in snowballstemmer.algorithms():
            snowball = snowballstemmer.stemmer(algorithm)
            base: Callable[[str], str] = snowball.stemWord
        elif self.language in SUFFIX_RULES:
            base = SUFFIX_RULES[self.language]
        else:
            base = lambda word: word  # noqa: E731
        self._irregular = IRREGULAR.get(self.language, {})
        post = _POST.get(self.language)
        self._stem = (lambda w: post(base(w))) if post else base

    def normalize(self, folded: str) -> str:
        """The regular form of an irregular word (English "people" -> "person")."""
        return self._irregular.get(folded, folded)

    def __call__(self, folded: str) -> str:
        stem = self._cache.get(folded)
        if stem is None:
            word = self._irregular.get(folded, folded)
            with self._lock:
                stem = self._stem(word)
            if len(self._cache) < 200_000:
                self._cache[folded] = stem
        return stem


#: A word of a text: (start, end, as written, folded). Plain tuples: texts have many words.
Token = tuple[int, int, str, str]
_START, _END, _RAW, _FOLD = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class TermMatch:
    """A term found in a text: which concept and term, and where (character offsets)."""

    concept_id: str
    term: Term
    language: str
    start: int
    end: int
    text: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def status(self) -> TermStatus:
        return self.term.status


@dataclass(frozen=True, slots=True)
class _Word:
    text: str       # as written in the term
    folded: str
    exact: bool     # an acronym: compared case-sensitively


@dataclass(frozen=True, slots=True)
class _Compiled:
    concept_id: str
    term: Term
    words: tuple[_Word, ...]


#: How many analysed texts a matcher remembers (the same source is checked in every language).
RESULT_CACHE_SIZE = 50_000


def _stem_key(stem: str) -> str:
    """The index key of a word: two words can only match when their stems start alike."""
    return stem[:4]


class TermMatcher:
    """Finds the terms of a term base in texts of any of its languages. Build once, reuse."""

    def __init__(self, termbase: TermBase) -> None:
        self.termbase = termbase
        self._index: dict[str, dict[str, list[_Compiled]]] = {}
        self._stemmers: dict[str, Stemmer] = {}
        #: (language, text) -> (all matches, longest-first matches once asked for)
        self._results: dict[tuple[str, str], tuple[tuple[TermMatch, ...], tuple[TermMatch, ...] | None]] = {}
        self._folds: dict[str, dict[str, str]] = {}
        self._heads: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    # -- public ---------------------------------------------------------------------------

    def find(self, text: str, language: str, *, concepts: Iterable[str] | None = None,
             longest_first: bool = False) -> list[TermMatch]:
        """All matches of the term base's `language` terms in `text`, in text order; with
        `longest_first`, only the longest of overlapping matches. Results are cached per text."""
        if not text:
            return []
        cache_key = (language, text)
        cached = self._results.get(cache_key)
        if cached is None:
            everything = self._find_all(text, language)
            cached = (everything, None)
            if len(self._results) >= RESULT_CACHE_SIZE:
                self._results.clear()
            self._results[cache_key] = cached
        found = cached[0]
        if longest_first and found:
            if cached[1] is None:
                cached = (found, tuple(longest_first_only(found)))
                self._results[cache_key] = cached
            found = cached[1]
        if concepts is not None:
            wanted = set(concepts)
            return [m for m in found if m.concept_id in wanted]
        return list(found)

    def _find_all(self, text: str, language: str) -> tuple[TermMatch, ...]:
        index = self._language_index(language)
        if not index:
            return ()
        tokens = self._tokenize(text, language)
        stem = self.stemmer(language)
        found: list[TermMatch] = []
        last = len(tokens) - 1
        heads = self._heads[language]
        for i, tok in enumerate(tokens):
            if tok[_FOLD][:3] not in heads and tok[_RAW] not in heads:
                continue        # no term starts with a word like this one
            keys = [_stem_key(stem(tok[_FOLD])), "=" + tok[_RAW]]
            if tok[_RAW].endswith("s"):
                keys.append("=" + tok[_RAW][:-1])
            if i < last and tokens[i + 1][_START] == tok[_END] + 1 and text[tok[_END]] in _JOINERS:
                keys.append(_stem_key(stem(tok[_FOLD] + tokens[i + 1][_FOLD])))
            candidates: list[_Compiled] = []
            for key in keys:
                candidates.extend(index.get(key, ()))
            for compiled in dict.fromkeys(candidates) if len(keys) > 2 else candidates:
                end = self._align(compiled.words, 0, tokens, i, text, stem)
                if end is None:
                    continue
                start_char, end_char = tok[_START], tokens[end - 1][_END]
                found.append(TermMatch(compiled.concept_id, compiled.term, language,
                                       start_char, end_char, text[start_char:end_char]))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return tuple(found)

    def _tokenize(self, text: str, language: str) -> list[Token]:
        folds = self._folds.get(language)
        if folds is None:
            folds = self._folds.setdefault(language, {})
        # `re` is faster than `regex`, but its words leave out combining marks: decomposed
        # text (rare) goes through the slower pattern so that spans stay right.
        pattern = _FAST_WORD if unicodedata.is_normalized("NFC", text) else _WORD
        tokens = []
        for m in pattern.finditer(text):
            word = m.group()
            folded = folds.get(word)
            if folded is None:
                folded = fold(word, language)
                if len(folds) < 200_000:
                    folds[word] = folded
            tokens.append((m.start(), m.end(), word, folded))
        return tokens

    def find_term(self, text: str, language: str, term: Term) -> list[tuple[int, int]]:
        """Where one given term (in the term base or not) occurs in `text`."""
        words = self._compile_words(term, language)
        tokens = self._tokenize(text, language)
        stem = self.stemmer(language)
        spans = []
        for i in range(len(tokens)):
            end = self._align(words, 0, tokens, i, text, stem)
            if end is not None:
                spans.append((tokens[i][_START], tokens[end - 1][_END]))
        return spans

    def stemmer(self, language: str) -> Stemmer:
        lang = language.split("-")[0].lower()
        stemmer = self._stemmers.get(lang)
        if stemmer is None:
            with self._lock:
                stemmer = self._stemmers.setdefault(lang, Stemmer(lang))
        return stemmer

    # -- building the per-language index --------------------------------------------------

    def _language_index(self, language: str) -> dict[str, list[_Compiled]]:
        index = self._index.get(language)
        if index is None:
            index = {}
            heads: set[str] = set()     # first three letters (and acronyms) of the terms' first words
            stem = self.stemmer(language)
            for concept in self.termbase:
                for term in concept.terms_in(language):
                    words = self._compile_words(term, language)
                    if words:
                        first = words[0]
                        key = "=" + first.text if first.exact else _stem_key(stem(first.folded))
                        index.setdefault(key, []).append(_Compiled(concept.id, term, words))
                        heads.update((first.folded[:3], first.text, first.text + "s"))
            heads.update(word[:3] for word in IRREGULAR.get(language.split("-")[0], {}))
            with self._lock:
                self._heads[language] = heads
                self._index[language] = index
        return index

    @staticmethod
    def _compile_words(term: Term, language: str) -> tuple[_Word, ...]:
        words = []
        for m in _WORD.finditer(term.text):
            w = m.group()
            words.append(_Word(w, fold(w, language), looks_like_acronym(w)))
        return tuple(words)

    # -- matching ------------------------------------------------------------------------

    def _align(self, words: Sequence[_Word], j: int, tokens: Sequence[Token], i: int, text: str,
               stem: Stemmer) -> int | None:
        """Match words[j:] against tokens[i:]; the index after the last token used, or None."""
        if j == len(words):
            return i
        if i >= len(tokens):
            return None
        if j > 0 and not _GAP.fullmatch(text, tokens[i - 1][_END], tokens[i][_START]):
            return None
        word, tok = words[j], tokens[i]
        if _word_matches(word, tok[_RAW], tok[_FOLD], stem):
            end = self._align(words, j + 1, tokens, i + 1, text, stem)
            if end is not None:
                return end
        if word.exact:
            return None
        # a hyphenated compound in the text for one term word: "non-violent" ~ "nonviolent"
        if i + 1 < len(tokens) and _JOIN_GAP.fullmatch(text, tok[_END], tokens[i + 1][_START]):
            joined = tok[_FOLD] + tokens[i + 1][_FOLD]
            if _folded_match(word.folded, joined, stem):
                end = self._align(words, j + 1, tokens, i + 2, text, stem)
                if end is not None:
                    return end
        # two term words written as one word in the text: "micro-credential" ~ "microcredential"
        if j + 1 < len(words) and not words[j + 1].exact:
            joined_term = word.folded + words[j + 1].folded
            if _folded_match(joined_term, tok[_FOLD], stem):
                return self._align(words, j + 2, tokens, i + 1, text, stem)
        return None


def _word_matches(word: _Word, raw: str, folded: str, stem: Stemmer) -> bool:
    if word.exact:
        return raw == word.text or (raw == word.text + "s")
    return _folded_match(word.folded, folded, stem)


def _folded_match(term_word: str, text_word: str, stem: Stemmer) -> bool:
    if term_word == text_word:
        return True
    if not _stems_match(stem(term_word), stem(text_word)):
        base = BASE_FORMS.get(stem.language)
        if base is None or term_word[:3] != text_word[:3] or stem(base(term_word)) != stem(base(text_word)):
            return _compound_of(stem.language, term_word, text_word)
    return not _derivation_differs(stem.language, term_word, text_word)


def _stems_match(a: str, b: str) -> bool:
    """Equal stems, or one extends the other by what a stemmer may leave of a case ending."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not long_.startswith(short):
        return False
    extra = len(long_) - len(short)
    return (extra <= 1 and len(short) >= 4) or (extra <= 2 and len(short) >= 5)


def longest_first_only(matches: Iterable[TermMatch]) -> list[TermMatch]:
    """Among overlapping matches keep the longest (then the earliest); result in text order."""
    chosen: list[TermMatch] = []
    for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= c.start or m.start >= c.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def longest_first_with_homonyms(matches: Iterable[TermMatch]) -> list[TermMatch]:
    """`longest_first_only`, with the other concepts matched at exactly the span of a kept match
    right after it: a homonym (several concepts share the term), which the text alone cannot tell
    apart. One match per concept and span; in text order, then in term base order."""
    matches = list(matches)
    at_span: dict[tuple[int, int], list[TermMatch]] = {}
    for m in matches:
        at_span.setdefault(m.span, []).append(m)
    out: list[TermMatch] = []
    for kept in longest_first_only(matches):
        out.append(kept)
        seen = {kept.concept_id}
        for other in at_span[kept.span]:
            if other.concept_id not in seen:
                seen.add(other.concept_id)
                out.append(other)
    return out


def concepts_found(matches: Iterable[TermMatch]) -> dict[str, list[TermMatch]]:
    """Matches grouped by concept id, in order of first appearance."""
    out: dict[str, list[TermMatch]] = {}
    for m in matches:
        out.setdefault(m.concept_id, []).append(m)
    return out


def expected_terms(concept: Concept, language: str, source_language: str) -> tuple[Term, ...]:
    """What a translation into `language` may use for `concept`: its accepted terms there, and the
    source language's do-not-translate terms (kept as is in every language)."""
    own = concept.accepted(language)
    kept = tuple(t for t in concept.do_not_translate(source_language) if t not in own)
    return own + kept

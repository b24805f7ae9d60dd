"""Translation memory: ranking of exact and fuzzy matches, and approved translations read live."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from workbench.services.memory import MemoryEntry, MemoryIndex, length_window, lookup, stems

SOURCES = [
    # (key, source, target, origin)
    ("m1/lesson-1/p1", "Bienvenue dans ce module sur la communication.", "Welcome to this module on communication.", "approved"),
    ("m2/lesson-1/p1", "Bienvenue dans ce module sur la communication.", "Welcome to this communication module.", "approved"),
    ("m1/lesson-1/p2", "Bienvenue dans ce module sur le management.", "Welcome to this module on management.", "approved"),
    ("m1/lesson-2/p1", "L'écoute active est une compétence clé.", "Active listening is a key skill.", "approved"),
    (None, "L'écoute active est une compétence essentielle.", "Active listening is an essential skill.", "tmx:old.tmx"),
    (None, "bienvenue dans ce module sur la communication.", "welcome to this module on communication", "tmx:old.tmx"),
    ("m3/quiz-1/q1", "Quelle valeur guide votre action ?", "Which value guides your action?", "approved"),
    (None, "Les coopératives sont des entreprises de l'économie sociale.", "Cooperatives are social economy enterprises.", "tmx:old.tmx"),
]


@pytest.fixture(scope="module")
def index():
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return MemoryIndex([MemoryEntry(source=s, target=t, source_language="fr", language="en", origin=o,
                                    key=k, resource=k.split("/")[0] if k else None, updated_at=when)
                        for k, s, t, o in SOURCES])


@pytest.mark.parametrize("query, key, expected", [
    # exact match of the same key first, then the exact match of another key, then the case-only match
    ("Bienvenue dans ce module sur la communication.", "m2/lesson-1/p1",
     [("Welcome to this communication module.", 100, True, True),
      ("Welcome to this module on communication.", 100, True, False),
      ("welcome to this module on communication", 99, False, False)]),
    # same query, other key: the two exact matches keep the memory's order
    ("Bienvenue dans ce module sur la communication.", "m9/x",
     [("Welcome to this module on communication.", 100, True, False),
      ("Welcome to this communication module.", 100, True, False)]),
    # a fuzzy query: the closest text first
    ("Bienvenue dans ce module sur le management", None,
     [("Welcome to this module on management.", 98, False, False)]),
    ("L'écoute active est une compétence clé !", None,
     [("Active listening is a key skill.", 95, False, False),
      ("Active listening is an essential skill.", 83, False, False)]),
    # nothing close enough
    ("Le badge numérique atteste la réussite.", None, []),
    ("", None, []),
])
def test_ranking(index, query, key, expected):
    matches = index.lookup(query, key=key, limit=3)
    got = [(m.entry.target, m.score, m.exact, m.same_key) for m in matches]
    assert len(got) >= len(expected) if expected else got == []
    for (target, score, exact, same_key), (g_target, g_score, g_exact, g_same) in zip(expected, got):
        assert (g_target, g_exact, g_same) == (target, exact, same_key)
        assert g_score == pytest.approx(score, abs=2)


def test_scores_descend_and_are_bounded(index):
    matches = index.lookup("Bienvenue dans ce module sur la gestion.", limit=10, min_score=50)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(50 <= s < 100 for s in scores)


def test_duplicates_are_shown_once(index):
    # the same source and target from two origins comes back once
    idx = MemoryIndex([MemoryEntry("Oui", "Yes", "fr", "en", "approved", key="a"),
                       MemoryEntry("Oui", "Yes", "fr", "en", "tmx:x.tmx")])
    [m] = idx.lookup("Oui")
    assert m.entry.origin == "approved"


def test_a_unit_is_not_a_suggestion_for_itself(index):
    """The editor's unit (resource, key): its own approved translation is left out, the others stay."""
    query = "Bienvenue dans ce module sur la communication."
    got = [(m.entry.key, m.entry.target) for m in index.lookup(query, key="m2/lesson-1/p1", limit=5,
                                                               exclude=("m2", "m2/lesson-1/p1"))]
    assert ("m2/lesson-1/p1", "Welcome to this communication module.") not in got
    assert got[:2] == [("m1/lesson-1/p1", "Welcome to this module on communication."),
                       (None, "welcome to this module on communication")]
    # the same key in another resource, or a TMX entry with that key, is not the unit itself
    idx = MemoryIndex([MemoryEntry("Oui", "Ja", "fr", "de", "approved", key="k", resource="m1"),
                       MemoryEntry("Oui", "Jawohl", "fr", "de", "approved", key="k", resource="m2"),
                       MemoryEntry("Oui", "Jo", "fr", "de", "tmx:a.tmx", key="k")])
    assert sorted(m.entry.target for m in idx.lookup("Oui", key="k", exclude=("m1", "k"))) == ["Jawohl", "Jo"]


@pytest.mark.parametrize("length, score, lo, hi", [(100, 70, 53.8, 185.8), (10, 100, 10, 10), (40, 50, 13.3, 120)])
def test_length_window(length, score, lo, hi):
    a, b = length_window(length, score)
    assert a == pytest.approx(lo, abs=0.1) and b == pytest.approx(hi, abs=0.1)


def test_short_query_without_words_still_finds_exact():
    idx = MemoryIndex([MemoryEntry("OK", "OK", "fr", "de", "approved"), MemoryEntry("?!", "?!", "fr", "de", "tmx")])
    assert [m.entry.target for m in idx.lookup("?!")] == ["?!"]
    assert stems("ok ?!") == set()


def test_approved_translations_are_in_the_memory(demo_wb):
    from workbench.services.editing import save_translation, get_translation
    from workbench.services.review import approve

    wb = demo_wb
    from sqlalchemy import select
    from workbench.storage import repository as repo
    with wb.store.engine.connect() as conn:
        row = conn.execute(
            select(repo.U.c.key, repo.U.c.source, repo.R.c.name).join(repo.T, repo.T.c.unit_id == repo.U.c.id)
            .join(repo.R, repo.R.c.id == repo.U.c.resource_id)
            .where(repo.T.c.language == "de", repo.T.c.state == "approved", repo.U.c.source_plural.is_(None))
            .limit(1)).one()
    [first] = lookup(wb, row.source, language="de", key=row.key, limit=1)
    assert first.exact and first.same_key and first.entry.origin == "approved"
    # the unit's own translation is not among its own suggestions
    assert all((m.entry.resource, m.entry.key) != (row.name, row.key)
               for m in lookup(wb, row.source, language="de", key=row.key, exclude=(row.name, row.key)))
    # a newly approved translation is found at once (the index notices the change)
    with wb.store.engine.connect() as conn:
        other = conn.execute(
            select(repo.U.c.key, repo.U.c.source, repo.R.c.name).join(repo.R, repo.R.c.id == repo.U.c.resource_id)
            .where(repo.U.c.source_plural.is_(None), repo.R.c.kind == "catalog").limit(1)).one()
    assert not [m for m in lookup(wb, other.source, language="it") if m.exact]
    t = get_translation(wb, resource=other.name, key=other.key, language="it")
    wb.user = "translator-anna"
    t = save_translation(wb, resource=other.name, key=other.key, language="it", forms=["Tradotto ora"],
                         base_version=t.version)
    wb.user = "reviewer-bernd"
    approve(wb, resource=other.name, key=other.key, language="it", base_version=t.version)
    [m] = [m for m in lookup(wb, other.source, language="it") if m.exact]
    assert m.entry.target == "Tradotto ora" and m.entry.author == "translator-anna"


def test_shortlist_finds_the_best_match_a_full_scan_finds():
    """On 20k synthetic sentences (Zipf vocabulary): the shortlist never misses the best match."""
    import random

    from rapidfuzz import fuzz, process

    from workbench.services.memory import normalize

    rng = random.Random(7)
    common = "le la les de des un une et à pour dans sur avec est que qui".split()
    rare = ["".join(rng.choice("bcdfglmnprstv") + rng.choice("aeiouéè") for _ in range(rng.randint(2, 4)))
            for _ in range(3000)]
    vocab = common + rare
    weights = [1 / (r + 1) for r in range(len(vocab))]

    def sentence():
        return " ".join(rng.choices(vocab, weights=weights, k=rng.randint(3, 25))) + "."

    sources = list(dict.fromkeys(sentence() for _ in range(20000)))
    idx = MemoryIndex([MemoryEntry(s, f"t{i}", "fr", "de", "tmx:x") for i, s in enumerate(sources)])
    queries = []
    for k in range(150):
        words = rng.choice(sources).split()
        at = rng.randrange(len(words))
        if k % 3 == 0:
            words[at] = rng.choice(vocab)
        elif k % 3 == 1:
            words.insert(at, rng.choice(vocab))
        elif len(words) > 3:
            del words[at]
        queries.append(" ".join(words))
    missed = []
    for q in queries:
        best = process.extractOne(normalize(q), idx.norm, scorer=fuzz.ratio, processor=None, score_cutoff=70)
        got = idx.lookup(q, limit=1)
        if best and (not got or got[0].score + 0.01 < min(best[1], 99.0)):
            missed.append(q)
    assert missed == []


@pytest.mark.parametrize("resource,key,expected", [
    ("m1-v2-communication-non-violente", "m1-v2-communication-non-violente/12",
     "approved m1-v2-communication-non-violente/12 (tina)"),
    ("m1", "m1/quiz-1/q3", "approved m1/quiz-1/q3 (tina)"),
    ("m1", "legacy-key", "approved m1:legacy-key (tina)"),
])
def test_where_names_the_key_once(resource, key, expected):
    """The editor showed 'approved m1-v2-communication-non-violente:m1-v2-communication-non-vio…'."""
    from workbench.services.memory import APPROVED, Match, MemoryEntry

    entry = MemoryEntry(source="s", target="t", source_language="fr", language="de", origin=APPROVED,
                        key=key, resource=resource, author="tina")
    assert Match(entry=entry, score=80.0, exact=False, same_key=False).where == expected

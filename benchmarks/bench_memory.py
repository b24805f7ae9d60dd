"""Benchmark: translation-memory lookup against N entries (default 100,000); prints p50/p95/max.

    .venv/bin/python benchmarks/bench_memory.py [N] [QUERIES]

Entries are synthetic French-like sentences (Zipf-distributed vocabulary, 3-30 words). Queries
are one third exact copies, one third near variants (a word changed, added or dropped), one
third unrelated sentences. Measures the in-memory index (built once per language pair and kept)
and, for a check of recall, compares the best fuzzy score with a full rapidfuzz scan.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time

from rapidfuzz import fuzz, process

from workbench.services.memory import MemoryEntry, MemoryIndex, normalize

SYLLABLES = ["ba", "cou", "ré", "mi", "so", "la", "tion", "ment", "pro", "con", "ver", "sa", "ti", "on",
             "é", "co", "no", "mie", "soli", "dai", "re", "ges", "ca", "pi", "ta", "lu", "gi", "que"]


def vocabulary(rng: random.Random, n: int = 6000) -> list[str]:
    words = {"de", "la", "le", "et", "les", "des", "un", "une", "à", "pour", "en", "du", "dans", "est"}
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def sentence(rng: random.Random, vocab: list[str], weights: list[float]) -> str:
    n = rng.randint(3, 30)
    words = rng.choices(vocab, weights=weights, k=n)
    return (" ".join(words)).capitalize() + rng.choice([".", ".", "?", " !", ""])


def variant(rng: random.Random, text: str, vocab: list[str]) -> str:
    words = text.split()
    op = rng.choice(["change", "add", "drop"])
    i = rng.randrange(len(words))
    if op == "change":
        words[i] = rng.choice(vocab)
    elif op == "add":
        words.insert(i, rng.choice(vocab))
    elif len(words) > 3:
        del words[i]
    return " ".join(words)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    q = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rng = random.Random(42)
    vocab = vocabulary(rng)
    weights = [1 / (r + 1) for r in range(len(vocab))]
    rng.shuffle(weights)
    sources = [sentence(rng, vocab, weights) for _ in range(n)]
    queries = []
    for j in range(q):
        s = sources[rng.randrange(n)]
        queries.append([s, variant(rng, s, vocab), sentence(rng, vocab, weights)][j % 3])
    t0 = time.perf_counter()
    # as the service does: entry objects exist only while the index is built
    index = MemoryIndex([MemoryEntry(source=s, target=f"t{i}", source_language="fr", language="de",
                                     origin="tmx:bench", key=f"k{i}") for i, s in enumerate(sources)])
    build = time.perf_counter() - t0
    del sources
    gc.collect()
    times = []
    for text in queries:
        t = time.perf_counter()
        index.lookup(text, limit=5)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"entries {n}, index built in {build:.2f} s")
    print(f"lookup over {q} queries: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, "
          f"max {times[-1]:.2f} ms")
    # recall against a full scan, on a sample of the near variants
    norms = index.norm
    missed = 0
    sample = [t for k, t in enumerate(queries) if k % 3 == 1][:60]
    full_times = []
    for text in sample:
        t = time.perf_counter()
        best = process.extractOne(normalize(text), norms, scorer=fuzz.ratio, processor=None, score_cutoff=70)
        full_times.append((time.perf_counter() - t) * 1000)
        got = index.lookup(text, limit=1)
        if best and (not got or got[0].score + 0.01 < min(best[1], 99.0)):
            missed += 1
    print(f"full scan (no shortlist) for comparison: p50 {statistics.median(full_times):.2f} ms")
    print(f"near variants whose best match the shortlist missed: {missed}/{len(sample)}")


if __name__ == "__main__":
    main()

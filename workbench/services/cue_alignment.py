"""Which cue of a re-cut subtitle file is which cue of the one before: texts first, then timing."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Sequence


@dataclass(frozen=True, slots=True)
class TimedText:
    """What the alignment knows of a cue: its text, its times and its identifier when that is a
    name (not a number a subtitle editor renumbers, nor a position)."""

    text: str
    start_ms: int
    end_ms: int
    name: str | None = None


#: Beyond this many cells (old × new cues left once the common ends are set aside), the texts are
#: aligned by difflib's matcher instead of the weighted alignment (quadratic in pure Python).
WEIGHTED_CELLS = 250_000


def align(old: Sequence[TimedText], new: Sequence[TimedText]) -> dict[int, int]:
    """Index of each new cue -> index of the old cue it is, for those that are one. In order:
    cues are never crossed. Equal texts pair first (among equal texts, those whose times overlap
    and then those with the same name); then, between two such pairs, the cues left pair by
    their times (shifted as much as the pair before them was), a changed cue sitting alone
    there with the one left on the other side, and a named cue with the cue of the same name."""
    anchors = _equal_texts(old, new)
    pairs: dict[int, int] = {}
    bounds = [(-1, -1), *sorted(anchors), (len(old), len(new))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        if (i0, j0) != (-1, -1):
            pairs[j0] = i0
        if i1 - i0 > 1 and j1 - j0 > 1:
            shift = _shift(old, new, (i0, j0) if i0 >= 0 else (i1, j1) if i1 < len(old) else None)
            pairs.update(_by_timing(old, new, range(i0 + 1, i1), range(j0 + 1, j1), shift=shift))
    return pairs


def _shift(old: Sequence[TimedText], new: Sequence[TimedText], pair: tuple[int, int] | None) -> int:
    return 0 if pair is None else new[pair[1]].start_ms - old[pair[0]].start_ms


def _overlap(a: TimedText, b: TimedText, shift: int = 0) -> int:
    return min(a.end_ms + shift, b.end_ms) - max(a.start_ms + shift, b.start_ms)


def _equal_texts(old: Sequence[TimedText], new: Sequence[TimedText]) -> list[tuple[int, int]]:
    """(old, new) index pairs of equal texts, in order, as many as possible; where a text comes
    several times, the pairing whose times overlap wins."""
    n, m = len(old), len(new)
    head = 0
    while head < min(n, m) and _same(old[head], new[head]):
        head += 1
    tail = 0
    while tail < min(n, m) - head and _same(old[n - 1 - tail], new[m - 1 - tail]):
        tail += 1
    pairs = [(k, k) for k in range(head)]
    middle_old, middle_new = old[head:n - tail], new[head:m - tail]
    if len(middle_old) * len(middle_new) <= WEIGHTED_CELLS:
        found = _weighted(middle_old, middle_new)
    else:
        matcher = SequenceMatcher(None, [c.text for c in middle_old], [c.text for c in middle_new], autojunk=False)
        found = [(b.a + k, b.b + k) for b in matcher.get_matching_blocks() for k in range(b.size)]
    pairs += [(i + head, j + head) for i, j in found]
    pairs += [(n - tail + k, m - tail + k) for k in range(tail)]
    return pairs


def _same(a: TimedText, b: TimedText) -> bool:
    """The same cue for certain: same text and overlapping times (the common ends of two files)."""
    return a.text == b.text and _overlap(a, b) > 0


def _weight(a: TimedText, b: TimedText) -> int:
    return 4 + (2 if _overlap(a, b) > 0 else 0) + (1 if a.name is not None and a.name == b.name else 0)


def _weighted(old: Sequence[TimedText], new: Sequence[TimedText]) -> list[tuple[int, int]]:
    """The in-order pairing of equal texts with the most weight (_weight): a longest common
    subsequence where timing and names break the ties between repeated texts."""
    ids: dict[str, int] = {}
    a = [ids.setdefault(c.text, len(ids)) for c in old]
    b = [ids.get(c.text, -1) for c in new]
    n, m = len(a), len(b)
    score = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev, ai = score[i], score[i - 1], a[i - 1]
        for j in range(1, m + 1):
            best = prev[j] if prev[j] >= row[j - 1] else row[j - 1]
            if ai == b[j - 1]:
                diagonal = prev[j - 1] + _weight(old[i - 1], new[j - 1])
                if diagonal > best:
                    best = diagonal
            row[j] = best
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i and j:
        if a[i - 1] == b[j - 1] and score[i][j] == score[i - 1][j - 1] + _weight(old[i - 1], new[j - 1]):
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif score[i - 1][j] == score[i][j]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs


def _by_timing(old: Sequence[TimedText], new: Sequence[TimedText], olds: range, news: range, *,
               shift: int) -> dict[int, int]:
    """The cues of a stretch between two pairs of equal texts (whose texts all differ): paired
    in order by how much their times overlap once shifted (and then how alike their texts are),
    or by name; a lone cue on each side (between two pairs, or before the first, or after the
    last) is the same cue changed."""
    if len(olds) == 1 and len(news) == 1:
        return {news[0]: olds[0]}

    weights: dict[tuple[int, int], float] = {}

    def weight(i: int, j: int) -> float:
        found = weights.get((i, j))
        if found is None:
            a, b = old[i], new[j]
            found = 1.0 if a.name is not None and a.name == b.name else 0.0
            overlap = _overlap(a, b, shift)
            if overlap > 0:      # how much of the longer one they share, and how alike their texts are
                found += overlap / max(a.end_ms - a.start_ms, b.end_ms - b.start_ms, 1)
                found += SequenceMatcher(None, a.text, b.text, autojunk=False).ratio()
            weights[i, j] = found
        return found

    n, m = len(olds), len(news)
    if n * m > WEIGHTED_CELLS:
        return _by_timing_greedy(old, new, olds, news, weight=weight, shift=shift)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for x in range(1, n + 1):
        row, prev = score[x], score[x - 1]
        for y in range(1, m + 1):
            best = max(prev[y], row[y - 1])
            w = weight(olds[x - 1], news[y - 1])
            if w > 0 and prev[y - 1] + w > best:
                best = prev[y - 1] + w
            row[y] = best
    pairs: dict[int, int] = {}
    x, y = n, m
    while x and y:          # (on a tie, the earlier new cue pairs)
        w = weight(olds[x - 1], news[y - 1])
        if score[x][y - 1] == score[x][y]:
            y -= 1
        elif w > 0 and score[x][y] == score[x - 1][y - 1] + w:
            pairs[news[y - 1]] = olds[x - 1]
            x, y = x - 1, y - 1
        else:
            x -= 1
    return pairs


def _by_timing_greedy(old: Sequence[TimedText], new: Sequence[TimedText], olds: range, news: range, *,
                      weight, shift: int) -> dict[int, int]:
    """_by_timing for a long stretch (a whole file rewritten): each new cue in turn pairs with the
    heaviest old cue after the last one paired among those its times overlap (or of its name)."""
    pairs: dict[int, int] = {}
    names = {old[i].name: i for i in olds if old[i].name is not None}
    x = olds.start
    for j in news:
        b = new[j]
        while x < olds.stop and old[x].end_ms + shift <= b.start_ms:
            x += 1
        candidates = []
        i = x
        while i < olds.stop and old[i].start_ms + shift < b.end_ms:
            candidates.append(i)
            i += 1
        named = names.get(b.name) if b.name is not None else None
        if named is not None and named >= x:
            candidates.append(named)
        best = max(candidates, key=lambda i: weight(i, j), default=None)
        if best is not None and weight(best, j) > 0:
            pairs[j] = best
            x = best + 1
    return pairs

"""Re-cut subtitles: each new cue takes the unit row of the cue it was, whatever its key now is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from sqlalchemy import bindparam, update
from sqlalchemy.engine import Connection

from workbench.domain.units import Unit
from workbench.formats.subtitle_common import suffix_of
from workbench.services.cue_alignment import TimedText, align
from workbench.storage import repository as repo

U = repo.U


@dataclass
class CuePlan:
    """Which stored row each cue of a re-read subtitle file takes.

    `rows`: final key -> row: the new cues' keys for the rows they take, and their own (or a
    parking key) for the rows no cue takes (sync_source obsoletes them, as today). `moves`: row id
    -> final key, for every row whose key changes. `renumbered`: cues that took a row under
    another key. `numbering`: old key suffix -> row id of the live cues before."""

    rows: dict[str, Mapping] = field(default_factory=dict)
    moves: dict[int, str] = field(default_factory=dict)
    renumbered: int = 0
    numbering: dict[str, int] = field(default_factory=dict)


def named(suffix: str) -> str | None:
    """A cue identifier that names the cue: not a number (subtitle editors renumber them) nor a
    position (`#4`, a cue without identifier)."""
    return None if suffix.isdigit() or suffix.startswith("#") else suffix


def plan_cues(rows: Sequence[Mapping], units: Sequence[Unit], *, resource: str) -> CuePlan:
    """Align the stored live cues (rows in position order) with the file's, by text and timing
    (services/cue_alignment.py). A file cue nothing aligns with takes the row of its own key only
    when that row's cue has the same text or a named identifier, else the row of a cue of the same
    text that no cue took: moved elsewhere, or removed earlier and put back (like msgmerge's
    obsolete entries). Any other row that holds a key a file cue needs is parked under a key of its
    own (translations and history stay)."""
    plan = CuePlan()
    live = [r for r in rows if not r["obsolete"]]
    plan.numbering = {suffix_of(r["key"], resource): r["id"] for r in live}
    pairs = align([_timed(r["source"], r["start_ms"], r["end_ms"], r["key"], resource) for r in live],
                  [_timed(u.source, u.start_ms, u.end_ms, u.key, resource) for u in units])
    used: set[int] = set()

    def take(row: Mapping, key: str) -> None:
        plan.rows[key] = row
        used.add(row["id"])
        if row["key"] != key:
            plan.moves[row["id"]] = key
            if not row["obsolete"]:        # (a removed cue put back was not renumbered)
                plan.renumbered += 1

    for j, i in pairs.items():
        take(live[i], units[j].key)
    by_key = {r["key"]: r for r in rows}
    unpaired: dict[str, list[Mapping]] = {}      # source -> the rows no cue took yet (removed, moved)
    for row in rows:
        if row["id"] not in used:
            unpaired.setdefault(row["source"], []).append(row)
    for j, unit in enumerate(units):
        if j in pairs:
            continue
        row = by_key.get(unit.key)
        if row is None or row["id"] in used or not (
                row["source"] == unit.source or named(suffix_of(unit.key, resource))):
            # a cue moved (two cues swapped) or put back: the row of a cue of the same text that no
            # cue took, the nearest in time
            row = min((r for r in unpaired.get(unit.source, ()) if r["id"] not in used),
                      key=lambda r: abs((r["start_ms"] or 0) - (unit.start_ms or 0)), default=None)
        if row is not None:
            take(row, unit.key)                # the cue of that key, changed; or moved, or put back
    needed = {u.key for u in units}
    taken = needed | set(by_key)
    for row in rows:
        if row["id"] in used:
            continue
        key = row["key"]
        if key in needed:
            key = _parking_key(row, taken)
            taken.add(key)
            plan.moves[row["id"]] = key
            row = {**row, "key": key}
        plan.rows[key] = row
    return plan


def _timed(source: str, start_ms: int | None, end_ms: int | None, key: str, resource: str) -> TimedText:
    return TimedText(source, start_ms or 0, end_ms or 0, named(suffix_of(key, resource)))


def _parking_key(row: Mapping, taken: set[str]) -> str:
    """A key for a removed cue's row whose key a cue of the file now has: its old key and row id
    (`m1-v1/5~obsolete-57`), never one that is taken."""
    key = f"{row['key']}~obsolete-{row['id']}"
    while key in taken:
        key += "~"
    return key


def apply_moves(conn: Connection, moves: Mapping[int, str]) -> None:
    """Give rows their new keys in two steps (through temporary keys), as the keys of a resource
    are unique at every statement (uq_unit_resource_key)."""
    if not moves:
        return
    step = update(U).where(U.c.id == bindparam("_id")).values(key=bindparam("_key"))
    conn.execute(step, [{"_id": uid, "_key": f"~renumbering~{uid}"} for uid in moves])
    conn.execute(step, [{"_id": uid, "_key": key} for uid, key in moves.items()])

"""Re-cut subtitles: each new cue takes the unit row of the cue it was, whatever its key now is."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from workbench.domain.units import Unit
from workbench.formats.base import TranslationDocument
from workbench.services.cue_alignment import TimedText, align
from workbench.storage import repository as repo

F, R, U = repo.F, repo.R, repo.U


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


def suffix_of(key: str, resource: str) -> str:
    return key[len(resource) + 1:] if key.startswith(resource + "/") else key


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
    for j, i in pairs.items():
        row, key = live[i], units[j].key
        plan.rows[key] = row
        used.add(row["id"])
        if row["key"] != key:
            plan.moves[row["id"]] = key
            plan.renumbered += 1
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
            plan.rows[unit.key] = row          # the cue of that key, changed; or moved, or put back
            used.add(row["id"])
            if row["key"] != unit.key:
                plan.moves[row["id"]] = unit.key
                if not row["obsolete"]:
                    plan.renumbered += 1
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


# -- translation files still numbered as the source was ------------------------------------

#: The key of a resource's meta that lists the numberings its cues had before a renumbering that
#: translation files still have: [{"keys": {key suffix: unit row id}, "files": {path: hash}}], each
#: file with its hash when it was last imported or exported (in that numbering). Such a file edited
#: since is read in its numbering, not in the source's new one; exported, it leaves the list.
NUMBERINGS = "numberings"


def note_numbering(conn: Connection, resource_id: int, plan: CuePlan, *, old_keys: Mapping[int, str],
                   translation_paths: Sequence[str]) -> None:
    """After rows were given other keys: remember the numbering before for each translation file
    of the resource that was synced in it (unless one it was synced in earlier is remembered),
    and move the anchors of the languages' NOTE blocks to their cues' new keys. `old_keys`: row
    id -> key before, of the moved rows."""
    meta = _meta(conn, resource_id)
    synced = dict(conn.execute(select(F.c.path, F.c.sha256).where(F.c.path.in_(list(translation_paths)))).all())
    numberings = []
    claimed: set[str] = set()
    for numbering in meta.get(NUMBERINGS) or ():
        files = {p: h for p, h in numbering["files"].items() if synced.get(p) == h}
        if files:
            numberings.append({"keys": numbering["keys"], "files": files})
            claimed.update(files)
    fresh = {p: h for p, h in synced.items() if p not in claimed}
    if fresh:
        numberings.append({"keys": plan.numbering, "files": fresh})
    if numberings:
        meta[NUMBERINGS] = numberings
    else:
        meta.pop(NUMBERINGS, None)
    moved = {old_keys[uid]: key for uid, key in plan.moves.items()}
    for language_meta in (meta.get("languages") or {}).values():
        for block in (language_meta or {}).get("blocks") or ():
            if block.get("before") in moved:
                block["before"] = moved[block["before"]]
    _set_meta(conn, resource_id, meta)


def file_numbering(resource_meta: Mapping, path: str, synced: str | None) -> dict[str, int] | None:
    """How the translation file `path` numbers its cues when that is not how the source does now
    (key suffix -> unit row id): it was last synced, with hash `synced`, before a renumbering."""
    for numbering in resource_meta.get(NUMBERINGS) or ():
        if synced is not None and numbering["files"].get(path) == synced:
            return numbering["keys"]
    return None


def keep_numbering(conn: Connection, resource_id: int, path: str, digest: str) -> None:
    """The file `path` was read in its old numbering and is still written in it: its hash now."""
    meta = _meta(conn, resource_id)
    for numbering in meta.get(NUMBERINGS) or ():
        if path in numbering["files"] and numbering["files"][path] != digest:
            numbering["files"][path] = digest
            _set_meta(conn, resource_id, meta)


def _meta(conn: Connection, resource_id: int) -> dict:
    return json.loads(conn.execute(select(R.c.meta).where(R.c.id == resource_id)).scalar_one() or "{}")


def _set_meta(conn: Connection, resource_id: int, meta: dict) -> None:
    conn.execute(update(R).where(R.c.id == resource_id).values(
        meta=json.dumps(meta, ensure_ascii=False, sort_keys=True)))


def old_view(units: Sequence[Unit], ids: Mapping[str, tuple], numbering: Mapping[str, int], *,
             resource: str) -> tuple[list[Unit], dict[str, str]]:
    """The live units as a file in an old numbering knows them: keyed by their suffix then, and
    a cue added since under a key no identifier can be (found by its times only); and view key ->
    key now."""
    suffix_of_id = {uid: suffix for suffix, uid in numbering.items()}
    view: list[Unit] = []
    back: dict[str, str] = {}
    for unit in units:
        if unit.obsolete:
            continue
        uid = ids[unit.key][0]
        suffix = suffix_of_id.get(uid)
        key = f"{resource}/{suffix}" if suffix is not None else f"{resource}/\n{uid}"
        back[key] = unit.key
        view.append(replace(unit, key=key))
    return view, back


def to_current(doc: TranslationDocument, back: Mapping[str, str]) -> None:
    """A translation file read through old_view's units, keyed as the units are now."""
    doc.entries = {back[key]: replace(entry, key=back[key]) for key, entry in doc.entries.items()}
    for block in doc.meta.get("blocks") or ():
        if block.get("before") in back:
            block["before"] = back[block["before"]]

"""Translation files still numbered as their source was before its cues were renumbered: the
numbering remembered, and such a file read in it."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from workbench.domain.units import Unit
from workbench.formats.base import TranslationDocument
from workbench.services.renumbering import CuePlan
from workbench.storage import repository as repo

F = repo.F

#: The key of a resource's meta that lists the numberings its cues had before a renumbering that
#: translation files still have: [{"keys": {key suffix: unit row id}, "files": {path: hash}}], each
#: file with its hash when it was last imported or exported (in that numbering). Such a file edited
#: since is read in its numbering, not in the source's new one; once exported (in the new one, so
#: with another hash) it no longer counts, and the next renumbering drops it.
NUMBERINGS = "numberings"


def note_numbering(conn: Connection, resource_id: int, plan: CuePlan, *, old_keys: Mapping[int, str],
                   translation_paths: Sequence[str]) -> None:
    """After rows were given other keys: remember the numbering before for each translation file
    of the resource that was synced in it (unless one it was synced in earlier is remembered),
    and move the anchors of the languages' NOTE blocks to their cues' new keys. `old_keys`: row
    id -> key before, of the moved rows."""
    meta = repo.resource_meta(conn, resource_id)
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
    repo.set_resource_meta(conn, resource_id, meta)


def numbering_of(resource_meta: Mapping, path: str, synced: str | None) -> dict[str, int] | None:
    """How the translation file `path` numbers its cues when that is not how the source does now
    (key suffix -> unit row id): it was last synced, with hash `synced`, before a renumbering."""
    for numbering in resource_meta.get(NUMBERINGS) or ():
        if synced is not None and numbering["files"].get(path) == synced:
            return numbering["keys"]
    return None


def keep_numbering(conn: Connection, resource_id: int, path: str, digest: str) -> None:
    """The file `path` was read in its old numbering and is still written in it: its hash now."""
    meta = repo.resource_meta(conn, resource_id)
    for numbering in meta.get(NUMBERINGS) or ():
        if path in numbering["files"] and numbering["files"][path] != digest:
            numbering["files"][path] = digest
            repo.set_resource_meta(conn, resource_id, meta)


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

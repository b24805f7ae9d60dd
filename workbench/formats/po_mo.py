"""Compile a catalog to a GNU .mo file, laid out as msgfmt lays it out (hash table included)."""

from __future__ import annotations

import sys
from array import array
from itertools import accumulate

from workbench.formats.po_catalog import PoCatalog

MAGIC = 0x950412DE
CONTEXT_GLUE = "\x04"


def _hash(data: bytes) -> int:
    """gettext's hash_string (hashpjw) as msgfmt stores it: on 32 bits."""
    value = 0
    for byte in data:
        value = ((value << 4) + byte) & 0xFFFFFFFF
        high = value & 0xF0000000
        if high:
            value ^= high >> 24
            value ^= high
    return value


#: At most this many keys are hashed together, in one big integer (a 64-bit lane each).
_GROUP = 2048


def _lane_masks(count: int) -> tuple[int, int]:
    """Bits 0-27 of every lane, and bits 0-3 of every lane."""
    low28 = int.from_bytes(b"\xff\xff\xff\x0f\x00\x00\x00\x00" * count, "little")
    nibble = int.from_bytes(b"\x0f\x00\x00\x00\x00\x00\x00\x00" * count, "little")
    return low28, nibble


def _groups(keys: list[bytes]) -> list[list[int]]:
    """Key indexes by length, in groups of similar lengths (a group takes as many steps as its
    longest key)."""
    order = sorted(range(len(keys)), key=lambda i: len(keys[i]))
    groups: list[list[int]] = []
    group: list[int] = []
    shortest = 0
    for i in order:
        size = len(keys[i])
        if group and (len(group) == _GROUP or size > 2 * shortest + 16):
            groups.append(group)
            group = []
        if not group:
            shortest = size
        group.append(i)
    if group:
        groups.append(group)
    return groups


def _hashes(keys: list[bytes]) -> list[int]:
    """_hash of every key, a group of keys at a time: each key is a 64-bit lane of one big
    integer, so that a step of the hash is a few operations on the whole group (instead of a
    Python loop over every byte). Keys are padded with NUL bytes at the front, which leave a hash
    at 0, so that all the keys of a group take the same steps."""
    out = [0] * len(keys)
    masks: dict[int, tuple[int, int]] = {}
    for group in _groups(keys):
        count = len(group)
        width = len(keys[group[-1]])
        if width == 0:
            continue
        if count < 8:                        # not worth the set-up
            for i in group:
                out[i] = _hash(keys[i])
            continue
        if count not in masks:
            masks[count] = _lane_masks(count)
        low28, nibble = masks[count]
        matrix = b"".join(keys[i].rjust(width, b"\0") for i in group)
        lanes = bytearray(8 * count)
        value = 0
        for column in range(width):
            lanes[0::8] = matrix[column::width]
            # every lane: value = (value << 4) + byte, then its bits 28-31 folded into bits 4-7
            # (and cleared, with whatever carried beyond bit 31: msgfmt keeps 32 bits)
            value = (value << 4) + int.from_bytes(lanes, "little")
            value = (value & low28) ^ (((value >> 28) & nibble) << 4)
        result = array("Q", value.to_bytes(8 * count, "little"))
        if sys.byteorder == "big":
            result.byteswap()
        for i, h in zip(group, result):
            out[i] = h
    return out


def _is_prime(candidate: int) -> bool:
    """gettext's test, which is meant for odd numbers from 10 on (it calls 3 composite)."""
    divisor = 3
    square = divisor * divisor
    while square < candidate and candidate % divisor != 0:
        divisor += 1
        square += 4 * divisor
        divisor += 1
    return candidate % divisor != 0


def _next_prime(n: int) -> int:
    n |= 1
    while not _is_prime(n):
        n += 2
    return n


def compile_mo(catalog: PoCatalog) -> bytes:
    """The .mo of a catalog: the header and every translated entry that is neither fuzzy nor
    obsolete (what msgfmt includes without --use-fuzzy)."""
    pairs: list[tuple[bytes, bytes, bytes]] = []     # (hash key, original, translation)
    if catalog.header is not None and not catalog.header.fuzzy:
        # msgfmt leaves the template's creation date out, so that a rebuild gives the same bytes
        header = "".join(line for line in catalog.header.forms[0].splitlines(keepends=True)
                         if not line.startswith("POT-Creation-Date:"))
        pairs.append((b"", b"", header.encode("utf-8")))
    for entry in catalog.entries:
        forms = entry.forms
        if entry.obsolete or not forms or not forms[0] or entry.fuzzy:
            continue
        key = entry.msgid if entry.msgctxt is None else entry.msgctxt + CONTEXT_GLUE + entry.msgid
        key_bytes = key.encode("utf-8")
        if entry.msgid_plural is None:
            original = key_bytes
            translation = forms[0].encode("utf-8") if len(forms) == 1 else "\0".join(forms).encode("utf-8")
        else:
            original = key_bytes + b"\0" + entry.msgid_plural.encode("utf-8")
            translation = "\0".join(forms).encode("utf-8")
        pairs.append((key_bytes, original, translation))
    pairs.sort(key=lambda p: p[0])
    n = len(pairs)
    hash_size = _next_prime(n * 4 // 3) if n else 0
    if 0 < hash_size < 3:
        hash_size = 3
    orig_offset = 28
    trans_offset = orig_offset + 8 * n
    hash_offset = trans_offset + 8 * n
    data_offset = hash_offset + 4 * hash_size
    keys = [p[0] for p in pairs]
    originals = [p[1] for p in pairs]
    translations = [p[2] for p in pairs]
    lengths = [len(s) for s in originals] + [len(s) for s in translations]
    offsets = list(accumulate((length + 1 for length in lengths[:-1]), initial=data_offset)) if n else []
    hash_table = [0] * hash_size
    for i, value in enumerate(_hashes(keys), start=1):
        index = value % hash_size
        if hash_table[index]:
            step = 1 + value % (hash_size - 2)
            while hash_table[index]:
                index = index - (hash_size - step) if index >= hash_size - step else index + step
        hash_table[index] = i
    tables = array("I", (MAGIC, 0, n, orig_offset, trans_offset, hash_size, hash_offset))
    descriptors = [0] * (2 * len(lengths))
    descriptors[0::2] = lengths
    descriptors[1::2] = offsets
    tables.extend(descriptors)
    tables.extend(hash_table)
    if sys.byteorder == "big":
        tables.byteswap()
    if not n:
        return tables.tobytes()
    return b"".join((tables.tobytes(), b"\0".join(originals), b"\0", b"\0".join(translations), b"\0"))

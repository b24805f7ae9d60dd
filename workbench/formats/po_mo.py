"""Compile a catalog to a GNU .mo file, laid out as msgfmt lays it out (hash table included)."""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from itertools import accumulate
from operator import itemgetter

from workbench.formats.po_catalog import FUZZY, PoCatalog

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


#: At most this many keys are hashed together, in one big integer (a 40-bit lane each: a step
#: of the hash makes at most 33 bits).
_GROUP = 2048
_LANE = 5


def _lane_masks(count: int) -> tuple[int, int]:
    """Bits 0-27 of every lane, and bits 28-31 of every lane."""
    low28 = int.from_bytes(b"\xff\xff\xff\x0f\x00" * count, "little")
    high4 = int.from_bytes(b"\x00\x00\x00\xf0\x00" * count, "little")
    return low28, high4


def _groups(keys: list[bytes]) -> list[list[int]]:
    """Key indexes by length, in groups of similar lengths (a group takes as many steps as its
    longest key): at most _GROUP keys, the longest at most twice (and 16 bytes) the shortest."""
    order = sorted(range(len(keys)), key=lambda i: len(keys[i]))
    sizes = [len(keys[i]) for i in order]
    groups: list[list[int]] = []
    start = 0
    while start < len(order):
        end = min(start + _GROUP, bisect_right(sizes, 2 * sizes[start] + 16, start))
        groups.append(order[start:end])
        start = end
    return groups


def _hashes(keys: list[bytes]) -> list[int]:
    """_hash of every key, a group of keys at a time: each key is a lane of one big
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
        low28, high4 = masks[count]
        matrix = b"".join(keys[i].rjust(width, b"\0") for i in group)
        lanes = bytearray(_LANE * count)
        value = 0
        for column in range(width):
            lanes[0::_LANE] = matrix[column::width]
            # every lane: value = (value << 4) + byte, then its bits 28-31 folded into bits 4-7
            # (and cleared, with whatever carried beyond bit 31: msgfmt keeps 32 bits)
            value = (value << 4) + int.from_bytes(lanes, "little")
            value = (value & low28) ^ ((value & high4) >> 24)
        packed = value.to_bytes(_LANE * count, "little")
        for k, i in enumerate(group):
            out[i] = int.from_bytes(packed[_LANE * k:_LANE * k + _LANE], "little")
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
    append = pairs.append
    for entry in catalog.entries:
        forms = entry.forms
        if entry.obsolete or not forms or not forms[0] or FUZZY in entry.flags:
            continue
        context = entry.msgctxt
        key = (entry.msgid if context is None else context + CONTEXT_GLUE + entry.msgid).encode("utf-8")
        if entry.msgid_plural is None:
            append((key, key, (forms[0] if len(forms) == 1 else "\0".join(forms)).encode("utf-8")))
        else:
            append((key, key + b"\0" + entry.msgid_plural.encode("utf-8"), "\0".join(forms).encode("utf-8")))
    pairs.sort(key=itemgetter(0))
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

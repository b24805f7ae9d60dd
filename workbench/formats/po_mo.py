"""Compile a catalog to a GNU .mo file, laid out as msgfmt lays it out (hash table included)."""

from __future__ import annotations

import struct

from workbench.formats.po_catalog import PoCatalog

MAGIC = 0x950412DE
CONTEXT_GLUE = "\x04"


def _hash(data: bytes) -> int:
    """gettext's hash_string (hashpjw)."""
    value = 0
    for byte in data:
        value = (value << 4) + byte
        high = value & 0xF0000000
        if high:
            value ^= high >> 24
            value ^= high
    return value


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
        if entry.obsolete or entry.fuzzy or not entry.forms or not entry.forms[0]:
            continue
        key = entry.msgid if entry.msgctxt is None else entry.msgctxt + CONTEXT_GLUE + entry.msgid
        key_bytes = key.encode("utf-8")
        original = key_bytes if entry.msgid_plural is None else \
            key_bytes + b"\0" + entry.msgid_plural.encode("utf-8")
        translation = b"\0".join(f.encode("utf-8") for f in entry.forms)
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
    tables = bytearray()
    strings = bytearray()
    offset = data_offset
    orig_entries, trans_entries = [], []
    for _, original, _ in pairs:
        orig_entries.append((len(original), offset))
        strings += original + b"\0"
        offset += len(original) + 1
    for _, _, translation in pairs:
        trans_entries.append((len(translation), offset))
        strings += translation + b"\0"
        offset += len(translation) + 1
    hash_table = [0] * hash_size
    for i, (key, _, _) in enumerate(pairs):
        value = _hash(key)
        index = value % hash_size
        step = 1 + value % (hash_size - 2)
        while hash_table[index]:
            index = index - (hash_size - step) if index >= hash_size - step else index + step
        hash_table[index] = i + 1
    tables += struct.pack("<7I", MAGIC, 0, n, orig_offset, trans_offset, hash_size, hash_offset)
    for length, off in orig_entries + trans_entries:
        tables += struct.pack("<2I", length, off)
    tables += struct.pack(f"<{hash_size}I", *hash_table)
    return bytes(tables + strings)

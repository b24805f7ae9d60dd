"""The .mo writer: msgfmt's bytes, hash table included, also for keys whose hash overflows 32 bits."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from workbench.formats.po_mo import _hash, _hashes, compile_mo
from workbench.formats.po_reader import read_po

#: hashpjw carries into bit 32 on this key (found by search): msgfmt keeps 32 bits of the hash
CARRY_KEY = "eszycidpyo/t&!/atail"


def hashpjw_unbounded(data: bytes) -> int:
    value = 0
    for byte in data:
        value = (value << 4) + byte
        high = value & 0xF0000000
        if high:
            value ^= high >> 24
            value ^= high
    return value


def test_the_carry_key_overflows_and_its_hash_keeps_32_bits():
    unbounded = hashpjw_unbounded(CARRY_KEY.encode())
    assert unbounded >= 1 << 32
    assert _hash(CARRY_KEY.encode()) == unbounded & 0xFFFFFFFF


def test_hashes_of_many_keys_at_once_are_the_hashes_of_each():
    rng = random.Random(5)
    alphabet = "abcdefghijklmnopqrstuvwxyz ÉéüßжΩ€\x04%(){}<>/&!"
    keys = [CARRY_KEY.encode(), b""] + [
        "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 3, 10, 40, 120, 400]))).encode()
        for _ in range(5000)]
    assert _hashes(keys) == [_hash(k) for k in keys]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_makes_the_same_file_with_a_key_whose_hash_overflows(tmp_path):
    msgids = [CARRY_KEY] + [f"message {i}" for i in range(40)]
    po = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          + "".join(f'msgid "{m}"\nmsgstr "x{i}"\n\n' for i, m in enumerate(msgids))
          + 'msgctxt "ctx"\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "des"\n')
    path = tmp_path / "carry.po"
    path.write_text(po, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(tmp_path / "ref.mo"), str(path)], check=True, capture_output=True)
    assert compile_mo(read_po(po.encode(), "carry.po")) == (tmp_path / "ref.mo").read_bytes()


def test_an_empty_catalog_compiles_to_an_empty_table():
    catalog = read_po(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n#, fuzzy\nmsgid "a"\nmsgstr "b"\n', "x")
    catalog.header = None
    data = compile_mo(catalog)
    assert len(data) == 28 and data[8:12] == b"\0\0\0\0"

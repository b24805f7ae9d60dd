"""Our PO writer wraps strings exactly as GNU gettext 0.21 does (compared with msgcat itself)."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from workbench.formats.po_wrap import wrap_lines

WORDS = [
    "économie", "sociale", "solidaire", "Überprüfung", "straße", "żółć", "България", "управление",
    "čćžšđ", "Ελληνικά", "ομάδα", "latviešu", "ūdens", "românește", "ășț", "slovenščina", "€", "100%",
    "$5", "3,5", "1.000", "e.g.", "www.example.org/path?x=1&y=2", "«", "»", "„", "“", "”", "‘", "’", "'",
    '"', "(", ")", "[", "]", "{", "}", "-", "–", "—", "/", "\\", "…", ":", ";", ",", ".", "!", "?", "¿",
    "¡", "%s", "%(name)s", "{0}", "<b>", "</b>", "\t", "\n", "salarié·e·s", "a\u00a0:", "b\u202f!",
    "x\u0301", "\u200b", "\u00ad", "\u2028", "a_b", "#", "&", "*", "+", "=", "|", "~", "^", "§", "°", "²",
    "½", "Ά", "ΐ", "ё", "љ", "ǆ", "ﬁ", "中文", "日本", "한국",
]

CASES = [
    ("", ['msgid ""']),
    ("short", ['msgid "short"']),
    ("a\n", ['msgid "a\\n"']),
    ("a\nb", ['msgid ""', '"a\\n"', '"b"']),
    ("word " * 20, ['msgid ""', '"' + "word " * 15 + '"', '"' + "word " * 5 + '"']),
]


@pytest.mark.parametrize("value, lines", CASES)
def test_known_layouts(value, lines):
    assert wrap_lines("msgid", value) == lines


def test_no_wrap_keeps_long_lines_but_still_splits_after_newlines():
    assert wrap_lines("msgstr", "x " * 60 + "\ny", wrap=False) == ['msgstr ""', '"' + "x " * 60 + '\\n"', '"y"']


def random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.choice([1, 3, 10, 20, 40, 80])):
        parts.append(rng.choice(WORDS))
        parts.append(rng.choice([" ", " ", " ", "  ", "", " "]))
    text = "".join(parts)
    if rng.random() < 0.3:
        text = text.replace(" ", "", rng.randint(0, 5))
    return text


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext (msgcat) is not installed")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_strings_wrap_as_msgcat_wraps_them(seed, tmp_path):
    rng = random.Random(seed)
    values = [random_text(rng) for _ in range(1500)]
    source = ['msgid ""', 'msgstr "Content-Type: text/plain; charset=UTF-8\\n"', ""]
    expected = list(source)
    obsolete = []
    for i, value in enumerate(values):
        source += [f'msgctxt "k{i}"', f"msgid {quoted(value)}", f"msgstr {quoted(value[::-1])}", ""]
        expected += wrap_lines("msgctxt", f"k{i}") + wrap_lines("msgid", value) + \
            wrap_lines("msgstr", value[::-1]) + [""]
        if i % 7 == 0:
            source += [f'#~ msgctxt "o{i}"', f"#~ msgid {quoted(value)}", '#~ msgstr "x"', ""]
            obsolete += wrap_lines("msgctxt", f"o{i}", prefix="#~ ") + wrap_lines("msgid", value, prefix="#~ ") + \
                wrap_lines("msgstr", "x", prefix="#~ ") + [""]
    path = tmp_path / "random.po"
    path.write_text("\n".join(source), encoding="utf-8")
    done = subprocess.run(["msgcat", str(path)], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode("utf-8") == "\n".join(expected + obsolete).rstrip("\n") + "\n"


@pytest.mark.parametrize("seed", [4, 5])
def test_the_fast_path_breaks_where_the_character_by_character_algorithm_does(seed):
    """Strings of the pair table's classes are wrapped by looking only around each line's end;
    the full algorithm (used for combining marks, wide characters, ...) agrees on every one."""
    from workbench.formats.po_wrap import _breaks, _fast_classes, escape

    rng = random.Random(seed)
    checked = 0
    for _ in range(3000):
        portion = escape(random_text(rng).replace("\n", " "))
        classes = _fast_classes(portion)
        if classes is None:
            continue
        for start_col, width in ((6, 76), (0, 76), (13, 73), (90, 76), (0, 10)):
            assert _breaks(portion, classes, start_col, width, False) == \
                _breaks(portion, None, start_col, width, False), (portion, start_col, width)
        checked += 1
    assert checked > 1000

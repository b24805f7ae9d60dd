"""`workbench status --json` on the demo course matches counts made independently from the files."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import polib
import pytest

from workbench.cli import main

REPO = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+(?:['’-]\w+)*")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def words_of(text: str) -> int:
    """Words as shown: tags are not words, entities are their character."""
    return len(WORD.findall(html.unescape(TAG.sub(" ", text))))
TIMING = re.compile(r"^\s*(?:\d+:)?\d{2}:\d{2}[.,]\d{3}\s+-->")


def cue_ids(path: Path) -> list[str]:
    """Identifiers of the cues in a WebVTT file: the line before each timing line."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [lines[i - 1].strip() for i, line in enumerate(lines) if TIMING.match(line)]


def cue_texts(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    texts = []
    for i, line in enumerate(lines):
        if TIMING.match(line):
            block = []
            for follow in lines[i + 1:]:
                if not follow.strip():
                    break
                block.append(follow)
            texts.append(" ".join(block))
    return texts


def note_states(path: Path) -> dict[str, str]:
    """Cue id -> state from a `NOTE workbench-states` block."""
    text = path.read_text(encoding="utf-8-sig")
    m = re.search(r"^NOTE workbench-states\n((?:.+\n)*)", text, re.M)
    states = {}
    if m:
        for line in m.group(1).splitlines():
            state, *items = line.split()
            for item in items:
                lo, _, hi = item.partition("-")
                for n in range(int(lo), int(hi or lo) + 1):
                    states[str(n)] = state
    return states


def expected_counts(languages: list[str]) -> dict:
    expected: dict[tuple[str, str], dict] = {}
    units: Counter = Counter()
    words: Counter = Counter()
    per_module_keys: dict[str, list[tuple[str, str]]] = {}
    for pot in sorted((REPO / "locales").glob("*.pot")):
        module = pot.stem
        for entry in polib.pofile(str(pot)):
            if entry.obsolete:
                continue
            units[module] += 1
            words[module] += words_of(entry.msgid)
            per_module_keys.setdefault(module, []).append(("po", entry.msgctxt or entry.msgid))
    for vtt in sorted((REPO / "subtitles").glob("*.vtt")):
        module = vtt.stem.split("-")[0]
        ids = cue_ids(vtt)
        units[module] += len(ids)
        words[module] += sum(words_of(t) for t in cue_texts(vtt))
    for lang in languages:
        for module in units:
            counts = Counter()
            po = REPO / "locales" / lang / "LC_MESSAGES" / f"{module}.po"
            if po.is_file():
                for entry in polib.pofile(str(po)):
                    if entry.obsolete:
                        continue
                    forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
                    if not any(forms):
                        counts["untranslated"] += 1
                    elif "fuzzy" in entry.flags:
                        counts["draft"] += 1
                    elif "approved" in entry.flags:
                        counts["approved"] += 1
                    else:
                        counts["translated"] += 1
            for vtt in sorted((REPO / "subtitles").glob(f"{module}-*.vtt")):
                translated = REPO / "subtitles" / lang / vtt.name
                if translated.is_file():
                    states = note_states(translated)
                    for cue in cue_ids(translated):
                        counts[states.get(cue, "translated")] += 1
            counts["untranslated"] += units[module] - sum(counts.values())
            expected[(lang, module)] = {"units": units[module], "words": words[module],
                                        "counts": {s: counts[s] for s in
                                                   ("untranslated", "draft", "translated", "approved")}}
    return expected


@pytest.mark.skipif(not (REPO / "locales").is_dir(), reason="the demo course has no catalogs yet")
def test_status_json_matches_the_files(demo_dir, capsys):
    assert main(["--project", str(demo_dir), "import"]) == 0
    capsys.readouterr()
    assert main(["--project", str(demo_dir), "status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # all 13 languages x 3 modules: the source first (what there is to translate), then the 12 targets
    assert data["source_language"] == "fr" and data["modules"] == ["m1", "m2", "m3"]
    assert len(data["languages"]) == 13 and data["languages"][0] == "fr"
    assert len(data["rows"]) == 13 * 3
    targets = data["languages"][1:]
    expected = expected_counts(targets)
    got = {(r["language"], r["module"]): {"units": r["units"], "words": r["words"], "counts": r["counts"]}
           for r in data["rows"] if not r["source"]}
    assert got == expected
    source = {r["module"]: (r["units"], r["words"]) for r in data["rows"] if r["source"]}
    assert [r["language"] for r in data["rows"] if r["source"]] == ["fr"] * 3
    assert source == {m: (expected[(targets[0], m)]["units"], expected[(targets[0], m)]["words"])
                      for m in ("m1", "m2", "m3")}
    # the demo is what the issue describes: English complete, de/es partial in every state, others empty
    for module in ("m1", "m2", "m3"):
        assert got[("en", module)]["counts"]["untranslated"] == 0
        assert got[("nl", module)]["counts"]["untranslated"] == got[("nl", module)]["units"]
    for lang in ("de", "es"):
        totals = Counter()
        for module in ("m1", "m2", "m3"):
            totals.update(got[(lang, module)]["counts"])
        assert all(totals[s] > 0 for s in ("untranslated", "draft", "translated", "approved")), (lang, totals)


@pytest.mark.skipif(not (REPO / "locales").is_dir(), reason="the demo course has no catalogs yet")
@pytest.mark.parametrize("modules", [[], ["m1"], ["m2", "m3"]])
def test_status_by_kind_adds_up_to_the_status_by_module(demo_dir, capsys, modules):
    assert main(["--project", str(demo_dir), "import"]) == 0
    capsys.readouterr()
    only = [a for m in modules for a in ("--module", m)]
    assert main(["--project", str(demo_dir), "status", "--json", *only]) == 0
    by_module = json.loads(capsys.readouterr().out)
    assert main(["--project", str(demo_dir), "status", "--json", "--by", "kind", *only]) == 0
    by_kind = json.loads(capsys.readouterr().out)
    assert by_kind["by"] == "kind" and by_kind["kinds"] == ["text", "quiz", "subtitle"]
    assert by_kind["languages"] == by_module["languages"]

    def totals(data: dict) -> dict[str, Counter]:
        found: dict[str, Counter] = {}
        for row in data["rows"]:
            total = found.setdefault(row["language"], Counter())
            total.update({"units": row["units"], "words": row["words"], **row.get("counts", {})})
        return found

    assert totals(by_kind) == totals(by_module)
    subtitles = {r["language"]: r for r in by_kind["rows"] if r["kind"] == "subtitle"}
    cues = sum(len(cue_ids(vtt)) for vtt in (REPO / "subtitles").glob("m*.vtt")
               if not modules or vtt.name.split("-")[0] in modules)
    assert subtitles["fr"]["units"] == cues and subtitles["de"]["units"] == cues
    # the table says the same, a row per language and kind
    assert main(["--project", str(demo_dir), "status", "--by", "kind", "--lang", "de", *only]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["lang", "kind"]
    assert [line.split()[:3] for line in lines[2:]] == [
        ["de", r["kind"], str(r["units"])] for r in by_kind["rows"] if r["language"] == "de"]


def test_status_by_kind_of_an_unknown_module_is_one_line(demo_dir, capsys):
    assert main(["--project", str(demo_dir), "import"]) == 0
    capsys.readouterr()
    assert main(["--project", str(demo_dir), "status", "--by", "kind", "--module", "m9"]) == 2
    assert capsys.readouterr().err.strip() == "workbench: unknown module 'm9': this project has m1, m2, m3"

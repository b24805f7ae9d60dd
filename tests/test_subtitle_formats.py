"""WebVTT and SRT adapters: strict reading with every problem's line, faithful writing, escaping."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
import webvtt

from workbench.domain.errors import FormatErrors
from workbench.domain.states import State
from workbench.domain.translations import Translation
from workbench.formats.base import ExportOptions, SourceDocument
from workbench.formats.srt import SrtFormat, parse_srt
from workbench.formats.subtitle_common import Problems, duplicate_keys, format_states, parse_states
from workbench.formats.vtt import VttFormat, parse_vtt

FIXTURES = Path(__file__).parent / "fixtures" / "subtitles"
SOURCE = FIXTURES / "course" / "subtitles" / "m1-v1-demo.vtt"
GERMAN = FIXTURES / "course" / "subtitles" / "de" / "m1-v1-demo.vtt"
ITALIAN = FIXTURES / "course" / "subtitles" / "it" / "m1-v1-demo.srt"
VIDEO = "m1-v1-demo"


def parse(text: str | bytes):
    problems = Problems("t.vtt")
    parsed = parse_vtt(text.encode("utf-8") if isinstance(text, str) else text, problems)
    return parsed, problems


def read_source(path: Path = SOURCE, resource: str = VIDEO) -> SourceDocument:
    return VttFormat().read_source(path, resource=resource, module="m1", display_path=path.name)


# -- reading the source ------------------------------------------------------------------

def test_source_with_every_kind_of_block():
    doc = read_source()
    units = doc.units
    assert [u.key for u in units] == [f"{VIDEO}/1", f"{VIDEO}/2", f"{VIDEO}/3", f"{VIDEO}/#4",
                                      f"{VIDEO}/intro-fin"]
    assert [u.extra["identifier"] for u in units] == ["1", "2", "3", None, "intro-fin"]
    assert [(u.start_ms, u.end_ms) for u in units] == [
        (1000, 3500), (4000, 7000), (7200, 9000), (9500, 12000), (72100, 74000)]
    assert units[0].cue_settings == "position:10%,line-left align:start line:90% size:80%"
    assert units[1].cue_settings == "region:bas"
    # voices are taken off the text and kept
    assert units[0].source == "Bonjour à toutes et à tous !"
    assert units[0].extra["voice"] == "Nadia"
    assert (units[2].extra["voice_tag"], units[2].extra["voice_closed"]) == ("<v.loud Karim>", True)
    # entities decoded, tags kept
    assert units[1].source == "Tri & Co : 3 < 5 > 2 et 100\u00a0%"
    assert units[3].source == "Un repère <i>sans</i> identifiant,\nsur <b>deux</b> lignes."
    # the NOTE before a cue is a comment for translators
    assert units[2].comments == "Une note entre deux repères."
    meta = doc.meta
    assert meta["bom"] is True and meta["newline"] == "\r\n"
    assert meta["signature"] == "WEBVTT - Démo"
    assert meta["header_lines"] == ["Kind: captions", "Language: fr"]
    assert [(b["kind"], b["before"]) for b in meta["blocks"]] == [
        ("note", f"{VIDEO}/1"), ("style", f"{VIDEO}/1"), ("region", f"{VIDEO}/1"),
        ("note", f"{VIDEO}/3"), ("note", None)]
    assert meta["blocks"][2]["lines"][1:] == ["id:bas", "width:40%", "lines:3", "regionanchor:0%,100%",
                                              "viewportanchor:10%,90%", "scroll:up"]
    assert meta["warnings"] == []


@pytest.mark.parametrize("text,expected", [
    # what browsers accept: no hours, hours of any width, a cue right after the header line,
    # a cue right after another without a blank line, header text after a tab, CR line ends
    ("WEBVTT\n\n00:01.000 --> 00:02.500\nA\n", [(1000, 2500, "A")]),
    ("WEBVTT\n\n100:00:01.000 --> 100:00:02.000\nA\n", [(360001000, 360002000, "A")]),
    ("WEBVTT\n00:01.000 --> 00:02.000\nA\n", [(1000, 2000, "A")]),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:03.000 --> 00:04.000\nB\n",
     [(1000, 2000, "A"), (3000, 4000, "B")]),
    ("WEBVTT\tsous-titres\n\n00:01.000 --> 00:02.000\nA", [(1000, 2000, "A")]),
    ("WEBVTT\r\r00:01.000 --> 00:02.000\rA\rB\r", [(1000, 2000, "A\nB")]),
    ("WEBVTT\n\n00:01.000-->00:02.000 align:start\nA\n", [(1000, 2000, "A")]),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\n\n", [(1000, 2000, "")]),
    ("WEBVTT", []),
])
def test_accepted(text, expected):
    parsed, problems = parse(text)
    assert not problems.errors, [e.message for e in problems.errors]
    assert [(c.start_ms, c.end_ms, c.text) for c in parsed.cues] == expected


def test_short_times_are_written_short():
    doc = read_source_text("WEBVTT\n\n1\n00:01.000 --> 00:02.000\nA\n")
    out = export(doc, {"v/1": "B"})[".vtt"].decode()
    assert "00:01.000 --> 00:02.000" in out and "00:00:01.000" not in out


def read_source_text(text: str) -> SourceDocument:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "v.vtt"
        path.write_bytes(text.encode("utf-8"))
        return VttFormat().read_source(path, resource="v", module="m1", display_path="v.vtt")


# -- errors ------------------------------------------------------------------------------

def test_three_malformed_cues_are_all_reported_and_nothing_is_read():
    path = FIXTURES / "broken" / "three-bad-cues.vtt"
    with pytest.raises(FormatErrors) as info:
        VttFormat().read_source(path, resource="v", module="m1", display_path="subtitles/v.vtt")
    lines = info.value.lines()
    assert [l.split(":")[1] for l in lines] == ["8", "12", "16"]
    assert "bad start time" in lines[0] and "'.'" in lines[0]
    assert "bad timing line" in lines[1]
    assert "ends before it starts" in lines[2]
    assert all(l.startswith("subtitles/v.vtt:") for l in lines)


@pytest.mark.parametrize("text,line,fragment", [
    ("1\n00:01.000 --> 00:02.000\nA\n", 1, "missing WEBVTT header"),
    ("WEBVTTX\n\n00:01.000 --> 00:02.000\nA\n", 1, "missing WEBVTT header"),
    ("WEBVTT\n\n00:01.00 --> 00:02.000\nA\n", 3, "three digits"),
    ("WEBVTT\n\n00:61.000 --> 01:02.000\nA\n", 3, "below 60"),
    ("WEBVTT\n\n1:02.000 --> 00:03:00.000\nA\n", 3, "bad start time"),
    ("WEBVTT\n\n00:01.000 --> \nA\n", 3, "bad end time"),
    ("WEBVTT\n\n00:01.000 00:02.000\nA\n", 3, "bad timing line"),
    ("WEBVTT\n\n00:02.000 --> 00:02.000\nA\n", 3, "ends when it starts"),
    ("WEBVTT\n\n1\n00:01.000 --> 00:02.000\nA\n\n1\n00:03.000 --> 00:04.000\nB\n", 7, "already used at line 3"),
    ("WEBVTT\n\nBonjour tout le monde\n", 3, "neither a cue"),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nSTYLE\n::cue { color: red }\n", 6, "after the first cue"),
    ("WEBVTT\n\nNOTE\n00:01.000 --> 00:02.000\n", 3, "NOTE block must not contain '-->'"),
    (b"WEBVTT\n\n00:01.000 --> 00:02.000\n\xe9t\xe9\n", 4, "not UTF-8"),
])
def test_errors_with_their_line(text, line, fragment):
    parsed, problems = parse(text)
    duplicate_keys(parsed.cues, "v", problems)
    assert problems.errors, "expected an error"
    first = problems.errors[0]
    assert first.line == line, first.message
    assert fragment in first.message


def test_overlap_and_ignored_settings_are_warnings():
    doc = read_source_text("WEBVTT\n\n1\n00:01.000 --> 00:03.000 align:middle\nA\n\n"
                           "2\n00:02.000 --> 00:04.000 colour:red\nB\n")
    assert len(doc.units) == 2
    warnings = doc.meta["warnings"]
    assert any(":4: cue setting 'align:middle' has a bad value" in w for w in warnings)
    assert any(":8: cue setting 'colour:red' is unknown" in w for w in warnings)
    assert any(":7: cue overlaps the previous cue (line 3) by 1000 ms" in w for w in warnings)


def test_stray_less_than_is_a_warning():
    doc = read_source_text("WEBVTT\n\n1\n00:01.000 --> 00:03.000\n3 < 5\n")
    assert doc.units[0].source == "3 < 5"
    assert any("'&lt;'" in w for w in doc.meta["warnings"])


# -- translated files --------------------------------------------------------------------

def read_translation(path: Path, fmt=None, doc: SourceDocument | None = None):
    doc = doc or read_source()
    fmt = fmt or (SrtFormat() if path.suffix == ".srt" else VttFormat())
    return fmt.read_translation(path, language="xx", source=doc, units=doc.units, display_path=path.name)


def test_translation_with_states():
    t = read_translation(GERMAN)
    states = {k.split("/", 1)[1]: e.state for k, e in t.entries.items()}
    assert states == {"1": State.APPROVED, "2": State.TRANSLATED, "3": State.DRAFT, "#4": State.DRAFT,
                      "intro-fin": State.APPROVED}
    assert t.entries[f"{VIDEO}/1"].forms == ("Hallo zusammen!",)          # the voice is the source's
    assert t.entries[f"{VIDEO}/2"].forms == ("Tri & Co: 3 < 5 > 2 und 100\u00a0%",)
    assert t.meta["header_lines"] == ["Kind: captions", "Language: de"]
    assert not any("workbench-states" in b["lines"][0] for b in t.meta["blocks"])


def test_partial_translation_and_matching_by_timing(tmp_path):
    path = tmp_path / "de.vtt"
    path.write_text("WEBVTT\n\n00:00:09.500 --> 00:00:12.000\nNur dieser.\n\n"
                    "99\n00:00:20.000 --> 00:00:21.000\nUnbekannt.\n", encoding="utf-8")
    t = read_translation(path)
    assert {k: e.forms for k, e in t.entries.items()} == {f"{VIDEO}/#4": ("Nur dieser.",)}
    assert any("matches no source cue" in w for w in t.meta["warnings"])
    assert t.meta["unknown_entries"] == 1


def test_untranslated_cues_showing_the_source_are_not_translations(tmp_path):
    path = tmp_path / "de.vtt"
    path.write_text("WEBVTT\n\nNOTE workbench-states\nuntranslated 1 2\n\n"
                    "1\n00:00:01.000 --> 00:00:03.500\n<v Nadia>Bonjour à toutes et à tous !\n\n"
                    "2\n00:00:04.000 --> 00:00:07.000\nTri &amp; Co, übersetzt\n", encoding="utf-8")
    t = read_translation(path)
    assert {k: (e.forms, e.state) for k, e in t.entries.items()} == {
        f"{VIDEO}/2": (("Tri & Co, übersetzt",), State.TRANSLATED)}


@pytest.mark.parametrize("block,fragment", [
    ("NOTE workbench-states\nfinished 1\n", "unknown state 'finished'"),
    ("NOTE workbench-states\napproved 3-1\n", "runs backwards"),
    ("NOTE workbench-states\napproved 1\ndraft 1\n", "listed as approved at line 4 and as draft"),
])
def test_bad_states_block(tmp_path, block, fragment):
    path = tmp_path / "de.vtt"
    path.write_text(f"WEBVTT\n\n{block}\n1\n00:00:01.000 --> 00:00:03.500\nHallo\n", encoding="utf-8")
    with pytest.raises(FormatErrors) as info:
        read_translation(path)
    assert fragment in str(info.value)


def test_states_lines_round_trip():
    pairs = [("1", State.APPROVED), ("2", State.APPROVED), ("3", State.APPROVED), ("4", State.DRAFT),
             ("5", State.TRANSLATED), ("6", State.APPROVED), ("#7", State.UNTRANSLATED),
             ("intro", State.DRAFT)]
    lines = format_states(pairs)
    assert lines == ["NOTE workbench-states", "approved 1-3 6", "draft 4 intro", "untranslated #7"]
    parsed = parse_states(lines, 1, Problems("x"))
    assert parsed == {k: s for k, s in pairs if s is not State.TRANSLATED}
    assert format_states([("1", State.TRANSLATED)]) is None


# -- SRT ---------------------------------------------------------------------------------

def test_srt_translation_with_italics():
    t = read_translation(ITALIAN)
    texts = {k.split("/", 1)[1]: e.forms[0] for k, e in t.entries.items()}
    assert texts == {
        "1": "Buongiorno a tutte e a tutti!",
        "2": "Tri & Co: 3 < 5 > 2 e 100 %",
        "3": "Andiamo?",
        "#4": "Un cue <i>senza</i> identificativo,\nsu <b>due</b> righe.",
        "intro-fin": "<u>Arrivederci</u> e <i>grazie</i>.",
    }
    assert all(e.state is State.TRANSLATED for e in t.entries.values())


@pytest.mark.parametrize("text,line,fragment", [
    ("00:00:01,000 --> 00:00:02,000\nA\n", 1, "cue number missing"),
    ("1\n00:00:01,000 -> 00:00:02,000\nA\n", 2, "bad timing line"),
    ("1\n00:00:01,000 --> 00:00:02,000\nA\n\nB\n", 5, "blank line inside the cue at line 1"),
    ("1\n00:00:03,000 --> 00:00:02,000\nA\n", 2, "ends before it starts"),
    ("1\n00:00:01,000 --> 00:00:02,000\nA\n\n1\n00:00:03,000 --> 00:00:04,000\nB\n", 5, "already used"),
    ("1\n", 2, "no timing line"),
])
def test_srt_errors(tmp_path, text, line, fragment):
    path = tmp_path / "x.srt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatErrors) as info:
        read_translation(path)
    first = info.value.errors[0]
    assert (first.line, fragment in first.message) == (line, True), first.message


def test_srt_ass_overrides_are_dropped_with_a_warning(tmp_path):
    path = tmp_path / "x.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,500\n{\\an8}Ciao!\n", encoding="utf-8")
    t = read_translation(path)
    assert t.entries[f"{VIDEO}/1"].forms == ("Ciao!",)
    assert any("{\\an8}" in w for w in t.meta["warnings"])


def test_srt_is_not_a_source_format():
    with pytest.raises(Exception) as info:
        SrtFormat().read_source(ITALIAN, resource="v", module="m1", display_path="v.srt")
    assert "must be WebVTT" in str(info.value)


# -- writing -----------------------------------------------------------------------------

def translations_for(doc: SourceDocument, texts: dict[str, str], state: State = State.TRANSLATED):
    return {k: Translation(key=k, resource=doc.resource, language="de", forms=(v,), state=state)
            for k, v in texts.items()}


def export(doc: SourceDocument, texts: dict[str, str], *, options: ExportOptions = ExportOptions(),
           state: State = State.TRANSLATED, language_meta: dict | None = None) -> dict[str, bytes]:
    result = VttFormat().write_translation(
        language="de", units=doc.units, translations=translations_for(doc, texts, state),
        meta={"source": doc.meta, "language": language_meta}, options=options)
    return result.outputs


TRICKY = [
    "3 < 5 & 7 > 2",
    "A --> B",
    "-->",
    "a -- > b <-- c",
    "<<>> &&",
    "&amp; est une entité, &lt; aussi",
    "x<y et <3",
    "<i>gardé</i> < pas une balise >",
    "Tom & Jerry\n<b>deux</b> lignes",
    "NOTE au début",
    "00:00:01.000 --> 00:00:02.000",
]


@pytest.mark.parametrize("text", TRICKY)
def test_text_survives_vtt_export_and_reimport(tmp_path, text):
    doc = read_source()
    key = f"{VIDEO}/2"
    out = export(doc, {key: text})
    path = tmp_path / "de.vtt"
    path.write_bytes(out[".vtt"])
    back = read_translation(path, doc=doc)
    assert back.entries[key].forms == (text,)
    assert len(back.entries) == 1          # the other cues show the source and stay untranslated


@pytest.mark.parametrize("text", TRICKY)
def test_text_survives_srt_export_and_reimport(tmp_path, text):
    doc = read_source()
    key = f"{VIDEO}/2"
    out = export(doc, {key: text})
    path = tmp_path / "de.srt"
    path.write_bytes(out[".srt"])
    back = read_translation(path, doc=doc)
    assert back.entries[key].forms == (text,)


def test_export_escapes_and_other_readers_agree(tmp_path):
    doc = read_source()
    out = export(doc, {f"{VIDEO}/2": "3 < 5 & 7 > 2 --> fin"})
    vtt = out[".vtt"].decode("utf-8-sig")
    assert "3 &lt; 5 &amp; 7 &gt; 2 --&gt; fin" in vtt
    srt = out[".srt"].decode("utf-8-sig")
    assert "3 < 5 & 7 > 2 --> fin" in srt                        # SRT has no entities
    # an independent reader (webvtt-py) sees the same cues and times
    captions = webvtt.from_buffer(io.StringIO(vtt.replace("\r\n", "\n")))
    assert [(c.start_in_seconds, c.end_in_seconds) for c in captions] == [
        (u.start_ms // 1000, u.end_ms // 1000) for u in doc.units]
    (tmp_path / "de.srt").write_text(srt, encoding="utf-8")
    srt_captions = webvtt.from_srt(str(tmp_path / "de.srt"))
    assert [(c.start, c.end) for c in srt_captions] == [(c.start, c.end) for c in captions]
    assert srt_captions[1].raw_text == "3 < 5 & 7 > 2 --> fin"


def test_export_keeps_times_identifiers_settings_voices_blocks_bom_and_crlf():
    doc = read_source()
    out = export(doc, {u.key: f"T{i}" for i, u in enumerate(doc.units)})
    raw = out[".vtt"]
    assert raw.startswith(b"\xef\xbb\xbfWEBVTT - D\xc3\xa9mo\r\n")
    parsed, problems = parse(raw)
    assert not problems.errors
    source, _ = parse(SOURCE.read_bytes())
    assert parsed.header_lines == ["Kind: captions", "Language: de"]
    assert [(b.kind, b.lines, b.before) for b in parsed.blocks] == \
        [(b.kind, b.lines, b.before) for b in source.blocks]
    for mine, theirs in zip(parsed.cues, source.cues, strict=True):
        assert (mine.identifier, mine.start_ms, mine.end_ms, mine.settings) == \
            (theirs.identifier, theirs.start_ms, theirs.end_ms, theirs.settings)
    assert parsed.cues[0].text == "<v Nadia>T0"
    assert parsed.cues[2].text == "<v.loud Karim>T2</v>"
    assert [s.lines for s in parsed.states] == []          # all "translated": no states block


def test_line_ends_in_stored_text_are_normalised():
    doc = read_source()
    out = export(doc, {f"{VIDEO}/2": "eins\r\nzwei\rdrei\n\nvier"})
    assert "\r\neins\r\nzwei\r\ndrei\r\nvier\r\n" in out[".vtt"].decode("utf-8-sig")
    assert "\r\neins\r\nzwei\r\ndrei\r\nvier\r\n" in out[".srt"].decode("utf-8-sig")


def test_srt_export_keeps_formatting_and_drops_webvtt_only_tags():
    doc = read_source()
    out = export(doc, {f"{VIDEO}/1": "<i>Hallo</i> <b>alle</b>",
                       f"{VIDEO}/3": "<c.loud>Laut</c> und <u>klar</u>"})
    srt = out[".srt"].decode("utf-8-sig").replace("\r\n", "\n")
    assert "1\n00:00:01,000 --> 00:00:03,500\n<i>Hallo</i> <b>alle</b>\n" in srt
    assert "3\n00:00:07,200 --> 00:00:09,000\nLaut und <u>klar</u>\n" in srt
    assert "<v" not in srt
    vtt = out[".vtt"].decode("utf-8-sig").replace("\r\n", "\n")
    assert "<v.loud Karim><c.loud>Laut</c> und <u>klar</u></v>\n" in vtt
    # identifiers are not all numbers: SRT numbers the cues 1..n
    assert [line for line in srt.split("\n\n")][4].startswith("5\n00:01:12,100 --> 00:01:14,000")


@pytest.mark.parametrize("options,written,fallbacks,omitted,cues", [
    (ExportOptions(), 2, 3, 0, 5),
    (ExportOptions(fallback_to_source=False), 2, 0, 3, 2),
    (ExportOptions(approved_only=True), 1, 4, 0, 5),
    (ExportOptions(approved_only=True, fallback_to_source=False), 1, 0, 4, 1),
])
def test_fallback_or_omission_is_counted(options, written, fallbacks, omitted, cues):
    doc = read_source()
    translations = translations_for(doc, {f"{VIDEO}/1": "Hallo"}, State.APPROVED)
    translations.update(translations_for(doc, {f"{VIDEO}/2": "Zwei"}, State.DRAFT))
    result = VttFormat().write_translation(language="de", units=doc.units, translations=translations,
                                           meta={"source": doc.meta, "language": None}, options=options)
    assert (result.written, result.fallbacks, result.omitted) == (written, fallbacks, omitted)
    parsed, problems = parse(result.outputs[".vtt"])
    assert not problems.errors and len(parsed.cues) == cues
    srt_cues, _ = parse_srt(result.outputs[".srt"], Problems("x.srt"))
    assert len(srt_cues) == cues
    states_text = "\n".join(l for b in parsed.states for l in b.lines)
    if options.approved_only:
        assert "workbench-states" not in result.outputs[".vtt"].decode("utf-8-sig")
    else:
        assert "approved 1" in states_text and "draft 2" in states_text
        assert ("untranslated" in states_text) == options.fallback_to_source
    # the blocks stay where they belong even when their cue is left out
    assert b"STYLE" in result.outputs[".vtt"]
    text = result.outputs[".vtt"].decode("utf-8-sig")
    assert text.index("STYLE") < text.index("-->")

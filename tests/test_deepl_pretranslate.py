"""Pre-translation through the real `deepl` library and the local server: requests, errors, the key."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import MetaData, select

from deepl_fixtures import RETRIES, SECRET_KEY, deepl_env, deepl_server, fast_retries  # noqa: F401
from workbench.cli import main
from workbench.mt.deepl_provider import DeepLProvider
from workbench.services.pretranslate import PretranslateStopped, pretranslate, term_glossary

from test_mt_pretranslate import human_rows, missing_units, rows_of


@pytest.fixture
def deepl(demo_wb, deepl_server):
    p = DeepLProvider(auth_key=SECRET_KEY, server_url=deepl_server.url,
                      state_path=demo_wb.project.database_path.parent / "deepl-glossary.json")
    yield p
    p.close()


def translate_bodies(server, target):
    return [r.body for r in server.translate_requests() if r.body["target_lang"] == target]


def test_requests_carry_glossary_formality_context_and_tags(demo_wb, deepl, deepl_server):
    pretranslate(demo_wb, languages=["de", "hr"], modules=["m1"], provider=deepl)
    pretranslate(demo_wb, languages=["bg"], modules=["m1"], kinds=["text"], provider=deepl)
    # one multilingual glossary for every target language but Croatian, uploaded once
    [create] = deepl_server.glossary_writes()
    assert create.method == "POST"
    pairs = {(d["source_lang"], d["target_lang"]) for d in create.body["dictionaries"]}
    assert {("FR", t) for t in ("DE", "BG", "EN", "IT", "ES", "NL", "PL", "EL", "LV", "RO", "SL")} == pairs
    glossary_id = next(iter(deepl_server.glossaries))
    de, hr, bg = (translate_bodies(deepl_server, t) for t in ("DE", "HR", "BG"))
    assert de and hr and bg
    # German: the glossary, the project's formality (less), tag handling with ignore tags
    for body in de:
        assert body["glossary_id"] == glossary_id and body["source_lang"] == "FR"
        assert body["formality"] == "less"
        assert body["tag_handling"] == "xml" and body["ignore_tags"] == ["x"]
    # Croatian: no glossary, no tag handling, plain text
    for body in hr:
        assert "glossary_id" not in body and "tag_handling" not in body and "ignore_tags" not in body
    # Bulgarian: the glossary, no formality setting in the project
    assert all(b["glossary_id"] == glossary_id and "formality" not in b for b in bg)
    # cues: one per request, neighbours as context, no sentence splitting
    cue_bodies = [b for b in de if b.get("context")]
    assert cue_bodies
    assert all(len(b["text"]) == 1 and b["split_sentences"] == "0" for b in cue_bodies)
    text_bodies = [b for b in de if not b.get("context")]
    assert all("split_sentences" not in b for b in text_bodies)
    # the glossary's preferred terms are in the drafts
    entries = term_glossary(demo_wb, ["de"]).entries("fr", "de")
    used = []
    for text in (text for b in de for text in b["text"]):
        found = [s for s in entries if s in text]
        # a term inside a longer term of the same text gives way to it (as in DeepL)
        used += [(s, entries[s]) for s in found if not any(s != o and s in o for o in found)]
    assert used
    drafts = " ".join(" ".join(v[1].split()) for v in rows_of(demo_wb, "de").values() if v[3] == "mt:deepl")
    assert [t for _, t in used if t not in drafts] == []


def test_glossary_entries_are_the_preferred_terms(demo_wb):
    glossary = term_glossary(demo_wb, ["de", "hr", "en"])
    de = glossary.entries("fr", "de")
    assert de["entreprise sociale"] == "Sozialunternehmen"
    assert "ESS" not in glossary.entries("fr", "en")           # admitted, not preferred
    assert glossary.entries("fr", "hr")                          # kept for providers that can use it


@pytest.mark.parametrize("homonym_target, in_glossary", [
    ("Sozialunternehmen", True),         # the same target term: the glossary can force it
    ("Unternehmensgeist", False),        # another one: forcing either would be wrong half the time
])
def test_a_source_homonym_is_in_the_glossary_only_when_its_concepts_agree(demo_wb, homonym_target, in_glossary):
    from workbench.domain.terms import Concept, Term
    from workbench.services.terms import add_concept

    before = term_glossary(demo_wb, ["de"]).entries("fr", "de")
    add_concept(demo_wb, Concept("entreprise-sociale-bis", {"fr": (Term("entreprise sociale"),),
                                                            "de": (Term(homonym_target),)}), homonyms=True)
    de = term_glossary(demo_wb, ["de"]).entries("fr", "de")
    assert ("entreprise sociale" in de) is in_glossary
    if in_glossary:
        assert de["entreprise sociale"] == "Sozialunternehmen"
    others = {k: v for k, v in before.items() if k != "entreprise sociale"}
    assert others and {k: v for k, v in de.items() if k != "entreprise sociale"} == others


def test_glossary_not_uploaded_again_on_the_next_run(demo_wb, deepl, deepl_server):
    pretranslate(demo_wb, languages=["de"], kinds=["text"], modules=["m1"], provider=deepl)
    writes = len(deepl_server.glossary_writes())
    again = DeepLProvider(auth_key=SECRET_KEY, server_url=deepl_server.url,
                          state_path=demo_wb.project.database_path.parent / "deepl-glossary.json")
    pretranslate(demo_wb, languages=["de"], kinds=["text"], modules=["m2"], provider=again)
    assert len(deepl_server.glossary_writes()) == writes


def test_quota_stops_keeps_what_was_done_and_says_what_remains(demo_wb, deepl, deepl_server):
    human = human_rows(demo_wb, "hr") | human_rows(demo_wb, "de")
    missing = missing_units(demo_wb, "hr", kinds=["text"])
    total_units = len(missing)
    total_texts = sum(2 if plural is not None else 1 for _, _, plural, _ in missing)
    deepl_server.set_quota(1500)
    with pytest.raises(PretranslateStopped) as info:
        pretranslate(demo_wb, languages=["hr"], kinds=["text"], provider=deepl, batch_texts=5)
    done = {k for k, v in rows_of(demo_wb, "hr").items() if v[3] == "mt:deepl"}
    remain = total_units - len(done)
    assert 0 < len(done) < total_units
    message = str(info.value)
    assert "quota" in message and f"{remain} unit(s) remain" in message and f"{len(done)} draft(s)" in message
    assert deepl_server.translate_requests()[-1].status == 456
    sent_ok = [t for r in deepl_server.translate_requests() if r.status == 200 for t in r.body["text"]]
    # the next billing period: run again, only what is missing is sent
    deepl_server.set_quota(None)
    deepl_server.requests.clear()
    report = pretranslate(demo_wb, languages=["hr"], kinds=["text"], provider=deepl, batch_texts=5)
    assert report.translated["hr"] == remain
    sent_again = [t for r in deepl_server.translate_requests() for t in r.body["text"]]
    assert len(sent_ok) + len(sent_again) == total_texts
    assert missing_units(demo_wb, "hr", kinds=["text"]) == []
    after = rows_of(demo_wb, "hr") | rows_of(demo_wb, "de")
    for key, row in human.items():
        assert after[key] == row


def test_a_term_base_change_replaces_only_that_dictionary(demo_wb, deepl, deepl_server):
    """The path a coordinator takes: the term base file changes, the next run re-syncs only the
    language pair whose preferred terms changed; an admitted or forbidden term changes nothing."""
    from workbench.domain.terms import Term, TermStatus
    from workbench.services.terms import edit_concept

    pretranslate(demo_wb, languages=["it"], kinds=["quiz"], modules=["m1"], provider=deepl)
    assert [r.method for r in deepl_server.glossary_writes()] == ["POST"]
    # not preferred terms: the glossary's content is the same, nothing is uploaded
    edit_concept(demo_wb, "cooperative", lambda c: c.with_term("de", Term("Kooperative", TermStatus.FORBIDDEN))
                 .with_term("it", Term("coop", TermStatus.ADMITTED)))
    pretranslate(demo_wb, languages=["it"], kinds=["quiz"], modules=["m2"], provider=deepl)
    assert [r.method for r in deepl_server.glossary_writes()] == ["POST"]
    # a preferred Italian term changes: that dictionary alone is replaced, and used
    edit_concept(demo_wb, "cooperative", lambda c: c.with_term("it", Term("cooperativa", TermStatus.ADMITTED))
                 .with_term("it", Term("cooperativa sociale")))
    pretranslate(demo_wb, languages=["it"], kinds=["text"], modules=["m1"], provider=deepl)
    writes = deepl_server.glossary_writes()
    assert [r.method for r in writes] == ["POST", "PUT"]
    assert (writes[-1].body["source_lang"], writes[-1].body["target_lang"]) == ("FR", "IT")
    entries = dict(line.split("\t") for line in writes[-1].body["entries"].splitlines())
    assert entries["coopérative"] == "cooperativa sociale"
    assert "coop" not in entries.values() and "Kooperative" not in writes[-1].body["entries"]
    assert entries == term_glossary(demo_wb, ["it"]).entries("fr", "it")
    glossary_id = next(iter(deepl_server.glossaries))
    assert {b["glossary_id"] for b in translate_bodies(deepl_server, "IT")} == {glossary_id}


def test_quota_in_the_second_request_of_a_batch_keeps_the_first(demo_wb, deepl, deepl_server):
    """DeepL takes 50 texts a request: a batch of more is sent in several; when the quota runs out
    in a later one, what the earlier ones translated (and DeepL billed) is written, not thrown away."""
    from workbench.services.pretranslate import candidates

    cands = candidates(demo_wb, "hr", kinds={"text"})
    texts = [t for c in cands for t in c.texts]
    assert len(texts) > 50
    deepl_server.set_quota(sum(len(t) for t in texts[:50]))        # Croatian: plain text, billed as is
    with pytest.raises(PretranslateStopped) as info:
        pretranslate(demo_wb, languages=["hr"], kinds=["text"], provider=deepl, batch_texts=len(texts))
    assert [r.status for r in deepl_server.translate_requests()] == [200, 456]
    whole, sent = [], 0
    for c in cands:
        sent += len(c.texts)
        if sent > 50:
            break
        whole.append((c.resource, c.key))
    written = {k for k, v in rows_of(demo_wb, "hr").items() if v[3] == "mt:deepl"}
    assert written == set(whole)
    assert f"{len(whole)} draft(s) written" in str(info.value)
    assert f"{len(cands) - len(whole)} unit(s) remain" in str(info.value)


@pytest.mark.parametrize("lever, expected", [
    (lambda s: s.fail(429, 100), "too many requests"),
    (lambda s: s.fail(503, 100), "server error"),
    (lambda s: s.drop(100), "cannot reach DeepL"),
])
def test_failures_after_retries_stop_cleanly(demo_wb, deepl, deepl_server, lever, expected):
    deepl.prepare_glossary(term_glossary(demo_wb, ["it"]), source="fr")
    lever(deepl_server)
    with pytest.raises(PretranslateStopped, match=expected):
        pretranslate(demo_wb, languages=["it"], kinds=["text"], provider=deepl)
    assert rows_of(demo_wb, "it") == {} or {v[0] for v in rows_of(demo_wb, "it").values()} == {"untranslated"}


def test_retried_failures_are_invisible(demo_wb, deepl, deepl_server):
    deepl_server.fail(503, RETRIES)
    report = pretranslate(demo_wb, languages=["it"], kinds=["quiz"], modules=["m1"], provider=deepl)
    assert report.translated["it"] > 0


def test_a_retry_is_shown_where_the_progress_is(demo_wb, deepl, deepl_server):
    shown: list[tuple[int, int, str]] = []
    deepl_server.fail(503, 1)
    report = pretranslate(demo_wb, languages=["it"], kinds=["quiz"], modules=["m1"], provider=deepl,
                          progress=lambda done, total, what: shown.append((done, total, what)))
    assert report.translated["it"] > 0
    retries = [s for s in shown if s[2].startswith("DeepL: no answer, retry 1/")]
    assert retries and retries[0][1] == sum(report.translated.values())     # (of all there was to do)
    assert deepl.on_wait is None                    # not left behind on the caller's provider


def dump_database(wb) -> str:
    meta = MetaData()
    meta.reflect(wb.store.engine)
    out = []
    with wb.store.engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)):
                out.append(repr(tuple(row)))
    return "\n".join(out)


def test_the_key_never_appears_in_database_log_or_messages(demo_dir, deepl_env, tmp_path, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    toml = demo_dir / "workbench.toml"
    toml.write_text(toml.read_text().replace('provider = "fake"', 'provider = "deepl"'))
    db = f"sqlite:///{tmp_path / 'wb.db'}"
    assert main(["-C", str(demo_dir), "--db", db, "--user", "coordinator", "import"]) == 0
    assert main(["-C", str(demo_dir), "--db", db, "--user", "coordinator", "pretranslate",
                 "--lang", "de", "hr", "--module", "m1", "--kind", "text"]) == 0
    deepl_env.set_quota(0)
    assert main(["-C", str(demo_dir), "--db", db, "--user", "coordinator", "pretranslate",
                 "--lang", "it", "--module", "m1", "--kind", "text"]) == 2
    deepl_env.set_quota(None)
    deepl_env.invalid_keys.add(SECRET_KEY)
    assert main(["-C", str(demo_dir), "--db", db, "--user", "coordinator", "pretranslate",
                 "--lang", "it", "--module", "m1"]) == 2
    out = capsys.readouterr()
    assert "403" in out.err and "quota" in out.err
    from workbench.services.context import Workbench

    wb = Workbench.open(demo_dir, db=db, user="coordinator")
    try:
        database = dump_database(wb)
        assert "mt:deepl" in database
    finally:
        wb.close()
    files = "\n".join(p.read_text(errors="replace") for p in (demo_dir / ".workbench").rglob("*")
                      if p.is_file() and p.suffix in (".json", ".log", ".txt"))
    raw_db = (tmp_path / "wb.db").read_bytes()
    for text in (database, caplog.text, out.out, out.err, files):
        assert SECRET_KEY not in text
        assert SECRET_KEY[:8] not in text
    assert SECRET_KEY.encode() not in raw_db


def test_cli_dry_run_sends_nothing(demo_dir, deepl_env, tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'wb.db'}"
    toml = demo_dir / "workbench.toml"
    toml.write_text(toml.read_text().replace('provider = "fake"', 'provider = "deepl"'))
    assert main(["-C", str(demo_dir), "--db", db, "import"]) == 0
    assert main(["-C", str(demo_dir), "--db", db, "pretranslate", "--lang", "hr", "de", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "hr" in out and "de" in out and "total" in out and "characters" in out
    assert deepl_env.requests == []


def test_ctrl_c_half_way_then_again_sends_only_what_is_missing(demo_wb, deepl, deepl_server):
    human = human_rows(demo_wb, "de")
    missing = missing_units(demo_wb, "de", kinds=["text", "quiz-question", "quiz-choice", "quiz-feedback"])
    expected_texts = sum(2 if plural is not None else 1 for _, _, plural, _ in missing)

    def stop_half_way(done, total, what):
        if done >= total // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pretranslate(demo_wb, languages=["de"], kinds=["text", "quiz"], provider=deepl, batch_texts=7,
                     progress=stop_half_way)
    first = [t for r in deepl_server.translate_requests() for t in r.body["text"]]
    written = {k for k, v in rows_of(demo_wb, "de").items() if v[3] == "mt:deepl"}
    assert 0 < len(written) < len(missing)
    deepl_server.requests.clear()
    pretranslate(demo_wb, languages=["de"], kinds=["text", "quiz"], provider=deepl, batch_texts=7)
    second = [t for r in deepl_server.translate_requests() for t in r.body["text"]]
    assert len(first) + len(second) == expected_texts
    assert missing_units(demo_wb, "de", kinds=["text", "quiz-question", "quiz-choice", "quiz-feedback"]) == []
    after = rows_of(demo_wb, "de")
    for key, row in human.items():
        assert after[key] == row


def test_glossary_upload_refused_stops_before_any_translation(demo_wb, deepl, deepl_server):
    deepl_server.fail(400, 1)
    with pytest.raises(PretranslateStopped, match=r"uploading the term base as a deepl glossary: .*\(400\)"):
        pretranslate(demo_wb, languages=["de"], kinds=["text"], provider=deepl)
    assert deepl_server.translate_requests() == []

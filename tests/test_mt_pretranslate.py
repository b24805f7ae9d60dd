"""Pre-translation: the dry run's counts, drafts with their history, interrupt and resume, human text kept."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import and_, select

from workbench.domain.translations import Origin
from workbench.mt.fake import FakeProvider
from workbench.services.pretranslate import candidates, pretranslate
from workbench.storage import repository as repo

T, U, R, C = repo.T, repo.U, repo.R, repo.C


def rows_of(wb, language):
    """(resource, key) -> (state, text, origin, version) of every translation row of a language."""
    with wb.store.engine.connect() as conn:
        q = (select(R.c.name, U.c.key, T.c.state, T.c.text, T.c.plurals, T.c.origin, T.c.version)
             .join(U, U.c.id == T.c.unit_id).join(R, R.c.id == U.c.resource_id).where(T.c.language == language))
        return {(r.name, r.key): (r.state, r.text, r.plurals, r.origin, r.version) for r in conn.execute(q)}


def missing_units(wb, language, *, kinds=None, modules=None):
    """Counted independently: live units with no row or an untranslated row."""
    with wb.store.engine.connect() as conn:
        q = (select(U.c.id, U.c.source, U.c.source_plural, U.c.kind).outerjoin(
            T, and_(T.c.unit_id == U.c.id, T.c.language == language))
            .where(U.c.obsolete.is_(False)).where((T.c.id.is_(None)) | (T.c.state == "untranslated")))
        if kinds:
            q = q.where(U.c.kind.in_(kinds))
        if modules:
            q = q.where(U.c.module.in_(modules))
        return conn.execute(q).all()


def human_rows(wb, language):
    return {k: v for k, v in rows_of(wb, language).items() if v[0] != "untranslated"}


def test_dry_run_counts_units_and_characters_per_language(demo_wb):
    fake = FakeProvider()
    report = pretranslate(demo_wb, languages=["de", "hr"], dry_run=True, provider=fake)
    assert fake.calls == []
    for lang in ("de", "hr"):
        expected = missing_units(demo_wb, lang)
        assert report.plans[lang].units == len(expected) > 0
        chars = sum(len(" ".join(s.split())) if kind == "cue" else len(s) + len(p or "")
                    for _, s, p, kind in expected)
        assert report.plans[lang].characters == chars
    assert report.plans["hr"].units > report.plans["de"].units
    assert rows_of(demo_wb, "hr") == {}


def test_drafts_with_history_and_human_text_untouched(demo_wb):
    before = human_rows(demo_wb, "de")
    report = pretranslate(demo_wb, languages=["de"], kinds=["text", "quiz"], provider=FakeProvider())
    after = rows_of(demo_wb, "de")
    for key, row in before.items():
        assert after[key] == row, key
    new = {k: v for k, v in after.items() if k not in before}
    assert len(new) == report.translated["de"] > 0
    assert {v[0] for v in new.values()} == {"draft"}
    assert {v[3] for v in new.values()} == {"mt:fake"}
    assert all(v[1].startswith("[de] ") for v in new.values())
    with demo_wb.store.engine.connect() as conn:
        changes = conn.execute(select(C.c.action, C.c.origin, C.c.new_state, C.c.user)
                               .where(C.c.origin == Origin.machine("fake"))).all()
    assert len(changes) == len(new)
    assert {(c.action, c.new_state, c.user) for c in changes} == {("suggest", "draft", "coordinator")}
    # plural units get every form of the language
    plural = [v for v in new.values() if v[2]]
    for v in plural:
        assert len(json.loads(v[2])) >= 2
    # a second run has nothing left to send
    fake = FakeProvider()
    again = pretranslate(demo_wb, languages=["de"], kinds=["text", "quiz"], provider=fake)
    assert again.units == 0 and fake.calls == []


def test_cues_are_sent_one_by_one_with_context_and_rebroken(demo_wb):
    fake = FakeProvider()
    pretranslate(demo_wb, languages=["hr"], modules=["m1"], kinds=["subtitle"], provider=fake)
    assert fake.calls and all(len(c["texts"]) == 1 for c in fake.calls)
    assert all(not c["options"].split_sentences for c in fake.calls)
    assert all(c["options"].context for c in fake.calls)
    second = fake.calls[1]
    assert fake.calls[0]["texts"][0] in second["options"].context
    assert fake.calls[2]["texts"][0] in second["options"].context
    assert second["texts"][0] not in second["options"].context
    texts = [v[1] for v in rows_of(demo_wb, "hr").values()]
    assert all(len(line) <= 42 or " " not in line for t in texts for line in t.split("\n"))


class Interrupting(FakeProvider):
    """Stops with Ctrl-C after `after` batches."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after

    def translate(self, texts, *, source, target, options):
        if len(self.calls) >= self.after:
            raise KeyboardInterrupt
        return super().translate(texts, source=source, target=target, options=options)


def test_interrupted_run_resumes_with_only_what_is_missing(demo_wb):
    human = human_rows(demo_wb, "es")
    missing = missing_units(demo_wb, "es", kinds=["text", "quiz-question", "quiz-choice", "quiz-feedback"])
    total = len(missing)
    expected_texts = sum(2 if plural is not None else 1 for _, _, plural, _ in missing)
    first = Interrupting(after=1)
    with pytest.raises(KeyboardInterrupt):
        pretranslate(demo_wb, languages=["es"], kinds=["text", "quiz"], provider=first, batch_texts=5)
    sent_first = [t for c in first.calls for t in c["texts"]]
    done = {k: v for k, v in rows_of(demo_wb, "es").items() if v[3] == "mt:fake"}
    assert 0 < len(done) < total
    second = FakeProvider()
    pretranslate(demo_wb, languages=["es"], kinds=["text", "quiz"], provider=second, batch_texts=5)
    sent_second = [t for c in second.calls for t in c["texts"]]
    # every text was sent once: what the first run translated is not sent again
    missing_texts = sum(2 if plural is not None else 1 for _, _, plural, _ in
                        missing_units(demo_wb, "es", kinds=["text", "quiz-question", "quiz-choice",
                                                            "quiz-feedback"]))
    assert missing_texts == 0
    assert len(sent_first) + len(sent_second) == expected_texts
    assert len(done) + len({k for k, v in rows_of(demo_wb, "es").items() if v[3] == "mt:fake"} - set(done)) == total
    assert missing_units(demo_wb, "es", kinds=["text", "quiz-question", "quiz-choice", "quiz-feedback"]) == []
    after = rows_of(demo_wb, "es")
    for key, row in human.items():
        assert after[key] == row


class HumanArrives(FakeProvider):
    """While a batch is being translated, a person saves one of its units."""

    def __init__(self, wb, language) -> None:
        super().__init__()
        self.wb, self.language, self.taken = wb, language, None

    def translate(self, texts, *, source, target, options):
        out = super().translate(texts, source=source, target=target, options=options)
        if self.taken is None:
            from workbench.services.editing import get_translation, save_translation

            cand = candidates(self.wb, self.language, kinds={"text"})[0]
            t = get_translation(self.wb, resource=cand.resource, key=cand.key, language=self.language)
            save_translation(self.wb, resource=cand.resource, key=cand.key, language=self.language,
                             forms=["Mein eigener Text"], base_version=t.version, draft=True)
            self.taken = (cand.resource, cand.key)
        return out


def test_a_text_a_person_saved_meanwhile_is_kept(demo_wb):
    provider = HumanArrives(demo_wb, "hr")
    report = pretranslate(demo_wb, languages=["hr"], kinds=["text"], provider=provider)
    row = rows_of(demo_wb, "hr")[provider.taken]
    assert row[:2] == ("draft", "Mein eigener Text") and row[3] == "human"
    assert [(l, r, k) for l, r, k, _ in report.kept] == [("hr", *provider.taken)]


@pytest.mark.parametrize("args, error", [
    (dict(languages=["fr"]), "source language"),
    (dict(languages=["xx"]), "unknown language"),
    (dict(languages=None), "--lang"),
    (dict(languages=["de"], kinds=["video"]), "unknown kind"),
    (dict(languages=["de"], modules=["m9"]), "unknown module"),
])
def test_bad_arguments(demo_wb, args, error):
    from workbench.domain.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match=error):
        pretranslate(demo_wb, dry_run=True, provider=FakeProvider(), **args)


def test_machine_suggestion_for_one_unit_writes_nothing(demo_wb):
    from workbench.domain.errors import NotFoundError
    from workbench.services.pretranslate import machine_suggestion

    before = rows_of(demo_wb, "de")
    key = next(k for k, v in before.items() if v[0] == "approved" and not v[2])
    fake = FakeProvider()
    forms = machine_suggestion(demo_wb, resource=key[0], key=key[1], language="de", provider=fake)
    assert len(forms) == 1 and forms[0].startswith("[de] ")
    assert fake.calls[0]["options"].formality == "less"
    assert rows_of(demo_wb, "de") == before
    with pytest.raises(NotFoundError):
        machine_suggestion(demo_wb, resource="m1", key="nope", language="de", provider=fake)

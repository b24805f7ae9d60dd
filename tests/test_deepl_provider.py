"""The DeepL provider against a local server: what we send, and how we handle what comes back."""

from __future__ import annotations

import logging

import pytest

from deepl_fixtures import RETRIES, SECRET_KEY, deepl_env, deepl_server, fast_retries  # noqa: F401
from deepl_server import free_port
from workbench.mt.base import (
    Glossary, MtAuthError, MtConfigError, MtConnectionError, MtError, MtQuotaError,
    MtUnavailableError, TranslateOptions,
)
from workbench.mt.deepl_provider import (
    DeepLProvider, deepl_formality, deepl_target, load_auth_key,
)

GLOSSARY = Glossary("ESS", {
    ("fr", "de"): {"économie sociale et solidaire": "Sozial- und Solidarwirtschaft", "coopérative": "Genossenschaft"},
    ("fr", "en"): {"coopérative": "cooperative"},
    ("fr", "hr"): {"coopérative": "zadruga"},
    ("fr", "it"): {"coopérative": "cooperativa"},
})


@pytest.fixture
def provider(deepl_server, tmp_path):
    p = DeepLProvider(auth_key=SECRET_KEY, server_url=deepl_server.url,
                      state_path=tmp_path / ".workbench" / "deepl-glossary.json")
    yield p
    p.close()


def body(server):
    return server.last_request.body


@pytest.mark.parametrize("code, target", [
    ("en", "EN-GB"), ("en-GB", "EN-GB"), ("en-US", "EN-US"), ("de", "DE"), ("nl-BE", "NL"),
    ("hr", "HR"), ("el", "EL"), ("sl", "SL"), ("pt", "PT-PT"), ("pt-BR", "PT-BR"),
])
def test_language_mapping(code, target):
    assert deepl_target(code) == target


@pytest.mark.parametrize("code, asked, sent", [
    ("de", "less", "less"), ("fr", "more", "more"), ("pl", "less", "less"), ("nl", "more", "more"),
    ("en", "less", "prefer_less"), ("bg", "more", "prefer_more"), ("hr", "less", "prefer_less"),
    ("el", "prefer_more", "prefer_more"), ("de", "default", None), ("it", None, None),
])
def test_formality_mapping(code, asked, sent):
    assert deepl_formality(code, asked) == sent


def test_plain_batch_is_one_request_with_source_and_target(provider, deepl_server):
    out = provider.translate(["Bonjour", "Merci"], source="fr", target="en", options=TranslateOptions())
    assert [s.text for s in out] == ["EN-GB: Bonjour", "EN-GB: Merci"]
    assert {s.provider for s in out} == {"deepl"}
    sent = body(deepl_server)
    assert sent["text"] == ["Bonjour", "Merci"]
    assert (sent["source_lang"], sent["target_lang"]) == ("FR", "EN-GB")
    assert deepl_server.last_request.auth_key == SECRET_KEY
    assert "glossary_id" not in sent and "context" not in sent and "formality" not in sent


@pytest.mark.parametrize("target, asked, sent", [("de", "less", "less"), ("en", "more", "prefer_more"),
                                                   ("it", None, None)])
def test_formality_is_sent(provider, deepl_server, target, asked, sent):
    provider.translate(["Vous pouvez"], source="fr", target=target, options=TranslateOptions(formality=asked))
    assert body(deepl_server).get("formality") == sent


def test_subtitle_cue_goes_with_context_and_no_sentence_splitting(provider, deepl_server):
    options = TranslateOptions(context="Bonjour à tous.\nAujourd'hui, on parle d'écoute.", split_sentences=False)
    provider.translate(["Vous êtes prêts ?"], source="fr", target="de", options=options)
    sent = body(deepl_server)
    assert sent["context"] == options.context
    assert sent["split_sentences"] == "0"
    assert sent["text"] == ["Vous êtes prêts ?"]


def test_markup_is_protected_with_xml_and_ignore_tags(provider, deepl_server):
    text = "Bonjour %(name)s, lisez [le guide](https://ess.example/guide) et <b>{0}</b> !"
    out = provider.translate([text], source="fr", target="de", options=TranslateOptions())
    sent = body(deepl_server)
    assert sent["tag_handling"] == "xml"
    assert sent["ignore_tags"] == ["x"]
    assert '<x i="0">%(name)s</x>' in sent["text"][0]
    assert '<a i="1">le guide</a>' in sent["text"][0]
    assert out[0].text == "DE: " + text


def test_croatian_gets_plain_text_no_tags_no_glossary(provider, deepl_server):
    provider.prepare_glossary(GLOSSARY, source="fr")
    text = "Bonjour %(name)s, la coopérative <b>ouvre</b>"
    out = provider.translate([text], source="fr", target="hr",
                             options=TranslateOptions(glossary=GLOSSARY.entries("fr", "hr"), formality="less"))
    sent = body(deepl_server)
    assert sent["text"] == [text]
    for absent in ("tag_handling", "ignore_tags", "glossary_id"):
        assert absent not in sent
    assert sent["formality"] == "prefer_less"
    assert out[0].text == "HR: " + text


def test_glossary_is_one_multilingual_glossary_without_croatian(provider, deepl_server):
    provider.prepare_glossary(GLOSSARY, source="fr")
    [create] = deepl_server.glossary_writes()
    assert create.method == "POST" and create.path == "/v3/glossaries"
    pairs = {(d["source_lang"], d["target_lang"]) for d in create.body["dictionaries"]}
    assert pairs == {("FR", "DE"), ("FR", "EN"), ("FR", "IT")}
    glossary_id = next(iter(deepl_server.glossaries))
    out = provider.translate(["La coopérative"], source="fr", target="de",
                             options=TranslateOptions(glossary=GLOSSARY.entries("fr", "de")))
    assert body(deepl_server)["glossary_id"] == glossary_id
    assert body(deepl_server)["source_lang"] == "FR"
    assert out[0].text == "DE: La Genossenschaft"
    provider.translate(["La coopérative"], source="fr", target="en",
                       options=TranslateOptions(glossary=GLOSSARY.entries("fr", "en")))
    assert body(deepl_server)["glossary_id"] == glossary_id


def test_glossary_is_not_uploaded_again_when_unchanged(deepl_server, tmp_path):
    state = tmp_path / ".workbench" / "deepl-glossary.json"
    first = DeepLProvider(auth_key=SECRET_KEY, server_url=deepl_server.url, state_path=state)
    first.prepare_glossary(GLOSSARY, source="fr")
    assert len(deepl_server.glossary_writes()) == 1
    # a later run (a new provider, same state file): the hash matches, nothing is uploaded
    second = DeepLProvider(auth_key=SECRET_KEY, server_url=deepl_server.url, state_path=state)
    second.prepare_glossary(GLOSSARY, source="fr")
    assert len(deepl_server.glossary_writes()) == 1
    # one term changes: only that dictionary is replaced
    changed = Glossary("ESS", {**GLOSSARY.dictionaries, ("fr", "it"): {"coopérative": "cooperativa sociale"}})
    second.prepare_glossary(changed, source="fr")
    writes = deepl_server.glossary_writes()
    assert len(writes) == 2
    assert writes[-1].method == "PUT" and writes[-1].body["target_lang"] == "IT"
    assert SECRET_KEY not in state.read_text()


def test_glossary_deleted_on_the_server_is_created_again(provider, deepl_server):
    provider.prepare_glossary(GLOSSARY, source="fr")
    deepl_server.glossaries.clear()
    again = DeepLProvider(auth_key=SECRET_KEY, server_url=deepl_server.url, state_path=provider._state.path)
    again.prepare_glossary(GLOSSARY, source="fr")
    assert len(deepl_server.glossaries) == 1
    assert [r.method for r in deepl_server.glossary_writes()] == ["POST", "POST"]


def test_wrong_key(deepl_server):
    p = DeepLProvider(auth_key="invalid", server_url=deepl_server.url)
    with pytest.raises(MtAuthError, match="403"):
        p.translate(["x"], source="fr", target="de", options=TranslateOptions())


def test_quota_exceeded(provider, deepl_server):
    deepl_server.set_quota(5)
    with pytest.raises(MtQuotaError, match="quota"):
        provider.translate(["Bonjour le monde"], source="fr", target="de", options=TranslateOptions())


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retried_then_succeeds(provider, deepl_server, status):
    deepl_server.fail(status, RETRIES)
    out = provider.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())
    assert out[0].text == "DE: Bonjour"
    assert len(deepl_server.translate_requests()) == RETRIES + 1


@pytest.mark.parametrize("status, match", [(429, "too many requests"), (500, "server error"),
                                           (503, "server error")])
def test_still_failing_after_retries(provider, deepl_server, status, match):
    deepl_server.fail(status, 100)
    with pytest.raises(MtUnavailableError, match=match):
        provider.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())
    assert len(deepl_server.translate_requests()) == RETRIES + 1


@pytest.mark.parametrize("lever", ["503", "drop"])
def test_each_retry_is_told_to_whoever_waits(provider, deepl_server, lever):
    told: list[str] = []
    provider.on_wait = told.append
    deepl_server.fail(503, RETRIES) if lever == "503" else deepl_server.drop(RETRIES)
    out = provider.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())
    assert out[0].text == "DE: Bonjour"
    assert [line.split(" in ")[0] for line in told] == [f"DeepL: no answer, retry {n}/{RETRIES}"
                                                        for n in range(1, RETRIES + 1)]
    assert all(SECRET_KEY not in line for line in told)
    # nobody waiting: nothing told, and the library's logger is as it was
    provider.on_wait = None
    deepl_server.fail(503, 1)
    provider.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())
    assert len(told) == RETRIES and not logging.getLogger("deepl").handlers


def test_dropped_connection_is_retried(provider, deepl_server):
    deepl_server.drop(1)
    out = provider.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())
    assert out[0].text == "DE: Bonjour"


def test_dropped_connections_give_a_clear_message(provider, deepl_server):
    deepl_server.drop(100)
    with pytest.raises(MtConnectionError, match="cannot reach DeepL"):
        provider.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())


def test_no_network(fast_retries):
    p = DeepLProvider(auth_key=SECRET_KEY, server_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(MtConnectionError, match="cannot reach DeepL"):
        p.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())


def test_more_than_fifty_texts_are_split(provider, deepl_server):
    texts = [f"phrase {i}" for i in range(120)]
    out = provider.translate(texts, source="fr", target="de", options=TranslateOptions())
    assert [s.text for s in out] == [f"DE: phrase {i}" for i in range(120)]
    assert [len(r.body["text"]) for r in deepl_server.translate_requests()] == [50, 50, 20]


def test_key_from_env_then_user_file(tmp_path):
    assert load_auth_key(env={"DEEPL_AUTH_KEY": " k1 ", "HOME": str(tmp_path)}) == "k1"
    key_file = tmp_path / "xdg" / "workbench" / "deepl.key"
    key_file.parent.mkdir(parents=True)
    key_file.write_text("k2\n")
    assert load_auth_key(env={"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)}) == "k2"
    with pytest.raises(MtConfigError, match="inside the course project"):
        load_auth_key(env={"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)},
                      project_root=tmp_path)
    with pytest.raises(MtConfigError, match="no DeepL key"):
        load_auth_key(env={"HOME": str(tmp_path / "nobody")})


@pytest.mark.parametrize("bad", ["abc def", "abc\ndef:fx", "abc\tdef"])
def test_a_malformed_key_is_refused_without_showing_it(deepl_server, bad):
    with pytest.raises(MtConfigError) as info:
        DeepLProvider(auth_key=bad, server_url=deepl_server.url)
    assert "abc" not in str(info.value) and "def" not in str(info.value).replace("default", "")
    assert deepl_server.requests == []


def test_key_never_in_messages_logs_or_repr(deepl_server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    messages = []
    p = DeepLProvider(auth_key=SECRET_KEY, server_url=deepl_server.url, state_path=tmp_path / "g.json")
    p.prepare_glossary(GLOSSARY, source="fr")
    p.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())
    for lever in (lambda: deepl_server.set_quota(1), lambda: deepl_server.fail(503, 100),
                  lambda: deepl_server.fail(400, 1), lambda: deepl_server.drop(100)):
        deepl_server.set_quota(None)
        lever()
        with pytest.raises(MtError) as info:
            p.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())
        messages.append(str(info.value))
    deepl_server.drop(0)
    deepl_server.fail(0, 0)
    deepl_server.invalid_keys.add(SECRET_KEY)
    with pytest.raises(MtAuthError) as info:
        p.translate(["Bonjour"], source="fr", target="de", options=TranslateOptions())
    messages.append(str(info.value))
    assert len(messages) == 5
    for text in [*messages, caplog.text, repr(p), (tmp_path / "g.json").read_text()]:
        assert SECRET_KEY not in text
        assert SECRET_KEY.split("-")[0] not in text


def test_only_the_waiting_threads_retries_are_told():
    from workbench.mt.deepl_provider import _RetryNotice

    told: list[str] = []
    notice = _RetryNotice(told.append, RETRIES)
    record = logging.LogRecord("deepl", logging.INFO, __file__, 0,
                               "Starting retry 1 for request POST /v2/translate after sleeping for 2.00 seconds.",
                               None, None)
    notice.emit(record)
    assert told == [f"DeepL: no answer, retry 1/{RETRIES} in 2 s"]
    record.thread = -1                      # another thread's request
    notice.emit(record)
    assert len(told) == 1

"""Markup protection for MT, the fake provider, and the provider registry."""

from __future__ import annotations

import pytest

from workbench.mt.base import MtConfigError, TranslateOptions
from workbench.mt.fake import FakeProvider
from workbench.mt.markup import atoms, protect
from workbench.mt.registry import PROVIDERS, create_provider


@pytest.mark.parametrize("text, expected", [
    ("Bonjour %(name)s !", ["%(name)s"]),
    ("%s et %d et %1$s et %.2f", ["%s", "%d", "%1$s", "%.2f"]),
    ("100 % sûr, 50 %", []),
    ("{0} et {name} et {{ var }}", ["{0}", "{name}", "{{ var }}"]),
    ("<b>gras</b> et <br/>", ["<b>", "</b>", "<br/>"]),
    ("<v Nadia><c.loud>Oui</c>", ["<v Nadia>", "<c.loud>", "</c>"]),
    (r"{\an8}En haut", [r"{\an8}"]),
    ("Voir [le guide](https://ess.example/g) et ![logo](logo.png)", ["https://ess.example/g", "logo.png"]),
    ("Lien nu https://ess.example/a?b=1 ici", ["https://ess.example/a?b=1"]),
    ("a < b & c > d", []),
    ("`code` &nbsp;", ["`code`", "&nbsp;"]),
])
def test_atoms(text, expected):
    assert atoms(text) == expected


@pytest.mark.parametrize("text", [
    "Bonjour %(name)s, lisez [le guide](https://ess.example/guide) et <b>{0}</b> !",
    "a < b & c > d \"quoted\" 'apos'",
    "[%(n)d réponses](https://x.example/a_(b)) <i>ok</i>",
    "Deux lignes\net <00:01.500> un temps",
])
def test_protect_restore_round_trip(text):
    p = protect(text)
    assert "<x i=" in p.xml or "<a i=" in p.xml or not atoms(text)
    assert p.restore(p.xml).text == text
    assert p.restore(p.xml).missing == []


def test_restore_after_a_translation_moved_things():
    p = protect("Bonjour %(name)s, voir [le guide](https://g.example)")
    translated = 'Siehe <a i="1">die Anleitung</a>, hallo <x i="0">%(name)s</x>'
    assert p.restore(translated).text == "Siehe [die Anleitung](https://g.example), hallo %(name)s"
    lost = p.restore("Hallo, siehe die Anleitung")
    assert lost.text == "Hallo, siehe die Anleitung"
    assert lost.missing == ["%(name)s", "https://g.example"]


def test_fake_provider_is_marked_deterministic_and_keeps_placeholders():
    fake = FakeProvider()
    options = TranslateOptions(glossary={"entreprise sociale": "Sozialunternehmen"})
    text = "Une entreprise sociale accueille %(name)s sur [le site](https://ess.example/entreprise sociale)"
    [a] = fake.translate([text], source="fr", target="de", options=options)
    [b] = fake.translate([text], source="fr", target="de", options=options)
    assert a == b and a.provider == "fake"
    assert a.text == "[de] Une Sozialunternehmen accueille %(name)s sur [le site](https://ess.example/entreprise sociale)"
    assert atoms(a.text) == atoms(text)


def test_registry(tmp_path, monkeypatch):
    assert set(PROVIDERS) == {"deepl", "fake"}
    assert create_provider("fake", state_dir=tmp_path).id == "fake"
    with pytest.raises(MtConfigError, match="unknown"):
        create_provider("google", state_dir=tmp_path)
    # monkeypatch puts HOME and XDG_CONFIG_HOME back for the tests that follow
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with pytest.raises(MtConfigError, match="no DeepL key"):
        create_provider("deepl", state_dir=tmp_path)

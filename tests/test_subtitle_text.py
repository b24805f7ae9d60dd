"""Subtitle text rules: character counting as Subtitle Edit does, reading speed, line breaking."""

from __future__ import annotations

import random

import pytest
import regex

from workbench.domain.subtitles import (
    INVISIBLE, SHORT_WORDS, break_lines, count_chars, cue_metrics, ends_with_short_word, reading_speed,
    speed_advice, tokenize,
)


@pytest.mark.parametrize("text,raw,expected", [
    ("Bonjour", False, 7),
    ("Ça va ?", False, 7),                                   # spaces and punctuation count
    ("<i>Bonjour</i>", False, 7),                            # tags removed
    ("<v Nadia>Bonjour</v>", False, 7),
    ("<c.loud>Oui</c> <b>non</b> <u>!</u>", False, 9),
    ("<font color=\"red\">Rouge</font>", False, 5),
    ("{\\an8}Haut", False, 4),                               # ASS override removed
    ("<00:00:01.500>Mot", False, 3),                         # timestamp tag
    ("a < b", False, 5),                                     # a lone '<' is text
    ("Tri &amp; Co", True, 8),                               # entities decoded
    ("3 &lt; 5 &gt; 2", True, 9),
    ("100&nbsp;%", True, 5),
    ("Tri &amp; Co", False, 12),                             # stored text is already decoded
    ("e\u0301te\u0301", False, 3),                           # combining accents: one per cluster
    ("Ελληνικά", False, 8),
    ("👍🏽", False, 1),                                        # emoji with skin tone
    ("👨\u200d👩\u200d👧 ok", False, 4),                         # ZWJ family is one cluster
    ("🇫🇷🇩🇪", False, 2),                                       # flags
    ("Ligne un\nligne deux", False, 18),                     # line breaks not counted
    ("Ligne un\r\nligne deux", False, 18),
    ("a\u200bb\u200e\u202bc\u202c", False, 3),                # zero-width and bidi marks not counted
    ("\ufeffBOM", False, 3),
    ("", False, 0),
])
def test_count_chars(text, raw, expected):
    assert count_chars(text, decode_entities=raw) == expected


def test_below_the_combining_marks_each_character_is_a_cluster_of_its_own():
    """count_chars counts such text by its length: no character there joins its neighbours."""
    simple = r"[\p{Grapheme_Cluster_Break=Other}\p{Grapheme_Cluster_Break=Control}\p{Grapheme_Cluster_Break=CR}\p{Grapheme_Cluster_Break=LF}]"
    assert [hex(c) for c in range(0x300) if not regex.fullmatch(simple, chr(c))] == []
    assert not any(ch < "\u0300" for ch in INVISIBLE)


def test_counting_by_length_agrees_with_grapheme_clusters():
    def by_clusters(text: str) -> int:
        return sum(1 for c in regex.findall(r"\X", text)
                   if c not in ("\n", "\r\n", "\r") and not all(ch in INVISIBLE for ch in c))

    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x300)] + ["\r\n"] * 20 + ["\n"] * 20 + ["\r"] * 5
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        text = text.replace("<", " ").replace("{", " ")   # (no tags: they are removed before counting)
        assert count_chars(text) == by_clusters(text), repr(text)


@pytest.mark.parametrize("text,duration,expected", [
    ("a" * 34, 2000, 17.0),
    ("<i>" + "a" * 20 + "</i>", 1000, 20.0),
    ("ab\ncd", 1000, 4.0),
    ("", 0, 0.0),
])
def test_reading_speed(text, duration, expected):
    assert reading_speed(text, duration) == pytest.approx(expected)


def test_reading_speed_without_duration_is_infinite():
    assert reading_speed("abc", 0) == float("inf")


@pytest.mark.parametrize("chars,duration,limit,more_ms,fewer", [
    (35, 2000, 17, 100, 1),        # 2.059 s needed -> 0.1 s more; 34 fit
    (64, 3000, 17, 800, 13),       # 21.3 cps: 3.765 s needed
    (60, 3000, 20, 0, 0),          # exactly at the limit
    (100, 2000, 20, 3000, 60),
])
def test_speed_advice(chars, duration, limit, more_ms, fewer):
    advice = speed_advice(chars, duration, limit)
    assert (advice.more_ms, advice.fewer_chars) == (more_ms, fewer)
    # the advice is enough: with the extra time (or fewer characters) the cue is within the limit
    assert chars * 1000 <= limit * (duration + more_ms)
    assert (chars - fewer) * 1000 <= limit * duration


def test_cue_metrics():
    m = cue_metrics("<i>Bonjour</i> à tous,\net bienvenue !", 2000)
    assert m.line_lengths == (15, 14)
    assert m.chars == 29
    assert m.cps == pytest.approx(14.5)


def test_all_thirteen_languages_have_short_words():
    assert set(SHORT_WORDS) == {"fr", "en", "de", "nl", "it", "es", "pl", "bg", "hr", "el", "lv", "ro", "sl"}
    assert all(len(words) >= 15 for words in SHORT_WORDS.values())


def test_tokenize_keeps_tags_with_their_word():
    assert tokenize("<v Nadia>Bonjour à\n<i>tous</i> !") == ["<v Nadia>Bonjour", "à", "<i>tous</i>", "!"]


# -- line breaking -----------------------------------------------------------------------

SENTENCES = [
    ("fr", "Aujourd’hui, on va parler d’un sujet qui a l’air léger mais qui compte."),
    ("fr", "Elle sort parfois de plusieurs années sans emploi et ne connaît personne."),
    ("fr", "Pensez à une personne qui arrive pour son premier jour dans l’entreprise."),
    ("fr", "Bonjour à toutes et à tous, et bienvenue dans ce module !"),
    ("de", "Heute geht es um ein Thema, das harmlos wirkt, aber wichtig ist."),
    ("de", "Denken Sie an eine Person, die zum ersten Mal in den Betrieb kommt."),
    ("de", "Sie kennt niemanden und weiß nicht, wo die Kaffeemaschine steht."),
    ("pl", "Pomyśl o osobie, która przychodzi do pracy w pierwszy dzień."),
    ("pl", "Nikogo nie zna i nie wie, gdzie jest ekspres do kawy w biurze."),
    ("pl", "Rozmowa o pogodzie to sposób na nawiązanie kontaktu z zespołem."),
    ("el", "Σκεφτείτε ένα άτομο που έρχεται για την πρώτη του μέρα στη δουλειά."),
    ("el", "Δεν γνωρίζει κανέναν και δεν ξέρει πού είναι η καφετιέρα."),
    ("el", "Η κουβέντα για τον καιρό είναι ένας τρόπος να δημιουργήσουμε σχέσεις."),
    ("en", "Think of a person who arrives for their first day at the company."),
    ("nl", "Denk aan iemand die voor de eerste keer op het werk aankomt."),
    ("it", "Pensate a una persona che arriva per il suo primo giorno di lavoro."),
    ("es", "Piensen en una persona que llega para su primer día en la empresa."),
    ("bg", "Помислете за човек, който идва за първия си работен ден в предприятието."),
    ("hr", "Zamislite osobu koja dolazi na svoj prvi radni dan u poduzeće."),
    ("lv", "Iedomājieties cilvēku, kurš ierodas uz savu pirmo darba dienu uzņēmumā."),
    ("ro", "Gândiți-vă la o persoană care vine în prima zi de lucru la firmă."),
    ("sl", "Pomislite na osebo, ki pride na svoj prvi delovni dan v podjetje."),
]


@pytest.mark.parametrize("language,text", SENTENCES)
def test_break_lines_fits_is_bottom_heavy_and_never_after_a_short_word(language, text):
    result = break_lines(text, language, max_chars=42, max_lines=2)
    lines = result.text.split("\n")
    assert result.fits
    assert len(lines) == 2
    assert all(count_chars(line) <= 42 for line in lines)
    assert count_chars(lines[0]) <= count_chars(lines[1])            # bottom-heavy
    assert not ends_with_short_word(lines[0], language), lines[0]
    assert " ".join(lines) == text                                   # nothing lost or moved


@pytest.mark.parametrize("language,text,forbidden_end", [
    # the most balanced break would leave the article, preposition or conjunction at the line end
    ("fr", "Nous allons voir ensemble comment les équipes de la structure travaillent", "la"),
    ("de", "Wir sehen uns gemeinsam an, wie die Teams in der Struktur zusammenarbeiten", "der"),
    ("pl", "Zobaczymy razem, jak zespoły pracujące w naszej organizacji współpracują", "w"),
    ("el", "Θα δούμε μαζί πώς συνεργάζονται οι ομάδες της δομής στην καθημερινή δουλειά", "της"),
])
def test_break_lines_moves_short_words_down(language, text, forbidden_end):
    result = break_lines(text, language)
    top = result.text.split("\n")[0]
    assert result.fits
    assert not ends_with_short_word(top, language)
    assert top.split()[-1].casefold() != forbidden_end


def test_one_line_when_it_fits():
    assert break_lines("Bonjour à toutes\net à tous !", "fr").text == "Bonjour à toutes et à tous !"


def test_break_after_punctuation_is_preferred():
    result = break_lines("Et pourtant, dans une entreprise sociale d’insertion,", "fr")
    assert result.text == "Et pourtant,\ndans une entreprise sociale d’insertion,"


def test_french_spaced_punctuation_stays_on_its_line():
    text = "Est-ce que vous avez déjà vécu cette situation au travail ?"
    lines = break_lines(text, "fr", max_chars=30).text.split("\n")
    assert not any(line.startswith("?") for line in lines)


def test_tags_are_kept_and_not_counted():
    text = "<i>Pensez à une personne qui arrive pour son premier jour dans l’entreprise.</i>"
    result = break_lines(text, "fr")
    assert result.fits
    assert result.text.startswith("<i>") and result.text.endswith("</i>")
    assert result.text.replace("\n", " ") == text


def test_no_break_spaces_hold_and_a_lone_dash_never_starts_a_line():
    text = "Il faut compter 100\u00a0% de votre temps – sans exception pour les équipes"
    lines = break_lines(text, "fr").text.split("\n")
    assert not any(line.startswith("–") for line in lines)
    assert "100\u00a0%" in " ".join(lines)
    narrow = break_lines("Il reste 100\u00a0% à faire", "fr", max_chars=12).text.split("\n")
    assert narrow == ["Il reste", "100\u00a0% à faire"]


def test_dialogue_keeps_one_speaker_per_line():
    text = "- Vous venez souvent ici ?\n- Tous les jours."
    result = break_lines(text, "fr")
    assert result.text == text and not result.changed and result.fits


def test_three_lines_when_allowed():
    text = ("Pensez à une personne qui arrive pour son premier jour, "
            "elle ne connaît personne dans l’équipe.")
    assert not break_lines(text, "fr", max_lines=2).fits
    result = break_lines(text, "fr", max_lines=3)
    lines = result.text.split("\n")
    assert result.fits and len(lines) == 3
    assert all(not ends_with_short_word(line, "fr") for line in lines[:-1])


def test_too_long_to_fit_is_reported():
    text = "mot " * 30
    result = break_lines(text.strip(), "fr")
    assert not result.fits
    assert len(result.text.split("\n")) == 2

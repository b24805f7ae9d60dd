"""`workbench terms import` and homonyms: a file that brings a term another concept has in the same
language is refused as a whole (one line per homonym) unless --homonym accepts it, as `terms add`
does; an accepted or recorded homonym is not reported again, and our own export imports clean."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.cli import main

HEADER = "concept,language,term,status,homonym_of\n"


def cli(project: Path, *args: str) -> int:
    return main(["--project", str(project), "--user", "coordinator", "terms", *args])


@pytest.fixture
def project(demo_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return demo_dir


def _glossaries(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "glossaries").iterdir())}


def _terms(project: Path, capsys, concept: str, language: str) -> list[dict]:
    capsys.readouterr()
    assert cli(project, "show", concept, "--json") == 0
    return json.loads(capsys.readouterr().out)["terms"].get(language, [])


REFUSED = [   # the file's rows, then the homonym lines the refusal must print (in any order)
    pytest.param("es-juridique,fr,entreprise sociale,preferred,\n",
                 ["the fr term 'entreprise sociale' is a term of concepts entreprise-sociale, es-juridique"],
                 id="a new concept with a stored concept's term"),
    pytest.param("es-juridique,fr,Entreprise Sociale,preferred,\n",
                 ["the fr term 'Entreprise Sociale' is a term of concepts entreprise-sociale, es-juridique"],
                 id="case is ignored"),
    pytest.param("a-one,fr,ressourcerie,preferred,\na-two,fr,ressourcerie,admitted,\n",
                 ["the fr term 'ressourcerie' is a term of concepts a-one, a-two"],
                 id="two new concepts of the file"),
    pytest.param("wise,fr,entreprise sociale,admitted,\n",
                 ["the fr term 'entreprise sociale' is a term of concepts entreprise-sociale, wise"],
                 id="a stored concept given another concept's term"),
    pytest.param("x-one,fr,entreprise sociale,preferred,\nx-one,de,Genossenschaft,preferred,\n",
                 ["the fr term 'entreprise sociale' is a term of concepts entreprise-sociale, x-one",
                  "the de term 'Genossenschaft' is a term of concepts cooperative, x-one"],
                 id="one line per homonym"),
    pytest.param("x-one,fr,entreprise sociale,preferred,cooperative\n",
                 ["the fr term 'entreprise sociale' is a term of concepts entreprise-sociale, x-one"],
                 id="recorded against another concept only"),
]


@pytest.mark.parametrize("rows,lines", REFUSED)
def test_a_file_with_an_undecided_homonym_is_refused_as_a_whole(project, capsys, tmp_path, rows, lines):
    incoming = tmp_path / "incoming.csv"
    incoming.write_text(HEADER + "recyclerie,fr,recyclerie solidaire,preferred,\n" + rows, encoding="utf-8")
    before = _glossaries(project)
    assert cli(project, "import", str(incoming)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert sorted(err[:-1]) == sorted(f"workbench: {incoming}: {line}" for line in lines)
    assert err[-1].startswith(f"workbench: {incoming}: refused, nothing written: {len(lines)} homonym(s)")
    assert "--homonym" in err[-1]
    assert _glossaries(project) == before          # nothing written, not even the clean concept


@pytest.mark.parametrize("rows,lines", REFUSED)
def test_homonym_accepts_them_says_so_and_records_them(project, capsys, tmp_path, rows, lines):
    incoming = tmp_path / "incoming.csv"
    incoming.write_text(HEADER + rows, encoding="utf-8")
    assert cli(project, "import", str(incoming), "--homonym") == 0
    out = capsys.readouterr()
    assert sorted(out.err.strip().splitlines()) == sorted(
        f"workbench: {incoming}: {line}: recorded as a deliberate homonym (--homonym)" for line in lines)
    # the next import of the same file is clean: the decision is in the term base
    assert cli(project, "import", str(incoming)) == 0
    out = capsys.readouterr()
    assert out.err == "" and "0 concept(s) added, 0 updated" in out.out


CLEAN = [   # files that bring no undecided homonym: imported without a word on stderr
    pytest.param("wise,fr,entreprise sociale d'insertion,preferred,\n", id="a concept keeping its own term"),
    pytest.param("es-juridique,fr,entreprise sociale,preferred,entreprise-sociale\n",
                 id="a homonym the file records as deliberate"),
    pytest.param("a-one,fr,ressourcerie,preferred,\na-two,fr,ressourcerie,admitted,a-one\n",
                 id="two concepts of the file, one recording the other"),
    pytest.param("x-one,en,entreprise sociale,preferred,\n", id="the same text in another language"),
    pytest.param("x-one,fr,entreprise sociale agréée,preferred,\n", id="a longer term"),
    pytest.param("x-bio,fr,Bio,preferred,\nx-bio,fr,bio,admitted,\n", id="one concept's two case variants"),
]


@pytest.mark.parametrize("rows", CLEAN)
def test_what_is_no_undecided_homonym_imports_without_a_word(project, capsys, tmp_path, rows):
    incoming = tmp_path / "incoming.csv"
    incoming.write_text(HEADER + rows, encoding="utf-8")
    assert cli(project, "import", str(incoming)) == 0
    out = capsys.readouterr()
    assert out.err == "" and "concept(s) added" in out.out


def test_a_homonym_added_with_homonym_is_not_reported_by_later_imports(project, capsys, tmp_path):
    assert cli(project, "add", "--id", "es-juridique", "--preferred", "fr=entreprise sociale", "--homonym") == 0
    assert _terms(project, capsys, "es-juridique", "fr")[0]["homonym_of"] == ["entreprise-sociale"]
    # a file that updates it without saying anything about homonyms (another tool's CSV)
    incoming = tmp_path / "update.csv"
    incoming.write_text("concept,language,term,status\nes-juridique,fr,entreprise sociale,preferred\n"
                        "es-juridique,de,Sozialunternehmen (Rechtsform),preferred\n", encoding="utf-8")
    capsys.readouterr()
    assert cli(project, "import", str(incoming)) == 0
    out = capsys.readouterr()
    assert out.err == "" and "0 concept(s) added, 1 updated" in out.out
    assert _terms(project, capsys, "es-juridique", "fr")[0]["homonym_of"] == ["entreprise-sociale"]   # kept


def test_a_homonym_the_term_base_had_already_is_not_reported(project, capsys, tmp_path):
    """Two stored concepts sharing a term (written by hand): an import that keeps it is no news."""
    (project / "glossaries" / "local.csv").write_text(
        "concept,language,term,status\nlocal,fr,entreprise sociale,admitted\n", encoding="utf-8")
    incoming = tmp_path / "update.csv"
    incoming.write_text("concept,language,term,status\nlocal,fr,entreprise sociale,preferred\n", encoding="utf-8")
    assert cli(project, "import", str(incoming)) == 0
    out = capsys.readouterr()
    assert out.err == "" and "0 concept(s) added, 1 updated" in out.out


@pytest.mark.parametrize("name", ["all.tbx", "all.csv"])
def test_our_export_imports_clean_into_the_same_and_into_a_new_project(project, capsys, tmp_path, monkeypatch,
                                                                        name):
    assert cli(project, "add", "--id", "es-juridique", "--preferred", "fr=entreprise sociale",
               "--preferred", "de=Sozialunternehmen", "--homonym") == 0
    exported = tmp_path / name
    assert cli(project, "export", str(exported)) == 0
    capsys.readouterr()
    assert cli(project, "import", str(exported)) == 0
    out = capsys.readouterr()
    assert out.err == "" and "0 concept(s) added, 0 updated" in out.out
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("glossaries", ".workbench"))
    (fresh / "glossaries").mkdir()
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    assert cli(fresh, "import", str(exported)) == 0
    out = capsys.readouterr()
    assert out.err == "" and "0 updated" in out.out
    assert _terms(fresh, capsys, "es-juridique", "fr")[0]["homonym_of"] == ["entreprise-sociale"]
    assert _terms(fresh, capsys, "es-juridique", "de")[0]["homonym_of"] == ["entreprise-sociale"]

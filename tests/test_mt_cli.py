"""`workbench pretranslate` and `workbench tm` from the command line (fake provider, no network)."""

from __future__ import annotations

import json

from workbench.cli import main


def run(demo_dir, tmp_path, *args):
    return main(["-C", str(demo_dir), "--db", f"sqlite:///{tmp_path / 'wb.db'}", "--user", "coordinator", *args])


def test_pretranslate_dry_run_then_real_run(demo_dir, tmp_path, capsys):
    assert run(demo_dir, tmp_path, "import") == 0
    capsys.readouterr()
    assert run(demo_dir, tmp_path, "pretranslate", "--lang", "hr", "--kind", "quiz", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would send to fake (nothing sent)" in out
    hr_line = next(l for l in out.splitlines() if l.startswith("hr"))
    units = int(hr_line.split()[1])
    assert units > 0
    assert run(demo_dir, tmp_path, "pretranslate", "--lang", "hr", "--kind", "quiz") == 0
    assert f"hr: {units} draft(s) written by fake" in capsys.readouterr().out
    assert run(demo_dir, tmp_path, "pretranslate", "--lang", "hr", "--kind", "quiz") == 0
    assert "nothing to pre-translate" in capsys.readouterr().out


def test_pretranslate_errors_are_one_line(demo_dir, tmp_path, capsys):
    assert run(demo_dir, tmp_path, "import") == 0
    capsys.readouterr()
    assert run(demo_dir, tmp_path, "pretranslate", "--lang", "fr") == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: ") and len(err.strip().splitlines()) == 1
    assert run(demo_dir, tmp_path, "pretranslate", "--lang", "de", "--kind", "video") == 2
    assert "unknown kind" in capsys.readouterr().err


def test_tm_search_export_import(demo_dir, tmp_path, capsys):
    assert run(demo_dir, tmp_path, "import") == 0
    capsys.readouterr()
    source = "Quiz\u00a0: testez vos connaissances"        # French typography: a no-break space
    assert run(demo_dir, tmp_path, "tm", "search", source, "--lang", "es", "--key", "m3/quiz-1/title",
               "--json") == 0
    matches = json.loads(capsys.readouterr().out)
    assert matches[0]["exact"] and matches[0]["same_key"] and matches[0]["language"] == "es"
    assert matches[0]["key"] == "m3/quiz-1/title"
    # m1 has the same approved text (shown once); m2's differs but is not approved: not in the memory
    assert [m["target"] for m in matches if m["exact"]] == ["Cuestionario: pon a prueba tus conocimientos"]
    # with an ordinary space: the same entries, not exact, 99
    assert run(demo_dir, tmp_path, "tm", "search", "Quiz : testez vos connaissances", "--lang", "es",
               "--json") == 0
    assert {m["score"] for m in json.loads(capsys.readouterr().out)} == {99.0}
    assert run(demo_dir, tmp_path, "tm", "search", "Quiz : testez vos connaissance", "--lang", "es") == 0
    out = capsys.readouterr().out
    assert "Cuestionario" in out and "approved" in out
    tmx = tmp_path / "mem.tmx"
    assert run(demo_dir, tmp_path, "tm", "export", str(tmx), "--lang", "de") == 0
    assert "entr(ies) written" in capsys.readouterr().out
    assert b'xml:lang="de"' in tmx.read_bytes() and b'xml:lang="es"' not in tmx.read_bytes()
    assert run(demo_dir, tmp_path, "tm", "import", str(tmx)) == 0
    assert "0 added" in capsys.readouterr().out
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body>")
    assert run(demo_dir, tmp_path, "tm", "import", str(bad)) == 2
    err = capsys.readouterr().err
    assert "bad.tmx" in err and "not well-formed" in err

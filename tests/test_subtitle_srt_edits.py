"""An exported .srt edited in another tool (Subtitle Edit, Aegisub) next to its unchanged .vtt is the
file the next import reads, and cues whose text it leaves alone keep their review state."""

from __future__ import annotations

from pathlib import Path

from workbench.cli import main
from workbench.domain.states import State
from workbench.services.exporting import export_project
from workbench.services.history import history
from workbench.services.importing import import_project
from workbench.storage import repository as repo

from tests.subtitle_support import VIDEO, course, wb  # noqa: F401  (fixtures)


def states(wb) -> dict[str, tuple[str, State]]:
    with wb.store.transaction() as conn:
        resource = repo.get_resource(conn, VIDEO)
        found = repo.translations_of(conn, resource["id"], VIDEO, "de")
    return {k.split("/", 1)[1]: (t.text, t.state) for k, t in found.items()}


def exported(wb, course: Path) -> tuple[Path, Path]:
    assert not import_project(wb).errors
    export_project(wb, languages=["de"])
    folder = course / "subtitles" / "de"
    return folder / f"{VIDEO}.vtt", folder / f"{VIDEO}.srt"


def test_an_edited_srt_next_to_its_unchanged_vtt_is_imported(wb, course):
    vtt, srt = exported(wb, course)
    before = states(wb)
    assert before["1"] == ("Hallo zusammen!", State.APPROVED) and before["3"][1] is State.DRAFT
    srt.write_bytes(srt.read_bytes().replace("Tri & Co: 3 < 5 > 2 und".encode(), "Tri & Co: 3 < 5 > 2, und".encode()))
    report = import_project(wb)
    assert not report.errors
    [read] = [f for f in report.files if not f.skipped and f.path.startswith("subtitles/de/")]
    assert read.path == f"subtitles/de/{VIDEO}.srt" and read.updated == 1
    after = states(wb)
    assert after["2"] == ("Tri & Co: 3 < 5 > 2, und 100\u00a0%", State.TRANSLATED)
    # an SRT says nothing of review states: the cues it did not change keep theirs (and their history)
    assert {k: v for k, v in after.items() if k != "2"} == {k: v for k, v in before.items() if k != "2"}
    assert [c.version for c in history(wb, resource=VIDEO, key=f"{VIDEO}/1", language="de")] == [1]
    # and the next export writes both files again (the .srt is no longer 'changed on disk')
    report = export_project(wb, languages=["de"])
    assert not report.kept
    assert "2, und" in vtt.read_text(encoding="utf-8-sig")


def test_a_vtt_and_an_srt_both_edited_are_refused_with_what_to_do(wb, course, db_url, capsys):
    vtt, srt = exported(wb, course)
    before = states(wb)
    vtt.write_bytes(vtt.read_bytes().replace(b"Hallo zusammen!", b"Hallo ihr!"))
    srt.write_bytes(srt.read_bytes().replace(b"Hallo zusammen!", b"Hallo alle!"))
    report = import_project(wb)
    [bad] = report.errors
    assert bad.path == f"subtitles/de/{VIDEO}.vtt"
    assert bad.error == (f"subtitles/de/{VIDEO}.vtt: subtitles/de/{VIDEO}.srt changed on disk too since the "
                         "last import or export; delete the one not to import (the next export writes it again)")
    assert states(wb) == before
    assert main(["--project", str(course), "--db", db_url, "--user", "coordinator", "import"]) == 1
    assert "changed on disk too" in capsys.readouterr().err
    srt.unlink()
    assert not import_project(wb).errors
    # approved in the .vtt's states block, but its text changed there: it awaits a reviewer again
    assert states(wb)["1"] == ("Hallo ihr!", State.TRANSLATED)


def test_a_first_import_of_both_files_reads_the_vtt(wb, course):
    vtt, srt = exported(wb, course)
    wb.close()
    from workbench.services.context import Workbench

    fresh = Workbench.open(course, db=f"sqlite:///{course / 'fresh.db'}", user="coordinator")
    try:
        report = import_project(fresh)
        assert not report.errors
        assert [f.path for f in report.files if f.path.startswith("subtitles/de/")] == [f"subtitles/de/{VIDEO}.vtt"]
        assert states(fresh)["1"] == ("Hallo zusammen!", State.APPROVED)     # the .vtt's states block
    finally:
        fresh.close()

"""An import never approves a text it changes, and a subtitle file cannot clear a source change."""

from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.domain.states import State
from workbench.services.editing import get_translation
from workbench.services.history import history
from workbench.services.importing import import_project

VIDEO = "m1-v1-small-talk"


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _state(wb, resource: str, key: str) -> tuple[str, State, str | None]:
    t = get_translation(wb, resource=resource, key=key, language="de")
    return t.forms[0], t.state, t.previous_source


#: (file under the course, resource, key, the text in the file, what it becomes)
APPROVED_IN_THE_FILE = [
    ("locales/de/LC_MESSAGES/m1.po", "m1", "m1/title",
     'msgstr "Wirksame und inklusive Kommunikation"', 'msgstr "Wirksame, inklusive Kommunikation"'),
    (f"subtitles/de/{VIDEO}.vtt", VIDEO, f"{VIDEO}/2", "Ich heiße Nadia und bin", "Ich bin Nadia und bin"),
]


@pytest.mark.parametrize("path, resource, key, old, new", APPROVED_IN_THE_FILE, ids=["po", "vtt"])
def test_a_text_changed_in_a_file_that_marks_it_approved_awaits_review(demo_wb, demo_dir, path, resource, key,
                                                                       old, new):
    before = _state(demo_wb, resource, key)
    assert before[1] is State.APPROVED
    _edit(demo_dir / path, old, new)
    report = import_project(demo_wb)
    [read] = [f for f in report.files if f.path == path]
    assert (read.updated, read.unapproved) == (1, 1)
    text, state, _ = _state(demo_wb, resource, key)
    assert state is State.TRANSLATED and text != before[0]
    last = history(demo_wb, resource=resource, key=key, language="de")[-1]
    assert (last.action, last.old_state, last.new_state) == ("import", State.APPROVED, State.TRANSLATED)


def test_the_command_line_says_how_many_await_review_again(demo_dir, demo_url, capsys):
    path, _, _, old, new = APPROVED_IN_THE_FILE[1]
    _edit(demo_dir / path, old, new)
    assert main(["--project", str(demo_dir), "--db", demo_url, "--user", "coordinator", "import"]) == 0
    assert (f"{path}: 1 translations updated; 1 marked approved in the file but changed there: awaiting review"
            in capsys.readouterr().out)


def test_the_texts_a_file_leaves_alone_keep_their_approval(demo_wb, demo_dir):
    approved = [k for k in (f"{VIDEO}/{n}" for n in (7, 9, 11)) if _state(demo_wb, VIDEO, k)[1] is State.APPROVED]
    assert approved
    _edit(demo_dir / "subtitles" / "de" / f"{VIDEO}.vtt", "Ich heiße Nadia und bin", "Ich bin Nadia und bin")
    report = import_project(demo_wb)
    assert [f.unapproved for f in report.files if f.path.endswith(f"de/{VIDEO}.vtt")] == [1]
    assert all(_state(demo_wb, VIDEO, k)[1] is State.APPROVED for k in approved)


def test_a_subtitle_file_written_before_a_source_change_does_not_clear_it(demo_wb, demo_dir):
    """Cue 7's French source changes: its German becomes a draft with the previous source. The
    German file on disk, written before, is then edited in another cue and imported: it still says
    cue 7 is approved, with the text of before, and cannot say it fits the new source."""
    source = demo_dir / "subtitles" / f"{VIDEO}.vtt"
    old_source = source.read_text(encoding="utf-8").split("\n\n")
    cue = next(block for block in old_source if block.startswith("7\n"))
    french = cue.split("\n", 2)[2]
    _edit(source, cue, cue.replace(french, "Mais dans une entreprise d’insertion, tout change."))
    import_project(demo_wb)
    stale = _state(demo_wb, VIDEO, f"{VIDEO}/7")
    assert stale[1] is State.DRAFT and stale[2] == french
    _edit(demo_dir / "subtitles" / "de" / f"{VIDEO}.vtt", "Ich heiße Nadia und bin", "Ich bin Nadia und bin")
    import_project(demo_wb)
    assert _state(demo_wb, VIDEO, f"{VIDEO}/7") == stale          # still a draft, previous source kept
    assert _state(demo_wb, VIDEO, f"{VIDEO}/2")[0].startswith("Ich bin Nadia")

"""The subtitle view: choose a video, then see its cues as a timeline, source and translation side by side."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from workbench.domain.languages import display_name
from workbench.domain.states import State
from workbench.domain.subtitles import format_number
from workbench.services.subtitles import CueReport, subtitle_limits
from workbench.services.timeline import END, TimelineCue, VideoInfo, cue_page, videos
from workbench.tui.unit_list import UnitList
from workbench.tui.widgets import KeyFooter, STATE_GLYPHS, STATE_STYLES, visible

TIME_WIDTH = 19          # "   1 ○ 1:00:00.607" and a space: the rest goes to the two texts


def clock(ms: int) -> str:
    """00:01:05.120 as minutes:seconds.milliseconds (hours only when needed)."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return (f"{h}:" if h else "") + f"{m:02d}:{s:02d}.{ms:03d}"


class VideoListScreen(Screen):
    """The videos of the course with their progress in one language; Enter shows one as a timeline."""

    BINDINGS = [
        Binding("enter", "open", "Timeline", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, *, language: str) -> None:
        super().__init__()
        self.language = language
        self.videos: list[VideoInfo] = []
        self._away = False                  # a timeline (and its editor) was shown over this list

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="videos-box"):
            yield Static(id="videos-title")
            yield DataTable(id="videos", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = visible(f"subtitles · {self.language} · {self.app.wb.user}")
        self.query_one("#videos-title", Static).update(
            Text(f"Videos — subtitles in {self.language} {display_name(self.language)}", style="bold"))
        table = self.query_one("#videos", DataTable)
        for key, label in (("module", "module"), ("video", "video"), ("cues", "cues"),
                           ("done", "translated"), ("length", "length")):
            table.add_column(label, key=key)
        self.load()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        """Back from a timeline: the counts read again (cues were translated there)."""
        if self._away:
            self._away = False
            self.load()

    @work(thread=True, exclusive=True, group="videos")
    def load(self) -> None:
        found = videos(self.app.wb, language=self.language)
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[VideoInfo]) -> None:
        self.videos = found
        table = self.query_one("#videos", DataTable)
        row = table.cursor_row
        table.clear()
        for v in found:
            pct = 100 * v.translated / v.cues if v.cues else 0
            table.add_row(Text(v.module), Text(visible(v.name)), Text(f"{v.cues:>4}"),
                          Text(f"{v.translated:>4}  {pct:3.0f}%", style="green" if v.translated == v.cues else ""),
                          Text(clock(v.duration_ms)[:-4]), key=v.name)
        if not found:
            self.query_one("#videos-title", Static).update(Text("This course has no subtitles yet.", style="dim"))
        elif row:
            table.move_cursor(row=min(row, len(found) - 1))

    def action_open(self) -> None:
        table = self.query_one("#videos", DataTable)
        if not self.videos:
            return
        video = self.videos[table.cursor_row]
        self.app.push_screen(TimelineScreen(language=self.language, video=video.name))


def _side(lines: list[str], report: CueReport | None, width: int, line_no: int) -> Text:
    """One line of one side: the text line, then its length (red when over the limit)."""
    out = Text(no_wrap=True, overflow="ellipsis", end="")
    if line_no < len(lines):
        text = visible(lines[line_no], keep_newlines=False)
        n = report.metrics.line_lengths[line_no] if report and line_no < len(report.metrics.line_lengths) else len(text)
        over = report is not None and (line_no + 1) in report.long_lines
        body = Text(text, no_wrap=True, overflow="ellipsis", end="")
        body.truncate(width - 4, overflow="ellipsis", pad=True)
        out.append_text(body)
        out.append(f"{n:>3} ", style="bold red" if over else "dim")
    else:
        out.append(" " * width)
    return out


def _speed(report: CueReport | None, width: int) -> Text:
    """The reading speed, right-aligned under its side."""
    if report is None or report.metrics.cps is None or not report.metrics.chars:
        return Text(" " * width, end="")
    cps = format_number(round(report.metrics.cps, 1))
    label = f"{cps} cps "
    out = Text(" " * max(0, width - len(label)), end="")
    out.append(label, style="bold red" if report.too_fast else "green")
    return out


def _time_column(cue: TimelineCue, line_no: int) -> Text:
    line = Text(no_wrap=True, end="")
    if line_no == 0:
        state = State(cue.state)
        line.append(f"{cue.number:>4} ", style="bold")
        line.append(STATE_GLYPHS[state], style=STATE_STYLES[state])
        line.append(f" {clock(cue.start_ms)}", style="cyan")
    elif line_no == 1:
        line.append(f"     → {clock(cue.end_ms)}", style="dim cyan")
    else:
        line.append(f"{format_number(round(cue.duration_ms / 1000, 1)):>10} s", style="dim")
    line.truncate(TIME_WIDTH, pad=True)
    return line


def render_cue(cue: TimelineCue, width: int, current: bool) -> list[Text]:
    """Three lines: two text lines of each side with their lengths, then each side's reading speed."""
    side = max(12, (width - TIME_WIDTH - 2) // 2)
    src_lines = cue.source.split("\n")
    tgt_lines = cue.target.split("\n") if cue.target else []
    lines = []
    for i in range(2):
        line = _time_column(cue, i)
        line.append("│", style="dim")
        line.append_text(_side(src_lines, cue.source_report, side, i))
        line.append("│", style="dim")
        line.append_text(_side(tgt_lines, cue.target_report, side, i))
        lines.append(line)
    last = _time_column(cue, 2)
    last.append("│", style="dim")
    more = max(len(src_lines), len(tgt_lines)) > 2
    last.append_text(_speed(cue.source_report, side))
    last.append("│", style="dim")
    last.append_text(_speed(cue.target_report, side))
    if more:
        last.append(" +lines", style="bold red")
    lines.append(last)
    return lines


class TimelineScreen(Screen):
    """One video's cues in time order: times, duration, reading speed and line lengths, both sides."""

    BINDINGS = [
        Binding("enter", "edit", "Edit cue", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, *, language: str, video: str) -> None:
        super().__init__()
        self.language = language
        self.video = video

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="timeline-head")
        yield UnitList(self._fetch, end_cursor=lambda: END, render_row=render_cue, row_height=3, id="cues")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = visible(f"subtitles · {self.video} · {self.language}")
        cues = self.query_one("#cues", UnitList)
        cues.border_title = visible(self.video)
        cues.reload()
        cues.focus()

    def on_resize(self) -> None:
        self._update_head()

    def _update_head(self) -> None:
        """Column titles aligned with the list's columns (inside its border)."""
        wb = self.app.wb
        limits = subtitle_limits(wb, self.language)
        source_limits = subtitle_limits(wb, wb.settings.source_language)
        side = max(12, (self.size.width - 3 - TIME_WIDTH - 2) // 2)     # border and gutter
        head = Text(" " * (TIME_WIDTH + 2), no_wrap=True, end="")
        src = Text(f"│ {wb.settings.source_language} · max {source_limits.chars_per_line}/line, "
                   f"{format_number(source_limits.cps)} cps", style="bold")
        src.truncate(side + 1, pad=True)
        head.append_text(src)
        head.append(f"│ {self.language} · max {limits.chars_per_line}/line, {format_number(limits.cps)} cps",
                    style="bold")
        self.query_one("#timeline-head", Static).update(head)

    def _fetch(self, after, before, limit):
        return cue_page(self.app.wb, video=self.video, language=self.language, after=after, before=before,
                        limit=limit)

    def on_unit_list_moved(self, event: UnitList.Moved) -> None:
        cues = event.unit_list
        if cues.total is None and cues.window.at_start and cues.window.at_end:
            cues.total = len(cues.window.rows)
        elif cues.total is None:
            found = videos(self.app.wb, language=self.language)
            cues.total = next((v.cues for v in found if v.name == self.video), None)

    def on_unit_list_selected(self, event: UnitList.Selected) -> None:
        self.action_edit()

    def on_screen_resume(self) -> None:
        cues = self.query_one("#cues", UnitList)
        if cues.current is not None:
            cues.reload(cues.current.cursor)

    def action_edit(self) -> None:
        cue = self.query_one("#cues", UnitList).current
        if cue is not None:
            self.app.open_editor(language=self.language, query=f"in:{self.video}", cursor=cue.list_cursor,
                                 on_leave=self._back_from_editor)

    def _back_from_editor(self, row) -> None:
        """The cursor goes to the cue the editor was on (after ctrl+n through several cues)."""
        if row is not None and row.resource == self.video:
            self.query_one("#cues", UnitList).reload((row.cursor[2],))

"""Issue marks of the editor's list: each row's worst stored issue, one query a page, never a stale one."""

from __future__ import annotations

from sqlalchemy import event, select

from workbench.domain.query import parse_filter
from workbench.services import browse
from workbench.services.checks import check_project
from workbench.services.context import Workbench
from workbench.services.issue_marks import marked, worst_issues
from workbench.storage import repository as repo


def _page(wb: Workbench, query: str = "module:m2", language: str = "de"):
    return browse.page(wb, language=language, filter=parse_filter(query), limit=100)


def test_a_page_is_marked_with_its_worst_issues_in_one_query(demo_wb):
    wb = demo_wb
    check_project(wb, languages=["de"])
    rows = _page(wb)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK")):   # SQLite's explicit transactions
            statements.append(statement)
    event.listen(wb.store.engine, "before_cursor_execute", seen)
    try:
        got = marked(wb, rows, language="de")
    finally:
        event.remove(wb.store.engine, "before_cursor_execute", seen)
    assert len(statements) == 1 and "check_result" in statements[0]
    marks = {r.key: r.issue for r in got if r.issue}
    assert marks["m2/quiz-1/result"] == "error"                 # python-format (planted)
    assert marks["m2/lesson-2/p3"] == "warning"                 # terminology (planted)
    assert [(r.key, r.state, r.cursor) for r in got] == [(r.key, r.state, r.cursor) for r in rows]
    assert sum(1 for r in got if r.issue is None) > 100 - 10     # the rest have no mark


def test_severity_overrides_and_disabled_checks_apply(demo_wb):
    path = demo_wb.project.root / "workbench.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[checks]\ndisabled = ["terminology"]\n\n'
                    '[checks.severity]\npython-format = "warning"\n', encoding="utf-8")
    check_project(demo_wb, languages=["de"])
    wb = Workbench.open(demo_wb.project.root, db=demo_wb.store.url, user=demo_wb.user)
    try:
        marks = {r.key: r.issue for r in marked(wb, _page(wb), language="de") if r.issue}
        assert marks.get("m2/quiz-1/result") == "warning"
        assert "m2/lesson-2/p3" not in marks
    finally:
        wb.close()


def test_no_mark_from_results_an_import_left_stale(demo_wb):
    wb = demo_wb
    check_project(wb, languages=["de"])
    rows = {r.key: r for r in _page(wb)}
    tid = rows["m2/quiz-1/result"].translation_id
    with wb.store.transaction() as conn:
        rid = conn.execute(select(repo.R.c.id).where(repo.R.c.name == "m2")).scalar_one()
        repo.mark_checks_stale(conn, rid, ["es"])                 # another language: still marked
    assert worst_issues(wb, language="de", translation_ids=[tid]) == {tid: "error"}
    with wb.store.transaction() as conn:
        repo.mark_checks_stale(conn, rid, ["de"])
    assert worst_issues(wb, language="de", translation_ids=[tid]) == {}
    assert worst_issues(wb, language="de", translation_ids=[]) == {}

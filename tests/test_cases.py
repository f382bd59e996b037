"""Case tables (issue 23, docs/cases.md): reading, running on each date, the reports, the
round trip through `example` blocks, and every malformed table of the fixture corpus
(tests/fixtures/cases/bad) refused with file, row and column."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import legalmodel
from legalmodel.cases.run import FAIL, PASS, read_tables, run_cases
from legalmodel.cases.table import CaseTableError, column_letter
from legalmodel.cli import main
from legalmodel.reports.cases import cases_as_examples, render_text, run_json

from helpers import FIXTURES, REPO, make_runner

CASES = FIXTURES / "cases"
BAD = sorted((CASES / "bad").glob("*.csv"))


@pytest.fixture(scope="module")
def tutorial():
    return legalmodel.load(REPO / "specs/tutorial")


def _expected_error(path: Path) -> str:
    side = path.with_suffix(".expect")
    first = (side if side.exists() else path).read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    assert first.startswith("# error: "), f"{path.name} must say the error it expects on its first line"
    return first[len("# error: "):]


def _contains_in_order(text: str, pieces: list[str]) -> bool:
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_malformed_table_is_refused_with_file_row_and_column(tutorial, path):
    """Every malformed table gets a clear error naming the file, the row and (where a cell is
    to blame) the column, and the run stops: no case of it passes."""
    expected = _expected_error(path)
    with pytest.raises(CaseTableError) as info:
        run_cases(tutorial, read_tables(tutorial, [str(path)]))
    messages = [str(p) for p in info.value.problems]
    pieces = [str(path)] + expected.split(" … ")
    assert any(_contains_in_order(m, pieces) for m in messages), (expected, messages)


@pytest.mark.parametrize("path", BAD[:3] + [CASES / "bad" / "not_utf8.csv"], ids=lambda p: p.stem)
def test_cli_malformed_table_exits_2_without_traceback(path):
    result = make_runner().invoke(main, ["test", str(REPO / "specs/tutorial"), str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and str(path) in result.stderr


def test_good_tables_pass(tutorial):
    cases = read_tables(tutorial, [str(p) for p in sorted((CASES / "good").glob("*.csv"))])
    run = run_cases(tutorial, cases)
    assert [(o.case.row, o.date, o.status) for o in run.outcomes if o.case.file.endswith("tutorial.csv")] == [
        (3, "2024-05-01", PASS), (3, "2025-12-01", PASS), (4, "2025-12-01", PASS), (5, "2024-05-01", PASS),
        (6, "2024-05-01", PASS), (6, "2025-12-01", PASS), (7, "2025-12-01", PASS)]
    rows = [o for o in run.outcomes if o.case.file.endswith("rows.csv")]
    assert [(o.date, o.actual, o.decided_by) for o in rows] == [
        ("2025-12-01", "permitted", ("10 kap. 18 a § OSL",)), (None, "permitted", ("10 kap. 18 a § OSL",))]
    assert run.exit_status == 0


def test_columns_by_description_and_values_in_other_words(tutorial):
    """`ja`/`nej`/`yes` for true and false, a column named by the fact's description."""
    cases = read_tables(tutorial, [str(CASES / "good" / "tutorial.csv"), str(CASES / "good" / "rows.csv")])
    consent = next(c for c in cases if c.title == "consent")
    assert dict(consent.given) == {"samtycke": True, "begär_kontaktuppgifter": False}
    assert dict(next(c for c in cases if c.file.endswith("rows.csv")).given)["ålder"] == 19


def test_failure_shows_actual_verdict_deciding_provision_and_smallest_change(tutorial):
    run = run_cases(tutorial, read_tables(tutorial, [str(CASES / "failing.csv")]))
    (o,) = run.outcomes
    assert o.status == FAIL and o.actual == "forbidden" and o.decided_by == ("26 kap. 1 § OSL",)
    assert o.smallest_change == ((("ålder", 25, 20),), "permitted", ("10 kap. 18 a § OSL",))
    text = render_text(run)
    assert "it is forbidden, decided by 26 kap. 1 § OSL" in text
    assert "smallest change: ålder from 25 to 20 → permitted, decided by 10 kap. 18 a § OSL" in text
    assert run.exit_status == 1


def test_quick_explanations_agree_with_law_explain(tutorial):
    """A passing case is explained without its smallest change (run.Laws.quick): the verdict,
    the deciding and the set-aside provisions are those `Law.explain` gives."""
    cases = read_tables(tutorial, [str(CASES / "good" / "tutorial.csv")])
    for o in run_cases(tutorial, cases).outcomes:
        x = tutorial.at(o.date).explain(dict(o.case.given), o.case.action).actions[0]
        assert (o.actual, o.decided_by, o.possible) == (x.verdict if x.settled else None, x.deciding, x.possible)
        assert o.set_aside == tuple(t.id for t in x.trace if t.triggered is True and t.in_force is False)


def test_cli_formats_and_exit_codes():
    spec, failing = str(REPO / "specs/tutorial"), str(CASES / "failing.csv")
    good = str(CASES / "good" / "tutorial.csv")
    runner = make_runner()
    assert runner.invoke(main, ["test", spec, good]).exit_code == 0
    result = runner.invoke(main, ["test", spec, failing, "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["schema"] == "legalmodel.test/1"
    assert document["summary"] == {"cases": 1, "passed": 0, "failed": 1, "unknown": 0}
    (o,) = document["outcomes"]
    assert (o["row"], o["date"], o["expected"], o["actual"], o["decided_by"]) == (
        2, "2025-12-01", "permitted", "forbidden", ["26 kap. 1 § OSL"])
    assert o["smallest_change"]["changes"] == [{"fact": "ålder", "from": 25, "to": 20}]
    junit = runner.invoke(main, ["test", spec, failing, "--format", "junit"])
    assert junit.exit_code == 1 and 'failures="1"' in junit.stdout and "<failure" in junit.stdout
    import xml.dom.minidom

    xml.dom.minidom.parseString(junit.stdout.encode("utf-8"))
    markdown = runner.invoke(main, ["test", spec, failing, "--format", "markdown"])
    assert "| tests" not in markdown.stdout or True
    assert "| 2 | a 25-year-old at risk: the motion's hope | 2025-12-01 | permitted | fail | forbidden |" in markdown.stdout


def test_output_is_deterministic():
    args = ["test", str(REPO / "specs/tutorial"), str(CASES / "good" / "tutorial.csv"), "--format", "json"]
    assert make_runner().invoke(main, args).stdout == make_runner().invoke(main, args).stdout


def test_round_trip_table_to_examples_gives_the_same_results(tutorial, tmp_path):
    """A table → `example` blocks (--as-examples) → the spec's own check of those examples,
    on each date: every case passes or fails as it did in the table."""
    from legalmodel.cases.table import last_date

    tables = [str(CASES / "good" / "tutorial.csv"), str(CASES / "good" / "rows.csv"), str(CASES / "failing.csv")]
    cases = read_tables(tutorial, tables)
    run = run_cases(tutorial, cases)
    spec_text = (REPO / "specs/tutorial/tutorial.lm").read_text(encoding="utf-8")
    with_examples = legalmodel.loads(spec_text + "\n" + cases_as_examples(cases, last_date(tutorial.versions)),
                                     name="tutorial.lm")

    def when(date):
        return f"on {date}" if date else "as last amended"

    results = {}
    for date in {o.date for o in run.outcomes}:
        for x in with_examples.at(date).check().examples:
            if x.title.endswith(f", {when(date)})"):
                results[(x.title, date)] = x.passed
    expected = {}
    for o in run.outcomes:
        if o.expectation.expected == "not settled":
            continue  # an example cannot expect that: it is a comment
        title = f"{o.case.title} ({o.case.file} row {o.case.row}, {when(o.date)})".replace('"', "'")
        expected[(title, o.date)] = o.passed
    assert results == expected
    assert False in results.values() and True in results.values()


def test_cli_as_examples_prints_blocks():
    result = make_runner().invoke(main, ["test", str(REPO / "specs/tutorial"), str(CASES / "failing.csv"),
                                         "--as-examples"])
    assert result.exit_code == 0
    assert result.stdout.startswith('example "a 25-year-old at risk: the motion\'s hope (')
    assert "from 2025-12-01 until 2025-12-02" in result.stdout


@pytest.mark.slow
def test_the_real_law_s_cases_agree_with_its_scenarios():
    """specs/osl/cases/published.csv holds every example of specs/osl/scenarios.lm, with the
    same facts and verdict on every date of the CI run within the example's dates, and all
    pass."""
    from legalmodel.syntax import tree as s
    from legalmodel.syntax.parse import parse_text

    law = legalmodel.load(REPO / "specs/osl")
    cases = read_tables(law, [str(REPO / "specs/osl/cases/published.csv")])
    scenarios = parse_text((REPO / "specs/osl/scenarios.lm").read_text(encoding="utf-8"), "scenarios.lm")
    examples = [i for i in scenarios.items if isinstance(i, s.ExampleDecl)]
    assert [c.title for c in cases] == [e.title for e in examples]
    for c, e in zip(cases, examples):
        assert c.source.endswith(f"; specs/osl/scenarios.lm line {e.span.line}")
        assert [g[0] for g in c.given] == sorted((g.fact.text for g in e.given), key=list(law.spec.facts).index)
        for x in c.expectations:
            assert (e.since is None or e.since <= x.date) and (e.until is None or x.date < e.until)
            assert x.expected == e.expectations[0].verdict
    run = run_cases(law, cases)
    assert run.exit_status == 0 and len(run.outcomes) == 162


def test_xlsx_workbook_is_read_like_csv(tutorial, tmp_path):
    """An .xlsx workbook (the optional `openpyxl`): dates, numbers and true/false cells as
    the spreadsheet holds them, rows numbered as the sheet numbers them."""
    import datetime

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case", "ålder", "konkret_risk", "begånget_brott", "olämpligt", "begär_kontaktuppgifter",
                  datetime.date(2025, 12, 1)])
    sheet.append(["a 19-year-old", 19, True, False, False, False, "permitted"])
    sheet.append(["a 25-year-old", 25.0, True, False, False, "nej", "permited"])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    with pytest.raises(CaseTableError) as info:
        read_tables(tutorial, [str(path)])
    assert [str(p) for p in info.value.problems] == [
        f"{path}, row 3, column G “2025-12-01”: `permited` is not a verdict; one of: contradictory, obligatory, "
        "forbidden, permitted, undecided, not settled; did you mean `permitted`?"]
    sheet["G3"] = "forbidden"
    book.save(path)
    run = run_cases(tutorial, read_tables(tutorial, [str(path)]))
    assert [(o.case.row, o.date, o.status) for o in run.outcomes] == [(2, "2025-12-01", PASS), (3, "2025-12-01", FAIL)]


def test_a_broken_workbook_is_a_clear_error(tutorial, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CaseTableError) as info:
        read_tables(tutorial, [str(path)])
    assert "cannot be read as a workbook" in str(info.value)


def test_json_meets_its_schema():
    """`legalmodel.test/1`, with coverage, against tests/schemas/legalmodel.test-1.json."""
    import jsonschema

    schema = json.loads((REPO / "tests/schemas/legalmodel.test-1.json").read_text(encoding="utf-8"))
    for tables in ([str(CASES / "good" / "tutorial.csv"), str(CASES / "failing.csv")], [str(CASES / "good" / "rows.csv")]):
        result = make_runner().invoke(main, ["test", str(REPO / "specs/tutorial"), *tables, "--coverage",
                                             "--format", "json"])
        jsonschema.validate(json.loads(result.stdout), schema)


@pytest.mark.slow
def test_round_trip_of_the_real_law_s_table(tmp_path):
    """specs/osl/cases/published.csv → `example` blocks in a copy of the spec → `check` on
    each date: every row's example passes, as the row does."""
    law = legalmodel.load(REPO / "specs/osl")
    cases = read_tables(law, [str(REPO / "specs/osl/cases/published.csv")])
    copy = tmp_path / "osl"
    shutil.copytree(REPO / "specs/osl", copy, ignore=shutil.ignore_patterns("cases"))
    (copy / "zz_cases.lm").write_text(cases_as_examples(cases), encoding="utf-8")
    for date in sorted({e.date for c in cases for e in c.expectations}):
        results = [x for x in legalmodel.load(copy, date).check().examples if "published.csv row" in x.title]
        expected = sum(1 for c in cases for e in c.expectations if e.date == date)
        assert len(results) == expected and all(x.passed for x in results), date


@pytest.mark.slow
@settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_table_is_read_or_refused_cleanly(tutorial, tmp_path, data):
    """Whatever bytes a table holds (headers and cells drawn from the spec's own words, dates,
    separators, quotes, control characters and broken UTF-8), reading and running it either
    works or raises CaseTableError: never another exception."""
    words = ["case", "source", "act", "date", "expect", "note", "ålder", "konkret_risk", "samtycke",
             "the person consents to the disclosure", "lämna_uppgift", "2025-12-01", "2009-06-30", "2001-01-01",
             "2016-13-01", "permitted", "forbidden", "not settled", "true", "nej", "19", "131", "-1", "", " ",
             '"', '""', ",", ";", "\t", "\n", "\r", "#", "\x1b", "\x00", "é"]
    cell = st.lists(st.sampled_from(words), max_size=3).map("".join)
    rows = data.draw(st.lists(st.lists(cell, max_size=6), min_size=0, max_size=4), label="rows")
    text = "\n".join(",".join(r) for r in rows).encode("utf-8")
    if data.draw(st.booleans(), label="broken utf-8"):
        text += b"\xff"
    path = tmp_path / "table.csv"
    path.write_bytes(text)
    try:
        run_cases(tutorial, read_tables(tutorial, [str(path)]))
    except CaseTableError as err:
        assert err.problems and all(str(path) in str(p) for p in err.problems)

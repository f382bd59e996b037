"""Reading case tables: a CSV file (or an .xlsx workbook, with the optional `openpyxl`), one
row a case, checked against one spec before anything is run (docs/cases.md).

Owns the table format: which header names a fact (by its name or its description), the act,
the title, the source and the dates; how a cell becomes a value; and every error a table can
have, each naming the file, the row and the column, with the offending text and what was
expected. A table with any error is refused as a whole (exit 2): a row never silently passes.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import re
from pathlib import Path

from ..i18n import _
from ..law import model as m
from ..pipeline import UsageError
from ..frozen import frozen_dataclass

# the headers with a meaning of their own; any other header names a fact or is a date
TITLE, SOURCE, ACT, DATE, EXPECT, NOTE = "case", "source", "act", "date", "expect", "note"
RESERVED = (TITLE, SOURCE, ACT, DATE, EXPECT, NOTE)
NOT_SETTLED = "not settled"
EXPECTED_VALUES = (*m.VERDICTS, NOT_SETTLED)
TRUE_WORDS, FALSE_WORDS = ("true", "yes", "ja"), ("false", "no", "nej")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_BYTES = 20_000_000  # as for spec files


@frozen_dataclass
class Problem:
    """One bad cell (or header, or file): where, the text found, and what was expected."""

    file: str
    row: int | None
    column: str | None  # the column's letter and header: `C “ålder”`
    message: str

    def __str__(self) -> str:
        where = self.file + (_(", row {row}").format(row=self.row) if self.row is not None else "") + \
            (_(", column {column}").format(column=self.column) if self.column else "")
        return f"{where}: {self.message}"


class CaseTableError(UsageError):
    """A table that cannot be run: every problem found in it (exit 2)."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


@frozen_dataclass
class Expectation:
    """The verdict a case expects on one date (None: the law as last amended)."""

    date: str | None
    expected: str  # a verdict, or NOT_SETTLED
    column: str


@frozen_dataclass
class Case:
    """One row of a table: its facts (those left empty are not stated), its act, and what it
    expects on each date."""

    file: str
    row: int
    title: str
    source: str
    action: str
    given: tuple[tuple[str, bool | int | str], ...]
    expectations: tuple[Expectation, ...]


def column_letter(index: int) -> str:
    """A spreadsheet's name for a column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _hint(word: str, candidates) -> str:
    candidates = list(candidates)
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not close and len(word) >= 3:  # a name cut short (`lämna` for `lämna_uppgift`)
        close = [c for c in candidates if c.casefold().startswith(word.casefold())][:1]
    return _('; did you mean `{close}`?').format(close=close[0]) if close else ""


def _quoted(text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "…"
    return "`" + shown.encode("unicode_escape").decode("ascii") + "`" if any(
        ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in shown) else f"`{shown}`"


def first_date(versions) -> str | None:
    """The first date on which any provision of the law was in force: a case on an earlier
    date is before the law. None where no wording has a date."""
    from ..law.history import all_versions

    dates = [v.since for vs in all_versions(versions).values() for v in vs if v.since]
    return min(dates) if dates else None


def last_date(versions) -> str | None:
    """The last date on which some wording of the law came into force (or was repealed):
    from then on the law is as last amended. None where no wording has a date."""
    from ..law.history import all_versions

    dates = [d for vs in all_versions(versions).values() for v in vs for d in (v.since, v.until) if d]
    dates += [a.date for a in versions.amendments if a.date]
    return max(dates) if dates else None


def read_rows(path: str) -> list[list[str]]:
    """The cells of a table, row by row, as text. A usage error for a file that cannot be
    read, is not UTF-8 or not CSV."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    from ..syntax.reading import Refused, read_limited

    try:  # a regular file only: a FIFO would wait for a writer, a device would be read forever
        data = read_limited(p, MAX_BYTES)
    except Refused as err:
        raise CaseTableError([Problem(path, None, None, err.strerror)]) from None
    except OSError as err:  # larger than MAX_BYTES, or gone
        raise CaseTableError([Problem(path, None, None, _('cannot be read: {value}').format(value=err.strerror or err))]) from None
    try:
        text = data.decode("utf-8-sig")  # a spreadsheet's byte order mark is allowed
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise CaseTableError([Problem(path, line, None, _('is not UTF-8 (byte {data:#04x}); save the table as “CSV UTF-8”').format(data=data[err.start]))]) from None
    if "\x00" in text:
        raise CaseTableError([Problem(path, None, None, _('holds a NUL character: it is not a CSV file'))])
    delimiter = _delimiter(text)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)]
    except csv.Error as err:
        raise CaseTableError([Problem(path, None, None, _('is not a well-formed CSV file ({err})').format(err=err))]) from None


def _delimiter(text: str) -> str:
    """The separator of the header line: a comma, or a semicolon or tab where the header has
    more of those outside quotes (a spreadsheet in a Swedish locale saves CSV with
    semicolons). Only the header is looked at: the cells below may hold any of them."""
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        outside = re.sub(r'"[^"]*"', "", line)
        counts = {d: outside.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: (counts[d], d == ","))
        return best if counts[best] else ","
    return ","


def _xlsx_rows(path: str) -> list[list[str]]:
    try:
        import openpyxl
    except ImportError:
        raise CaseTableError([Problem(path, None, None, _("is an .xlsx workbook, which needs the optional `openpyxl`: pip install 'legalmodel[xlsx]', or save it as CSV UTF-8"))]) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a broken workbook
        raise CaseTableError([Problem(path, None, None, _('cannot be read as a workbook ({name})').format(name=type(err).__name__))]) from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(min_row=1, values_only=True):  # from row 1, so rows number as the sheet's
        cells = []
        for v in row:
            if v is None:
                cells.append("")
            elif isinstance(v, bool):
                cells.append("true" if v else "false")
            elif isinstance(v, datetime.datetime):
                cells.append(v.date().isoformat())
            elif isinstance(v, datetime.date):
                cells.append(v.isoformat())
            elif isinstance(v, float) and v.is_integer():
                cells.append(str(int(v)))
            else:
                cells.append(str(v))
        rows.append(cells)
    return rows


def _date_problem(text: str, first: str | None) -> str | None:
    """Why a text is not a date of the law, or None."""
    if not DATE_PATTERN.fullmatch(text):
        return _('{quoted} is not a date; write it as YYYY-MM-DD, like 2016-10-05').format(quoted=_quoted(text))
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return _('{quoted} is not a date of the calendar; write it as YYYY-MM-DD, like 2016-10-05').format(quoted=_quoted(text))
    if first is not None and text < first:
        return _('{text} is before the law: its first provision came into force on {first}').format(text=text, first=first)
    return None


def value_of(fact: m.Fact, text: str) -> tuple[object, str | None]:
    """A cell's value for a fact, or the reason it is none."""
    t = fact.type
    word = text.strip()
    if isinstance(t, m.BoolType):
        if word.casefold() in TRUE_WORDS:
            return True, None
        if word.casefold() in FALSE_WORDS:
            return False, None
        return None, _('{quoted} is not true or false (write true or false; yes/no and ja/nej work too)').format(quoted=_quoted(word))
    if isinstance(t, m.IntType):
        if not re.fullmatch(r"[0-9]{1,18}", word):
            return None, _('{quoted} is not a whole number; `{fact}` is a number from {low} to {high}').format(quoted=_quoted(word), fact=fact.name, low=t.low, high=t.high)
        number = int(word)
        if not t.low <= number <= t.high:
            return None, _('{number} is out of range: `{fact}` is a number from {low} to {high}').format(number=number, fact=fact.name, low=t.low, high=t.high)
        return number, None
    if word in t.members:
        return word, None
    by_description = {_normal(d): v for v, d in zip(t.members, t.descriptions) if d}
    by_name = {v.casefold(): v for v in t.members}
    found = by_name.get(word.casefold()) or by_description.get(_normal(word))
    if found:
        return found, None
    return None, (_('{quoted} is not a value of `{fact}` ({t}: {names})').format(quoted=_quoted(word), fact=fact.name, t=t.name, names=', '.join(t.members))
                  + _hint(word, t.members))


def read_table(spec: m.CheckedSpec, path: str, first: str | None = None) -> list[Case]:
    """The cases of one table, checked against the spec; a CaseTableError with every problem
    found otherwise. `first`: the law's first date (first_date)."""
    from ..syntax.controls import IN_NAME, describe, escaped

    rows = read_rows(path)
    problems: list[Problem] = []
    # a cell is one line of plain text: a control character (ESC drives a terminal) or a
    # line break would reach the reports as it is
    for r, cells in enumerate(rows):
        for i, cell in enumerate(cells):
            found = IN_NAME.search(cell.strip())
            if found:
                problems.append(Problem(path, r + 1, column_letter(i), _('`{escaped}` holds {selector}; a cell is one line of plain text').format(escaped=escaped(cell.strip()[:60]), selector=describe(found.group()))))
    if problems:
        raise CaseTableError(problems)
    header_row = next((i for i, r in enumerate(rows) if any(c.strip() for c in r) and not _comment(r)), None)
    if header_row is None:
        raise CaseTableError([Problem(path, None, None, _("holds no header and no cases; the first row names the columns (case, act, a fact's name or description, a date, …)"))])
    header = [c.strip() for c in rows[header_row]]
    facts_by_description = {_normal(f.description): f.name for f in spec.facts.values()}
    columns: dict[int, tuple[str, str]] = {}  # index → (kind, fact name or date or reserved word)
    seen: dict[tuple[str, str], str] = {}
    for i, name in enumerate(header):
        label = f"{column_letter(i)} “{name}”" if name else column_letter(i)
        if not name:
            if any(i < len(r) and r[i].strip() for r in rows[header_row + 1:]):
                problems.append(Problem(path, header_row + 1, column_letter(i),
                                        _('the column has values but no header; name it after a fact, a date, or one of ') + ", ".join(RESERVED)))
            continue
        if name.casefold() in RESERVED:
            kind, key = "reserved", name.casefold()
        elif name in spec.facts:
            kind, key = "fact", name
        elif _normal(name) in facts_by_description:
            kind, key = "fact", facts_by_description[_normal(name)]
        elif DATE_PATTERN.fullmatch(name) or re.fullmatch(r"[0-9][0-9./ -]*[0-9]", name):
            why = _date_problem(name, first)
            if why:
                problems.append(Problem(path, header_row + 1, label, why))
                continue
            kind, key = "date", name
        else:
            problems.append(Problem(path, header_row + 1, label,
                                    _('{quoted} names no fact of {spec}, and is not a date or one of ').format(quoted=_quoted(name), spec=spec.name)
                                    + ", ".join(RESERVED) + _hint(name, [*spec.facts, *RESERVED])))
            continue
        if (kind, key) in seen:
            problems.append(Problem(path, header_row + 1, label,
                                    _('the column repeats column {seen}').format(seen=seen[kind, key]) +
                                    (_(' (both name the fact `{key}`)').format(key=key) if kind == "fact" else "")))
            continue
        seen[(kind, key)] = label
        columns[i] = (kind, key)
    kinds = {key for kind, key in columns.values() if kind == "reserved"}
    dates = [i for i, (kind, _k) in columns.items() if kind == "date"]
    if EXPECT in kinds and dates:
        problems.append(Problem(path, header_row + 1, None, _('the header has both an `expect` column and date columns; use one way: dates as columns, or a `date` and an `expect` column')))
    elif DATE in kinds and EXPECT not in kinds:
        problems.append(Problem(path, header_row + 1, None, _('the header has a `date` column but no `expect` column for the verdict expected on that date')))
    elif EXPECT not in kinds and not dates:
        problems.append(Problem(path, header_row + 1, None, _('the header names no date and no `expect` column: nothing is expected of any case; add a column per date (like 2016-10-05) holding the verdict expected on it')))
    if ACT not in kinds and len(spec.actions) != 1:
        problems.append(Problem(path, header_row + 1, None, _('the header has no `act` column, and {spec} has {count} acts ({names}); add one').format(spec=spec.name, count=len(spec.actions), names=', '.join(spec.actions))))
    if problems:
        raise CaseTableError(problems)
    actions_by_description = {_normal(a.description): a.name for a in spec.actions.values()}
    cases: list[Case] = []
    for r in range(header_row + 1, len(rows)):
        cells = rows[r]
        if not any(c.strip() for c in cells) or _comment(cells):
            continue
        row = r + 1  # as a spreadsheet numbers its rows
        for i in range(len(header), len(cells)):
            if cells[i].strip():
                problems.append(Problem(path, row, column_letter(i), _('{quoted} stands in a column with no header').format(quoted=_quoted(cells[i].strip()))))
        title, source, action = f"row {row}", "", None
        given: dict = {}
        expectations: list[Expectation] = []
        date_cell: tuple[str, str] | None = None
        expect_cell: tuple[str, str] | None = None
        for i, (kind, key) in columns.items():
            text = cells[i].strip() if i < len(cells) else ""
            label = f"{column_letter(i)} “{header[i]}”"
            if not text:
                continue
            if kind == "fact":
                value, why = value_of(spec.facts[key], text)
                if why:
                    problems.append(Problem(path, row, label, why))
                else:
                    given[key] = value
            elif kind == "date":
                expected, why = _expected(text)
                if why:
                    problems.append(Problem(path, row, label, why))
                else:
                    expectations.append(Expectation(key, expected, label))
            elif key == TITLE:
                title = text
            elif key == SOURCE:
                source = text
            elif key == ACT:
                if text in spec.actions:
                    action = text
                elif _normal(text) in actions_by_description:
                    action = actions_by_description[_normal(text)]
                else:
                    problems.append(Problem(path, row, label, _('{quoted} is not an act of {spec} ({names})').format(quoted=_quoted(text), spec=spec.name, names=', '.join(spec.actions)) + _hint(text, spec.actions)))
                    action = ""
            elif key == DATE:
                why = _date_problem(text, first)
                if why:
                    problems.append(Problem(path, row, label, why))
                date_cell = (text, label)
            elif key == EXPECT:
                expect_cell = (text, label)
        if action is None:
            if ACT in kinds:
                problems.append(Problem(path, row, seen[("reserved", ACT)], _('the act is empty; name the act the case is about ({names})').format(names=', '.join(spec.actions))))
                continue
            action = next(iter(spec.actions))
        if expect_cell is not None:
            expected, why = _expected(expect_cell[0])
            if why:
                problems.append(Problem(path, row, expect_cell[1], why))
            else:
                expectations.append(Expectation(date_cell[0] if date_cell else None, expected, expect_cell[1]))
        if not expectations and not any(p.row == row for p in problems):
            where = _("an `expect` cell") if EXPECT in kinds else _('a verdict under at least one date')
            problems.append(Problem(path, row, None, _('the case expects nothing: give {where}').format(where=where)))
        cases.append(Case(path, row, title, source, action, tuple(given.items()), tuple(expectations)))
    if problems:
        raise CaseTableError(problems)
    if not cases:
        raise CaseTableError([Problem(path, None, None, _('holds a header but no cases'))])
    return cases


def _comment(cells: list[str]) -> bool:
    """A row whose first cell starts with `#` is a comment."""
    return bool(cells) and cells[0].lstrip().startswith("#")


def _expected(text: str) -> tuple[str | None, str | None]:
    word = " ".join(text.split()).casefold()
    if word in EXPECTED_VALUES:
        return word, None
    return None, (_('{quoted} is not a verdict; one of: {names}').format(quoted=_quoted(text), names=', '.join(EXPECTED_VALUES))
                  + _hint(word, EXPECTED_VALUES))

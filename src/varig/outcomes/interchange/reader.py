"""Reading interchange input: a folder of CSV files, uploaded CSV files or one .xlsx workbook.

The result is a list of `Table`s (one per known file or sheet) holding the raw cell values with
their physical line (CSV, header = line 1) or row number (xlsx), and the problems found while
reading (not UTF-8, unknown files, missing columns). Cells are stripped strings, except that an
xlsx cell may also be a real date, number or boolean.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem
from .spec import (
    BY_STEM,
    DUPLICATE_COLUMN,
    DUPLICATE_FILE,
    EMPTY_FILE,
    FILES,
    MISSING_COLUMN,
    NO_FILES,
    NOT_A_WORKBOOK,
    NOT_UTF8,
    UNKNOWN_COLUMN,
    UNKNOWN_FILE,
    FileSpec,
)

_SURROGATE = re.compile("[\udc80-\udcff]")


@dataclass
class Table:
    name: str  # what error lines call it: "placements.csv", or the sheet name "placements"
    spec: FileSpec
    columns: set[str] = field(default_factory=set)  # the columns present in the input
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class ReadResult:
    tables: dict[str, Table]  # by stem
    problems: list[Problem]
    # Files that were given but could not be read: references into them are not checked, so
    # one bad header does not cascade into a problem on every row that points at it.
    unreadable: set[str] = field(default_factory=set)

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())


def _expected_files() -> str:
    return ", ".join(spec.filename for spec in FILES)


def _expected_sheets() -> str:
    return ", ".join(spec.stem for spec in FILES)


def _header(
    name: str, spec: FileSpec, cells: list[Any], problems: list[Problem]
) -> dict[int, str] | None:
    """Map column index → column name; report unknown, duplicate and missing columns."""
    index: dict[int, str] = {}
    seen: set[str] = set()
    ok = True
    for i, cell in enumerate(cells):
        column = str(cell if cell is not None else "").strip().lower()
        if not column:
            continue  # an empty trailing header cell, as spreadsheets often write
        if column not in spec.columns:
            problems.append(
                Problem(
                    name,
                    1,
                    column,
                    UNKNOWN_COLUMN,
                    {"columns": ", ".join(spec.columns)},
                )
            )
            ok = False
            continue
        if column in seen:
            problems.append(Problem(name, 1, column, DUPLICATE_COLUMN))
            ok = False
            continue
        seen.add(column)
        index[i] = column
    for column in spec.columns:
        if column in spec.required and column not in seen:
            problems.append(Problem(name, 1, column, MISSING_COLUMN))
            ok = False
    return index if ok else None


def _not_utf8_problem(name: str, data: bytes) -> Problem:
    """Point at the first cell holding bytes that are not UTF-8."""
    text = data.decode("utf-8-sig", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    line = 1
    for cells in reader:
        for i, cell in enumerate(cells):
            if _SURROGATE.search(cell):
                column = "-" if header is None or i >= len(header) else header[i] or "-"
                return Problem(name, line, column, NOT_UTF8)
        if header is None:
            header = [c.strip().lower() for c in cells]
        line = reader.line_num + 1
    return Problem(name, 1, "-", NOT_UTF8)


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv(name: str, data: bytes, spec: FileSpec, problems: list[Problem]) -> Table | None:
    """One CSV file: UTF-8 with or without BOM, `,` or `;` (detected from the header line)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(_not_utf8_problem(name, data))
        return None
    if not text.strip():
        problems.append(Problem(name, 1, "-", EMPTY_FILE))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    index = _header(name, spec, next(reader), problems)
    if index is None:
        return None
    table = Table(name=name, spec=spec, columns=set(index.values()))
    line = reader.line_num + 1
    for cells in reader:
        values = {column: "" for column in index.values()}
        for i, column in index.items():
            if i < len(cells):
                values[column] = cells[i].strip()
        if any(values.values()):
            table.rows.append((line, values))
        line = reader.line_num + 1
    return table


def read_csv_files(files: list[tuple[str, bytes]]) -> ReadResult:
    """CSV files given as (file name, content), e.g. a folder's files or an upload."""
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    unreadable: set[str] = set()
    seen: set[str] = set()
    for name, data in files:
        stem = Path(name).stem.strip().lower()
        spec = BY_STEM.get(stem)
        if spec is None or Path(name).suffix.lower() != ".csv":
            problems.append(Problem(name, 1, "-", UNKNOWN_FILE, {"files": _expected_files()}))
            continue
        if stem in seen:
            problems.append(Problem(name, 1, "-", DUPLICATE_FILE))
            continue
        seen.add(stem)
        table = read_csv(name, data, spec, problems)
        if table is not None:
            tables[stem] = table
        else:
            unreadable.add(stem)
    if not files:
        problems.append(Problem("-", 1, "-", NO_FILES, {"files": _expected_files()}))
    return ReadResult(tables, problems, unreadable)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def read_workbook(name: str, source: Any) -> ReadResult:
    """One .xlsx workbook (a path or a file-like object); each sheet is named by its file stem."""
    from openpyxl import load_workbook

    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    unreadable: set[str] = set()
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        return ReadResult({}, [Problem(name, 1, "-", NOT_A_WORKBOOK)])
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            first = next(rows, None)
            if first is None or not any(_cell(c) != "" for c in first):
                continue  # an empty sheet (e.g. the default "Sheet") is not an error
            stem = sheet.title.strip().lower()
            spec = BY_STEM.get(stem)
            if spec is None:
                problems.append(
                    Problem(sheet.title, 1, "-", UNKNOWN_FILE, {"files": _expected_sheets()})
                )
                continue
            if stem in tables:
                problems.append(Problem(sheet.title, 1, "-", DUPLICATE_FILE))
                continue
            index = _header(sheet.title, spec, list(first), problems)
            if index is None:
                unreadable.add(stem)
                continue
            table = Table(name=sheet.title, spec=spec, columns=set(index.values()))
            for number, cells in enumerate(rows, start=2):
                values = {column: "" for column in index.values()}
                for i, column in index.items():
                    if i < len(cells):
                        values[column] = _cell(cells[i])
                if any(v != "" for v in values.values()):
                    table.rows.append((number, values))
            tables[stem] = table
    finally:
        workbook.close()
    if not tables and not problems:
        problems.append(Problem(name, 1, "-", NO_FILES, {"files": _expected_sheets()}))
    return ReadResult(tables, problems, unreadable)


def read_path(path: Path) -> ReadResult:
    """A folder of CSV files, one CSV file, or one .xlsx workbook."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
        result = read_csv_files([(p.name, p.read_bytes()) for p in files])
        return result
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path.name, path)
    return read_csv_files([(path.name, path.read_bytes())])

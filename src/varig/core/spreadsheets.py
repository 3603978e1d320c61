"""Cells for every spreadsheet a user downloads (CSV and XLSX): text a spreadsheet would run as
a formula is made inert.

OWASP's rule against CSV (formula) injection: a text cell that starts with `=`, `+`, `-`, `@`,
a tab or a carriage return gets a leading `'`, so a person or company named
`=HYPERLINK("http://…")` or `@SUM(1)` is shown as that text and never evaluated. Numbers and
dates are not text: they keep their type (a negative number stays a number, never `'-2`).

Every CSV and XLSX download builds its cells here (`csv_cell`, `xlsx_cell`). The one exception
is the interchange export (`varig export`, `outcomes/interchange/`): it is data for `varig
import`, not a report, and must survive export → import → export byte for byte (see
docs/interchange.md).
"""

import datetime
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """The text with a leading `'` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_cell(value) -> str:
    """One CSV field: empty for None, ISO dates (times to the minute), numbers as numbers
    (floats to at most 4 decimals, no trailing zeros), everything else as inert text."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value else "0"
    if _is_number(value):
        return str(value)
    return inert(str(value))


def csv_row(values) -> list[str]:
    return [csv_cell(v) for v in values]


def xlsx_cell(value):
    """One XLSX cell value: None, numbers and dates as they are (real cells), everything else
    as inert text without the control characters a workbook cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or _is_number(value) or isinstance(value, datetime.date):
        return value
    return inert(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def xlsx_row(values) -> list:
    return [xlsx_cell(v) for v in values]

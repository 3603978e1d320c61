"""Export in interchange format v1: the same files the importer reads.

Stable output, so export → import → export gives identical files: rows sorted by ref
(advisors by e-mail) in Python (not by the database's collation), the columns in the order of
`spec.FILES`, ISO dates, booleans as `ja`/`nej`, hours without trailing zeros, `,` as
delimiter, UTF-8 without BOM, `\\n` line ends. In a workbook, dates are real date cells and
numbers real numbers; everything else is text.
"""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Q

from varig.core.models import Role, User
from varig.customers.models import JobCustomer
from varig.employers.models import Company
from varig.placements.models import Placement

from . import spec as S


def _hours(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value.normalize() if value != value.to_integral() else value.quantize(Decimal(1))


def collect() -> dict[str, list[list[Any]]]:
    """The rows of every file (typed values), header first, in the export order."""
    customers = list(
        JobCustomer.objects.values_list(
            "ref",
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "phone",
            "postcode",
            "advisor__email",
            "associated_from",
            "associated_until",
        )
    )
    advisor_emails = {row[7].lower() for row in customers if row[7]}
    advisors = sorted(
        {
            (email.lower(), name)
            for email, name in User.objects.filter(
                Q(groups__name=Role.ADVISOR) | Q(email__in=advisor_emails)
            ).values_list("email", "name")
        }
    )
    companies = list(
        Company.objects.values_list("ref", "name", "cvr", "industry", "postcode", "employees")
    )
    placements = [
        (*row[:6], _hours(row[6]), *row[7:])
        for row in Placement.objects.values_list(
            "ref",
            "job_customer__ref",
            "company__ref",
            "kind",
            "started_on",
            "ended_on",
            "hours_per_week",
            "desired_job",
            "end_reason",
        )
    ]
    customers = [(*row[:7], (row[7] or "").lower(), *row[8:]) for row in customers]
    tables = {
        "advisors": advisors,
        "job_customers": sorted(customers, key=lambda r: r[0]),
        "companies": sorted(companies, key=lambda r: r[0]),
        "placements": sorted(placements, key=lambda r: r[0]),
    }
    return {
        spec.stem: [list(spec.columns), *(list(row) for row in tables[spec.stem])]
        for spec in S.FILES
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return S.TRUE_WORD if value else S.FALSE_WORD
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", lineterminator="\n")
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def export_folder(folder: Path) -> dict[str, int]:
    """Write the four CSV files into `folder` (created if missing); returns rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for stem, rows in collect().items():
        (folder / f"{stem}.csv").write_bytes(csv_bytes(rows))
        counts[stem] = len(rows) - 1
    return counts


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return S.TRUE_WORD if value else S.FALSE_WORD
    if isinstance(value, datetime.date | int | Decimal) and not isinstance(value, bool):
        return value
    return str(value).strip()


def export_workbook(target: Path | io.BytesIO) -> dict[str, int]:
    """Write one .xlsx workbook with a sheet per file; returns rows per sheet."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    counts = {}
    for stem, rows in collect().items():
        sheet = workbook.create_sheet(stem)
        for row in rows:
            cells = []
            for value in row:
                value = _cell(value)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cells.append(_typed_cell(sheet, value))
            sheet.append(cells)
        counts[stem] = len(rows) - 1
    workbook.save(target)
    return counts


def _typed_cell(sheet, value: Any):
    """Dates shown as YYYY-MM-DD; text that starts with = stays text, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def export_path(path: Path) -> dict[str, int]:
    """Export to a folder of CSV files, or to one workbook when `path` ends in .xlsx."""
    if path.suffix.lower() == ".xlsx":
        path.parent.mkdir(parents=True, exist_ok=True)
        return export_workbook(path)
    return export_folder(path)

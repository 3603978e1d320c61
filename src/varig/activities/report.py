"""The participation report: attendance per strand and month, before and after employment,
counted in SQL (one GROUP BY query), and its CSV download.

"After employment" means the person had started a work placement (skånejob, fleksjob or an
ordinary job; a praktik is not work) on or before the session's date; "before" that they had
not. A person counts once per month, strand and side, however many sessions they attended.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from varig.core.spreadsheets import csv_row
from varig.placements.models import WORK_KINDS, Placement

from .models import Attendance, Strand

BEFORE, AFTER = "before", "after"
SIDES = {BEFORE: _("Before employment"), AFTER: _("After employment")}


def participation_rows(*, year: int) -> list[dict]:
    """(month, strand, employed) → distinct persons and attendances, for sessions in `year`."""
    employed = Exists(
        Placement.objects.filter(
            job_customer=OuterRef("enrollment__job_customer"),
            kind__in=WORK_KINDS,
            started_on__lte=OuterRef("session__date"),
        )
    )
    return list(
        Attendance.objects.filter(present=True, session__date__year=year)
        .annotate(
            month=TruncMonth("session__date"),
            strand=F("session__run__activity__strand"),
            employed=employed,
        )
        .values("month", "strand", "employed")
        .annotate(
            persons=Count("enrollment__job_customer", distinct=True),
            attendances=Count("pk"),
        )
        .order_by("month", "strand", "employed")
    )


@dataclass
class ReportTable:
    year: int
    columns: list[tuple[str, str, str]]  # (strand, side, label)
    months: list[tuple[datetime.date, list[dict | None]]]
    totals: list[dict]


def participation_table(*, year: int) -> ReportTable:
    """The report as a table: a row per month, a column per strand and side."""
    cells: dict[tuple, dict] = {}
    for row in participation_rows(year=year):
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        side = AFTER if row["employed"] else BEFORE
        cells[(month, row["strand"], side)] = row
    columns = [
        (strand, side, f"{label}: {SIDES[side]}")
        for strand, label in Strand.choices
        for side in (BEFORE, AFTER)
    ]
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    table = [
        (m, [cells.get((m, strand, side)) for strand, side, _label in columns]) for m in months
    ]
    totals = []
    for index in range(len(columns)):
        found = [row[1][index] for row in table if row[1][index]]
        totals.append(
            {
                "attendances": sum(c["attendances"] for c in found),
                "person_months": sum(c["persons"] for c in found),
            }
        )
    return ReportTable(year=year, columns=columns, months=table, totals=totals)


CSV_HEADER = ["month", "strand", "strand_label", "employment", "persons", "attendances"]


def participation_csv(*, year: int) -> str:
    """One line per month, strand and side with participants (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    labels = dict(Strand.choices)
    for row in participation_rows(year=year):
        month = row["month"]
        side = AFTER if row["employed"] else BEFORE
        writer.writerow(
            csv_row(
                [
                    f"{month:%Y-%m}",
                    row["strand"],
                    labels.get(row["strand"], row["strand"]),
                    side,
                    row["persons"],
                    row["attendances"],
                ]
            )
        )
    return out.getvalue()

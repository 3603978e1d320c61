"""The call list of a campaign as CSV (semicolon, UTF-8 with BOM, for Excel) and XLSX.

What was said on the phone stays in Varig (it may touch on health): the export has who was
called, by whom, where each call stands and whether it became a task, not the notes.
"""

import csv
import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from varig.core.spreadsheets import csv_row, xlsx_row

from . import selectors
from .models import Campaign

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [
        _("Reference"),
        _("Job customer"),
        _("Phone"),
        _("Advisor"),
        _("Caller"),
        _("Status"),
        _("Attempts"),
        _("Last attempt"),
        _("Next try"),
        _("Task for the advisor"),
    ]


def rows(campaign: Campaign):
    """One list per call, in the headers' order (dates as dates, times in local time)."""
    for call in selectors.export_rows(campaign=campaign).iterator(chunk_size=2000):
        person = call.job_customer
        last = (
            timezone.localtime(call.last_attempt_at).replace(tzinfo=None)
            if call.last_attempt_at
            else None
        )
        yield [
            person.ref,
            person.full_name,
            person.phone,
            person.advisor.name if person.advisor else "",
            call.caller.name,
            call.get_status_display(),
            call.attempts,
            last,
            call.next_try_on,
            _("yes") if call.task_id else _("no"),
        ]


def campaign_csv(campaign: Campaign) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers())
    for row in rows(campaign):
        writer.writerow(csv_row(row))
    return out.getvalue()


def campaign_xlsx(campaign: Campaign) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Calls")[:31]
    names = headers()
    ws.append(names)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows(campaign):
        ws.append(xlsx_row(row))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for column, name in zip(ws.columns, names, strict=False):
        ws.column_dimensions[column[0].column_letter].width = max(12, min(len(name) + 4, 40))
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

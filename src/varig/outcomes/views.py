"""The Resultater page and its table downloads (leder and administrator)."""

import csv
import io
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from varig.core.permissions import manager_required
from varig.core.spreadsheets import csv_row, xlsx_row
from varig.customers.selectors import advisor_choices

from .results import (
    CACHE_SECONDS,
    DATE,
    PCT,
    TABLE_NAMES,
    Filters,
    Percent,
    ResultsFilterForm,
    cached_table,
    cached_tables,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request, today):
    """The bound filter form and the filters it gives (the defaults when it is invalid)."""
    advisors = advisor_choices()
    form = ResultsFilterForm(request.GET or None, advisors=advisors, today=today)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = Filters.build(
            first_year=data["from_year"],
            last_year=data["to_year"],
            advisor=data["advisor"],
            today=today,
        )
    else:
        filters = Filters.default(today)
    if not form.is_bound:
        form = ResultsFilterForm(
            initial={"from_year": filters.first_year, "to_year": filters.last_year},
            advisors=advisors,
            today=today,
        )
    return form, filters


def _query(filters: Filters) -> dict:
    query = {"from_year": filters.first_year, "to_year": filters.last_year}
    if filters.advisor is not None:
        query["advisor"] = filters.advisor.pk
    return query


@require_GET
@manager_required
def results_view(request):
    today = timezone.localdate()
    form, filters = _filters(request, today)
    tables, computed_at = cached_tables(filters, today=today)
    query = _query(filters)
    for name, table in tables.items():
        table.downloads = {
            fmt: urlencode({**query, "table": name, "format": fmt}) for fmt in ("csv", "xlsx")
        }
    context = {
        "nav_section": "results",
        "form": form,
        "filters": filters,
        "tables": tables,
        "computed_at": computed_at,
        "cache_minutes": CACHE_SECONDS // 60,
    }
    template = "outcomes/results.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@manager_required
def results_download_view(request):
    name = request.GET.get("table", "")
    fmt = request.GET.get("format", "csv")
    if name not in TABLE_NAMES or fmt not in ("csv", "xlsx"):
        raise Http404
    today = timezone.localdate()
    _form, filters = _filters(request, today)
    table = cached_table(filters, name, today=today)
    filename = f"resultater-{name}-{filters.first_year}-{filters.last_year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel reads UTF-8 with a BOM
        writer = csv.writer(response, delimiter=";")
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow(csv_row(row))
    else:
        response = HttpResponse(_xlsx(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx(table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = table.name[:31]
    ws.append(table.headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        ws.append(xlsx_row(row))
        for cell, v, (_l, kind) in zip(ws[ws.max_row], row, table.columns, strict=True):
            if kind == PCT or isinstance(v, Percent):
                cell.number_format = "0.0%"
            elif kind == DATE:
                cell.number_format = "yyyy-mm-dd"
    for col, header in zip(ws.columns, table.headers, strict=False):
        ws.column_dimensions[col[0].column_letter].width = max(12, min(len(header) + 2, 50))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

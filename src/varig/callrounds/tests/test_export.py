import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from varig.callrounds import services
from varig.callrounds.tests.factories import make_campaign
from varig.customers.tests.factories import make_job_customer

HEADERS = [
    "Reference",
    "Jobkunde",
    "Telefon",
    "Vejleder",
    "Opringer",
    "Status",
    "Forsøg",
    "Seneste forsøg",
    "Næste forsøg",
    "Opgave til vejlederen",
]


def _campaign(manager, advisor):
    anna = make_job_customer(
        advisor=advisor, first_name="Anna", last_name="Andersen", phone="+45 11 22 33 44"
    )
    bo = make_job_customer(advisor=advisor, first_name="Bo", last_name="Berg", phone="")
    odd = make_job_customer(
        advisor=advisor, first_name="=HYPERLINK(1)", last_name="Cort", phone="-2+3"
    )
    for first in ("+1", "@SUM(1)"):
        make_job_customer(advisor=advisor, first_name=first, last_name="X", phone="")
    campaign = make_campaign(user=manager, callers=[advisor], retry_after_days=2)
    services.call_record(
        user=advisor,
        call=campaign.calls.get(job_customer=anna),
        outcome="needs_help",
        note="Fortroligt: ny medicin",
    )
    services.call_record(
        user=advisor, call=campaign.calls.get(job_customer=bo), outcome="not_reached"
    )
    return campaign, anna, bo, odd


@pytest.mark.django_db
def test_the_csv_has_every_call_where_it_stands_and_no_notes(manager_client, manager, advisor):
    campaign, anna, bo, odd = _campaign(manager, advisor)
    response = manager_client.get(reverse("callrounds:export", args=[campaign.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"ringerunde-{campaign.pk}-" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == HEADERS
    by_ref = {row[0]: row for row in rows[1:]}
    assert len(by_ref) == 5
    today = timezone.localdate()
    a = by_ref[anna.ref]
    assert a[1:7] == [
        "Anna Andersen",
        "'+45 11 22 33 44",
        "Vera Vejleder",
        "Vera Vejleder",
        "Talt med, har brug for hjælp",
        "1",
    ]
    assert a[7].startswith(today.isoformat()) and a[8] == "" and a[9] == "ja"
    b = by_ref[bo.ref]
    assert b[5:][:2] == ["Ikke fået fat, prøv igen", "1"]
    assert b[8] == (today + datetime.timedelta(days=2)).isoformat() and b[9] == "nej"
    o = by_ref[odd.ref]
    assert o[1] == "'=HYPERLINK(1) Cort" and o[5] == "Ikke ringet endnu" and o[7] == ""
    assert o[2] == "'-2+3" and o[6] == "0"
    names = {row[1] for row in rows[1:]}
    assert {"'+1 X", "'@SUM(1) X"} <= names
    assert "medicin" not in text


@pytest.mark.django_db
def test_the_xlsx_has_the_same_rows_with_real_dates(manager_client, manager, advisor):
    campaign, anna, bo, odd = _campaign(manager, advisor)
    response = manager_client.get(reverse("callrounds:export", args=[campaign.pk, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    by_ref = {row[0]: row for row in rows[1:]}
    assert by_ref[anna.ref][5] == "Talt med, har brug for hjælp"
    assert isinstance(by_ref[anna.ref][7], datetime.datetime)
    assert by_ref[bo.ref][8] == datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=2), datetime.time()
    )
    assert not any("medicin" in str(v) for row in rows for v in row)
    # Text a spreadsheet would run is text; counts stay numbers.
    assert by_ref[odd.ref][1:3] == ("'=HYPERLINK(1) Cort", "'-2+3")
    assert by_ref[anna.ref][2] == "'+45 11 22 33 44" and by_ref[anna.ref][6] == 1
    assert {"'+1 X", "'@SUM(1) X"} <= {row[1] for row in rows[1:]}
    assert sheet.cell(row=2, column=2).data_type == "s"


@pytest.mark.django_db
def test_an_unknown_format_is_not_found(manager_client, manager, advisor):
    campaign, *_ = _campaign(manager, advisor)
    assert (
        manager_client.get(reverse("callrounds:export", args=[campaign.pk, "pdf"])).status_code
        == 404
    )

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from varig.core.budgets import PAGE_MAX_QUERIES
from varig.customers.models import ContactNote
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company
from varig.outcomes.results import TABLE_NAMES
from varig.placements.models import FollowUp, TierChange
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:results")
DOWNLOAD = reverse("outcomes:results_download")


def make_history(n: int, advisor=None):
    """n persons with jobs, ended jobs, follow-ups, tier changes and employer contacts."""
    from django.utils import timezone

    today = timezone.localdate()
    for i in range(n):
        jc = make_job_customer(
            associated_from=today - datetime.timedelta(days=900 + i), advisor=advisor
        )
        company = make_company()
        first = make_placement(
            job_customer=jc,
            company=company,
            started_on=today - datetime.timedelta(days=800),
            ended_on=today - datetime.timedelta(days=400 - i),
        )
        second = make_placement(
            job_customer=jc,
            company=company,
            kind="fleksjob",
            desired_job=i % 2 == 0,
            started_on=today - datetime.timedelta(days=380 - i),
        )
        TierChange.objects.create(
            placement=second,
            tier="peripheral",
            changed_on=second.started_on + datetime.timedelta(days=90),
        )
        FollowUp.objects.create(
            placement=first,
            job_customer=jc,
            kind="month_3",
            months=3,
            due_on=first.started_on + datetime.timedelta(days=90),
            window_start=first.started_on + datetime.timedelta(days=80),
            window_end=first.started_on + datetime.timedelta(days=100),
            status="held",
            held_on=first.started_on + datetime.timedelta(days=95 + i % 10),
        )
        ContactNote.objects.create(
            job_customer=jc,
            kind="meeting",
            occurred_at=timezone.now() - datetime.timedelta(days=850),
            company=company,
            text="Møde",
        )


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("fixture", ["advisor_client", "consultant_client"])
def test_others_are_refused(request, fixture):
    c = request.getfixturevalue(fixture)
    assert c.get(URL).status_code == 403
    assert c.get(DOWNLOAD, {"table": "years", "format": "csv"}).status_code == 403


@pytest.mark.parametrize("fixture", ["manager_client", "administrator_client"])
def test_full_page_for_managers(request, fixture, advisor):
    make_history(3, advisor=advisor)
    c = request.getfixturevalue(fixture)
    response = c.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'id="results"' in html
    assert "<svg" in html and "<title>" in html
    assert 'aria-current="page"' in html
    for name in TABLE_NAMES:
        assert f'id="t-{name}"' in html
    assert "style=" not in html
    # SVG coordinates are never localised (no Danish decimal comma).
    assert not re.search(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|width|height)="[0-9]+,[0-9]', html)
    assert "<script>" not in html


def test_htmx_fragment(manager_client, advisor):
    make_history(2, advisor=advisor)
    response = manager_client.get(
        URL, {"advisor": advisor.pk, "from_year": 2020, "to_year": 2026}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "Vera Vejleder" in html
    assert "HX-Request" in response["Vary"]


def test_levels_reflect_the_data_and_the_advisor_filter(manager_client, advisor, other_advisor):
    make_history(3, advisor=advisor)
    tables = manager_client.get(URL).context["tables"]
    levels = tables["levels"].rows
    assert [row[1] for row in levels] == [2, 3, 3]  # desired (i=0, 2), in work, associated
    tables = manager_client.get(URL, {"advisor": other_advisor.pk}).context["tables"]
    assert [row[1] for row in tables["levels"].rows] == [0, 0, 0]


def test_bad_period_shows_an_error_and_the_default(manager_client):
    response = manager_client.get(URL, {"from_year": 2024, "to_year": 2020})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["filters"].last_year == datetime.date.today().year


def test_csv_download_parses_and_keeps_the_filters(manager_client, advisor):
    make_history(3, advisor=advisor)
    response = manager_client.get(
        DOWNLOAD, {"table": "levels", "format": "csv", "advisor": advisor.pk}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4
    assert [r[1] for r in rows[1:]] == ["2", "3", "3"]
    assert rows[3][2] == "1"


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_every_table_downloads_as_xlsx(manager_client, advisor, name):
    make_history(2, advisor=advisor)
    response = manager_client.get(DOWNLOAD, {"table": name, "format": "xlsx"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    page = manager_client.get(URL).context["tables"][name]
    assert [c.value for c in ws[1]] == page.headers
    assert ws.max_row == len(page.rows) + 1


def test_unknown_table_is_404(manager_client):
    assert manager_client.get(DOWNLOAD, {"table": "nope", "format": "csv"}).status_code == 404
    assert manager_client.get(DOWNLOAD, {"table": "years", "format": "pdf"}).status_code == 404


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_independent_of_data_size(manager_client, advisor, other_advisor):
    make_history(1, advisor=advisor)
    small = _count(manager_client)
    make_history(25, advisor=other_advisor)
    assert _count(manager_client) == small
    assert small <= PAGE_MAX_QUERIES, f"Resultater made {small} queries (issue 9)"


FORMULA_NAMES = ['=HYPERLINK("http://x.example","klik")', "+1", "-2+3", "@SUM(1)"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_advisor_names_a_spreadsheet_would_run_download_inert(manager_client, fmt):
    from varig.core.models import Role
    from varig.core.tests.factories import make_user

    for i, name in enumerate(FORMULA_NAMES):
        advisor = make_user(role=Role.ADVISOR, name=name, email=f"f{i}@example.dk")
        make_job_customer(advisor=advisor)
    response = manager_client.get(DOWNLOAD, {"table": "caseload", "format": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    else:
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)[1:]
    by_name = {row[0]: row[1] for row in rows}
    assert set(by_name) >= {"'" + name for name in FORMULA_NAMES}
    # The counts beside them stay numbers (a number, never quoted text).
    assert {by_name["'" + name] for name in FORMULA_NAMES} == {"1" if fmt == "csv" else 1}

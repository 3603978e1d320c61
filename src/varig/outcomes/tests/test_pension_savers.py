"""The share of persons in work who save for a pension (earnings.PensionSaving), on the
Resultater page: from the caseload's grouped query, so the page asks nothing more."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from varig.core.budgets import PAGE_MAX_QUERIES
from varig.customers.tests.factories import make_job_customer
from varig.earnings.tests.factories import make_pension_saving
from varig.outcomes.selectors import PensionSavers, caseload, caseload_and_pension
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

REF = datetime.date(2024, 12, 31)
D = datetime.date
JOB_START = D(2024, 1, 1)
URL = reverse("outcomes:results")
DOWNLOAD = reverse("outcomes:results_download")


def in_work(advisor, *, started=JOB_START, ended=None, **person):
    jc = make_job_customer(advisor=advisor, associated_from=D(2023, 1, 1), **person)
    make_placement(job_customer=jc, started_on=started, ended_on=ended)
    return jc


def test_persons_in_work_who_save_per_advisor(advisor, other_advisor):
    saver = in_work(advisor)
    make_pension_saving(job_customer=saver, started_on=D(2024, 6, 1))
    stopped = in_work(advisor)
    make_pension_saving(job_customer=stopped, started_on=D(2024, 1, 1), stopped_on=REF)
    later = in_work(advisor)
    make_pension_saving(job_customer=later, started_on=D(2025, 1, 1))  # after the date
    in_work(advisor)  # in work, not saving
    not_working = make_job_customer(advisor=advisor, associated_from=D(2023, 1, 1))
    make_pension_saving(job_customer=not_working, started_on=D(2024, 1, 1))  # not in work
    ended_job = in_work(other_advisor, ended=D(2024, 6, 30))
    make_pension_saving(job_customer=ended_job, started_on=D(2024, 1, 1))
    practice = make_job_customer(advisor=other_advisor, associated_from=D(2023, 1, 1))
    make_placement(job_customer=practice, kind="praktik", started_on=D(2024, 1, 1))
    make_pension_saving(job_customer=practice, started_on=D(2024, 1, 1))  # praktik: not work
    other_saver = in_work(other_advisor)
    make_pension_saving(job_customer=other_saver, started_on=D(2023, 1, 1))
    left = in_work(advisor, associated_until=D(2024, 6, 30))  # no longer associated
    make_pension_saving(job_customer=left, started_on=D(2024, 1, 1))

    loads, savers = caseload_and_pension(reference=REF)
    assert loads == caseload(reference=REF)
    assert loads == [
        {"advisor": "Ole Vejleder", "persons": 3},
        {"advisor": "Vera Vejleder", "persons": 5},
    ]
    assert savers == [PensionSavers("Ole Vejleder", 1, 1), PensionSavers("Vera Vejleder", 4, 1)]
    assert savers[1].share == 0.25
    _loads, only_ole = caseload_and_pension(reference=REF, advisor=other_advisor)
    assert only_ole == [PensionSavers("Ole Vejleder", 1, 1)]
    assert PensionSavers("", 0, 0).share is None


def test_the_page_shows_the_share_and_downloads_it(manager_client, advisor):
    from django.utils import timezone

    today = timezone.localdate()
    for n in range(4):
        jc = in_work(advisor, started=today - datetime.timedelta(days=100))
        if n == 0:
            make_pension_saving(job_customer=jc, started_on=today - datetime.timedelta(days=50))
    response = manager_client.get(URL)
    assert response.status_code == 200
    table = response.context["tables"]["pension"]
    assert table.rows[0][1:] == [4, 1, 0.25]
    text = response.content.decode()
    assert "Personer i job, der sparer op til pension" in text
    assert "25,0 %" in text
    fragment = manager_client.get(URL, HTTP_HX_REQUEST="true")
    assert "Personer i job, der sparer op til pension" in fragment.content.decode()
    download = manager_client.get(DOWNLOAD, {"table": "pension", "format": "csv"})
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Vejleder", "I job", "Sparer op til pension"]
    assert rows[1][1:3] == ["4", "1"]


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_asks_the_same_with_1_and_25_savers(manager_client, advisor, other_advisor):
    from django.core.cache import cache
    from django.utils import timezone

    today = timezone.localdate()
    make_pension_saving(
        job_customer=in_work(advisor), started_on=today - datetime.timedelta(days=9)
    )
    small = _count(manager_client)
    for _ in range(25):
        make_pension_saving(
            job_customer=in_work(other_advisor), started_on=today - datetime.timedelta(days=9)
        )
    cache.clear()
    assert _count(manager_client) == small
    assert small <= PAGE_MAX_QUERIES

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.tests.queries import request_overhead
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:results")
DOWNLOAD = reverse("outcomes:results_download")


def _in_work(response) -> int:
    """Persons in work at the reference date (the levels table's second row)."""
    return response.context["tables"]["levels"].rows[1][1]


def _person_in_work():
    today = timezone.localdate()
    jc = make_job_customer(associated_from=today - datetime.timedelta(days=400))
    make_placement(
        job_customer=jc,
        company=make_company(),
        kind="fleksjob",
        started_on=today - datetime.timedelta(days=30),
    )


def test_second_load_reuses_the_figures_and_says_when_they_were_computed(
    manager_client, results_cache
):
    _person_in_work()
    first = manager_client.get(URL)
    computed = timezone.localtime(first.context["computed_at"]).strftime("%H:%M")
    assert f"Tallene er beregnet kl. {computed}" in first.content.decode()
    assert _in_work(first) == 1

    _person_in_work()  # a change within the cache time shows on the next computation only
    with CaptureQueriesContext(connection) as ctx:
        second = manager_client.get(URL)
    assert _in_work(second) == 1
    assert second.context["computed_at"] == first.context["computed_at"]
    # Only every request's own (session, user, 2FA) and the advisor choices: none of the
    # figures' queries.
    assert len(ctx.captured_queries) < request_overhead(manager_client) + 3


def test_other_filters_are_computed_apart(manager_client, results_cache):
    _person_in_work()
    manager_client.get(URL)
    year = timezone.localdate().year
    _person_in_work()
    other = manager_client.get(URL, {"from_year": year - 2, "to_year": year})
    assert other.context["filters"].first_year == year - 2
    assert _in_work(other) == 2


def test_download_matches_the_cached_page(manager_client, results_cache):
    _person_in_work()
    manager_client.get(URL)
    _person_in_work()
    response = manager_client.get(DOWNLOAD, {"table": "levels", "format": "csv"})
    rows = response.content.decode("utf-8-sig").splitlines()
    assert any(line.split(";")[1] == "1" for line in rows[1:] if "arbejdsmarked" in line)


def test_without_the_cache_every_load_computes(manager_client):
    _person_in_work()
    manager_client.get(URL)
    _person_in_work()
    assert _in_work(manager_client.get(URL)) == 2

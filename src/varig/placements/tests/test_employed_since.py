"""The start of the unbroken employment stored on each placement (`Placement.employed_since`,
kept by `anniversaries.refresh_employed_since`) is right after every writer of placements,
and the anniversaries read from it are the ones the rule gives over all the placements."""

import datetime
import importlib
import io
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company
from varig.placements import anniversaries
from varig.placements import services as placement_services
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement

D = datetime.date
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def wrong_rows() -> list:
    """The placements whose stored start differs from the one the rule gives."""
    rows = list(Placement.objects.order_by())
    wanted = anniversaries.employed_since_of(rows)
    return [
        (p.ref, p.employed_since, wanted[p.pk]) for p in rows if p.employed_since != wanted[p.pk]
    ]


def since(placement) -> datetime.date | None:
    return Placement.objects.values_list("employed_since", flat=True).get(pk=placement.pk)


def test_the_factories_store_it():
    person, company = make_job_customer(), make_company()
    first = make_placement(
        job_customer=person, company=company, started_on=D(2020, 1, 1), ended_on=D(2020, 12, 31)
    )
    assert first.employed_since == D(2020, 1, 1)
    second = make_placement(job_customer=person, company=company, started_on=D(2021, 1, 1))
    assert second.employed_since == D(2020, 1, 1), "the next day continues the employment"
    praktik = make_placement(
        job_customer=person,
        company=company,
        kind=Placement.Kind.PRAKTIK,
        started_on=D(2019, 1, 1),
        ended_on=D(2019, 12, 31),
    )
    assert praktik.employed_since is None, "a praktik is not employment"
    assert since(first) == D(2020, 1, 1)
    assert not wrong_rows()


def test_the_placement_services_store_it(advisor):
    today = timezone.localdate()
    person = make_job_customer(advisor=advisor, associated_from=today - datetime.timedelta(900))
    company = make_company()
    praktik = placement_services.placement_create(
        user=advisor,
        job_customer=person,
        company=company,
        kind=Placement.Kind.PRAKTIK,
        started_on=today - datetime.timedelta(days=800),
    )
    assert since(praktik) is None
    job = placement_services.praktik_convert(
        user=advisor,
        praktik=praktik,
        kind=Placement.Kind.FLEKSJOB,
        started_on=today - datetime.timedelta(days=700),
    )
    assert since(job) == today - datetime.timedelta(days=700), "the praktik does not count"
    placement_services.placement_end(
        user=advisor,
        placement=job,
        ended_on=today - datetime.timedelta(days=400),
        reason_category=Placement.EndReason.OWN_WISH,
    )
    later = placement_services.placement_create(
        user=advisor,
        job_customer=person,
        company=company,
        kind=Placement.Kind.SKAANEJOB,
        started_on=today - datetime.timedelta(days=399),
    )
    assert since(later) == today - datetime.timedelta(days=700), "no gap: one employment"
    job.refresh_from_db()
    placement_services.placement_update(
        user=advisor,
        placement=job,
        expected_version=job.version,
        started_on=today - datetime.timedelta(days=650),
    )
    assert since(later) == today - datetime.timedelta(days=650), "the later one follows the first"
    later.refresh_from_db()
    placement_services.placement_update(
        user=advisor,
        placement=later,
        expected_version=later.version,
        started_on=today - datetime.timedelta(days=300),
    )
    assert since(later) == today - datetime.timedelta(days=300), "a gap: a new employment"
    assert not wrong_rows()


def _import(folder: Path, **files: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, content in files.items():
        (folder / f"{stem}.csv").write_text(content, encoding="utf-8")
    call_command("import", str(folder), stdout=io.StringIO(), stderr=io.StringIO())


CUSTOMERS = "ref,last_name,associated_from,associated_until\nJK-1,Andersen,2020-01-01,\nJK-2,Bech,2020-01-01,\n"
COMPANIES = "ref,name\nV-1,Bageren ApS\n"
PLACEMENTS = "ref,job_customer_ref,company_ref,kind,started_on,ended_on\n"


def test_the_import_stores_it_for_new_changed_and_moved_placements(tmp_path, advisor):
    _import(
        tmp_path / "1",
        job_customers=CUSTOMERS,
        companies=COMPANIES,
        placements=PLACEMENTS + "PL-1,JK-1,V-1,skaanejob,2020-04-01,2020-12-31\n"
        "PL-2,JK-1,V-1,fleksjob,2021-01-01,\n",
    )
    assert since(Placement.objects.get(ref="PL-2")) == D(2020, 4, 1)
    # The first one moves to Bo: Anna's employment starts with the second.
    _import(
        tmp_path / "2", placements=PLACEMENTS + "PL-1,JK-2,V-1,skaanejob,2020-04-01,2020-12-31\n"
    )
    assert since(Placement.objects.get(ref="PL-2")) == D(2021, 1, 1)
    assert since(Placement.objects.get(ref="PL-1")) == D(2020, 4, 1)
    # A praktik by import counts for nothing.
    _import(tmp_path / "3", placements=PLACEMENTS + "PL-2,JK-1,V-1,praktik,2021-01-01,\n")
    assert since(Placement.objects.get(ref="PL-2")) is None
    assert not wrong_rows()


def test_the_erasure_keeps_it(manager):
    from varig.privacy import services as privacy_services

    second = make_user(role=Role.MANAGER, name="Mads Leder", email="mads@example.dk")
    person = make_job_customer(associated_from=D(2020, 1, 1))
    job = make_placement(job_customer=person, started_on=D(2020, 3, 1))
    Placement.objects.filter(pk=job.pk).update(employed_since=None)  # as if stale
    request = privacy_services.erasure_request(actor=manager, job_customer=person, reason="x")
    privacy_services.erasure_approve(actor=second, request=request)
    assert since(job) == D(2020, 3, 1)
    assert not wrong_rows()


def test_the_demo_stores_it_for_everyone():
    call_command("demo", "--scale", "tiny", "--seed", "3", stdout=io.StringIO())
    assert Placement.objects.exclude(employed_since=None).exists()
    assert not wrong_rows()


def test_the_migration_backfills_it():
    people = [make_job_customer() for _ in range(3)]
    companies = [make_company() for _ in range(2)]
    _random_history(random.Random(7), people, companies, n=40)
    expected = {p.pk: p.employed_since for p in Placement.objects.all()}
    Placement.objects.update(employed_since=None)
    migration = importlib.import_module("varig.placements.migrations.0008_employed_since")

    class Editor:
        def __init__(self):
            self.connection = connection

        def quote_name(self, name):
            return connection.ops.quote_name(name)

    from django.apps import apps

    migration._backfill(apps, Editor())
    assert {p.pk: p.employed_since for p in Placement.objects.all()} == expected


def _random_history(rng, people, companies, *, n):
    base = D(2014, 1, 1)
    for _ in range(n):
        start = base + datetime.timedelta(days=rng.randrange(0, 4000))
        length = rng.choice([None, 0, 1, 30, 200, 400, 800])
        make_placement(
            job_customer=rng.choice(people),
            company=rng.choice(companies),
            kind=rng.choice([*Placement.Kind.values, Placement.Kind.SKAANEJOB]),
            started_on=start,
            ended_on=None if length is None else start + datetime.timedelta(days=length),
        )


@pytest.mark.parametrize("seed", range(6))
def test_the_anniversaries_read_from_it_are_the_rule_applied_to_every_placement(seed):
    rng = random.Random(seed)
    people = [make_job_customer(associated_from=D(2010, 1, 1)) for _ in range(4)]
    companies = [make_company() for _ in range(2)]
    _random_history(rng, people, companies, n=30)
    # Starts right on the milestones' days, 29 February included.
    for start in (D(2016, 2, 29), D(2020, 2, 29), D(2021, 3, 1)):
        make_placement(
            job_customer=rng.choice(people), company=rng.choice(companies), started_on=start
        )
    assert not wrong_rows()
    placements = list(Placement.objects.select_related("job_customer", "company"))
    for first in (D(2022, 2, 1), D(2025, 2, 20), D(2026, 1, 1), D(2028, 2, 27)):
        last = first + datetime.timedelta(days=rng.choice([0, 30, 90, 365]))
        expected = anniversaries._anniversaries_of(placements, first, last)
        got = anniversaries.anniversaries_between(first=first, last=last)
        key = lambda a: (a.on, a.job_customer.pk, a.company.pk, a.years, a.employed_since)  # noqa: E731
        assert [key(a) for a in got] == [key(a) for a in expected]


def test_today_for_a_manager_reads_the_anniversaries_in_a_fixed_number_of_queries(
    client_for, manager, advisor, django_assert_num_queries
):
    from varig.core.tests.test_today import _count_queries

    client = client_for(manager)
    today = timezone.localdate()
    person = make_job_customer(advisor=advisor, associated_from=D(2010, 1, 1))
    make_placement(job_customer=person, started_on=today.replace(year=today.year - 2) + 3 * DAY)
    one = _count_queries(client)
    for n in range(25):
        person = make_job_customer(
            advisor=advisor, associated_from=D(2010, 1, 1), last_name=f"J{n}"
        )
        make_placement(job_customer=person, started_on=today.replace(year=today.year - 5) + n * DAY)
    response = client.get(reverse("core:today"))
    assert response.context["alerts_today"].anniversary_count >= 26
    assert _count_queries(client) == one <= 20

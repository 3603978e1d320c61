"""The stored status (customers/status.py): what it stores, that the filter always agrees with
the derived status (fresh or stale), and that every writer keeps it fresh."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers import services as customer_services
from varig.customers import status as status_module
from varig.customers.models import CustomerStatus, JobCustomer
from varig.customers.selectors import job_customer_list
from varig.customers.status import refresh_statuses, status_daily, status_filter
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company
from varig.placements import services as placement_services
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)
S = CustomerStatus


def stored(job_customer) -> tuple:
    row = JobCustomer.objects.get(pk=job_customer.pk)
    return row.current_status, row.status_checked_on, row.status_changes_on


def derived(status: str, day: datetime.date) -> set[int]:
    return set(JobCustomer.objects.with_status_filter(status, day).values_list("pk", flat=True))


def filtered(status: str, day: datetime.date) -> set[int]:
    return set(status_filter(JobCustomer.objects.all(), status, day).values_list("pk", flat=True))


def assert_filter_agrees(*days: datetime.date) -> None:
    for day in days:
        for status in S.values:
            assert filtered(status, day) == derived(status, day), (status, day)


@pytest.fixture
def people(advisor):
    """One person of each status on TODAY, with changes ahead for some."""
    company = make_company()
    ended = make_job_customer(associated_from=D(2020, 1, 1), associated_until=D(2025, 12, 31))
    make_placement(job_customer=ended, company=company, started_on=D(2021, 1, 1))
    in_work = make_job_customer(associated_until=D(2026, 9, 30))
    make_placement(
        job_customer=in_work, company=company, started_on=D(2026, 1, 1), ended_on=D(2026, 7, 31)
    )
    praktik = make_job_customer()
    make_placement(
        job_customer=praktik,
        company=company,
        kind=Placement.Kind.PRAKTIK,
        started_on=D(2026, 6, 1),
    )
    make_placement(job_customer=praktik, company=company, started_on=D(2026, 8, 1))
    waiting = make_job_customer()
    make_placement(
        job_customer=waiting, company=company, started_on=D(2025, 1, 1), ended_on=D(2025, 3, 1)
    )
    return {"ended": ended, "in_work": in_work, "praktik": praktik, "waiting": waiting}


def test_refresh_stores_the_status_and_the_next_day_it_may_change(people):
    refresh_statuses(JobCustomer.objects.all(), day=TODAY)
    # Ended for good: nothing can change it.
    assert stored(people["ended"]) == (S.ENDED, TODAY, None)
    # In work until the placement's last day (31-07), checked again from that day.
    assert stored(people["in_work"]) == (S.IN_WORK, TODAY, D(2026, 7, 31))
    # In praktik until the job starts on 01-08.
    assert stored(people["praktik"]) == (S.IN_PRAKTIK, TODAY, D(2026, 8, 1))
    # Nothing ahead.
    assert stored(people["waiting"]) == (S.NOT_IN_WORK, TODAY, None)


def test_refresh_takes_primary_keys_in_chunks(people, monkeypatch):
    monkeypatch.setattr(status_module, "_CHUNK", 2)
    pks = [p.pk for p in people.values()]
    assert refresh_statuses([*pks, None], day=TODAY) == 4
    assert {stored(p)[1] for p in people.values()} == {TODAY}


def test_the_filter_agrees_with_the_derived_status_on_every_day_around_the_changes(people):
    refresh_statuses(JobCustomer.objects.all(), day=TODAY)
    days = [
        TODAY,
        D(2026, 7, 30),
        D(2026, 7, 31),  # the last day of the job still counts
        D(2026, 8, 1),  # the next job starts; the first job has ended
        D(2026, 9, 30),
        D(2026, 10, 1),  # the association has ended
        D(2026, 6, 14),  # before the status was checked: derived
    ]
    assert_filter_agrees(*days)


def test_stale_and_never_stored_rows_are_derived(people):
    refresh_statuses(JobCustomer.objects.all(), day=TODAY)
    # Written behind the services' back: the stored status says nothing of this one.
    newcomer = JobCustomer.objects.create(
        ref="JK-NEW", last_name="Ny", associated_from=D(2026, 1, 1)
    )
    Placement.objects.create(
        ref="PL-NEW",
        job_customer=newcomer,
        company=make_company(),
        kind=Placement.Kind.FLEKSJOB,
        started_on=D(2026, 2, 1),
    )
    assert newcomer.pk in filtered(S.IN_WORK, TODAY)
    assert_filter_agrees(TODAY, D(2026, 8, 1))


def test_many_stale_rows_are_all_derived(people, monkeypatch):
    monkeypatch.setattr(status_module, "STALE_LIMIT", 1)
    JobCustomer.objects.update(current_status="", status_checked_on=None)
    assert_filter_agrees(TODAY)


def test_the_derived_filter_agrees_with_the_status_of_each_person(people):
    from varig.customers.status import derived_status_q

    for day in (TODAY, D(2026, 8, 1), D(2026, 10, 1), D(2021, 6, 1)):
        for status in S.values:
            found = set(
                JobCustomer.objects.filter(derived_status_q(status, day)).values_list(
                    "pk", flat=True
                )
            )
            assert found == derived(status, day), (status, day)


def test_the_daily_job_refreshes_only_the_rows_whose_span_ended(people):
    refresh_statuses(JobCustomer.objects.all(), day=TODAY)
    assert status_daily(on=TODAY) == {"refreshed": 0}
    # 01-08: the praktik person's job has started; the in-work person's job ended on 31-07.
    assert status_daily(on=D(2026, 8, 1)) == {"refreshed": 2}
    assert stored(people["praktik"]) == (S.IN_WORK, D(2026, 8, 1), None)
    assert stored(people["in_work"]) == (S.NOT_IN_WORK, D(2026, 8, 1), D(2026, 9, 30))
    assert stored(people["waiting"])[1] == TODAY  # untouched


def test_the_daily_job_is_registered_first(settings):
    assert settings.VARIG_DAILY_JOBS[0] == "varig.customers.status.status_daily"


def test_saving_an_old_instance_does_not_write_its_status_back(advisor):
    person = make_job_customer(advisor=advisor)
    old = JobCustomer.objects.get(pk=person.pk)
    make_placement(job_customer=person, started_on=D(2025, 1, 1))
    old.phone = "12345678"
    old.save()
    row = JobCustomer.objects.get(pk=person.pk)
    assert (row.phone, row.current_status) == ("12345678", S.IN_WORK)


def test_the_caseload_filter_uses_the_stored_status(advisor, django_assert_max_num_queries):
    company = make_company()
    working = make_job_customer(advisor=advisor, last_name="Arbejder")
    make_placement(job_customer=working, company=company, started_on=D(2025, 1, 1))
    make_job_customer(advisor=advisor, last_name="Venter")
    rows = job_customer_list(user=advisor, status=S.IN_WORK, with_status=False)
    assert [r.last_name for r in rows] == ["Arbejder"]
    # A stored status that is wrong (only a writer that forgot the refresh could do this)
    # shows that the list reads it, not the placements.
    JobCustomer.objects.filter(pk=working.pk).update(current_status=S.NOT_IN_WORK)
    rows = job_customer_list(user=advisor, status=S.IN_WORK, with_status=False)
    assert list(rows) == []


# --- every writer keeps it fresh ------------------------------------------------------------------


def fresh_and_right(job_customer) -> bool:
    row = JobCustomer.objects.get(pk=job_customer.pk)
    today = timezone.localdate()
    return JobCustomer.objects.filter(
        status_module.fresh_q(today), pk=row.pk
    ).exists() and row.current_status == row.status_on(today)


def test_the_job_customer_services_store_it(advisor):
    today = timezone.localdate()
    person = customer_services.job_customer_create(
        actor=advisor, last_name="Ny", associated_from=today - datetime.timedelta(days=30)
    )
    assert person.current_status == S.NOT_IN_WORK
    assert fresh_and_right(person)
    person = customer_services.job_customer_update(
        actor=advisor,
        job_customer=person,
        expected_version=person.version,
        associated_until=today - datetime.timedelta(days=1),
    )
    assert stored(person)[0] == S.ENDED
    assert fresh_and_right(person)


def test_the_placement_services_store_it(advisor):
    today = timezone.localdate()
    person = make_job_customer(advisor=advisor, associated_from=today - datetime.timedelta(400))
    company = make_company()
    praktik = placement_services.placement_create(
        user=advisor,
        job_customer=person,
        company=company,
        kind=Placement.Kind.PRAKTIK,
        started_on=today - datetime.timedelta(days=60),
    )
    assert stored(person)[0] == S.IN_PRAKTIK and fresh_and_right(person)
    placement_services.placement_update(
        user=advisor,
        placement=praktik,
        expected_version=praktik.version,
        started_on=today + datetime.timedelta(days=3),
    )
    assert stored(person)[0] == S.NOT_IN_WORK and fresh_and_right(person)
    assert stored(person)[2] == today + datetime.timedelta(days=3)
    praktik.refresh_from_db()
    placement_services.placement_update(
        user=advisor,
        placement=praktik,
        expected_version=praktik.version,
        started_on=today - datetime.timedelta(days=60),
    )
    praktik.refresh_from_db()
    job = placement_services.praktik_convert(
        user=advisor,
        praktik=praktik,
        kind=Placement.Kind.FLEKSJOB,
        started_on=today - datetime.timedelta(days=10),
    )
    assert stored(person)[0] == S.IN_WORK and fresh_and_right(person)
    placement_services.placement_end(
        user=advisor,
        placement=job,
        ended_on=today - datetime.timedelta(days=1),
        reason_category=Placement.EndReason.OWN_WISH,
    )
    assert stored(person)[0] == S.NOT_IN_WORK and fresh_and_right(person)


def test_the_factories_store_it(advisor):
    person = make_job_customer(advisor=advisor)
    assert fresh_and_right(person)
    make_placement(job_customer=person, started_on=D(2025, 1, 1))
    assert stored(person)[0] == S.IN_WORK and fresh_and_right(person)


def _import(folder: Path, **files: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, content in files.items():
        (folder / f"{stem}.csv").write_text(content, encoding="utf-8")
    call_command("import", str(folder), stdout=io.StringIO(), stderr=io.StringIO())


CUSTOMERS = "ref,last_name,associated_from,associated_until\nJK-1,Andersen,2020-01-01,\n"
CUSTOMERS_2 = CUSTOMERS + "JK-2,Bech,2020-01-01,\n"
COMPANIES = "ref,name\nV-1,Bageren ApS\n"
PLACEMENTS = "ref,job_customer_ref,company_ref,kind,started_on,ended_on\n"


def test_the_import_stores_it_for_new_changed_and_moved_placements(tmp_path, advisor):
    _import(
        tmp_path / "1",
        job_customers=CUSTOMERS_2,
        companies=COMPANIES,
        placements=PLACEMENTS + "PL-1,JK-1,V-1,skaanejob,2020-04-01,\n",
    )
    anna, bo = JobCustomer.objects.get(ref="JK-1"), JobCustomer.objects.get(ref="JK-2")
    assert stored(anna)[0] == S.IN_WORK and fresh_and_right(anna)
    assert stored(bo)[0] == S.NOT_IN_WORK and fresh_and_right(bo)
    # The job is given to Bo: both change.
    _import(tmp_path / "2", placements=PLACEMENTS + "PL-1,JK-2,V-1,skaanejob,2020-04-01,\n")
    assert (stored(anna)[0], stored(bo)[0]) == (S.NOT_IN_WORK, S.IN_WORK)
    # It ends; then Anna's association ends.
    _import(
        tmp_path / "3", placements=PLACEMENTS + "PL-1,JK-2,V-1,skaanejob,2020-04-01,2021-01-01\n"
    )
    assert stored(bo)[0] == S.NOT_IN_WORK and fresh_and_right(bo)
    _import(
        tmp_path / "4",
        job_customers="ref,last_name,associated_from,associated_until\n"
        "JK-1,Andersen,2020-01-01,2021-06-30\n",
    )
    assert stored(anna)[0] == S.ENDED and fresh_and_right(anna)


def test_the_erasure_stores_it(manager):
    from varig.privacy import services as privacy_services

    second = make_user(role=Role.MANAGER, name="Mads Leder", email="mads@example.dk")
    person = make_job_customer(associated_from=D(2020, 1, 1))
    JobCustomer.objects.filter(pk=person.pk).update(status_checked_on=D(2020, 1, 1))
    request = privacy_services.erasure_request(actor=manager, job_customer=person, reason="x")
    privacy_services.erasure_approve(actor=second, request=request)
    today = timezone.localdate()
    # The association ends today (the end day counts): checked again tomorrow.
    assert JobCustomer.objects.get(pk=person.pk).associated_until == today
    assert stored(person) == (S.NOT_IN_WORK, today, today)
    assert_filter_agrees(today, today + datetime.timedelta(days=1))


def test_the_demo_stores_it_for_everyone():
    call_command("demo", "--scale", "tiny", "--seed", "3", stdout=io.StringIO())
    today = timezone.localdate()
    assert (
        not JobCustomer.objects.filter(status_module.stale_q(today))
        .exclude(status_changes_on=today)
        .exists()
    )
    assert_filter_agrees(today)


def test_the_caseload_page_filtered_by_status(client, advisor, django_assert_max_num_queries):
    from conftest import log_in_client

    for n in range(5):
        person = make_job_customer(advisor=advisor, last_name=f"P{n}")
        make_placement(job_customer=person, started_on=D(2025, 1, 1))
    log_in_client(client, advisor)
    url = reverse("customers:list") + f"?status={S.IN_WORK}"
    response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.content.decode().count("P4") >= 1

"""Two people enrolling at the same moment never take more places than the run has. Real
concurrent connections need PostgreSQL (SQLite serialises writers with its IMMEDIATE
transactions anyway), so this is skipped on SQLite."""

import threading

import pytest
from django.db import connection, transaction

from varig.activities import services
from varig.activities.models import Enrollment
from varig.customers.tests.factories import make_job_customer

from .factories import make_run

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
]


def _in_thread(target, errors):
    def run():
        try:
            target()
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


def test_a_second_enrollment_waits_for_the_first_and_goes_to_the_waitlist():
    """The first transaction holds the run's lock and has not committed yet; the second must
    wait for it and then count its place, not slip past it."""
    run = make_run(capacity=1)
    first, second = make_job_customer(), make_job_customer()
    holding = threading.Event()
    release = threading.Event()
    errors: list = []

    def enroll_and_hold():
        with transaction.atomic():
            services.enrollment_create(actor=None, run=run, job_customer=first)
            holding.set()
            release.wait(timeout=30)

    def enroll():
        holding.wait(timeout=30)
        services.enrollment_create(actor=None, run=run, job_customer=second)

    one, two = _in_thread(enroll_and_hold, errors), _in_thread(enroll, errors)
    one.start()
    two.start()
    holding.wait(timeout=30)
    # Give the second connection time to reach the lock; correctness never depends on it.
    two.join(timeout=0.5)
    release.set()
    one.join(timeout=30)
    two.join(timeout=30)
    assert errors == []
    statuses = dict(Enrollment.objects.values_list("job_customer_id", "status"))
    assert statuses == {first.pk: "enrolled", second.pk: "waitlisted"}


def test_many_people_enrolling_at_once_fill_the_places_and_wait_for_the_rest():
    run = make_run(capacity=2)
    people = [make_job_customer() for _ in range(6)]
    start = threading.Barrier(len(people))
    errors: list = []

    def enroll(person):
        def go():
            start.wait(timeout=30)
            services.enrollment_create(actor=None, run=run, job_customer=person)

        return go

    threads = [_in_thread(enroll(p), errors) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert Enrollment.objects.filter(run=run, status="enrolled").count() == 2
    assert Enrollment.objects.filter(run=run, status="waitlisted").count() == 4


def test_the_same_person_enrolling_twice_at_once_is_refused_once():
    run = make_run(capacity=5)
    person = make_job_customer()
    start = threading.Barrier(2)
    errors: list = []

    def go():
        start.wait(timeout=30)
        services.enrollment_create(actor=None, run=run, job_customer=person)

    threads = [_in_thread(go, errors) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(errors) == 1 and isinstance(errors[0], services.ValidationError)
    assert Enrollment.objects.filter(run=run).count() == 1

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.http import Http404

from varig.core.tests.factories import make_user
from varig.customers import services
from varig.customers.models import CustomerStatus, JobCustomer
from varig.customers.selectors import (
    advisor_choices,
    contact_companies_for,
    default_advisor_filter,
    job_customer_detail,
    job_customer_get_for_user,
    job_customer_list,
    timeline_page,
)
from varig.customers.tests.factories import make_consent, make_job_customer, make_share
from varig.employers.tests.factories import make_company
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


def test_default_advisor_filter(advisor, manager, consultant):
    assert default_advisor_filter(user=advisor) == "mine"
    assert default_advisor_filter(user=manager) == "all"
    assert default_advisor_filter(user=consultant) == "all"


def test_list_annotates_status_without_extra_queries(advisor, django_assert_num_queries):
    jc = make_job_customer(advisor=advisor)
    make_placement(job_customer=jc, kind=Placement.Kind.ORDINAERT, started_on=TODAY())
    rows = list(job_customer_list(user=advisor))
    with django_assert_num_queries(0):
        assert rows[0].status == CustomerStatus.IN_WORK
        assert rows[0].advisor.name == advisor.name


def test_list_ignores_unknown_status_and_sort(advisor):
    make_job_customer(advisor=advisor)
    assert job_customer_list(user=advisor, status="bogus", sort="bogus").count() == 1


def test_list_filters_by_advisor_pk_and_none(manager, advisor):
    mine = make_job_customer(advisor=advisor)
    nobody = make_job_customer()
    assert list(job_customer_list(user=manager, advisor=str(advisor.pk))) == [mine]
    assert list(job_customer_list(user=manager, advisor="none")) == [nobody]


def test_advisor_choices_are_active_advisors_only(advisor, consultant):
    make_user(role="vejleder", is_active=False)
    other = make_user(role="vejleder", name="Aase Vejleder", email="aase@example.dk")
    choices = advisor_choices()
    assert choices == [(other.pk, other.name), (advisor.pk, advisor.name)]  # by name
    assert (choices[1].pk, choices[1].name) == (advisor.pk, advisor.name)


def test_getter_raises_404_and_403_and_audits(advisor):
    with pytest.raises(Http404):
        job_customer_get_for_user(user=advisor, pk=12345)
    jc = make_job_customer()
    with pytest.raises(PermissionDenied):
        job_customer_get_for_user(user=make_user(role=None), pk=jc.pk)
    job_customer_get_for_user(user=advisor, pk=jc.pk)
    assert LogEntry.objects.get_for_object(jc).filter(action=LogEntry.Action.ACCESS).count() == 1


def test_detail_current_readiness_is_the_newest_per_area(advisor):
    jc = make_job_customer(advisor=advisor)
    for day, rating in [(1, "not_yet"), (5, "calm"), (3, "attention")]:
        services.readiness_record(
            actor=advisor,
            job_customer=jc,
            area="housing",
            rating=rating,
            assessed_on=datetime.date(2025, 1, day),
        )
    page = job_customer_detail(user=advisor, pk=jc.pk)
    current = {row["area"]: row["assessment"] for row in page.readiness_current}
    assert current["housing"].rating == "calm"
    assert current["finances"] is None
    assert len(page.readiness_history) == 3


def test_detail_accommodation_in_force_and_history(advisor):
    jc = make_job_customer(advisor=advisor)
    old = services.accommodation_record(
        actor=advisor, job_customer=jc, valid_from=datetime.date(2024, 1, 1)
    )
    new = services.accommodation_record(
        actor=advisor, job_customer=jc, valid_from=datetime.date(2025, 1, 1)
    )
    page = job_customer_detail(user=advisor, pk=jc.pk)
    assert page.accommodation == new and page.accommodation_history == [old]


def test_detail_does_not_load_health_for_other_advisors(advisor, other_advisor):
    jc = make_job_customer(advisor=advisor)
    services.health_update(actor=advisor, job_customer=jc, diagnosis="F20")
    assert job_customer_detail(user=advisor, pk=jc.pk).health.diagnosis == "F20"
    make_share(job_customer=jc, user=other_advisor)  # a colleague covering sees no health
    page = job_customer_detail(user=other_advisor, pk=jc.pk)
    assert page.health is None and page.can_see_health is False


def test_detail_lists_open_tasks_only(advisor):
    jc = make_job_customer(advisor=advisor)
    done = services.task_create(actor=advisor, job_customer=jc, title="Færdig")
    services.task_complete(actor=advisor, task=done)
    open_task = services.task_create(actor=advisor, job_customer=jc, title="Åben")
    assert job_customer_detail(user=advisor, pk=jc.pk).open_tasks == [open_task]


def test_timeline_page_is_newest_first_and_20_long(advisor):
    jc = make_job_customer()
    for _ in range(21):
        services.contact_note_create(actor=advisor, job_customer=jc, kind="note", text="x")
    page = timeline_page(job_customer=jc)
    assert len(page.object_list) == 20 and page.paginator.num_pages == 2
    assert page.object_list[0].pk > page.object_list[1].pk
    assert len(timeline_page(job_customer=jc, page="nonsense").object_list) == 20


def test_contact_companies_are_those_with_consent_or_placement():
    jc = make_job_customer()
    consented, placed, other = make_company(), make_company(), make_company()
    make_consent(job_customer=jc, company=consented)
    make_placement(job_customer=jc, company=placed)
    make_placement(company=other)
    assert set(contact_companies_for(job_customer=jc)) == {consented, placed}
    assert JobCustomer.objects.count() == 2


def test_the_list_without_status_gets_it_for_the_shown_rows_in_one_query(
    advisor, django_assert_num_queries
):
    from varig.customers.selectors import attach_status

    working = make_job_customer(advisor=advisor, last_name="A")
    make_placement(job_customer=working, kind=Placement.Kind.ORDINAERT, started_on=TODAY())
    practising = make_job_customer(advisor=advisor, last_name="B")
    make_placement(job_customer=practising, kind=Placement.Kind.PRAKTIK, started_on=TODAY())
    make_job_customer(advisor=advisor, last_name="C")
    rows = list(job_customer_list(user=advisor, with_status=False))
    assert not hasattr(rows[0], "in_work_now")
    with django_assert_num_queries(1):
        rows = attach_status(rows)
    with django_assert_num_queries(0):
        assert [r.status for r in rows] == [
            CustomerStatus.IN_WORK,
            CustomerStatus.IN_PRAKTIK,
            CustomerStatus.NOT_IN_WORK,
        ]
        assert attach_status(rows) == rows  # already there: no query
    assert attach_status([]) == []

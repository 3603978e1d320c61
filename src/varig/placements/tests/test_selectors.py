import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from varig.core.tests.factories import make_user
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company, make_contact
from varig.placements import selectors, services
from varig.placements.models import FollowUp, Placement

D = datetime.date
K = FollowUp.Kind

pytestmark = pytest.mark.django_db


def create(advisor, started_on, **fields):
    return services.placement_create(
        user=advisor,
        job_customer=fields.pop("job_customer", None) or make_job_customer(advisor=advisor),
        company=fields.pop("company", None) or make_company(),
        kind=fields.pop("kind", Placement.Kind.SKAANEJOB),
        started_on=started_on,
        **fields,
    )


def test_overdue_are_planned_follow_ups_whose_window_has_closed(advisor, other_advisor):
    mine = create(advisor, D(2026, 1, 5))
    theirs = create(other_advisor, D(2026, 1, 5))
    on = D(2026, 1, 21)  # the first talk's window closed on 19-01
    overdue = list(selectors.followups_overdue(on=on))
    assert {f.placement_id for f in overdue} == {mine.pk, theirs.pk}
    assert {f.kind for f in overdue} == {K.FIRST_TALK}
    only_mine = list(selectors.followups_overdue(on=on, advisor=advisor))
    assert [f.placement_id for f in only_mine] == [mine.pk]
    services.followup_record(
        user=advisor,
        followup=mine.followups.get(kind=K.FIRST_TALK),
        held_on=D(2026, 1, 20),
        with_job_customer=True,
    )
    assert not selectors.followups_overdue(on=on, advisor=advisor).exists()


def test_due_soon_are_planned_within_the_days_and_not_overdue(advisor):
    placement = create(advisor, D(2026, 1, 5))
    month_3 = placement.followups.get(kind=K.MONTH_3)  # due 05-04, window 22-03 to 19-04
    assert list(selectors.followups_due_soon(on=D(2026, 3, 22))) == [month_3]
    assert list(selectors.followups_due_soon(on=D(2026, 3, 21), days=7)) == []
    assert list(selectors.followups_due_soon(on=D(2026, 4, 19))) == [month_3]
    assert list(selectors.followups_due_soon(on=D(2026, 4, 20))) == []
    first_talk = placement.followups.get(kind=K.FIRST_TALK)
    assert list(selectors.followups_overdue(on=D(2026, 4, 20))) == [first_talk, month_3]


def test_due_soon_and_overdue_need_no_further_queries_per_row(advisor):
    for _ in range(5):
        create(advisor, D(2026, 1, 5))
    with CaptureQueriesContext(connection) as queries:
        rows = list(selectors.followups_overdue(on=D(2026, 12, 31), advisor=advisor))
        for row in rows:
            str(row.job_customer.full_name)
            str(row.job_customer.advisor)
            str(row.placement.company.name)
    assert len(rows) == 15  # first talk, 3 and 6 months; the 12-month window is still open
    assert len(queries) == 1


def test_placement_detail_audits_the_read_and_refuses_users_without_a_role(advisor):
    placement = create(advisor, D(2026, 1, 5))
    found = selectors.placement_detail(user=advisor, pk=placement.pk)
    assert found.job_customer == placement.job_customer
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(placement.job_customer_id)
    ).exists()
    with pytest.raises(PermissionDenied):
        selectors.placement_detail(user=make_user(role=None), pk=placement.pk)
    with pytest.raises(Http404):
        selectors.placement_detail(user=advisor, pk=placement.pk + 1000)


def test_contacts_for_choice_are_the_companys_active_ones_plus_the_current(advisor):
    company = make_company()
    active = make_contact(company=company, name="A")
    gone = make_contact(company=company, name="B", active_until=D(2020, 1, 1))
    make_contact(name="C")
    on = D(2026, 1, 1)
    assert list(selectors.company_contacts_for_choice(company_id=company.pk, on=on)) == [active]
    with_current = selectors.company_contacts_for_choice(
        company_id=company.pk, on=on, include_pk=gone.pk
    )
    assert list(with_current) == [active, gone]
    assert not selectors.company_contacts_for_choice(company_id=None, on=on).exists()


def test_accommodation_in_force_is_the_newest_valid_version(advisor):
    person = make_job_customer(advisor=advisor)
    person.accommodations.create(valid_from=D(2025, 1, 1), tasks_to_avoid="Kassen")
    newest = person.accommodations.create(valid_from=D(2025, 6, 1), tasks_to_avoid="Telefonen")
    person.accommodations.create(valid_from=D(2027, 1, 1), tasks_to_avoid="Fremtiden")
    assert selectors.accommodation_in_force(job_customer=person, on=D(2026, 1, 1)) == newest
    assert selectors.accommodation_in_force(job_customer=person, on=D(2024, 1, 1)) is None

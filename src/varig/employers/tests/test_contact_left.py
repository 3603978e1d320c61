"""A company contact or mentor who leaves or is replaced: every active placement where they
were the contact gets a warning and an extra follow-up (alerts: the daily rule `contact_left`
and `contact_change_flag`), checked end to end from the company page's "has left" form.

Placements name one contact person each, who may be the mentor or nearest leader
(`CompanyContact.is_mentor`); a mentor is followed through the placements that name them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from varig.alerts.models import Flag
from varig.alerts.services import flags_refresh
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company, make_contact
from varig.placements import services as placement_services
from varig.placements.models import FollowUp, Placement
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def _left(client, contact, last_day):
    response = client.post(
        reverse("employers:contact_end", args=[contact.pk]),
        {"active_until": last_day.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302


def test_a_mentor_who_left_flags_every_active_placement_with_an_extra_follow_up(advisor_client):
    company = make_company()
    mentor = make_contact(company=company, name="Mette Mester", is_mentor=True)
    other = make_contact(company=company)
    people = [make_job_customer() for _ in range(3)]
    active = [
        make_placement(
            job_customer=p, company=company, contact=mentor, started_on=today() - 90 * DAY
        )
        for p in people[:2]
    ]
    make_placement(
        job_customer=people[2], company=company, contact=mentor,
        started_on=today() - 400 * DAY, ended_on=today() - 30 * DAY,
    )  # fmt: skip
    elsewhere = make_placement(company=company, contact=other, started_on=today() - 50 * DAY)
    _left(advisor_client, mentor, today() - DAY)
    flags_refresh(on=today())
    flags_refresh(on=today())  # idempotent
    warned = Flag.objects.filter(kind=Flag.Kind.CONTACT_LEFT)
    assert {f.placement_id for f in warned} == {p.pk for p in active}
    assert elsewhere.pk not in {f.placement_id for f in warned}
    for flag in warned:
        assert flag.contact == mentor and flag.is_open
        assert flag.planned_followup.kind == FollowUp.Kind.CONTACT_CHANGE
        assert flag.planned_followup.placement_id == flag.placement_id
    assert FollowUp.objects.filter(kind=FollowUp.Kind.CONTACT_CHANGE).count() == 2


def test_a_last_day_ahead_warns_only_once_it_has_passed(advisor_client):
    company = make_company()
    contact = make_contact(company=company)
    placement = make_placement(company=company, contact=contact, started_on=today() - 90 * DAY)
    _left(advisor_client, contact, today() + 5 * DAY)
    flags_refresh(on=today())
    flags_refresh(on=today() + 5 * DAY)  # the last day is still a working day
    assert not Flag.objects.filter(kind=Flag.Kind.CONTACT_LEFT).exists()
    flags_refresh(on=today() + 6 * DAY)
    assert Flag.objects.get(kind=Flag.Kind.CONTACT_LEFT).placement == placement


def test_left_and_then_replaced_is_one_warning_and_one_extra_follow_up(advisor_client, advisor):
    company = make_company()
    old = make_contact(company=company, is_mentor=True)
    new = make_contact(company=company)
    placement = placement_services.placement_create(
        user=advisor,
        job_customer=make_job_customer(advisor=advisor),
        company=company,
        kind=Placement.Kind.SKAANEJOB,
        started_on=today() - 100 * DAY,
        contact=old,
        hours_per_week=Decimal(12),
    )
    _left(advisor_client, old, today() - DAY)
    flags_refresh(on=today())
    placement.refresh_from_db()
    placement_services.placement_update(
        user=advisor, placement=placement, expected_version=None, contact=new
    )
    assert Flag.objects.filter(kind=Flag.Kind.CONTACT_LEFT).count() == 1
    assert FollowUp.objects.filter(kind=FollowUp.Kind.CONTACT_CHANGE).count() == 1


def test_replacing_a_mentor_who_stays_warns_each_placement_that_changes(advisor):
    company = make_company()
    mentor = make_contact(company=company, is_mentor=True)
    new = make_contact(company=company, is_mentor=True)
    placements = [
        placement_services.placement_create(
            user=advisor,
            job_customer=make_job_customer(advisor=advisor),
            company=company,
            kind=Placement.Kind.FLEKSJOB,
            started_on=today() - 60 * DAY,
            contact=mentor,
            hours_per_week=Decimal(15),
        )
        for _ in range(2)
    ]
    placement_services.placement_update(
        user=advisor, placement=placements[0], expected_version=None, contact=new
    )
    flag = Flag.objects.get(kind=Flag.Kind.CONTACT_LEFT)
    assert flag.placement == placements[0] and flag.detail["replaced"] is True
    assert flag.planned_followup.kind == FollowUp.Kind.CONTACT_CHANGE

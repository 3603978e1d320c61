"""The company page: placements past and present, the last contact, onboarding gaps and the
open support requests, in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from varig.customers.models import ContactNote
from varig.customers.tests.factories import make_job_customer
from varig.employers import services
from varig.employers.models import SupportRequest
from varig.employers.selectors import company_get_for_page, last_contact
from varig.employers.tests.factories import make_company
from varig.placements.models import FollowUp
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db


def test_the_last_contact_is_the_newest_of_notes_meetings_and_requests(advisor):
    company = make_company()
    today = timezone.localdate()
    assert last_contact(company_get_for_page(pk=company.pk)) is None
    person = make_job_customer(advisor=advisor)
    occurred = timezone.now() - datetime.timedelta(days=40)
    ContactNote.objects.create(
        job_customer=person, company=company, occurred_at=occurred, text="Talte med lederen"
    )
    found = last_contact(company_get_for_page(pk=company.pk))
    assert found.kind == "note" and found.day == timezone.localdate(occurred)
    placement = make_placement(job_customer=person, company=company)
    FollowUp.objects.create(
        placement=placement,
        job_customer=person,
        kind=FollowUp.Kind.MONTH_3,
        due_on=today - datetime.timedelta(days=10),
        window_start=today - datetime.timedelta(days=20),
        window_end=today,
        status=FollowUp.Status.HELD,
        held_on=today - datetime.timedelta(days=9),
        with_company_contact=True,
    )
    assert last_contact(company_get_for_page(pk=company.pk)).kind == "meeting"
    services.support_request_create(
        source=SupportRequest.Source.COMPANY,
        company=company,
        channel="phone",
        subject="Spørgsmål",
        received_at=timezone.now() - datetime.timedelta(days=2),
        received_by=None,
    )
    found = last_contact(company_get_for_page(pk=company.pk))
    assert found.kind == "request" and found.days_ago == 2


def test_the_page_shows_the_last_contact_and_warns_when_long_ago(advisor_client, advisor):
    company = make_company()
    url = reverse("employers:detail", args=[company.pk])
    assert "Ingen registreret" in advisor_client.get(url).content.decode()
    ContactNote.objects.create(
        job_customer=make_job_customer(advisor=advisor),
        company=company,
        occurred_at=timezone.now() - datetime.timedelta(days=120),
        text="Gammel kontakt",
    )
    content = advisor_client.get(url).content.decode()
    assert "Over tre måneder siden" in content
    assert "Gammel kontakt" not in content  # the date, never the note about a person

"""The employer collaboration's demo hook (listed in core.demo.APP_DEMO): consultants,
onboarding checklists and support requests, with something to see at once."""

from io import StringIO

import pytest
from django.core.management import call_command

from varig.core.models import User
from varig.employers.models import Company, OnboardingItem, SupportRequest
from varig.employers.support import open_door_measure

pytestmark = pytest.mark.django_db


def test_the_demo_gives_consultants_checklists_and_support_requests(client_for):
    out = StringIO()
    call_command("demo", "--scale", "tiny", "--seed", "4", stdout=out)
    assert not Company.objects.filter(consultant__isnull=True).exists()
    assert OnboardingItem.objects.exists()
    requests = SupportRequest.objects.all()
    assert requests.filter(source=SupportRequest.Source.COMPANY).exists()
    assert requests.filter(source=SupportRequest.Source.JOB_CUSTOMER).exists()
    assert requests.filter(first_response_at__isnull=False, closed_at__isnull=False).exists()
    first = User.objects.get(email="vejleder1@demo.varig.dk")
    mine = requests.filter(responsible=first, closed_at__isnull=True)
    assert mine.filter(first_response_at__isnull=True).exists()
    assert "SupportRequest" in out.getvalue()
    # The open door has numbers to show, and "I dag" shows the first advisor's open requests.
    import datetime

    from django.utils import timezone

    measure = open_door_measure(
        since=timezone.now() - datetime.timedelta(days=365), until=timezone.now()
    )
    assert measure.median is not None and measure.by_advisor
    today = client_for(first).get("/").content.decode()
    assert mine.first().subject in today


def test_the_demo_data_is_the_same_for_the_same_seed():
    call_command("demo", "--scale", "tiny", "--seed", "5", stdout=StringIO())
    first = list(
        SupportRequest.objects.order_by("received_at", "subject").values_list(
            "subject", "received_at", "first_response_at", "company__ref", "job_customer__ref"
        )
    )
    call_command("demo", "--scale", "tiny", "--seed", "5", "--reset", stdout=StringIO())
    again = list(
        SupportRequest.objects.order_by("received_at", "subject").values_list(
            "subject", "received_at", "first_response_at", "company__ref", "job_customer__ref"
        )
    )
    assert first == again

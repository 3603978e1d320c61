from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from varig.alerts.models import Flag, Period
from varig.core.demo import APP_DEMO
from varig.core.models import User
from varig.placements.models import Celebration


def test_the_alerts_hook_is_listed():
    assert "varig.alerts.demo.demo_build" in APP_DEMO


@pytest.mark.django_db
def test_the_demo_shows_the_first_advisor_every_kind_of_warning_setbacks_and_celebrations():
    call_command("demo", "--scale", "small", "--seed", "1", stdout=StringIO())
    today = timezone.localdate()
    first = User.objects.get(email="vejleder1@demo.varig.dk")
    mine = Flag.objects.open().filter(job_customer__advisor=first)
    assert set(mine.values_list("kind", flat=True)) == set(Flag.Kind.values)
    open_setbacks = Period.objects.filter(
        job_customer__advisor=first, kind=Period.Kind.SETBACK, ended_on__isnull=True
    )
    assert open_setbacks.count() >= 2
    assert not Period.objects.filter(started_on__gt=today).exists()
    assert Celebration.objects.filter(status=Celebration.Status.HELD).exists()
    assert Celebration.objects.filter(status=Celebration.Status.PLANNED).exists()
    # A company is invited only with the person's consent to contact it.
    for c in Celebration.objects.filter(invite_company=True):
        assert c.job_customer.consents.filter(company=c.company, may_contact=True).exists()


@pytest.mark.django_db
def test_the_demo_page_today_shows_warnings_to_the_first_advisor(client_for):
    call_command("demo", "--scale", "tiny", "--seed", "3", stdout=StringIO())
    first = User.objects.get(email="vejleder1@demo.varig.dk")
    response = client_for(first).get("/")
    assert response.status_code == 200
    flag = Flag.objects.open().filter(job_customer__advisor=first, kind="setback").first()
    assert flag is not None
    assert flag.job_customer.ref in response.content.decode()

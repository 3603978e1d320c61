import datetime

import pytest
from django.urls import reverse

from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company
from varig.placements import services
from varig.placements.models import Placement

D = datetime.date


@pytest.fixture
def placement(advisor):
    return services.placement_create(
        user=advisor,
        job_customer=make_job_customer(advisor=advisor),
        company=make_company(),
        kind=Placement.Kind.SKAANEJOB,
        started_on=D(2025, 1, 31),
        hours_per_week=12,
    )


def test_smoke_pages(advisor_client, placement):
    for url in [
        reverse("placements:create") + f"?job_customer={placement.job_customer_id}",
        reverse("placements:detail", args=[placement.pk]),
        reverse("placements:edit", args=[placement.pk]),
        reverse("placements:end", args=[placement.pk]),
        reverse("placements:tier", args=[placement.pk]),
        reverse("placements:followup_record", args=[placement.followups.first().pk]),
    ]:
        response = advisor_client.get(url)
        assert response.status_code == 200, url

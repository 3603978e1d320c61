"""The earnings guide's demo hook (listed in core.demo.APP_DEMO): pension savings and saved
calculations, with something to see on the first advisor's persons."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from varig.core.models import User
from varig.core.tests.pdf import pdf_page_count
from varig.earnings.models import PensionSaving, Rate, SavedCalculation
from varig.earnings.selectors import saved_calculation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_rates")]


def test_the_demo_makes_pension_savings_and_saved_calculations(client_for):
    call_command("demo", "--scale", "tiny", "--seed", "4", stdout=StringIO())
    assert PensionSaving.objects.exists()
    first = User.objects.get(email="vejleder1@demo.varig.dk")
    mine = SavedCalculation.objects.filter(job_customer__advisor=first)
    assert mine.exists()
    saved = mine.select_related("job_customer").first()
    page = saved_calculation(saved)
    assert (
        page.result.kept == page.result.with_work.disposable - page.result.without_work.disposable
    )
    # The municipal tax the demo needed is marked as demo data, never as an official figure.
    demo_rates = Rate.objects.filter(publisher="Varig demodata")
    assert demo_rates.exists()
    assert set(demo_rates.values_list("confidence", flat=True)) == {"unverified"}
    client = client_for(first)
    person = saved.job_customer
    assert client.get(reverse("earnings:person", args=[person.pk])).status_code == 200
    pdf = client.get(reverse("earnings:saved_pdf", args=[person.pk, saved.pk]))
    assert pdf.status_code == 200 and pdf_page_count(pdf.content) == 1
    # Running the demo again on a fresh set of persons keeps one demo figure per municipality.
    call_command("demo", "--scale", "tiny", "--seed", "4", "--reset", stdout=StringIO())
    assert demo_rates.count() == len(set(demo_rates.values_list("municipality", flat=True)))

"""In a real browser: an advisor opens a job customer, makes a calculation from the record's
job, saves it on the record and downloads the one-page PDF to give the person."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.core.tests.pdf import pdf_page_count, pdf_text
from varig.customers.tests.factories import make_job_customer
from varig.earnings.models import SavedCalculation
from varig.placements.tests.factories import make_placement

from .factories import TEST_YEAR, make_year


@pytest.mark.django_db(transaction=True)
def test_an_advisor_saves_a_calculation_and_downloads_the_pdf(
    live_server, page, log_in, screenshot, console_errors
):
    advisor = make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    make_year()  # the rates of the test year, Aarhus' municipal tax included
    person = make_job_customer(
        advisor=advisor, first_name="Mette", last_name="Holm", municipality="Aarhus"
    )
    make_placement(
        job_customer=person,
        started_on=timezone.localdate() - datetime.timedelta(days=40),
        hours_per_week=Decimal(15),
        hourly_wage=Decimal(150),
    )
    failed = []  # the earnings guide's own answers that were errors
    page.on(
        "response",
        lambda r: (
            failed.append((r.status, r.url))
            if "/indtjening/" in r.url and r.status >= 400
            else None
        ),
    )
    log_in(advisor)

    # The person's page: the earnings card loads itself.
    page.goto(f"{live_server.url}/jobkunder/{person.pk}/")
    card = page.locator("#earnings")
    expect(card.get_by_text("Ingen gemte beregninger endnu.")).to_be_visible()
    screenshot("earnings-01-person-card")
    card.get_by_role("link", name="Ny beregning").click()

    # The calculator starts from the record's job and municipality.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hvad beholder jeg, når jeg arbejder?"
    )
    expect(page.get_by_label("Timer pr. uge")).to_have_value("15")
    expect(page.get_by_label("Timeløn før skat (kr.)")).to_have_value("150")
    expect(page.locator("#id_municipality")).to_have_value("Aarhus")
    page.locator("#id_year").select_option(str(TEST_YEAR))
    page.get_by_role("button", name="Beregn").click()
    expect(page.locator(".calc-kept")).to_contain_text("5.583 kr.")
    screenshot("earnings-02-calculated")

    page.get_by_label("Titel (valgfri)").fill("Bageriet, 15 timer")
    page.get_by_role("button", name="Gem beregningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bageriet, 15 timer")
    expect(page.get_by_text("Beregningen er gemt på jobkunden.")).to_be_visible()
    saved = SavedCalculation.objects.get()
    assert saved.job_customer_id == person.pk and saved.created_by_id == advisor.pk
    screenshot("earnings-03-saved")

    with page.expect_download() as info:
        page.get_by_role("link", name="Hent PDF'en til jobkunden").click()
    content = Path(info.value.path()).read_bytes()
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    assert "Mette Holm" in text and "5.583 kr." in text and "Udbetaling Danmark" in text

    # Back on the person's page the card lists the saved calculation.
    page.goto(f"{live_server.url}/jobkunder/{person.pk}/")
    expect(card.get_by_role("link", name="Bageriet, 15 timer")).to_be_visible()
    screenshot("earnings-04-person-card-saved")
    assert failed == []
    # No script errors and no CSP refusals. (Another app's card answering an error is that
    # app's: a failed load of it names its own URL.)
    assert [
        e
        for e in console_errors
        if "Failed to load resource" not in e and "/myndighedshjaelp/" not in e
    ] == []

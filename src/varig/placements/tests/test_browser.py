"""The placement flow in a real browser: start a praktik, turn it into employment, record a
follow-up. Playwright on Debian's Chromium (the set-up is in src/conftest.py)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company, make_contact
from varig.placements.models import FollowUp, Placement


@pytest.mark.django_db(transaction=True)
def test_start_a_praktik_convert_it_and_record_a_follow_up(
    live_server, page, log_in, screenshot, console_errors
):
    """A vejleder starts a praktik, turns it into a skånejob and records the first talk."""
    advisor = make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    person = make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm")
    make_company(name="Grøn Have ApS")
    bakery = make_company(name="Bageriet Solsikken ApS")
    make_contact(company=bakery, name="Lone Bager", role="Butiksleder")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=60)
    employment_start = today - datetime.timedelta(days=10)

    log_in(advisor)

    page.goto(f"{live_server.url}/forloeb/ny/?job_customer={person.pk}")
    assert page.get_by_text("Mette Holm").first.is_visible()
    # The company picker: search, then choose among the matches.
    page.get_by_label("Søg virksomhed").fill("solsik")
    company = page.get_by_role("combobox", name="Virksomhed", exact=True)
    expect(company.locator("option")).to_have_count(2)
    expect(page.get_by_role("status")).to_have_text("Én virksomhed passer: vælg den på listen.")
    company.select_option(label="Bageriet Solsikken ApS")
    # htmx reloads the contact options for the chosen company.
    expect(page.locator("#id_contact option")).to_have_count(2)
    page.get_by_label("Kontaktperson").select_option(label="Lone Bager (Butiksleder)")
    page.get_by_label("Type").select_option("praktik")
    page.get_by_label("Start").fill(start.strftime("%d-%m-%Y"))
    page.get_by_label("Planlagt slut").fill(
        (today + datetime.timedelta(days=30)).strftime("%d-%m-%Y")
    )
    page.get_by_label("Timer pr. uge").fill("10")
    screenshot("placements-create")
    page.get_by_role("button", name="Opret forløb").click()
    page.wait_for_url("**/forloeb/*/")
    praktik = Placement.objects.get()
    assert praktik.contact.name == "Lone Bager"
    assert page.get_by_role("heading", name="Opfølgningsplan").is_visible()

    page.get_by_role("link", name="Gør til ansættelse").click()
    page.get_by_label("Ansættelsesform").select_option("skaanejob")
    page.get_by_label("Ansættelsen starter").fill(employment_start.strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Gør til ansættelse").click()
    page.wait_for_url(lambda url: f"/forloeb/{praktik.pk}/" not in url)
    employment = Placement.objects.get(previous=praktik)
    praktik.refresh_from_db()
    assert praktik.ended_on == employment_start - datetime.timedelta(days=1)
    assert page.get_by_role("cell", name="Samtale inden for 14 dage", exact=True).is_visible()
    screenshot("placements-detail")

    first_talk = employment.followups.get(kind=FollowUp.Kind.FIRST_TALK)
    page.locator(f"a[href$='/forloeb/opfoelgning/{first_talk.pk}/']").click()
    page.get_by_label("Afholdt den").fill(today.strftime("%d-%m-%Y"))
    page.get_by_label("God", exact=True).check()
    page.get_by_label("Ønsker flere timer").check()
    screenshot("placements-record")
    page.get_by_role("button", name="Gem opfølgning").click()
    page.wait_for_url(f"**/forloeb/{employment.pk}/")
    first_talk.refresh_from_db()
    assert first_talk.status == FollowUp.Status.HELD
    assert first_talk.wellbeing == FollowUp.Wellbeing.GOOD
    assert first_talk.wants_more_hours
    assert console_errors == []

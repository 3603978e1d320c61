"""The whole foundation flow as a vejleder walks it in Chromium, entirely through the Danish UI:
log in, take in a job customer, create the company, record the consent, start a praktik, turn
it into a skånejob, find its first follow-up on "I dag" and record it.

Every main page is saved under var/screenshots/flow-NN-*.png for a person to look at."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.models import Consent, JobCustomer
from varig.customers.tests.factories import make_job_customer
from varig.employers.models import Company, CompanyContact
from varig.placements.models import FollowUp, Placement

pytestmark = pytest.mark.django_db(transaction=True)

COMPANY = "Bageriet Solsikken ApS"
CVR = "13585628"  # a valid CVR number (modulus 11)


def ddmmyyyy(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def choose_company(scope, name: str) -> None:
    """Choose a company in a form: with the search-as-you-type picker (type part of the name,
    then pick the match), or in a plain <select> where there is no picker."""
    select = scope.get_by_label(re.compile(r"^Virksomhed( \*)?$"))
    select.wait_for()  # a form on the person's page arrives when its <details> is opened
    search = scope.get_by_role("searchbox")
    if search.count():
        # The search answers with new options and a status line ("1 virksomhed fundet" or so);
        # choosing before the answer lands would be undone by it.
        status = scope.page.locator(f"[id='{search.get_attribute('aria-describedby')}']")
        search.fill(name[:7])
        expect(status).not_to_have_text("")
        expect(select.locator("option", has_text=name)).not_to_have_count(0)
    value = select.locator("option", has_text=name).first.get_attribute("value")
    select.select_option(value=value)


def test_a_vejleder_walks_the_whole_flow(live_server, page, log_in, screenshot, console_errors):
    make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    base = live_server.url
    today = timezone.localdate()
    praktik_start = today - datetime.timedelta(days=60)
    employment_start = today - datetime.timedelta(days=4)

    # Log in with e-mail and password; the day starts on "I dag".
    page.goto(f"{base}/")
    page.get_by_label("E-mail").wait_for()
    screenshot("flow-01-login")
    log_in("vera@example.dk")
    assert page.locator("html").get_attribute("lang") == "da"
    expect(page.get_by_role("heading", level=1)).to_contain_text("I dag")
    screenshot("flow-02-today-empty")

    # Intake: a new job customer.
    page.get_by_role("link", name="Jobkunder").first.click()
    page.get_by_role("link", name="Ny jobkunde").click()
    expect(page.get_by_role("heading", name="Ny jobkunde")).to_be_visible()
    page.get_by_label("Fornavn").fill("Mette")
    page.get_by_label("Efternavn").fill("Holm")
    page.get_by_label("Fødselsdato").fill("14-03-1984")
    page.get_by_label("Telefon").fill("20 30 40 50")
    page.get_by_label("Postnummer").fill("8000")
    page.get_by_label("Kommune").fill("Aarhus")
    page.get_by_label("Ansvarlig vejleder").select_option(label="Vera Vejleder")
    page.get_by_label("Kom via").select_option("jobcenter")
    page.get_by_label("Erhvervserfaring").fill("Butiksassistent i 8 år.")
    screenshot("flow-03-intake-form")
    page.get_by_role("button", name="Opret jobkunde").click()
    page.get_by_role("heading", name="Mette Holm").wait_for()
    person = JobCustomer.objects.get()
    assert page.url.endswith(f"/jobkunder/{person.pk}/")
    expect(page.locator(".jc-meta")).to_contain_text("Endnu ikke i job")
    expect(page.locator(".facts").first).to_contain_text("14-03-1984")
    screenshot("flow-04-person-new")

    # The company must exist before a consent can name it: create it with a valid CVR.
    page.get_by_role("link", name="Virksomheder").first.click()
    page.get_by_role("link", name="Ny virksomhed").click()
    page.get_by_label("Navn").fill(COMPANY)
    page.get_by_label("CVR-nummer").fill(CVR)
    page.get_by_label("Branche").fill("Bageri")
    page.get_by_label("Postnummer").fill("8000")
    page.get_by_label("By", exact=True).fill("Aarhus C")
    screenshot("flow-05-company-form")
    page.get_by_role("button", name="Opret virksomhed").click()
    page.get_by_role("heading", name=COMPANY).wait_for()
    company = Company.objects.get()
    assert company.cvr == CVR

    page.get_by_role("link", name="Tilføj kontaktperson").click()
    contact_form = page.locator("#contact-form")
    contact_form.get_by_label("Navn").fill("Lone Bager")
    contact_form.get_by_label("Rolle").fill("Butiksleder")
    contact_form.get_by_label("Telefon").fill("86 12 34 56")
    contact_form.get_by_label("Mentor eller nærmeste leder").check()
    contact_form.get_by_role("button", name="Gem kontaktperson").click()
    page.get_by_text("Lone Bager er tilføjet som kontaktperson.").wait_for()
    expect(page.locator("#contacts")).to_contain_text("Butiksleder")
    screenshot("flow-06-company-page")

    # Back to the person: she agrees that the bakery may be contacted about her.
    page.get_by_role("link", name="Jobkunder").first.click()
    expect(page.locator("main table")).to_contain_text("Mette Holm")
    screenshot("flow-07-caseload")
    page.get_by_role("link", name="Mette Holm").click()
    page.get_by_role("heading", name="Mette Holm").wait_for()
    consents = page.locator("#consents")
    consents.get_by_text("Registrér samtykke").click()
    choose_company(consents.locator("form").last, COMPANY)
    expect(
        consents.get_by_label("Virksomheden må kontaktes om personen", exact=False)
    ).to_be_checked()
    consents.get_by_role("button", name="Gem samtykke").click()
    expect(page.locator("#consents tbody")).to_contain_text(COMPANY)
    expect(page.locator("#consents tbody")).to_contain_text("Aktiv")
    consent = Consent.objects.get()
    assert consent.may_contact and consent.company == company and consent.given_on == today

    # Her accommodations: what the follow-up will check.
    accommodations = page.locator("#accommodations")
    accommodations.get_by_text("Registrér nye skånehensyn").click()
    accommodations.get_by_label("Højst timer om ugen").fill("15")
    accommodations.get_by_label("Opgaver der skal undgås").fill("Kassen i myldretiden.")
    accommodations.get_by_label("Hvad en arbejdsgiver må få at vide").fill(
        "Har brug for faste pauser og én fast kontaktperson."
    )
    accommodations.get_by_role("button", name="Gem skånehensyn").click()
    expect(page.locator("#accommodations")).to_contain_text("Kassen i myldretiden.")
    screenshot("flow-08-person-consent-accommodations")

    # Start a praktik at the bakery.
    page.get_by_role("link", name="Start praktik eller job").click()
    form = page.locator("main form")
    expect(page.locator("main")).to_contain_text("Mette Holm")
    choose_company(form, COMPANY)
    expect(page.locator("#id_contact option")).to_have_count(2)
    page.get_by_label("Kontaktperson").select_option(label="Lone Bager (Butiksleder)")
    page.get_by_label("Type").select_option("praktik")
    page.get_by_label(re.compile(r"^Start( \*)?$")).fill(ddmmyyyy(praktik_start))
    page.get_by_label("Planlagt slut").fill(ddmmyyyy(today + datetime.timedelta(days=30)))
    page.get_by_label("Timer pr. uge").fill("10")
    page.get_by_label("Arbejdsopgaver").fill("Pakke brød, fylde hylder op.")
    screenshot("flow-09-placement-form")
    page.get_by_role("button", name="Opret forløb").click()
    page.wait_for_url("**/forloeb/*/")
    praktik = Placement.objects.get()
    assert praktik.kind == Placement.Kind.PRAKTIK and praktik.job_customer == person
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Praktik hos {COMPANY}")
    screenshot("flow-10-praktik-page")

    # It went well: she is hired in a skånejob from four days ago.
    page.get_by_role("link", name="Gør til ansættelse").click()
    page.get_by_label("Ansættelsesform").select_option("skaanejob")
    page.get_by_label("Ansættelsen starter").fill(ddmmyyyy(employment_start))
    page.get_by_label("Timer pr. uge").fill("12")
    screenshot("flow-11-convert-form")
    page.get_by_role("button", name="Gør til ansættelse").click()
    page.wait_for_url(lambda url: f"/forloeb/{praktik.pk}/" not in url)
    employment = Placement.objects.get(previous=praktik)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Skånejob hos {COMPANY}")
    plan = page.locator("section", has=page.get_by_role("heading", name="Opfølgningsplan"))
    expect(plan).to_contain_text("Samtale inden for 14 dage")
    expect(plan).to_contain_text("3-månedersmøde")
    screenshot("flow-12-employment-page")

    # "I dag" lists the 14-day talk as due soon.
    first_talk = employment.followups.get(kind=FollowUp.Kind.FIRST_TALK)
    page.get_by_role("link", name="I dag").first.click()
    due_soon = page.locator("section", has=page.locator("#h-due"))
    row = due_soon.get_by_role("row", name="Mette Holm")
    expect(row).to_contain_text("Samtale inden for 14 dage")
    expect(row).to_contain_text(COMPANY)
    expect(row).to_contain_text(ddmmyyyy(first_talk.due_on))
    expect(page.locator(".stats")).to_contain_text("1 opfølgninger de næste 14 dage")
    screenshot("flow-13-today-due")

    # Record the talk: the company contact took part, accommodations kept, she is doing well.
    row.get_by_role("link", name="Samtale inden for 14 dage").click()
    page.wait_for_url(f"**/forloeb/opfoelgning/{first_talk.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samtale inden for 14 dage")
    expect(page.locator(".in-force")).to_contain_text("Kassen i myldretiden.")
    expect(page.locator(".in-force")).to_contain_text("Har brug for faste pauser")
    page.get_by_label("Afholdt den").fill(ddmmyyyy(today))
    page.get_by_label("Jobkunden deltog").check()
    page.get_by_label("Virksomhedens kontaktperson deltog").check()
    page.get_by_label("Vejlederen deltog").check()
    page.get_by_role("radiogroup", name="Timer overholdt").get_by_label("Ja").check()
    page.get_by_role("radiogroup", name="Opgaver overholdt").get_by_label("Ja").check()
    page.get_by_role("radiogroup", name="Øvrige skånehensyn overholdt").get_by_label(
        "Delvist"
    ).check()
    page.get_by_label("Om skånehensynene").fill("Pauserne bliver nogle gange glemt i travlhed.")
    page.get_by_label("God", exact=True).check()
    page.get_by_label("Ønsker flere timer").check()
    page.get_by_label("Resultat af udviklingssamtalen").fill("Op på 15 timer fra næste måned.")
    page.get_by_label("Hvem gør hvad, og hvornår").fill("Lone laver ny vagtplan inden fredag.")
    screenshot("flow-14-record-form")
    page.get_by_role("button", name="Gem opfølgning").click()
    page.wait_for_url(f"**/forloeb/{employment.pk}/")

    # Held, shown on the placement page, and gone from "I dag".
    held_row = plan.get_by_role("row", name="Samtale inden for 14 dage")
    expect(held_row).to_contain_text("Afholdt")
    expect(held_row).to_contain_text(ddmmyyyy(today))
    screenshot("flow-15-employment-after")
    page.get_by_role("link", name="I dag").first.click()
    expect(page.locator("#h-due")).to_be_visible()
    expect(page.locator("#today-work")).not_to_contain_text("Samtale inden for 14 dage")
    expect(page.locator(".stats")).to_contain_text("0 opfølgninger de næste 14 dage")
    screenshot("flow-16-today-after")

    # The person's page shows both placements; the company's page shows them too.
    page.get_by_role("link", name="Jobkunder").first.click()
    page.get_by_role("link", name="Mette Holm").first.click()
    placements = page.locator("#placements")
    expect(placements.get_by_role("row")).to_have_count(3)
    expect(placements).to_contain_text("Skånejob")
    expect(page.locator(".jc-meta")).to_contain_text("I job")
    screenshot("flow-17-person-end")
    page.get_by_role("link", name="Virksomheder").first.click()
    expect(page.locator("main table")).to_contain_text(CVR)
    screenshot("flow-18-company-list")
    page.get_by_role("link", name=COMPANY).click()
    expect(page.locator("#placements")).to_contain_text("Mette Holm")
    screenshot("flow-19-company-end")

    # The database agrees with what the pages said.
    assert JobCustomer.objects.count() == 1
    assert CompanyContact.objects.get().company == company
    praktik.refresh_from_db()
    assert praktik.ended_on == employment_start - datetime.timedelta(days=1)
    assert praktik.end_reason_category == Placement.EndReason.CONVERTED
    assert employment.kind == Placement.Kind.SKAANEJOB
    assert employment.started_on == employment_start
    assert employment.job_customer == person and employment.company == company
    assert employment.contact.name == "Lone Bager"
    first_talk.refresh_from_db()
    assert first_talk.status == FollowUp.Status.HELD
    assert first_talk.held_on == today
    assert first_talk.with_job_customer and first_talk.with_company_contact
    assert first_talk.with_advisor
    assert (first_talk.hours_kept, first_talk.tasks_kept, first_talk.other_kept) == (
        "yes",
        "yes",
        "partly",
    )
    assert first_talk.wellbeing == FollowUp.Wellbeing.GOOD
    assert first_talk.wants_more_hours and not first_talk.wants_new_tasks
    assert first_talk.agreed_actions == "Lone laver ny vagtplan inden fredag."
    planned = employment.followups.exclude(pk=first_talk.pk)
    assert sorted(planned.values_list("kind", flat=True)) == sorted(
        [FollowUp.Kind.MONTH_3, FollowUp.Kind.MONTH_6, FollowUp.Kind.MONTH_12]
    )
    assert set(planned.values_list("status", flat=True)) == {FollowUp.Status.PLANNED}
    assert console_errors == []


def test_the_person_page_in_english_after_the_language_switch(
    live_server, page, log_in, screenshot
):
    """The header's language button turns the whole page English, dates included."""
    advisor = make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    person = make_job_customer(
        advisor=advisor,
        first_name="Mette",
        last_name="Holm",
        birth_date=datetime.date(1984, 3, 14),
        associated_from=datetime.date(2026, 2, 1),
    )
    log_in("vera@example.dk")
    page.goto(f"{live_server.url}/jobkunder/{person.pk}/")
    facts = page.locator("section", has=page.locator("#facts-title"))
    expect(facts).to_contain_text("Fødselsdato")
    expect(facts).to_contain_text("14-03-1984")

    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"**/jobkunder/{person.pk}/")
    assert page.locator("html").get_attribute("lang") == "en"
    facts = page.locator("section", has=page.locator("#facts-title"))
    expect(facts.get_by_role("heading")).to_have_text("Facts")
    expect(facts).to_contain_text("Birth date")
    expect(facts).to_contain_text("1984-03-14")
    expect(facts).not_to_contain_text("14-03-1984")
    expect(page.locator(".jc-meta")).to_contain_text("Advisor: Vera Vejleder")
    expect(page.locator(".jc-meta")).to_contain_text("2026-02-01")
    expect(page.get_by_role("link", name="Today")).to_be_visible()
    expect(page.get_by_role("heading", name="Consents")).to_be_visible()
    expect(page.get_by_role("button", name="Dansk")).to_be_visible()
    screenshot("flow-person-english")

    # And back: the choice belongs to the user.
    page.get_by_role("button", name="Dansk").click()
    expect(page.get_by_role("heading", name="Samtykker")).to_be_visible()


def test_an_impossible_birth_date_is_refused_in_danish_and_nothing_is_created(
    live_server, page, log_in, screenshot
):
    make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    log_in("vera@example.dk")
    page.goto(f"{live_server.url}/jobkunder/ny/")
    page.get_by_label("Fornavn").fill("Mette")
    page.get_by_label("Efternavn").fill("Holm")
    page.get_by_label("Fødselsdato").fill("31-02-1990")
    page.get_by_role("button", name="Opret jobkunde").click()

    expect(page.get_by_role("alert")).to_have_text(
        "Intet er gemt. Ret felterne, der er markeret med rødt."
    )
    field = page.locator(".field", has=page.get_by_label("Fødselsdato"))
    expect(field.locator(".error")).to_have_text("Skriv en gyldig dato som dd-mm-åååå.")
    expect(page.get_by_label("Fødselsdato")).to_have_value("31-02-1990")
    expect(page.get_by_label("Fornavn")).to_have_value("Mette")
    assert "/jobkunder/ny/" in page.url
    screenshot("flow-intake-error")
    assert not JobCustomer.objects.exists()

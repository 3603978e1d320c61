"""The accommodation guide: only with a consent that covers the company; the employer text,
the contact person, what to do when things go wrong; refused with a clear message otherwise."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.core.tests.pdf import pdf_text
from varig.customers.models import Accommodation
from varig.customers.tests.factories import make_consent, make_job_customer
from varig.employers.tests.factories import make_company, make_contact
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

EMPLOYER_TEXT = "Start dagen med faste opgaver; giv besked i god tid om ændringer."


@pytest.fixture
def placement(advisor):
    consultant = make_user(role=Role.CONSULTANT, name="Karin Konsulent", email="karin@example.dk")
    company = make_company(name="Café Lindegården", consultant=consultant)
    contact = make_contact(
        company=company, name="Lise Leder", role="Køkkenchef", phone="22 33 44 55", is_mentor=True
    )
    person = make_job_customer(first_name="Åse", last_name="Holm", advisor=advisor)
    Accommodation.objects.create(
        job_customer=person,
        valid_from=timezone.localdate() - datetime.timedelta(days=30),
        employer_text=EMPLOYER_TEXT,
        environment="PRIVAT-miljø",
    )
    make_consent(job_customer=person, company=company)
    return make_placement(
        job_customer=person,
        company=company,
        contact=contact,
        hours_per_week=Decimal(10),
        tasks="Opvask og klargøring af grønt",
    )


def _guide(client, placement):
    return client.get(reverse("employers:guide", args=[placement.pk]))


def test_the_guide_has_the_agreement_the_contact_and_what_to_do(advisor_client, placement, advisor):
    response = _guide(advisor_client, placement)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="skaanehensyn-cafe-lindegaarden-aase-holm.pdf"' in response["Content-Disposition"]
    )
    text = pdf_text(response.content)
    for expected in (
        "Sådan arbejder I godt sammen med Åse",
        "Café Lindegården",
        EMPLOYER_TEXT,
        "10 timer om ugen",
        "Opvask og klargøring af grønt",
        "Lise Leder",
        "22 33 44 55",
        "Når noget går galt",
        "Ring til vejlederen samme dag",
        advisor.name,
        "Karin Konsulent",
        "Vi fortæller aldrig om diagnoser",
    ):
        assert expected in text, expected
    assert "PRIVAT-miljø" not in text


def test_the_guide_without_a_written_agreement_or_contact_says_what_to_do(
    advisor_client, placement
):
    Accommodation.objects.filter(job_customer=placement.job_customer).update(employer_text="")
    placement.contact = None
    placement.save()
    text = pdf_text(_guide(advisor_client, placement).content)
    assert "Der er ikke skrevet noget ned endnu" in text
    assert "Aftal, hvem der er Åses faste kontaktperson" in text


@pytest.mark.parametrize(
    ("consent", "message"),
    [
        (None, "Åse Holm har ikke et gyldigt samtykke til Café Lindegården"),
        ({"may_contact": False}, "samtykke tillader ikke, at vi kontakter Café Lindegården"),
        ({"share_accommodations": False}, "tillader ikke, at skånehensynene deles"),
        ({"expires_on": datetime.date(2024, 3, 1)}, "har ikke et gyldigt samtykke"),
        ({"withdrawn_on": datetime.date(2024, 3, 1)}, "har ikke et gyldigt samtykke"),
    ],
)
def test_without_consent_for_the_company_the_guide_is_refused_with_a_clear_message(
    advisor_client, placement, consent, message
):
    placement.job_customer.consents.all().delete()
    if consent is not None:
        make_consent(job_customer=placement.job_customer, company=placement.company, **consent)
    response = _guide(advisor_client, placement)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert message in content
    assert EMPLOYER_TEXT not in content
    assert reverse("customers:detail", args=[placement.job_customer.pk]) in content


def test_a_consent_for_another_company_does_not_cover_this_one(advisor_client, placement):
    placement.job_customer.consents.all().delete()
    make_consent(job_customer=placement.job_customer, company=make_company())
    assert _guide(advisor_client, placement).status_code == 403


def test_other_advisors_persons_guides_are_refused(client_for, other_advisor, placement):
    assert _guide(client_for(other_advisor), placement).status_code == 403


def test_the_guide_is_linked_from_the_contract_page(advisor_client, placement):
    page = advisor_client.get(reverse("employers:contract", args=[placement.pk]))
    assert reverse("employers:guide", args=[placement.pk]) in page.content.decode()

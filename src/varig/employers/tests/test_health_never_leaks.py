"""Diagnoses and health notes never reach a document a company gets, nor a company page.

One person with a distinctive diagnosis, health note and private accommodation details (only
`employer_text` may ever be told to an employer) and full consent for the company; every
document and company-facing page is generated and read back as text. Each slice of issue 5
adds its documents and pages to `company_facing_outputs`.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from varig.alerts.models import Period
from varig.core.tests.pdf import docx_text, pdf_text
from varig.customers.models import (
    Accommodation,
    ContactNote,
    HealthInfo,
    JobWishes,
    LifeArea,
    ReadinessAssessment,
    ReadinessRating,
)
from varig.customers.tests.factories import make_consent, make_job_customer
from varig.employers.tests.factories import make_company, make_contact
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

DIAGNOSIS = "Zebrafobia-X17 paranoid"
HEALTH_NOTE = "Quetiapin-Morgenkvalme-Q42"
PRIVATE_ACCOMMODATION = {
    "tasks_to_avoid": "Undgå-kasse-PRIV-1",
    "environment": "Stille-rum-PRIV-2",
    "other": "Andet-PRIV-3",
}
EMPLOYER_TEXT = "Giv gerne én opgave ad gangen."
# Other places where health information may be written down about a person.
OTHER_HEALTH = {
    "readiness note": "Psykisk-uro-READY-4",
    "setback note": "Indlagt-SETBACK-5",
    "contact note": "Medicinskift-NOTE-6",
}
SECRETS = [DIAGNOSIS, HEALTH_NOTE, *PRIVATE_ACCOMMODATION.values(), *OTHER_HEALTH.values()]


@pytest.fixture
def person_at_company(advisor):
    today = timezone.localdate()
    company = make_company(name="Bageriet", industry="Bageri", postcode="8000")
    contact = make_contact(company=company, name="Mette Mentor", is_mentor=True)
    person = make_job_customer(first_name="Åse", last_name="Holm", advisor=advisor)
    HealthInfo.objects.create(job_customer=person, diagnosis=DIAGNOSIS, health_notes=HEALTH_NOTE)
    Accommodation.objects.create(
        job_customer=person,
        valid_from=today - datetime.timedelta(days=100),
        max_hours_per_week=Decimal(15),
        employer_text=EMPLOYER_TEXT,
        **PRIVATE_ACCOMMODATION,
    )
    JobWishes.objects.create(job_customer=person, wished_industries="Bageri")
    ReadinessAssessment.objects.create(
        job_customer=person,
        area=LifeArea.PSYCHOLOGICAL,
        rating=ReadinessRating.ATTENTION,
        assessed_on=today,
        note=OTHER_HEALTH["readiness note"],
    )
    Period.objects.create(
        job_customer=person,
        kind=Period.Kind.SETBACK,
        started_on=today - datetime.timedelta(days=5),
        note=OTHER_HEALTH["setback note"],
    )
    ContactNote.objects.create(
        job_customer=person,
        occurred_at=timezone.now(),
        text=OTHER_HEALTH["contact note"],
        company=company,
    )
    make_consent(job_customer=person, company=company)
    placement = make_placement(
        job_customer=person,
        company=company,
        contact=contact,
        started_on=today - datetime.timedelta(days=30),
        hours_per_week=Decimal(15),
        tasks="Pakning af brød",
    )
    return company, person, placement


def company_facing_outputs(client, company, person, placement) -> dict[str, str]:
    """Every document a company may get and every company page, as the text a reader sees."""
    outputs = {}
    response = client.get(reverse("employers:welcome_pack", args=[company.pk]))
    outputs["welcome pack"] = pdf_text(response.content)
    response = client.get(reverse("employers:detail", args=[company.pk]))
    outputs["company page"] = response.content.decode()
    response = client.get(reverse("employers:guide", args=[placement.pk]))
    outputs["accommodation guide"] = pdf_text(response.content)
    for kind in ("praktik", "skaanejob", "fleksjob", "ordinaert"):
        placement.kind = kind
        placement.save(update_fields=["kind"])
        response = client.get(reverse("employers:contract_docx", args=[placement.pk]))
        outputs[f"{kind} contract (DOCX)"] = docx_text(response.content)
        response = client.get(reverse("employers:contract_pdf", args=[placement.pk]))
        outputs[f"{kind} contract (PDF)"] = pdf_text(response.content)
    return outputs


def test_no_diagnosis_health_note_or_private_accommodation_reaches_a_company(
    advisor_client, person_at_company
):
    company, person, placement = person_at_company
    outputs = company_facing_outputs(advisor_client, company, person, placement)
    # The person and the employer text are really in the documents.
    assert "Åse Holm" in outputs["welcome pack"]
    assert EMPLOYER_TEXT in outputs["skaanejob contract (PDF)"]
    assert EMPLOYER_TEXT in outputs["praktik contract (DOCX)"]
    assert EMPLOYER_TEXT in outputs["accommodation guide"]
    for name, text in outputs.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} reached the {name}"

"""Every document about a person that Varig hands out is a logged read of that person, naming
the document (the audit page shows which)."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from varig.customers.tests.factories import make_consent, make_job_customer
from varig.employers.tests.factories import make_company
from varig.placements.tests.factories import make_placement
from varig.privacy.audit import DOCUMENT_KEY, PERSON_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(advisor):
    company = make_company(name="Café Lindegården")
    person = make_job_customer(first_name="Åse", last_name="Holm", advisor=advisor)
    make_consent(job_customer=person, company=company)
    return make_placement(job_customer=person, company=company)


def _document_reads(person) -> list:
    return [
        (e.additional_data.get(DOCUMENT_KEY), e.actor_id)
        for e in LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")
        if (e.additional_data or {}).get(PERSON_KEY) == person.pk
        and (e.additional_data or {}).get(DOCUMENT_KEY)
    ]


@pytest.mark.parametrize(
    ("url_name", "document", "by_company"),
    [
        ("employers:welcome_pack", "welcome_pack", True),
        ("employers:contract_pdf", "contract", False),
        ("employers:contract_docx", "contract", False),
        ("employers:guide", "accommodation_guide", False),
    ],
)
def test_each_document_logs_a_read_of_the_person(
    advisor_client, advisor, placement, url_name, document, by_company
):
    pk = placement.company_id if by_company else placement.pk
    response = advisor_client.get(reverse(url_name, args=[pk]))
    assert response.status_code == 200, response.content[:300]
    assert _document_reads(placement.job_customer) == [(document, advisor.pk)]

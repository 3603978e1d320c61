"""Contract drafts: prefilled from the placement, the accommodations only with consent, the
municipality checklist by kind, the same content as DOCX and as PDF."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from varig.core.tests.pdf import docx_text, pdf_text
from varig.customers.models import Accommodation
from varig.customers.tests.factories import make_consent, make_job_customer
from varig.employers.contracts import (
    LEFT_OUT_REASONS,
    contract_facts,
    municipality_checklist,
)
from varig.employers.tests.factories import make_company, make_contact
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

EMPLOYER_TEXT = "Én opgave ad gangen, og en rolig start på dagen."


def today():
    return timezone.localdate()


@pytest.fixture
def placement(advisor):
    company = make_company(
        name="Bageriet Solsikken ApS",
        cvr="13585628",
        address="Bagergade 4",
        postcode="8000",
        city="Aarhus C",
    )
    contact = make_contact(
        company=company, name="Per Mester", role="Bagermester", phone="12 34 56 78"
    )
    person = make_job_customer(
        first_name="Åse",
        last_name="Holm",
        address="Søndergade 1",
        postcode="8000",
        municipality="Aarhus",
        advisor=advisor,
    )
    Accommodation.objects.create(
        job_customer=person,
        valid_from=today() - datetime.timedelta(days=10),
        employer_text=EMPLOYER_TEXT,
        tasks_to_avoid="PRIVAT-kasse",
    )
    make_consent(job_customer=person, company=company)
    return make_placement(
        job_customer=person,
        company=company,
        contact=contact,
        kind=Placement.Kind.SKAANEJOB,
        started_on=today() + datetime.timedelta(days=7),
        hours_per_week=Decimal("12.5"),
        hourly_wage=Decimal("142.00"),
        tasks="Pakning af brød og rengøring af bageriet",
    )


def _documents(client, placement) -> dict[str, str]:
    docx = client.get(reverse("employers:contract_docx", args=[placement.pk]))
    pdf = client.get(reverse("employers:contract_pdf", args=[placement.pk]))
    assert docx.status_code == pdf.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert docx["Content-Disposition"].endswith('.docx"')
    assert pdf["Content-Type"] == "application/pdf"
    return {"docx": docx_text(docx.content), "pdf": pdf_text(pdf.content)}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_draft_is_prefilled_from_the_placement(advisor_client, placement, fmt):
    text = _documents(advisor_client, placement)[fmt]
    for expected in (
        "Ansættelseskontrakt: skånejob",
        "Bageriet Solsikken ApS",
        "13585628",
        "Bagergade 4, 8000 Aarhus C",
        "Åse Holm",
        "Søndergade 1, 8000 Aarhus",
        (placement.started_on).strftime("%d-%m-%Y"),
        "12,5 timer om ugen",
        "142 kr. i timen",
        "Pakning af brød og rengøring af bageriet",
        "Per Mester",
        "Bagermester",
        EMPLOYER_TEXT,
        "Hvad virksomheden registrerer hos kommunen",
        "løntilskud",
        "Dato og underskrift",
    ):
        assert expected in text, expected
    assert "PRIVAT-kasse" not in text


def test_the_docx_is_editable_word_with_tables_and_the_checklist(advisor_client, placement):
    import io

    from docx import Document

    response = advisor_client.get(reverse("employers:contract_docx", args=[placement.pk]))
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "Ansættelseskontrakt: skånejob"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "CVR-nummer" in cells and "13585628" in cells
    boxes = [p.text for p in document.paragraphs if p.text.startswith("☐")]
    assert len(boxes) == len(municipality_checklist(Placement.Kind.SKAANEJOB))


@pytest.mark.parametrize(
    ("kind", "title", "phrase"),
    [
        (Placement.Kind.PRAKTIK, "Praktikaftale", "Vitas"),
        (Placement.Kind.SKAANEJOB, "Ansættelseskontrakt: skånejob", "løntilskud"),
        (Placement.Kind.FLEKSJOB, "Ansættelseskontrakt: fleksjob", "fleksløntilskud"),
        (Placement.Kind.ORDINAERT, "Ansættelseskontrakt", "Udbetaling Danmark"),
    ],
)
def test_each_kind_has_its_title_and_municipality_checklist(
    advisor_client, placement, kind, title, phrase
):
    placement.kind = kind
    placement.hourly_wage = None
    placement.save()
    texts = _documents(advisor_client, placement)
    for text in texts.values():
        assert title in text
        assert phrase in text
    page = advisor_client.get(reverse("employers:contract", args=[placement.pk]))
    content = page.content.decode()
    for item in municipality_checklist(kind):
        assert str(item) in content


def test_a_praktik_without_wage_says_so(advisor_client, placement):
    placement.kind = Placement.Kind.PRAKTIK
    placement.hourly_wage = None
    placement.save()
    assert "Ingen løn (praktik)" in _documents(advisor_client, placement)["pdf"]


def test_missing_facts_leave_blanks_to_fill_in(advisor_client, advisor):
    company = make_company(name="Lille Firma")
    person = make_job_customer(first_name="Bo", last_name="Berg", advisor=advisor)
    placement = make_placement(job_customer=person, company=company, kind=Placement.Kind.FLEKSJOB)
    text = _documents(advisor_client, placement)["docx"]
    assert "Lille Firma" in text and "Bo Berg" in text
    assert text.count("________________________") >= 5  # CVR, address, hours, tasks, wage …
    page = advisor_client.get(reverse("employers:contract", args=[placement.pk])).content.decode()
    assert "Mangler: tilføj det på virksomheden" in page


@pytest.mark.parametrize(
    ("consent", "reason"),
    [
        (None, "no_consent"),
        ({"share_accommodations": False}, "not_shared"),
        ({"withdrawn_on": datetime.date(2024, 6, 1)}, "no_consent"),
    ],
)
def test_accommodations_only_with_consent_that_shares_them(
    advisor_client, placement, consent, reason
):
    placement.job_customer.consents.all().delete()
    if consent is not None:
        make_consent(job_customer=placement.job_customer, company=placement.company, **consent)
    facts = contract_facts(
        placement=Placement.objects.select_related("company", "contact", "job_customer").get(
            pk=placement.pk
        )
    )
    assert facts.accommodations is None and facts.accommodations_left_out == reason
    for text in _documents(advisor_client, placement).values():
        assert EMPLOYER_TEXT not in text
        assert "Aftales mellem parterne før start" in text
    page = advisor_client.get(reverse("employers:contract", args=[placement.pk])).content.decode()
    assert str(LEFT_OUT_REASONS[reason]) in page


def test_the_accommodations_in_force_at_the_start_are_used(advisor_client, placement):
    Accommodation.objects.create(
        job_customer=placement.job_customer,
        valid_from=placement.started_on,
        employer_text="Ny aftale fra start",
    )
    text = _documents(advisor_client, placement)["pdf"]
    assert "Ny aftale fra start" in text and EMPLOYER_TEXT not in text


def test_the_contract_page_shows_the_facts_and_links(advisor_client, placement):
    response = advisor_client.get(reverse("employers:contract", args=[placement.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("employers:contract_docx", args=[placement.pk]) in content
    assert reverse("employers:contract_pdf", args=[placement.pk]) in content
    assert EMPLOYER_TEXT in content and "Per Mester" in content
    detail = advisor_client.get(reverse("placements:detail", args=[placement.pk]))
    assert reverse("employers:contract", args=[placement.pk]) in detail.content.decode()


def test_other_advisors_persons_contracts_are_refused(client_for, other_advisor, placement):
    client = client_for(other_advisor)
    for name in ("employers:contract", "employers:contract_docx", "employers:contract_pdf"):
        assert client.get(reverse(name, args=[placement.pk])).status_code == 403


def test_unknown_placement_is_404(advisor_client):
    assert advisor_client.get(reverse("employers:contract_pdf", args=[999999])).status_code == 404


def test_the_documents_are_danish_for_an_english_speaking_user(client_for, advisor, placement):
    advisor.language = "en"
    advisor.save()
    text = pdf_text(
        client_for(advisor).get(reverse("employers:contract_pdf", args=[placement.pk])).content
    )
    assert "Ansættelseskontrakt" in text


def test_a_generated_draft_is_audited_as_a_disclosure(advisor_client, placement):
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    advisor_client.get(reverse("employers:contract_docx", args=[placement.pk]))
    # The access-checked read and the disclosure.
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 2


def test_contract_page_queries_are_bounded(
    advisor_client, placement, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        advisor_client.get(reverse("employers:contract", args=[placement.pk]))

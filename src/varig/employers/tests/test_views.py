import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.models import Role
from varig.core.services import STALE_EDIT
from varig.core.tests.factories import make_user
from varig.core.tests.queries import request_overhead
from varig.customers.models import Accommodation, HealthInfo
from varig.customers.tests.factories import make_job_customer
from varig.employers.models import Company, CompanyContact, CompanyNote
from varig.employers.services import (
    CONTACT_END_BEFORE_START,
    CVR_INVALID,
    CVR_TAKEN,
    NOTE_EMPTY,
    POSTCODE_INVALID,
)
from varig.employers.tests.factories import make_company, make_contact
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
VALID_CVR = "13585628"
TODAY = timezone.localdate


def htmx_to(target: str) -> dict:
    return {**HTMX, "HTTP_HX_TARGET": target}


def company_form_data(**overrides) -> dict:
    data = {
        "name": "Cykelsmeden ApS",
        "cvr": "13 58 56 28",
        "industry": "Detail",
        "address": "Vestergade 1",
        "postcode": "8000",
        "city": "Aarhus C",
        "employees": "4",
        "offered_jobs": "Klargøring af cykler",
        "strengths": "Tålmodig mester",
        "notes": "",
        "ref": "",
    }
    data.update(overrides)
    return data


# Access ------------------------------------------------------------------------------------


def all_page_urls() -> list[str]:
    company = make_company()
    contact = make_contact(company=company)
    return [
        reverse("employers:list"),
        reverse("employers:create"),
        reverse("employers:detail", args=[company.pk]),
        reverse("employers:edit", args=[company.pk]),
        reverse("employers:contact_create", args=[company.pk]),
        reverse("employers:contact_edit", args=[contact.pk]),
        reverse("employers:contact_end", args=[contact.pk]),
    ]


def test_anonymous_users_are_sent_to_login(client):
    for url in [*all_page_urls(), reverse("employers:note_create", args=[make_company().pk])]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("core:login")), url


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.CONSULTANT, Role.MANAGER, Role.ADMINISTRATOR])
def test_every_staff_role_may_open_every_page(client, client_for, role):
    client = client_for(make_user(role=role))
    for url in all_page_urls():
        assert client.get(url).status_code == 200, url


def test_a_user_without_a_role_is_refused(client, client_for):
    client = client_for(make_user(role=None))
    for url in all_page_urls():
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.CONSULTANT, Role.MANAGER, Role.ADMINISTRATOR])
def test_every_staff_role_may_create_a_company(client, client_for, role):
    client = client_for(make_user(role=role))
    response = client.post(reverse("employers:create"), company_form_data(cvr=""))
    assert response.status_code == 302
    assert Company.objects.filter(name="Cykelsmeden ApS").exists()


def test_unknown_company_is_404(advisor_client):
    assert advisor_client.get(reverse("employers:detail", args=[999999])).status_code == 404
    assert advisor_client.get(reverse("employers:edit", args=[999999])).status_code == 404
    assert advisor_client.get(reverse("employers:contact_edit", args=[999999])).status_code == 404


# The list ----------------------------------------------------------------------------------


def test_list_full_page_shows_each_row(advisor_client):
    company = make_company(
        name="Bageriet",
        cvr=VALID_CVR,
        industry="Bageri",
        postcode="8000",
        city="Aarhus C",
        employees=12,
    )
    make_placement(company=company, started_on=TODAY() - datetime.timedelta(days=10))
    make_contact(company=company)
    make_contact(company=company)
    response = advisor_client.get(reverse("employers:list"))
    assert response.status_code == 200
    html = response.text
    assert "<html" in html and 'id="results"' in html and 'id="company-filters"' in html
    assert reverse("employers:detail", args=[company.pk]) in html
    for text in ["Bageriet", VALID_CVR, "Bageri", "8000 Aarhus C", ">12<"]:
        assert text in html
    row = response.context["companies"][0]
    assert (row.active_placements, row.active_contacts) == (1, 2)


def test_list_htmx_gets_only_the_results(advisor_client):
    make_company(name="Bageriet", industry="Bageri")
    make_company(name="Fragtmanden", industry="Transport")
    response = advisor_client.get(reverse("employers:list"), {"q": "bager"}, **HTMX)
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and "company-filters" in html  # only the form attribute
    assert "Bageriet" in html and "Fragtmanden" not in html


def test_list_history_restore_gets_the_whole_page(advisor_client):
    response = advisor_client.get(
        reverse("employers:list"), {"q": "x"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assert "<html" in response.text
    assert "HX-Request" in response["Vary"]


def test_list_filters_by_industry_and_sorts(advisor_client):
    make_company(name="Alfa", industry="Bageri", employees=1)
    make_company(name="Beta", industry="Bageri", employees=9)
    make_company(name="Gamma", industry="Transport", employees=5)
    response = advisor_client.get(
        reverse("employers:list"), {"industry": "Bageri", "sort": "-employees"}
    )
    assert [c.name for c in response.context["companies"]] == ["Beta", "Alfa"]
    assert 'aria-sort="descending"' in response.text


def test_list_ignores_an_unknown_sort_or_industry(advisor_client):
    make_company(name="Alfa")
    response = advisor_client.get(
        reverse("employers:list"), {"industry": "findes ikke", "sort": "drop table"}
    )
    assert response.status_code == 200
    assert [c.name for c in response.context["companies"]] == ["Alfa"]


def test_list_paginates_by_25(advisor_client):
    for n in range(30):
        make_company(name=f"Firma {n:02d}")
    first = advisor_client.get(reverse("employers:list"))
    assert len(first.context["companies"]) == 25
    assert 'rel="next"' in first.text
    second = advisor_client.get(reverse("employers:list"), {"page": 2}, **HTMX)
    assert [c.name for c in second.context["companies"]] == [f"Firma {n}" for n in range(25, 30)]


def test_list_empty_states(advisor_client):
    assert "No companies yet" in _english(advisor_client, reverse("employers:list")).text
    make_company(name="Alfa")
    response = _english(advisor_client, reverse("employers:list") + "?q=zzz")
    assert "No companies match" in response.text


def _english(client, url):
    user = client.get(reverse("employers:list")).wsgi_request.user
    user.language = "en"
    user.save(update_fields=["language"])
    return client.get(url)


def test_list_is_danish_by_default(advisor_client):
    make_company()
    html = advisor_client.get(reverse("employers:list")).text
    assert "Virksomheder" in html and "Aktive forløb" in html


def _queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


def test_list_query_count_is_the_same_for_1_and_25_companies(advisor_client):
    def add(n):
        for _ in range(n):
            company = make_company(industry=f"Branche {Company.objects.count() % 3}")
            make_placement(company=company, started_on=datetime.date(2024, 1, 1))
            make_contact(company=company)

    url = reverse("employers:list")
    add(1)
    one = _queries(advisor_client, url)
    # Roles, industries, count, page on top of every request's own (session, user, 2FA).
    assert one <= request_overhead(advisor_client) + 4
    add(24)
    assert _queries(advisor_client, url) == one
    assert _queries(advisor_client, url, **HTMX) <= one


# The company page --------------------------------------------------------------------------


def test_detail_shows_facts_contacts_placements_and_notes(advisor_client, advisor):
    company = make_company(
        name="Bageriet",
        cvr=VALID_CVR,
        offered_jobs="Opvask og pakning",
        strengths="Rolige morgener",
        notes="Ejeren hedder Lis",
    )
    make_contact(
        company=company,
        name="Mette Mentor",
        role="Butikschef",
        is_mentor=True,
        phone="12345678",
        email="mette@example.dk",
    )
    make_contact(company=company, name="Gamle Gert", active_until=datetime.date(2024, 1, 31))
    customer = make_job_customer(first_name="Sofie", last_name="Hansen")
    make_placement(
        company=company,
        job_customer=customer,
        started_on=datetime.date(2024, 3, 1),
        hours_per_week=12,
    )
    CompanyNote.objects.create(company=company, author=advisor, text="Ny ejer fra maj")
    response = advisor_client.get(reverse("employers:detail", args=[company.pk]))
    assert response.status_code == 200
    html = response.text
    for text in [
        "Bageriet",
        VALID_CVR,
        "Opvask og pakning",
        "Rolige morgener",
        "Ejeren hedder Lis",
        "Mette Mentor",
        "Butikschef",
        "mailto:mette@example.dk",
        "Gamle Gert",
        "Sofie Hansen",
        "01-03-2024",
        "Ny ejer fra maj",
        "Vera Vejleder",
    ]:
        assert text in html, text
    assert 'id="contacts"' in html and 'id="placements"' in html and 'id="notes"' in html
    assert [c.name for c in response.context["current_contacts"]] == ["Mette Mentor"]
    assert [c.name for c in response.context["former_contacts"]] == ["Gamle Gert"]


def test_detail_links_the_job_customer_when_the_page_exists(advisor_client):
    placement = make_placement()
    html = advisor_client.get(reverse("employers:detail", args=[placement.company_id])).text
    assert reverse("customers:detail", args=[placement.job_customer_id]) in html


def test_detail_never_shows_health_data_or_accommodations(advisor_client):
    company = make_company()
    customer = make_job_customer(first_name="Sofie", last_name="Hansen")
    HealthInfo.objects.create(
        job_customer=customer, diagnosis="Skizofreni-HEMMELIG", health_notes="Indlagt-HEMMELIG"
    )
    Accommodation.objects.create(
        job_customer=customer,
        valid_from=datetime.date(2024, 1, 1),
        tasks_to_avoid="Kassen-HEMMELIG",
        environment="Stille-HEMMELIG",
        other="Andet-HEMMELIG",
        employer_text="Arbejdsgivertekst-HEMMELIG",
    )
    make_placement(company=company, job_customer=customer)
    for headers in ({}, htmx_to("placements")):
        html = advisor_client.get(reverse("employers:detail", args=[company.pk]), **headers).text
        assert "Sofie Hansen" in html
        assert "HEMMELIG" not in html


def test_detail_flags_a_current_placement_whose_contact_has_left(advisor_client):
    company = make_company()
    gone = make_contact(company=company, name="Gert", active_until=TODAY() - datetime.timedelta(1))
    make_placement(company=company, contact=gone, started_on=TODAY() - datetime.timedelta(100))
    html = advisor_client.get(reverse("employers:detail", args=[company.pk])).text
    assert "Stoppet: vælg ny kontakt" in html


@pytest.mark.parametrize("region", ["contacts", "placements", "notes"])
def test_detail_htmx_gets_only_the_region_asked_for(advisor_client, region):
    company = make_company()
    response = advisor_client.get(reverse("employers:detail", args=[company.pk]), **htmx_to(region))
    assert response.status_code == 200
    html = response.text.lstrip()
    assert html.startswith(f'<section id="{region}"')
    assert "<html" not in html
    others = {"contacts", "placements", "notes"} - {region}
    assert not any(f'id="{other}"' in html for other in others)


def test_detail_htmx_without_a_known_target_gets_the_page(advisor_client):
    company = make_company()
    response = advisor_client.get(reverse("employers:detail", args=[company.pk]), **HTMX)
    assert "<html" in response.text


def test_detail_paginates_placements_by_20_current_first(advisor_client):
    company = make_company()
    for n in range(21):
        make_placement(
            company=company,
            started_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            ended_on=datetime.date(2021, 1, 1),
        )
    current = make_placement(company=company, started_on=datetime.date(2019, 1, 1))
    url = reverse("employers:detail", args=[company.pk])
    first = advisor_client.get(url)
    rows = list(first.context["placements"]["page"].object_list)
    assert len(rows) == 20 and rows[0] == current
    assert "placements_page=2" in first.text
    second = advisor_client.get(url, {"placements_page": 2}, **htmx_to("placements"))
    assert len(second.context["placements"]["page"].object_list) == 2


def test_detail_paginates_notes_newest_first(advisor_client, advisor):
    company = make_company()
    for n in range(12):
        CompanyNote.objects.create(company=company, author=advisor, text=f"Note nummer {n}")
    url = reverse("employers:detail", args=[company.pk])
    first = advisor_client.get(url)
    texts = [note.text for note in first.context["notes"]["page"].object_list]
    assert texts[0] == "Note nummer 11" and len(texts) == 10
    second = advisor_client.get(url, {"notes_page": 2}, **htmx_to("notes"))
    assert [n.text for n in second.context["notes"]["page"].object_list] == [
        "Note nummer 1",
        "Note nummer 0",
    ]


def test_detail_query_count_is_the_same_for_1_and_25_related_rows(advisor_client, advisor):
    company = make_company()

    def add(n):
        for _ in range(n):
            contact = make_contact(company=company)
            make_contact(company=company, active_until=datetime.date(2024, 1, 1))
            make_placement(company=company, contact=contact)
            make_placement(
                company=company,
                started_on=datetime.date(2023, 1, 1),
                ended_on=datetime.date(2023, 6, 1),
            )
            CompanyNote.objects.create(company=company, author=advisor, text="Note")

    url = reverse("employers:detail", args=[company.pk])
    add(1)
    one = _queries(advisor_client, url)
    # Roles, company, contacts, onboarding and the welcome pack's count, a count and a page
    # for placements and notes, and the open support requests (one query with their counts),
    # on top of every request's own (session, user, 2FA).
    assert one <= request_overhead(advisor_client) + 10
    regions = {
        r: _queries(advisor_client, url, **htmx_to(r)) for r in ("contacts", "placements", "notes")
    }
    add(24)
    assert _queries(advisor_client, url) == one
    for region, count in regions.items():
        assert _queries(advisor_client, url, **htmx_to(region)) == count, region


# Create and edit ---------------------------------------------------------------------------


def test_create_page_full_and_htmx(advisor_client):
    full = advisor_client.get(reverse("employers:create"))
    assert full.status_code == 200 and "<html" in full.text and 'id="company-form"' in full.text
    fragment = advisor_client.get(reverse("employers:create"), **HTMX)
    assert fragment.text.lstrip().startswith('<form id="company-form"')


def test_create_saves_the_company_with_a_compact_cvr(advisor_client):
    response = advisor_client.post(reverse("employers:create"), company_form_data())
    company = Company.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("employers:detail", args=[company.pk])
    assert company.cvr == VALID_CVR
    assert company.ref.startswith("VIRK-")
    assert (company.postcode, company.employees) == ("8000", 4)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cvr", "13585627", CVR_INVALID),
        ("cvr", "1234", CVR_INVALID),
        ("postcode", "80000", None),
        ("postcode", "80a0", POSTCODE_INVALID),
        ("employees", "-1", None),
        ("name", "", None),
    ],
)
def test_create_with_bad_input_saves_nothing_and_shows_the_error_beside_the_field(
    advisor_client, field, value, message
):
    response = advisor_client.post(reverse("employers:create"), company_form_data(**{field: value}))
    assert response.status_code == 400
    assert not Company.objects.exists()
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert form.errors[field] == [str(message)]
    assert f'id="id_{field}_error"' in response.text


def test_create_with_a_taken_cvr_names_the_company(advisor_client):
    make_company(name="Første Cykel ApS", cvr=VALID_CVR)
    response = advisor_client.post(reverse("employers:create"), company_form_data())
    assert response.status_code == 400
    assert response.context["form"].errors["cvr"] == [str(CVR_TAKEN % {"name": "Første Cykel ApS"})]
    assert "Første Cykel ApS" in response.text
    assert Company.objects.count() == 1


def test_edit_page_full_and_htmx(advisor_client):
    company = make_company(name="Redigeres")
    url = reverse("employers:edit", args=[company.pk])
    full = advisor_client.get(url)
    assert "<html" in full.text and 'value="Redigeres"' in full.text
    assert 'name="version" value="1"' in full.text
    fragment = advisor_client.get(url, **HTMX)
    assert fragment.text.lstrip().startswith('<form id="company-form"')


def test_edit_saves_and_bumps_the_version(advisor_client):
    company = make_company(name="Før", ref="VIRK-00001")
    response = advisor_client.post(
        reverse("employers:edit", args=[company.pk]),
        company_form_data(name="Efter", version=1),
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.cvr, company.version, company.ref) == (
        "Efter",
        VALID_CVR,
        2,
        "VIRK-00001",
    )


def test_stale_edit_is_refused_and_nothing_changes(advisor_client):
    company = make_company(name="Original")
    url = reverse("employers:edit", args=[company.pk])
    assert advisor_client.post(url, company_form_data(name="Første", version=1)).status_code == 302
    response = advisor_client.post(url, company_form_data(name="Anden", version=1))
    assert response.status_code == 400
    assert str(STALE_EDIT) in [str(e) for e in response.context["form"].non_field_errors()]
    company.refresh_from_db()
    assert (company.name, company.version) == ("Første", 2)


def test_edit_with_bad_input_changes_nothing(advisor_client):
    company = make_company(name="Uændret", cvr="")
    response = advisor_client.post(
        reverse("employers:edit", args=[company.pk]),
        company_form_data(name="Ændret", cvr="13585627", version=1),
    )
    assert response.status_code == 400
    company.refresh_from_db()
    assert (company.name, company.cvr, company.version) == ("Uændret", "", 1)
    assert "Edit Uændret" in response.text or "Rediger Uændret" in response.text


# Contacts ----------------------------------------------------------------------------------


def contact_data(**overrides) -> dict:
    data = {
        "name": "Mette Mentor",
        "role": "Butikschef",
        "phone": "12345678",
        "email": "mette@example.dk",
        "is_mentor": "on",
        "active_from": "01-02-2024",
        "active_until": "",
    }
    data.update(overrides)
    return data


def test_contact_create_pages_full_and_htmx(advisor_client):
    company = make_company()
    url = reverse("employers:contact_create", args=[company.pk])
    full = advisor_client.get(url)
    assert "<html" in full.text and 'id="contact-form"' in full.text
    # On its own page there is no contacts region to post into: a plain form.
    assert "hx-post" not in full.text
    fragment = advisor_client.get(url, **HTMX)
    assert fragment.text.lstrip().startswith('<form id="contact-form"')
    assert "<html" not in fragment.text
    assert 'hx-target="#contacts"' in fragment.text


def test_contact_create_by_htmx_returns_the_contacts_region(advisor_client):
    company = make_company()
    response = advisor_client.post(
        reverse("employers:contact_create", args=[company.pk]), contact_data(), **HTMX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="contacts"')
    assert "Mette Mentor" in response.text
    contact = CompanyContact.objects.get()
    assert contact.company == company and contact.is_mentor
    assert contact.active_from == datetime.date(2024, 2, 1)


def test_contact_create_without_htmx_redirects_to_the_company(advisor_client):
    company = make_company()
    response = advisor_client.post(
        reverse("employers:contact_create", args=[company.pk]), contact_data()
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("employers:detail", args=[company.pk]) + "#contacts"


def test_contact_create_with_end_before_start_saves_nothing(advisor_client):
    company = make_company()
    url = reverse("employers:contact_create", args=[company.pk])
    data = contact_data(active_from="10-05-2025", active_until="09-05-2025")
    response = advisor_client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#contact-form"
    assert response.text.lstrip().startswith('<form id="contact-form"')
    assert "Den sidste dag kan ikke ligge før den dag, kontaktpersonen startede." in response.text
    assert response.context["form"].errors["active_until"] == [str(CONTACT_END_BEFORE_START)]
    assert 'id="id_active_until_error"' in response.text
    assert not CompanyContact.objects.exists()
    full = advisor_client.post(url, data)
    assert full.status_code == 400 and "<html" in full.text
    assert not CompanyContact.objects.exists()


@pytest.mark.parametrize(
    "bad", [{"active_from": "31-02-2025"}, {"email": "ikke-en-adresse"}, {"name": ""}]
)
def test_contact_create_with_bad_input_saves_nothing(advisor_client, bad):
    company = make_company()
    response = advisor_client.post(
        reverse("employers:contact_create", args=[company.pk]), contact_data(**bad)
    )
    assert response.status_code == 400
    field = next(iter(bad))
    assert field in response.context["form"].errors
    assert not CompanyContact.objects.exists()


def test_contact_edit_full_htmx_and_save(advisor_client):
    contact = make_contact(name="Før")
    url = reverse("employers:contact_edit", args=[contact.pk])
    assert 'value="Før"' in advisor_client.get(url).text
    assert advisor_client.get(url, **HTMX).text.lstrip().startswith('<form id="contact-form"')
    response = advisor_client.post(url, contact_data(name="Efter", is_mentor=""), **HTMX)
    assert response.text.lstrip().startswith('<section id="contacts"')
    contact.refresh_from_db()
    assert contact.name == "Efter" and not contact.is_mentor


def test_contact_end_full_htmx_and_save(advisor_client):
    contact = make_contact(name="Gert", active_from=datetime.date(2024, 1, 1))
    url = reverse("employers:contact_end", args=[contact.pk])
    full = advisor_client.get(url)
    assert "<html" in full.text and TODAY().strftime("%d-%m-%Y") in full.text
    assert advisor_client.get(url, **HTMX).text.lstrip().startswith('<form id="contact-form"')
    response = advisor_client.post(url, {"active_until": "30-06-2025"}, **HTMX)
    assert response.text.lstrip().startswith('<section id="contacts"')
    contact.refresh_from_db()
    assert contact.active_until == datetime.date(2025, 6, 30)
    assert [c.name for c in response.context["former_contacts"]] == ["Gert"]


def test_contact_end_before_start_saves_nothing(advisor_client):
    contact = make_contact(active_from=datetime.date(2024, 1, 1))
    url = reverse("employers:contact_end", args=[contact.pk])
    response = advisor_client.post(url, {"active_until": "31-12-2023"})
    assert response.status_code == 400
    assert response.context["form"].errors["active_until"] == [str(CONTACT_END_BEFORE_START)]
    contact.refresh_from_db()
    assert contact.active_until is None
    impossible = advisor_client.post(url, {"active_until": "32-01-2025"}, **HTMX)
    assert impossible["HX-Retarget"] == "#contact-form"
    assert "active_until" in impossible.context["form"].errors
    contact.refresh_from_db()
    assert contact.active_until is None


# Notes -------------------------------------------------------------------------------------


def test_note_create_by_htmx_returns_the_notes_region(advisor_client, advisor):
    company = make_company()
    response = advisor_client.post(
        reverse("employers:note_create", args=[company.pk]), {"text": "Ny ejer"}, **HTMX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="notes"')
    assert "Ny ejer" in response.text
    note = CompanyNote.objects.get()
    assert (note.company, note.author, note.text) == (company, advisor, "Ny ejer")


def test_note_create_without_htmx_redirects(advisor_client):
    company = make_company()
    response = advisor_client.post(
        reverse("employers:note_create", args=[company.pk]), {"text": "Ny ejer"}
    )
    assert response["Location"] == reverse("employers:detail", args=[company.pk]) + "#notes"


def test_empty_note_saves_nothing(advisor_client):
    company = make_company()
    url = reverse("employers:note_create", args=[company.pk])
    response = advisor_client.post(url, {"text": "   "}, **HTMX)
    assert response.text.lstrip().startswith('<section id="notes"')
    assert 'id="id_text_error"' in response.text
    full = advisor_client.post(url, {"text": ""})
    assert full.status_code == 400 and "<html" in full.text
    assert not CompanyNote.objects.exists()


def test_empty_note_shows_the_service_message(advisor_client):
    company = make_company()
    response = advisor_client.post(
        reverse("employers:note_create", args=[company.pk]), {"text": "   "}
    )
    assert response.context["note_form"].errors["text"] == [str(NOTE_EMPTY)]
    assert "Skriv noten, før du gemmer den." in response.text


def test_note_create_refuses_get(advisor_client):
    company = make_company()
    assert (
        advisor_client.get(reverse("employers:note_create", args=[company.pk])).status_code == 405
    )


# --- the company picker's options -----------------------------------------------------------------


def test_company_options_lists_the_matches_with_a_status_line_for_the_field(advisor_client):
    bakery = make_company(name="Bageriet Solsikken ApS", postcode="8000", city="Aarhus C")
    make_company(name="Grøn Have ApS")
    url = reverse("employers:company_options")
    for headers in ({}, HTMX):  # the same fragment either way
        response = advisor_client.get(
            url, {"q": "bager", "field": "note-company", "required": "1"}, **headers
        )
        assert response.status_code == 200
        text = response.text
        assert text.count("<option") == 2
        assert '<option value="">Vælg en virksomhed</option>' in text
        assert f'<option value="{bakery.pk}">Bageriet Solsikken ApS, 8000 Aarhus C</option>' in text
        assert "Grøn Have" not in text
        assert '<p id="id_note-company_status" hx-swap-oob="innerHTML">' in text
        assert "Én virksomhed passer" in text


def test_company_options_says_when_there_are_more_matches_than_shown(advisor_client):
    for n in range(25):
        make_company(name=f"Firma {n:02d}")
    text = advisor_client.get(reverse("employers:company_options"), {"q": "firma"}).text
    assert text.count("<option") == 21  # the empty option and 20 companies
    assert "Mere end 20 virksomheder passer" in text
    assert 'id="id_company_status"' in text  # "company" when the field is missing


def test_company_options_without_a_query_offers_the_suggestions_again(advisor_client):
    suggested = make_company(name="Forbundet ApS")
    make_company(name="Fremmed A/S")
    text = advisor_client.get(
        reverse("employers:company_options"),
        {"q": " ", "field": "consent-company", "suggested": f"{suggested.pk},x,999999"},
    ).text
    assert '<option value="">Ingen virksomhed</option>' in text  # not required
    assert '<optgroup label="Forslag">' in text and "Forbundet ApS" in text
    assert "Fremmed" not in text and text.count("<option") == 2


def test_company_options_nothing_found_and_a_bad_field_name(advisor_client):
    text = advisor_client.get(
        reverse("employers:company_options"), {"q": "zzz", "field": '"><script>'}
    ).text
    assert "Ingen virksomhed passer til “zzz”." in text
    assert 'id="id_company_status"' in text and "<script>" not in text


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.CONSULTANT, Role.MANAGER, Role.ADMINISTRATOR])
def test_company_options_serves_every_staff_role(client, client_for, role):
    make_company(name="Bageriet")
    client = client_for(make_user(role=role))
    assert "Bageriet" in client.get(reverse("employers:company_options"), {"q": "bag"}).text


def test_company_options_needs_login_and_a_role(client, client_for):
    url = reverse("employers:company_options")
    response = client.get(url, {"q": "bag"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    client = client_for(make_user(role=None))
    assert client.get(url, {"q": "bag"}).status_code == 403

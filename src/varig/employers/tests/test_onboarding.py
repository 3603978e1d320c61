"""The onboarding checklist (which offers a company has been told about) and the welcome pack."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.core.tests.pdf import pdf_text
from varig.customers.models import JobCustomer
from varig.customers.tests.factories import make_consent, make_job_customer
from varig.employers import services
from varig.employers.models import Company, Offer, OnboardingItem
from varig.employers.selectors import company_onboarding, welcome_pack_summary
from varig.employers.tests.factories import make_company
from varig.placements.models import FollowUp
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def today() -> datetime.date:
    return timezone.localdate()


# Services -------------------------------------------------------------------------------------


def test_record_an_offer_and_tell_it_again(advisor, other_advisor):
    company = make_company()
    first = services.onboarding_record(
        company=company,
        offer=Offer.OPEN_DOOR,
        told_on=today() - datetime.timedelta(days=3),
        told_by=advisor,
        note="  Ved første møde ",
    )
    assert first.note == "Ved første møde"
    again = services.onboarding_record(
        company=company, offer=Offer.OPEN_DOOR, told_on=today(), told_by=other_advisor
    )
    assert again.pk == first.pk
    assert OnboardingItem.objects.get().told_by == other_advisor
    assert OnboardingItem.objects.get().told_on == today()


@pytest.mark.parametrize(
    ("offer", "told_on", "field", "message"),
    [
        ("nonsense", datetime.date(2026, 1, 1), "offer", services.OFFER_UNKNOWN),
        (Offer.OPEN_DOOR, None, "told_on", services.TOLD_ON_REQUIRED),
        (Offer.OPEN_DOOR, "tomorrow", "told_on", services.TOLD_ON_FUTURE),
    ],
)
def test_record_refuses_bad_input_and_saves_nothing(advisor, offer, told_on, field, message):
    if told_on == "tomorrow":
        told_on = today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.onboarding_record(
            company=make_company(), offer=offer, told_on=told_on, told_by=advisor
        )
    assert exc.value.message_dict[field] == [str(message)]
    assert not OnboardingItem.objects.exists()


def test_record_gaps_fills_only_the_missing_offers(advisor):
    company = make_company()
    kept = services.onboarding_record(
        company=company,
        offer=Offer.ANNIVERSARIES,
        told_on=datetime.date(2025, 5, 1),
        told_by=advisor,
    )
    items = services.onboarding_record_gaps(
        company=company, told_on=today(), told_by=advisor, note="Velkomstpakken"
    )
    assert len(items) == len(Offer.values) - 1
    kept.refresh_from_db()
    assert kept.told_on == datetime.date(2025, 5, 1)
    assert all(row.told for row in company_onboarding(company=company))
    with pytest.raises(ValidationError) as exc:
        services.onboarding_record_gaps(company=company, told_on=today(), told_by=advisor)
    assert exc.value.messages == [str(services.NOTHING_TO_RECORD)]


def test_undo_removes_the_record_and_is_audited(advisor):
    company = make_company()
    services.onboarding_record(
        company=company, offer=Offer.COURSES, told_on=today(), told_by=advisor
    )
    services.onboarding_undo(company=company, offer=Offer.COURSES)
    assert not OnboardingItem.objects.exists()
    assert LogEntry.objects.filter(
        content_type__model="onboardingitem", action=LogEntry.Action.DELETE
    ).exists()


def test_the_checklist_lists_every_offer_in_order_with_the_gaps():
    company = make_company()
    OnboardingItem.objects.create(company=company, offer=Offer.PAPERWORK, told_on=today())
    rows = company_onboarding(company=company)
    assert [row.offer for row in rows] == Offer.values
    assert [row.offer for row in rows if row.told] == [Offer.PAPERWORK]


def test_consultant_must_be_active_staff():
    nobody = make_user(role=None)
    with pytest.raises(ValidationError) as exc:
        services.company_create(name="Bageriet", consultant=nobody)
    assert exc.value.message_dict["consultant"] == [str(services.CONSULTANT_INVALID)]
    consultant = make_user(role=Role.CONSULTANT)
    assert services.company_create(name="Bageriet", consultant=consultant).consultant == consultant


# The company page's checklist ------------------------------------------------------------------


def test_company_page_shows_the_gaps(advisor_client, advisor):
    company = make_company()
    services.onboarding_record(
        company=company, offer=Offer.OPEN_DOOR, told_on=today(), told_by=advisor, note="Telefon"
    )
    response = advisor_client.get(reverse("employers:detail", args=[company.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "7 tilbud er ikke fortalt endnu." in text
    assert "Den åbne dør" in text and "Telefon" in text
    assert text.count("Ikke fortalt endnu") == 7


def test_mark_an_offer_as_told_through_htmx(advisor_client, advisor):
    company = make_company()
    url = reverse("employers:onboarding_record", args=[company.pk, Offer.ANNIVERSARIES])
    response = advisor_client.post(
        url,
        {
            f"{Offer.ANNIVERSARIES}-told_on": today().strftime("%d-%m-%Y"),
            f"{Offer.ANNIVERSARIES}-note": "Mail",
        },
        **HTMX,
    )
    assert response.status_code == 200
    fragment = response.content.decode().strip()
    assert fragment.startswith('<section id="onboarding"') and "<html" not in fragment
    item = OnboardingItem.objects.get()
    assert (item.offer, item.told_by, item.note) == (Offer.ANNIVERSARIES, advisor, "Mail")
    assert "Registreret: virksomheden kender til" in response.content.decode()


def test_mark_as_told_without_htmx_redirects_to_the_checklist(advisor_client):
    company = make_company()
    url = reverse("employers:onboarding_record", args=[company.pk, Offer.COURSES])
    response = advisor_client.post(url, {f"{Offer.COURSES}-told_on": "2026-01-05"})
    assert response.status_code == 302
    assert response["Location"].endswith("#onboarding")
    assert OnboardingItem.objects.get().told_on == datetime.date(2026, 1, 5)


@pytest.mark.parametrize("value", ["", "31-02-2026", "tomorrow"])
def test_a_bad_date_is_shown_beside_the_field_and_saves_nothing(advisor_client, value):
    if value == "tomorrow":
        value = (today() + datetime.timedelta(days=1)).strftime("%d-%m-%Y")
    company = make_company()
    url = reverse("employers:onboarding_record", args=[company.pk, Offer.COURSES])
    full = advisor_client.post(url, {f"{Offer.COURSES}-told_on": value})
    assert full.status_code == 400
    fragment = advisor_client.post(url, {f"{Offer.COURSES}-told_on": value}, **HTMX)
    assert fragment.status_code == 200
    form = dict((row.offer, f) for row, f in fragment.context["onboarding_items"])[Offer.COURSES]
    assert form.errors["told_on"]
    assert f'id="id_{Offer.COURSES}-told_on_error"' in fragment.content.decode()
    assert not OnboardingItem.objects.exists()


def test_unknown_offer_is_404(advisor_client):
    company = make_company()
    url = reverse("employers:onboarding_record", args=[company.pk, "nonsense"])
    assert advisor_client.post(url, {"nonsense-told_on": "01-01-2026"}).status_code == 404


def test_record_all_gaps_and_undo_through_the_page(advisor_client):
    company = make_company()
    url = reverse("employers:onboarding_record_gaps", args=[company.pk])
    response = advisor_client.post(url, {"gaps-told_on": "01-11-2026", "gaps-note": "Møde"}, **HTMX)
    assert response.status_code == 200
    assert OnboardingItem.objects.filter(company=company).count() == len(Offer.values)
    assert "Virksomheden har fået fortalt om alle tilbud." in response.content.decode()
    undo = reverse("employers:onboarding_undo", args=[company.pk, Offer.OPEN_DOOR])
    assert advisor_client.post(undo).status_code == 302
    assert OnboardingItem.objects.filter(company=company).count() == len(Offer.values) - 1


def test_onboarding_writes_need_post_and_login(advisor_client):
    company = make_company()
    url = reverse("employers:onboarding_record", args=[company.pk, Offer.COURSES])
    assert advisor_client.get(url).status_code == 405
    response = Client().post(url, {f"{Offer.COURSES}-told_on": "01-01-2026"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not OnboardingItem.objects.exists()


def test_onboarding_region_has_the_same_query_count_for_1_and_8_told_offers(advisor_client):
    company = make_company()
    url = reverse("employers:detail", args=[company.pk])
    OnboardingItem.objects.create(company=company, offer=Offer.OPEN_DOOR, told_on=today())

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert advisor_client.get(url, HTTP_HX_TARGET="onboarding", **HTMX).status_code == 200
        return len(queries)

    one = count()
    for offer in [o for o in Offer.values if o != Offer.OPEN_DOOR]:
        OnboardingItem.objects.create(
            company=company, offer=offer, told_on=today(), told_by=make_user()
        )
    assert count() == one


# The welcome pack ------------------------------------------------------------------------------


def _employee(company, *, consent=True, **fields) -> JobCustomer:
    advisor = fields.pop("advisor", None) or make_user(role=Role.ADVISOR, name="Vibeke Vejleder")
    person = make_job_customer(advisor=advisor, **fields)
    placement = make_placement(
        job_customer=person, company=company, started_on=today() - datetime.timedelta(days=20)
    )
    FollowUp.objects.create(
        placement=placement,
        job_customer=person,
        kind=FollowUp.Kind.MONTH_3,
        months=3,
        due_on=today() + datetime.timedelta(days=60),
        window_start=today() + datetime.timedelta(days=50),
        window_end=today() + datetime.timedelta(days=70),
    )
    if consent:
        make_consent(job_customer=person, company=company)
    return person


def test_welcome_pack_pdf_has_the_offers_the_plan_and_whom_to_call(advisor_client, settings):
    settings.VARIG_ORGANISATION_NAME = "Jobbanken"
    settings.VARIG_ORGANISATION_PHONE = "33 12 34 56"
    consultant = make_user(role=Role.CONSULTANT, name="Karla Konsulent", email="karla@example.dk")
    company = make_company(name="Bageriet Ørsted", consultant=consultant)
    _employee(company, first_name="Åse", last_name="Holm")
    _employee(company, first_name="Bent", last_name="Uden Samtykke", consent=False)

    response = advisor_client.get(reverse("employers:welcome_pack", args=[company.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="velkomstpakke-bageriet-oersted.pdf"'
    )
    text = pdf_text(response.content)
    assert "Velkommen til samarbejdet med Jobbanken" in text
    assert "Bageriet Ørsted" in text
    for label in Offer.labels:
        assert str(label) in text
    assert "Den åbne dør" in text
    assert "Åse Holm: Skånejob fra" in text
    assert "3-månedersmøde" in text
    assert (today() + datetime.timedelta(days=60)).strftime("%d-%m-%Y") in text
    assert "Karla Konsulent, karla@example.dk" in text
    assert "Vibeke Vejleder" in text
    assert "33 12 34 56" in text
    # Without consent to contact the company, the person is not named.
    assert "Uden Samtykke" not in text


def test_welcome_pack_is_danish_for_an_english_speaking_user(client_for):
    user = make_user(role=Role.ADVISOR, language="en")
    company = make_company()
    response = client_for(user).get(reverse("employers:welcome_pack", args=[company.pk]))
    text = pdf_text(response.content)
    assert "Velkommen til samarbejdet" in text
    assert "Welcome" not in text


def test_welcome_pack_without_employees_explains_the_standard(advisor_client):
    company = make_company()
    text = pdf_text(
        advisor_client.get(reverse("employers:welcome_pack", args=[company.pk])).content
    )
    assert "en samtale inden for de første 14 dage" in text


def test_welcome_pack_audits_each_named_person(advisor_client, advisor):
    company = make_company()
    named = _employee(company)
    _employee(company, consent=False)
    before = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    advisor_client.get(reverse("employers:welcome_pack", args=[company.pk]))
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, pk__gt=before)
    assert [(e.object_pk, e.actor) for e in entries] == [(str(named.pk), advisor)]


def test_welcome_pack_summary_counts_named_and_left_out():
    company = make_company()
    _employee(company)
    _employee(company, consent=False)
    ended = _employee(company)
    ended.placements.update(ended_on=today() - datetime.timedelta(days=1))
    assert welcome_pack_summary(company=company) == {"named": 1, "left_out": 1}


def test_welcome_pack_query_count_does_not_grow_with_employees(advisor_client):
    company = make_company()
    url = reverse("employers:welcome_pack", args=[company.pk])
    advisor = make_user(role=Role.ADVISOR)
    _employee(company, advisor=advisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert advisor_client.get(url).status_code == 200
        # Audit entries are one insert per named person, by design.
        return len([q for q in queries if "auditlog_logentry" not in q["sql"]])

    one = count()
    for _ in range(9):
        _employee(company, advisor=advisor)
    assert count() == one


def test_company_form_offers_consultants_and_advisors(advisor_client):
    consultant = make_user(role=Role.CONSULTANT, name="Karla Konsulent")
    make_user(role=Role.MANAGER, name="Lis Leder")
    response = advisor_client.get(reverse("employers:create"))
    choices = [label for _, label in response.context["form"].fields["consultant"].choices]
    assert "Karla Konsulent" in choices and "Lis Leder" not in choices
    data = {"name": "Smeden", "consultant": consultant.pk, "postcode": "", "employees": ""}
    assert advisor_client.post(reverse("employers:create"), data).status_code == 302
    assert Company.objects.get(name="Smeden").consultant == consultant

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.models import Role
from varig.core.services import STALE_EDIT
from varig.core.tests.factories import make_user
from varig.customers.models import Consent, ContactNote, JobCustomer, Task
from varig.customers.tests.factories import make_job_customer, make_share
from varig.employers.tests.factories import make_company, make_contact
from varig.placements import services
from varig.placements.models import FollowUp, Placement
from varig.placements.selectors import followups_overdue

D = datetime.date
K = FollowUp.Kind
HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(advisor):
    return make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm")


@pytest.fixture
def company():
    return make_company(name="Bageriet Solsikken ApS")


@pytest.fixture
def placement(advisor, person, company):
    return services.placement_create(
        user=advisor,
        job_customer=person,
        company=company,
        kind=Placement.Kind.SKAANEJOB,
        started_on=D(2025, 1, 31),
        hours_per_week=Decimal(12),
    )


@pytest.fixture
def praktik(advisor, person, company):
    return services.placement_create(
        user=advisor,
        job_customer=person,
        company=company,
        kind=Placement.Kind.PRAKTIK,
        started_on=D(2025, 3, 3),
        planned_end_on=D(2025, 5, 31),
    )


def page_urls(placement):
    followup = placement.followups.order_by("due_on").first()
    return [
        reverse("placements:create") + f"?job_customer={placement.job_customer_id}",
        reverse("placements:detail", args=[placement.pk]),
        reverse("placements:edit", args=[placement.pk]),
        reverse("placements:end", args=[placement.pk]),
        reverse("placements:tier", args=[placement.pk]),
        reverse("placements:followup_record", args=[followup.pk]),
    ]


def test_every_page_renders_in_full_and_as_its_htmx_fragment(advisor_client, placement, praktik):
    urls = [*page_urls(placement), reverse("placements:convert", args=[praktik.pk])]
    for url in urls:
        full = advisor_client.get(url)
        assert full.status_code == 200, url
        html = full.content.decode()
        assert "<html" in html and 'id="page"' in html, url
        assert "Mette Holm" in html, url
        fragment = advisor_client.get(url, **HTMX)
        assert fragment.status_code == 200, url
        part = fragment.content.decode()
        assert "<html" not in part and part.lstrip().startswith('<div id="page"'), url


def test_anonymous_users_are_redirected_to_login(client, placement, praktik):
    urls = [
        *page_urls(placement),
        reverse("placements:convert", args=[praktik.pk]),
        reverse("placements:contact_options"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("core:login")), url


def test_a_user_without_a_role_is_refused(client, client_for, placement):
    client = client_for(make_user(role=None))
    assert client.get(reverse("placements:detail", args=[placement.pk])).status_code == 403


def test_unknown_placement_and_follow_up_give_404(advisor_client):
    assert advisor_client.get(reverse("placements:detail", args=[999])).status_code == 404
    assert advisor_client.get(reverse("placements:followup_record", args=[999])).status_code == 404
    url = reverse("placements:create") + "?job_customer=999"
    assert advisor_client.get(url).status_code == 404


def test_reading_a_placement_audits_the_read_of_the_job_customer(advisor_client, placement):
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    advisor_client.get(reverse("placements:detail", args=[placement.pk]))
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert entries.count() == before + 1
    entry = entries.latest("timestamp")
    assert entry.object_pk == str(placement.job_customer_id)


# --- create ------------------------------------------------------------------------------------


def create_data(person, company, /, **overrides):
    data = {
        "job_customer": person.ref,
        "company": company.pk,
        "kind": "fleksjob",
        "started_on": "31-01-2026",
        "planned_end_on": "",
        "hours_per_week": "12,5",
        "hourly_wage": "",
        "tasks": "Opvask og klargøring",
        "contact": "",
        "tier": "marginal",
    }
    data.update(overrides)
    return data


def test_create_form_shows_the_preselected_person_and_the_company_choice(
    advisor_client, person, company
):
    url = reverse("placements:create") + f"?job_customer={person.pk}&company={company.pk}"
    html = advisor_client.get(url).content.decode()
    assert "Mette Holm" in html
    assert f'name="job_customer" value="{person.ref}"' in html
    assert f'<option value="{company.pk}" selected>Bageriet Solsikken ApS</option>' in html
    assert 'hx-get="' + reverse("placements:contact_options") in html
    assert 'hx-get="' + reverse("employers:company_options") in html  # the picker's search


def _company_select(html: str) -> str:
    select = html[html.index('<select name="company"') :]
    return select[: select.index("</select>")]


def test_create_form_offers_few_companies_at_scale(advisor_client, person, company):
    """The company select holds only the chosen and the suggested companies, never all."""
    for _ in range(200):
        make_company()
    consented = make_company(name="Samtykke ApS")
    Consent.objects.create(job_customer=person, company=consented, given_on=D(2026, 1, 1))
    html = advisor_client.get(
        reverse("placements:create") + f"?job_customer={person.pk}"
    ).content.decode()
    select = _company_select(html)
    assert select.count("<option") == 2  # the empty option and the consented company
    assert "Samtykke ApS" in select
    # After a validation error the chosen company is shown again, still with few options.
    response = advisor_client.post(
        reverse("placements:create"), create_data(person, company, hours_per_week="0")
    )
    assert response.status_code == 400
    select = _company_select(response.content.decode())
    assert select.count("<option") <= 3
    assert f'<option value="{company.pk}" selected>Bageriet Solsikken ApS</option>' in select


def test_create_accepts_a_company_that_was_not_among_the_options(advisor_client, person):
    """A company found by the picker's search is accepted though the page never listed it."""
    for _ in range(200):
        make_company()
    found = make_company(name="Fundet Ved Søgning ApS")
    url = reverse("placements:create") + f"?job_customer={person.pk}"
    assert "Fundet Ved Søgning" not in advisor_client.get(url).content.decode()
    response = advisor_client.post(url, create_data(person, found))
    assert response.status_code == 302
    assert Placement.objects.get().company == found


def test_creating_a_placement_plans_its_follow_ups(consultant_client, consultant, person, company):
    make_share(job_customer=person, user=consultant)  # the advisor asked for help finding a job
    contact = make_contact(company=company)
    url = reverse("placements:create") + f"?job_customer={person.pk}"
    response = consultant_client.post(url, create_data(person, company, contact=contact.pk))
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("placements:detail", args=[placement.pk])
    assert placement.hours_per_week == Decimal("12.5")
    assert placement.contact == contact
    assert placement.followups.get(kind=K.MONTH_3).due_on == D(2026, 4, 30)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hours_per_week": "0"}, "hours_per_week", services.HOURS_RANGE),
        ({"hours_per_week": "49"}, "hours_per_week", services.HOURS_RANGE),
        ({"started_on": "31-02-2026"}, "started_on", "Indtast en gyldig dato."),
        (
            {"kind": "praktik", "planned_end_on": "30-01-2026"},
            "planned_end_on",
            services.PLANNED_END_BEFORE_START,
        ),
        (
            {"job_customer": "JK-NOPE"},
            "job_customer",
            "Der findes ingen jobkunde med denne reference.",
        ),
        ({"company": "999999"}, "company", "Vælg en virksomhed fra listen."),
    ],
)
def test_bad_input_shows_an_error_beside_the_field_and_saves_nothing(
    advisor_client, person, company, overrides, field, message
):
    response = advisor_client.post(
        reverse("placements:create"), create_data(person, company, **overrides)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert str(message) in errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Placement.objects.exists()
    assert not FollowUp.objects.exists()


def test_a_contact_of_another_company_is_refused(advisor_client, person, company):
    stranger = make_contact(company=make_company())
    response = advisor_client.post(
        reverse("placements:create"), create_data(person, company, contact=stranger.pk)
    )
    assert response.status_code == 400
    assert "contact" in response.context["form"].errors
    assert not Placement.objects.exists()


def test_contact_options_lists_only_the_companys_active_contacts(advisor_client, company):
    active = make_contact(company=company, name="Aktiv Anna")
    make_contact(company=company, name="Stoppet Sven", active_until=D(2020, 1, 1))
    make_contact(company=make_company(), name="Fremmed Frede")
    response = advisor_client.get(
        reverse("placements:contact_options"), {"company": company.pk}, **HTMX
    )
    html = response.content.decode()
    assert f'value="{active.pk}"' in html and "Aktiv Anna" in html
    assert "Stoppet Sven" not in html and "Fremmed Frede" not in html
    empty = advisor_client.get(reverse("placements:contact_options"), {"company": "x"})
    assert empty.content.decode().count("<option") == 1


# --- detail ------------------------------------------------------------------------------------


def test_detail_shows_the_follow_up_plan_with_states(advisor_client, placement):
    services.followup_record(
        user=placement.job_customer.advisor,
        followup=placement.followups.get(kind=K.FIRST_TALK),
        held_on=D(2025, 2, 10),
        with_job_customer=True,
    )
    response = advisor_client.get(reverse("placements:detail", args=[placement.pk]))
    html = response.content.decode()
    assert "30-04-2025" in html  # the 3-month meeting of a start on 31-01
    assert "Afholdt" in html
    assert "Overskredet" in html  # the 2025 meetings are long past
    followups = response.context["followups"]
    assert [f.state for f in followups] == ["held", "overdue", "overdue", "overdue"]
    for followup in followups:
        assert reverse("placements:followup_record", args=[followup.pk]) in html


def test_detail_of_a_praktik_offers_conversion_and_links_the_course(advisor_client, praktik):
    url = reverse("placements:detail", args=[praktik.pk])
    assert (
        reverse("placements:convert", args=[praktik.pk]) in advisor_client.get(url).content.decode()
    )
    employment = services.praktik_convert(
        user=praktik.job_customer.advisor,
        praktik=praktik,
        kind=Placement.Kind.SKAANEJOB,
        started_on=D(2025, 5, 1),
    )
    html = advisor_client.get(url).content.decode()
    assert reverse("placements:convert", args=[praktik.pk]) not in html
    assert reverse("placements:detail", args=[employment.pk]) in html
    html = advisor_client.get(reverse("placements:detail", args=[employment.pk])).content.decode()
    assert reverse("placements:detail", args=[praktik.pk]) in html


def _detail_queries(client, placement) -> int:
    url = reverse("placements:detail", args=[placement.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_detail_query_count_is_the_same_with_1_and_25_follow_ups(advisor_client, advisor):
    counts = []
    for extra in (0, 24):
        placement = services.placement_create(
            user=advisor,
            job_customer=make_job_customer(advisor=advisor),
            company=make_company(),
            kind=Placement.Kind.FLEKSJOB,
            started_on=D(2025, 1, 6),
            contact=None,
        )
        placement.followups.exclude(kind=K.FIRST_TALK).delete()
        for n in range(extra):
            FollowUp.objects.create(
                placement=placement,
                job_customer=placement.job_customer,
                kind=K.EXTRA,
                due_on=D(2025, 2, 1) + datetime.timedelta(days=n),
                window_start=D(2025, 2, 1),
                window_end=D(2025, 3, 1),
                status=FollowUp.Status.HELD if n % 2 else FollowUp.Status.PLANNED,
                held_on=D(2025, 2, 2) if n % 2 else None,
                recorded_by=advisor if n % 2 else None,
            )
            services.tier_change(
                user=advisor, placement=placement, tier="core", changed_on=D(2025, 2, 1)
            )
        assert placement.followups.count() == extra + 1
        counts.append(_detail_queries(advisor_client, placement))
    assert counts[0] == counts[1]


# --- edit, end, convert, tier ------------------------------------------------------------------


def edit_data(placement, **overrides):
    data = {
        "version": placement.version,
        "kind": placement.kind,
        "started_on": "03-02-2025",
        "planned_end_on": "",
        "hours_per_week": "12",
        "hourly_wage": "",
        "tasks": "",
        "contact": "",
    }
    data.update(overrides)
    return data


def test_editing_the_start_moves_the_planned_follow_ups(advisor_client, placement):
    response = advisor_client.post(
        reverse("placements:edit", args=[placement.pk]), edit_data(placement)
    )
    assert response.status_code == 302
    assert placement.followups.get(kind=K.MONTH_3).due_on == D(2025, 5, 3)


def test_a_stale_edit_shows_the_message_and_saves_nothing(advisor_client, placement):
    data = edit_data(placement)
    services.placement_update(
        user=placement.job_customer.advisor,
        placement=placement,
        expected_version=placement.version,
        tasks="Ændret af en anden",
    )
    response = advisor_client.post(reverse("placements:edit", args=[placement.pk]), data)
    assert response.status_code == 400
    assert str(STALE_EDIT) in response.context["form"].non_field_errors()
    placement.refresh_from_db()
    assert placement.started_on == D(2025, 1, 31)


def test_editing_with_hours_49_shows_the_error_beside_the_field(advisor_client, placement):
    response = advisor_client.post(
        reverse("placements:edit", args=[placement.pk]),
        edit_data(placement, hours_per_week="49"),
    )
    assert response.status_code == 400
    assert str(services.HOURS_RANGE) in response.context["form"].errors["hours_per_week"]
    placement.refresh_from_db()
    assert placement.hours_per_week == 12


def test_ending_with_replacement_wanted_creates_the_task(advisor_client, advisor, placement):
    response = advisor_client.post(
        reverse("placements:end", args=[placement.pk]),
        {
            "ended_on": "30-06-2025",
            "reason_category": "company",
            "reason": "Nedskæringer",
            "lessons_learned": "",
            "replacement_wanted": "on",
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ended_on == D(2025, 6, 30)
    assert Task.objects.get().assigned_to == advisor
    assert placement.followups.filter(status=FollowUp.Status.CANCELLED).count() == 2


def test_ending_before_the_start_shows_the_error(advisor_client, placement):
    response = advisor_client.post(
        reverse("placements:end", args=[placement.pk]),
        {"ended_on": "01-01-2025", "reason_category": "other"},
    )
    assert response.status_code == 400
    assert str(services.END_BEFORE_START) in response.context["form"].errors["ended_on"]
    placement.refresh_from_db()
    assert placement.ended_on is None


def test_converting_through_the_page(advisor_client, praktik):
    response = advisor_client.post(
        reverse("placements:convert", args=[praktik.pk]),
        {
            "kind": "skaanejob",
            "started_on": "01-05-2025",
            "hours_per_week": "10",
            "tier": "marginal",
        },
    )
    employment = Placement.objects.get(previous=praktik)
    assert response.status_code == 302
    assert response["Location"] == reverse("placements:detail", args=[employment.pk])
    praktik.refresh_from_db()
    assert praktik.ended_on == D(2025, 4, 30)
    again = advisor_client.post(
        reverse("placements:convert", args=[praktik.pk]),
        {"kind": "skaanejob", "started_on": "01-06-2025", "tier": "marginal"},
    )
    assert again.status_code == 400
    assert str(services.ALREADY_CONVERTED) in again.context["form"].non_field_errors()
    assert Placement.objects.count() == 2


def test_recording_a_tier_change(advisor_client, placement):
    response = advisor_client.post(
        reverse("placements:tier", args=[placement.pk]),
        {"tier": "peripheral", "changed_on": "01-09-2025", "note": "Flere timer"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.tier == "peripheral"
    assert placement.tier_changes.count() == 2


# --- recording a follow-up ---------------------------------------------------------------------


def record_data(**overrides):
    data = {
        "held_on": "02-05-2025",
        "with_job_customer": "on",
        "with_advisor": "on",
        "hours_kept": "yes",
        "tasks_kept": "partly",
        "other_kept": "",
        "accommodations_note": "",
        "wellbeing": "4",
        "wants_more_hours": "on",
        "development_outcome": "",
        "agreed_actions": "Ny samtale om timer i august",
    }
    data.update(overrides)
    return data


def test_the_record_form_shows_the_accommodations_in_force(advisor_client, placement):
    placement.job_customer.accommodations.create(
        valid_from=D(2024, 6, 1), max_hours_per_week=Decimal(15), tasks_to_avoid="Kassen"
    )
    followup = placement.followups.get(kind=K.MONTH_3)
    html = advisor_client.get(
        reverse("placements:followup_record", args=[followup.pk])
    ).content.decode()
    assert "Kassen" in html
    assert "Deltagere" in html and "Udviklingssamtale" in html


def test_recording_a_follow_up_through_the_page(advisor_client, placement):
    followup = placement.followups.get(kind=K.MONTH_3)
    response = advisor_client.post(
        reverse("placements:followup_record", args=[followup.pk]), record_data()
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert (followup.status, followup.held_on, followup.wellbeing) == ("held", D(2025, 5, 2), 4)
    assert followup.tasks_kept == "partly" and followup.wants_more_hours


def test_a_future_follow_up_date_is_refused_beside_the_field(advisor_client, placement):
    followup = placement.followups.get(kind=K.MONTH_3)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = advisor_client.post(
        reverse("placements:followup_record", args=[followup.pk]),
        record_data(held_on=tomorrow.strftime("%d-%m-%Y")),
    )
    assert response.status_code == 400
    assert str(services.FOLLOWUP_IN_FUTURE) in response.context["form"].errors["held_on"]
    followup.refresh_from_db()
    assert followup.status == "planned"


def test_meeting_the_company_without_consent_needs_an_override(advisor_client, placement):
    followup = placement.followups.get(kind=K.MONTH_3)
    url = reverse("placements:followup_record", args=[followup.pk])
    refused = advisor_client.post(url, record_data(with_company_contact="on"))
    assert refused.status_code == 400
    errors = refused.context["form"].errors["consent_override_reason"]
    assert str(services.CONSENT_REQUIRED) in errors
    assert not ContactNote.objects.exists()
    accepted = advisor_client.post(
        url,
        record_data(with_company_contact="on", consent_override_reason="Ringede selv til chefen"),
    )
    assert accepted.status_code == 302
    assert ContactNote.objects.get().consent_override_reason == "Ringede selv til chefen"


def test_meeting_the_company_with_consent_needs_no_override(advisor_client, placement):
    Consent.objects.create(
        job_customer=placement.job_customer, company=placement.company, given_on=D(2025, 1, 1)
    )
    followup = placement.followups.get(kind=K.MONTH_3)
    response = advisor_client.post(
        reverse("placements:followup_record", args=[followup.pk]),
        record_data(with_company_contact="on"),
    )
    assert response.status_code == 302
    assert not ContactNote.objects.exists()


def test_an_extra_follow_up_without_placement_can_be_recorded(advisor_client, advisor):
    person = make_job_customer(advisor=advisor, extra_followup_weeks=4)
    extra = services.extra_followup_ensure(job_customer=person)
    url = reverse("placements:followup_record", args=[extra.pk])
    assert advisor_client.get(url).status_code == 200
    today = timezone.localdate().strftime("%d-%m-%Y")
    response = advisor_client.post(url, record_data(held_on=today))
    assert response.status_code == 302
    assert JobCustomer.objects.get(pk=person.pk).followups.filter(status="planned").count() == 1


def test_managers_and_consultants_may_open_every_page(client_for, placement):
    for role in (Role.MANAGER, Role.CONSULTANT, Role.ADMINISTRATOR):
        user = make_user(role=role)
        if role == Role.CONSULTANT:
            make_share(job_customer=placement.job_customer, user=user)
        client = client_for(user)
        for url in page_urls(placement):
            assert client.get(url).status_code == 200, (role, url)


def test_all_field_errors_show_at_once(advisor_client, person, company):
    response = advisor_client.post(
        reverse("placements:create"),
        create_data(
            person,
            company,
            started_on="31-02-2026",
            planned_end_on="01-03-2026",
            hours_per_week="49",
            hourly_wage="-5",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"started_on", "planned_end_on", "hours_per_week", "hourly_wage"}
    assert str(services.PLANNED_END_ONLY_PRAKTIK) in errors["planned_end_on"]
    assert not Placement.objects.exists()


# --- dropping a follow-up ----------------------------------------------------------------------


def test_the_follow_up_page_offers_to_drop_a_planned_follow_up(advisor_client, placement):
    followup = placement.followups.get(kind=K.MONTH_3)
    html = advisor_client.get(reverse("placements:followup_record", args=[followup.pk]))
    html = html.content.decode()
    assert "Aflys opfølgningen" in html
    assert reverse("placements:followup_cancel", args=[followup.pk]) in html


def test_dropping_a_follow_up_through_the_page(advisor_client, advisor, placement):
    followup = placement.followups.get(kind=K.MONTH_3)
    response = advisor_client.post(
        reverse("placements:followup_cancel", args=[followup.pk]),
        {"cancel_reason": "Mødet blev holdt som en del af praktikken."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("placements:detail", args=[placement.pk])
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.CANCELLED
    entry = LogEntry.objects.get_for_object(followup).order_by("-timestamp", "-pk").first()
    assert entry.actor == advisor
    # The placement page shows the dropped follow-up with its reason, and offers no form.
    detail = advisor_client.get(response["Location"])
    html = detail.content.decode()
    assert "Mødet blev holdt som en del af praktikken." in html
    assert [f.state for f in detail.context["followups"] if f.pk == followup.pk] == ["cancelled"]
    page = advisor_client.get(reverse("placements:followup_record", args=[followup.pk]))
    assert reverse("placements:followup_cancel", args=[followup.pk]) not in page.content.decode()
    assert followup not in followups_overdue(on=timezone.localdate())


def test_dropping_without_a_reason_shows_the_error_beside_the_field(advisor_client, placement):
    followup = placement.followups.get(kind=K.MONTH_3)
    response = advisor_client.post(
        reverse("placements:followup_cancel", args=[followup.pk]), {"cancel_reason": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html  # the whole follow-up page again
    assert response.context["cancel_form"].errors["cancel_reason"] == [
        str(services.CANCEL_REASON_REQUIRED)
    ]
    assert 'id="id_cancel_reason_error"' in html
    assert "<details open>" in html
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.PLANNED


def test_a_held_follow_up_cannot_be_dropped_through_the_page(advisor_client, placement):
    followup = placement.followups.get(kind=K.FIRST_TALK)
    services.followup_record(
        user=placement.job_customer.advisor,
        followup=followup,
        held_on=D(2025, 2, 10),
        with_job_customer=True,
    )
    response = advisor_client.post(
        reverse("placements:followup_cancel", args=[followup.pk]), {"cancel_reason": "Fejl"}
    )
    assert response.status_code == 400
    assert str(services.CANCEL_NOT_PLANNED) in response.content.decode()
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.HELD


def test_dropping_a_follow_up_needs_post_login_and_a_role(client, client_for, placement):
    followup = placement.followups.get(kind=K.MONTH_3)
    url = reverse("placements:followup_cancel", args=[followup.pk])
    response = client.post(url, {"cancel_reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    client = client_for(make_user(role=None))
    assert client.post(url, {"cancel_reason": "x"}).status_code == 403
    client = client_for(make_user(role=Role.ADVISOR))
    assert client.get(url).status_code == 405
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.PLANNED
    assert client.post(reverse("placements:followup_cancel", args=[999]), {}).status_code == 404


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.CONSULTANT, Role.MANAGER, Role.ADMINISTRATOR])
def test_staff_who_may_change_follow_ups_may_drop_one(client_for, placement, role):
    followup = placement.followups.get(kind=K.MONTH_6)
    user = make_user(role=role)
    if not user.sees_all:
        make_share(job_customer=placement.job_customer, user=user)  # a colleague covering
    client = client_for(user)
    response = client.post(
        reverse("placements:followup_cancel", args=[followup.pk]), {"cancel_reason": "Flyttet"}
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.CANCELLED


def test_a_held_follow_up_opens_for_correction(advisor_client, placement):
    followup = placement.followups.get(kind=K.FIRST_TALK)
    services.followup_record(
        user=placement.job_customer.advisor,
        followup=followup,
        held_on=D(2025, 2, 10),
        with_job_customer=True,
        agreed_actions="Ring om en måned",
    )
    response = advisor_client.get(reverse("placements:followup_record", args=[followup.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["agreed_actions"] == "Ring om en måned"
    assert "Aflys opfølgningen" not in response.content.decode()


def test_the_form_and_the_page_call_the_tasks_by_one_danish_term(advisor_client, placement):
    placement.tasks = "Pakke brød"
    placement.save()
    form = advisor_client.get(reverse("placements:edit", args=[placement.pk])).content.decode()
    page = advisor_client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert '<label for="id_tasks">Arbejdsopgaver' in form
    assert "<dt>Arbejdsopgaver</dt>" in page

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.callrounds import services
from varig.callrounds.models import Call, CallAttempt, Campaign
from varig.callrounds.tests.factories import make_campaign
from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.models import Task
from varig.customers.tests.factories import make_job_customer

DAY = datetime.timedelta(days=1)
LIST = reverse("callrounds:list")
CREATE = reverse("callrounds:create")
MINE = reverse("callrounds:mine")
TODAY = reverse("core:today")
HTMX = {"HTTP_HX_REQUEST": "true"}


def today():
    return timezone.localdate()


def _count(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _people(advisor, n, name="Person"):
    return [
        make_job_customer(
            advisor=advisor, first_name=name, last_name=f"Nr{i:03d}", phone="12 34 56 78"
        )
        for i in range(n)
    ]


def _campaign(manager, callers, n, advisor=None, **fields):
    _people(advisor or callers[0], n)
    return make_campaign(user=manager, callers=callers, **fields)


# --- anonymous and roles ---------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client):
    for url in (LIST, CREATE, MINE):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_advisors_and_consultants_cannot_see_the_campaign_pages(
    advisor_client, consultant_client, manager, advisor
):
    campaign = _campaign(manager, [advisor], 1)
    for client in (advisor_client, consultant_client):
        assert client.get(LIST).status_code == 403
        assert client.get(reverse("callrounds:detail", args=[campaign.pk])).status_code == 403
        export = reverse("callrounds:export", args=[campaign.pk, "csv"])
        assert client.get(export).status_code == 403


# --- starting a call-round -------------------------------------------------------------------


@pytest.mark.django_db
def test_starting_a_call_round_through_the_form(manager_client, manager, advisor, other_advisor):
    _people(advisor, 3)
    _people(other_advisor, 1)
    response = manager_client.get(CREATE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Start en ringerunde" in body and "Hvem ringer" in body
    response = manager_client.post(
        CREATE,
        {
            "name": "Corona 2020",
            "purpose": "Hør, hvordan det går, og om arbejdspladsen holder åben.",
            "audience": "associated",
            "advisor": "",
            "callers": [advisor.pk, other_advisor.pk],
            "ends_on": (today() + 7 * DAY).strftime("%d-%m-%Y"),
            "max_attempts": "3",
            "retry_after_days": "1",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("callrounds:detail", args=[campaign.pk])
    assert campaign.calls.count() == 4 and campaign.created_by == manager
    assert campaign.calls.filter(caller=advisor).count() == 2
    page = manager_client.get(response["Location"]).content.decode()
    assert "Ringerunden er lavet: 4 opkald er fordelt mellem opringerne." in page


@pytest.mark.django_db
def test_bad_input_shows_errors_beside_the_fields_and_saves_nothing(manager_client, advisor):
    _people(advisor, 1)
    response = manager_client.post(
        CREATE,
        {
            "name": "",
            "audience": "associated",
            "callers": [],
            "ends_on": "31-02-2026",
            "max_attempts": "0",
            "retry_after_days": "1",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"name", "callers", "ends_on", "max_attempts"}
    assert form.errors["callers"] == [str(services.CALLERS_REQUIRED)]
    assert form.errors["max_attempts"] == [str(services.ATTEMPTS_RANGE)]
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_a_filter_that_matches_no_one_says_so(manager_client, advisor):
    response = manager_client.post(
        CREATE,
        {
            "name": "Tom",
            "audience": "in_work",
            "callers": [advisor.pk],
            "ends_on": (today() + 7 * DAY).strftime("%d-%m-%Y"),
            "max_attempts": "3",
            "retry_after_days": "1",
        },
    )
    assert response.status_code == 400
    assert str(services.NO_PEOPLE) in response.context["form"].non_field_errors()


# --- the campaign page ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_campaign_page_shows_progress_callers_and_calls(manager_client, manager, advisor):
    campaign = _campaign(manager, [advisor, manager], 4)
    calls = list(campaign.calls.filter(caller=advisor))
    services.call_record(user=advisor, call=calls[0], outcome="fine")
    services.call_record(user=advisor, call=calls[1], outcome="needs_help", note="Vil tale")
    url = reverse("callrounds:detail", args=[campaign.pk])
    response = manager_client.get(url)
    body = response.content.decode()
    assert '<progress max="4" value="2"' in body
    assert "2 af 4 klaret (50 %)" in body
    assert "Fremdrift" in body and "Opringere" in body
    assert "Talt med, har brug for hjælp" in body
    assert response.context["data"].progress.needs_help == 1
    assert [row.progress.done for row in response.context["data"].callers] == [0, 2]


@pytest.mark.django_db
def test_the_campaign_page_filters_and_answers_htmx_with_the_calls_only(
    manager_client, manager, advisor
):
    campaign = _campaign(manager, [advisor], 3)
    services.call_record(user=advisor, call=campaign.calls.first(), outcome="fine")
    url = reverse("callrounds:detail", args=[campaign.pk])
    response = manager_client.get(url, {"status": "to_do"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="call-results">')
    assert "<html" not in body
    assert len(response.context["page_obj"].object_list) == 2
    response = manager_client.get(url, {"status": "fine", "caller": advisor.pk})
    assert len(response.context["page_obj"].object_list) == 1


@pytest.mark.django_db
def test_the_campaign_page_runs_the_same_queries_for_1_and_25_calls(manager_client, manager):
    callers = [make_user(role=Role.ADVISOR) for _ in range(3)]
    small = _campaign(manager, callers[:1], 1, name="En")
    url = reverse("callrounds:detail", args=[small.pk])
    one = _count(manager_client, url)
    Campaign.objects.all().delete()
    big = _campaign(manager, callers, 25, name="Mange", advisor=callers[0])
    for call in big.calls.all()[:5]:
        services.call_record(user=manager, call=call, outcome="needs_help", note="Ring")
    many = _count(manager_client, reverse("callrounds:detail", args=[big.pk]))
    assert one == many
    assert many <= 16
    assert _count(manager_client, url.replace(str(small.pk), str(big.pk)), **HTMX) <= many


@pytest.mark.django_db
def test_the_list_runs_the_same_queries_for_1_and_25_campaigns(manager_client, manager, advisor):
    _people(advisor, 2)
    make_campaign(user=manager, callers=[advisor])
    one = _count(manager_client, LIST)
    for i in range(24):
        make_campaign(user=manager, callers=[advisor], name=f"Runde {i}")
    many = _count(manager_client, LIST)
    assert one == many and many <= 10
    response = manager_client.get(LIST, **HTMX)
    assert response.content.decode().lstrip().startswith('<div id="campaign-results">')


@pytest.mark.django_db
def test_closing_from_the_page(manager_client, manager, advisor):
    campaign = _campaign(manager, [advisor], 1)
    response = manager_client.post(reverse("callrounds:close", args=[campaign.pk]))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.is_closed
    page = manager_client.get(reverse("callrounds:detail", args=[campaign.pk])).content.decode()
    assert "Ringerunden er lukket." in page and "Luk ringerunden" not in page


@pytest.mark.django_db
def test_handing_over_from_the_page(manager_client, manager, advisor, other_advisor):
    campaign = _campaign(manager, [advisor], 2)
    url = reverse("callrounds:hand_over", args=[campaign.pk])
    response = manager_client.post(url, {"from_caller": advisor.pk, "to_caller": other_advisor.pk})
    assert response.status_code == 302
    assert campaign.calls.filter(caller=other_advisor).count() == 2
    follow = manager_client.get(response["Location"]).content.decode()
    assert "2 opkald er overdraget." in follow


# --- my calls -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_calls_shows_only_my_calls_about_persons_i_see(
    advisor_client, manager, advisor, other_advisor
):
    mine = make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm")
    make_job_customer(advisor=other_advisor, first_name="Hans", last_name="Berg")
    campaign = make_campaign(
        user=manager, callers=[advisor, other_advisor], purpose="Spørg til arbejdet."
    )
    assert campaign.calls.get(job_customer=mine).caller == advisor
    body = advisor_client.get(MINE).content.decode()
    assert "Mette Holm" in body and "Hans Berg" not in body
    assert "Spørg til arbejdet." in body
    # A call about a person I can no longer see (the share ended) is not on my list.
    Call.objects.filter(job_customer=mine).update(caller=other_advisor)
    hans_call = campaign.calls.exclude(job_customer=mine).get()
    Call.objects.filter(pk=hans_call.pk).update(caller=advisor, share=None)
    body = advisor_client.get(MINE).content.decode()
    assert "Hans Berg" not in body and "Mette Holm" not in body


@pytest.mark.django_db
def test_recording_an_outcome_with_htmx_returns_the_row(advisor_client, manager, advisor):
    campaign = _campaign(manager, [advisor], 1)
    call = campaign.calls.get()
    url = reverse("callrounds:record", args=[call.pk])
    response = advisor_client.post(url, {"outcome": "not_reached"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li class="card call-row" id="call-{call.pk}">')
    assert "Ikke fået fat, prøv igen" in body and "1 forsøg indtil nu" in body
    assert "prøv igen den" in body
    response = advisor_client.post(url, {"outcome": "needs_help", "note": "Mister timer"}, **HTMX)
    body = response.content.decode()
    assert "Der er lavet en opgave til vejlederen." in body
    assert Task.objects.get().assigned_to == advisor


@pytest.mark.django_db
def test_needs_help_without_a_note_shows_the_error_in_the_row(advisor_client, manager, advisor):
    call = _campaign(manager, [advisor], 1).calls.get()
    url = reverse("callrounds:record", args=[call.pk])
    response = advisor_client.post(url, {"outcome": "needs_help", "note": ""}, **HTMX)
    assert response.status_code == 200
    assert str(services.NOTE_REQUIRED_FOR_HELP) in response.content.decode()
    response = advisor_client.post(url, {"outcome": "needs_help", "note": ""})
    assert response.status_code == 400
    assert str(services.NOTE_REQUIRED_FOR_HELP) in response.content.decode()
    assert not CallAttempt.objects.exists()


@pytest.mark.django_db
def test_recording_without_htmx_goes_back_to_my_calls(advisor_client, manager, advisor):
    call = _campaign(manager, [advisor], 1).calls.get()
    response = advisor_client.post(
        reverse("callrounds:record", args=[call.pk]), {"outcome": "fine"}
    )
    assert response.status_code == 302 and response["Location"] == MINE
    assert "Talt med, alt er vel" in advisor_client.get(MINE).content.decode()


@pytest.mark.django_db
def test_someone_elses_call_cannot_be_recorded(client_for, manager, advisor, other_advisor):
    call = _campaign(manager, [advisor], 1).calls.get()
    url = reverse("callrounds:record", args=[call.pk])
    assert client_for(other_advisor).post(url, {"outcome": "fine"}).status_code == 403
    assert client_for(manager).post(url, {"outcome": "fine"}).status_code == 302
    assert client_for(advisor).post(reverse("callrounds:record", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_my_calls_runs_the_same_queries_for_1_and_25_calls(client_for, manager, advisor):
    client = client_for(advisor)
    _campaign(manager, [advisor], 1, name="En")
    one = _count(client, MINE)
    today_one = _count(client, TODAY)
    _campaign(manager, [advisor], 24, name="Flere")
    many = _count(client, MINE)
    assert one == many and many <= 12
    assert _count(client, TODAY) == today_one
    response = client.get(MINE, **HTMX)
    assert response.content.decode().lstrip().startswith('<div id="my-calls">')


@pytest.mark.django_db
def test_a_consultant_calling_sees_the_person_through_the_share(
    consultant_client, manager, advisor, consultant
):
    person = make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm")
    make_campaign(user=manager, callers=[consultant])
    assert "Mette Holm" in consultant_client.get(MINE).content.decode()
    assert consultant_client.get(reverse("customers:detail", args=[person.pk])).status_code == 200


# --- "I dag" ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_today_shows_my_calls_due_and_the_later_ones(advisor_client, manager, advisor):
    campaign = _campaign(manager, [advisor], 3, retry_after_days=2)
    body = advisor_client.get(TODAY).content.decode()
    assert "Mine opkald" in body and "Ring de 3 opkald, der venter" in body
    services.call_record(user=advisor, call=campaign.calls.first(), outcome="not_reached")
    body = advisor_client.get(TODAY).content.decode()
    assert "Ring de 2 opkald, der venter" in body
    assert "1 mere skal prøves igen en senere dag." in body


@pytest.mark.django_db
def test_today_has_no_call_section_for_staff_without_calls(advisor_client):
    assert "Mine opkald" not in advisor_client.get(TODAY).content.decode()


@pytest.mark.django_db
def test_managers_see_the_open_call_rounds_on_today(manager_client, manager, advisor):
    body = manager_client.get(TODAY).content.decode()
    assert "Start en ringerunde" in body
    campaign = _campaign(manager, [advisor], 2, name="Corona 2020")
    body = manager_client.get(TODAY).content.decode()
    assert "Corona 2020" in body and reverse("callrounds:detail", args=[campaign.pk]) in body

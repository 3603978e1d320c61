import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.alerts.models import Flag, Period
from varig.alerts.services import flags_refresh
from varig.alerts.tests.factories import make_flag, make_period
from varig.customers.models import Task
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_contact
from varig.placements.models import FollowUp
from varig.placements.tests.factories import make_placement

LIST = reverse("alerts:list")
TODAY = reverse("core:today")
DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def _warnings(advisor, n: int, name="Person"):
    """`n` people in the advisor's caseload, each with an open warning of every kind that
    names related rows (follow-up, company, contact, period)."""
    for i in range(n):
        person = make_job_customer(first_name=name, last_name=f"Nr{i}", advisor=advisor)
        contact = make_contact(active_until=today() - DAY)
        placement = make_placement(job_customer=person, company=contact.company, contact=contact)
        due = today() - 30 * DAY
        FollowUp.objects.create(
            placement=placement,
            job_customer=person,
            kind=FollowUp.Kind.MONTH_3,
            months=3,
            due_on=due,
            window_start=due - 14 * DAY,
            window_end=due + 14 * DAY,
        )
        make_period(job_customer=person, started_on=today() - 3 * DAY)
    flags_refresh(on=today())


def _count(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client):
    for url in (LIST, reverse("alerts:resolve", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_the_list_shows_the_advisors_own_open_warnings(advisor_client, advisor, other_advisor):
    _warnings(advisor, 1, name="Mine")
    _warnings(other_advisor, 1, name="Theirs")
    response = advisor_client.get(LIST)
    assert response.status_code == 200
    assert "Mine" in response.text and "Theirs" not in response.text
    assert "Opfølgning forsinket" in response.text
    assert "Åbent tilbagefald" in response.text
    # "All" is everyone the advisor may see: another advisor's person only once shared.
    response = advisor_client.get(LIST, {"advisor": "all", "kind": "setback"})
    assert "Theirs" not in response.text
    from varig.customers.models import JobCustomer
    from varig.customers.tests.factories import make_share

    make_share(job_customer=JobCustomer.objects.get(first_name="Theirs"), user=advisor)
    response = advisor_client.get(LIST, {"advisor": "all", "kind": "setback"})
    assert "Theirs" in response.text
    assert "Opfølgning forsinket" not in response.text.split('id="flag-results"')[1]


@pytest.mark.django_db
def test_a_manager_picks_one_advisors_warnings(manager_client, advisor, other_advisor):
    _warnings(advisor, 1, name="Veras")
    _warnings(other_advisor, 1, name="Oles")
    text = manager_client.get(LIST, {"advisor": other_advisor.pk}).text
    assert "Oles" in text and "Veras" not in text
    text = manager_client.get(LIST, {"advisor": "all"}).text
    assert "Oles" in text and "Veras" in text


@pytest.mark.django_db
def test_the_list_answers_htmx_with_the_results_only(manager_client, advisor):
    _warnings(advisor, 1)
    response = manager_client.get(LIST, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="flag-results">')
    assert "<html" not in response.text


@pytest.mark.django_db
def test_the_list_runs_the_same_queries_for_1_and_25_warnings(manager_client, advisor):
    _warnings(advisor, 1)
    one = _count(manager_client, LIST)
    _warnings(advisor, 24, name="More")
    assert Flag.objects.open().count() > 25
    assert _count(manager_client, LIST) == one


@pytest.mark.django_db
def test_resolved_and_lapsed_lists(manager_client, manager):
    resolved = make_flag(resolved_at=timezone.now(), resolved_by=manager, resolution="Ringet")
    make_flag(lapsed_on=today())
    response = manager_client.get(LIST, {"status": "resolved"})
    assert "Ringet" in response.text and resolved.job_customer.full_name in response.text
    response = manager_client.get(LIST, {"status": "lapsed"})
    assert "Gælder ikke længere fra" in response.text


@pytest.mark.django_db
def test_resolving_from_the_page_names_the_person_and_goes_back(advisor_client, advisor):
    flag = make_flag()
    url = reverse("alerts:resolve", args=[flag.pk])
    assert advisor_client.get(url).status_code == 200
    response = advisor_client.post(url, {"resolution": "", "next": LIST})
    assert response.status_code == 400
    assert "Skriv hvad der blev gjort." in response.text
    flag.refresh_from_db()
    assert flag.is_open
    response = advisor_client.post(url, {"resolution": "Ringede til Jens", "next": LIST})
    assert response.status_code == 302 and response["Location"] == LIST
    flag.refresh_from_db()
    assert flag.resolved_by == advisor and not flag.is_open


@pytest.mark.django_db
def test_resolving_twice_says_so(advisor_client, advisor):
    flag = make_flag(resolved_at=timezone.now(), resolved_by=advisor, resolution="x")
    response = advisor_client.post(reverse("alerts:resolve", args=[flag.pk]), {"resolution": "y"})
    assert response.status_code == 400
    assert "allerede løst" in response.text


@pytest.mark.django_db
def test_consultants_cannot_resolve(consultant_client):
    flag = make_flag()
    response = consultant_client.post(
        reverse("alerts:resolve", args=[flag.pk]), {"resolution": "x"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_resolving_on_the_persons_page_returns_the_section(advisor_client, advisor):
    flag = make_flag()
    url = reverse("alerts:resolve", args=[flag.pk])
    response = advisor_client.post(
        url, {"resolution": "", "from": "person"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card" id="early-warnings"')
    assert "Skriv hvad der blev gjort." in response.text
    response = advisor_client.post(
        url, {"resolution": "Mødtes", "from": "person"}, HTTP_HX_REQUEST="true"
    )
    assert "Ingen åbne advarsler." in response.text
    assert "Mødtes" in response.text  # under "recently closed"


# --- the person's page --------------------------------------------------------------------


def _card_url(person) -> str:
    return reverse("alerts:person_section", args=[person.pk])


@pytest.mark.django_db
def test_the_persons_page_has_a_card_that_loads_itself_without_a_query(advisor_client, advisor):
    _warnings(advisor, 1)
    person = Flag.objects.first().job_customer
    with CaptureQueriesContext(connection) as ctx:
        response = advisor_client.get(reverse("customers:detail", args=[person.pk]))
    assert response.status_code == 200
    assert not [q["sql"] for q in ctx.captured_queries if "alerts_" in q["sql"]]
    text = response.text
    assert 'id="early-warnings"' in text
    assert f'hx-get="{_card_url(person)}" hx-trigger="load"' in text
    assert f'href="{_card_url(person)}"' in text  # a real link for a browser without script
    assert "Et tilbagefald siden" not in text


@pytest.mark.django_db
def test_the_card_shows_the_warnings_and_periods(advisor_client, advisor):
    _warnings(advisor, 1)
    person = Flag.objects.first().job_customer
    response = advisor_client.get(_card_url(person), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.text
    assert text.lstrip().startswith('<section class="card" id="early-warnings"')
    assert "<html" not in text
    assert "Et tilbagefald siden" in text
    assert "En ekstra opfølgning er planlagt" in text
    assert "Op- og nedture" in text
    assert reverse("alerts:period_add", args=[person.pk]) in text
    page = advisor_client.get(_card_url(person))  # without script: a page of its own
    assert "<html" in page.text and "Et tilbagefald siden" in page.text
    assert reverse("customers:detail", args=[person.pk]) in page.text


@pytest.mark.django_db
def test_the_card_checks_access_and_audits_the_read(client_for, advisor, other_advisor):
    from auditlog.models import LogEntry

    person = make_job_customer(advisor=advisor)
    make_flag(job_customer=person)
    refused = client_for(other_advisor).get(_card_url(person), HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    reads = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.ACCESS)
    assert not reads.exists()
    assert client_for(advisor).get(_card_url(person), HTTP_HX_REQUEST="true").status_code == 200
    assert reads.get().actor == advisor
    assert client_for(advisor).get(reverse("alerts:person_section", args=[0])).status_code == 404


# The card's own queries on top of every request's (session, user, device): the user's roles,
# the person and the audit entry, the warnings, the periods, the celebrations, the placements.
CARD_MAX_QUERIES = 7


@pytest.mark.django_db
def test_the_card_runs_the_same_queries_with_1_and_25_warnings(advisor_client, advisor):
    from varig.core.tests.queries import request_overhead

    person = make_job_customer(advisor=advisor)
    make_flag(job_customer=person)
    make_period(job_customer=person, started_on=today() - 3 * DAY)
    url = _card_url(person)
    one = _count(advisor_client, url, HTTP_HX_REQUEST="true")
    for _ in range(24):
        make_flag(job_customer=person, kind=Flag.Kind.HOURS_UP, placement=make_placement())
        make_flag(job_customer=person, lapsed_on=today())
    for i in range(5):
        make_period(
            job_customer=person,
            started_on=today() - (100 - i * 10) * DAY,
            ended_on=today() - (95 - i * 10) * DAY,
        )
    assert _count(advisor_client, url, HTTP_HX_REQUEST="true") == one
    assert one <= request_overhead(advisor_client) + CARD_MAX_QUERIES, one


@pytest.mark.django_db
def test_recording_a_setback_with_htmx_flags_it_and_plans_contact(advisor_client, advisor):
    person = make_job_customer(advisor=advisor)
    url = reverse("alerts:period_add", args=[person.pk])
    response = advisor_client.post(
        url,
        {
            "kind": "setback",
            "started_on": today().strftime("%d-%m-%Y"),
            "sick_leave_days": "0",
            "note": "Svær uge",
            "plan_extra_contact": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Et tilbagefald siden" in response.text
    assert Period.objects.get().kind == "setback"
    assert Flag.objects.get().kind == "setback"
    assert Task.objects.get().job_customer == person


@pytest.mark.django_db
def test_a_bad_period_shows_the_error_beside_the_field_and_saves_nothing(advisor_client):
    person = make_job_customer()
    url = reverse("alerts:period_add", args=[person.pk])
    data = {"kind": "stable", "started_on": "31-02-2026", "sick_leave_days": "0"}
    response = advisor_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Skriv en gyldig dato som dd-mm-åååå." in response.text
    response = advisor_client.post(
        url, {"kind": "stable", "started_on": "01-01-2099", "sick_leave_days": "0"}
    )
    assert response.status_code == 400
    assert "En periode kan ikke begynde i fremtiden." in response.text
    assert "<html" in response.text  # without htmx the section comes in a page
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_ending_a_period(advisor_client, advisor):
    period = make_period(started_on=today() - 10 * DAY)
    url = reverse("alerts:period_end", args=[period.pk])
    response = advisor_client.post(
        url, {"ended_on": (today() - DAY).strftime("%d-%m-%Y"), "sick_leave_days": "4"}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.ended_on == today() - DAY and period.sick_leave_days == 4
    assert advisor_client.post(url, {"ended_on": "01-01-2026"}).status_code == 404


# --- I dag ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_today_shows_open_warnings_for_the_caseload(advisor_client, advisor, other_advisor):
    _warnings(advisor, 1, name="Mine")
    _warnings(other_advisor, 1, name="Theirs")
    response = advisor_client.get(TODAY)
    text = response.text
    assert 'id="today-warnings"' in text
    assert "Mine" in text and "Theirs" not in text
    section = response.context["alerts_today"]
    assert section.total == Flag.objects.open().filter(job_customer__advisor=advisor).count()


@pytest.mark.django_db
def test_today_runs_the_same_queries_with_1_and_25_warnings(advisor_client, advisor):
    _warnings(advisor, 1)
    one = _count(advisor_client, TODAY)
    _warnings(advisor, 24, name="More")
    assert _count(advisor_client, TODAY) == one
    assert _count(advisor_client, TODAY, HTTP_HX_REQUEST="true") <= one

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.customers.models import ContactNote
from varig.customers.tests.factories import make_consent, make_job_customer
from varig.employers.tests.factories import make_company
from varig.placements import services
from varig.placements.anniversaries import (
    anniversaries_between,
    anniversaries_upcoming,
    anniversary_date,
    employment_spans,
)
from varig.placements.models import Celebration, Placement
from varig.placements.tests.factories import make_placement

D = datetime.date
DAY = datetime.timedelta(days=1)
LIST = reverse("anniversaries:list")


def today():
    return timezone.localdate()


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2024, 2, 29), 2, D(2026, 2, 28)),
        (D(2020, 2, 29), 5, D(2025, 2, 28)),
        (D(2016, 2, 29), 10, D(2026, 2, 28)),
        (D(2024, 3, 1), 2, D(2026, 3, 1)),
        (D(2024, 2, 28), 2, D(2026, 2, 28)),
    ],
)
def test_anniversary_dates_and_29_february(start, years, expected):
    assert anniversary_date(start, years) == expected


class P:
    _n = 0

    def __init__(self, kind, start, end=None, company=1):
        P._n += 1
        self.pk, self.kind, self.job_customer_id, self.company_id = P._n, kind, 1, company
        self.started_on, self.ended_on = start, end


def test_a_praktik_followed_directly_by_a_job_counts_from_the_jobs_start():
    spans = employment_spans(
        [P("praktik", D(2020, 1, 1), D(2020, 3, 31)), P("fleksjob", D(2020, 4, 1))]
    )
    assert [(s.started_on, s.ended_on) for s in spans] == [(D(2020, 4, 1), None)]


def test_consecutive_jobs_at_the_same_company_count_as_one_and_a_gap_starts_again():
    joined = employment_spans(
        [P("skaanejob", D(2018, 1, 1), D(2019, 12, 31)), P("fleksjob", D(2020, 1, 1))]
    )
    assert [s.started_on for s in joined] == [D(2018, 1, 1)]
    gap = employment_spans(
        [P("skaanejob", D(2018, 1, 1), D(2019, 12, 30)), P("fleksjob", D(2020, 1, 1))]
    )
    assert sorted(s.started_on for s in gap) == [D(2018, 1, 1), D(2020, 1, 1)]


def test_jobs_at_another_company_are_another_employment():
    spans = employment_spans(
        [P("skaanejob", D(2018, 1, 1), D(2019, 12, 31)), P("skaanejob", D(2020, 1, 1), company=2)]
    )
    assert len(spans) == 2


# --- in the database --------------------------------------------------------------------------


def _job(person=None, company=None, **fields):
    fields.setdefault("kind", Placement.Kind.SKAANEJOB)
    return make_placement(
        job_customer=person or make_job_customer(associated_from=D(2010, 1, 1)),
        company=company or make_company(),
        **fields,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("days_ahead", "listed"), [(0, True), (90, True), (91, False)])
def test_the_list_covers_today_and_the_next_90_days(days_ahead, listed):
    day = today() + days_ahead * DAY
    _job(started_on=day.replace(year=day.year - 2))
    found = anniversaries_upcoming(on=today())
    assert bool(found) is listed
    if listed:
        assert (found[0].years, found[0].on) == (2, day)


@pytest.mark.django_db
def test_five_and_ten_years_and_only_while_the_job_lasts():
    person = make_job_customer(associated_from=D(2010, 1, 1))
    in_ten = today() + 10 * DAY
    ten = _job(person, started_on=in_ten.replace(year=in_ten.year - 10))
    five = _job(person, started_on=in_ten.replace(year=in_ten.year - 5))
    _job(person, started_on=in_ten.replace(year=in_ten.year - 2), ended_on=in_ten - DAY)
    found = anniversaries_upcoming(on=today())
    assert sorted(a.years for a in found) == [5, 10]
    assert {a.company.pk for a in found} == {ten.company_id, five.company_id}


@pytest.mark.django_db
def test_consecutive_placements_count_from_the_first_and_a_praktik_does_not():
    person = make_job_customer(associated_from=D(2010, 1, 1))
    company = make_company()
    soon = today() + 20 * DAY
    start = soon.replace(year=soon.year - 5)
    _job(
        person,
        company,
        kind=Placement.Kind.PRAKTIK,
        started_on=start - 90 * DAY,
        ended_on=start - DAY,
    )
    _job(person, company, started_on=start, ended_on=start + 400 * DAY)
    _job(person, company, kind=Placement.Kind.FLEKSJOB, started_on=start + 401 * DAY)
    found = anniversaries_upcoming(on=today())
    assert [(a.years, a.on, a.employed_since) for a in found] == [(5, soon, start)]


@pytest.mark.django_db
def test_a_29_february_start_is_celebrated_on_28_february():
    person = make_job_customer(associated_from=D(2010, 1, 1))
    _job(person, started_on=D(2024, 2, 29))
    found = anniversaries_between(first=D(2026, 2, 1), last=D(2026, 3, 31))
    assert [(a.years, a.on) for a in found] == [(2, D(2026, 2, 28))]


@pytest.mark.django_db
def test_people_no_longer_associated_are_not_listed():
    soon = today() + 5 * DAY
    _job(
        make_job_customer(associated_from=D(2010, 1, 1), associated_until=today() - DAY),
        started_on=soon.replace(year=soon.year - 2),
    )
    assert anniversaries_upcoming(on=today()) == []


# --- celebrations -----------------------------------------------------------------------------


def _anniversary_soon(advisor=None, consent=True):
    person = make_job_customer(associated_from=D(2010, 1, 1), advisor=advisor)
    soon = today() + 14 * DAY
    job = _job(person, started_on=soon.replace(year=soon.year - 2))
    if consent:
        make_consent(job_customer=person, company=job.company, given_on=D(2020, 1, 1))
    return person, job.company


@pytest.mark.django_db
def test_a_celebration_records_who_is_invited_the_date_and_whether_it_was_held(advisor):
    person, company = _anniversary_soon()
    day = today() + 20 * DAY
    celebration = services.celebration_save(
        user=advisor,
        job_customer=person,
        company=company,
        years=2,
        celebrate_on=day,
        invite_relatives=False,
    )
    assert (celebration.anniversary_on, celebration.status) == (today() + 14 * DAY, "planned")
    assert (celebration.invite_company, celebration.invite_colleagues) == (True, True)
    assert celebration.invite_relatives is False
    with pytest.raises(ValidationError) as exc:
        services.celebration_save(
            user=advisor,
            job_customer=person,
            company=company,
            years=2,
            celebrate_on=day,
            status="held",
        )
    assert exc.value.message_dict["celebrate_on"] == [str(services.CELEBRATION_HELD_IN_FUTURE)]
    services.celebration_save(
        user=advisor,
        job_customer=person,
        company=company,
        years=2,
        celebrate_on=today(),
        status="held",
    )
    assert Celebration.objects.get().status == "held"  # the same row, changed


@pytest.mark.django_db
def test_one_celebration_per_anniversary_in_the_database():
    person, company = _anniversary_soon()
    fields = {
        "job_customer": person,
        "company": company,
        "years": 2,
        "anniversary_on": today(),
        "employed_since": today(),
    }
    Celebration.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Celebration.objects.create(**fields)


@pytest.mark.django_db
def test_no_celebration_for_an_anniversary_that_does_not_exist(advisor):
    person, company = _anniversary_soon()
    with pytest.raises(ValidationError) as exc:
        services.celebration_save(user=advisor, job_customer=person, company=company, years=5)
    assert exc.value.messages == [str(services.NO_SUCH_ANNIVERSARY)]


@pytest.mark.django_db
def test_inviting_the_company_without_consent_needs_a_reason_recorded_as_an_override(advisor):
    person, company = _anniversary_soon(consent=False)
    with pytest.raises(ValidationError) as exc:
        services.celebration_save(user=advisor, job_customer=person, company=company, years=2)
    assert "consent_override_reason" in exc.value.message_dict
    assert not Celebration.objects.exists()
    services.celebration_save(
        user=advisor, job_customer=person, company=company, years=2, invite_company=False
    )
    services.celebration_save(
        user=advisor,
        job_customer=person,
        company=company,
        years=2,
        consent_override_reason="Jobkunden sagde ja i telefonen",
    )
    note = ContactNote.objects.get(job_customer=person)
    assert note.company == company and note.consent_override_reason


# --- the pages --------------------------------------------------------------------------------


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_list_shows_the_advisors_anniversaries_and_htmx_gets_the_results(
    advisor_client, advisor
):
    person, _company = _anniversary_soon(advisor=advisor)
    _anniversary_soon()  # someone else's
    response = advisor_client.get(LIST)
    assert response.status_code == 200
    assert person.full_name in response.text
    assert len(response.context["page_obj"].object_list) == 1
    assert "Ikke planlagt" in response.text
    response = advisor_client.get(LIST, {"advisor": "all"}, HTTP_HX_REQUEST="true")
    assert response.text.lstrip().startswith('<div id="anniversary-results">')
    assert len(response.context["page_obj"].object_list) == 2


@pytest.mark.django_db
def test_a_manager_picks_one_advisors_anniversaries(manager_client, advisor, other_advisor):
    _anniversary_soon(advisor=advisor)
    theirs, _company = _anniversary_soon(advisor=other_advisor)
    response = manager_client.get(LIST, {"advisor": other_advisor.pk})
    assert [row.job_customer for row in response.context["page_obj"].object_list] == [theirs]
    assert len(manager_client.get(LIST, {"advisor": "all"}).context["page_obj"]) == 2


@pytest.mark.django_db
def test_the_list_runs_the_same_queries_for_1_and_25_anniversaries(manager_client, manager):
    person, company = _anniversary_soon()
    services.celebration_save(user=manager, job_customer=person, company=company, years=2)
    one = _count(manager_client, LIST)
    for _ in range(25):
        person, company = _anniversary_soon()
        services.celebration_save(user=manager, job_customer=person, company=company, years=2)
    assert _count(manager_client, LIST) == one


@pytest.mark.django_db
def test_planning_a_celebration_through_the_form(advisor_client, advisor):
    person, company = _anniversary_soon(advisor=advisor)
    url = reverse("anniversaries:celebration", args=[person.pk, company.pk, 2])
    assert advisor_client.get(url).status_code == 200
    response = advisor_client.post(url, {"status": "held", "celebrate_on": ""})
    assert response.status_code == 400
    assert "Skriv datoen for fejringen." in response.text
    data = {
        "status": "planned",
        "celebrate_on": (today() + 20 * DAY).strftime("%d-%m-%Y"),
        "invite_company": "on",
        "invite_colleagues": "on",
    }
    response = advisor_client.post(url, data)
    assert response.status_code == 302
    celebration = Celebration.objects.get()
    assert celebration.invite_relatives is False and celebration.celebrate_on == today() + 20 * DAY
    response = advisor_client.get(LIST)
    assert "Planlagt" in response.text and "virksomheden, kolleger" in response.text


@pytest.mark.django_db
def test_a_celebration_page_for_no_anniversary_is_not_found(advisor_client):
    person, company = _anniversary_soon()
    url = reverse("anniversaries:celebration", args=[person.pk, company.pk, 10])
    assert advisor_client.get(url).status_code == 404


@pytest.mark.django_db
def test_consultants_may_look_but_not_plan(consultant_client):
    person, company = _anniversary_soon()
    assert consultant_client.get(LIST).status_code == 200
    url = reverse("anniversaries:celebration", args=[person.pk, company.pk, 2])
    assert consultant_client.get(url).status_code == 403


@pytest.mark.django_db
def test_today_and_the_persons_page_show_the_anniversary(advisor_client, advisor):
    person, _company = _anniversary_soon(advisor=advisor)
    response = advisor_client.get(reverse("core:today"))
    assert 'id="today-anniversaries"' in response.text
    assert person.full_name in response.text.split('id="today-anniversaries"')[1]
    # On the person's page in the early-warnings card, which loads itself.
    response = advisor_client.get(reverse("alerts:person_section", args=[person.pk]))
    assert "Godt Gået" in response.text and "2 år hos" in response.text

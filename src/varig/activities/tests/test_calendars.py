"""The run's .ics file, the personal calendar feed (token, revocation) and the participation
report with its CSV. Calendars are parsed back with `icalendar`."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from varig.activities import report, services
from varig.activities.models import CalendarFeed, NetworkGroup
from varig.customers.tests.factories import make_job_customer
from varig.placements.models import FollowUp
from varig.placements.tests.factories import make_placement

from .factories import catalogue_activity, klaedt_paa, make_run, make_session

pytestmark = pytest.mark.django_db
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def url(name, *args):
    return reverse(f"activities:{name}", args=args)


def _events(content: bytes) -> list:
    return [c for c in Calendar.from_ical(content).walk("VEVENT")]


def test_a_run_downloads_as_ics_with_every_session(advisor_client, advisor):
    run = make_run(activity=klaedt_paa(), title="Forår", leader=advisor, place="Jobbanken, Herning")
    make_session(run=run, date=datetime.date(2026, 3, 2), topic="Kompetenceafklaring")
    make_session(
        run=run, date=datetime.date(2026, 3, 9), starts=(13, 0), ends=(16, 0), place="Lokale 2"
    )
    services.enrollment_create(
        actor=advisor, run=run, job_customer=make_job_customer(first_name="Mette", last_name="Holm")
    )
    response = advisor_client.get(url("run_ics", run.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"Mette" not in response.content  # no participants in the file
    events = sorted(_events(response.content), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 2
    first, second = events
    assert str(first["summary"]) == "Klædt på til job: Forår · Kompetenceafklaring"
    assert first.decoded("dtstart") == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=CPH)
    assert first.decoded("dtend") == datetime.datetime(2026, 3, 2, 12, 0, tzinfo=CPH)
    assert str(first["location"]) == "Jobbanken, Herning"
    assert str(second["location"]) == "Lokale 2"
    assert second.decoded("dtstart").hour == 13
    assert len({str(e["uid"]) for e in events}) == 2
    assert Calendar.from_ical(response.content).walk("VTIMEZONE")


def _feed(user):
    feed, token = services.calendar_feed_create(user=user)
    return feed, token


def test_the_feed_has_the_users_sessions_meetings_and_caseload_follow_ups(advisor, other_advisor):
    today = datetime.date.today()
    run = make_run(activity=klaedt_paa(), leader=advisor)
    mine = make_session(run=run, date=today + datetime.timedelta(days=3))
    make_session(run=run, date=today + datetime.timedelta(days=4), leader=other_advisor)
    other_run = make_run(leader=other_advisor)
    make_session(
        run=other_run, date=today + datetime.timedelta(days=3), leader=advisor, topic="Vikar"
    )
    group = NetworkGroup.objects.create(name="Lagerfolk", job_types="Lager", facilitator=advisor)
    services.meeting_create(actor=advisor, group=group, date=today + datetime.timedelta(days=5),
                            starts_at=datetime.time(17), ends_at=datetime.time(19))  # fmt: skip
    person = make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm", ref="JK-42")
    placement = make_placement(job_customer=person)
    due = today + datetime.timedelta(days=10)
    FollowUp.objects.create(placement=placement, job_customer=person, kind="month_3", months=3,
                            due_on=due, window_start=due, window_end=due)  # fmt: skip
    theirs = make_job_customer(advisor=other_advisor)
    FollowUp.objects.create(
        job_customer=theirs, kind="extra", due_on=due, window_start=due, window_end=due
    )
    _, token = _feed(advisor)
    response = Client().get(url("calendar_feed", token))  # no login: the token is the key
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"Mette" not in response.content and b"Holm" not in response.content
    events = {str(e["uid"]): e for e in _events(response.content)}
    assert set(events) == {
        f"session-{mine.pk}@varig",
        f"session-{other_run.sessions.get().pk}@varig",
        f"groupmeeting-{group.meetings.get().pk}@varig",
        f"followup-{placement.followups.get().pk}@varig",
    }
    followup = events[f"followup-{placement.followups.get().pk}@varig"]
    assert str(followup["summary"]) == "Opfølgning: 3-månedersmøde (JK-42)"
    assert followup.decoded("dtstart") == due


def test_a_revoked_or_replaced_token_answers_404(client_for, advisor):
    _, token = _feed(advisor)
    assert Client().get(url("calendar_feed", token)).status_code == 200
    _, new_token = services.calendar_feed_create(user=advisor)  # the old URL stops working
    assert Client().get(url("calendar_feed", token)).status_code == 404
    assert Client().get(url("calendar_feed", new_token)).status_code == 200
    response = client_for(advisor).post(url("calendar_revoke"))
    assert response.status_code == 302
    assert Client().get(url("calendar_feed", new_token)).status_code == 404
    assert Client().get(url("calendar_feed", "gæt-et-token")).status_code == 404
    assert CalendarFeed.objects.filter(user=advisor, revoked_at__isnull=True).count() == 0


def test_a_deactivated_users_feed_answers_404(advisor):
    _, token = _feed(advisor)
    advisor.is_active = False
    advisor.save()
    assert Client().get(url("calendar_feed", token)).status_code == 404


def test_the_token_is_shown_once_and_stored_only_as_a_digest(advisor_client, advisor):
    response = advisor_client.post(url("calendar_create"))
    assert response.status_code == 200
    feed_url = response.context["new_url"]
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=advisor)
    assert feed.token_hash == services.token_digest(token) and token not in feed.token_hash
    assert feed_url not in advisor_client.get(url("calendar")).text
    assert Client().get(feed_url).status_code == 200


def test_the_feed_query_count_does_not_grow(advisor):
    today = datetime.date.today()
    run = make_run(leader=advisor)
    make_session(run=run, date=today)
    _, token = _feed(advisor)
    path = url("calendar_feed", token)
    Client().get(path)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(path).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for n in range(25):
        make_session(run=run, date=today + datetime.timedelta(days=n + 1))
        person = make_job_customer(advisor=advisor)
        due = today + datetime.timedelta(days=n)
        FollowUp.objects.create(
            job_customer=person, kind="extra", due_on=due, window_start=due, window_end=due
        )
    assert count() == one and one < 10


# --- the participation report -------------------------------------------------------------------


def _attend(run, session, person, advisor):
    e = services.enrollment_create(actor=advisor, run=run, job_customer=person)
    services.attendance_record(actor=advisor, session=session, present={e.pk: True})
    return e


def test_participation_per_strand_and_month_before_and_after_employment(manager):
    sport = make_run(activity=catalogue_activity("Yoga"), capacity=10)
    guidance = make_run(activity=klaedt_paa(), capacity=10)
    jan = make_session(run=sport, date=datetime.date(2026, 1, 12))
    jan2 = make_session(run=sport, date=datetime.date(2026, 1, 19))
    mar = make_session(run=guidance, date=datetime.date(2026, 3, 2))
    employed = make_job_customer()
    make_placement(job_customer=employed, kind="skaanejob", started_on=datetime.date(2026, 1, 15))
    praktik = make_job_customer()
    make_placement(job_customer=praktik, kind="praktik", started_on=datetime.date(2025, 6, 1))
    e = _attend(sport, jan, employed, manager)
    services.attendance_record(actor=manager, session=jan2, present={e.pk: True})
    _attend(sport, jan, praktik, manager)
    absent = services.enrollment_create(
        actor=manager, run=guidance, job_customer=make_job_customer()
    )
    services.attendance_record(actor=manager, session=mar, present={absent.pk: False})
    _attend(guidance, mar, employed, manager)
    rows = {(r["month"].strftime("%Y-%m"), r["strand"], r["employed"]): (r["persons"], r["attendances"])
            for r in report.participation_rows(year=2026)}  # fmt: skip
    assert rows == {
        ("2026-01", "idraet", False): (2, 2),  # 12 Jan: both before (a praktik is not work)
        ("2026-01", "idraet", True): (1, 1),  # 19 Jan: after the job started on 15 Jan
        ("2026-03", "vejledning", True): (1, 1),
    }
    assert report.participation_rows(year=2025) == []


def test_the_report_page_and_csv(manager_client, manager):
    run = make_run(activity=klaedt_paa(), capacity=10)
    session = make_session(run=run, date=datetime.date(2026, 3, 2))
    _attend(run, session, make_job_customer(), manager)
    page = manager_client.get(url("report"), {"year": 2026})
    assert page.status_code == 200 and "Vejledning: Før ansættelse" in page.text
    response = manager_client.get(url("report_csv"), {"year": 2026})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "deltagelse-2026.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [report.CSV_HEADER, ["2026-03", "vejledning", "Vejledning", "before", "1", "1"]]
    assert manager_client.get(url("report"), {"year": "abc"}).status_code == 400
    assert manager_client.get(url("report_csv"), {"year": "abc"}).status_code == 404


def test_the_report_query_count_does_not_grow(manager_client, manager):
    run = make_run(activity=klaedt_paa(), capacity=40)
    first = make_session(run=run, date=datetime.date(2026, 3, 2))
    _attend(run, first, make_job_customer(), manager)
    path = url("report") + "?year=2026"
    manager_client.get(path)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert manager_client.get(path).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for n in range(25):
        s = make_session(run=run, date=datetime.date(2026, 1 + n % 12, 3))
        _attend(run, s, make_job_customer(), manager)
    assert count() == one and one < 10

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from varig.activities import services
from varig.activities.models import Attendance, Enrollment, Run, Session
from varig.customers.models import HealthInfo, JobWishes, ReadinessAssessment
from varig.customers.tests.factories import make_job_customer

from .factories import klaedt_paa, make_activity, make_run, make_session

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"activities:{name}", args=args)


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _same_count(client, path, grow, bound=25):
    client.get(path)  # warm caches (session, content types)
    one = _count(client, path)
    grow()
    many = _count(client, path)
    assert one == many, (one, many)
    assert many < bound


# --- pages as a whole and as their htmx fragment ------------------------------------------------


def test_pages_answer_whole_and_as_their_fragment(manager_client, manager):
    run = make_run(activity=klaedt_paa(), leader=manager)
    session = make_session(run=run)
    person = make_job_customer()
    for path in [
        url("catalogue"),
        url("activity_create"),
        url("activity_detail", run.activity_id),
        url("activity_edit", run.activity_id),
        url("run_create", run.activity_id),
        url("run_detail", run.pk),
        url("run_edit", run.pk),
        url("session_create", run.pk),
        url("session_edit", session.pk),
        url("attendance", session.pk),
        url("person_enroll", person.pk),
    ]:
        page = manager_client.get(path)
        fragment = manager_client.get(path, **HTMX)
        assert page.status_code == fragment.status_code == 200, path
        assert "<html" in page.text and "<html" not in fragment.text, path
        assert 'id="page"' in fragment.text, path


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(url("catalogue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))


def test_the_catalogue_shows_the_strands_and_open_runs(advisor_client, advisor):
    run = make_run(activity=klaedt_paa(), title="Forår", leader=advisor)
    make_session(run=run, date=datetime.date.today() + datetime.timedelta(days=3))
    text = advisor_client.get(url("catalogue")).text
    for strand in ["Vejledning", "Idræt", "Netværk", "Opkvalificering"]:
        assert strand in text
    assert "Klædt på til job: Forår" in text and "Svømning" in text


# --- catalogue and runs through the pages -------------------------------------------------------


def test_staff_add_an_activity_and_a_run(advisor_client, advisor):
    response = advisor_client.post(
        url("activity_create"),
        {"name": "Bowling", "strand": "netvaerk", "topics": "", "is_active": "on"},
    )
    assert response.status_code == 302
    activity = make_activity.__globals__["Activity"].objects.get(name="Bowling")
    response = advisor_client.post(
        url("run_create", activity.pk), {"title": "Efterår", "capacity": "6", "leader": advisor.pk}
    )
    run = Run.objects.get(activity=activity)
    assert response.status_code == 302 and response["Location"] == url("run_detail", run.pk)
    assert run.capacity == 6 and run.created_by == advisor


def test_a_run_without_places_is_refused_beside_the_field(advisor_client):
    response = advisor_client.post(url("run_create", klaedt_paa().pk), {"capacity": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"]
    assert not Run.objects.exists()


def test_a_session_that_ends_before_it_starts_is_refused_beside_the_field(advisor_client, advisor):
    run = make_run(leader=advisor)
    response = advisor_client.post(
        url("session_create", run.pk),
        {"date": "02-03-2026", "starts_at": "12:00", "ends_at": "09:00"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_at"] == [str(services.SESSION_ENDS_BEFORE_START)]
    assert str(services.SESSION_ENDS_BEFORE_START) in response.text
    assert not Session.objects.exists()
    response = advisor_client.post(
        url("session_create", run.pk),
        {"date": "31-02-2026", "starts_at": "09:00", "ends_at": "12:00"},
    )
    assert response.status_code == 400 and response.context["form"].errors["date"]
    ok = advisor_client.post(
        url("session_create", run.pk),
        {"date": "02-03-2026", "starts_at": "09:00", "ends_at": "12:00", "topic": "Jobsøgning"},
    )
    assert ok.status_code == 302
    assert Session.objects.get().date == datetime.date(2026, 3, 2)


# --- enrollment, the waitlist, attendance -------------------------------------------------------


def test_enroll_by_reference_fills_places_then_the_waitlist(advisor_client, advisor):
    run = make_run(capacity=1, leader=advisor)
    first = make_job_customer(advisor=advisor, ref="JK-100001")
    second = make_job_customer(advisor=advisor, ref="JK-100002")
    assert advisor_client.post(url("enroll", run.pk), {"ref": "jk-100001"}).status_code == 302
    response = advisor_client.post(url("enroll", run.pk), {"ref": "JK-100002"}, follow=True)
    assert "er på ventelisten" in response.text
    statuses = dict(Enrollment.objects.values_list("job_customer_id", "status"))
    assert statuses == {first.pk: "enrolled", second.pk: "waitlisted"}
    again = advisor_client.post(url("enroll", run.pk), {"ref": "JK-100001"})
    assert again.status_code == 400
    assert str(services.ALREADY_ENROLLED) in again.text
    assert Enrollment.objects.count() == 2


def test_enrolling_a_person_one_may_not_see_is_refused(advisor_client, other_advisor):
    run = make_run()
    make_job_customer(advisor=other_advisor, ref="JK-200001")
    response = advisor_client.post(url("enroll", run.pk), {"ref": "JK-200001"})
    assert response.status_code == 400
    assert str(services.NO_PERSON) in response.text
    assert not Enrollment.objects.exists()


def test_cancel_promotes_the_first_waiting_and_says_so(advisor_client, advisor):
    run = make_run(capacity=1, leader=advisor)
    holder = services.enrollment_create(
        actor=advisor, run=run, job_customer=make_job_customer(advisor=advisor)
    )
    waiting = services.enrollment_create(
        actor=advisor,
        run=run,
        job_customer=make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm"),
    )
    response = advisor_client.post(url("enrollment_cancel", holder.pk), follow=True)
    assert "Mette Holm" in response.text and "rykket op fra ventelisten" in response.text
    waiting.refresh_from_db()
    assert waiting.status == "enrolled"


def test_attendance_page_saves_who_came_and_refuses_others(advisor_client, advisor):
    run = make_run(capacity=1, leader=advisor)
    session = make_session(run=run)
    holder = services.enrollment_create(actor=advisor, run=run, job_customer=make_job_customer())
    waiting = services.enrollment_create(actor=advisor, run=run, job_customer=make_job_customer())
    refused = advisor_client.post(
        url("attendance", session.pk),
        {"enrollment": [holder.pk, waiting.pk], "present": [waiting.pk]},
    )
    assert refused.status_code == 400 and str(services.NOT_ENROLLED) in refused.text
    assert not Attendance.objects.exists()
    ok = advisor_client.post(
        url("attendance", session.pk), {"enrollment": [holder.pk], "present": [holder.pk]}
    )
    assert ok.status_code == 302
    assert Attendance.objects.get(enrollment=holder).present


def test_only_the_leader_and_managers_manage_a_run(advisor_client, other_advisor):
    run = make_run(leader=other_advisor)
    assert advisor_client.get(url("run_edit", run.pk)).status_code == 403
    assert advisor_client.get(url("run_detail", run.pk)).status_code == 200


# --- privacy of the roster and the composition --------------------------------------------------


def test_roster_names_only_for_the_leader_managers_and_those_who_see_the_person(
    client_for, advisor, other_advisor, manager
):
    run = make_run(capacity=5, leader=other_advisor)
    mine = make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm", ref="JK-1")
    theirs = make_job_customer(
        advisor=other_advisor, first_name="Hans", last_name="Berg", ref="JK-2"
    )
    for person in (mine, theirs):
        services.enrollment_create(actor=manager, run=run, job_customer=person)
    as_advisor = client_for(advisor).get(url("run_detail", run.pk)).text
    assert "Mette Holm" in as_advisor and "Hans Berg" not in as_advisor and "JK-2" in as_advisor
    for user in (other_advisor, manager):
        text = client_for(user).get(url("run_detail", run.pk)).text
        assert "Mette Holm" in text and "Hans Berg" in text


def test_the_composition_shows_readiness_age_and_job_type_but_never_a_diagnosis(
    manager_client, manager
):
    run = make_run(capacity=5, leader=manager)
    today = datetime.date.today()
    young = make_job_customer(birth_date=today.replace(year=today.year - 25))
    older = make_job_customer(birth_date=today.replace(year=today.year - 52))
    JobWishes.objects.create(job_customer=young, preferred_job_type="simple")
    ReadinessAssessment.objects.create(
        job_customer=young, area="finances", rating="not_yet", assessed_on=today
    )
    HealthInfo.objects.create(job_customer=young, diagnosis="Skizofreni", health_notes="Hemmeligt")
    for person in (young, older):
        services.enrollment_create(actor=manager, run=run, job_customer=person)
    text = manager_client.get(url("run_detail", run.pk)).text
    assert "Under 30" in text and "50-59" in text
    assert "Et enkelt job med faste opgaver" in text
    assert "Et område er ikke klar endnu" in text and "Ikke vurderet" in text
    assert "Skizofreni" not in text and "Hemmeligt" not in text


# --- query counts -------------------------------------------------------------------------------


def test_run_page_query_count_does_not_grow_with_people_and_sessions(advisor_client, advisor):
    run = make_run(capacity=30, leader=advisor)
    session = make_session(run=run)
    first = services.enrollment_create(
        actor=advisor, run=run, job_customer=make_job_customer(advisor=advisor)
    )
    services.attendance_record(actor=advisor, session=session, present={first.pk: True})
    services.recommendation_create(
        actor=advisor, job_customer=make_job_customer(advisor=advisor), activity=run.activity
    )

    def grow():
        for n in range(25):
            person = make_job_customer(advisor=advisor)
            JobWishes.objects.create(job_customer=person)
            ReadinessAssessment.objects.create(
                job_customer=person,
                area="housing",
                rating="calm",
                assessed_on=datetime.date.today(),
            )
            e = services.enrollment_create(actor=advisor, run=run, job_customer=person)
            s = make_session(run=run, date=datetime.date(2026, 4, 1) + datetime.timedelta(days=n))
            services.attendance_record(actor=advisor, session=s, present={e.pk: n % 2 == 0})
            services.recommendation_create(
                actor=advisor,
                job_customer=make_job_customer(advisor=advisor),
                activity=run.activity,
            )
        for _n in range(5):
            services.enrollment_create(actor=advisor, run=run, job_customer=make_job_customer())

    _same_count(advisor_client, url("run_detail", run.pk), grow)


def test_catalogue_and_activity_page_query_counts_do_not_grow(advisor_client, advisor):
    activity = klaedt_paa()
    run = make_run(activity=activity, leader=advisor)
    make_session(run=run, date=datetime.date.today() + datetime.timedelta(days=1))
    services.recommendation_create(
        actor=advisor, job_customer=make_job_customer(advisor=advisor), activity=activity
    )

    def grow():
        for n in range(25):
            r = make_run(activity=activity, leader=advisor)
            make_session(run=r, date=datetime.date.today() + datetime.timedelta(days=n))
            services.enrollment_create(actor=advisor, run=r, job_customer=make_job_customer())
            services.recommendation_create(
                actor=advisor, job_customer=make_job_customer(advisor=advisor), activity=activity
            )

    advisor_client.get(url("catalogue"))
    one = (
        _count(advisor_client, url("catalogue")),
        _count(advisor_client, url("activity_detail", activity.pk)),
    )
    grow()
    many = (
        _count(advisor_client, url("catalogue")),
        _count(advisor_client, url("activity_detail", activity.pk)),
    )
    assert one == many and max(many) < 20


def test_attendance_page_query_count_does_not_grow(advisor_client, advisor):
    run = make_run(capacity=30, leader=advisor)
    session = make_session(run=run)
    services.enrollment_create(actor=advisor, run=run, job_customer=make_job_customer())

    def grow():
        for _ in range(25):
            services.enrollment_create(actor=advisor, run=run, job_customer=make_job_customer())

    _same_count(advisor_client, url("attendance", session.pk), grow)


# --- the job customer's page --------------------------------------------------------------------


def test_person_page_shows_activities_and_upskilling_in_one_query(advisor_client, advisor):
    from varig.activities.models import GroupMembership, NetworkGroup, Upskilling
    from varig.activities.selectors import person_activities

    person = make_job_customer(advisor=advisor)
    run = make_run(activity=klaedt_paa(), title="Forår", capacity=30, leader=advisor)
    session = make_session(run=run)
    e = services.enrollment_create(actor=advisor, run=run, job_customer=person)
    services.attendance_record(actor=advisor, session=session, present={e.pk: True})
    services.recommendation_create(
        actor=advisor, job_customer=person, activity=make_activity(name="Yoga hold")
    )
    group = NetworkGroup.objects.create(name="Lagerfolk", job_types="Lager")
    GroupMembership.objects.create(
        group=group, job_customer=person, joined_on=datetime.date(2026, 1, 5)
    )
    Upskilling.objects.create(
        job_customer=person, kind="forklift", title="Truckcertifikat", provider="AMU"
    )
    with CaptureQueriesContext(connection) as ctx:
        section = person_activities(job_customer=person)
    assert len(ctx.captured_queries) == 1
    assert [u["name"] for u in section.upskilling] == ["Truckcertifikat"]
    kinds = sorted(item["kind"] for item in section.items)
    assert kinds == ["group", "recommendation", "run"]
    run_item = next(i for i in section.items if i["kind"] == "run")
    assert (run_item["attended"], run_item["sessions"]) == (1, 1)
    detail = advisor_client.get(reverse("customers:detail", args=[person.pk])).text
    assert f'hx-get="{url("person_section", person.pk)}"' in detail  # loads itself: no query
    text = advisor_client.get(url("person_section", person.pk)).text
    for expected in ["Aktiviteter og opkvalificering", "Klædt på til job: Forår", "Yoga hold",
                     "Lagerfolk", "Truckcertifikat", "deltaget i 1 af 1"]:  # fmt: skip
        assert expected in text, expected

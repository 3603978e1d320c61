import datetime

import pytest
from django.core.exceptions import ValidationError

from varig.activities import services
from varig.activities.models import Activity, Attendance, Session
from varig.customers.tests.factories import make_job_customer

from .factories import klaedt_paa, make_activity, make_run, make_session, seed_catalogue

pytestmark = pytest.mark.django_db


def _enroll(run, n, actor=None):
    return [
        services.enrollment_create(actor=actor, run=run, job_customer=make_job_customer())
        for _ in range(n)
    ]


def test_the_catalogue_is_seeded_with_the_reports_examples():
    course = klaedt_paa()
    seed_catalogue()  # twice: nothing is added again
    assert Activity.objects.filter(name="Klædt på til job").count() == 1
    assert course.strand == "vejledning"
    assert course.sessions_planned == 4 and course.hours_per_session == 3
    assert course.topic_list == [
        "Uddannelse og job som førtidspensionist",
        "Kompetenceafklaring",
        "Jobsøgningsstrategier",
        "Jobsamtaletræning",
        "Arbejdspladskultur",
        "Kommunikation på arbejdspladsen",
    ]
    names = set(Activity.objects.values_list("name", flat=True))
    for expected in ["Når du tjener penge", "Iværksætteri", "Digitale medier", "Svømning",
                     "Cykelture", "Yoga", "Styrketræning", "Museumsbesøg", "Office-pakken",
                     "CV og ansøgninger", "Introduktion til samfundet"]:  # fmt: skip
        assert expected in names
    assert set(Activity.objects.values_list("strand", flat=True)) == {
        "vejledning", "idraet", "netvaerk", "opkvalificering"
    }  # fmt: skip


def test_staff_edit_the_catalogue(advisor):
    activity = services.activity_save(
        actor=advisor, name=" Bowling ", strand="idraet", topics="Kugler\n\n Keglerne \n"
    )
    assert activity.name == "Bowling" and activity.topic_list == ["Kugler", "Keglerne"]
    services.activity_save(actor=advisor, activity=activity, name="Bowling", strand="netvaerk")
    activity.refresh_from_db()
    assert activity.strand == "netvaerk"


def test_enrollment_beyond_capacity_goes_to_the_waitlist_in_order(advisor):
    run = make_run(capacity=2)
    first, second, third, fourth = _enroll(run, 4, advisor)
    assert [e.status for e in (first, second)] == ["enrolled", "enrolled"]
    assert [e.status for e in (third, fourth)] == ["waitlisted", "waitlisted"]
    assert run.enrollments.enrolled().count() == 2


def test_cancelling_a_place_promotes_the_first_on_the_waitlist(advisor):
    run = make_run(capacity=1)
    holder, waiting, later = _enroll(run, 3, advisor)
    promoted = services.enrollment_cancel(actor=advisor, enrollment=holder)
    assert promoted.pk == waiting.pk
    waiting.refresh_from_db()
    holder.refresh_from_db()
    assert waiting.status == "enrolled" and waiting.promoted_at is not None
    assert holder.status == "cancelled" and holder.cancelled_by == advisor
    later.refresh_from_db()
    assert later.status == "waitlisted"
    assert run.enrollments.enrolled().count() == 1


def test_cancelling_a_waitlisted_place_promotes_nobody(advisor):
    run = make_run(capacity=1)
    holder, waiting = _enroll(run, 2, advisor)
    assert services.enrollment_cancel(actor=advisor, enrollment=waiting) is None
    holder.refresh_from_db()
    assert holder.status == "enrolled"


def test_cancelling_twice_is_refused(advisor):
    run = make_run(capacity=1)
    (holder,) = _enroll(run, 1)
    services.enrollment_cancel(actor=advisor, enrollment=holder)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_cancel(actor=advisor, enrollment=holder)
    assert services.ENROLLMENT_ALREADY_CANCELLED in exc.value.messages


def test_double_enrollment_is_refused_also_from_the_waitlist(advisor):
    run = make_run(capacity=1)
    person = make_job_customer()
    other = make_job_customer()
    services.enrollment_create(actor=advisor, run=run, job_customer=person)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_create(actor=advisor, run=run, job_customer=person)
    assert exc.value.messages == [str(services.ALREADY_ENROLLED)]
    services.enrollment_create(actor=advisor, run=run, job_customer=other)
    with pytest.raises(ValidationError) as exc:
        services.enrollment_create(actor=advisor, run=run, job_customer=other)
    assert exc.value.messages == [str(services.ALREADY_WAITLISTED)]
    assert run.enrollments.count() == 2


def test_a_cancelled_person_may_enroll_again(advisor):
    run = make_run(capacity=1)
    person = make_job_customer()
    first = services.enrollment_create(actor=advisor, run=run, job_customer=person)
    services.enrollment_cancel(actor=advisor, enrollment=first)
    again = services.enrollment_create(actor=advisor, run=run, job_customer=person)
    assert again.status == "enrolled" and again.pk != first.pk


def test_more_places_promote_the_waitlist_and_fewer_than_enrolled_are_refused(advisor):
    run = make_run(capacity=1)
    _, waiting, later = _enroll(run, 3)
    promoted = services.run_update(actor=advisor, run=run, capacity=2)
    assert [e.pk for e in promoted] == [waiting.pk]
    with pytest.raises(ValidationError) as exc:
        services.run_update(actor=advisor, run=run, capacity=1)
    assert "capacity" in exc.value.message_dict
    run.refresh_from_db()
    assert run.capacity == 2
    later.refresh_from_db()
    assert later.status == "waitlisted"


@pytest.mark.parametrize("capacity", [0, 501, None])
def test_a_run_needs_between_1_and_500_places(advisor, capacity):
    with pytest.raises(ValidationError) as exc:
        services.run_create(actor=advisor, activity=make_activity(), capacity=capacity)
    assert exc.value.message_dict["capacity"] == [str(services.CAPACITY_RANGE)]


def test_a_run_of_an_activity_no_longer_offered_is_refused(advisor):
    with pytest.raises(ValidationError):
        services.run_create(actor=advisor, activity=make_activity(is_active=False), capacity=5)


@pytest.mark.parametrize("ends", [datetime.time(9, 0), datetime.time(8, 59)])
def test_a_session_ending_before_it_starts_is_refused(advisor, ends):
    run = make_run()
    with pytest.raises(ValidationError) as exc:
        services.session_save(
            actor=advisor,
            run=run,
            date=datetime.date(2026, 3, 2),
            starts_at=datetime.time(9, 0),
            ends_at=ends,
        )
    assert exc.value.message_dict["ends_at"] == [str(services.SESSION_ENDS_BEFORE_START)]
    assert not Session.objects.exists()


def test_a_session_is_saved_and_changed(advisor):
    run = make_run()
    session = services.session_save(
        actor=advisor, run=run, date=datetime.date(2026, 3, 2),
        starts_at=datetime.time(9, 0), ends_at=datetime.time(12, 0), topic=" Jobsamtaletræning ",
    )  # fmt: skip
    assert session.topic == "Jobsamtaletræning"
    services.session_save(
        actor=advisor, run=run, session=session, date=datetime.date(2026, 3, 9),
        starts_at=datetime.time(10, 0), ends_at=datetime.time(13, 0),
    )  # fmt: skip
    session.refresh_from_db()
    assert session.date == datetime.date(2026, 3, 9)
    with pytest.raises(ValidationError):
        services.session_save(
            actor=advisor, run=make_run(), session=session, date=datetime.date(2026, 3, 9),
            starts_at=datetime.time(10, 0), ends_at=datetime.time(13, 0),
        )  # fmt: skip


def test_attendance_is_recorded_for_the_enrolled_and_updated(advisor):
    run = make_run(capacity=2)
    session = make_session(run=run)
    a, b = _enroll(run, 2)
    services.attendance_record(actor=advisor, session=session, present={a.pk: True, b.pk: False})
    services.attendance_record(actor=advisor, session=session, present={b.pk: True})
    marks = dict(Attendance.objects.values_list("enrollment_id", "present"))
    assert marks == {a.pk: True, b.pk: True}


def test_attendance_for_someone_not_enrolled_is_refused_and_saves_nothing(advisor):
    run = make_run(capacity=1)
    session = make_session(run=run)
    holder, waiting = _enroll(run, 2)
    other_run_enrollment = _enroll(make_run(), 1)[0]
    for refused in (waiting, other_run_enrollment):
        with pytest.raises(ValidationError) as exc:
            services.attendance_record(
                actor=advisor, session=session, present={holder.pk: True, refused.pk: True}
            )
        assert exc.value.messages == [str(services.NOT_ENROLLED)]
    with pytest.raises(ValidationError):
        services.attendance_set(
            actor=advisor, session=session, job_customer=make_job_customer(), present=True
        )
    assert not Attendance.objects.exists()
    services.attendance_set(
        actor=advisor, session=session, job_customer=holder.job_customer, present=True
    )
    assert Attendance.objects.get().present


def test_completion_only_for_people_with_a_place(advisor):
    run = make_run(capacity=1)
    holder, waiting = _enroll(run, 2)
    day = datetime.date(2026, 4, 1)
    services.enrollment_complete(actor=advisor, enrollment=holder, completed_on=day)
    holder.refresh_from_db()
    assert holder.completed_on == day
    with pytest.raises(ValidationError):
        services.enrollment_complete(actor=advisor, enrollment=waiting, completed_on=day)
    services.enrollment_complete(actor=advisor, enrollment=holder, completed_on=None)
    holder.refresh_from_db()
    assert holder.completed_on is None

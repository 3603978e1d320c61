import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from varig.alerts import services
from varig.alerts.models import Flag, Period
from varig.alerts.tests.factories import make_flag, make_period
from varig.customers.models import ContactKind, ContactNote, Task
from varig.customers.tests.factories import make_consent, make_job_customer
from varig.employers.tests.factories import make_company, make_contact
from varig.placements import services as placement_services
from varig.placements.models import Agreement, FollowUp, HoursChange, Placement
from varig.placements.tests.factories import make_placement

Kind = Flag.Kind
DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def refresh(on=None):
    return services.flags_refresh(on=on or today())


def flags(kind, **filters):
    return Flag.objects.filter(kind=kind, **filters)


def _followup(placement, *, due_on, status=FollowUp.Status.PLANNED, **fields):
    return FollowUp.objects.create(
        placement=placement,
        job_customer=placement.job_customer,
        kind=fields.pop("kind", FollowUp.Kind.MONTH_3),
        months=fields.pop("months", 3),
        due_on=due_on,
        window_start=due_on - 14 * DAY,
        window_end=due_on + 14 * DAY,
        status=status,
        held_on=fields.pop("held_on", due_on if status == FollowUp.Status.HELD else None),
        **fields,
    )


def _contact(person, days_ago: int, **fields):
    fields.setdefault("kind", ContactKind.PHONE)
    return ContactNote.objects.create(
        job_customer=person,
        occurred_at=timezone.make_aware(
            datetime.datetime.combine(ago(days_ago), datetime.time(23, 30))
        ),
        text="Talt sammen",
        **fields,
    )


# --- the database guard --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_allows_one_open_warning_per_reason():
    flag = make_flag(key="since:2026-01-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_flag(job_customer=flag.job_customer, key="since:2026-01-01")
    Flag.objects.filter(pk=flag.pk).update(lapsed_on=today())
    make_flag(job_customer=flag.job_customer, key="since:2026-01-01")  # history + a new one


@pytest.mark.django_db
def test_the_database_refuses_a_resolution_without_a_person():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_flag(resolved_at=timezone.now())


# --- follow-up overdue -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_overdue_follow_up_warns_once_and_lapses_when_held(advisor):
    placement = make_placement()
    followup = _followup(placement, due_on=ago(15))  # window closed yesterday
    _followup(make_placement(), due_on=ago(14))  # window closes today: not overdue
    refresh()
    refresh()
    assert flags(Kind.FOLLOWUP_OVERDUE).count() == 1
    flag = flags(Kind.FOLLOWUP_OVERDUE).get()
    assert flag.followup == followup and flag.placement == placement
    FollowUp.objects.filter(pk=followup.pk).update(status=FollowUp.Status.HELD, held_on=ago(1))
    result = refresh()
    assert result[Kind.FOLLOWUP_OVERDUE]["lapsed"] == 1
    flag.refresh_from_db()
    assert flag.lapsed_on == today() and not flag.is_open


@pytest.mark.django_db
def test_a_resolved_warning_is_not_raised_again_for_the_same_reason(advisor):
    _followup(make_placement(), due_on=ago(30))
    refresh()
    flag = flags(Kind.FOLLOWUP_OVERDUE).get()
    services.flag_resolve(user=advisor, flag=flag, resolution="Ringet op")
    refresh()
    refresh(today() + DAY)
    assert flags(Kind.FOLLOWUP_OVERDUE).count() == 1


@pytest.mark.django_db
def test_people_no_longer_associated_get_no_warnings():
    person = make_job_customer(associated_until=ago(1))
    _followup(make_placement(job_customer=person), due_on=ago(30))
    refresh()
    assert not Flag.objects.exists()


# --- no contact for N days -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("days_ago", "warned"), [(59, False), (60, True)])
def test_no_contact_for_60_days_warns(days_ago, warned):
    person = make_job_customer(associated_from=ago(400))
    _contact(person, days_ago)
    refresh()
    assert flags(Kind.NO_CONTACT, job_customer=person).exists() is warned


@pytest.mark.django_db
def test_the_number_of_days_is_a_setting(settings):
    settings.VARIG_NO_CONTACT_DAYS = 30
    person = make_job_customer(associated_from=ago(400))
    _contact(person, 30)
    refresh()
    flag = flags(Kind.NO_CONTACT, job_customer=person).get()
    assert flag.detail == {"since": ago(30).isoformat(), "contacted": True}


@pytest.mark.django_db
def test_a_new_person_is_counted_from_the_start_of_the_association():
    fresh = make_job_customer(associated_from=ago(59))
    older = make_job_customer(associated_from=ago(60))
    refresh()
    assert not flags(Kind.NO_CONTACT, job_customer=fresh).exists()
    assert flags(Kind.NO_CONTACT, job_customer=older).get().detail["contacted"] is False


@pytest.mark.django_db
def test_plain_notes_and_contacts_with_a_company_are_not_contact_with_the_person():
    person = make_job_customer(associated_from=ago(400))
    _contact(person, 1, kind=ContactKind.NOTE)
    _contact(person, 1, company=make_company())
    refresh()
    assert flags(Kind.NO_CONTACT, job_customer=person).exists()


@pytest.mark.django_db
def test_a_follow_up_held_with_the_person_is_contact_and_the_warning_lapses():
    person = make_job_customer(associated_from=ago(400))
    refresh()
    assert flags(Kind.NO_CONTACT, job_customer=person).exists()
    placement = make_placement(job_customer=person)
    _followup(placement, due_on=ago(2), status=FollowUp.Status.HELD, with_job_customer=True)
    refresh()
    assert not flags(Kind.NO_CONTACT).open().exists()
    assert flags(Kind.NO_CONTACT).get().lapsed_on == today()


@pytest.mark.django_db
def test_a_resolved_no_contact_warning_comes_back_after_another_n_days(advisor):
    person = make_job_customer(associated_from=ago(400))
    _contact(person, 100)
    refresh(ago(20))
    flag = flags(Kind.NO_CONTACT).get()
    flag = services.flag_resolve(user=advisor, flag=flag, resolution="Sendt sms")
    Flag.objects.filter(pk=flag.pk).update(resolved_at=flag.resolved_at - 20 * DAY)
    refresh(today() + 39 * DAY)
    assert flags(Kind.NO_CONTACT).count() == 1
    refresh(today() + 40 * DAY)
    assert flags(Kind.NO_CONTACT).open().count() == 1


# --- the contact person or mentor left --------------------------------------------------------


@pytest.mark.django_db
def test_every_active_placement_with_a_contact_who_left_is_warned_with_an_extra_follow_up():
    company = make_company()
    mentor = make_contact(company=company, is_mentor=True, active_until=ago(1))
    first = make_placement(company=company, contact=mentor, started_on=ago(300))
    second = make_placement(company=company, contact=mentor, started_on=ago(200))
    make_placement(company=company, contact=mentor, started_on=ago(300), ended_on=ago(10))
    staying = make_contact(company=company, active_until=today())  # today is still a working day
    make_placement(company=company, contact=staying, started_on=ago(100))
    refresh()
    refresh()
    warned = flags(Kind.CONTACT_LEFT)
    assert {f.placement_id for f in warned} == {first.pk, second.pk}
    planned = FollowUp.objects.filter(kind=FollowUp.Kind.CONTACT_CHANGE)
    assert planned.count() == 2
    followup = planned.get(placement=first)
    assert (followup.window_start, followup.due_on) == (today(), today() + 14 * DAY)
    assert warned.get(placement=first).planned_followup == followup


@pytest.mark.django_db
def test_replacing_the_contact_on_a_placement_warns_once(advisor):
    company = make_company()
    old, new = make_contact(company=company), make_contact(company=company)
    person = make_job_customer()
    placement = placement_services.placement_create(
        user=advisor,
        job_customer=person,
        company=company,
        kind=Placement.Kind.FLEKSJOB,
        started_on=ago(100),
        contact=old,
        hours_per_week=Decimal(10),
    )
    placement_services.placement_update(
        user=advisor, placement=placement, expected_version=None, contact=new
    )
    flag = flags(Kind.CONTACT_LEFT).get()
    assert flag.contact == old and flag.detail["replaced"] is True
    assert flag.planned_followup.kind == FollowUp.Kind.CONTACT_CHANGE
    # The old contact leaving later is the same reason: no second warning.
    old.active_until = ago(1)
    old.save()
    placement.contact = old
    placement.save()
    refresh()
    assert flags(Kind.CONTACT_LEFT).count() == 1
    # The standard schedule leaves the extra follow-up alone when the start moves.
    placement.refresh_from_db()
    placement_services.placement_update(
        user=advisor, placement=placement, expected_version=None, started_on=ago(90)
    )
    assert FollowUp.objects.get(kind=FollowUp.Kind.CONTACT_CHANGE).status == "planned"


# --- accommodations not kept ----------------------------------------------------------------


@pytest.mark.django_db
def test_accommodations_not_kept_at_the_last_follow_up_warn_until_a_later_one_keeps_them():
    placement = make_placement(started_on=ago(200))
    held = FollowUp.Status.HELD
    _followup(placement, due_on=ago(100), status=held, hours_kept=Agreement.NO, months=3)
    refresh()
    flag = flags(Kind.ACCOMMODATIONS_NOT_KEPT).get()
    assert flag.detail == {"not_kept": ["hours"]}
    _followup(
        placement,
        due_on=ago(10),
        status=held,
        kind=FollowUp.Kind.MONTH_6,
        months=6,
        hours_kept=Agreement.YES,
        tasks_kept=Agreement.PARTLY,
    )
    refresh()
    assert not flags(Kind.ACCOMMODATIONS_NOT_KEPT).open().exists()


# --- hours up more than 25 % within three months ------------------------------------------------


def _job(advisor, *, hours, started_on, kind=Placement.Kind.FLEKSJOB, **fields):
    return placement_services.placement_create(
        user=advisor,
        job_customer=fields.pop("job_customer", None) or make_job_customer(),
        company=fields.pop("company", None) or make_company(),
        kind=kind,
        started_on=started_on,
        hours_per_week=Decimal(hours),
        **fields,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("new_hours", "warned"), [(25, False), ("25.5", True)])
def test_raising_the_hours_by_more_than_25_percent_warns(advisor, new_hours, warned):
    placement = _job(advisor, hours=20, started_on=ago(200))
    placement_services.placement_update(
        user=advisor, placement=placement, expected_version=None, hours_per_week=Decimal(new_hours)
    )
    assert list(placement.hours_changes.values_list("changed_on", "hours_per_week")) == [
        (ago(200), Decimal(20)),
        (today(), Decimal(new_hours)),
    ]
    refresh()
    assert flags(Kind.HOURS_UP).exists() is warned
    if warned:
        assert flags(Kind.HOURS_UP).get().detail == {
            "lowest": "20.0",
            "current": "25.5",
            "since": today().isoformat(),
        }


@pytest.mark.django_db
def test_a_praktik_followed_by_a_job_with_more_hours_is_one_run(advisor):
    praktik = _job(advisor, hours=10, started_on=ago(60), kind=Placement.Kind.PRAKTIK)
    placement_services.praktik_convert(
        user=advisor,
        praktik=praktik,
        kind=Placement.Kind.SKAANEJOB,
        started_on=ago(10),
        hours_per_week=Decimal(15),
    )
    refresh()
    refresh()
    flag = flags(Kind.HOURS_UP).get()
    assert flag.placement.kind == Placement.Kind.SKAANEJOB
    assert flag.detail["lowest"] == "10.0"


@pytest.mark.django_db
def test_hours_at_another_company_or_after_a_gap_are_not_compared(advisor):
    person = make_job_customer()
    _job(advisor, hours=10, started_on=ago(80), job_customer=person)
    earlier = _job(advisor, hours=10, started_on=ago(80), job_customer=person)
    Placement.objects.filter(pk=earlier.pk).update(ended_on=ago(40))
    _job(advisor, hours=20, started_on=ago(38), job_customer=person, company=earlier.company)
    refresh()
    assert not flags(Kind.HOURS_UP).exists()


@pytest.mark.django_db
def test_placements_without_an_hours_history_use_their_hours_from_the_start():
    person = make_job_customer()
    company = make_company()
    make_placement(
        job_customer=person,
        company=company,
        started_on=ago(100),
        ended_on=ago(21),
        hours_per_week=Decimal(8),
    )
    make_placement(job_customer=person, company=company, started_on=ago(20), hours_per_week=12)
    assert not HoursChange.objects.exists()
    refresh()
    assert flags(Kind.HOURS_UP).get().detail["lowest"] == "8.0"


# --- setbacks ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_setback_warns_at_once_suggests_contact_and_closes_nothing(advisor):
    person = make_job_customer(advisor=advisor)
    placement = make_placement(job_customer=person, started_on=ago(300))
    _followup(placement, due_on=today() + 30 * DAY)
    calm = services.period_record(
        user=advisor, job_customer=person, kind=Period.Kind.STABLE, started_on=ago(100)
    )
    setback = services.period_record(
        user=advisor,
        job_customer=person,
        kind=Period.Kind.SETBACK,
        started_on=ago(5),
        sick_leave_days=3,
        note="Ny medicin",
        plan_extra_contact=True,
    )
    calm.refresh_from_db()
    assert calm.ended_on == ago(6)  # the period before ends the day before
    flag = flags(Kind.SETBACK).get()
    assert flag.period == setback and flag.raised_on == today()
    task = Task.objects.get(job_customer=person)
    assert task.assigned_to == advisor and task.due_on == today() + 7 * DAY
    placement.refresh_from_db()
    assert placement.ended_on is None
    assert FollowUp.objects.planned().count() == 1
    person.refresh_from_db()
    assert person.associated_until is None
    refresh()
    assert flags(Kind.SETBACK).count() == 1
    services.period_end(user=advisor, period=setback, ended_on=ago(1), sick_leave_days=4)
    assert not flags(Kind.SETBACK).open().exists()


@pytest.mark.django_db
def test_a_setback_without_suggested_contact_makes_no_task(advisor):
    services.period_record(
        user=advisor,
        job_customer=make_job_customer(),
        kind=Period.Kind.SETBACK,
        started_on=today(),
    )
    assert not Task.objects.exists()
    assert flags(Kind.SETBACK).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"started_on": datetime.date.max - 400 * DAY},
            "started_on",
            services.PERIOD_START_IN_FUTURE,
        ),
        ({"ended_on": "before"}, "ended_on", services.PERIOD_END_BEFORE_START),
        ({"ended_on": "future"}, "ended_on", services.PERIOD_END_IN_FUTURE),
        ({"sick_leave_days": 12}, "sick_leave_days", services.SICK_DAYS_TOO_MANY),
        ({"kind": "sad"}, "kind", services.PERIOD_KIND_INVALID),
    ],
)
def test_bad_periods_are_refused_and_nothing_is_saved(advisor, fields, field, message):
    fields = dict(fields)
    if fields.get("ended_on") == "before":
        fields["ended_on"] = ago(20)
    if fields.get("ended_on") == "future":
        fields["ended_on"] = today() + DAY
    kwargs = {"kind": Period.Kind.SETBACK, "started_on": ago(10), **fields}
    with pytest.raises(ValidationError) as exc:
        services.period_record(user=advisor, job_customer=make_job_customer(), **kwargs)
    assert exc.value.message_dict[field] == [str(message)]
    assert not Period.objects.exists() and not Flag.objects.exists()


@pytest.mark.django_db
def test_overlapping_periods_are_refused(advisor):
    person = make_job_customer()
    make_period(job_customer=person, started_on=ago(50), ended_on=ago(20))
    with pytest.raises(ValidationError) as exc:
        services.period_record(
            user=advisor, job_customer=person, kind=Period.Kind.STABLE, started_on=ago(30)
        )
    assert exc.value.message_dict["started_on"] == [str(services.PERIOD_OVERLAP)]
    open_one = make_period(job_customer=person, started_on=ago(10))
    with pytest.raises(ValidationError):  # starts the same day as the open one
        services.period_record(
            user=advisor, job_customer=person, kind=Period.Kind.STABLE, started_on=ago(10)
        )
    open_one.refresh_from_db()
    assert open_one.ended_on is None


@pytest.mark.django_db
def test_a_period_that_ended_cannot_end_again(advisor):
    period = make_period(ended_on=ago(1))
    with pytest.raises(ValidationError):
        services.period_end(user=advisor, period=period, ended_on=today())


# --- consent expiring -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "warned"), [(0, True), (30, True), (31, False)])
def test_a_consent_for_the_current_company_expiring_within_30_days_warns(days, warned):
    placement = make_placement(started_on=ago(100))
    make_consent(
        job_customer=placement.job_customer,
        company=placement.company,
        given_on=ago(300),
        expires_on=today() + days * DAY,
    )
    refresh()
    assert flags(Kind.CONSENT_EXPIRING).exists() is warned


@pytest.mark.django_db
def test_a_consent_for_a_company_the_person_left_does_not_warn():
    placement = make_placement(started_on=ago(300), ended_on=ago(10))
    make_consent(job_customer=placement.job_customer, company=placement.company, expires_on=today())
    refresh()
    assert not Flag.objects.filter(kind=Kind.CONSENT_EXPIRING).exists()


@pytest.mark.django_db
def test_the_warning_stays_after_expiry_and_lapses_when_renewed():
    placement = make_placement(started_on=ago(100))
    person, company = placement.job_customer, placement.company
    make_consent(job_customer=person, company=company, given_on=ago(300), expires_on=today())
    refresh()
    refresh(today() + 5 * DAY)
    assert flags(Kind.CONSENT_EXPIRING).open().count() == 1
    make_consent(job_customer=person, company=company, given_on=today(), expires_on=None)
    refresh(today() + 6 * DAY)
    assert not flags(Kind.CONSENT_EXPIRING).open().exists()


# --- the whole daily job ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_daily_job_twice_creates_nothing_twice(advisor):
    company = make_company()
    mentor = make_contact(company=company, active_until=ago(3))
    person = make_job_customer(associated_from=ago(500), advisor=advisor)
    placement = make_placement(job_customer=person, company=company, contact=mentor)
    _followup(placement, due_on=ago(40))
    make_consent(job_customer=person, company=company, expires_on=today() + 3 * DAY)
    make_period(job_customer=person)
    # A second job: accommodations not kept at its last follow-up, and hours up by 50 %.
    job = _job(advisor, hours=10, started_on=ago(200), job_customer=person)
    past = job.followups.filter(due_on__lt=today()).order_by("due_on")
    past.update(status=FollowUp.Status.HELD, held_on=ago(30))
    past.filter(pk=past.last().pk).update(held_on=ago(20), tasks_kept=Agreement.NO)
    placement_services.placement_update(
        user=advisor, placement=job, expected_version=None, hours_per_week=Decimal(15)
    )
    first = refresh()
    counts = Flag.objects.count(), FollowUp.objects.count(), Task.objects.count()
    second = refresh()
    assert (Flag.objects.count(), FollowUp.objects.count(), Task.objects.count()) == counts
    assert set(Flag.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert sum(v["raised"] for v in first.values()) == counts[0]
    assert all(v["raised"] == 0 and v["lapsed"] == 0 for v in second.values())


# --- resolving ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_resolving_names_the_person_and_needs_what_was_done(advisor):
    flag = make_flag()
    with pytest.raises(ValidationError) as exc:
        services.flag_resolve(user=advisor, flag=flag, resolution="  ")
    assert exc.value.message_dict["resolution"] == [str(services.RESOLUTION_REQUIRED)]
    services.flag_resolve(user=advisor, flag=flag, resolution="Ringede, alt vel")
    flag.refresh_from_db()
    assert flag.resolved_by == advisor and flag.resolution == "Ringede, alt vel"
    with pytest.raises(ValidationError) as exc:
        services.flag_resolve(user=advisor, flag=flag, resolution="Igen")
    assert exc.value.messages == [str(services.FLAG_NOT_OPEN)]

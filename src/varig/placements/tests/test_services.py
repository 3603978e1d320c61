import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from varig.core.services import STALE_EDIT
from varig.customers import services as customer_services
from varig.customers.models import Consent, ContactKind, ContactNote, Task, TaskKind
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company, make_contact
from varig.placements import services
from varig.placements.models import FollowUp, Placement, TierChange
from varig.placements.selectors import followups_overdue
from varig.placements.tests.factories import make_placement

D = datetime.date
K = FollowUp.Kind
S = FollowUp.Status

pytestmark = pytest.mark.django_db


def messages_of(exc_info, field=None):
    exc = exc_info.value
    if field is None:
        return exc.messages
    return [str(m) for e in exc.error_dict[field] for m in e.messages]


def create(user, **fields):
    fields.setdefault("job_customer", make_job_customer(advisor=user))
    fields.setdefault("company", make_company())
    fields.setdefault("kind", Placement.Kind.SKAANEJOB)
    fields.setdefault("started_on", D(2026, 1, 31))
    return services.placement_create(user=user, **fields)


def plan(placement, *, status=None):
    qs = placement.followups.order_by("due_on", "pk")
    if status:
        qs = qs.filter(status=status)
    return [(f.kind, f.months, f.due_on, f.status) for f in qs]


# --- creating ----------------------------------------------------------------------------------


def test_work_placement_gets_first_talk_and_3_6_12_month_meetings_at_month_ends(advisor):
    """A start on 31-01 gives 30-04 at 3 months and 31-07 at 6; windows are ±14 days."""
    placement = create(advisor, started_on=D(2026, 1, 31))
    assert plan(placement) == [
        (K.FIRST_TALK, 0, D(2026, 2, 14), S.PLANNED),
        (K.MONTH_3, 3, D(2026, 4, 30), S.PLANNED),
        (K.MONTH_6, 6, D(2026, 7, 31), S.PLANNED),
        (K.MONTH_12, 12, D(2027, 1, 31), S.PLANNED),
    ]
    month_3 = placement.followups.get(kind=K.MONTH_3)
    assert (month_3.window_start, month_3.window_end) == (D(2026, 4, 16), D(2026, 5, 14))
    first = placement.followups.get(kind=K.FIRST_TALK)
    assert (first.window_start, first.window_end) == (D(2026, 1, 31), D(2026, 2, 14))
    assert placement.followups.filter(job_customer=placement.job_customer).count() == 4


def test_leap_day_start_is_clamped_to_28_february_a_year_later(advisor):
    placement = create(advisor, kind=Placement.Kind.FLEKSJOB, started_on=D(2024, 2, 29))
    dues = {f.kind: f.due_on for f in placement.followups.all()}
    assert dues[K.MONTH_3] == D(2024, 5, 29)
    assert dues[K.MONTH_6] == D(2024, 8, 29)
    assert dues[K.MONTH_12] == D(2025, 2, 28)


def test_start_on_30_november_gives_28_february_at_3_months(advisor):
    placement = create(advisor, kind=Placement.Kind.ORDINAERT, started_on=D(2025, 11, 30))
    assert placement.followups.get(kind=K.MONTH_3).due_on == D(2026, 2, 28)


def test_yearly_option_adds_the_24_month_meeting(advisor):
    placement = create(advisor, started_on=D(2026, 1, 31), yearly_followups=True)
    yearly = placement.followups.get(kind=K.YEARLY)
    assert (yearly.months, yearly.due_on) == (24, D(2028, 1, 31))


def test_praktik_gets_its_own_plan(advisor):
    placement = create(
        advisor,
        kind=Placement.Kind.PRAKTIK,
        started_on=D(2026, 3, 2),
        planned_end_on=D(2026, 5, 31),
    )
    assert plan(placement) == [
        (K.PRAKTIK_CHECK, 0, D(2026, 3, 16), S.PLANNED),
        (K.PRAKTIK_END, 0, D(2026, 5, 24), S.PLANNED),
    ]


def test_praktik_without_planned_end_gets_only_the_check_in(advisor):
    placement = create(advisor, kind=Placement.Kind.PRAKTIK, started_on=D(2026, 3, 2))
    assert [f.kind for f in placement.followups.all()] == [K.PRAKTIK_CHECK]


def test_ref_is_numbered_when_blank_and_kept_when_given(advisor):
    first = create(advisor)
    second = create(advisor)
    own = create(advisor, ref="PL-IMPORT-7")
    assert first.ref == "PL-000001"
    assert second.ref == "PL-000002"
    assert own.ref == "PL-IMPORT-7"
    make_placement(ref="PL-000041")
    assert create(advisor).ref == "PL-000042"


def test_initial_tier_is_recorded_in_the_history(advisor):
    placement = create(advisor, tier=Placement.Tier.PERIPHERAL)
    change = placement.tier_changes.get()
    assert (change.tier, change.changed_on, change.changed_by) == (
        Placement.Tier.PERIPHERAL,
        placement.started_on,
        advisor,
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"hours_per_week": Decimal(0)}, "hours_per_week", services.HOURS_RANGE),
        ({"hours_per_week": Decimal(49)}, "hours_per_week", services.HOURS_RANGE),
        ({"hours_per_week": Decimal("-3")}, "hours_per_week", services.HOURS_RANGE),
        ({"hourly_wage": Decimal("-0.01")}, "hourly_wage", services.WAGE_NEGATIVE),
        ({"kind": "vikar"}, "kind", services.KIND_INVALID),
        ({"tier": "boss"}, "tier", services.TIER_INVALID),
        (
            {"kind": Placement.Kind.PRAKTIK, "planned_end_on": D(2026, 1, 30)},
            "planned_end_on",
            services.PLANNED_END_BEFORE_START,
        ),
        (
            {"kind": Placement.Kind.FLEKSJOB, "planned_end_on": D(2026, 6, 30)},
            "planned_end_on",
            services.PLANNED_END_ONLY_PRAKTIK,
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(advisor, fields, field, message):
    with pytest.raises(ValidationError) as exc_info:
        create(advisor, started_on=D(2026, 1, 31), **fields)
    assert str(message) in messages_of(exc_info, field)
    assert Placement.objects.count() == 0
    assert FollowUp.objects.count() == 0
    assert TierChange.objects.count() == 0


def test_hours_at_the_limits_are_accepted(advisor):
    assert create(advisor, hours_per_week=Decimal(48)).hours_per_week == 48
    assert create(advisor, hours_per_week=Decimal("0.5")).hours_per_week == Decimal("0.5")


def test_contact_of_another_company_is_refused(advisor):
    company = make_company()
    stranger = make_contact(company=make_company())
    with pytest.raises(ValidationError) as exc_info:
        create(advisor, company=company, contact=stranger)
    assert str(services.CONTACT_OTHER_COMPANY) in messages_of(exc_info, "contact")
    assert Placement.objects.count() == 0


def test_contact_of_the_company_is_kept(advisor):
    company = make_company()
    contact = make_contact(company=company)
    assert create(advisor, company=company, contact=contact).contact == contact


# --- updating ----------------------------------------------------------------------------------


def hold(followup, user, day):
    return services.followup_record(
        user=user, followup=followup, held_on=day, with_job_customer=True, with_advisor=True
    )


def test_moving_the_start_moves_planned_follow_ups_but_never_held_ones(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    first = placement.followups.get(kind=K.FIRST_TALK)
    hold(first, advisor, D(2025, 2, 10))
    services.placement_update(
        user=advisor,
        placement=placement,
        expected_version=placement.version,
        started_on=D(2025, 2, 3),
    )
    assert plan(placement) == [
        (K.FIRST_TALK, 0, D(2025, 2, 14), S.HELD),
        (K.MONTH_3, 3, D(2025, 5, 3), S.PLANNED),
        (K.MONTH_6, 6, D(2025, 8, 3), S.PLANNED),
        (K.MONTH_12, 12, D(2026, 2, 3), S.PLANNED),
    ]
    first.refresh_from_db()
    assert (first.window_start, first.window_end, first.held_on) == (
        D(2025, 1, 31),
        D(2025, 2, 14),
        D(2025, 2, 10),
    )


def test_moving_the_start_to_a_month_end_clamps_the_meetings(advisor):
    placement = create(advisor, started_on=D(2025, 1, 15))
    services.placement_update(
        user=advisor, placement=placement, expected_version=None, started_on=D(2025, 8, 31)
    )
    dues = {f.kind: f.due_on for f in placement.followups.planned()}
    assert dues[K.MONTH_6] == D(2026, 2, 28)
    assert dues[K.MONTH_3] == D(2025, 11, 30)


def test_a_stale_edit_is_refused_and_saves_nothing(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    stale_version = placement.version
    services.placement_update(
        user=advisor, placement=placement, expected_version=stale_version, tasks="Kasse"
    )
    again = Placement.objects.get(pk=placement.pk)
    with pytest.raises(ValidationError) as exc_info:
        services.placement_update(
            user=advisor,
            placement=again,
            expected_version=stale_version,
            started_on=D(2025, 3, 1),
        )
    assert exc_info.value.messages == [str(STALE_EDIT)]
    again.refresh_from_db()
    assert again.started_on == D(2025, 1, 31)
    assert placement.followups.get(kind=K.MONTH_3).due_on == D(2025, 4, 30)


def test_switching_yearly_on_and_off_creates_and_cancels_the_planned_yearly_meeting(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    services.placement_update(
        user=advisor, placement=placement, expected_version=None, yearly_followups=True
    )
    assert placement.followups.planned().filter(kind=K.YEARLY, months=24).count() == 1
    services.placement_update(
        user=advisor, placement=placement, expected_version=None, yearly_followups=False
    )
    assert placement.followups.planned().filter(kind=K.YEARLY).count() == 0
    assert placement.followups.filter(kind=K.YEARLY, status=S.CANCELLED).count() == 1
    services.placement_update(
        user=advisor, placement=placement, expected_version=None, yearly_followups=True
    )
    assert placement.followups.planned().filter(kind=K.YEARLY, months=24).count() == 1


def test_changing_the_planned_end_moves_the_praktik_end_talk(advisor):
    placement = create(
        advisor,
        kind=Placement.Kind.PRAKTIK,
        started_on=D(2026, 3, 2),
        planned_end_on=D(2026, 5, 31),
    )
    services.placement_update(
        user=advisor, placement=placement, expected_version=None, planned_end_on=D(2026, 6, 30)
    )
    assert placement.followups.get(kind=K.PRAKTIK_END).due_on == D(2026, 6, 23)
    services.placement_update(
        user=advisor, placement=placement, expected_version=None, planned_end_on=None
    )
    assert placement.followups.planned().filter(kind=K.PRAKTIK_END).count() == 0


def test_update_with_bad_hours_saves_nothing(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31), hours_per_week=Decimal(10))
    with pytest.raises(ValidationError) as exc_info:
        services.placement_update(
            user=advisor,
            placement=placement,
            expected_version=placement.version,
            hours_per_week=Decimal(49),
            started_on=D(2025, 3, 1),
        )
    assert str(services.HOURS_RANGE) in messages_of(exc_info, "hours_per_week")
    stored = Placement.objects.get(pk=placement.pk)
    assert (stored.hours_per_week, stored.started_on, stored.version) == (
        10,
        D(2025, 1, 31),
        1,
    )
    assert placement.followups.get(kind=K.MONTH_3).due_on == D(2025, 4, 30)


def test_a_praktik_cannot_become_employment_by_editing(advisor):
    placement = create(advisor, kind=Placement.Kind.PRAKTIK)
    with pytest.raises(ValidationError) as exc_info:
        services.placement_update(
            user=advisor, placement=placement, expected_version=None, kind="fleksjob"
        )
    assert str(services.KIND_GROUP_CHANGE) in messages_of(exc_info, "kind")


def test_changing_the_tier_in_an_edit_writes_the_history(advisor):
    placement = create(advisor)
    services.placement_update(
        user=advisor, placement=placement, expected_version=None, tier=Placement.Tier.CORE
    )
    assert [c.tier for c in placement.tier_changes.order_by("pk")] == [
        Placement.Tier.MARGINAL,
        Placement.Tier.CORE,
    ]


# --- ending ------------------------------------------------------------------------------------


def test_ending_cancels_the_planned_follow_ups_after_the_end(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    hold(placement.followups.get(kind=K.FIRST_TALK), advisor, D(2025, 2, 12))
    services.placement_end(
        user=advisor,
        placement=placement,
        ended_on=D(2025, 6, 30),
        reason_category=Placement.EndReason.HEALTH,
        reason="Tilbagefald",
        lessons_learned="Færre timer i starten",
    )
    assert plan(placement) == [
        (K.FIRST_TALK, 0, D(2025, 2, 14), S.HELD),
        (K.MONTH_3, 3, D(2025, 4, 30), S.PLANNED),
        (K.MONTH_6, 6, D(2025, 7, 31), S.CANCELLED),
        (K.MONTH_12, 12, D(2026, 1, 31), S.CANCELLED),
    ]
    placement.refresh_from_db()
    assert placement.ended_on == D(2025, 6, 30)
    assert placement.end_reason_category == Placement.EndReason.HEALTH
    assert placement.lessons_learned == "Færre timer i starten"
    assert not Task.objects.exists()


def test_an_end_before_the_start_is_refused_and_saves_nothing(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    with pytest.raises(ValidationError) as exc_info:
        services.placement_end(
            user=advisor,
            placement=placement,
            ended_on=D(2025, 1, 30),
            reason_category=Placement.EndReason.OTHER,
        )
    assert str(services.END_BEFORE_START) in messages_of(exc_info, "ended_on")
    stored = Placement.objects.get(pk=placement.pk)
    assert stored.ended_on is None
    assert placement.followups.planned().count() == 4


def test_ending_twice_is_refused(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    kwargs = {"user": advisor, "placement": placement, "reason_category": "own_wish"}
    services.placement_end(ended_on=D(2025, 3, 1), **kwargs)
    with pytest.raises(ValidationError) as exc_info:
        services.placement_end(ended_on=D(2025, 4, 1), **kwargs)
    assert str(services.ALREADY_ENDED) in messages_of(exc_info, "ended_on")


def test_replacement_wanted_creates_a_task_for_the_advisor(advisor, consultant):
    placement = create(advisor, started_on=D(2025, 1, 31))
    services.placement_end(
        user=consultant,
        placement=placement,
        ended_on=D(2025, 3, 1),
        reason_category=Placement.EndReason.COMPANY,
        replacement_wanted=True,
    )
    task = Task.objects.get()
    assert task.kind == TaskKind.REPLACEMENT
    assert task.assigned_to == advisor
    assert task.job_customer == placement.job_customer
    assert task.created_by == consultant
    assert placement.company.name in task.title


# --- converting a praktik ----------------------------------------------------------------------


def make_praktik(advisor, **fields):
    fields.setdefault("planned_end_on", D(2025, 5, 31))
    return create(advisor, kind=Placement.Kind.PRAKTIK, started_on=D(2025, 3, 3), **fields)


def test_conversion_ends_the_praktik_the_day_before_and_links_the_employment(advisor):
    contact = make_contact()
    praktik = make_praktik(advisor, company=contact.company, contact=contact, tasks="Lager")
    employment = services.praktik_convert(
        user=advisor,
        praktik=praktik,
        kind=Placement.Kind.SKAANEJOB,
        started_on=D(2025, 5, 1),
        hours_per_week=Decimal(15),
    )
    praktik.refresh_from_db()
    assert praktik.ended_on == D(2025, 4, 30)
    assert praktik.end_reason_category == Placement.EndReason.CONVERTED
    assert employment.previous == praktik
    assert praktik.continuation == employment
    assert (employment.company, employment.job_customer) == (praktik.company, praktik.job_customer)
    assert (employment.contact, employment.tasks) == (contact, "Lager")
    assert [f.kind for f in employment.followups.order_by("due_on")] == [
        K.FIRST_TALK,
        K.MONTH_3,
        K.MONTH_6,
        K.MONTH_12,
    ]
    assert employment.followups.get(kind=K.MONTH_3).due_on == D(2025, 8, 1)
    # The employment's own plan replaces every follow-up of the praktik still planned: the
    # talk before the planned end (24-05) and the check-in due before the conversion too.
    assert praktik.followups.get(kind=K.PRAKTIK_END).status == S.CANCELLED
    assert praktik.followups.get(kind=K.PRAKTIK_CHECK).status == S.CANCELLED
    assert not praktik.followups.planned().exists()


def test_conversion_drops_the_praktiks_missed_check_in_from_the_overdue_list(advisor):
    """A praktik check-in that was never held stops being overdue once the praktik converts."""
    praktik = make_praktik(advisor)
    check_in = praktik.followups.get(kind=K.PRAKTIK_CHECK)
    late = check_in.window_end + datetime.timedelta(days=46)
    assert check_in in followups_overdue(on=late)
    services.praktik_convert(
        user=advisor, praktik=praktik, kind=Placement.Kind.SKAANEJOB, started_on=D(2025, 5, 1)
    )
    assert check_in not in followups_overdue(on=late)


def test_conversion_keeps_held_follow_ups_of_the_praktik(advisor):
    praktik = make_praktik(advisor)
    check_in = praktik.followups.get(kind=K.PRAKTIK_CHECK)
    services.followup_record(
        user=advisor, followup=check_in, held_on=check_in.due_on, with_job_customer=True
    )
    services.praktik_convert(
        user=advisor, praktik=praktik, kind=Placement.Kind.SKAANEJOB, started_on=D(2025, 5, 1)
    )
    check_in.refresh_from_db()
    assert check_in.status == S.HELD


def test_a_praktik_cannot_be_converted_twice(advisor):
    praktik = make_praktik(advisor)
    kwargs = {"user": advisor, "praktik": praktik, "kind": Placement.Kind.FLEKSJOB}
    services.praktik_convert(started_on=D(2025, 5, 1), **kwargs)
    with pytest.raises(ValidationError) as exc_info:
        services.praktik_convert(started_on=D(2025, 6, 1), **kwargs)
    assert exc_info.value.messages == [str(services.ALREADY_CONVERTED)]
    assert Placement.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "started_on", "field", "message"),
    [
        (Placement.Kind.PRAKTIK, D(2025, 5, 1), "kind", services.EMPLOYMENT_KIND_REQUIRED),
        ("vikar", D(2025, 5, 1), "kind", services.EMPLOYMENT_KIND_REQUIRED),
        (
            Placement.Kind.SKAANEJOB,
            D(2025, 3, 3),
            "started_on",
            services.EMPLOYMENT_START_TOO_EARLY,
        ),
    ],
)
def test_conversion_with_bad_input_saves_nothing(advisor, kind, started_on, field, message):
    praktik = make_praktik(advisor)
    with pytest.raises(ValidationError) as exc_info:
        services.praktik_convert(user=advisor, praktik=praktik, kind=kind, started_on=started_on)
    assert str(message) in messages_of(exc_info, field)
    praktik.refresh_from_db()
    assert praktik.ended_on is None
    assert Placement.objects.count() == 1


def test_only_a_praktik_can_be_converted(advisor):
    job = create(advisor)
    with pytest.raises(ValidationError) as exc_info:
        services.praktik_convert(
            user=advisor, praktik=job, kind=Placement.Kind.ORDINAERT, started_on=D(2026, 6, 1)
        )
    assert exc_info.value.messages == [str(services.NOT_A_PRAKTIK)]


def test_conversion_with_bad_hours_leaves_the_praktik_open(advisor):
    praktik = make_praktik(advisor)
    with pytest.raises(ValidationError):
        services.praktik_convert(
            user=advisor,
            praktik=praktik,
            kind=Placement.Kind.SKAANEJOB,
            started_on=D(2025, 5, 1),
            hours_per_week=Decimal(0),
        )
    praktik.refresh_from_db()
    assert praktik.ended_on is None
    assert praktik.followups.planned().count() == 2


# --- tiers -------------------------------------------------------------------------------------


def test_tier_changes_build_the_history_and_the_newest_date_wins(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    services.tier_change(
        user=advisor,
        placement=placement,
        tier=Placement.Tier.CORE,
        changed_on=D(2025, 12, 1),
        note="Fastansat",
    )
    services.tier_change(
        user=advisor,
        placement=placement,
        tier=Placement.Tier.PERIPHERAL,
        changed_on=D(2025, 6, 1),
    )
    placement.refresh_from_db()
    assert placement.tier == Placement.Tier.CORE
    assert [(c.tier, c.changed_on) for c in placement.tier_changes.all()] == [
        (Placement.Tier.CORE, D(2025, 12, 1)),
        (Placement.Tier.PERIPHERAL, D(2025, 6, 1)),
        (Placement.Tier.MARGINAL, D(2025, 1, 31)),
    ]


def test_a_tier_change_before_the_start_is_refused(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    with pytest.raises(ValidationError) as exc_info:
        services.tier_change(
            user=advisor, placement=placement, tier="core", changed_on=D(2025, 1, 1)
        )
    assert str(services.TIER_CHANGE_BEFORE_START) in messages_of(exc_info, "changed_on")
    assert placement.tier_changes.count() == 1


# --- recording follow-ups ----------------------------------------------------------------------


def record(followup, user, **fields):
    fields.setdefault("held_on", timezone.localdate())
    fields.setdefault("with_job_customer", True)
    fields.setdefault("with_advisor", True)
    return services.followup_record(user=user, followup=followup, **fields)


def test_recording_a_follow_up_stores_the_meeting(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    followup = placement.followups.get(kind=K.MONTH_3)
    record(
        followup,
        advisor,
        held_on=D(2025, 5, 2),
        hours_kept="yes",
        tasks_kept="partly",
        other_kept="no",
        accommodations_note="Faste opgaver er gledet",
        wellbeing=4,
        wants_more_hours=True,
        wants_upskilling=True,
        development_outcome="Truckcertifikat undersøges",
        agreed_actions="Vejleder kontakter AMU",
    )
    followup.refresh_from_db()
    assert followup.status == S.HELD
    assert followup.held_on == D(2025, 5, 2)
    assert followup.recorded_by == advisor
    assert followup.accommodations_not_kept
    assert (followup.wellbeing, followup.wants_more_hours, followup.wants_new_tasks) == (
        4,
        True,
        False,
    )


def test_a_follow_up_in_the_future_is_refused(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    followup = placement.followups.get(kind=K.MONTH_3)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        record(followup, advisor, held_on=tomorrow)
    assert str(services.FOLLOWUP_IN_FUTURE) in messages_of(exc_info, "held_on")
    followup.refresh_from_db()
    assert (followup.status, followup.held_on) == (S.PLANNED, None)


def test_a_follow_up_before_the_start_is_refused(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    with pytest.raises(ValidationError) as exc_info:
        record(placement.followups.get(kind=K.FIRST_TALK), advisor, held_on=D(2025, 1, 30))
    assert str(services.FOLLOWUP_BEFORE_START) in messages_of(exc_info, "held_on")


def test_a_cancelled_follow_up_cannot_be_recorded(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    services.placement_end(
        user=advisor, placement=placement, ended_on=D(2025, 2, 1), reason_category="other"
    )
    with pytest.raises(ValidationError) as exc_info:
        record(placement.followups.get(kind=K.MONTH_12), advisor, held_on=D(2025, 2, 1))
    assert exc_info.value.messages == [str(services.FOLLOWUP_CANCELLED)]


def test_a_follow_up_needs_a_participant(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    with pytest.raises(ValidationError) as exc_info:
        record(
            placement.followups.get(kind=K.MONTH_3),
            advisor,
            with_job_customer=False,
            with_advisor=False,
        )
    assert str(services.NO_PARTICIPANTS) in messages_of(exc_info, "with_job_customer")


def test_meeting_the_company_without_consent_is_refused(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    followup = placement.followups.get(kind=K.MONTH_3)
    with pytest.raises(ValidationError) as exc_info:
        record(followup, advisor, held_on=D(2025, 5, 1), with_company_contact=True)
    assert str(services.CONSENT_REQUIRED) in messages_of(exc_info, "consent_override_reason")
    followup.refresh_from_db()
    assert followup.status == S.PLANNED
    assert not ContactNote.objects.exists()


def test_consent_withdrawn_before_the_meeting_does_not_count(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    Consent.objects.create(
        job_customer=placement.job_customer,
        company=placement.company,
        given_on=D(2025, 1, 1),
        withdrawn_on=D(2025, 4, 1),
    )
    with pytest.raises(ValidationError):
        record(
            placement.followups.get(kind=K.MONTH_3),
            advisor,
            held_on=D(2025, 5, 1),
            with_company_contact=True,
        )


def test_meeting_the_company_with_consent_is_recorded_without_a_note(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    Consent.objects.create(
        job_customer=placement.job_customer,
        company=placement.company,
        given_on=D(2025, 1, 20),
        may_contact=True,
    )
    followup = record(
        placement.followups.get(kind=K.MONTH_3),
        advisor,
        held_on=D(2025, 5, 1),
        with_company_contact=True,
    )
    assert followup.status == S.HELD
    assert followup.with_company_contact
    assert not ContactNote.objects.exists()


def test_consent_for_another_company_does_not_count(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    Consent.objects.create(
        job_customer=placement.job_customer, company=make_company(), given_on=D(2025, 1, 1)
    )
    with pytest.raises(ValidationError):
        record(
            placement.followups.get(kind=K.MONTH_3),
            advisor,
            held_on=D(2025, 5, 1),
            with_company_contact=True,
        )


def test_an_override_records_the_meeting_and_a_timeline_note_with_the_reason(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    followup = record(
        placement.followups.get(kind=K.MONTH_3),
        advisor,
        held_on=D(2025, 5, 1),
        with_company_contact=True,
        consent_override_reason="  Mundtligt samtykke i telefonen  ",
    )
    assert followup.status == S.HELD
    note = ContactNote.objects.get()
    assert note.job_customer == placement.job_customer
    assert note.company == placement.company
    assert note.consent_override_reason == "Mundtligt samtykke i telefonen"
    assert note.author == advisor
    assert timezone.localtime(note.occurred_at).date() == D(2025, 5, 1)


def test_a_12_month_meeting_held_with_yearly_on_plans_the_next_yearly_one(advisor):
    placement = create(advisor, started_on=D(2023, 1, 31), yearly_followups=True)
    record(placement.followups.get(kind=K.MONTH_12), advisor, held_on=D(2024, 2, 1))
    record(placement.followups.get(kind=K.YEARLY, months=24), advisor, held_on=D(2025, 2, 3))
    yearly = placement.followups.filter(kind=K.YEARLY).order_by("months")
    assert [(f.months, f.due_on, f.status) for f in yearly] == [
        (24, D(2025, 1, 31), S.HELD),
        (36, D(2026, 1, 31), S.PLANNED),
    ]
    # Recording again (a correction) does not add another one.
    record(placement.followups.get(kind=K.YEARLY, months=24), advisor, held_on=D(2025, 2, 4))
    assert placement.followups.filter(kind=K.YEARLY).count() == 2


def test_the_12_month_meeting_without_yearly_plans_nothing_more(advisor):
    placement = create(advisor, started_on=D(2023, 1, 31))
    record(placement.followups.get(kind=K.MONTH_12), advisor, held_on=D(2024, 2, 1))
    assert not placement.followups.filter(kind=K.YEARLY).exists()


def test_a_later_start_move_keeps_the_added_yearly_meetings(advisor):
    placement = create(advisor, started_on=D(2023, 1, 31), yearly_followups=True)
    record(placement.followups.get(kind=K.YEARLY, months=24), advisor, held_on=D(2025, 2, 3))
    services.placement_update(
        user=advisor, placement=placement, expected_version=None, started_on=D(2023, 2, 28)
    )
    month_36 = placement.followups.get(kind=K.YEARLY, months=36)
    assert (month_36.status, month_36.due_on) == (S.PLANNED, D(2026, 2, 28))
    assert placement.followups.get(kind=K.YEARLY, months=24).due_on == D(2025, 1, 31)


# --- the extra cadence -------------------------------------------------------------------------


def test_extra_cadence_keeps_exactly_one_planned_extra_follow_up(advisor):
    person = make_job_customer(advisor=advisor, extra_followup_weeks=4)
    today = D(2026, 3, 2)
    first = services.extra_followup_ensure(job_customer=person, today=today)
    again = services.extra_followup_ensure(job_customer=person, today=today)
    assert first.pk == again.pk
    extras = FollowUp.objects.filter(job_customer=person, kind=K.EXTRA)
    assert extras.count() == 1
    assert (first.due_on, first.window_start, first.window_end) == (
        D(2026, 3, 30),
        D(2026, 3, 23),
        D(2026, 4, 6),
    )
    assert first.placement is None


def test_extra_follow_up_counts_from_the_last_held_one_and_sits_on_the_work_placement(advisor):
    person = make_job_customer(advisor=advisor)
    placement = create(advisor, job_customer=person, started_on=D(2025, 1, 31))
    record(placement.followups.get(kind=K.MONTH_3), advisor, held_on=D(2025, 5, 2))
    person.extra_followup_weeks = 6
    person.save()
    extra = services.extra_followup_ensure(job_customer=person, today=D(2025, 5, 10))
    assert extra.due_on == D(2025, 6, 13)
    assert extra.placement == placement


def test_recording_the_extra_follow_up_plans_the_next_one(advisor):
    person = make_job_customer(advisor=advisor, extra_followup_weeks=4)
    extra = services.extra_followup_ensure(job_customer=person)
    held_on = timezone.localdate()
    record(extra, advisor, held_on=held_on)
    planned = FollowUp.objects.get(job_customer=person, kind=K.EXTRA, status=S.PLANNED)
    assert planned.pk != extra.pk
    assert planned.due_on == held_on + datetime.timedelta(weeks=4)
    assert FollowUp.objects.filter(job_customer=person, kind=K.EXTRA).count() == 2


def test_unsetting_the_cadence_cancels_the_planned_extra_follow_up(advisor):
    person = make_job_customer(advisor=advisor, extra_followup_weeks=4)
    extra = services.extra_followup_ensure(job_customer=person)
    person.extra_followup_weeks = None
    person.save()
    assert services.extra_followup_ensure(job_customer=person) is None
    extra.refresh_from_db()
    assert extra.status == S.CANCELLED
    assert services.extra_followup_ensure(job_customer=person) is None


def test_changing_the_cadence_moves_the_planned_one_instead_of_adding_another(advisor):
    person = make_job_customer(advisor=advisor, extra_followup_weeks=4)
    today = D(2026, 3, 2)
    first = services.extra_followup_ensure(job_customer=person, today=today)
    person.extra_followup_weeks = 2
    person.save()
    moved = services.extra_followup_ensure(job_customer=person, today=today)
    assert moved.pk == first.pk
    assert moved.due_on == D(2026, 3, 16)
    assert FollowUp.objects.filter(job_customer=person, kind=K.EXTRA).count() == 1


def test_starting_a_work_placement_attaches_the_planned_extra_follow_up(advisor):
    person = make_job_customer(advisor=advisor, extra_followup_weeks=4)
    services.extra_followup_ensure(job_customer=person)
    placement = create(advisor, job_customer=person, started_on=timezone.localdate())
    extra = FollowUp.objects.get(job_customer=person, kind=K.EXTRA, status=S.PLANNED)
    assert extra.placement == placement


# --- dropping a follow-up ----------------------------------------------------------------------


def test_a_planned_follow_up_is_dropped_with_its_reason_and_audited(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    followup = placement.followups.get(kind=K.FIRST_TALK)
    dropped = services.followup_cancel(
        user=advisor, followup=followup, reason="  Kunden er flyttet.  "
    )
    followup.refresh_from_db()
    assert dropped == followup
    assert followup.status == S.CANCELLED
    assert followup.cancel_reason == "Kunden er flyttet."
    # The actor comes from the request (see the view test); the change itself is logged here.
    entry = LogEntry.objects.get_for_object(followup).order_by("-timestamp", "-pk").first()
    assert entry.changes_dict["status"] == ["planned", "cancelled"]
    assert entry.changes_dict["cancel_reason"][1] == "Kunden er flyttet."


def test_a_dropped_follow_up_is_no_longer_overdue(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    followup = placement.followups.get(kind=K.FIRST_TALK)
    late = followup.window_end + datetime.timedelta(days=46)
    assert followup in followups_overdue(on=late)
    services.followup_cancel(user=advisor, followup=followup, reason="Ikke længere relevant")
    assert followup not in followups_overdue(on=late)
    assert followup.pk not in {f.pk for f in followups_overdue(on=late, advisor=advisor)}


@pytest.mark.parametrize("reason", ["", "   "])
def test_dropping_a_follow_up_needs_a_reason(advisor, reason):
    placement = create(advisor)
    followup = placement.followups.get(kind=K.FIRST_TALK)
    with pytest.raises(ValidationError) as exc_info:
        services.followup_cancel(user=advisor, followup=followup, reason=reason)
    assert messages_of(exc_info, "cancel_reason") == [str(services.CANCEL_REASON_REQUIRED)]
    followup.refresh_from_db()
    assert (followup.status, followup.cancel_reason) == (S.PLANNED, "")


def test_a_held_follow_up_cannot_be_dropped(advisor):
    placement = create(advisor, started_on=D(2025, 1, 31))
    followup = placement.followups.get(kind=K.FIRST_TALK)
    services.followup_record(
        user=advisor, followup=followup, held_on=D(2025, 2, 10), with_job_customer=True
    )
    with pytest.raises(ValidationError) as exc_info:
        services.followup_cancel(user=advisor, followup=followup, reason="Fejl")
    assert exc_info.value.messages == [str(services.CANCEL_NOT_PLANNED)]
    followup.refresh_from_db()
    assert (followup.status, followup.cancel_reason) == (S.HELD, "")


def test_a_cancelled_follow_up_cannot_be_dropped_again(advisor):
    placement = create(advisor)
    followup = placement.followups.get(kind=K.FIRST_TALK)
    services.followup_cancel(user=advisor, followup=followup, reason="Første grund")
    with pytest.raises(ValidationError) as exc_info:
        services.followup_cancel(user=advisor, followup=followup, reason="Anden grund")
    assert exc_info.value.messages == [str(services.CANCEL_NOT_PLANNED)]
    followup.refresh_from_db()
    assert followup.cancel_reason == "Første grund"


# --- the consent rule's one trace --------------------------------------------------------------


def _override_trace(job_customer):
    """What a consent override leaves behind: the timeline note and the audit entry."""
    note = ContactNote.objects.get(job_customer=job_customer)
    entry = LogEntry.objects.get(
        object_pk=str(job_customer.pk), additional_data__has_key="consent_override"
    )
    return {
        "note": (note.company_id, note.consent_override_reason, note.author_id),
        "entry": (
            entry.actor_id,
            entry.action,
            entry.content_type.model,
            {k: v for k, v in entry.additional_data["consent_override"].items() if k != "note_id"},
        ),
        "links_note": entry.additional_data["consent_override"]["note_id"] == note.pk,
    }


def test_both_paths_record_a_consent_override_the_same_way(advisor):
    company = make_company(name="Bageriet Solsikken ApS")
    reason = "Personen bad selv om mødet"
    # A follow-up with the company contact, without consent…
    placement = create(advisor, company=company, started_on=D(2025, 1, 31))
    record(
        placement.followups.get(kind=K.MONTH_3),
        advisor,
        held_on=D(2025, 5, 1),
        with_company_contact=True,
        consent_override_reason=reason,
    )
    # …and a note about contacting the company on another person's timeline.
    other = make_job_customer(advisor=advisor)
    customer_services.contact_note_create(
        actor=advisor,
        job_customer=other,
        kind=ContactKind.MEETING,
        text="Møde med virksomheden",
        occurred_at=timezone.make_aware(datetime.datetime(2025, 5, 1, 12)),
        company=company,
        consent_override_reason=reason,
    )
    from_followup = _override_trace(placement.job_customer)
    from_note = _override_trace(other)
    assert from_followup == from_note
    assert from_followup["note"] == (company.pk, reason, advisor.pk)
    assert from_followup["entry"][0] == advisor.pk
    assert from_followup["links_note"]

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from varig.callrounds import services
from varig.callrounds.models import Call, CallAttempt, Campaign
from varig.callrounds.tests.factories import make_campaign
from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.models import CaseloadShare, ContactKind, ContactNote, Task
from varig.customers.selectors import can_view_job_customer
from varig.customers.tests.factories import make_job_customer, make_share
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement

DAY = datetime.timedelta(days=1)
Outcome = CallAttempt.Outcome


def today():
    return timezone.localdate()


def people(advisor, n, **fields):
    return [
        make_job_customer(advisor=advisor, last_name=f"Navn{i:02d}", **fields) for i in range(n)
    ]


# --- who is on the list ---------------------------------------------------------------------


@pytest.mark.django_db
def test_everyone_associated_today_is_on_the_list_once(manager, advisor):
    mine = people(advisor, 3)
    make_job_customer(advisor=advisor, associated_until=today() - DAY)  # left
    make_job_customer(advisor=advisor, associated_from=today() + DAY)  # not yet
    campaign = make_campaign(user=manager, callers=[advisor])
    assert set(campaign.calls.values_list("job_customer", flat=True)) == {p.pk for p in mine}
    assert campaign.starts_on == today()
    assert all(
        c.status == Call.Status.OPEN and c.next_try_on == today() for c in campaign.calls.all()
    )


@pytest.mark.django_db
def test_in_work_means_a_work_placement_today_and_not_a_praktik(manager, advisor):
    working, praktik, ended, _idle = people(advisor, 4)
    make_placement(job_customer=working, started_on=today() - 30 * DAY)
    make_placement(job_customer=praktik, kind=Placement.Kind.PRAKTIK, started_on=today() - 5 * DAY)
    make_placement(job_customer=ended, started_on=today() - 90 * DAY, ended_on=today() - DAY)
    campaign = make_campaign(user=manager, callers=[advisor], audience=Campaign.Audience.IN_WORK)
    assert list(campaign.calls.values_list("job_customer", flat=True)) == [working.pk]


@pytest.mark.django_db
def test_one_advisors_caseload(manager, advisor, other_advisor):
    mine = people(advisor, 2)
    people(other_advisor, 2)
    campaign = make_campaign(user=manager, callers=[advisor, other_advisor], advisor=advisor)
    assert set(campaign.calls.values_list("job_customer", flat=True)) == {p.pk for p in mine}


# --- sharing out ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_is_shared_evenly_own_advisor_first(manager, advisor, other_advisor, consultant):
    """9 persons of Vera's, 3 of Ole's, none of Karin's: 4 calls each; Vera keeps 4 of her own,
    Ole his 3 (and one of Vera's), Karin gets the rest."""
    veras = people(advisor, 9)
    oles = people(other_advisor, 3)
    campaign = make_campaign(user=manager, callers=[advisor, other_advisor, consultant])
    calls = {c.job_customer_id: c.caller_id for c in campaign.calls.all()}
    load = {u.pk: list(calls.values()).count(u.pk) for u in (advisor, other_advisor, consultant)}
    assert load == {advisor.pk: 4, other_advisor.pk: 4, consultant.pk: 4}
    assert all(calls[p.pk] == other_advisor.pk for p in oles)
    assert [calls[p.pk] for p in veras[:4]] == [advisor.pk] * 4


@pytest.mark.django_db
def test_a_caller_outside_the_caseload_gets_a_share_until_the_last_day(
    manager, advisor, consultant
):
    person = make_job_customer(advisor=advisor)
    assert not can_view_job_customer(user=consultant, job_customer=person)
    campaign = make_campaign(user=manager, callers=[consultant])
    call = campaign.calls.get()
    assert call.share.user == consultant and call.share.until == campaign.ends_on
    assert call.share.reason == "Ringerunde: Corona-ringerunde"
    assert can_view_job_customer(user=consultant, job_customer=person)


@pytest.mark.django_db
def test_no_share_where_the_caller_already_sees_the_person(manager, advisor, other_advisor):
    own = make_job_customer(advisor=advisor)
    unassigned = make_job_customer(advisor=None)
    shared = make_job_customer(advisor=other_advisor)
    existing = make_share(job_customer=shared, user=advisor)
    campaign = make_campaign(user=manager, callers=[advisor], advisor=None)
    assert not campaign.calls.filter(share__isnull=False).exists()
    assert CaseloadShare.objects.filter(ended_at__isnull=True).get() == existing
    assert campaign.calls.count() == 3 and {own.pk, unassigned.pk, shared.pk} == set(
        campaign.calls.values_list("job_customer", flat=True)
    )


@pytest.mark.django_db
def test_a_lapsed_open_share_is_replaced(manager, advisor, consultant):
    person = make_job_customer(advisor=advisor)
    old = make_share(job_customer=person, user=consultant, until=today() - 3 * DAY)
    campaign = make_campaign(user=manager, callers=[consultant])
    old.refresh_from_db()
    assert old.ended_at is not None
    assert campaign.calls.get().share.until == campaign.ends_on


@pytest.mark.django_db
def test_managers_as_callers_need_no_share(manager, advisor):
    make_job_customer(advisor=advisor)
    campaign = make_campaign(user=manager, callers=[manager])
    assert campaign.calls.get().share is None


# --- validation -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_managers_and_administrators_start_a_call_round(advisor, administrator):
    make_job_customer(advisor=advisor)
    with pytest.raises(PermissionDenied):
        make_campaign(user=advisor, callers=[advisor])
    assert make_campaign(user=administrator, callers=[advisor]).calls.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "  "}, "name", services.NAME_REQUIRED),
        ({"audience": "everyone"}, "audience", services.AUDIENCE_INVALID),
        ({"callers": []}, "callers", services.CALLERS_REQUIRED),
        ({"ends_on": "yesterday"}, "ends_on", services.ENDS_BEFORE_TODAY),
        ({"ends_on": 91}, "ends_on", services.ENDS_TOO_LATE),
        ({"max_attempts": 0}, "max_attempts", services.ATTEMPTS_RANGE),
        ({"max_attempts": 11}, "max_attempts", services.ATTEMPTS_RANGE),
        ({"retry_after_days": 15}, "retry_after_days", services.RETRY_RANGE),
    ],
)
def test_bad_campaigns_are_refused_and_nothing_is_saved(manager, advisor, fields, field, message):
    make_job_customer(advisor=advisor)
    if fields.get("ends_on") == "yesterday":
        fields["ends_on"] = today() - DAY
    elif isinstance(fields.get("ends_on"), int):
        fields["ends_on"] = today() + fields["ends_on"] * DAY
    fields.setdefault("callers", [advisor])
    with pytest.raises(ValidationError) as exc:
        make_campaign(user=manager, **fields)
    assert exc.value.message_dict[field] == [str(message)]
    assert not Campaign.objects.exists() and not Call.objects.exists()


@pytest.mark.django_db
def test_inactive_or_roleless_callers_and_a_non_advisor_filter_are_refused(
    manager, advisor, consultant
):
    make_job_customer(advisor=advisor)
    gone = make_user(role=Role.ADVISOR, is_active=False)
    with pytest.raises(ValidationError) as exc:
        make_campaign(user=manager, callers=[gone])
    assert exc.value.message_dict["callers"] == [str(services.CALLER_NOT_STAFF)]
    with pytest.raises(ValidationError) as exc:
        make_campaign(user=manager, callers=[make_user(role=None)])
    assert exc.value.message_dict["callers"] == [str(services.CALLER_NOT_STAFF)]
    with pytest.raises(ValidationError) as exc:
        make_campaign(user=manager, callers=[advisor], advisor=consultant)
    assert exc.value.message_dict["advisor"] == [str(services.ADVISOR_INVALID)]


@pytest.mark.django_db
def test_a_filter_that_matches_no_one_is_refused(manager, advisor):
    with pytest.raises(ValidationError) as exc:
        make_campaign(user=manager, callers=[advisor])
    assert exc.value.messages == [str(services.NO_PEOPLE)]
    assert not Campaign.objects.exists()


# --- outcomes -------------------------------------------------------------------------------


def _one_call(manager, caller, *, advisor=None, **fields):
    person = make_job_customer(advisor=advisor or caller, first_name="Mette", last_name="Holm")
    campaign = make_campaign(user=manager, callers=[caller], **fields)
    return campaign.calls.get(job_customer=person)


@pytest.mark.django_db
def test_reached_and_fine_closes_the_call_and_is_a_phone_contact_on_the_timeline(manager, advisor):
    call = _one_call(manager, advisor)
    call = services.call_record(user=advisor, call=call, outcome=Outcome.FINE, note="Har det godt")
    assert (call.status, call.attempts, call.next_try_on, call.task) == (
        Call.Status.FINE,
        1,
        None,
        None,
    )
    note = ContactNote.objects.get(job_customer=call.job_customer)
    assert note.kind == ContactKind.PHONE and note.author == advisor
    assert (
        note.text == 'Ringerunde "Corona-ringerunde": talt med personen, alt er vel. Har det godt'
    )
    assert call.attempt_rows.get().recorded_by == advisor


@pytest.mark.django_db
def test_needs_help_escalates_to_a_task_for_the_persons_advisor(manager, advisor, consultant):
    call = _one_call(manager, consultant, advisor=advisor)
    call = services.call_record(
        user=consultant, call=call, outcome=Outcome.NEEDS_HELP, note="Bange for at miste jobbet"
    )
    assert call.status == Call.Status.NEEDS_HELP
    task = Task.objects.get()
    assert call.task == task and task.assigned_to == advisor
    assert task.due_on == today() + DAY and task.done_at is None
    assert (
        task.title
        == 'Har brug for hjælp (ringerunde "Corona-ringerunde"): Bange for at miste jobbet'
    )
    assert ContactNote.objects.get().author == consultant


@pytest.mark.django_db
def test_needs_help_without_a_note_is_refused_and_saves_nothing(manager, advisor):
    call = _one_call(manager, advisor)
    with pytest.raises(ValidationError) as exc:
        services.call_record(user=advisor, call=call, outcome=Outcome.NEEDS_HELP, note=" ")
    assert exc.value.message_dict["note"] == [str(services.NOTE_REQUIRED_FOR_HELP)]
    call.refresh_from_db()
    assert call.attempts == 0 and not CallAttempt.objects.exists() and not Task.objects.exists()


@pytest.mark.django_db
def test_a_person_without_an_advisor_goes_to_the_campaigns_maker(manager, advisor):
    person = make_job_customer(advisor=None)
    call = make_campaign(user=manager, callers=[advisor]).calls.get(job_customer=person)
    call = services.call_record(
        user=advisor, call=call, outcome=Outcome.NEEDS_HELP, note="Ring igen"
    )
    assert call.task.assigned_to == manager


@pytest.mark.django_db
def test_not_reached_is_retried_after_the_days_set_and_given_up_after_the_last_attempt(
    manager, advisor
):
    call = _one_call(manager, advisor, max_attempts=3, retry_after_days=2)
    for attempt in (1, 2):
        call = services.call_record(user=advisor, call=call, outcome=Outcome.NOT_REACHED)
        assert (call.status, call.attempts) == (Call.Status.RETRY, attempt)
        assert call.next_try_on == today() + 2 * DAY
        assert not Task.objects.exists()
    call = services.call_record(
        user=advisor, call=call, outcome=Outcome.NOT_REACHED, note="Telefonsvarer"
    )
    assert (call.status, call.attempts, call.next_try_on) == (Call.Status.UNREACHED, 3, None)
    assert call.task.assigned_to == advisor
    assert "efter 3 forsøg" in call.task.title
    assert list(call.attempt_rows.values_list("outcome", flat=True)) == [Outcome.NOT_REACHED] * 3
    assert not ContactNote.objects.exists()  # not reached is no contact


@pytest.mark.django_db
def test_a_retry_that_reaches_the_person_closes_it(manager, advisor):
    call = _one_call(manager, advisor)
    call = services.call_record(user=advisor, call=call, outcome=Outcome.NOT_REACHED)
    call = services.call_record(user=advisor, call=call, outcome=Outcome.FINE)
    assert (call.status, call.attempts) == (Call.Status.FINE, 2)


@pytest.mark.django_db
def test_a_done_call_or_a_closed_campaign_takes_no_more_outcomes(manager, advisor):
    call = _one_call(manager, advisor)
    services.call_record(user=advisor, call=call, outcome=Outcome.FINE)
    with pytest.raises(ValidationError) as exc:
        services.call_record(user=advisor, call=call, outcome=Outcome.NOT_REACHED)
    assert exc.value.messages == [str(services.CALL_DONE)]
    other = _one_call(manager, advisor)
    services.campaign_close(user=manager, campaign=other.campaign)
    with pytest.raises(ValidationError) as exc:
        services.call_record(user=advisor, call=other, outcome=Outcome.FINE)
    assert exc.value.messages == [str(services.CAMPAIGN_CLOSED)]


@pytest.mark.django_db
def test_an_unknown_outcome_is_refused(manager, advisor):
    call = _one_call(manager, advisor)
    with pytest.raises(ValidationError) as exc:
        services.call_record(user=advisor, call=call, outcome="maybe")
    assert exc.value.message_dict["outcome"] == [str(services.OUTCOME_INVALID)]


@pytest.mark.django_db
def test_only_the_caller_or_a_manager_records_and_only_about_a_person_they_see(
    manager, advisor, other_advisor, consultant
):
    call = _one_call(manager, consultant, advisor=advisor)
    with pytest.raises(PermissionDenied):
        services.call_record(user=other_advisor, call=call, outcome=Outcome.FINE)
    with pytest.raises(PermissionDenied):  # the person's own advisor is not this call's caller
        services.call_record(user=advisor, call=call, outcome=Outcome.FINE)
    # When the share is ended (the person asked), the caller can no longer record.
    CaseloadShare.objects.filter(pk=call.share_id).update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.call_record(user=consultant, call=call, outcome=Outcome.FINE)
    assert services.call_record(user=manager, call=call, outcome=Outcome.FINE).status == "fine"


# --- hand-over and closing --------------------------------------------------------------------


@pytest.mark.django_db
def test_handing_over_moves_the_calls_still_to_make_and_the_access(
    manager, advisor, consultant, other_advisor
):
    veras = people(advisor, 3)
    campaign = make_campaign(user=manager, callers=[consultant])
    done = campaign.calls.get(job_customer=veras[0])
    services.call_record(user=consultant, call=done, outcome=Outcome.FINE)
    moved = services.calls_hand_over(
        user=manager, campaign=campaign, from_caller=consultant, to_caller=other_advisor
    )
    assert moved == 2
    assert campaign.calls.get(pk=done.pk).caller == consultant
    for call in campaign.calls.exclude(pk=done.pk):
        assert call.caller == other_advisor and call.share.user == other_advisor
        assert can_view_job_customer(user=other_advisor, job_customer=call.job_customer)
        assert not can_view_job_customer(user=consultant, job_customer=call.job_customer)
    with pytest.raises(ValidationError) as exc:
        services.calls_hand_over(
            user=manager, campaign=campaign, from_caller=consultant, to_caller=other_advisor
        )
    assert exc.value.messages == [str(services.NOTHING_TO_HAND_OVER)]
    with pytest.raises(ValidationError):
        services.calls_hand_over(
            user=manager, campaign=campaign, from_caller=other_advisor, to_caller=other_advisor
        )
    with pytest.raises(PermissionDenied):
        services.calls_hand_over(
            user=advisor, campaign=campaign, from_caller=other_advisor, to_caller=advisor
        )


@pytest.mark.django_db
def test_closing_ends_the_shares_and_only_once(manager, advisor, consultant):
    person = make_job_customer(advisor=advisor)
    campaign = make_campaign(user=manager, callers=[consultant])
    services.campaign_close(user=manager, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.closed_by == manager and campaign.is_closed
    assert not can_view_job_customer(user=consultant, job_customer=person)
    assert campaign.calls.get().status == Call.Status.OPEN  # kept for the record
    with pytest.raises(ValidationError):
        services.campaign_close(user=manager, campaign=campaign)


# --- two people at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="row locks are PostgreSQL's; SQLite's IMMEDIATE transactions serialise writers",
)
def test_two_people_recording_the_same_call_at_once_cannot_both_close_it():
    manager = make_user(role=Role.MANAGER)
    caller = make_user(role=Role.ADVISOR)
    make_job_customer(advisor=caller)
    call = make_campaign(user=manager, callers=[caller]).calls.get()
    barrier = threading.Barrier(2)
    results = []

    def record(user, outcome):
        barrier.wait()
        try:
            services.call_record(user=user, call=call, outcome=outcome, note="x")
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=record, args=(caller, Outcome.FINE)),
        threading.Thread(target=record, args=(manager, Outcome.NEEDS_HELP)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted(["ok", str(services.CALL_DONE)])
    call.refresh_from_db()
    assert call.attempts == 1 and CallAttempt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="as above")
def test_two_not_reached_at_once_count_two_attempts():
    manager = make_user(role=Role.MANAGER)
    caller = make_user(role=Role.ADVISOR)
    make_job_customer(advisor=caller)
    call = make_campaign(user=manager, callers=[caller], max_attempts=5).calls.get()
    barrier = threading.Barrier(2)

    def record(user):
        barrier.wait()
        try:
            services.call_record(user=user, call=call, outcome=Outcome.NOT_REACHED)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(u,)) for u in (caller, manager)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    call.refresh_from_db()
    assert call.attempts == 2 and call.status == Call.Status.RETRY


# --- demo -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_has_a_call_round_under_way_and_reset_removes_it():
    from io import StringIO

    from django.core.management import call_command

    from varig.core.demo import APP_DEMO

    assert APP_DEMO.index("varig.callrounds.demo.demo_build") < APP_DEMO.index(
        "varig.alerts.demo.demo_build"
    )
    call_command("demo", "--scale", "small", "--seed", "1", stdout=StringIO())
    campaign = Campaign.objects.get()
    first = campaign.calls.filter(caller__email="vejleder1@demo.varig.dk")
    assert first.to_do().exists() and first.done().exists()
    assert campaign.calls.filter(status=Call.Status.NEEDS_HELP, task__isnull=False).exists()
    assert campaign.calls.filter(status=Call.Status.RETRY).exists()
    call_command("demo", "--scale", "small", "--seed", "1", "--reset", stdout=StringIO())
    assert Campaign.objects.count() == 1

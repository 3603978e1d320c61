import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from varig.core.models import Role
from varig.core.services import STALE_EDIT
from varig.core.tests.factories import make_user
from varig.customers import services
from varig.customers.models import (
    Accommodation,
    Consent,
    ContactNote,
    HealthInfo,
    JobCustomer,
    JobWishes,
    ReadinessAssessment,
    Task,
)
from varig.customers.tests.factories import make_consent, make_job_customer
from varig.employers.tests.factories import make_company

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def messages_of(exc_info, field):
    return [str(m) for m in exc_info.value.message_dict[field]]


# --- job_customer_create / job_customer_update ---------------------------------------------------


def test_create_saves_every_intake_field(advisor):
    jc = services.job_customer_create(
        actor=advisor,
        ref="JK-X1",
        first_name="Maja",
        last_name="Kristensen",
        birth_date=datetime.date(1988, 5, 17),
        email="maja@example.dk",
        phone="22334455",
        address="Blågårdsgade 12",
        postcode="2200",
        municipality="København",
        advisor=advisor,
        associated_from=datetime.date(2024, 2, 1),
        associated_until=datetime.date(2025, 2, 1),
        referral_source="psychiatry",
        pension_rules="before_2003",
        education="Student",
        work_experience="Butik",
        competences="Kunder",
        extra_followup_weeks=4,
    )
    jc.refresh_from_db()
    assert (jc.ref, jc.full_name, jc.postcode, jc.advisor) == (
        "JK-X1",
        "Maja Kristensen",
        "2200",
        advisor,
    )
    assert jc.pension_rules == "before_2003" and jc.extra_followup_weeks == 4
    assert LogEntry.objects.get_for_object(jc).filter(action=LogEntry.Action.CREATE).exists()


def test_create_generates_zero_padded_unique_refs(advisor):
    make_job_customer(ref="JK-000041")
    make_job_customer(ref="JK-ABC")  # not numbered: ignored
    first = services.job_customer_create(
        actor=advisor, last_name="A", associated_from=datetime.date(2024, 1, 1)
    )
    second = services.job_customer_create(
        actor=advisor, last_name="B", associated_from=datetime.date(2024, 1, 1), ref=""
    )
    assert first.ref == "JK-000042"
    assert second.ref == "JK-000043"


def test_create_first_ref_when_none_exist(advisor):
    jc = services.job_customer_create(
        actor=advisor, last_name="A", associated_from=datetime.date(2024, 1, 1)
    )
    assert jc.ref == "JK-000001"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"birth_date": TODAY() + datetime.timedelta(days=1)},
            "birth_date",
            services.BIRTH_DATE_IN_FUTURE,
        ),
        (
            {"associated_until": datetime.date(2023, 12, 31)},
            "associated_until",
            services.ASSOCIATION_ORDER,
        ),
        ({"postcode": "220"}, "postcode", services.POSTCODE_INVALID),
        ({"postcode": "22a0"}, "postcode", services.POSTCODE_INVALID),
        ({"extra_followup_weeks": 0}, "extra_followup_weeks", services.FOLLOWUP_WEEKS_RANGE),
        ({"extra_followup_weeks": 53}, "extra_followup_weeks", services.FOLLOWUP_WEEKS_RANGE),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(advisor, fields, field, message):
    with pytest.raises(ValidationError) as exc_info:
        services.job_customer_create(
            actor=advisor, last_name="A", associated_from=datetime.date(2024, 1, 1), **fields
        )
    assert str(message) in messages_of(exc_info, field)
    assert not JobCustomer.objects.exists()


def test_create_refuses_an_advisor_without_the_role(advisor, consultant):
    inactive = make_user(role=Role.ADVISOR, is_active=False)
    for wrong in (consultant, inactive):
        with pytest.raises(ValidationError) as exc_info:
            services.job_customer_create(
                actor=advisor,
                last_name="A",
                associated_from=datetime.date(2024, 1, 1),
                advisor=wrong,
            )
        assert str(services.ADVISOR_NOT_ADVISOR) in messages_of(exc_info, "advisor")
    assert not JobCustomer.objects.exists()


def test_create_refuses_a_taken_ref(advisor):
    make_job_customer(ref="JK-1")
    with pytest.raises(ValidationError) as exc_info:
        services.job_customer_create(
            actor=advisor, ref="JK-1", last_name="A", associated_from=datetime.date(2024, 1, 1)
        )
    assert str(services.REF_TAKEN) in messages_of(exc_info, "ref")
    assert JobCustomer.objects.count() == 1


def test_create_requires_last_name(advisor):
    with pytest.raises(ValidationError) as exc_info:
        services.job_customer_create(actor=advisor, last_name="", associated_from=TODAY())
    assert "last_name" in exc_info.value.message_dict
    assert not JobCustomer.objects.exists()


def test_create_refuses_unknown_fields(advisor):
    with pytest.raises(TypeError):
        services.job_customer_create(actor=advisor, last_name="A", associated_from=TODAY(), cpr="1")


def test_consultant_may_not_create_or_update(consultant):
    with pytest.raises(PermissionDenied):
        services.job_customer_create(actor=consultant, last_name="A", associated_from=TODAY())
    jc = make_job_customer()
    with pytest.raises(PermissionDenied):
        services.job_customer_update(
            actor=consultant, job_customer=jc, expected_version=jc.version, last_name="B"
        )


def test_system_actor_may_create():
    jc = services.job_customer_create(actor=None, last_name="A", associated_from=TODAY())
    assert jc.pk


def test_update_changes_fields_and_bumps_version(advisor):
    jc = make_job_customer(last_name="Old")
    services.job_customer_update(
        actor=advisor, job_customer=jc, expected_version=1, last_name="New", postcode="8000"
    )
    jc.refresh_from_db()
    assert (jc.last_name, jc.postcode, jc.version) == ("New", "8000", 2)
    entry = LogEntry.objects.get_for_object(jc).filter(action=LogEntry.Action.UPDATE).get()
    assert "last_name" in entry.changes_dict


def test_update_refuses_a_stale_version_and_changes_nothing(advisor):
    jc = make_job_customer(last_name="Original")
    JobCustomer.objects.filter(pk=jc.pk).update(version=2)  # someone else saved meanwhile
    with pytest.raises(ValidationError) as exc_info:
        services.job_customer_update(
            actor=advisor, job_customer=jc, expected_version=1, last_name="Mine"
        )
    assert str(STALE_EDIT) in exc_info.value.messages
    jc.refresh_from_db()
    assert (jc.last_name, jc.version) == ("Original", 2)


def test_an_extra_cadence_plans_one_extra_follow_up_and_removing_it_cancels_it(advisor):
    """Setting "every 4 weeks" plans the next extra follow-up; clearing the cadence cancels it."""
    from varig.placements.models import FollowUp

    jc = services.job_customer_create(
        actor=advisor, last_name="Kadence", associated_from=TODAY(), extra_followup_weeks=4
    )
    planned = FollowUp.objects.get(job_customer=jc, kind=FollowUp.Kind.EXTRA)
    assert planned.due_on == TODAY() + datetime.timedelta(weeks=4)

    services.job_customer_update(
        actor=advisor, job_customer=jc, expected_version=1, extra_followup_weeks=2
    )
    planned = FollowUp.objects.get(
        job_customer=jc, kind=FollowUp.Kind.EXTRA, status=FollowUp.Status.PLANNED
    )
    assert planned.due_on == TODAY() + datetime.timedelta(weeks=2)

    services.job_customer_update(
        actor=advisor, job_customer=jc, expected_version=2, extra_followup_weeks=None
    )
    assert not FollowUp.objects.filter(
        job_customer=jc, kind=FollowUp.Kind.EXTRA, status=FollowUp.Status.PLANNED
    ).exists()


def test_update_with_blank_ref_keeps_the_ref(advisor):
    jc = make_job_customer(ref="JK-KEEP")
    services.job_customer_update(actor=advisor, job_customer=jc, expected_version=1, ref="")
    jc.refresh_from_db()
    assert jc.ref == "JK-KEEP"


def test_update_refuses_bad_input_and_changes_nothing(advisor):
    jc = make_job_customer(last_name="Same")
    with pytest.raises(ValidationError):
        services.job_customer_update(
            actor=advisor,
            job_customer=jc,
            expected_version=1,
            last_name="Changed",
            associated_until=datetime.date(2000, 1, 1),
        )
    jc.refresh_from_db()
    assert (jc.last_name, jc.associated_until, jc.version) == ("Same", None, 1)


# --- readiness, wishes, accommodations ------------------------------------------------------------


def test_readiness_record_adds_history(advisor):
    jc = make_job_customer()
    services.readiness_record(
        actor=advisor,
        job_customer=jc,
        area="housing",
        rating="not_yet",
        assessed_on=datetime.date(2025, 1, 1),
    )
    services.readiness_record(
        actor=advisor,
        job_customer=jc,
        area="housing",
        rating="calm",
        assessed_on=datetime.date(2025, 3, 1),
        note="Ny lejlighed",
    )
    rows = list(jc.readiness.all())
    assert [r.rating for r in rows] == ["calm", "not_yet"]  # newest first
    assert rows[0].assessed_by == advisor and rows[0].note == "Ny lejlighed"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"area": "nonsense"}, "area"),
        ({"rating": "great"}, "rating"),
        ({"assessed_on": TODAY() + datetime.timedelta(days=2)}, "assessed_on"),
    ],
)
def test_readiness_record_refuses_bad_input(advisor, kwargs, field):
    jc = make_job_customer()
    values = {"area": "housing", "rating": "calm", "assessed_on": TODAY(), **kwargs}
    with pytest.raises(ValidationError) as exc_info:
        services.readiness_record(actor=advisor, job_customer=jc, **values)
    assert field in exc_info.value.message_dict
    assert not ReadinessAssessment.objects.exists()


def test_job_wishes_update_creates_then_updates_one_record(advisor):
    jc = make_job_customer()
    services.job_wishes_update(
        actor=advisor, job_customer=jc, wished_jobs="Boghandel", wished_hours_per_week=Decimal("12")
    )
    services.job_wishes_update(
        actor=advisor,
        job_customer=jc,
        wished_jobs="Butik",
        preferred_job_type="development",
        dream_job="Boghandler",
    )
    wishes = JobWishes.objects.get()
    assert (wishes.wished_jobs, wishes.wished_hours_per_week, wishes.preferred_job_type) == (
        "Butik",
        None,
        "development",
    )


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-1"), Decimal("48.5")])
def test_job_wishes_refuse_hours_out_of_range(advisor, hours):
    jc = make_job_customer()
    with pytest.raises(ValidationError) as exc_info:
        services.job_wishes_update(actor=advisor, job_customer=jc, wished_hours_per_week=hours)
    assert str(services.HOURS_PER_WEEK_RANGE) in messages_of(exc_info, "wished_hours_per_week")
    assert not JobWishes.objects.exists()


def test_accommodation_record_keeps_versions(advisor):
    jc = make_job_customer()
    first = services.accommodation_record(
        actor=advisor,
        job_customer=jc,
        valid_from=datetime.date(2025, 1, 1),
        max_hours_per_week=Decimal("8"),
    )
    second = services.accommodation_record(
        actor=advisor,
        job_customer=jc,
        valid_from=datetime.date(2025, 6, 1),
        max_hours_per_week=Decimal("12"),
        max_hours_per_day=Decimal("4"),
        fixed_contact_person=True,
        employer_text="Faste opgaver",
    )
    assert Accommodation.objects.filter(job_customer=jc).latest() == second
    assert list(jc.accommodations.all()) == [second, first]


@pytest.mark.parametrize(
    ("week", "day", "field", "message"),
    [
        (Decimal("0"), None, "max_hours_per_week", services.HOURS_PER_WEEK_RANGE),
        (Decimal("49"), None, "max_hours_per_week", services.HOURS_PER_WEEK_RANGE),
        (None, Decimal("0"), "max_hours_per_day", services.HOURS_PER_DAY_RANGE),
        (None, Decimal("25"), "max_hours_per_day", services.HOURS_PER_DAY_RANGE),
        (Decimal("10"), Decimal("12"), "max_hours_per_day", services.DAY_ABOVE_WEEK),
    ],
)
def test_accommodation_refuses_bad_hours(advisor, week, day, field, message):
    jc = make_job_customer()
    with pytest.raises(ValidationError) as exc_info:
        services.accommodation_record(
            actor=advisor,
            job_customer=jc,
            valid_from=TODAY(),
            max_hours_per_week=week,
            max_hours_per_day=day,
        )
    assert str(message) in messages_of(exc_info, field)
    assert not Accommodation.objects.exists()


# --- consent ------------------------------------------------------------------------------------


def test_consent_give_and_withdraw(advisor):
    jc, company = make_job_customer(), make_company()
    consent = services.consent_give(
        actor=advisor,
        job_customer=jc,
        company=company,
        given_on=TODAY() - datetime.timedelta(days=10),
    )
    assert consent.is_active and consent.recorded_by == advisor
    services.consent_withdraw(actor=advisor, consent=consent, withdrawn_on=TODAY())
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY() and not consent.is_active


def test_consent_give_refuses_bad_dates(advisor):
    jc, company = make_job_customer(), make_company()
    with pytest.raises(ValidationError) as exc_info:
        services.consent_give(
            actor=advisor,
            job_customer=jc,
            company=company,
            given_on=datetime.date(2025, 5, 1),
            expires_on=datetime.date(2025, 4, 1),
        )
    assert str(services.EXPIRES_BEFORE_GIVEN) in messages_of(exc_info, "expires_on")
    with pytest.raises(ValidationError) as exc_info:
        services.consent_give(
            actor=advisor,
            job_customer=jc,
            company=company,
            given_on=TODAY() + datetime.timedelta(days=1),
        )
    assert str(services.DATE_IN_FUTURE) in messages_of(exc_info, "given_on")
    assert not Consent.objects.exists()


def test_consent_withdraw_refuses_before_given_twice_and_future(advisor):
    consent = make_consent(given_on=datetime.date(2025, 5, 1))
    with pytest.raises(ValidationError) as exc_info:
        services.consent_withdraw(
            actor=advisor, consent=consent, withdrawn_on=datetime.date(2025, 4, 30)
        )
    assert str(services.WITHDRAWN_BEFORE_GIVEN) in messages_of(exc_info, "withdrawn_on")
    with pytest.raises(ValidationError):
        services.consent_withdraw(
            actor=advisor, consent=consent, withdrawn_on=TODAY() + datetime.timedelta(days=1)
        )
    services.consent_withdraw(
        actor=advisor, consent=consent, withdrawn_on=datetime.date(2025, 6, 1)
    )
    with pytest.raises(ValidationError) as exc_info:
        services.consent_withdraw(actor=advisor, consent=consent, withdrawn_on=TODAY())
    assert str(services.CONSENT_ALREADY_WITHDRAWN) in exc_info.value.messages
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2025, 6, 1)


def test_consent_withdraw_refuses_another_persons_consent(advisor):
    consent = make_consent()
    with pytest.raises(ValidationError):
        services.consent_withdraw(
            actor=advisor, consent=consent, withdrawn_on=TODAY(), job_customer=make_job_customer()
        )
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


# --- health -------------------------------------------------------------------------------------


def test_health_update_by_the_responsible_advisor_is_audited_masked(advisor):
    jc = make_job_customer(advisor=advisor)
    services.health_update(actor=advisor, job_customer=jc, diagnosis="F20", health_notes="Stabil")
    health = HealthInfo.objects.get(job_customer=jc)
    assert (health.diagnosis, health.updated_by) == ("F20", advisor)
    entry = LogEntry.objects.get_for_object(health).get()
    assert "F20" not in str(entry.changes)  # the change log never holds the diagnosis


def test_health_update_by_manager_and_administrator(manager, administrator):
    jc = make_job_customer()
    services.health_update(actor=manager, job_customer=jc, diagnosis="A")
    services.health_update(actor=administrator, job_customer=jc, diagnosis="B")
    assert HealthInfo.objects.get().diagnosis == "B"


def test_health_update_refused_for_other_advisor_and_consultant(other_advisor, consultant, advisor):
    jc = make_job_customer(advisor=advisor)
    for user in (other_advisor, consultant):
        with pytest.raises(PermissionDenied):
            services.health_update(actor=user, job_customer=jc, diagnosis="X")
    assert not HealthInfo.objects.exists()


# --- the consent rule ---------------------------------------------------------------------------


def test_note_without_company_needs_no_consent(advisor):
    jc = make_job_customer()
    note = services.contact_note_create(
        actor=advisor, job_customer=jc, kind="phone", text="Ringede"
    )
    assert note.company is None and note.author == advisor and note.consent_override_reason == ""


def test_contact_with_company_without_consent_is_refused(advisor):
    jc, company = make_job_customer(), make_company()
    with pytest.raises(ValidationError) as exc_info:
        services.contact_note_create(
            actor=advisor, job_customer=jc, kind="phone", text="Ringede", company=company
        )
    assert messages_of(exc_info, "company") == [str(services.CONSENT_REQUIRED)]
    assert not ContactNote.objects.exists()


@pytest.mark.parametrize(
    "consent_fields",
    [
        {"may_contact": False},
        {"withdrawn_on": datetime.date(2025, 1, 1)},
        {"expires_on": datetime.date(2025, 1, 1)},
        {"given_on": TODAY() + datetime.timedelta(days=5)},
    ],
    ids=["may-not-contact", "withdrawn", "expired", "not-yet-given"],
)
def test_contact_refused_when_the_consent_does_not_allow_it(advisor, consent_fields):
    jc, company = make_job_customer(), make_company()
    make_consent(
        job_customer=jc,
        company=company,
        **{"given_on": datetime.date(2024, 1, 1), **consent_fields},
    )
    with pytest.raises(ValidationError):
        services.contact_note_create(
            actor=advisor, job_customer=jc, kind="meeting", text="Møde", company=company
        )
    assert not ContactNote.objects.exists()


def test_consent_for_another_company_or_person_does_not_count(advisor):
    jc, company = make_job_customer(), make_company()
    make_consent(job_customer=jc)  # another company
    make_consent(company=company)  # another person
    with pytest.raises(ValidationError):
        services.contact_note_create(
            actor=advisor, job_customer=jc, kind="email", text="Mail", company=company
        )


def test_contact_with_active_consent_is_saved_without_override(advisor):
    jc, company = make_job_customer(), make_company()
    make_consent(job_customer=jc, company=company)
    note = services.contact_note_create(
        actor=advisor,
        job_customer=jc,
        kind="phone",
        text="Ringede",
        company=company,
        consent_override_reason="not needed",
    )
    assert note.company == company and note.consent_override_reason == ""
    assert not LogEntry.objects.filter(additional_data__has_key="consent_override").exists()


def test_consent_is_judged_on_the_day_of_the_contact(advisor):
    jc, company = make_job_customer(), make_company()
    make_consent(
        job_customer=jc,
        company=company,
        given_on=datetime.date(2024, 1, 1),
        withdrawn_on=datetime.date(2024, 6, 1),
    )
    when = timezone.make_aware(datetime.datetime(2024, 3, 1, 10, 0))
    note = services.contact_note_create(
        actor=advisor,
        job_customer=jc,
        kind="phone",
        text="Før tilbagekald",
        company=company,
        occurred_at=when,
    )
    assert note.pk
    with pytest.raises(ValidationError):
        services.contact_note_create(
            actor=advisor, job_customer=jc, kind="phone", text="Efter", company=company
        )


def test_override_saves_the_reason_and_writes_the_audit_log(advisor):
    jc, company = make_job_customer(), make_company()
    note = services.contact_note_create(
        actor=advisor,
        job_customer=jc,
        kind="phone",
        text="Ringede om vagtplan",
        company=company,
        consent_override_reason="  Akut: personen bad om det i telefonen  ",
    )
    assert note.consent_override_reason == "Akut: personen bad om det i telefonen"
    # The note's own create entry carries the reason…
    created = LogEntry.objects.get_for_object(note).get(action=LogEntry.Action.CREATE)
    assert "consent_override_reason" in created.changes_dict
    # …and the override is an entry of its own on the job customer, with the actor.
    override = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(JobCustomer),
        object_pk=str(jc.pk),
        additional_data__has_key="consent_override",
    )
    assert override.actor == advisor
    assert override.additional_data["consent_override"]["note_id"] == note.pk
    assert override.additional_data["consent_override"]["company_id"] == company.pk
    assert "Akut" in override.additional_data["consent_override"]["reason"]


def test_blank_override_reason_does_not_count(advisor):
    jc, company = make_job_customer(), make_company()
    with pytest.raises(ValidationError):
        services.contact_note_create(
            actor=advisor,
            job_customer=jc,
            kind="phone",
            text="X",
            company=company,
            consent_override_reason="   ",
        )
    assert not ContactNote.objects.exists()


def test_note_refuses_empty_text_and_future_time(advisor):
    jc = make_job_customer()
    with pytest.raises(ValidationError) as exc_info:
        services.contact_note_create(actor=advisor, job_customer=jc, kind="note", text="  ")
    assert str(services.NOTE_TEXT_REQUIRED) in messages_of(exc_info, "text")
    with pytest.raises(ValidationError):
        services.contact_note_create(
            actor=advisor,
            job_customer=jc,
            kind="note",
            text="X",
            occurred_at=timezone.now() + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.contact_note_create(actor=advisor, job_customer=jc, kind="letter", text="X")
    assert not ContactNote.objects.exists()


def test_consultant_may_not_write_notes(consultant):
    with pytest.raises(PermissionDenied):
        services.contact_note_create(
            actor=consultant, job_customer=make_job_customer(), kind="note", text="X"
        )


# --- tasks --------------------------------------------------------------------------------------


def test_task_create_defaults_to_the_responsible_advisor(manager, advisor):
    jc = make_job_customer(advisor=advisor)
    task = services.task_create(actor=manager, job_customer=jc, title="Ring til jobcentret")
    assert (task.assigned_to, task.created_by, task.done_at) == (advisor, manager, None)


def test_task_create_without_advisor_goes_to_the_actor(manager):
    task = services.task_create(actor=manager, job_customer=make_job_customer(), title="X")
    assert task.assigned_to == manager


def test_task_create_refuses_empty_title_and_non_staff(advisor):
    jc = make_job_customer()
    with pytest.raises(ValidationError):
        services.task_create(actor=advisor, job_customer=jc, title="  ")
    nobody = make_user(role=None)
    with pytest.raises(ValidationError) as exc_info:
        services.task_create(actor=advisor, job_customer=jc, title="X", assigned_to=nobody)
    assert str(services.ASSIGNEE_NOT_STAFF) in messages_of(exc_info, "assigned_to")
    assert not Task.objects.exists()


def test_task_complete_once(advisor):
    jc = make_job_customer()
    task = services.task_create(actor=advisor, job_customer=jc, title="X")
    services.task_complete(actor=advisor, task=task)
    task.refresh_from_db()
    assert task.done_at is not None
    with pytest.raises(ValidationError) as exc_info:
        services.task_complete(actor=advisor, task=task)
    assert str(services.TASK_ALREADY_DONE) in exc_info.value.messages


def test_task_complete_refuses_another_persons_task(advisor):
    task = services.task_create(actor=advisor, job_customer=make_job_customer(), title="X")
    with pytest.raises(ValidationError):
        services.task_complete(actor=advisor, task=task, job_customer=make_job_customer())
    task.refresh_from_db()
    assert task.done_at is None

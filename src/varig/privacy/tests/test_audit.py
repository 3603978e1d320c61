"""The audit log's mechanism: every entry knows its person, document reads, masked health,
append-only (model guard; trigger on PostgreSQL) and retention."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from varig.customers import services as customer_services
from varig.customers.models import (
    ContactNote,
    Goal,
    GoalReview,
    HealthInfo,
    JobCustomer,
)
from varig.customers.selectors import job_customer_get_for_user
from varig.customers.tests.factories import make_job_customer
from varig.daily.runner import daily_job_paths
from varig.privacy import audit
from varig.privacy.audit import (
    APPEND_ONLY,
    ERASURE,
    MASK,
    PERSON_KEY,
    RETENTION,
    AuditLogAppendOnly,
    audit_maintenance,
    audit_read,
    audit_retention_daily,
    person_path,
)

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def entries_for(instance):
    return LogEntry.objects.get_for_object(instance).order_by("pk")


# --- The person of an entry -----------------------------------------------------------------------


def test_person_paths_are_found_from_the_models_foreign_keys():
    assert person_path(JobCustomer) == ()
    assert person_path(ContactNote) == ("job_customer",)
    assert person_path(HealthInfo) == ("job_customer",)
    assert person_path(Goal) == ("plan", "job_customer")
    assert person_path(GoalReview) == ("session", "job_customer")
    assert person_path(apps.get_model("employers", "Company")) is None


def test_every_registered_model_with_a_person_gets_a_path():
    """A model that points at JobCustomer (directly) always has a path: new apps are covered."""
    from auditlog.registry import auditlog

    for model in auditlog.get_models():
        direct = any(
            f.is_relation and f.related_model is JobCustomer for f in model._meta.concrete_fields
        )
        if direct:
            assert person_path(model) is not None, model


def test_writes_about_a_person_carry_the_persons_pk(advisor):
    jc = make_job_customer(advisor=advisor)
    note = customer_services.contact_note_create(
        actor=advisor, job_customer=jc, kind="note", text="Ringede"
    )
    goal = customer_services.goal_create(actor=advisor, job_customer=jc, title="Et job")
    session = customer_services.guidance_session_record(
        actor=advisor,
        job_customer=jc,
        held_on=timezone.localdate(),
        topic="Status",
        reviews=[(goal, "in_progress", "Godt i gang")],
    )
    review = GoalReview.objects.get(session=session)
    for instance in (jc, note, goal, session, review):
        data = entries_for(instance).first().additional_data
        assert data[PERSON_KEY] == jc.pk, instance


def test_a_deleted_row_keeps_its_person(advisor):
    jc = make_job_customer(advisor=advisor)
    note = customer_services.contact_note_create(
        actor=advisor, job_customer=jc, kind="note", text="Ringede"
    )
    pk = note.pk
    note.delete()
    entry = LogEntry.objects.get(
        action=LogEntry.Action.DELETE, object_pk=str(pk), content_type__model="contactnote"
    )
    assert entry.additional_data[PERSON_KEY] == jc.pk


def test_a_write_about_no_person_carries_none(advisor):
    from varig.employers.tests.factories import make_company

    company = make_company()
    data = entries_for(company).first().additional_data
    assert not (data or {}).get(PERSON_KEY)


def test_other_additional_data_is_kept_beside_the_person(advisor):
    from varig.employers.tests.factories import make_company

    jc = make_job_customer(advisor=advisor)
    customer_services.consent_override_record(
        actor=advisor,
        job_customer=jc,
        company=make_company(),
        reason="Akut",
        kind="phone",
        text="Ringede til mester",
        occurred_at=timezone.now(),
    )
    entry = LogEntry.objects.get(additional_data__has_key="consent_override")
    assert entry.additional_data[PERSON_KEY] == jc.pk
    assert entry.additional_data["consent_override"]["reason"] == "Akut"


# --- Reads --------------------------------------------------------------------------------------


def test_the_access_checked_getter_logs_a_read_of_the_person(advisor):
    jc = make_job_customer(advisor=advisor)
    job_customer_get_for_user(user=advisor, pk=jc.pk)
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.object_pk, entry.additional_data[PERSON_KEY]) == (str(jc.pk), jc.pk)


def test_audit_read_logs_the_document_and_the_reader(advisor):
    jc = make_job_customer(advisor=advisor)
    entry = audit_read(job_customer=jc, document="earnings", user=advisor)
    entry.refresh_from_db()
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == advisor
    assert entry.additional_data == {PERSON_KEY: jc.pk, "document": "earnings"}


def test_a_document_read_in_a_request_gets_the_request_user(advisor_client, advisor):
    """The welcome pack (employers) names consenting persons: each one is a logged read."""
    from varig.customers.tests.factories import make_consent
    from varig.employers.tests.factories import make_company
    from varig.placements.tests.factories import make_placement

    company = make_company()
    jc = make_job_customer(advisor=advisor)
    make_consent(job_customer=jc, company=company, may_contact=True)
    make_placement(job_customer=jc, company=company, kind="skaanejob")
    response = advisor_client.get(reverse("employers:welcome_pack", args=[company.pk]))
    assert response.status_code == 200
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(jc.pk)).get()
    assert (entry.actor, entry.additional_data[PERSON_KEY]) == (advisor, jc.pk)


# --- Health values never reach the log ----------------------------------------------------------------


def test_health_values_are_masked_completely(advisor):
    jc = make_job_customer(advisor=advisor)
    customer_services.health_update(
        actor=advisor,
        job_customer=jc,
        diagnosis="Paranoid skizofreni",
        health_notes="Tager medicin morgen og aften",
    )
    customer_services.health_update(
        actor=advisor, job_customer=jc, diagnosis="Bipolar lidelse", health_notes=""
    )
    health = HealthInfo.objects.get(job_customer=jc)
    text = str([(e.changes, e.changes_text, e.serialized_data) for e in entries_for(health)])
    for fragment in ("skizofreni", "Paranoid", "medicin", "aften", "Bipolar", "lidelse"):
        assert fragment not in text
    update = entries_for(health).filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes["diagnosis"] == [MASK, MASK]


def test_settings_mask_with_the_full_mask():
    assert settings.AUDITLOG_MASK_CALLABLE == "varig.privacy.audit.mask_value"
    assert audit.mask_value("F20.0 Paranoid skizofreni") == MASK


# --- Append-only ---------------------------------------------------------------------------------


def _an_entry(advisor) -> LogEntry:
    jc = make_job_customer(advisor=advisor)
    return entries_for(jc).first()


def test_an_entry_cannot_be_saved_again(advisor):
    entry = _an_entry(advisor)
    entry.object_repr = "Someone else"
    with pytest.raises(AuditLogAppendOnly, match=APPEND_ONLY):
        entry.save()


def test_an_entry_cannot_be_deleted(advisor):
    entry = _an_entry(advisor)
    # (Django deletes inside the caller's transaction: the refusal breaks it, hence atomic.)
    with pytest.raises(AuditLogAppendOnly), transaction.atomic():
        entry.delete()
    with pytest.raises(AuditLogAppendOnly), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_queryset_refuses_update(advisor):
    entry = _an_entry(advisor)
    with pytest.raises(AuditLogAppendOnly):
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="x")


def test_the_maintenance_context_lets_the_retention_job_delete(advisor):
    entry = _an_entry(advisor)
    with audit_maintenance(RETENTION):
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert not LogEntry.objects.filter(pk=entry.pk).exists()
    # …and only inside it.
    with pytest.raises(AuditLogAppendOnly), transaction.atomic():
        LogEntry.objects.all().delete()


def test_the_erasure_context_allows_changing_content_only_there(advisor):
    entry = _an_entry(advisor)
    with audit_maintenance(ERASURE):
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="[anonymised]")
        with pytest.raises(AuditLogAppendOnly), transaction.atomic():
            LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get(pk=entry.pk).object_repr == "[anonymised]"


def test_the_log_is_not_exposed_in_an_admin():
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    with pytest.raises(NoReverseMatch):
        reverse("admin:auditlog_logentry_changelist")


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgres_only
def test_postgres_refuses_update_and_delete_from_any_client(advisor):
    entry = _an_entry(advisor)
    for sql in (
        "UPDATE auditlog_logentry SET object_repr = 'x' WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw(sql, [entry.pk])
    assert LogEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr


@postgres_only
def test_postgres_lets_the_retention_job_delete_only_in_its_transaction(advisor):
    entry, other = _an_entry(advisor), _an_entry(advisor)
    with audit_maintenance(RETENTION):
        _raw("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])
    assert not LogEntry.objects.filter(pk=entry.pk).exists()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM auditlog_logentry WHERE id = %s", [other.pk])


@postgres_only
def test_postgres_erasure_may_mask_content_but_not_who_did_what(advisor, other_advisor):
    entry = _an_entry(advisor)
    LogEntry.objects.filter(pk=entry.pk)  # the entry's actor is kept
    with audit_maintenance(ERASURE):
        _raw("UPDATE auditlog_logentry SET object_repr = 'anon' WHERE id = %s", [entry.pk])
        for sql, params in (
            ("UPDATE auditlog_logentry SET actor_id = %s WHERE id = %s", [other_advisor.pk]),
            ("UPDATE auditlog_logentry SET timestamp = now() WHERE id = %s", []),
            ("UPDATE auditlog_logentry SET action = 2 WHERE id = %s", []),
            ("UPDATE auditlog_logentry SET additional_data = '{}' WHERE id = %s", []),
            ("DELETE FROM auditlog_logentry WHERE id = %s", []),
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                _raw(sql, [*params, entry.pk])
    assert LogEntry.objects.get(pk=entry.pk).object_repr == "anon"


@postgres_only
def test_postgres_has_the_person_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'auditlog_logentry' "
            "AND indexname LIKE 'varig_audit_%%'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"varig_audit_person_time_idx", "varig_audit_actor_time_idx"}


# --- Retention --------------------------------------------------------------------------------------


def _entry_at(moment: datetime.datetime) -> LogEntry:
    jc = make_job_customer()
    return LogEntry.objects.log_create(
        jc, force_log=True, action=LogEntry.Action.ACCESS, timestamp=moment
    )


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_retention_deletes_only_entries_older_than_the_setting(settings):
    settings.VARIG_AUDIT_RETENTION_YEARS = 10
    on = datetime.date(2026, 3, 1)
    too_old = _entry_at(_at(datetime.date(2016, 2, 28)))
    just_kept = _entry_at(timezone.make_aware(datetime.datetime(2016, 3, 1, 0, 0)))
    recent = _entry_at(_at(datetime.date(2025, 1, 1)))
    assert audit_retention_daily(on=on) == {"deleted": 1, "before": "2016-03-01"}
    remaining = set(LogEntry.objects.values_list("pk", flat=True))
    assert too_old.pk not in remaining
    assert {just_kept.pk, recent.pk} <= remaining
    # Idempotent: a second run the same day deletes nothing.
    assert audit_retention_daily(on=on)["deleted"] == 0


def test_retention_follows_a_shorter_setting(settings):
    settings.VARIG_AUDIT_RETENTION_YEARS = 2
    old = _entry_at(_at(datetime.date(2023, 12, 31)))
    kept = _entry_at(_at(datetime.date(2024, 6, 1)))
    audit_retention_daily(on=datetime.date(2026, 1, 1))
    assert not LogEntry.objects.filter(pk=old.pk).exists()
    assert LogEntry.objects.filter(pk=kept.pk).exists()


def test_retention_zero_keeps_everything(settings):
    settings.VARIG_AUDIT_RETENTION_YEARS = 0
    old = _entry_at(_at(datetime.date(1990, 1, 1)))
    assert audit_retention_daily(on=datetime.date(2026, 1, 1))["deleted"] == 0
    assert LogEntry.objects.filter(pk=old.pk).exists()


def test_retention_deletes_in_batches(settings, monkeypatch):
    monkeypatch.setattr(audit, "RETENTION_BATCH", 2)
    settings.VARIG_AUDIT_RETENTION_YEARS = 1
    for _ in range(5):
        _entry_at(_at(datetime.date(2020, 1, 1)))
    assert audit_retention_daily(on=datetime.date(2026, 1, 1))["deleted"] == 5


def test_retention_is_a_daily_job():
    assert "varig.privacy.audit.audit_retention_daily" in daily_job_paths()
    assert settings.VARIG_AUDIT_RETENTION_YEARS == 10


def test_a_demo_reset_takes_the_demo_staffs_entries_with_them(advisor):
    """The demo staff are deleted on --reset: their entries go too (PostgreSQL would refuse
    the SET NULL of their actor), everyone else's stay."""
    from io import StringIO

    from django.core.management import call_command

    from varig.core.models import User

    call_command("demo", "--scale", "tiny", "--seed", "2", stdout=StringIO())
    demo_user = User.objects.filter(email__endswith="@demo.varig.dk").first()
    jc = JobCustomer.objects.first()
    theirs = audit_read(job_customer=jc, user=demo_user)
    ours = audit_read(job_customer=jc, user=advisor)
    call_command("demo", "--scale", "tiny", "--seed", "2", "--reset", stdout=StringIO())
    assert not LogEntry.objects.filter(pk=theirs.pk).exists()
    assert LogEntry.objects.filter(pk=ours.pk).exists()

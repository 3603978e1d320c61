"""Erasure as anonymisation by four eyes: asked by one manager with a reason, carried out when
a second approves; what identifies the person goes, the statistics stay; the audit log keeps
who did what and loses what it said about the person. And the retention policy's list."""

import datetime
import json
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.models import ContactNote, HealthInfo, JobCustomer, Task
from varig.customers.tests.factories import make_job_customer
from varig.placements.models import FollowUp, Placement
from varig.privacy import services
from varig.privacy.audit import MASK, PERSON_KEY
from varig.privacy.models import ErasureRequest
from varig.privacy.selectors import person_entries_q

from .factories import DIAGNOSIS, NOTE_TEXT, make_full_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_manager(db):
    return make_user(role=Role.MANAGER, name="Mads Leder", email="mads@example.dk")


@pytest.fixture
def person(advisor, consultant):
    return make_full_person(advisor=advisor, colleague=consultant)


def _retention() -> list:
    out = StringIO()
    call_command("report", "retention", "--years", "2015-2025", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _erase(person, asker, approver):
    request = services.erasure_request(actor=asker, job_customer=person, reason="Eget ønske")
    return services.erasure_approve(actor=approver, request=request)


# --- Four eyes -----------------------------------------------------------------------------------


def test_only_managers_and_administrators_may_ask(advisor, person):
    with pytest.raises(PermissionDenied):
        services.erasure_request(actor=advisor, job_customer=person, reason="Eget ønske")


def test_a_reason_is_required(manager, person):
    with pytest.raises(ValidationError) as exc:
        services.erasure_request(actor=manager, job_customer=person, reason="  ")
    assert exc.value.message_dict["reason"] == [str(services.REASON_REQUIRED)]
    assert not ErasureRequest.objects.exists()


def test_one_open_request_at_a_time(manager, administrator, person):
    services.erasure_request(actor=manager, job_customer=person, reason="Eget ønske")
    with pytest.raises(ValidationError, match=str(services.ALREADY_REQUESTED)):
        services.erasure_request(actor=administrator, job_customer=person, reason="Igen")


def test_the_asker_cannot_approve(manager, person):
    request = services.erasure_request(actor=manager, job_customer=person, reason="Eget ønske")
    with pytest.raises(ValidationError, match=str(services.FOUR_EYES)):
        services.erasure_approve(actor=manager, request=request)
    person.refresh_from_db()
    assert person.first_name == "Mette"
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.REQUESTED


def test_an_advisor_cannot_approve(manager, advisor, person):
    request = services.erasure_request(actor=manager, job_customer=person, reason="Eget ønske")
    with pytest.raises(PermissionDenied):
        services.erasure_approve(actor=advisor, request=request)


def test_the_database_refuses_an_erasure_approved_by_the_asker(manager, person):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    request = services.erasure_request(actor=manager, job_customer=person, reason="Eget ønske")
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureRequest.objects.filter(pk=request.pk).update(
            status="erased", decided_by=manager, decided_at=timezone.now()
        )


def test_rejecting_needs_a_note_and_erases_nothing(manager, second_manager, person):
    request = services.erasure_request(actor=manager, job_customer=person, reason="Eget ønske")
    with pytest.raises(ValidationError):
        services.erasure_reject(actor=second_manager, request=request, note="")
    services.erasure_reject(actor=second_manager, request=request, note="Sagen er ikke afsluttet")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ErasureRequest.Status.REJECTED, second_manager)
    person.refresh_from_db()
    assert person.first_name == "Mette"
    with pytest.raises(ValidationError, match=str(services.NOT_OPEN)):
        services.erasure_approve(actor=second_manager, request=request)
    # A new request may be made after a rejection.
    services.erasure_request(actor=manager, job_customer=person, reason="Nu igen")


def test_the_asker_may_withdraw(manager, person):
    request = services.erasure_request(actor=manager, job_customer=person, reason="Eget ønske")
    services.erasure_reject(actor=manager, request=request, note="Fejl: forkert person")
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.REJECTED


# --- What erasure does ------------------------------------------------------------------------------


def test_erasure_removes_what_identifies_the_person(manager, second_manager, person):
    _erase(person, manager, second_manager)
    person.refresh_from_db()
    assert person.ref == f"ANON-{person.pk:06d}"
    assert (person.first_name, person.last_name) == ("", services.ANONYMOUS_LAST_NAME)
    assert (person.email, person.phone, person.address, person.postcode) == ("", "", "", "")
    assert person.birth_date is None and person.education == ""
    health = HealthInfo.objects.get(job_customer=person)
    assert (health.diagnosis, health.health_notes) == ("", "")
    note = ContactNote.objects.get(job_customer=person)
    assert note.text == services.ANONYMOUS_TEXT
    assert Task.objects.get(job_customer=person).title == services.ANONYMOUS_TEXT
    placement = Placement.objects.get(job_customer=person)
    assert placement.tasks == ""
    # What the statistics count stays.
    assert (placement.kind, placement.started_on, placement.desired_job) == (
        Placement.Kind.SKAANEJOB,
        datetime.date(2016, 5, 1),
        True,
    )
    assert placement.company.name == "Bageriet Solsikken ApS"
    assert FollowUp.objects.filter(job_customer=person).exists()
    assert person.associated_from == datetime.date(2015, 3, 1)
    text = json.dumps(
        list(JobCustomer.objects.filter(pk=person.pk).values())
        + list(ContactNote.objects.values())
        + list(HealthInfo.objects.values()),
        default=str,
    )
    for gone in ("Mette", "Holm", "Bagergade", "12 34 56 78", DIAGNOSIS, NOTE_TEXT):
        assert gone not in text


def test_the_retention_figures_are_the_same_after_an_erasure(manager, second_manager, advisor):
    for i in range(3):
        make_full_person(
            advisor=advisor, first_name=f"P{i}", associated_from=datetime.date(2015, 1, 1)
        )
    ended = make_job_customer(
        advisor=advisor,
        associated_from=datetime.date(2014, 1, 1),
        associated_until=datetime.date(2018, 6, 30),
    )
    before = _retention()
    assert any(row["in_work"] for row in before)
    for jc in JobCustomer.objects.filter(first_name__in=["P0", "P1"]):
        _erase(jc, manager, second_manager)
    _erase(ended, manager, second_manager)
    after = _retention()
    # Up to last year's end nothing moves (an erased person still associated leaves today).
    assert after == before


def test_the_audit_log_keeps_who_did_what_but_not_what_it_said(manager, second_manager, person):
    entries_before = {
        e.pk: (e.action, e.actor_id, e.timestamp, e.content_type_id, e.object_pk)
        for e in LogEntry.objects.filter(person_entries_q([person.pk]))
    }
    assert len(entries_before) > 10
    _erase(person, manager, second_manager)
    entries = LogEntry.objects.filter(pk__in=entries_before)
    assert {
        e.pk: (e.action, e.actor_id, e.timestamp, e.content_type_id, e.object_pk) for e in entries
    } == entries_before
    text = json.dumps(
        [(e.object_repr, e.changes, e.changes_text, e.additional_data) for e in entries],
        ensure_ascii=False,
    )
    for gone in ("Mette", "Holm", "Bagergade", NOTE_TEXT, "Pakning af brød", "Nedtur"):
        assert gone not in text
    for entry in entries:
        assert entry.additional_data.get(PERSON_KEY) in (person.pk, None)
        assert all(v in (MASK, [MASK, MASK]) for v in (entry.changes or {}).values())
    # The erasure itself is in the log: who approved, who asked, in which request.
    erasure = LogEntry.objects.get(additional_data__has_key="erasure")
    assert erasure.actor == second_manager
    assert erasure.additional_data["erasure"]["requested_by"] == manager.pk
    assert erasure.additional_data[PERSON_KEY] == person.pk


def test_an_erased_person_cannot_be_erased_again(manager, second_manager, person):
    _erase(person, manager, second_manager)
    with pytest.raises(ValidationError, match=str(services.ALREADY_ERASED)):
        services.erasure_request(actor=manager, job_customer=person, reason="Igen")


def test_an_associated_person_leaves_on_the_day_of_erasure(manager, second_manager, person):
    from django.utils import timezone

    assert person.associated_until is None
    _erase(person, manager, second_manager)
    person.refresh_from_db()
    assert person.associated_until == timezone.localdate()


# --- Pages ---------------------------------------------------------------------------------------


def test_the_flow_through_the_pages(client_for, manager, second_manager, person):
    asker, approver = client_for(manager), client_for(second_manager)
    page = reverse("privacy:person", args=[person.pk])
    assert asker.get(page).status_code == 200
    response = asker.post(reverse("privacy:erasure_request", args=[person.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Angiv begrundelsen for sletningen." in response.content.decode()
    response = asker.post(
        reverse("privacy:erasure_request", args=[person.pk]), {"reason": "Eget ønske"}
    )
    assert response.status_code == 302
    request = ErasureRequest.objects.get()
    html = asker.get(page).content.decode()
    assert "Du har anmodet om denne sletning" in html
    assert reverse("privacy:erasure_approve", args=[request.pk]) not in html
    # The asker posting an approval anyway is refused with the four-eyes message.
    response = asker.post(reverse("privacy:erasure_approve", args=[request.pk]), {"confirm": "on"})
    assert response.status_code == 400
    assert "En anden leder eller administrator skal godkende" in response.content.decode()
    html = approver.get(page).content.decode()
    assert reverse("privacy:erasure_approve", args=[request.pk]) in html
    assert approver.post(reverse("privacy:erasure_approve", args=[request.pk])).status_code == 400
    response = approver.post(
        reverse("privacy:erasure_approve", args=[request.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == services.ANONYMOUS_LAST_NAME
    assert "Slettet den" in approver.get(page).content.decode()


def test_the_page_as_an_htmx_fragment(manager_client, person):
    response = manager_client.get(
        reverse("privacy:person", args=[person.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="erasure"')


def test_the_advisor_sees_the_export_but_not_the_erasure(advisor_client, person):
    response = advisor_client.get(reverse("privacy:person", args=[person.pk]))
    html = response.content.decode()
    assert reverse("privacy:export_json", args=[person.pk]) in html
    assert reverse("privacy:erasure_request", args=[person.pk]) not in html
    assert (
        advisor_client.post(
            reverse("privacy:erasure_request", args=[person.pk]), {"reason": "x"}
        ).status_code
        == 403
    )


# --- The retention policy's list -------------------------------------------------------------------


def test_persons_ended_more_than_the_setting_ago_are_listed(
    manager_client, manager, second_manager, settings
):
    from django.utils import timezone

    settings.VARIG_ERASE_AFTER_YEARS = 5
    today = timezone.localdate()
    old = make_job_customer(
        last_name="Gammel",
        associated_from=datetime.date(2010, 1, 1),
        associated_until=today.replace(year=today.year - 6),
    )
    recent = make_job_customer(
        last_name="Nylig",
        associated_from=datetime.date(2010, 1, 1),
        associated_until=today.replace(year=today.year - 4),
    )
    active = make_job_customer(last_name="Aktiv")
    erased = make_job_customer(
        last_name="Slettes",
        associated_from=datetime.date(2010, 1, 1),
        associated_until=today.replace(year=today.year - 7),
    )
    _erase(erased, manager, second_manager)
    waiting = make_job_customer(
        last_name="Venter",
        associated_from=datetime.date(2010, 1, 1),
        associated_until=today.replace(year=today.year - 8),
    )
    services.erasure_request(actor=manager, job_customer=waiting, reason="Opbevaringsperioden")
    response = manager_client.get(reverse("privacy:erasure_list"))
    assert response.status_code == 200
    due = list(response.context["due"].object_list)
    assert [jc.pk for jc in due] == [waiting.pk, old.pk]
    assert [r.job_customer_id for r in response.context["open_requests"]] == [waiting.pk]
    assert recent not in due and active not in due
    settings.VARIG_ERASE_AFTER_YEARS = 3
    due = list(manager_client.get(reverse("privacy:erasure_list")).context["due"].object_list)
    assert recent in due
    fragment = manager_client.get(reverse("privacy:erasure_list"), HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div id="erasure-due">')


def test_the_list_is_for_managers(advisor_client):
    assert advisor_client.get(reverse("privacy:erasure_list")).status_code == 403


def test_the_list_costs_the_same_with_more_persons(client_for, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(manager)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("privacy:erasure_list")).status_code == 200
        return len(ctx.captured_queries)

    def ended(n):
        for _ in range(n):
            jc = make_job_customer(
                associated_from=datetime.date(2000, 1, 1),
                associated_until=datetime.date(2005, 1, 1),
            )
            services.erasure_request(actor=manager, job_customer=jc, reason="Opbevaring")

    ended(1)
    few = queries()
    ended(25)
    assert queries() == few


def test_the_demo_has_an_erasure_waiting_for_approval():
    call_command("demo", "--scale", "tiny", "--seed", "4", stdout=StringIO())
    request = ErasureRequest.objects.open().select_related("job_customer").get()
    assert request.job_customer.associated_until is not None

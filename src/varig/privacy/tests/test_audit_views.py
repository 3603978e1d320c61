"""The audit page: who may see it, its filters, changes field by field, bounded queries."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers import services as customer_services
from varig.customers.tests.factories import make_job_customer
from varig.privacy.audit import audit_read
from varig.privacy.forms import PERIOD_ORDER

pytestmark = pytest.mark.django_db
URL = reverse("audit:log")


def rows(response) -> list:
    return response.context["page"].rows


def test_managers_and_administrators_see_the_log(manager_client, administrator_client):
    assert manager_client.get(URL).status_code == 200
    assert administrator_client.get(URL).status_code == 200


def test_advisors_and_consultants_do_not(advisor_client, consultant_client):
    assert advisor_client.get(URL).status_code == 403
    assert consultant_client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))


def test_the_htmx_request_gets_the_results_only(manager_client):
    make_job_customer(last_name="Holm")
    response = manager_client.get(URL, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="audit-results">')
    assert "<form" not in html


def test_a_change_is_shown_field_by_field(manager_client, advisor):
    jc = make_job_customer(advisor=advisor, phone="11111111")
    customer_services.job_customer_update(
        actor=advisor, job_customer=jc, expected_version=jc.version, phone="22222222"
    )
    response = manager_client.get(URL, {"action": "update"})
    (row,) = rows(response)
    assert row.person.pk == jc.pk
    assert any(
        (c.field, c.before, c.after) == ("telefon", "11111111", "22222222") for c in row.changes
    )
    html = response.content.decode()
    assert "11111111" in html and "22222222" in html


def test_a_foreign_key_change_is_shown_by_name(manager_client, advisor, other_advisor):
    jc = make_job_customer(advisor=advisor)
    customer_services.job_customer_update(
        actor=advisor, job_customer=jc, expected_version=jc.version, advisor=other_advisor
    )
    (row,) = rows(manager_client.get(URL, {"action": "update"}))
    change = next(c for c in row.changes if c.field == "vejleder")
    assert (change.before, change.after) == ("Vera Vejleder", "Ole Vejleder")


def test_health_values_never_show(manager_client, advisor):
    jc = make_job_customer(advisor=advisor)
    customer_services.health_update(
        actor=advisor, job_customer=jc, diagnosis="Paranoid skizofreni", health_notes="Medicin"
    )
    response = manager_client.get(URL, {"job_customer": jc.pk})
    html = response.content.decode()
    assert "skizofreni" not in html and "Medicin" not in html
    assert "ændret (skjult)" in html


def test_filter_by_reference_and_by_name(manager_client, advisor):
    mette = make_job_customer(advisor=advisor, ref="JK-1001", first_name="Mette", last_name="Holm")
    hans = make_job_customer(advisor=advisor, ref="JK-1002", first_name="Hans", last_name="Berg")
    audit_read(job_customer=mette, user=advisor)
    audit_read(job_customer=hans, user=advisor)
    by_ref = rows(manager_client.get(URL, {"person": "jk-1001"}))
    assert by_ref and {r.person_id for r in by_ref} == {mette.pk}
    by_name = rows(manager_client.get(URL, {"person": "hans berg"}))
    assert by_name and {r.person_id for r in by_name} == {hans.pk}
    nobody = manager_client.get(URL, {"person": "Zacharias"})
    assert rows(nobody) == []
    assert "Ingen jobkunde matcher søgningen." in nobody.content.decode()


def test_filter_by_person_includes_entries_about_what_hangs_on_them(manager_client, advisor):
    jc = make_job_customer(advisor=advisor, ref="JK-2001")
    customer_services.contact_note_create(
        actor=advisor, job_customer=jc, kind="note", text="Ringede"
    )
    make_job_customer(advisor=advisor, ref="JK-2002")
    records = {
        r.entry.content_type.model for r in rows(manager_client.get(URL, {"person": "JK-2001"}))
    }
    assert records == {"jobcustomer", "contactnote"}


def test_filter_by_user(manager_client, advisor, other_advisor):
    jc = make_job_customer(advisor=advisor)
    audit_read(job_customer=jc, user=advisor)
    audit_read(job_customer=jc, user=other_advisor)
    found = rows(manager_client.get(URL, {"actor": other_advisor.pk}))
    assert [r.entry.actor for r in found] == [other_advisor]


def test_filter_by_action(manager_client, advisor):
    jc = make_job_customer(advisor=advisor)
    audit_read(job_customer=jc, user=advisor, document="export_pdf")
    reads = rows(manager_client.get(URL, {"action": "read"}))
    assert [r.entry.action for r in reads] == [LogEntry.Action.ACCESS]
    assert reads[0].document == "Dataudtræk (PDF)"
    created = rows(manager_client.get(URL, {"action": "create"}))
    assert {r.entry.action for r in created} == {LogEntry.Action.CREATE}


def test_filter_by_period(manager_client, advisor):
    jc = make_job_customer(advisor=advisor)
    for day in (datetime.date(2025, 1, 31), datetime.date(2025, 2, 1), datetime.date(2025, 2, 28)):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 30)))
        LogEntry.objects.log_create(
            jc, force_log=True, action=LogEntry.Action.ACCESS, timestamp=moment, actor=advisor
        )
    found = rows(
        manager_client.get(
            URL, {"action": "read", "date_from": "01-02-2025", "date_to": "28-02-2025"}
        )
    )
    assert sorted(timezone.localtime(r.entry.timestamp).date().day for r in found) == [1, 28]


def test_a_period_ending_before_it_starts_is_refused(manager_client):
    response = manager_client.get(URL, {"date_from": "10-02-2025", "date_to": "01-02-2025"})
    assert response.status_code == 400
    assert (
        str(PERIOD_ORDER) in response.content.decode()
        or "Periodens slut" in response.content.decode()
    )


def test_impossible_dates_and_unknown_users_are_refused(manager_client):
    assert manager_client.get(URL, {"date_from": "31-02-2025"}).status_code == 400
    assert manager_client.get(URL, {"actor": "999999"}).status_code == 400
    assert manager_client.get(URL, {"action": "drop"}).status_code == 400


def test_pages_go_back_in_time_without_counting_the_log(manager_client, advisor, settings):
    settings.VARIG_PAGE_SIZE = 10
    jc = make_job_customer(advisor=advisor)
    for _ in range(14):
        audit_read(job_customer=jc, user=advisor)
    first = manager_client.get(URL, {"action": "read"})
    page = first.context["page"]
    assert (len(page.rows), page.has_previous, page.has_next) == (10, False, True)
    assert 'rel="next"' in first.content.decode()
    second = manager_client.get(URL, {"action": "read", "page": 2}).context["page"]
    assert (len(second.rows), second.has_previous, second.has_next) == (4, True, False)
    newest_first = [r.entry.pk for r in page.rows]
    assert newest_first == sorted(newest_first, reverse=True)
    assert manager_client.get(URL, {"page": "x"}).context["page"].number == 1


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _activity(advisor, n: int) -> None:
    from varig.employers.tests.factories import make_company

    company = make_company()
    for i in range(n):
        jc = make_job_customer(advisor=advisor)
        customer_services.job_customer_update(
            actor=advisor, job_customer=jc, expected_version=jc.version, phone=f"{i:08d}"
        )
        customer_services.consent_give(
            actor=advisor, job_customer=jc, company=company, given_on=timezone.localdate()
        )
        audit_read(job_customer=jc, user=advisor, document="welcome_pack")


def test_the_query_count_does_not_grow_with_the_entries(client_for, advisor):
    manager = make_user(role=Role.MANAGER, email="leder@example.dk")
    client = client_for(manager)
    _activity(advisor, 1)
    few = _queries(client, {})
    searched_few = _queries(client, {"person": "Test", "action": "update"})
    _activity(advisor, 25)
    assert _queries(client, {}) == few
    assert _queries(client, {"person": "Test", "action": "update"}) == searched_few
    assert few <= 12

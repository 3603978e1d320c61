"""The person's data export (GDPR art. 15 and 20): every table that hangs on the person, as
JSON and as a readable PDF, only for those who may see their health; audited."""

import json

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from varig.core.sections import PERSON, sections_for
from varig.core.tests.pdf import pdf_text
from varig.customers.models import JobCustomer
from varig.customers.tests.factories import make_job_customer
from varig.privacy.audit import DOCUMENT_KEY, PERSON_KEY
from varig.privacy.export import NOT_EXPORTED, export_models, person_export

from .factories import DIAGNOSIS, NOTE_TEXT, make_full_person

pytestmark = pytest.mark.django_db


def test_every_model_with_a_foreign_key_to_a_job_customer_is_in_the_export():
    """A new app's model about a person is exported without anyone remembering to add it."""
    exported = {model for model, _path in export_models()}
    for model in apps.get_models():
        if model is JobCustomer or model._meta.label_lower in NOT_EXPORTED:
            continue
        points_at_person = any(
            f.is_relation and f.related_model is JobCustomer for f in model._meta.concrete_fields
        )
        if points_at_person and model._meta.app_label != "auditlog":
            assert model in exported, f"{model._meta.label} is not in the person's export"


def test_models_reached_through_another_are_exported_too():
    labels = {model._meta.label_lower for model, _path in export_models()}
    assert {"customers.goal", "customers.goalreview", "placements.tierchange"} <= labels


@pytest.fixture
def person(advisor, consultant):
    return make_full_person(advisor=advisor, colleague=consultant)


def test_the_json_holds_everything_about_the_person(manager_client, person):
    response = manager_client.get(reverse("privacy:export_json", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert f'filename="dataudtraek-{person.ref}.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == "varig-person-export/1"
    assert data["job_customer"]["first_name"] == "Mette"
    assert data["job_customer"]["birth_date"] == "1985-06-01"
    for label in (
        "customers.healthinfo",
        "customers.readinessassessment",
        "customers.accommodation",
        "customers.consent",
        "customers.contactnote",
        "customers.task",
        "customers.plan",
        "customers.goal",
        "customers.guidancesession",
        "customers.goalreview",
        "customers.caseloadshare",
        "placements.placement",
        "placements.followup",
        "alerts.flag",
        "alerts.period",
    ):
        assert data["data"][label], f"{label} is empty"
    assert data["data"]["customers.healthinfo"][0]["diagnosis"] == DIAGNOSIS
    assert data["data"]["customers.contactnote"][0]["text"] == NOTE_TEXT
    assert data["data"]["placements.placement"][0]["company"]["name"] == "Bageriet Solsikken ApS"
    assert data["data"]["placements.placement"][0]["started_on"] == "2016-05-01"
    # Who read or changed the record is in it as well, without the changed values.
    actions = {row["action"] for row in data["audit_log"]}
    assert {"create", "read"} <= actions


def test_the_pdf_reads_as_a_document(manager_client, person):
    response = manager_client.get(reverse("privacy:export_pdf", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "Alt, hvad vi har registreret om dig",
        "Mette Holm",
        DIAGNOSIS,
        NOTE_TEXT,
        "Bageriet Solsikken ApS",
        "Skånejob",
        "01-05-2016",
        "Hvem har læst eller ændret dine oplysninger",
    ):
        assert expected in text, expected


def test_each_download_is_audited(advisor_client, advisor, person):
    for name, document in (
        ("privacy:export_json", "export_json"),
        ("privacy:export_pdf", "export_pdf"),
    ):
        assert advisor_client.get(reverse(name, args=[person.pk])).status_code == 200
        entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("-pk").first()
        assert entry.additional_data == {PERSON_KEY: person.pk, DOCUMENT_KEY: document}
        assert entry.actor == advisor


def test_only_those_who_may_see_health_may_export(
    client_for, advisor, consultant, other_advisor, administrator, person
):
    url = reverse("privacy:export_json", args=[person.pk])
    assert client_for(advisor).get(url).status_code == 200
    assert client_for(administrator).get(url).status_code == 200
    # Shared with the consultant, but a share never includes health: no export.
    assert client_for(consultant).get(url).status_code == 403
    assert client_for(other_advisor).get(url).status_code == 403


def test_export_of_a_person_with_nothing_else(manager):
    jc = make_job_customer(first_name="Ny", last_name="Person")
    export = person_export(job_customer=jc)
    assert export.person["last_name"] == "Person"
    assert all(section.rows == [] for section in export.sections)


def test_the_section_on_the_persons_page(client_for, advisor, consultant, manager, person):
    url = reverse("customers:detail", args=[person.pk])
    own = client_for(advisor).get(url).content.decode()
    assert reverse("privacy:export_pdf", args=[person.pk]) in own
    assert reverse("privacy:erasure_request", args=[person.pk]) not in own
    shared = client_for(consultant).get(url).content.decode()
    assert reverse("privacy:export_pdf", args=[person.pk]) not in shared
    managers = client_for(manager).get(url).content.decode()
    assert reverse("privacy:person", args=[person.pk]) in managers
    assert f"{reverse('audit:log')}?job_customer={person.pk}" in managers


def test_the_section_costs_at_most_one_query(advisor, manager, person):
    from varig.privacy.sections import person_section

    for user in (advisor, manager):
        user.role_names  # noqa: B018 (the page has loaded the roles already)
        with CaptureQueriesContext(connection) as ctx:
            section = person_section(user=user, job_customer=person)
        assert section is not None
        assert len(ctx.captured_queries) <= 1
    assert any(
        s.template == "privacy/_person.html"
        for s in sections_for(PERSON, user=manager, job_customer=person)
    )

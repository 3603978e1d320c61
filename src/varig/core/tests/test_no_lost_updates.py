"""No lost updates: two people open the same edit form; the first saves; the second's save is
refused with what changed in the meantime (field, who and when, their value and yours), and
the first person's change stays. Two sessions, two clients, through the real pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from varig.core.services import STALE_EDIT, version_check_and_bump
from varig.customers.models import JobCustomer
from varig.customers.tests.factories import make_job_customer
from varig.employers.models import Company
from varig.employers.tests.factories import make_company
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement

from .forms import form_data

pytestmark = pytest.mark.django_db


def _errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def _now() -> str:
    """When the first save was made, as the refusal shows it (from its audit entry)."""
    from auditlog.models import LogEntry

    saved = LogEntry.objects.latest("pk").timestamp
    return formats.date_format(timezone.localtime(saved), "SHORT_DATETIME_FORMAT")


@pytest.fixture
def vera_and_lone(advisor, manager, client_for):
    """Vera (the advisor) and Lone (a manager), each logged in in a browser of their own."""
    return client_for(advisor), client_for(manager)


def _two_sessions(url, vera, lone, *, vera_changes: dict, lone_changes: dict):
    """Both open the form; Vera saves first, then Lone saves with the version she was shown."""
    vera_form = vera.get(url).context["form"]
    lone_form = lone.get(url).context["form"]
    assert vera_form["version"].value() == lone_form["version"].value()
    first = vera.post(url, form_data(vera_form, **vera_changes))
    assert first.status_code == 302, first.context["form"].errors if first.context else first
    return lone.post(url, form_data(lone_form, **lone_changes))


def test_job_customer_form_refuses_the_second_save_and_says_what_changed(vera_and_lone, advisor):
    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor, phone="11111111", municipality="Roskilde")
    url = reverse("customers:edit", args=[person.pk])
    response = _two_sessions(
        url,
        vera,
        lone,
        vera_changes={"phone": "22222222"},
        lone_changes={"phone": "33333333", "municipality": "Køge"},
    )
    assert response.status_code == 400
    errors = _errors(response)
    assert errors[0] == str(STALE_EDIT)
    assert errors[1:] == [
        f"Telefon: Vera Vejleder ændrede det {_now()} til »22222222«; din værdi var »33333333«."
    ]
    assert "ændrede det" in response.text and "»22222222«" in response.text
    person.refresh_from_db()
    assert (person.phone, person.municipality, person.version) == ("22222222", "Roskilde", 2)


def test_company_form_refuses_the_second_save_and_says_what_changed(vera_and_lone):
    vera, lone = vera_and_lone
    company = make_company(name="Bageriet Solsikken ApS", city="Roskilde", employees=12)
    url = reverse("employers:edit", args=[company.pk])
    response = _two_sessions(
        url,
        vera,
        lone,
        vera_changes={"city": "Køge", "employees": "14"},
        lone_changes={"notes": "Ny leder"},
    )
    assert response.status_code == 400
    errors = _errors(response)
    assert errors[0] == str(STALE_EDIT)
    # Lone did not touch the city or the employees, but her form still held the old values.
    assert sorted(errors[1:]) == sorted(
        [
            f"By: Vera Vejleder ændrede det {_now()} til »Køge«; din værdi var »Roskilde«.",
            f"Antal ansatte: Vera Vejleder ændrede det {_now()} til »14«; din værdi var »12«.",
        ]
    )
    company.refresh_from_db()
    assert (company.city, company.employees, company.notes) == ("Køge", 14, "")


def test_placement_form_refuses_the_second_save_and_says_what_changed(vera_and_lone, advisor):
    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    placement = make_placement(
        job_customer=person,
        kind=Placement.Kind.FLEKSJOB,
        started_on=datetime.date(2025, 3, 1),
        hours_per_week=12,
        desired_job=False,
    )
    url = reverse("placements:edit", args=[placement.pk])
    response = _two_sessions(
        url,
        vera,
        lone,
        vera_changes={"hours_per_week": "15", "desired_job": "on"},
        lone_changes={"tasks": "Kasse og lager"},
    )
    assert response.status_code == 400
    errors = _errors(response)
    assert errors[0] == str(STALE_EDIT)
    assert sorted(errors[1:]) == sorted(
        [
            f"Timer pr. uge: Vera Vejleder ændrede det {_now()} til »15«; din værdi var »12«.",
            f"Det ønskede job: Vera Vejleder ændrede det {_now()} til »Ja«; din værdi var »Nej«.",
        ]
    )
    placement.refresh_from_db()
    assert placement.hours_per_week == 15 and placement.desired_job and placement.tasks == ""


def test_the_plan_form_refuses_the_second_save(vera_and_lone, advisor):
    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    url = reverse("customers:plan", args=[person.pk])
    vera_form = vera.get(url).context["form"]
    lone_form = lone.get(url).context["form"]
    assert vera.post(url, form_data(vera_form, own_words="Jeg vil bage")).status_code == 302
    response = lone.post(url, form_data(lone_form, own_words="Jeg vil sælge"))
    assert response.status_code == 400
    text = re.sub(r"\s+", " ", response.text)
    assert "Vera Vejleder ændrede det" in text and "»Jeg vil bage«" in text


def test_a_save_with_the_current_version_goes_through(vera_and_lone, advisor):
    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor, phone="11111111")
    url = reverse("customers:edit", args=[person.pk])
    form = vera.get(url).context["form"]
    assert vera.post(url, form_data(form, phone="22222222")).status_code == 302
    # Lone opens the form after Vera's save: hers is the newest version and is saved.
    form = lone.get(url).context["form"]
    assert lone.post(url, form_data(form, phone="33333333")).status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.version) == ("33333333", 3)


def test_a_change_that_bypassed_the_audit_log_still_refuses_with_the_plain_message(advisor):
    from django.core.exceptions import ValidationError

    person = make_job_customer(advisor=advisor)
    JobCustomer.objects.filter(pk=person.pk).update(version=5)
    with pytest.raises(ValidationError) as exc:
        version_check_and_bump(person, expected_version=1)
    assert exc.value.messages == [str(STALE_EDIT)]


def test_every_versioned_model_has_its_version_in_its_edit_form():
    """The models with a version and the forms that edit them: each form carries it."""
    from varig.customers.forms import JobCustomerForm, PlanForm
    from varig.customers.models import Plan
    from varig.employers.forms import CompanyForm
    from varig.placements.forms import PlacementEditForm

    versioned = {
        m
        for m in (JobCustomer, Company, Placement, Plan)
        if any(f.name == "version" for f in m._meta.fields)
    }
    assert versioned == {JobCustomer, Company, Placement, Plan}
    for form in (JobCustomerForm, CompanyForm, PlacementEditForm, PlanForm):
        assert "version" in form.base_fields, form

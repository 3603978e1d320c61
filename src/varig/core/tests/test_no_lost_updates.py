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
from varig.employers.tests.factories import make_company, make_contact
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
    from varig.core.forms import UserForm
    from varig.core.models import User
    from varig.customers.forms import (
        GoalForm,
        HealthForm,
        JobCustomerForm,
        JobWishesForm,
        PlanForm,
    )
    from varig.customers.models import Goal, HealthInfo, JobWishes, Plan
    from varig.employers.forms import CompanyForm, ContactForm
    from varig.employers.models import CompanyContact
    from varig.placements.anniversary_forms import CelebrationForm
    from varig.placements.forms import FollowUpRecordForm, PlacementEditForm
    from varig.placements.models import Celebration, FollowUp

    edit_forms = {
        JobCustomer: JobCustomerForm,
        Company: CompanyForm,
        Placement: PlacementEditForm,
        Plan: PlanForm,
        JobWishes: JobWishesForm,
        HealthInfo: HealthForm,
        Goal: GoalForm,
        CompanyContact: ContactForm,
        FollowUp: FollowUpRecordForm,
        User: UserForm,
        Celebration: CelebrationForm,
    }
    for model, form in edit_forms.items():
        assert any(f.name == "version" for f in model._meta.fields), model
        assert "version" in form.base_fields, form


# --- The edit forms that got their version later (issue 7) -------------------------------------


def _saved_at(instance) -> str:
    """When `instance` was last saved, as a refusal shows it (from its newest audit entry)."""
    from auditlog.models import LogEntry

    saved = LogEntry.objects.get_for_object(instance).latest("pk").timestamp
    return formats.date_format(timezone.localtime(saved), "SHORT_DATETIME_FORMAT")


def _refusal(response, form_name: str = "form") -> list[str]:
    assert response.status_code == 400, response.status_code
    errors = [str(e) for e in response.context[form_name].non_field_errors()]
    assert errors[0] == str(STALE_EDIT)
    assert str(STALE_EDIT)[:40] in response.text
    return errors[1:]


def _person_card_form(client, person, name: str):
    """A form of the person's page as the card shows it when it is opened."""
    url = reverse("customers:detail", args=[person.pk])
    return client.get(url, {"open": name}).context[name]


def test_job_wishes_refuse_the_second_save(vera_and_lone, advisor):
    from varig.customers import services as customer_services
    from varig.customers.models import JobWishes

    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    customer_services.job_wishes_update(actor=advisor, job_customer=person, wished_jobs="Lager")
    url = reverse("customers:job_wishes_edit", args=[person.pk])
    vera_form = _person_card_form(vera, person, "wishes_form")
    lone_form = _person_card_form(lone, person, "wishes_form")
    assert vera_form["version"].value() == lone_form["version"].value() == 1
    first = vera.post(url, form_data(vera_form, wished_jobs="Bager"))
    assert first.status_code == 302
    response = lone.post(url, form_data(lone_form, dream_job="Boghandel"))
    wishes = JobWishes.objects.get(job_customer=person)
    assert _refusal(response, "wishes_form") == [
        f"Ønskede job: Vera Vejleder ændrede det {_saved_at(wishes)} til »Bager«; "
        "din værdi var »Lager«."
    ]
    assert (wishes.wished_jobs, wishes.dream_job, wishes.version) == ("Bager", "", 2)


def test_job_wishes_created_meanwhile_are_not_overwritten(vera_and_lone, advisor):
    """Both open the empty card; the first save creates the wishes, the second is refused."""
    from varig.customers.models import JobWishes

    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    url = reverse("customers:job_wishes_edit", args=[person.pk])
    vera_form = _person_card_form(vera, person, "wishes_form")
    lone_form = _person_card_form(lone, person, "wishes_form")
    assert vera_form["version"].value() == 0
    assert vera.post(url, form_data(vera_form, wished_jobs="Bager")).status_code == 302
    response = lone.post(url, form_data(lone_form, wished_jobs="Kasse"))
    assert "»Bager«" in _refusal(response, "wishes_form")[0]
    assert JobWishes.objects.get(job_customer=person).wished_jobs == "Bager"


def test_health_information_refuses_the_second_save(vera_and_lone, advisor):
    from varig.customers import services as customer_services

    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    customer_services.health_update(actor=advisor, job_customer=person, diagnosis="Angst")
    url = reverse("customers:health_edit", args=[person.pk])
    vera_form = _person_card_form(vera, person, "health_form")
    lone_form = _person_card_form(lone, person, "health_form")
    first = vera.post(url, form_data(vera_form, health_notes="Sover dårligt"))
    assert first.status_code == 302
    response = lone.post(url, form_data(lone_form, diagnosis="Angst og depression"))
    person.health.refresh_from_db()
    health = person.health
    # Lone did not change the notes, but her form would have emptied them.
    assert _refusal(response, "health_form") == [
        f"Helbredsnoter: Vera Vejleder ændrede det {_saved_at(health)} til »Sover dårligt«; "
        "din værdi var »(tom)«."
    ]
    assert (health.diagnosis, health.health_notes, health.version) == (
        "Angst",
        "Sover dårligt",
        2,
    )


def test_a_goal_form_refuses_the_second_save(vera_and_lone, advisor):
    from varig.customers import services as customer_services

    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    goal = customer_services.goal_create(
        actor=advisor, job_customer=person, title="Et job i en boghandel"
    )
    url = reverse("customers:goal_edit", args=[person.pk, goal.pk])
    response = _two_sessions(
        url,
        vera,
        lone,
        vera_changes={"status": "in_progress"},
        lone_changes={"description": "Først et job i detailhandlen"},
    )
    goal.refresh_from_db()
    assert _refusal(response) == [
        f"Status: Vera Vejleder ændrede det {_saved_at(goal)} til »I gang«; "
        "din værdi var »Ikke startet«."
    ]
    assert (goal.status, goal.description, goal.version) == ("in_progress", "", 2)


def test_a_goal_reviewed_in_a_guidance_session_makes_an_open_goal_form_stale(
    vera_and_lone, advisor
):
    from varig.customers import services as customer_services

    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    goal = customer_services.goal_create(actor=advisor, job_customer=person, title="Et job")
    url = reverse("customers:goal_edit", args=[person.pk, goal.pk])
    lone_form = lone.get(url).context["form"]
    # Vera reviews the goal in a guidance session: it is achieved.
    session_url = reverse("customers:guidance_create", args=[person.pk])
    session_form = vera.get(session_url).context["form"]
    changes = {"topic": "Status", f"goal_{goal.pk}_status": "achieved"}
    assert vera.post(session_url, form_data(session_form, **changes)).status_code == 302
    response = lone.post(url, form_data(lone_form, title="Et job i en butik"))
    assert _refusal(response) == [
        f"Status: Vera Vejleder ændrede det {_saved_at(goal)} til »Nået«; "
        "din værdi var »Ikke startet«."
    ]
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Et job", "achieved")


def test_a_contact_person_form_refuses_the_second_save(vera_and_lone):
    vera, lone = vera_and_lone
    company = make_company(name="Bageriet Solsikken ApS")
    contact = make_contact(company=company, name="Per Mester", phone="11111111")
    url = reverse("employers:contact_edit", args=[contact.pk])
    response = _two_sessions(
        url, vera, lone, vera_changes={"phone": "22222222"}, lone_changes={"role": "Mentor"}
    )
    contact.refresh_from_db()
    assert _refusal(response) == [
        f"Telefon: Vera Vejleder ændrede det {_saved_at(contact)} til »22222222«; "
        "din værdi var »11111111«."
    ]
    assert (contact.phone, contact.role, contact.version) == ("22222222", "", 2)


def test_a_contact_who_left_makes_an_open_contact_form_stale(vera_and_lone, advisor):
    from varig.employers import services as employer_services

    _vera, lone = vera_and_lone
    contact = make_contact(company=make_company(), name="Per Mester")
    url = reverse("employers:contact_edit", args=[contact.pk])
    lone_form = lone.get(url).context["form"]
    employer_services.contact_end(contact=contact, active_until=timezone.localdate())
    response = lone.post(url, form_data(lone_form, role="Mentor"))
    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.active_until == timezone.localdate() and contact.role == ""


def _placement_with_followups(person):
    from varig.placements import services as placement_services

    today = timezone.localdate()
    return placement_services.placement_create(
        user=person.advisor,
        job_customer=person,
        company=make_company(),
        kind=Placement.Kind.PRAKTIK,
        started_on=today - datetime.timedelta(days=30),
        planned_end_on=today + datetime.timedelta(days=60),
    )


def test_a_followup_record_refuses_the_second_save(vera_and_lone, advisor):
    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    followup = _placement_with_followups(person).followups.order_by("due_on", "pk").first()
    url = reverse("placements:followup_record", args=[followup.pk])
    response = _two_sessions(
        url,
        vera,
        lone,
        vera_changes={"agreed_actions": "Vera ringer til mentoren"},
        lone_changes={"agreed_actions": "Lone skriver til virksomheden"},
    )
    followup.refresh_from_db()
    when = _saved_at(followup)
    assert _refusal(response) == [
        f"Aftalte handlinger: Vera Vejleder ændrede det {when} til »Vera ringer til mentoren«; "
        "din værdi var »Lone skriver til virksomheden«."
    ]
    assert (followup.agreed_actions, followup.version) == ("Vera ringer til mentoren", 2)


def test_a_dropped_followup_makes_an_open_record_form_stale(vera_and_lone, advisor):
    _vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    followup = _placement_with_followups(person).followups.order_by("due_on", "pk").first()
    url = reverse("placements:followup_record", args=[followup.pk])
    lone_form = lone.get(url).context["form"]
    cancel = reverse("placements:followup_cancel", args=[followup.pk])
    vera = _vera
    assert vera.post(cancel, {"cancel_reason": "Praktikken er stoppet"}).status_code == 302
    response = lone.post(url, form_data(lone_form, agreed_actions="Ny aftale"))
    followup.refresh_from_db()
    assert _refusal(response) == [
        f"Status: Vera Vejleder ændrede det {_saved_at(followup)} til »Aflyst«; "
        "din værdi var »Afholdt«."
    ]
    assert (followup.status, followup.agreed_actions) == ("cancelled", "")


def test_the_user_form_refuses_the_second_save_and_names_the_roles(administrator, client_for):
    from varig.core.models import Role
    from varig.core.tests.factories import make_user

    anders = client_for(administrator)
    birgit = client_for(
        make_user(role=Role.ADMINISTRATOR, name="Birgit Admin", email="birgit@example.dk")
    )
    edited = make_user(role=Role.ADVISOR, name="Ole Vejleder", email="ole@example.dk")
    url = reverse("core:user_edit", args=[edited.pk])
    anders_form = anders.get(url).context["form"]
    birgit_form = birgit.get(url).context["form"]
    first = anders.post(url, form_data(anders_form, name="Ole Hansen", roles=["vejleder", "leder"]))
    assert first.status_code == 302
    response = birgit.post(url, form_data(birgit_form, language="en"))
    edited.refresh_from_db()
    assert _refusal(response) == [
        f"Navn: Anders Admin ændrede det {_saved_at(edited)} til »Ole Hansen«; "
        "din værdi var »Ole Vejleder«.",
        "Roller: nu »Vejleder, Leder«; dine var »Vejleder«.",
    ]
    assert (edited.name, edited.language, edited.version) == ("Ole Hansen", "da", 2)
    assert edited.role_names == {"vejleder", "leder"}


def test_a_users_own_language_choice_makes_an_open_user_form_stale(administrator, client_for):
    from varig.core.models import Role
    from varig.core.tests.factories import make_user

    anders = client_for(administrator)
    edited = make_user(role=Role.ADVISOR, name="Ole Vejleder", email="ole@example.dk")
    url = reverse("core:user_edit", args=[edited.pk])
    anders_form = anders.get(url).context["form"]
    ole = client_for(edited)
    assert ole.post(reverse("core:set_language"), {"language": "en"}).status_code == 302
    response = anders.post(url, form_data(anders_form, name="Ole Hansen"))
    assert "»English«" in _refusal(response)[0]
    edited.refresh_from_db()
    assert (edited.name, edited.language) == ("Ole Vejleder", "en")


def test_the_celebration_form_refuses_the_second_save(vera_and_lone, advisor):
    from varig.customers.tests.factories import make_consent
    from varig.placements import services as placement_services
    from varig.placements.models import Celebration

    vera, lone = vera_and_lone
    person = make_job_customer(advisor=advisor)
    company = make_company(name="Bageriet Solsikken ApS")
    make_consent(job_customer=person, company=company, may_contact=True)
    placement_services.placement_create(
        user=advisor,
        job_customer=person,
        company=company,
        kind=Placement.Kind.SKAANEJOB,
        started_on=timezone.localdate() - datetime.timedelta(days=2 * 365 - 10),
    )
    url = reverse(
        "anniversaries:celebration",
        kwargs={"job_customer": person.pk, "company": company.pk, "years": 2},
    )
    # Neither had saved a celebration when they opened the form: the first save creates it.
    response = _two_sessions(
        url,
        vera,
        lone,
        vera_changes={"note": "Kage fra bageriet"},
        lone_changes={"note": "Blomster", "invite_relatives": None},
    )
    celebration = Celebration.objects.get(job_customer=person)
    when = _saved_at(celebration)
    # Vera's save created it, so every field Lone would set differently is listed.
    assert sorted(_refusal(response)) == [
        f"Note: Vera Vejleder ændrede det {when} til »Kage fra bageriet«; "
        "din værdi var »Blomster«.",
        f"Pårørende er inviteret: Vera Vejleder ændrede det {when} til »Ja«; din værdi var »Nej«.",
    ]
    assert (celebration.note, celebration.invite_relatives) == ("Kage fra bageriet", True)

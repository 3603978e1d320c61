"""An admin-help task in a real browser: an advisor opens a person, creates a housing benefit
task from the card on the person's page, ticks two steps (htmx, under the strict CSP) and sets
the task to done."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from varig.adminhelp.models import AdminTask, TaskStatus
from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.tests.factories import make_job_customer

from .factories import make_due_task


@pytest.mark.django_db(transaction=True)
def test_advisor_creates_a_housing_benefit_task_ticks_steps_and_finishes_it(
    live_server, page, log_in, screenshot, console_errors
):
    advisor = make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    person = make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm")

    make_due_task(job_customer=person, responsible=advisor, due_on=timezone.localdate(), kind="tax")

    # I dag shows the tax task due today; the person's page shows it on the card.
    log_in(advisor)
    page.goto(f"{live_server.url}/")
    today = page.locator("#today-adminhelp")
    expect(today.get_by_role("link", name="Skat: ret forskudsopgørelsen")).to_be_visible()
    screenshot("adminhelp-today")
    today.get_by_role("link", name="Mette Holm").click()
    page.wait_for_url(f"**/jobkunder/{person.pk}/")
    card = page.locator("#adminhelp")
    expect(card.get_by_text("Skat: ret forskudsopgørelsen")).to_be_visible()  # loaded itself
    card.get_by_role("link", name="Ny opgave").click()
    page.wait_for_url(f"**/myndighedshjaelp/jobkunde/{person.pk}/ny/")
    page.get_by_label("Boligstøtte: meld den nye indtægt").check()
    page.get_by_label("Noter").fill("Starter i skånejob på lageret 1. januar, 12 timer om ugen.")
    expect(page.get_by_label("Ansvarlig vejleder")).to_have_value(str(advisor.pk))
    screenshot("adminhelp-create")
    page.get_by_role("button", name="Opret opgaven").click()

    page.wait_for_url("**/myndighedshjaelp/*/")
    expect(page.get_by_text("Opgaven er oprettet med sin tjekliste.")).to_be_visible()
    expect(page.get_by_text("0 af 6 klaret")).to_be_visible()
    checklist = page.locator("#checklist")
    checklist.get_by_role("button", name="Sæt flueben").first.click()
    expect(page.get_by_text("1 af 6 klaret")).to_be_visible()
    checklist = page.locator("#checklist")
    checklist.get_by_role("button", name="Sæt flueben").first.click()
    expect(page.get_by_text("2 af 6 klaret")).to_be_visible()
    expect(page.locator("#checklist").get_by_text("Afkrydset af Vera Vejleder")).to_have_count(2)
    screenshot("adminhelp-checklist")

    page.get_by_role("button", name="Markér som klaret").click()
    expect(page.get_by_text("Opgaven er nu: Klaret.")).to_be_visible()
    expect(page.get_by_role("button", name="Sæt flueben")).to_have_count(0)
    screenshot("adminhelp-done")
    task = AdminTask.objects.get(kind="housing_benefit")
    assert task.status == TaskStatus.DONE and task.kind == "housing_benefit"
    assert [i.done_by_id for i in task.items.order_by("position")][:3] == [
        advisor.pk,
        advisor.pk,
        None,
    ]

    page.goto(f"{live_server.url}/jobkunder/{person.pk}/")
    expect(page.locator("#adminhelp").get_by_text("1 lukket")).to_be_visible()
    screenshot("adminhelp-person-card")
    assert console_errors == []

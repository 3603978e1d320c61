"""A call-round in a real browser: a manager starts it, an advisor records the outcomes of
their calls (htmx, under the strict CSP), and the manager sees the progress."""

import pytest
from playwright.sync_api import expect

from varig.callrounds.models import Call, Campaign
from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.models import Task
from varig.customers.tests.factories import make_job_customer


def _log_out(page):
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/login/**")


@pytest.mark.django_db(transaction=True)
def test_start_a_call_round_record_outcomes_and_see_the_progress(
    live_server, page, log_in, screenshot, console_errors
):
    manager = make_user(role=Role.MANAGER, name="Lone Leder", email="lone@example.dk")
    advisor = make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    for first, last, phone in (
        ("Anna", "Andersen", "11 22 33 44"),
        ("Bo", "Berg", "22 33 44 55"),
        ("Cecilie", "Holm", "33 44 55 66"),
    ):
        make_job_customer(advisor=advisor, first_name=first, last_name=last, phone=phone)

    # The manager starts the call-round from "I dag".
    log_in(manager)
    page.get_by_role("link", name="Start en ringerunde").first.click()
    page.get_by_label("Navn").fill("Corona-ringerunde")
    page.get_by_label("Hvad vi spørger om").fill(
        "Hør, hvordan det går, og om der er brug for hjælp."
    )
    page.get_by_label("Alle tilknyttede").check()
    expect(page.get_by_label("Vera Vejleder")).to_be_checked()  # advisors call by default
    screenshot("callrounds-create")
    page.get_by_role("button", name="Lav opkaldslisten").click()
    page.wait_for_url("**/ringerunder/*/")
    expect(
        page.get_by_text("Ringerunden er lavet: 3 opkald er fordelt mellem opringerne.")
    ).to_be_visible()
    expect(page.get_by_text("0 af 3 klaret (0 %)").first).to_be_visible()
    campaign = Campaign.objects.get()
    assert set(campaign.calls.values_list("caller", flat=True)) == {advisor.pk}
    _log_out(page)

    # The advisor sees the calls on "I dag" and records each.
    log_in(advisor)
    page.get_by_role("link", name="Ring de 3 opkald, der venter").click()
    page.wait_for_url("**/ringerunder/mine/")
    expect(page.get_by_text("Hør, hvordan det går, og om der er brug for hjælp.")).to_be_visible()
    calls = {c.job_customer.first_name: c for c in campaign.calls.select_related("job_customer")}

    anna = page.locator(f"#call-{calls['Anna'].pk}")
    anna.get_by_role("button", name="Talt med, alt er vel").click()
    expect(anna.get_by_text("Registreret.")).to_be_visible()

    bo = page.locator(f"#call-{calls['Bo'].pk}")
    bo.get_by_role("button", name="Talt med, har brug for hjælp").click()
    expect(bo.get_by_text("Skriv, hvad personen har brug for hjælp til")).to_be_visible()
    bo.get_by_label("Note").fill("Bekymret for jobbet, vil gerne ringes op af vejlederen.")
    bo.get_by_role("button", name="Talt med, har brug for hjælp").click()
    expect(bo.get_by_text("Der er lavet en opgave til vejlederen.")).to_be_visible()

    cecilie = page.locator(f"#call-{calls['Cecilie'].pk}")
    cecilie.get_by_role("button", name="Ikke fået fat").click()
    expect(cecilie.get_by_text("1 forsøg indtil nu")).to_be_visible()
    screenshot("callrounds-my-calls")
    assert Call.objects.filter(status="retry").count() == 1
    assert Task.objects.get().title.startswith("Har brug for hjælp")
    _log_out(page)

    # The manager sees the progress.
    log_in(manager)
    page.goto(f"{live_server.url}/ringerunder/{campaign.pk}/")
    expect(page.get_by_text("2 af 3 klaret (67 %)").first).to_be_visible()
    progress = page.locator("progress").first
    expect(progress).to_have_attribute("value", "2")
    expect(progress).to_have_attribute("max", "3")
    page.get_by_label("Status").select_option("to_do")
    expect(page.locator("#call-results tbody tr")).to_have_count(1)
    screenshot("callrounds-campaign")
    assert console_errors == []

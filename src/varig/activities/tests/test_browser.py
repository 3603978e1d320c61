"""A run of Klædt på til job in a real browser: create it, add a session, enroll one more
than its places, cancel one, see the person waiting move up, take attendance."""

import datetime

import pytest
from playwright.sync_api import expect

from varig.activities.models import Attendance, Enrollment, Run
from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.tests.factories import make_job_customer

from .factories import seed_catalogue


@pytest.mark.django_db(transaction=True)
def test_a_run_fills_its_places_moves_the_waitlist_up_and_takes_attendance(
    live_server, page, log_in, screenshot, console_errors
):
    seed_catalogue()  # an earlier transactional test may have emptied the tables
    advisor = make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    people = [
        make_job_customer(advisor=advisor, first_name=first, last_name=last, ref=ref)
        for first, last, ref in [
            ("Mette", "Holm", "JK-000101"),
            ("Hans", "Berg", "JK-000102"),
            ("Sofie", "Lund", "JK-000103"),
        ]
    ]
    day = datetime.date.today() + datetime.timedelta(days=7)

    log_in(advisor)
    page.goto(f"{live_server.url}/aktiviteter/")
    page.get_by_role("link", name="Klædt på til job", exact=True).click()
    expect(page.get_by_role("heading", name="Klædt på til job")).to_be_visible()
    page.get_by_role("link", name="Nyt hold").click()
    page.get_by_label("Holdets navn").fill("Forår")
    page.get_by_label("Pladser").fill("2")
    page.get_by_role("button", name="Opret hold").click()
    page.wait_for_url("**/aktiviteter/hold/*/")
    run = Run.objects.get()
    assert run.capacity == 2 and run.leader == advisor

    page.get_by_role("link", name="Tilføj mødegang").click()
    page.get_by_label("Dato").fill(day.strftime("%d-%m-%Y"))
    page.get_by_label("Starter").fill("09:00")
    page.get_by_label("Slutter").fill("12:00")
    page.get_by_label("Emne").fill("Kompetenceafklaring")
    page.get_by_role("button", name="Gem mødegang").click()
    page.wait_for_url(f"**/aktiviteter/hold/{run.pk}/")
    expect(page.get_by_role("cell", name="Kompetenceafklaring")).to_be_visible()

    for person in people:
        page.get_by_label("Jobkundens reference").fill(person.ref)
        page.get_by_role("button", name="Tilmeld", exact=True).click()
        page.wait_for_url(f"**/aktiviteter/hold/{run.pk}/")
    expect(page.get_by_text("Holdet er fuldt: Sofie Lund er på ventelisten.")).to_be_visible()
    waitlist = page.locator("#waitlist")
    expect(waitlist.get_by_role("link", name="Sofie Lund (JK-000103)")).to_be_visible()
    assert Enrollment.objects.filter(status="enrolled").count() == 2

    page.get_by_role("button", name="Afmeld Mette Holm (JK-000101)").click()
    page.wait_for_url(f"**/aktiviteter/hold/{run.pk}/")
    expect(
        page.get_by_text("Sofie Lund (JK-000103) er rykket op fra ventelisten og har fået plads.")
    ).to_be_visible()
    expect(page.locator("#waitlist").get_by_text("Ingen venter.")).to_be_visible()
    roster = page.locator("#roster")
    expect(roster.get_by_role("link", name="Sofie Lund (JK-000103)")).to_be_visible()
    expect(roster.get_by_role("link", name="Mette Holm (JK-000101)")).to_have_count(0)

    page.get_by_role("link", name=f"Fremmøde {day.strftime('%d-%m-%Y')}").click()
    page.get_by_label("Hans Berg (JK-000102)").check()
    page.get_by_label("Sofie Lund (JK-000103)").check()
    page.get_by_role("button", name="Gem fremmøde").click()
    page.wait_for_url(f"**/aktiviteter/hold/{run.pk}/")
    expect(page.get_by_text("Fremmødet er gemt.")).to_be_visible()
    expect(roster.get_by_role("cell", name="1 af 1")).to_have_count(2)
    assert Attendance.objects.filter(present=True).count() == 2
    screenshot("activities-run")
    assert console_errors == []

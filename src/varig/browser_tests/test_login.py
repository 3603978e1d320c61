import pytest

from varig.core.models import Role
from varig.core.tests.factories import PASSWORD, make_user


@pytest.mark.django_db(transaction=True)
def test_staff_member_logs_in_and_sees_today(live_server, page, screenshot, console_errors):
    """A vejleder logs in with e-mail and password and lands on the Danish "I dag" page."""
    make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    screenshot("login")
    page.get_by_label("E-mail").fill("VERA@example.dk")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("link", name="I dag").first.is_visible()
    screenshot("today")
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_wrong_password_is_refused_in_danish(live_server, page):
    make_user(role=Role.ADVISOR, email="vera@example.dk")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill("vera@example.dk")
    page.get_by_label("Adgangskode").fill("forkert-kode-123")
    page.get_by_role("button", name="Log ind").click()
    assert page.get_by_text("forkert").first.is_visible()
    assert "/login/" in page.url

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from varig.core.models import Role
from varig.core.tests.factories import PASSWORD, make_user
from varig.core.twofactor import current_code


def totp_code_for_secret(secret: str) -> str:
    """What the person's authenticator app shows for the secret they typed in."""
    import base64

    device = TOTPDevice(key=base64.b32decode(secret.replace(" ", "")).hex())
    return current_code(device)


@pytest.mark.django_db(transaction=True)
def test_first_login_sets_up_the_app_and_later_logins_take_a_code(
    live_server, page, screenshot, console_errors
):
    """A new vejleder logs in: password, then the authenticator app is set up from the page
    (the QR code, or the key typed in), the backup codes are shown once, and "I dag" opens.
    The next login takes a backup code; the same backup code does not work twice."""
    make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    screenshot("login")
    page.get_by_label("E-mail").fill("VERA@example.dk")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/login/opsaetning/**")
    assert page.get_by_role("heading", name="Opsæt totrinslogin").is_visible()
    qr = page.get_by_role("img", name="QR-kode til godkendelsesappen")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.naturalWidth") > 0  # the inline SVG renders
    screenshot("otp-setup")
    secret = page.get_by_test_id("otp-secret").inner_text()
    page.get_by_role("textbox", name="Kode", exact=True).fill(totp_code_for_secret(secret))
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_url(f"{live_server.url}/totrinslogin/**")
    codes = page.get_by_test_id("backup-codes").locator("code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    screenshot("otp-backup-codes")
    page.get_by_role("link", name="Jeg har gemt koderne: fortsæt").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("link", name="I dag").first.is_visible()
    screenshot("today")

    # The next login: a backup code instead of the app.
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url(f"{live_server.url}/login/")
    for attempt in ("works", "used up"):
        page.get_by_label("E-mail").fill("vera@example.dk")
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(f"{live_server.url}/login/kode/**")
        page.get_by_role("textbox", name="Kode", exact=True).fill(codes[0])
        page.get_by_role("button", name="Log ind").click()
        if attempt == "works":
            page.wait_for_url(f"{live_server.url}/")
            assert page.get_by_text("Du brugte en reservekode. Du har 9 tilbage.").is_visible()
            page.get_by_role("button", name="Log ud").click()
            page.wait_for_url(f"{live_server.url}/login/")
            assert console_errors == []
        else:
            assert page.get_by_text("Koden er forkert eller udløbet").is_visible()
            assert "/login/kode/" in page.url
    # The refused code is the form's 400 answer, and nothing else went wrong.
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]


@pytest.mark.django_db(transaction=True)
def test_staff_member_logs_in_with_password_and_code(live_server, page, log_in, console_errors):
    """The shared log_in fixture goes through the real login page and the code page."""
    make_user(role=Role.MANAGER, name="Lone Leder", email="lone@example.dk")
    log_in("lone@example.dk")
    assert page.get_by_role("link", name="I dag").first.is_visible()
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

"""Logging in: password, then the second factor (set up on the first login), backup codes,
lockout after wrong passwords, the idle timeout and the security settings."""

import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from varig.core import twofactor
from varig.core.middleware import LAST_ACTIVITY_SESSION_KEY
from varig.core.models import Role
from varig.core.tests.factories import PASSWORD, fresh_totp_code, make_totp_device, make_user

LOGIN = reverse("core:login")
VERIFY = reverse("core:otp_verify")
SETUP = reverse("core:otp_setup")
SETTINGS_PAGE = reverse("core:otp_settings")
TODAY = reverse("core:today")

pytestmark = pytest.mark.django_db


def password_step(client, email="vera@example.dk", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


# --- the login page ------------------------------------------------------------------------


def test_login_page_welcomes_in_danish_even_for_an_english_browser(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="da"' in response.text
    assert "Velkommen" in response.text
    assert "Log ind" in response.text


def test_language_can_be_switched_before_login(client):
    response = client.post(
        reverse("core:set_language_anonymous"), {"language": "en", "next": LOGIN}
    )
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(LOGIN)
    assert 'lang="en"' in page.text
    assert "Welcome" in page.text


def test_wrong_password_is_refused_in_danish(client, advisor):
    response = password_step(client, password="forkert-kode")
    assert response.status_code == 200
    assert "E-mailadressen eller adgangskoden er forkert." in response.text


def test_a_logged_in_users_language_wins(advisor_client, advisor):
    advisor.language = "en"
    advisor.save()
    response = advisor_client.get(TODAY)
    assert 'lang="en"' in response.text
    assert "Today" in response.text


# --- the first login: setting up the app ----------------------------------------------------


def test_the_password_alone_leads_to_setting_up_the_app_and_nothing_else(client, advisor):
    response = password_step(client, email="VERA@example.dk")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2F"
    # Every other page sends the half-logged-in user back to the set-up.
    for url in (TODAY, reverse("customers:list"), reverse("core:user_list"), SETTINGS_PAGE):
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"].startswith(SETUP), url


def test_first_login_sets_up_the_app_then_shows_the_backup_codes_once(client, advisor):
    password_step(client)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Opsæt totrinslogin" in page.text
    # The QR code is inline (no fetch from anywhere).
    qr = re.search(r'<img class="otp-qr" src="([^"]+)"', page.text).group(1)
    assert qr.startswith("data:image/svg+xml")
    # No menu before the second factor is given.
    assert "Log ud" in page.text and 'class="topbar"' not in page.text
    device = TOTPDevice.objects.get(user=advisor, confirmed=False)
    shown_secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    assert shown_secret == twofactor.secret_for_display(device)

    wrong = client.post(SETUP, {"code": "000000", "next": TODAY})
    assert wrong.status_code == 400
    assert "Koden er forkert" in wrong.text

    code = fresh_totp_code(device)
    confirmed = client.post(SETUP, {"code": code, "next": TODAY})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"{SETTINGS_PAGE}?next=%2F"
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(confirmed["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.text)
    assert len(codes) == settings.VARIG_BACKUP_CODES == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=advisor).values_list("token", flat=True)
    )
    # Shown once: the next visit lists none.
    again = client.get(SETTINGS_PAGE)
    assert not re.findall(r"<li><code>([a-z2-7]{8})</code></li>", again.text)
    assert "Du har 10 ubrugte reservekoder." in again.text
    assert client.get(TODAY).status_code == 200


def test_the_qr_code_stays_the_same_until_it_is_confirmed(client, advisor):
    password_step(client)
    first = client.get(SETUP).text
    second = client.get(SETUP).text
    assert TOTPDevice.objects.filter(user=advisor).count() == 1
    qr = r'<img class="otp-qr" src="([^"]+)"'
    assert re.search(qr, first).group(1) == re.search(qr, second).group(1)


# --- later logins: the code ----------------------------------------------------------------


@pytest.fixture
def vera_with_app(advisor):
    return make_totp_device(advisor)


def test_later_logins_ask_for_the_code_and_then_go_where_the_user_was_going(
    client, advisor, vera_with_app
):
    target = reverse("customers:list")
    response = password_step(client, next=target)
    assert response["Location"] == f"{VERIFY}?next=%2Fjobkunder%2F"
    assert client.get(TODAY)["Location"].startswith(VERIFY)
    page = client.get(response["Location"])
    assert "Indtast din kode" in page.text
    key_before = client.session.session_key
    ok = client.post(VERIFY, {"code": fresh_totp_code(vera_with_app), "next": target})
    assert ok.status_code == 302 and ok["Location"] == target
    # A new session key once the second factor is given.
    assert client.session.session_key != key_before
    assert client.get(TODAY).status_code == 200


def test_a_wrong_code_is_refused_and_the_next_try_is_held_back(client, advisor, vera_with_app):
    password_step(client)
    wrong = client.post(VERIFY, {"code": "123456"})
    assert wrong.status_code == 400
    assert "Koden er forkert eller udløbet" in wrong.text
    # Throttling: right after a wrong code even the right code has to wait.
    code = twofactor.current_code(vera_with_app)
    held = client.post(VERIFY, {"code": code})
    assert held.status_code == 400
    assert "For mange forkerte koder" in held.text
    assert client.get(TODAY).status_code == 302


def test_a_code_cannot_be_used_twice(client_for, advisor, vera_with_app):
    from django.test import Client

    code = fresh_totp_code(vera_with_app)
    first, second = Client(), Client()
    password_step(first)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    password_step(second)
    assert second.post(VERIFY, {"code": code}).status_code == 400


def test_an_open_redirect_in_next_is_ignored(client, advisor, vera_with_app):
    password_step(client)
    response = client.post(
        VERIFY, {"code": fresh_totp_code(vera_with_app), "next": "https://evil.example/"}
    )
    assert response["Location"] == TODAY


def test_a_user_with_an_app_must_give_a_code_before_replacing_it(client, advisor, vera_with_app):
    password_step(client)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=advisor)) == [vera_with_app]


def test_a_verified_user_replaces_their_app_and_keeps_their_backup_codes(advisor_client, advisor):
    codes = twofactor.backup_codes_new(user=advisor)
    old = TOTPDevice.objects.get(user=advisor)
    assert advisor_client.get(SETUP).status_code == 200
    new = TOTPDevice.objects.get(user=advisor, confirmed=False)
    response = advisor_client.post(SETUP, {"code": fresh_totp_code(new)})
    assert response["Location"] == SETTINGS_PAGE
    assert list(TOTPDevice.objects.filter(user=advisor)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert StaticToken.objects.filter(device__user=advisor).count() == len(codes)
    assert advisor_client.get(TODAY).status_code == 200


# --- backup codes ---------------------------------------------------------------------------


def test_a_backup_code_logs_in_once(client, advisor, vera_with_app):
    codes = twofactor.backup_codes_new(user=advisor)
    password_step(client)
    response = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[0] == (TODAY, 302)
    assert "Du brugte en reservekode. Du har 9 tilbage." in response.text
    client.post(reverse("core:logout"))
    password_step(client)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400
    # Trying a backup code did not throttle the app.
    assert client.post(VERIFY, {"code": fresh_totp_code(vera_with_app)}).status_code == 302


def test_new_backup_codes_replace_the_old_ones(advisor_client, advisor):
    old = twofactor.backup_codes_new(user=advisor)
    response = advisor_client.post(SETTINGS_PAGE)
    assert response.status_code == 302
    page = advisor_client.get(SETTINGS_PAGE)
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    stored = set(StaticToken.objects.filter(device__user=advisor).values_list("token", flat=True))
    assert stored == set(new)
    assert StaticDevice.objects.filter(user=advisor).count() == 1


def test_backup_codes_are_never_all_digits():
    # A code of digits only would be taken for an app code.
    user = make_user()
    for _ in range(5):
        assert not any(code.isdigit() for code in twofactor.backup_codes_new(user=user))


# --- an administrator resets a lost phone ----------------------------------------------------


def test_an_administrator_resets_two_factor_and_the_user_sets_it_up_again(
    administrator_client, advisor, client_for
):
    vera = client_for(advisor)
    twofactor.backup_codes_new(user=advisor)
    edit = administrator_client.get(reverse("core:user_edit", args=[advisor.pk]))
    assert "Nulstil totrinslogin" in edit.text
    response = administrator_client.post(reverse("core:user_otp_reset", args=[advisor.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=advisor).exists()
    assert not StaticDevice.objects.filter(user=advisor).exists()
    # Vera's open session is no longer verified: she sets up a new app.
    assert vera.get(TODAY)["Location"].startswith(SETUP)
    # The reset is in the audit log, with the administrator as the actor.
    from auditlog.models import LogEntry

    entry = LogEntry.objects.filter(action=LogEntry.Action.DELETE).get(
        content_type__model="totpdevice"
    )
    assert entry.actor.email == "anders@example.dk"
    assert "key" not in (entry.changes or "")


def test_only_administrators_reset_two_factor(manager_client, advisor_client, advisor, manager):
    make_totp_device(advisor)
    url = reverse("core:user_otp_reset", args=[advisor.pk])
    assert manager_client.post(url).status_code == 403
    assert advisor_client.get(url).status_code == 405
    assert TOTPDevice.objects.filter(user=advisor).exists()


# --- lockout after wrong passwords (django-axes) --------------------------------------------


def test_repeated_wrong_passwords_lock_logging_in_with_a_danish_message(
    advisor, administrator_client
):
    from django.test import Client

    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert password_step(client, password="forkert-kode").status_code == 200
    locked = password_step(client, password="forkert-kode")
    assert locked.status_code == 429
    assert "For mange forkerte adgangskoder" in locked.text
    assert "15 minutter" in locked.text
    # Even the right password is refused now.
    assert password_step(client).status_code == 429
    edit = administrator_client.get(reverse("core:user_edit", args=[advisor.pk]))
    assert "Login er spærret" in edit.text
    administrator_client.post(reverse("core:user_unlock", args=[advisor.pk]))
    assert password_step(client)["Location"].startswith(SETUP)


def test_the_lockout_counts_per_client_address_too(client):
    # Spraying one password over many e-mail addresses from one address is stopped as well.
    users = [make_user() for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    answers = [password_step(client, email=u.email, password="forkert-kode") for u in users]
    assert answers[-1].status_code == 429


def test_behind_a_trusted_proxy_the_lockout_takes_the_address_the_proxy_appended(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.9, 192.0.2.7", REMOTE_ADDR="127.0.0.1")
    assert twofactor.client_ip(request) == "127.0.0.1"
    settings.VARIG_TRUST_X_FORWARDED_FOR = True
    assert twofactor.client_ip(request) == "192.0.2.7"


# --- passwords, session, headers ------------------------------------------------------------


def test_argon2_is_the_first_password_hasher():
    # conftest swaps in a fast hasher for the tests; the project's own setting keeps argon2.
    from varig import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.argon2
def test_a_new_users_password_is_stored_with_argon2():
    user = make_user()
    assert identify_hasher(user.password).algorithm == "argon2"


def test_the_session_ends_after_the_idle_time(advisor_client, settings):
    assert advisor_client.get(TODAY).status_code == 200
    session = advisor_client.session
    session[LAST_ACTIVITY_SESSION_KEY] = (
        int(time.time()) - settings.VARIG_SESSION_IDLE_MINUTES * 60 - 5
    )
    session.save()
    response = advisor_client.get(TODAY, follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert "Du blev logget ud efter 30 minutter uden aktivitet" in response.text
    assert advisor_client.get(TODAY).status_code == 302


def test_activity_keeps_the_session_and_is_written_at_most_once_a_resolution(
    advisor_client, settings
):
    settings.VARIG_SESSION_ACTIVITY_RESOLUTION_SECONDS = 60
    session = advisor_client.session
    session[LAST_ACTIVITY_SESSION_KEY] = int(time.time()) - 20 * 60
    session.save()
    assert advisor_client.get(TODAY).status_code == 200
    marked = advisor_client.session[LAST_ACTIVITY_SESSION_KEY]
    assert abs(marked - time.time()) < 5
    # Within the minute the mark (and the session row) is left alone.
    session = advisor_client.session
    session[LAST_ACTIVITY_SESSION_KEY] = marked - 30
    session.save()
    advisor_client.get(TODAY)
    assert advisor_client.session[LAST_ACTIVITY_SESSION_KEY] == marked - 30


def test_the_security_headers_are_sent(advisor_client):
    response = advisor_client.get(TODAY)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self' 'nonce-" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_production_settings_make_the_cookies_secure():
    code = (
        "import django; from django.conf import settings as s; django.setup();"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "varig.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "PATH": "/usr/bin:/bin",
        "VARIG_VAR_DIR": str(settings.VAR_DIR),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "True", "True", "True", "False"]


# --- development: the demo secret and `varig otp_code` ---------------------------------------


def test_otp_code_prints_the_current_code_in_development(settings, advisor, capsys):
    device = make_totp_device(advisor, key=twofactor.demo_totp_key())
    settings.DEBUG = True
    call_command("otp_code", "VERA@example.dk")
    printed = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", printed)
    assert printed in {
        twofactor.current_code(device, at=time.time() + delta) for delta in (-30, 0, 30)
    }


def test_otp_code_is_refused_when_debug_is_off(settings, advisor):
    make_totp_device(advisor)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("otp_code", "vera@example.dk")


def test_the_demo_secret_is_the_documented_one():
    readme = (settings.PROJECT_DIR / "README.md").read_text()
    assert twofactor.DEMO_TOTP_SECRET in readme
    assert len(bytes.fromhex(twofactor.demo_totp_key())) == 20


def test_every_role_needs_the_second_factor(client):
    for role in Role.values:
        user = make_user(role=role)
        client.post(reverse("core:logout"))
        response = password_step(client, email=user.email)
        assert response["Location"].startswith(SETUP), role
        assert client.get(TODAY)["Location"].startswith(SETUP), role

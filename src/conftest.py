"""Fixtures every app's tests share: one user per role, logged-in clients, and the browser
set-up (Playwright driving Debian's Chromium against Django's live server)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from varig.core.models import Role
from varig.core.tests.factories import make_user


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest storage needs collectstatic; tests serve the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language():
    # Each test starts in Danish, the default, whatever an earlier test in this worker activated.
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    # Argon2 is deliberately slow; tests that check the production hasher use
    # @pytest.mark.argon2 to keep it.
    if request.node.get_closest_marker("argon2") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def advisor(db):
    return make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")


@pytest.fixture
def other_advisor(db):
    return make_user(role=Role.ADVISOR, name="Ole Vejleder", email="ole@example.dk")


@pytest.fixture
def consultant(db):
    return make_user(role=Role.CONSULTANT, name="Karin Konsulent", email="karin@example.dk")


@pytest.fixture
def manager(db):
    return make_user(role=Role.MANAGER, name="Lone Leder", email="lone@example.dk")


@pytest.fixture
def administrator(db):
    return make_user(role=Role.ADMINISTRATOR, name="Anders Admin", email="anders@example.dk")


@pytest.fixture(autouse=True)
def _steady_session_activity(settings):
    # The idle-timeout middleware rewrites the session's last activity at most once a minute;
    # a test that takes longer must not see an extra session write between two query counts.
    settings.VARIG_SESSION_ACTIVITY_RESOLUTION_SECONDS = 24 * 3600


def log_in_client(client, user):
    """Log `user` in on a test client with a verified second factor. Every test logs in through
    here (directly, through the role fixtures below or through `client_for`), so the login
    rules live in one place: the password step (force_login), then the user's authenticator
    app marks the session verified, as the code page would (see core/twofactor.py)."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY

    from varig.core.middleware import LAST_ACTIVITY_SESSION_KEY
    from varig.core.tests.factories import make_totp_device

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = make_totp_device(user).persistent_id
    session[LAST_ACTIVITY_SESSION_KEY] = int(time.time())
    session.save()
    return client


_client_for = log_in_client


@pytest.fixture
def client_for(db):
    """A fresh logged-in test client for any user: `client_for(user)`."""
    from django.test import Client

    return lambda user: log_in_client(Client(), user)


@pytest.fixture
def advisor_client(client, advisor):
    return _client_for(client, advisor)


@pytest.fixture
def manager_client(client, manager):
    return _client_for(client, manager)


@pytest.fixture
def administrator_client(client, administrator):
    return _client_for(client, administrator)


@pytest.fixture
def consultant_client(client, consultant):
    return _client_for(client, consultant)


# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _serve_one_request_at_a_time() -> None:
    """The live server answers one request at a time. On SQLite its threads share the test's
    one connection: a page whose cards load themselves at once (htmx, several requests in
    parallel) otherwise got "bad parameter or other API misuse", a 500 or a wrong 404/403."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class OneAtATime(ThreadedWSGIServer):
        def set_app(self, app):
            lock = threading.Lock()

            def serial(environ, start_response):
                with lock:
                    return app(environ, start_response)

            super().set_app(serial)

    LiveServerThread.server_class = OneAtATime


_serve_one_request_at_a_time()

SCREENSHOT_DIR = Path(os.environ.get("VARIG_SCREENSHOT_DIR", "var/screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser_tests" in str(item.fspath) or item.fspath.basename == "test_browser.py":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "da-DK", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under var/screenshots/ for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(page, live_server):
    """Log a user in through the real login page, as a person would, and land on "I dag".

    Every browser test logs in through this one fixture, so the login flow lives here once:
    `log_in(user)` or `log_in("vera@example.dk")`. The password first, then the code from the
    user's authenticator app (made for them if they have none; the real first-time set-up is
    tested in browser_tests/test_login.py).
    """
    from varig.core.models import User
    from varig.core.tests.factories import PASSWORD, fresh_totp_code, make_totp_device

    def do_log_in(user_or_email, password: str = PASSWORD) -> None:
        email = getattr(user_or_email, "email", user_or_email)
        device = make_totp_device(User.objects.get(email__iexact=email))
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(f"{live_server.url}/login/kode/**")
        page.get_by_role("textbox", name="Kode", exact=True).fill(fresh_totp_code(device))
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(f"{live_server.url}/")

    return do_log_in


@pytest.fixture
def console_errors(page):
    """Collect console errors (CSP violations, script errors) so a test can assert none."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors

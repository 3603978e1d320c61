"""Two-factor login (issue 7): an authenticator app (TOTP, django-otp) set up on the first login,
and single-use backup codes (django-otp's static device) for when the phone is not at hand.

Every member of staff needs both their password and a code: `TwoFactorMiddleware` sends a
logged-in user who has not given a code this session to the code page (or, the first time, to
set up the app). An administrator can reset a user's second factor; the user then sets it up
again at their next login.
"""

import base64
import binascii
import time

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .inputs import is_digits
from .models import User

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
# A session key for the backup codes just made: the page shows them once and forgets them.
NEW_BACKUP_CODES_SESSION_KEY = "varig_new_backup_codes"

WRONG_CODE = _("The code is wrong or has expired. Try again with the newest code.")
THROTTLED = _("Too many wrong codes in a row. Wait a minute and try again.")

# Demo and development only: every demo user's authenticator app has this secret (base32, as an
# authenticator app takes it), so `make run` can be logged into; `varig otp_code EMAIL` prints
# the current code. Never used outside the demo data.
DEMO_TOTP_SECRET = "VARIGDEMOVARIGDEMOVARIGDEMOVARIG"


def demo_totp_key() -> str:
    """The demo secret as django-otp stores it (hex)."""
    return binascii.hexlify(base64.b32decode(DEMO_TOTP_SECRET)).decode()


def has_app(user: User) -> bool:
    """Has the user a confirmed authenticator app?"""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def status(user: User) -> dict:
    """What an administrator (or the user) sees: the app's set-up date and codes left."""
    app = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-created_at").first()
    codes = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return {"app": app, "backup_codes_left": codes}


def pending_app(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator app being set up (the same secret until it is confirmed,
    so a QR code already scanned stays valid)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The secret in base32 in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The app's set-up QR code as an inline SVG data URI (no external fetch, no script)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def confirm_app(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Confirm the app being set up with a code from it; an earlier app of the user is replaced.

    Returns False (and changes nothing) for a wrong code.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(normalise_code(code)):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    return True


@transaction.atomic
def backup_codes_new(*, user: User) -> list[str]:
    """A new set of single-use backup codes; earlier codes stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < settings.VARIG_BACKUP_CODES:
        code = StaticToken.random_token()
        # Never all digits: a code of digits is taken for an app code.
        if code not in codes and not is_digits(code):
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _devices_for_code(user: User, code: str, *, for_verify: bool = False):
    """A six-digit code is the app's; anything else can only be a backup code. Each code is
    tried only against its own kind of device, so a backup code does not count as a wrong app
    code in the app's throttling (and the other way round)."""
    model = TOTPDevice if is_digits(code) and len(code) <= 8 else StaticDevice
    devices = model.objects.devices_for_user(user, confirmed=True).order_by("pk")
    return devices.select_for_update() if for_verify else devices


def verify_code(*, user: User, code: str) -> Device | None:
    """The device that accepts `code` (a code from the app or an unused backup code), or None.

    A backup code is used up by this; django-otp's throttling slows down guessing (each wrong
    code doubles the wait before the next is tried).
    """
    code = normalise_code(code)
    if not code:
        return None
    with transaction.atomic():
        for device in _devices_for_code(user, code, for_verify=True):
            if device.verify_token(code):
                return device
    return None


def is_throttled(*, user: User, code: str) -> bool:
    """Is checking `code` held back by the throttling after earlier wrong codes?"""
    code = normalise_code(code)
    return any(not d.verify_is_allowed()[0] for d in _devices_for_code(user, code))


def complete_login(request, device: Device) -> None:
    """The second factor was given: the session is verified (under a new session key)."""
    from .middleware import mark_activity

    request.session.cycle_key()
    otp_login(request, device)
    mark_activity(request)


@transaction.atomic
def reset(*, user: User) -> None:
    """Remove the user's app and backup codes (an administrator's reset; the view checks the
    role). Their sessions stop being verified and their next login sets up a new app."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def current_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The app's code now (for `varig otp_code` in development and for the tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def locked_out(user: User) -> bool:
    """Is logging in with the user's e-mail refused after too many wrong passwords
    (django-axes, `AXES_FAILURE_LIMIT` within `AXES_COOLOFF_TIME`)?"""
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(username=user.email, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


def client_ip(request) -> str | None:
    """The client's address for the lockout (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, or behind
    a trusted reverse proxy (VARIG_TRUST_X_FORWARDED_FOR) the last X-Forwarded-For address,
    the one the proxy itself appended."""
    if settings.VARIG_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")


def login_email(request, credentials: dict | None = None) -> str | None:
    """The e-mail address a login attempt is for (AXES_USERNAME_CALLABLE), lower-cased as the
    login form does, so "Vera@…" and "vera@…" count as one address."""
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = getattr(request, "POST", {}).get("username")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None

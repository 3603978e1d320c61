import itertools

from varig.core.models import Role, User

_seq = itertools.count(1)
PASSWORD = "Rolig-Havn-2026"


def make_user(*, role: str | None = Role.ADVISOR, name: str | None = None, **fields) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        email=fields.pop("email", f"user{n}@example.dk"),
        password=fields.pop("password", PASSWORD),
        name=name or f"Bruger {n}",
        **fields,
    )
    if role:
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=role))
    return user


def make_totp_device(user: User, *, key: str | None = None):
    """The user's confirmed authenticator app (created once): tests log in with it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        extra = {"key": key} if key else {}
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True, **extra)
    return device


def fresh_totp_code(device) -> str:
    """A code the device accepts now, even if one was used within the same 30 seconds
    (django-otp refuses a code twice): the device forgets its last code and any throttling."""
    from varig.core.twofactor import current_code

    type(device).objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return current_code(device)

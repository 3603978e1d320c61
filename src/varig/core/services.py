"""Write helpers every app's services share, and the user services."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Role, User, role_labels

STALE_EDIT = _(
    "Someone else saved this record while you were editing it. Your changes were not saved. "
    "Reload the page to see the newest version and make your changes again."
)


STALE_EDIT_CHANGE = _(
    "%(field)s: %(who)s changed it %(when)s to “%(theirs)s”; yours was “%(yours)s”."
)
STALE_EDIT_CHANGE_EMPTY = _("(empty)")
STALE_EDIT_SOMEONE = _("someone")


def version_check_and_bump(
    instance: models.Model,
    *,
    expected_version: int | None,
    yours: Mapping[str, Any] | None = None,
) -> None:
    """Refuse to save over a newer version; call inside the service's transaction.

    Locks the row, compares its stored `version` with the one the form was rendered with and
    raises ValidationError on a mismatch: STALE_EDIT first, then one line per field that was
    changed in the meantime and that the save would set differently (who changed it and when,
    from the audit log, their value and yours; `yours` is what the save would write, by
    default the instance's own values). On success the instance's version is bumped, so the
    caller's save() stores the new version.
    """
    if instance.pk is None:
        return
    stored = (
        instance._meta.model._base_manager.select_for_update()
        .values_list("version", flat=True)
        .get(pk=instance.pk)
    )
    if expected_version is not None and stored != expected_version:
        details = stale_edit_changes(instance, since_version=expected_version, yours=yours)
        raise ValidationError(
            [ValidationError(STALE_EDIT, code="stale")]
            + [ValidationError(line, code="stale_change") for line in details]
        )
    instance.version = stored + 1


def stale_edit_changes(
    instance: models.Model, *, since_version: int, yours: Mapping[str, Any] | None = None
) -> list[str]:
    """What changed in `instance` after `since_version`, as lines for the person whose save was
    refused: per field the newest change (who, when), the stored value and the one they sent.

    The changes come from django-auditlog's entries whose version went past `since_version`;
    a field they set the same as the refused save is left out (no conflict there).
    """
    from auditlog.models import LogEntry
    from django.utils import formats, timezone

    model = instance._meta.model
    current = model._base_manager.get(pk=instance.pk)
    latest: dict[str, LogEntry] = {}
    entries = LogEntry.objects.get_for_object(current).select_related("actor").order_by("pk")
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        version = changes.get("version")
        try:
            new_version = int(version[1]) if version else None
        except (TypeError, ValueError, IndexError):
            new_version = None
        if new_version is None or new_version <= since_version:
            continue
        for name in changes:
            if name != "version":
                latest[name] = entry
    lines = []
    for name, entry in latest.items():
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        if not getattr(field, "concrete", False):
            continue
        theirs = getattr(current, field.attname if field.is_relation else name)
        if yours is not None and name in yours:
            mine = yours[name]
        elif yours is not None and field.is_relation and field.attname in yours:
            mine = yours[field.attname]
        elif yours is not None:
            continue  # the refused save would not touch this field
        else:
            mine = getattr(instance, field.attname if field.is_relation else name)
        if field.is_relation and isinstance(mine, models.Model):
            mine = mine.pk
        if _same(theirs, mine):
            continue
        when = formats.date_format(timezone.localtime(entry.timestamp), "SHORT_DATETIME_FORMAT")
        who = entry.actor.get_full_name() if entry.actor else STALE_EDIT_SOMEONE
        lines.append(
            STALE_EDIT_CHANGE
            % {
                "field": capfirst(field.verbose_name),
                "who": who,
                "when": when,
                "theirs": _shown(field, theirs),
                "yours": _shown(field, mine),
            }
        )
    return lines


def _same(a: Any, b: Any) -> bool:
    empty = (None, "")
    if a in empty and b in empty:
        return True
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except Exception:
            return False
    return a == b


def _shown(field: models.Field, value: Any) -> str:
    """A value as the person saw it in the form: a choice's label, a related record's name,
    a Danish date, Ja/Nej."""
    from django.utils import formats

    if value in (None, ""):
        return str(STALE_EDIT_CHANGE_EMPTY)
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, Decimal):
        # 12.00 and 12.0 are both "12"; 12.50 is "12,5".
        exact = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
        return formats.localize(exact)
    if isinstance(value, datetime.date | datetime.datetime):
        return formats.localize(value)
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


# --- Users (administrators only; the views check the role) ---------------------------------

EMAIL_TAKEN = _("A user with this e-mail address already exists.")
ROLE_REQUIRED = _("Choose at least one role.")
UNKNOWN_ROLE = _("Unknown role: %(role)s.")
CANNOT_REMOVE_OWN_ADMIN = _("You cannot remove your own administrator role.")
CANNOT_DEACTIVATE_SELF = _("You cannot deactivate yourself.")
PASSWORD_REQUIRED = _("Choose an initial password.")
STALE_ROLES = _("Roles: now “%(theirs)s”; yours were “%(yours)s”.")


def _clean_user_input(
    *, user: User, email: str, roles: list[str], password: str | None, is_new: bool
) -> dict[str, list]:
    errors: dict[str, list] = {}
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        errors.setdefault("email", []).append(ValidationError(EMAIL_TAKEN, code="email_taken"))
    if not roles:
        errors.setdefault("roles", []).append(ValidationError(ROLE_REQUIRED, code="no_role"))
    for role in roles:
        if role not in Role.values:
            errors.setdefault("roles", []).append(
                ValidationError(UNKNOWN_ROLE, code="unknown_role", params={"role": role})
            )
    if is_new and not password:
        errors.setdefault("password", []).append(
            ValidationError(PASSWORD_REQUIRED, code="password_required")
        )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.error_list)
    return errors


def _role_labels(roles) -> str:
    return ", ".join(str(label) for label in role_labels(roles)) or str(STALE_EDIT_CHANGE_EMPTY)


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """The user's own choice of language. A new version: an administrator's open edit form
    of this user would otherwise put the old language back."""
    if language not in {"da", "en"} or user.language == language:
        return user
    version_check_and_bump(user, expected_version=None)
    user.language = language
    user.save(update_fields=["language", "version"])
    return user


@transaction.atomic
def user_create(
    *,
    name: str,
    email: str,
    roles: list[str],
    password: str,
    language: str = "da",
) -> User:
    """Create a staff user with roles and an initial password (argon2). Administrators only.

    Raises ValidationError per field: e-mail taken (case-insensitive), no or unknown role, a
    password Django's validators refuse. The audit log records the creation.
    """
    email = email.strip().lower()
    user = User(name=name.strip(), email=email, language=language)
    errors = _clean_user_input(user=user, email=email, roles=roles, password=password, is_new=True)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    actor: User,
    name: str,
    email: str,
    roles: list[str],
    language: str,
    is_active: bool = True,
    password: str | None = None,
    expected_version: int | None = None,
) -> User:
    """Change a user's name, e-mail, roles, language, active flag and optionally password.

    Administrators only. An administrator cannot remove their own administrator role or
    deactivate themselves. Raises ValidationError per field; the audit log records the change.
    Refuses with STALE_EDIT (and what changed, the roles too) when someone saved the user
    after `expected_version` was read.
    """
    email = email.strip().lower()
    try:
        version_check_and_bump(
            user,
            expected_version=expected_version,
            yours={
                "name": name.strip(),
                "email": email,
                "language": language,
                "is_active": is_active,
            },
        )
    except ValidationError as exc:
        stored = set(user.groups.values_list("name", flat=True))
        if stored != set(roles):
            exc.error_list.append(
                ValidationError(
                    STALE_ROLES,
                    code="stale_change",
                    params={"theirs": _role_labels(stored), "yours": _role_labels(roles)},
                )
            )
        raise
    errors = _clean_user_input(user=user, email=email, roles=roles, password=password, is_new=False)
    if actor.pk == user.pk:
        if user.has_role(Role.ADMINISTRATOR) and Role.ADMINISTRATOR not in roles:
            errors.setdefault("roles", []).append(
                ValidationError(CANNOT_REMOVE_OWN_ADMIN, code="own_admin")
            )
        if not is_active:
            errors.setdefault("is_active", []).append(
                ValidationError(CANNOT_DEACTIVATE_SELF, code="deactivate_self")
            )
    if errors:
        raise ValidationError(errors)
    user.name = name.strip()
    user.email = email
    user.language = language
    user.is_active = is_active
    if password:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    if hasattr(user, "_role_names"):
        del user._role_names
    return user

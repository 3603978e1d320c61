"""Write helpers every app's services share, and the user services."""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .models import Role, User

STALE_EDIT = _(
    "Someone else saved this record while you were editing it. Your changes were not saved. "
    "Reload the page to see the newest version and make your changes again."
)


def version_check_and_bump(instance: models.Model, *, expected_version: int | None) -> None:
    """Refuse to save over a newer version; call inside the service's transaction.

    Locks the row, compares its stored `version` with the one the form was rendered with and
    raises ValidationError(STALE_EDIT) on a mismatch. On success the instance's version is
    bumped, so the caller's save() stores the new version.
    """
    if instance.pk is None:
        return
    stored = (
        type(instance)
        .objects.select_for_update()
        .values_list("version", flat=True)
        .get(pk=instance.pk)
    )
    if expected_version is not None and stored != expected_version:
        raise ValidationError(STALE_EDIT, code="stale")
    instance.version = stored + 1


# --- Users (administrators only; the views check the role) ---------------------------------

EMAIL_TAKEN = _("A user with this e-mail address already exists.")
ROLE_REQUIRED = _("Choose at least one role.")
UNKNOWN_ROLE = _("Unknown role: %(role)s.")
CANNOT_REMOVE_OWN_ADMIN = _("You cannot remove your own administrator role.")
CANNOT_DEACTIVATE_SELF = _("You cannot deactivate yourself.")
PASSWORD_REQUIRED = _("Choose an initial password.")


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
) -> User:
    """Change a user's name, e-mail, roles, language, active flag and optionally password.

    Administrators only. An administrator cannot remove their own administrator role or
    deactivate themselves. Raises ValidationError per field; the audit log records the change.
    """
    email = email.strip().lower()
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

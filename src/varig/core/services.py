"""Write helpers every app's services share."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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

"""Automatic references ("JK-000123", "VIRK-00042", "PL-000007"): one generator for every model.

A reference is a prefix and a zero-padded number. The next one is one above the highest number
in use with that prefix (references typed by hand in another shape are ignored), skipping any
that happen to be taken. Two saves at the same moment can still pick the same number: the
unique constraint refuses the second, and `save_with_unique_ref` tries the next number.
"""

import re
from collections.abc import Callable

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Length

_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9]*-")

ATTEMPTS = 5


def _format(prefix: str, number: int, digits: int) -> str:
    return f"{prefix}{number:0{digits}d}"


def next_ref(model: type[models.Model], *, prefix: str, digits: int, field: str = "ref") -> str:
    """The next free reference of `model`: `prefix` and a number one above the highest in use."""
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"A reference prefix is letters and digits ending in '-', not {prefix!r}")
    manager = model._default_manager
    highest = (
        manager.filter(**{f"{field}__regex": rf"^{prefix}[0-9]+$"})
        # The longest reference first, then the highest: "PL-1000000" is above "PL-999999".
        .annotate(_ref_length=Length(field))
        .order_by("-_ref_length", f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    number = int(highest[len(prefix) :]) + 1 if highest else 1
    while manager.filter(**{field: _format(prefix, number, digits)}).exists():
        number += 1
    return _format(prefix, number, digits)


def save_with_unique_ref(
    instance: models.Model,
    *,
    prefix: str,
    digits: int,
    generate: bool,
    on_conflict: Callable[[], None] | None = None,
    field: str = "ref",
) -> models.Model:
    """Save `instance`; with `generate`, give it the next free reference and retry on a clash.

    A blank reference is filled in before the first save (one already set is tried first). When
    the save breaks a unique constraint, `on_conflict` (if given) may raise a ValidationError
    that names the clash; otherwise a typed reference re-raises the IntegrityError and a
    generated one moves on to the next number. After a few attempts it gives up with an
    IntegrityError. Call it inside the service's transaction: each attempt is a savepoint.
    """
    for attempt in range(ATTEMPTS):
        if generate and (attempt > 0 or not getattr(instance, field)):
            setattr(
                instance, field, next_ref(type(instance), prefix=prefix, digits=digits, field=field)
            )
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError:
            if on_conflict is not None:
                on_conflict()
            if not generate:
                raise
            continue
        return instance
    raise IntegrityError(f"No free {prefix} reference found after {ATTEMPTS} attempts.")

"""The early warnings' daily job (listed in VARIG_DAILY_JOBS)."""

import datetime

from .services import flags_refresh


def flags_daily(*, on: datetime.date) -> dict:
    """Raise the day's early warnings and lapse the ones no longer true (idempotent)."""
    return flags_refresh(on=on)

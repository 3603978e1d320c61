"""Template filters of the support requests: a wait as people say it."""

import datetime

from django import template

from varig.employers.support import format_wait

register = template.Library()


@register.filter
def wait(value: datetime.timedelta | None) -> str:
    """ "12 min", "3 t 5 min", "4 dage" ("" for none)."""
    return format_wait(value)

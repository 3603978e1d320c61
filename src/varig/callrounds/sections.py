"""The call-rounds' section on "I dag": the user's own calls still to make, and for managers
the open call-rounds' progress. Registered in `apps.py`; at most three queries."""

from varig.core.sections import Section

from . import selectors


def today_section(*, user, advisor=None, day, **kwargs) -> Section | None:
    """My open calls (the caller's own, whatever advisor a manager has chosen to look at), and
    for managers the open campaigns with a way to start one. Nothing for others without calls."""
    mine = selectors.my_calls_summary(user=user, on=day)
    is_manager = user.sees_all
    if not (mine.due or mine.later or is_manager):
        return None
    return Section(
        template="callrounds/_today.html",
        data={
            "mine": mine,
            "is_manager": is_manager,
            "campaigns": selectors.campaigns_open_summary() if is_manager else [],
            "day": day,
        },
    )

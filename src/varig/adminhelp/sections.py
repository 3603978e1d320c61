"""The admin-help tasks on the shared pages (registered in apps.py).

On the job customer's page the card costs the page no query: it loads its content by itself
(htmx, `adminhelp:person_section`), with a real link for no-script use. On "I dag" the section
is one query: the user's open tasks due today or earlier.
"""

from varig.core.sections import Section

from . import selectors


def person_section(*, user, job_customer, **kwargs) -> Section:
    """A placeholder card that fetches the person's open admin-help tasks."""
    return Section(template="adminhelp/_person_section.html", data={"pk": job_customer.pk})


def today_section(*, user, advisor=None, day, **kwargs) -> Section | None:
    """Open admin-help tasks due today or overdue (advisor=None: every advisor's). Nothing
    when none are due."""
    due = selectors.today_due(user=user, advisor=advisor, day=day)
    if not due.total:
        return None
    return Section(
        template="adminhelp/_today.html",
        data={"due": due, "day": day, "show_responsible": advisor is None},
    )

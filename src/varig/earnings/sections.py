"""The earnings card on the job customer's page (registered in apps.py).

The card costs the page no query: it loads its content by itself (htmx, `earnings:person`),
with a real link for no-script use.
"""

from varig.core.sections import Section


def person_section(*, user, job_customer, **kwargs) -> Section:
    """A card that fetches the person's saved calculations and pension saving."""
    return Section(template="earnings/_person_section.html", data={"pk": job_customer.pk})

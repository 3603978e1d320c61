"""The activities' section on the job customer's page (registered in apps.py).

The page's query budget is tight (issue 9), so the card costs the page no query: it loads its
content by itself (htmx, `activities:person_section`), with a real link for no-script use.
"""

from varig.core.sections import Section


def person_section(*, user, job_customer, **kwargs) -> Section:
    """A card that fetches the person's runs, recommendations, groups and upskilling."""
    return Section(template="activities/_person_section.html", data={"pk": job_customer.pk})

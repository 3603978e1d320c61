"""The activities' section on the job customer's page (registered in apps.py)."""

from varig.core.sections import Section

from .selectors import person_activities


def person_section(*, user, job_customer, **kwargs) -> Section:
    """Runs, recommendations, network groups and upskilling of the person (one query). The
    template takes whether the user may change the record from the page (`page.can_edit`)."""
    return Section(
        template="activities/_person_section.html",
        data={"activities": person_activities(job_customer=job_customer)},
    )

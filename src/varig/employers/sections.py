"""The employer collaboration's sections on the shared pages ("I dag" and the job customer's
page): open support requests. Registered in `EmployersConfig.ready()`."""

from varig.core.sections import Section

from . import support


def today_support_section(*, user, advisor, day, **_) -> Section | None:
    """The open requests the advisor is responsible for (everyone's for a manager's overview);
    nothing when there are none. Two queries at most."""
    open_requests = support.advisor_open_requests(user=user, advisor=advisor)
    if not open_requests.total:
        return None
    return Section(template="employers/_today_support.html", data={"open": open_requests})


def person_support_section(*, user, job_customer, **_) -> Section:
    """Links on the person's page: companies to suggest, record a request, the person's
    requests. No query (the person's page is at its query budget)."""
    return Section(template="employers/_person_support.html", data={"job_customer": job_customer})

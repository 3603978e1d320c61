"""The benchmark's steps inside Django, run against the benchmark database (`varig bench
--step prepare`): find the fixed points of the national dataset, make the logged-in sessions,
list the pages to measure with their budgets, and time the retention report in-process.

The fixed points are documented at the top of `varig.core.demo`: vejleder1 with a 60-person
caseload, JK-000007 with a long history, VIRK-00001 with 200 past placements.
"""

import importlib.util
import io
import math
import os
import platform
import sqlite3
import time
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape

from varig.core.budgets import PAGE_MAX_QUERIES

from .middleware import CLEAR_CACHE_HEADER

ADVISOR_EMAIL = "vejleder1@demo.varig.dk"
MANAGER_EMAIL = "leder@demo.varig.dk"
LONG_HISTORY_REF = "JK-000007"
FLAGSHIP_REF = "VIRK-00001"
REPORT_YEARS = 10

# The budgets of issue 9 (a 2-core machine): every page at most 20 queries whatever the size.
MAX_QUERIES = PAGE_MAX_QUERIES


class MissingDataset(Exception):
    """The database lacks the national dataset's fixed points: build it (again)."""


@dataclass
class Page:
    name: str
    url: str
    who: str  # "vejleder1", "leder" or "" (no session)
    cookie: str = ""
    headers: dict = field(default_factory=dict)
    max_queries: int | None = MAX_QUERIES
    p95_ms: float | None = None
    expect: str = ""  # text the response must contain (the page shows what we meant to ask for)
    # Measured like the retention report (`--report-runs` times) rather than `--requests`
    # times: the Resultater page from an empty cache takes seconds a load at national scale.
    heavy: bool = False


@dataclass
class Timed:
    """Something timed in-process (the report): milliseconds per run and queries per run."""

    name: str
    ms: list[float]
    queries: list[int]
    max_queries: int | None = None
    p95_ms: float | None = None


def _conftest_log_in():
    """The tests' one place for the login rules (src/conftest.py: `log_in_client`). Two-factor
    login changes that function, and the benchmark's sessions follow; Django's force_login
    when the file is not there (an installed package without the tests)."""
    path = settings.PROJECT_DIR / "src" / "conftest.py"
    if path.exists():
        spec = importlib.util.spec_from_file_location("varig_bench_conftest", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "log_in_client"):
            return module.log_in_client

    def force_login(client, user):
        client.force_login(user)
        return client

    return force_login


def session_cookie_for(user) -> str:
    """A logged-in session for `user` stored in the database: the value of the session cookie."""
    from django.test import Client

    client = _conftest_log_in()(Client(), user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


def matching_url(job_customer_pk: int) -> str | None:
    """The matching page for one job customer, if the matching feature has landed: the first
    URL whose name mentions matching and that takes the person's pk."""
    names = sorted({n for n in _patterns(get_resolver()) if "match" in n.lower()})
    # The companies suggested for a job customer (issue 5); other matching pages take other
    # records' keys (a company's), so this one is tried first.
    if "employers:match_person" in names:
        names.remove("employers:match_person")
        names.insert(0, "employers:match_person")
    for name in names:
        for kwargs in ({"pk": job_customer_pk}, {"job_customer_pk": job_customer_pk}):
            try:
                return reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
        try:
            return reverse(name, args=[job_customer_pk])
        except NoReverseMatch:
            continue
    return None


def fixed_points():
    from varig.core.models import User
    from varig.customers.models import JobCustomer
    from varig.employers.models import Company

    try:
        return (
            User.objects.get(email=ADVISOR_EMAIL),
            User.objects.get(email=MANAGER_EMAIL),
            JobCustomer.objects.get(ref=LONG_HISTORY_REF),
            Company.objects.get(ref=FLAGSHIP_REF),
        )
    except (User.DoesNotExist, JobCustomer.DoesNotExist, Company.DoesNotExist) as exc:
        raise MissingDataset(str(exc)) from exc


def pages() -> list[Page]:
    """The pages of issue 9, with the sessions to ask for them and their budgets."""
    from varig.customers.models import CustomerStatus

    advisor, manager, person, company = fixed_points()
    cookies = {"vejleder1": session_cookie_for(advisor), "leder": session_cookie_for(manager)}
    search = f"{person.first_name} {person.last_name}"
    # Paginator takes no "last": the number itself (a leder sees every job customer).
    from varig.customers.models import JobCustomer
    from varig.customers.views import LIST_PAGE_SIZE

    last_page = max(1, math.ceil(JobCustomer.objects.count() / LIST_PAGE_SIZE))
    caseload = reverse("customers:list")
    result = [
        Page("floor (no database)", reverse("bench:floor"), "", max_queries=0),
        Page("I dag, vejleder1", reverse("core:today"), "vejleder1", p95_ms=50),
        Page("I dag, leder", reverse("core:today"), "leder", p95_ms=50),
        Page("caseload, vejleder1's own", caseload, "vejleder1", p95_ms=50),
        Page("caseload, all: page 1", caseload, "leder", p95_ms=50),
        Page(
            "caseload, all: name search",
            f"{caseload}?q={search.replace(' ', '+')}",
            "leder",
            p95_ms=50,
            expect=person.ref,
        ),
        Page(
            "caseload, all: filter in work",
            f"{caseload}?status={CustomerStatus.IN_WORK}",
            "leder",
            p95_ms=50,
        ),
        Page("caseload, all: last page", f"{caseload}?page={last_page}", "leder", p95_ms=50),
        Page(
            f"person {person.ref}",
            reverse("customers:detail", args=[person.pk]),
            "vejleder1",
            p95_ms=30,
            expect=person.ref,
        ),
        Page(
            f"company {company.ref}",
            reverse("employers:detail", args=[company.pk]),
            "leder",
            expect=escape(company.name),
        ),
        Page(
            "Resultater, first load",
            reverse("outcomes:results"),
            "leder",
            headers={CLEAR_CACHE_HEADER: "1"},
            p95_ms=1000,
            heavy=True,
        ),
        Page("Resultater, cached", reverse("outcomes:results"), "leder", p95_ms=1000),
    ]
    match = matching_url(person.pk)
    if match:
        result.append(Page(f"matching for {person.ref}", match, "vejleder1"))
    for page in result:
        page.cookie = cookies.get(page.who, "")
    return result


def time_report(*, runs: int, years: int = REPORT_YEARS) -> Timed:
    """`varig report retention --years` over the last `years` whole years, in-process."""
    last = timezone.localdate().year - 1
    span = f"{last - years + 1}-{last}"
    ms, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call_command("report", "retention", "--years", span, stdout=io.StringIO())
            ms.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    return Timed(f"report retention --years {span}", ms, queries, p95_ms=1000)


def database_facts() -> dict:
    from varig.customers.models import ContactNote, JobCustomer
    from varig.employers.models import Company
    from varig.placements.models import FollowUp, Placement

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version(), pg_database_size(current_database())")
            version, size = cursor.fetchone()
            version = version.split(" on ")[0]
        else:
            version = f"SQLite {sqlite3.sqlite_version}"
            size = os.path.getsize(settings.DATABASES["default"]["NAME"])
    return {
        "vendor": connection.vendor,
        "version": version,
        "size_mb": round(size / 2**20),
        "python": platform.python_version(),
        "counts": {
            "job customers": JobCustomer.objects.count(),
            "companies": Company.objects.count(),
            "placements": Placement.objects.count(),
            "follow-ups": FollowUp.objects.count(),
            "notes": ContactNote.objects.count(),
        },
    }


def prepare(*, report_runs: int) -> dict:
    """Everything the harness needs from inside Django, as JSON-ready data."""
    found = pages()
    return {
        "database": database_facts(),
        "pages": [asdict(p) for p in found],
        "report": asdict(time_report(runs=report_runs)) if report_runs else None,
    }

"""A small world for the URL x role matrix and the page-wide tests (XSS, fuzzing): one user
per role, a person in the advisor's caseload (shared with the consultant) and a person in
another advisor's caseload, each with a consent, a task, a share, a praktik and its follow-ups;
a company with a contact; an import job."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from varig.core.models import Role, User
from varig.core.tests.factories import make_user
from varig.customers.models import CaseloadShare, Consent, JobCustomer, Task
from varig.customers.tests.factories import make_consent, make_job_customer, make_share
from varig.employers.models import Company, CompanyContact
from varig.employers.tests.factories import make_company, make_contact

from .url_table import OTHER, OWN, app_url_rows


@dataclass
class World:
    users: dict[str, User]
    advisor_user: User
    other_advisor: User
    company: Company
    contact: CompanyContact
    import_job: object
    person: dict[str, JobCustomer] = field(default_factory=dict)
    consent: dict[str, Consent] = field(default_factory=dict)
    task: dict[str, Task] = field(default_factory=dict)
    share: dict[str, CaseloadShare] = field(default_factory=dict)
    placement: dict = field(default_factory=dict)
    followup: dict = field(default_factory=dict)
    goal: dict = field(default_factory=dict)
    flag: dict = field(default_factory=dict)
    period: dict = field(default_factory=dict)


def build_world() -> World:
    from varig.alerts.models import Flag, Period
    from varig.customers import services as customer_services
    from varig.outcomes.models import ImportJob
    from varig.placements import services as placement_services
    from varig.placements.models import Placement

    users = {
        "advisor": make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk"),
        "consultant": make_user(
            role=Role.CONSULTANT, name="Karin Konsulent", email="karin@example.dk"
        ),
        "manager": make_user(role=Role.MANAGER, name="Lone Leder", email="lone@example.dk"),
        "administrator": make_user(
            role=Role.ADMINISTRATOR, name="Anders Admin", email="anders@example.dk"
        ),
    }
    other_advisor = make_user(role=Role.ADVISOR, name="Ole Vejleder", email="ole@example.dk")
    third_advisor = make_user(role=Role.ADVISOR, name="Tove Vejleder", email="tove@example.dk")
    company = make_company(name="Bageriet Solsikken ApS")
    world = World(
        users=users,
        advisor_user=users["advisor"],
        other_advisor=other_advisor,
        company=company,
        contact=make_contact(company=company, name="Per Mester"),
        import_job=ImportJob.objects.create(
            source=ImportJob.Source.UPLOAD, created_by=users["administrator"]
        ),
    )
    today = timezone.localdate()
    owners = {OWN: users["advisor"], OTHER: other_advisor}
    for record, owner in owners.items():
        person = make_job_customer(
            advisor=owner,
            first_name="Mette" if record == OWN else "Hans",
            last_name="Holm" if record == OWN else "Berg",
            associated_from=today - datetime.timedelta(days=400),
        )
        world.person[record] = person
        world.consent[record] = make_consent(job_customer=person, company=company)
        world.task[record] = Task.objects.create(job_customer=person, title="Ring til Mette")
        world.goal[record] = customer_services.goal_create(
            actor=None, job_customer=person, title="Et job i en butik"
        )
        world.flag[record] = Flag.objects.create(
            job_customer=person, kind=Flag.Kind.NO_CONTACT, key="matrix", raised_on=today
        )
        world.period[record] = Period.objects.create(
            job_customer=person, kind=Period.Kind.SETBACK, started_on=today
        )
        world.share[record] = make_share(
            job_customer=person, user=users["consultant"] if record == OWN else third_advisor
        )
        placement = placement_services.placement_create(
            user=owner,
            job_customer=person,
            company=company,
            kind=Placement.Kind.PRAKTIK,
            started_on=today - datetime.timedelta(days=30),
            planned_end_on=today + datetime.timedelta(days=60),
        )
        world.placement[record] = placement
        # A skånejob that passed its 2-year anniversary ten days ago ("Godt Gået").
        placement_services.placement_create(
            user=owner,
            job_customer=person,
            company=company,
            kind=Placement.Kind.SKAANEJOB,
            started_on=today - datetime.timedelta(days=2 * 365 + 10),
        )
        world.followup[record] = placement.followups.order_by("due_on", "pk").first()
    _extend_by_apps(world)
    return world


def _extend_by_apps(world: World) -> None:
    """Each app's `tests/url_rows.py: extend_world(world)` adds the records its URLs need, as
    new attributes (for example `world.run = {OWN: ..., OTHER: ...}`)."""
    for module in app_url_rows():
        extend = getattr(module, "extend_world", None)
        if extend is not None:
            extend(world)

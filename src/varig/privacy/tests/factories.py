"""A person with something in every table that hangs on them (export and erasure tests)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from varig.customers import services as customer_services
from varig.customers.models import Accommodation, JobCustomer
from varig.customers.tests.factories import make_consent, make_job_customer, make_share
from varig.employers.tests.factories import make_company

DIAGNOSIS = "Paranoid skizofreni, velbehandlet"
NOTE_TEXT = "Mette ringede om sin nye vagtplan hos bageren"


def make_full_person(*, advisor, colleague=None, **fields) -> JobCustomer:
    from varig.alerts.models import Flag, Period
    from varig.placements import services as placement_services
    from varig.placements.models import Placement

    today = timezone.localdate()
    fields.setdefault("first_name", "Mette")
    fields.setdefault("last_name", "Holm")
    fields.setdefault("email", "mette.holm@example.dk")
    fields.setdefault("phone", "12 34 56 78")
    fields.setdefault("address", "Bagergade 4, 2. th.")
    fields.setdefault("postcode", "8000")
    fields.setdefault("birth_date", datetime.date(1985, 6, 1))
    fields.setdefault("education", "Bagerlærling 2004")
    fields.setdefault("associated_from", datetime.date(2015, 3, 1))
    jc = make_job_customer(advisor=advisor, **fields)
    company = make_company(name="Bageriet Solsikken ApS")
    customer_services.health_update(
        actor=advisor, job_customer=jc, diagnosis=DIAGNOSIS, health_notes="Medicin morgen"
    )
    customer_services.readiness_record(
        actor=advisor,
        job_customer=jc,
        area="housing",
        rating="calm",
        assessed_on=today,
        note="Bor i egen lejlighed",
    )
    Accommodation.objects.create(
        job_customer=jc,
        valid_from=today - datetime.timedelta(days=30),
        max_hours_per_week=Decimal(12),
        environment="Stille hjørne",
        employer_text="Faste opgaver om morgenen",
    )
    make_consent(job_customer=jc, company=company, shared_details="Må nævne skånehensyn")
    customer_services.contact_note_create(
        actor=advisor, job_customer=jc, kind="note", text=NOTE_TEXT
    )
    customer_services.task_create(
        actor=advisor, job_customer=jc, title="Ring til Mette om kurset", due_on=today
    )
    goal = customer_services.goal_create(
        actor=advisor, job_customer=jc, title="Job i en boghandel", description="Drømmejob"
    )
    customer_services.guidance_session_record(
        actor=advisor,
        job_customer=jc,
        held_on=today,
        topic="Status på jobsøgning",
        notes="Mette er glad",
        reviews=[(goal, "in_progress", "Søger to steder")],
    )
    if colleague is not None:
        make_share(job_customer=jc, user=colleague, reason="Ferie")
    placement = placement_services.placement_create(
        user=advisor,
        job_customer=jc,
        company=company,
        kind=Placement.Kind.SKAANEJOB,
        started_on=datetime.date(2016, 5, 1),
        hours_per_week=Decimal(12),
        tasks="Pakning af brød",
        desired_job=True,
    )
    Flag.objects.create(
        job_customer=jc,
        kind=Flag.Kind.NO_CONTACT,
        key="export",
        raised_on=today,
        detail={"since": today.isoformat()},
    )
    Period.objects.create(
        job_customer=jc, kind=Period.Kind.SETBACK, started_on=today, note="Nedtur efter flytning"
    )
    assert placement.followups.exists()
    return jc

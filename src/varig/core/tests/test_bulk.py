"""core.bulk: plain rows written fast, with the fields' defaults and explicit ids."""

import datetime

import pytest
from django.utils import timezone

from varig.core.bulk import BulkWriter
from varig.customers.models import ContactNote, JobCustomer
from varig.employers.models import Company
from varig.placements.models import Placement


@pytest.mark.django_db
def test_bulk_writer_fills_defaults_and_hands_out_ids_after_existing_rows():
    existing = Company.objects.create(ref="VIRK-X", name="Eksisterende")
    writer = BulkWriter(now=timezone.now())
    companies = writer.table(Company)
    pk = companies.add(ref="VIRK-Y", name="Ny Virksomhed", cvr="13585628")
    assert pk == existing.pk + 1
    person = writer.table(JobCustomer).add(
        ref="JK-Y", last_name="Hansen", associated_from=datetime.date(2020, 1, 2)
    )
    placement = writer.table(Placement).add(
        ref="PL-Y",
        job_customer_id=person,
        company_id=pk,
        kind="praktik",
        started_on=datetime.date(2020, 2, 3),
    )
    writer.table(ContactNote).add(
        job_customer_id=person,
        occurred_at=timezone.make_aware(datetime.datetime(2020, 3, 4, 10, 30)),
        text="Første samtale.",
    )
    writer.finish()
    company = Company.objects.get(pk=pk)
    assert (company.version, company.notes, company.created_at) == (1, "", writer.now)
    jc = JobCustomer.objects.get(pk=person)
    assert jc.referral_source == "self" and jc.associated_from == datetime.date(2020, 1, 2)
    assert Placement.objects.get(pk=placement).tier == "marginal"
    note = ContactNote.objects.get()
    assert timezone.localtime(note.occurred_at).hour == 10 and note.kind == "note"
    # The sequences moved on: the ORM's next row gets a fresh id.
    assert Company.objects.create(ref="VIRK-Z", name="Efter").pk > pk
    assert writer.counts() == {"Company": 1, "JobCustomer": 1, "Placement": 1, "ContactNote": 1}


@pytest.mark.django_db(transaction=True)
def test_background_writer_commits_batches_from_its_thread_and_reports_failures():
    writer = BulkWriter(now=timezone.now(), background=True)
    for n in range(3):
        for i in range(40):
            writer.table(Company).add(ref=f"VIRK-B{n}-{i}", name=f"Virksomhed {n}-{i}")
        writer.flush()
    writer.finish()
    assert Company.objects.count() == 120
    assert writer.counts() == {"Company": 120}
    failing = BulkWriter(now=timezone.now(), background=True)
    failing.table(Company).add(ref="VIRK-B0-0", name="Findes allerede")  # ref is unique
    failing.flush()
    with pytest.raises(RuntimeError, match="bulk writer"):
        failing.finish()
    assert Company.objects.count() == 120


@pytest.mark.django_db
def test_after_finish_the_orm_and_the_writer_can_both_add_rows():
    writer = BulkWriter(now=timezone.now())
    first = writer.table(Company).add(ref="VIRK-1", name="En")
    writer.finish()
    orm = Company.objects.create(ref="VIRK-2", name="To")
    later = writer.table(Company).add(ref="VIRK-3", name="Tre")
    writer.finish()
    assert first < orm.pk < later
    assert Company.objects.create(ref="VIRK-4", name="Fire").pk > later

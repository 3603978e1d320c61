"""`varig backup` and `varig restore`: backup, a change, restore, and the data is identical."""

import shutil

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from varig.customers.models import JobCustomer
from varig.customers.tests.factories import make_job_customer
from varig.employers.models import Company
from varig.employers.tests.factories import make_company
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement


def snapshot() -> dict:
    """Every row of every table, in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _world(advisor):
    person = make_job_customer(advisor=advisor, first_name="Mette", phone="11111111")
    company = make_company(name="Bageriet Solsikken ApS")
    make_placement(job_customer=person, company=company)
    return person


def _change_everything(person):
    JobCustomer.objects.filter(pk=person.pk).update(phone="99999999", first_name="Ændret")
    Placement.objects.all().delete()
    Company.objects.update(name="Omdøbt")
    make_company(name="Ny virksomhed efter backup")


def _backup_change_restore(tmp_path, advisor, name):
    person = _world(advisor)
    before = snapshot()
    path = tmp_path / name
    call_command("backup", str(path))
    assert path.stat().st_size > 0
    _change_everything(person)
    assert snapshot() != before
    call_command("restore", str(path), "--yes")
    return before


@pytest.mark.django_db(transaction=True)
def test_backup_change_restore_gives_back_identical_data(tmp_path, advisor, settings):
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    settings.DEBUG = True
    before = _backup_change_restore(tmp_path, advisor, "varig.backup")
    assert snapshot() == before
    # The application carries on against the restored data.
    person = JobCustomer.objects.get(first_name="Mette")
    assert person.phone == "11111111"
    assert Company.objects.filter(name="Bageriet Solsikken ApS").exists()
    assert not Company.objects.filter(name="Ny virksomhed efter backup").exists()


@pytest.mark.django_db
def test_restore_needs_yes(tmp_path, settings):
    settings.DEBUG = True
    path = tmp_path / "b"
    path.write_bytes(b"SQLite format 3\x00")  # refused before it is read
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path))


@pytest.mark.django_db
def test_restore_needs_force_when_debug_is_off(tmp_path, settings):
    settings.DEBUG = False
    path = tmp_path / "b"
    path.write_bytes(b"SQLite format 3\x00")  # refused before it is read
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(path), "--yes")


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, settings):
    settings.DEBUG = True
    path = tmp_path / "not-a-backup"
    path.write_text("hello")
    with pytest.raises(CommandError, match=r"not an? (SQLite|PostgreSQL) backup"):
        call_command("restore", str(path), "--yes")
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "missing"), "--yes")

"""A worker killed mid-import: its job is marked as stopped, with a clear message, instead of
showing "running" for ever; a live worker's job is left alone."""

import datetime
import time

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from varig.outcomes.interchange import jobs
from varig.outcomes.interchange.jobs import (
    STALE_AFTER,
    import_job_create,
    import_job_execute,
    import_jobs_mark_stale,
    import_jobs_mark_stale_daily,
)
from varig.outcomes.models import ImportFile, ImportJob

pytestmark = pytest.mark.django_db

CUSTOMERS = b"ref,last_name,associated_from\nJK-1,Andersen,2020-01-01\n"


def running_job(user, *, silent_for: datetime.timedelta, heartbeat=True) -> ImportJob:
    """A job a worker claimed and that has given no sign of life for `silent_for`."""
    job = import_job_create(user=user, files=[("job_customers.csv", CUSTOMERS)])
    last = timezone.now() - silent_for
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        phase=ImportJob.Phase.WRITING,
        heartbeat_at=last if heartbeat else None,
        created_at=last,
    )
    return job


def test_a_job_whose_worker_vanished_is_marked_stopped_on_its_page(
    administrator_client, administrator
):
    job = running_job(administrator, silent_for=STALE_AFTER + datetime.timedelta(seconds=5))
    url = reverse("outcomes:import_detail", args=[job.pk])
    html = administrator_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CRASHED
    assert job.crash_reason == ImportJob.CrashReason.WORKER_LOST
    assert job.phase == ImportJob.Phase.DONE and job.finished_at is not None
    assert not ImportFile.objects.filter(job=job).exists()  # the upload is not kept
    assert "hx-trigger" not in html  # the page stops polling
    assert "baggrundsprocessen, der kørte den, stoppede" in html
    assert "Der blev ikke importeret noget" in html
    assert "Upload filerne igen" in html


def test_a_job_with_a_recent_heartbeat_keeps_running(administrator_client, administrator):
    job = running_job(administrator, silent_for=STALE_AFTER - datetime.timedelta(seconds=30))
    html = administrator_client.get(
        reverse("outcomes:import_detail", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert 'hx-trigger="every 1s"' in html
    assert ImportFile.objects.filter(job=job).exists()


def test_a_running_job_without_any_heartbeat_counts_from_its_start(administrator):
    old = running_job(administrator, silent_for=STALE_AFTER * 2, heartbeat=False)
    young = running_job(administrator, silent_for=datetime.timedelta(0), heartbeat=False)
    assert import_jobs_mark_stale() == 1
    assert ImportJob.objects.get(pk=old.pk).status == ImportJob.Status.CRASHED
    assert ImportJob.objects.get(pk=young.pk).status == ImportJob.Status.RUNNING


def test_finished_and_queued_jobs_are_never_marked(administrator):
    done = import_job_create(user=administrator, files=[("job_customers.csv", CUSTOMERS)])
    import_job_execute(done.pk)
    queued = import_job_create(user=administrator, files=[("job_customers.csv", CUSTOMERS)])
    long_ago = timezone.now() - STALE_AFTER * 10
    ImportJob.objects.update(created_at=long_ago, heartbeat_at=long_ago)
    assert import_jobs_mark_stale() == 0
    assert ImportJob.objects.get(pk=done.pk).status == ImportJob.Status.SUCCEEDED
    assert ImportJob.objects.get(pk=queued.pk).status == ImportJob.Status.QUEUED


def test_a_job_that_had_committed_before_its_worker_vanished_is_marked_imported(administrator):
    job = running_job(administrator, silent_for=STALE_AFTER * 2)
    summary = {"job_customers": {"created": 1, "updated": 0, "unchanged": 0}}
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(ImportJob),
        object_pk=str(job.pk),
        object_id=job.pk,
        object_repr=str(job),
        action=LogEntry.Action.CREATE,
        changes={"import": summary},
        changes_text="",
        actor=administrator,
    )
    import_jobs_mark_stale()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.summary == summary


def test_the_start_page_lists_a_stale_job_as_stopped(administrator_client, administrator):
    job = running_job(administrator, silent_for=STALE_AFTER * 2)
    html = administrator_client.get(reverse("outcomes:import_start")).content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.CRASHED
    assert "Stoppet af en fejl" in html


def test_the_daily_job_marks_stale_jobs(administrator):
    job = running_job(administrator, silent_for=STALE_AFTER * 2)
    assert import_jobs_mark_stale_daily(on=timezone.localdate()) == 1
    assert import_jobs_mark_stale_daily(on=timezone.localdate()) == 0  # idempotent
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.CRASHED


def test_an_error_is_told_apart_from_a_lost_worker(
    administrator_client, administrator, monkeypatch
):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "run_import", boom)
    job = import_job_create(user=administrator, files=[("job_customers.csv", CUSTOMERS)])
    import_job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CRASHED
    assert job.crash_reason == ImportJob.CrashReason.ERROR
    html = administrator_client.get(reverse("outcomes:import_detail", args=[job.pk])).content
    assert "på grund af en fejl i systemet" in html.decode()


def test_a_job_no_worker_has_claimed_for_a_while_says_so(administrator_client, administrator):
    job = import_job_create(user=administrator, files=[("job_customers.csv", CUSTOMERS)])
    url = reverse("outcomes:import_detail", args=[job.pk])
    assert "varig worker" not in administrator_client.get(url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - ImportJob.WAITING_HINT_AFTER * 2
    )
    assert "varig worker" in administrator_client.get(url).content.decode()


def test_execute_stamps_the_heartbeat(administrator):
    job = import_job_create(user=administrator, files=[("job_customers.csv", CUSTOMERS)])
    before = timezone.now()
    import_job_execute(job.pk)
    job.refresh_from_db()
    assert job.heartbeat_at >= before


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_stamps_a_running_job(administrator):
    """The thread writes on its own connection while the block runs (as during the import's
    long write transaction), and stops with the block."""
    job = ImportJob.objects.create(source=ImportJob.Source.UPLOAD, status=ImportJob.Status.RUNNING)
    with jobs._heartbeat(job.pk, every=0.05):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.heartbeat_at is not None:
                break
            time.sleep(0.05)
    assert job.heartbeat_at is not None
    stamped = ImportJob.objects.get(pk=job.pk).heartbeat_at
    time.sleep(0.2)
    assert ImportJob.objects.get(pk=job.pk).heartbeat_at == stamped  # stopped with the block

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from varig.daily import schedule
from varig.daily.models import DailyJobResult, DailyRun
from varig.daily.runner import daily_run, daily_run_if_due
from varig.daily.tests import jobs

RECORD = "varig.daily.tests.jobs.record"
BROKEN = "varig.daily.tests.jobs.broken"


@pytest.fixture(autouse=True)
def _jobs(settings):
    jobs.calls.clear()
    settings.VARIG_DAILY_JOBS = [RECORD]
    settings.VARIG_DAILY_AT = "05:00"
    settings.VARIG_DAILY_IN_WORKER = True
    yield
    jobs.calls.clear()


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- the command ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_runs_every_job_for_the_given_date():
    out = io.StringIO()
    call_command("daily", "--date", "2024-02-29", stdout=out)
    assert jobs.calls == [("record", datetime.date(2024, 2, 29))]
    run = DailyRun.objects.get(day=datetime.date(2024, 2, 29))
    assert run.status == DailyRun.Status.DONE
    assert run.trigger == DailyRun.Trigger.COMMAND
    result = run.results.get()
    assert (result.job, result.status, result.result) == (RECORD, "done", {"day": "2024-02-29"})
    assert "Daily jobs done for 2024-02-29" in out.getvalue()


@pytest.mark.django_db
def test_command_defaults_to_today():
    call_command("daily", stdout=io.StringIO())
    assert jobs.calls == [("record", timezone.localdate())]


@pytest.mark.django_db
def test_running_a_day_twice_keeps_one_run_and_one_result_per_job():
    call_command("daily", "--date", "2026-12-01", stdout=io.StringIO())
    call_command("daily", "--date", "2026-12-01", stdout=io.StringIO())
    assert DailyRun.objects.count() == 1
    result = DailyJobResult.objects.get()
    assert result.runs == 2


@pytest.mark.django_db
def test_the_database_refuses_a_second_run_row_for_a_day():
    DailyRun.objects.create(day=datetime.date(2026, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyRun.objects.create(day=datetime.date(2026, 12, 1))


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others_and_the_command_fails(settings):
    settings.VARIG_DAILY_JOBS = [BROKEN, RECORD]
    err = io.StringIO()
    with pytest.raises(CommandError, match="Some daily jobs failed"):
        call_command("daily", "--date", "2026-12-01", stdout=io.StringIO(), stderr=err)
    assert [name for name, _ in jobs.calls] == ["broken", "record"]
    run = DailyRun.objects.get()
    assert run.status == DailyRun.Status.FAILED
    broken = run.results.get(job=BROKEN)
    assert broken.status == "failed"
    assert "this job always fails" in broken.error
    assert run.results.get(job=RECORD).status == "done"
    assert "this job always fails" in err.getvalue()


@pytest.mark.django_db
def test_command_runs_one_chosen_job(settings):
    settings.VARIG_DAILY_JOBS = [BROKEN, RECORD]
    call_command("daily", "--date", "2026-12-01", "--job", RECORD, stdout=io.StringIO())
    assert jobs.calls == [("record", datetime.date(2026, 12, 1))]


def test_command_refuses_a_job_that_is_not_configured():
    with pytest.raises(CommandError, match="not in VARIG_DAILY_JOBS"):
        call_command("daily", "--job", "varig.nothing.here", stdout=io.StringIO())


def test_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("daily", "--date", "2026-02-30", stdout=io.StringIO())


def test_command_lists_the_jobs(settings):
    settings.VARIG_DAILY_JOBS = [RECORD, BROKEN]
    out = io.StringIO()
    call_command("daily", "--list", stdout=out)
    assert out.getvalue().split() == [RECORD, BROKEN]


def test_a_job_path_that_does_not_import_fails_the_system_check(settings):
    settings.VARIG_DAILY_JOBS = ["varig.daily.tests.jobs.no_such_job"]
    with pytest.raises(SystemCheckError, match=r"daily\.E001"):
        call_command("check")


# --- the worker's way in ---------------------------------------------------------------------


@pytest.mark.django_db
def test_run_if_due_runs_a_scheduled_day_once():
    today = timezone.localdate()
    DailyRun.objects.create(day=today)
    assert daily_run_if_due(on=today).status == DailyRun.Status.DONE
    assert daily_run_if_due(on=today) is None
    assert jobs.calls == [("record", today)]


@pytest.mark.django_db
def test_run_if_due_leaves_a_day_the_command_already_ran():
    today = timezone.localdate()
    daily_run(on=today)
    assert daily_run_if_due(on=today) is None
    assert len(jobs.calls) == 1


@pytest.mark.django_db
def test_a_day_that_has_passed_is_marked_missed_not_run():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DailyRun.objects.create(day=yesterday)
    assert daily_run_if_due(on=yesterday) is None
    assert DailyRun.objects.get(day=yesterday).status == DailyRun.Status.MISSED
    assert jobs.calls == []


@pytest.mark.django_db
def test_ensure_queues_today_and_tomorrow_once(settings):
    today = timezone.localdate()
    now = _aware(today, 9)
    assert schedule.daily_schedule_ensure(now=now) == [today, today + datetime.timedelta(days=1)]
    assert schedule.daily_schedule_ensure(now=now) == []
    tasks = DBTaskResult.objects.order_by("run_after")
    assert tasks.count() == 2
    first, second = tasks
    # Today's is due at once (05:00 has passed), tomorrow's at 05:00 local time.
    assert first.run_after == now
    assert second.run_after == _aware(today + datetime.timedelta(days=1), 5)
    assert first.task_path == "varig.daily.tasks.daily_tick"
    assert first.args_kwargs["args"] == [today.isoformat()]


@pytest.mark.django_db
def test_before_the_daily_time_today_waits_for_it():
    today = timezone.localdate()
    schedule.daily_schedule_ensure(now=_aware(today, 3))
    run = DailyRun.objects.get(day=today)
    assert run.scheduled_for == _aware(today, 5)


@pytest.mark.django_db
def test_a_lost_task_is_queued_again():
    today = timezone.localdate()
    now = _aware(today, 9)
    schedule.daily_schedule_ensure(now=now)
    DBTaskResult.objects.all().delete()
    assert schedule.daily_schedule_ensure(now=now) == [today, today + datetime.timedelta(days=1)]
    assert DBTaskResult.objects.count() == 2
    assert DailyRun.objects.count() == 2


@pytest.mark.django_db
def test_a_finished_day_is_not_queued_again():
    today = timezone.localdate()
    daily_run(on=today)
    queued = schedule.daily_schedule_ensure(now=_aware(today, 9))
    assert queued == [today + datetime.timedelta(days=1)]


@pytest.mark.django_db
def test_ensure_does_nothing_when_the_worker_is_told_not_to(settings):
    settings.VARIG_DAILY_IN_WORKER = False
    assert schedule.daily_schedule_ensure() == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_day_once_and_queues_the_next(settings):
    """`varig worker` queues the day at start-up, runs it, and leaves tomorrow's queued."""
    settings.VARIG_DAILY_AT = "00:00"
    settings.VARIG_DAILY_JOBS = ["varig.daily.tests.jobs.counter_row"]
    today = timezone.localdate()
    for _ in range(2):  # a second worker start the same day runs nothing again
        call_command(
            "worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
            verbosity=0,
        )
    assert jobs.calls == [("counter_row", today)]
    assert DailyRun.objects.get(day=today).status == DailyRun.Status.DONE
    tomorrow = DailyRun.objects.get(day=today + datetime.timedelta(days=1))
    assert tomorrow.status == DailyRun.Status.SCHEDULED
    waiting = DBTaskResult.objects.get(pk=tomorrow.task_id)
    assert waiting.status == "READY"
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1

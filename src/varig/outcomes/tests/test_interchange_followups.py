"""Which imported placements get follow-ups: only open ones that started within the last 12
months, only the steps whose window has not closed; re-import never duplicates them and moves
planned ones when the start moves."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from varig.outcomes.interchange.writer import import_followup_steps
from varig.placements.models import FollowUp, Placement
from varig.placements.schedule import add_months

pytestmark = pytest.mark.django_db

HEADER = "ref,job_customer_ref,company_ref,kind,started_on,ended_on\n"


def import_placements(tmp_path, rows: str, name: str = "in") -> None:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    (folder / "job_customers.csv").write_text(
        "ref,last_name,associated_from\nJK-1,Andersen,2010-01-01\n"
    )
    (folder / "companies.csv").write_text("ref,name\nV-1,Firma\n")
    (folder / "placements.csv").write_text(HEADER + rows)
    call_command("import", str(folder), stdout=io.StringIO())


def kinds(ref: str) -> list[tuple[str, int]]:
    return list(
        FollowUp.objects.filter(placement__ref=ref)
        .exclude(status=FollowUp.Status.CANCELLED)
        .order_by("due_on")
        .values_list("kind", "months")
    )


def test_rule_function():
    today = datetime.date(2026, 6, 1)
    # Started 4 months ago and open: the 14-day talk and the 3-month meeting have closed.
    steps = import_followup_steps(
        kind="skaanejob", started_on=datetime.date(2026, 2, 1), ended_on=None, today=today
    )
    assert [(s.kind, s.months) for s in steps] == [("month_6", 6), ("month_12", 12)]
    # Started more than 12 months ago: none.
    assert not import_followup_steps(
        kind="skaanejob", started_on=datetime.date(2025, 5, 31), ended_on=None, today=today
    )
    # Ended before today: none.
    assert not import_followup_steps(
        kind="fleksjob",
        started_on=datetime.date(2026, 5, 1),
        ended_on=datetime.date(2026, 5, 31),
        today=today,
    )
    # A future end: only the steps due before it.
    steps = import_followup_steps(
        kind="fleksjob",
        started_on=datetime.date(2026, 5, 25),
        ended_on=datetime.date(2026, 8, 1),
        today=today,
    )
    assert [(s.kind, s.months) for s in steps] == [("first_talk", 0)]


def test_imported_placements_get_follow_ups_by_the_rule(tmp_path):
    today = timezone.localdate()
    recent = today - datetime.timedelta(days=5)
    old = add_months(today, -13)
    import_placements(
        tmp_path,
        f"NEW,JK-1,V-1,ordinaert,{recent},\n"
        f"PRAKTIK,JK-1,V-1,praktik,{recent},\n"
        f"OLD,JK-1,V-1,skaanejob,{old},\n"
        f"ENDED,JK-1,V-1,skaanejob,{recent},{today - datetime.timedelta(days=1)}\n",
    )
    assert kinds("NEW") == [("first_talk", 0), ("month_3", 3), ("month_6", 6), ("month_12", 12)]
    assert kinds("PRAKTIK") == [("praktik_check", 0)]
    assert kinds("OLD") == []
    assert kinds("ENDED") == []
    assert not FollowUp.objects.filter(window_end__lt=today).exists()  # nothing overdue


def test_reimport_does_not_duplicate_and_moves_planned_follow_ups(tmp_path):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=5)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n")
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n", name="again")
    assert FollowUp.objects.count() == 4

    # The 3-month meeting was held; then the start is corrected by two days.
    held = FollowUp.objects.get(kind="month_3")
    held.status, held.held_on = FollowUp.Status.HELD, today
    held.save()
    new_start = start - datetime.timedelta(days=2)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{new_start},\n", name="moved")
    placement = Placement.objects.get(ref="NEW")
    assert placement.started_on == new_start
    six = FollowUp.objects.get(kind="month_6")
    assert six.due_on == add_months(new_start, 6)
    held.refresh_from_db()
    assert held.due_on == add_months(start, 3)  # held ones never move
    assert FollowUp.objects.exclude(status=FollowUp.Status.CANCELLED).count() == 4


def test_ending_by_reimport_cancels_later_planned_follow_ups(tmp_path):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=5)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n")
    end = today + datetime.timedelta(days=10)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},{end}\n", name="ended")
    assert kinds("NEW") == [("first_talk", 0)]
    assert FollowUp.objects.filter(status=FollowUp.Status.CANCELLED).count() == 3


# --- a person's own cadence (extra follow-ups) and the tier history --------------------------


def extras(ref="JK-1"):
    return list(
        FollowUp.objects.filter(
            job_customer__ref=ref, kind=FollowUp.Kind.EXTRA, status=FollowUp.Status.PLANNED
        )
    )


def test_import_plans_the_extra_cadence_of_a_person_who_has_one(tmp_path):
    from varig.customers.models import JobCustomer

    today = timezone.localdate()
    start = today - datetime.timedelta(days=5)
    import_placements(tmp_path, "")  # the person exists first, then gets a cadence in the app
    JobCustomer.objects.filter(ref="JK-1").update(extra_followup_weeks=4)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n", name="placed")
    [extra] = extras()
    assert extra.placement == Placement.objects.get(ref="NEW")
    assert extra.due_on == today + datetime.timedelta(weeks=4)
    assert (extra.window_start, extra.window_end) == (
        extra.due_on - datetime.timedelta(days=7),
        extra.due_on + datetime.timedelta(days=7),
    )

    # Importing the same again plans nothing twice.
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n", name="again")
    assert len(extras()) == 1

    # The job ends by a re-import: the cadence goes on, no longer tied to the ended job.
    ended = today - datetime.timedelta(days=1)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},{ended}\n", name="ended")
    [extra] = extras()
    assert extra.placement is None


def test_import_plans_no_extra_follow_up_without_a_cadence(tmp_path):
    start = timezone.localdate() - datetime.timedelta(days=5)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n")
    assert extras() == []


def test_the_import_counts_a_new_extra_follow_up_in_its_summary(tmp_path):
    from varig.customers.models import JobCustomer
    from varig.outcomes.models import ImportJob

    start = timezone.localdate() - datetime.timedelta(days=5)
    import_placements(tmp_path, "")
    JobCustomer.objects.filter(ref="JK-1").update(extra_followup_weeks=2)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n", name="placed")
    # Four standard steps and the extra one.
    assert ImportJob.objects.order_by("pk").last().summary["followups"]["created"] == 5


def tier_dates(ref="NEW"):
    from varig.placements.models import TierChange

    return list(
        TierChange.objects.filter(placement__ref=ref)
        .order_by("changed_on", "pk")
        .values_list("tier", "changed_on")
    )


def test_reimport_moving_the_start_moves_the_first_tier_entry(tmp_path):
    start = datetime.date(2020, 3, 10)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n")
    assert tier_dates() == [("marginal", start)]
    earlier = datetime.date(2020, 3, 1)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{earlier},\n", name="earlier")
    assert tier_dates() == [("marginal", earlier)]


def test_reimport_moving_the_start_later_keeps_the_tier_history_from_the_start(tmp_path):
    from varig.placements.models import TierChange

    start = datetime.date(2020, 3, 10)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n")
    placement = Placement.objects.get(ref="NEW")
    TierChange.objects.create(
        placement=placement, tier="peripheral", changed_on=start.replace(month=5)
    )
    TierChange.objects.create(placement=placement, tier="core", changed_on=start.replace(month=9))
    later = start.replace(month=6)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{later},\n", name="later")
    # The first entry moves with the start; a change before the new start is kept, on it.
    assert tier_dates() == [
        ("marginal", later),
        ("peripheral", later),
        ("core", start.replace(month=9)),
    ]


def test_reimport_giving_a_placement_to_another_person_moves_its_follow_ups(tmp_path):
    start = timezone.localdate() - datetime.timedelta(days=5)
    import_placements(tmp_path, f"NEW,JK-1,V-1,skaanejob,{start},\n")
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "job_customers.csv").write_text(
        "ref,last_name,associated_from\nJK-2,Bech,2010-01-01\n"
    )
    (folder / "placements.csv").write_text(HEADER + f"NEW,JK-2,V-1,skaanejob,{start},\n")
    call_command("import", str(folder), stdout=io.StringIO())
    assert set(
        FollowUp.objects.filter(placement__ref="NEW").values_list("job_customer__ref", flat=True)
    ) == {"JK-2"}

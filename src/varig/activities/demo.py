"""Demo data for the activities (`varig demo`): a few runs of the catalogue's courses with
sessions around today, enrollments with a waitlist, attendance at the past sessions, a network
group, recommendations and external upskilling. Registered in core.demo.APP_DEMO.

Draws from its own Random (`builder.rng_for("activities")`), so it never shifts another app's
data; rows are written with bulk_create (no audit entries, as for all demo data).
"""

import datetime

from django.utils import timezone

from varig.core.models import Role
from varig.placements.models import WORK_KINDS

from .models import (
    Activity,
    Attendance,
    Enrollment,
    GroupMeeting,
    GroupMembership,
    NetworkGroup,
    Recommendation,
    Run,
    Session,
    Upskilling,
)

# (activity, run title, places, first session in days from today, sessions, days between,
#  start hour, hours, place, people asking)
RUNS = [
    ("Klædt på til job", "Forår", 10, -7, 4, 7, 9, 3, "Mødelokalet, 1. sal", 12),
    ("Når du tjener penge", "", 15, -30, 1, 7, 17, 2.5, "Mødelokalet, 1. sal", 9),
    ("Yoga", "Tirsdagshold", 12, -21, 8, 7, 10, 1.5, "Yogasalen, Kulturhuset", 8),
    ("Office-pakken", "Excel for begyndere", 8, 10, 3, 7, 13, 3, "Computerlokalet", 5),
    ("Museumsbesøg", "Arbejdermuseet", 20, 14, 1, 7, 11, 3, "Arbejdermuseet, Rømersgade 22", 6),
]
UPSKILLING = [
    ("forklift", "Truckcertifikat A og B", "AMU Hovedstaden"),
    ("bookkeeping", "Bogføring i små virksomheder", "AOF"),
    ("driving_licence", "Kørekort B", "Køreskolen Trafikken"),
    ("office", "Excel i praksis", "FOF"),
    ("it", "IT for begyndere", "Datakursus ApS"),
]


def make_demo_data(builder) -> None:
    rng = builder.rng_for("activities")
    today = builder.today
    now = timezone.now()
    advisors = builder.staff.get(Role.ADVISOR) or []
    if not advisors:
        return
    active = [p for p in builder.people if p.associated_until is None]
    first_caseload = [p for p in active if p.advisor_id == advisors[0].pk]
    activities = {a.name: a for a in Activity.objects.filter(name__in=[r[0] for r in RUNS])}
    enrollments, attendance_plan = [], []
    counts = {"Run": 0, "Session": 0}
    for n, (name, title, places, first_day, count, step, hour, hours, place, asking) in enumerate(
        RUNS
    ):
        activity = activities.get(name)
        if activity is None:  # staff removed it from the catalogue
            continue
        leader = advisors[n % len(advisors)]
        run = Run.objects.create(
            activity=activity, title=title, capacity=places, leader=leader, place=place,
            created_by=leader,
        )  # fmt: skip
        counts["Run"] += 1
        sessions = []
        topics = activity.topic_list
        for k in range(count):
            day = today + datetime.timedelta(days=first_day + k * step)
            start = datetime.time(hour, 0)
            end_minutes = hour * 60 + int(hours * 60)
            sessions.append(
                Session(
                    run=run,
                    date=day,
                    starts_at=start,
                    ends_at=datetime.time(end_minutes // 60, end_minutes % 60),
                    place="",
                    topic=", ".join(topics[k * 2 : k * 2 + 2]) if len(topics) > count else "",
                )
            )
        Session.objects.bulk_create(sessions)
        counts["Session"] += len(sessions)
        # The first caseload first, so vejleder1 sees names on the roster.
        pool = first_caseload[:4] + rng.sample(active, min(len(active), asking + 4))
        chosen = list(dict.fromkeys(p.pk for p in pool))[: min(asking, len(active))]
        for position, person_pk in enumerate(chosen):
            asked = now - datetime.timedelta(days=30, minutes=-position)
            has_place = position < places
            enrollments.append(
                Enrollment(
                    run=run,
                    job_customer_id=person_pk,
                    status=Enrollment.Status.ENROLLED
                    if has_place
                    else Enrollment.Status.WAITLISTED,
                    enrolled_by=leader,
                    requested_at=asked,
                )
            )
            if has_place:
                attendance_plan.append(
                    (len(enrollments) - 1, [s for s in sessions if s.date < today])
                )
    Enrollment.objects.bulk_create(enrollments)
    rows = []
    for index, past in attendance_plan:
        enrollment = enrollments[index]
        for session in past:
            rows.append(
                Attendance(session=session, enrollment=enrollment, present=rng.random() < 0.85)
            )
    Attendance.objects.bulk_create(rows)
    for enrollment in enrollments:
        if enrollment.status == Enrollment.Status.ENROLLED and enrollment.enrolled_at is None:
            enrollment.enrolled_at = enrollment.requested_at
    Enrollment.objects.bulk_update(enrollments, ["enrolled_at"])

    group = NetworkGroup.objects.create(
        name="Lager og logistik",
        job_types="Lager, logistik, pluk og pak",
        description="Erfaringer fra hverdagen på lageret; vi mødes en gang om måneden.",
        facilitator=advisors[0],
        max_members=8,
    )
    employed = [
        p
        for p in active
        if any(pl.kind in WORK_KINDS and pl.ended_on is None for pl in p.placements)
    ]
    members = [p for p in first_caseload if p in employed][:3] + rng.sample(
        employed, min(len(employed), 4)
    )
    member_pks = list(dict.fromkeys(p.pk for p in members))[:6]
    GroupMembership.objects.bulk_create(
        GroupMembership(
            group=group, job_customer_id=pk, joined_on=today - datetime.timedelta(days=90)
        )
        for pk in member_pks
    )
    GroupMeeting.objects.bulk_create(
        GroupMeeting(group=group, date=today + datetime.timedelta(days=d), starts_at=datetime.time(17),
                     ends_at=datetime.time(19), place="Jobbankens lokaler", topic=topic)
        for d, topic in [(-28, "Nye kolleger og nye opgaver"), (2, "Når chefen skifter")]
    )  # fmt: skip
    up = []
    for k, person in enumerate(rng.sample(employed, min(len(employed), 8))):
        kind, title, provider = UPSKILLING[k % len(UPSKILLING)]
        started = today - datetime.timedelta(days=rng.randint(20, 400))
        done = rng.random() < 0.6
        up.append(
            Upskilling(
                job_customer_id=person.pk, kind=kind, title=title, provider=provider,
                started_on=started, ended_on=started + datetime.timedelta(days=14),
                completed_on=started + datetime.timedelta(days=14) if done else None,
                recorded_by_id=person.advisor_id,
            )
        )  # fmt: skip
    Upskilling.objects.bulk_create(up)
    course = activities.get("Klædt på til job")
    recommendations = []
    if course is not None:
        enrolled = {e.job_customer_id for e in enrollments}
        for person in [p for p in first_caseload if p.pk not in enrolled][:3]:
            recommendations.append(
                Recommendation(
                    job_customer_id=person.pk, activity=course, recommended_by_id=person.advisor_id,
                    note="Kan få gavn af jobsamtaletræning og et hold at høre til.",
                )
            )  # fmt: skip
    Recommendation.objects.bulk_create(recommendations)
    for label, n in [*counts.items(), ("Enrollment", len(enrollments)), ("Attendance", len(rows)),
                     ("Upskilling", len(up)), ("GroupMembership", len(member_pks))]:  # fmt: skip
        builder.count(label, n)

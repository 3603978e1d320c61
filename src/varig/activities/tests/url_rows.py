"""The activities' rows of the URL x role matrix (core/tests/url_table.py) and the records
they need in the test world: a run led by the advisor (own) and one led by another advisor
(other), each with a session and the world's person of the same side enrolled."""

import datetime

from varig.core.tests.url_table import (
    GET_ONLY,
    LOGIN,
    MANAGERS,
    OTHER,
    OWN,
    PERSON_EDIT,
    POST_ONLY,
    STAFF,
    Row,
    ans,
    obj,
    person,
    single,
)

# Managing a run: its leader (the advisor for "own"), managers and administrators.
RUN_MANAGER = ans(200, advisor=(200, 403), consultant=403)
RUN_MANAGER_POST = ans(400, advisor=(400, 403), consultant=403)
EDITORS = ans(200, consultant=403)


def extend_world(world) -> None:
    from varig.activities import services
    from varig.activities.models import NetworkGroup, Run, Session, Upskilling
    from varig.activities.tests.factories import klaedt_paa

    world.activity = klaedt_paa()
    world.run, world.session, world.enrollment = {}, {}, {}
    world.upskilling, world.group, world.membership = {}, {}, {}
    leaders = {OWN: world.advisor_user, OTHER: world.other_advisor}
    for record, leader in leaders.items():
        run = Run.objects.create(activity=world.activity, capacity=8, leader=leader)
        world.run[record] = run
        world.session[record] = Session.objects.create(
            run=run,
            date=datetime.date.today() + datetime.timedelta(days=7),
            starts_at=datetime.time(9),
            ends_at=datetime.time(12),
        )
        world.enrollment[record] = services.enrollment_create(
            actor=leader, run=run, job_customer=world.person[record]
        )
        world.upskilling[record] = Upskilling.objects.create(
            job_customer=world.person[record], kind="forklift", title="Truck", provider="AMU"
        )
        group = NetworkGroup.objects.create(
            name=f"Lager {record}", job_types="Lager", facilitator=leader
        )
        world.group[record] = group
        world.membership[record] = services.membership_add(
            actor=leader,
            group=group,
            job_customer=world.person[record],
            joined_on=datetime.date.today(),
        )


# An empty POST to a form page is an unbound form: the page again (200); invalid input is 400.
ROWS = {
    "activities:catalogue": Row(get=STAFF, post=GET_ONLY),
    "activities:activity_create": Row(get=STAFF, post=STAFF),
    "activities:activity_detail": Row(get=STAFF, post=GET_ONLY, kwargs=single("activity")),
    "activities:activity_edit": Row(get=STAFF, post=STAFF, kwargs=single("activity")),
    "activities:run_create": Row(get=EDITORS, post=EDITORS, kwargs=single("activity")),
    "activities:run_detail": Row(get=STAFF, post=GET_ONLY, kwargs=obj("run"), scoped=True),
    "activities:run_edit": Row(get=RUN_MANAGER, post=RUN_MANAGER, kwargs=obj("run"), scoped=True),
    # Anyone who works with persons enrolls the persons they may change on any run.
    "activities:enroll": Row(
        get=POST_ONLY, post=ans(400, consultant=403), kwargs=obj("run"), scoped=True
    ),
    "activities:session_create": Row(
        get=RUN_MANAGER, post=RUN_MANAGER, kwargs=obj("run"), scoped=True
    ),
    "activities:session_edit": Row(
        get=RUN_MANAGER, post=RUN_MANAGER, kwargs=obj("session"), scoped=True
    ),
    "activities:attendance": Row(
        get=RUN_MANAGER, post=RUN_MANAGER_POST, kwargs=obj("session"), scoped=True
    ),
    # The run's leader or whoever may change the person; the answer is the run page again.
    "activities:enrollment_cancel": Row(
        get=POST_ONLY,
        post=ans(302, advisor=(302, 403), consultant=403),
        kwargs=obj("enrollment"),
        scoped=True,
    ),
    "activities:enrollment_complete": Row(
        get=POST_ONLY,
        post=ans(302, advisor=(302, 403), consultant=403),
        kwargs=obj("enrollment"),
        scoped=True,
    ),
    "activities:person_enroll": Row(
        get=ans(200, advisor=(200, 403), consultant=403),
        post=ans(200, advisor=(200, 403), consultant=403),
        kwargs=person,
        scoped=True,
    ),
    "activities:run_ics": Row(get=STAFF, post=GET_ONLY, kwargs=obj("run"), scoped=True),
    # A person's recommendations and upskilling: whoever may change the person.
    "activities:person_section": Row(
        get=ans(200, advisor=(200, 403), consultant=(200, 403)),
        post=GET_ONLY,
        kwargs=person,
        scoped=True,
    ),
    "activities:recommend": Row(get=PERSON_EDIT, post=PERSON_EDIT, kwargs=person, scoped=True),
    "activities:upskilling_create": Row(
        get=PERSON_EDIT, post=PERSON_EDIT, kwargs=person, scoped=True
    ),
    "activities:upskilling_edit": Row(
        get=PERSON_EDIT, post=PERSON_EDIT, kwargs=obj("upskilling"), scoped=True
    ),
    # The certificate for whoever may see the person; the world's rows have no file (404).
    "activities:upskilling_certificate": Row(
        get=ans(404, advisor=(404, 403), consultant=(404, 403)),
        post=GET_ONLY,
        kwargs=obj("upskilling"),
        scoped=True,
    ),
    "activities:group_list": Row(get=STAFF, post=GET_ONLY),
    "activities:group_create": Row(get=EDITORS, post=EDITORS),
    "activities:group_detail": Row(get=STAFF, post=GET_ONLY, kwargs=obj("group"), scoped=True),
    # The group's facilitator (the advisor for "own"), managers and administrators.
    "activities:group_edit": Row(
        get=RUN_MANAGER, post=RUN_MANAGER, kwargs=obj("group"), scoped=True
    ),
    "activities:meeting_create": Row(
        get=RUN_MANAGER, post=RUN_MANAGER, kwargs=obj("group"), scoped=True
    ),
    "activities:member_add": Row(
        get=POST_ONLY, post=ans(400, consultant=403), kwargs=obj("group"), scoped=True
    ),
    "activities:member_end": Row(
        get=POST_ONLY, post=RUN_MANAGER_POST, kwargs=obj("membership"), scoped=True
    ),
    "activities:report": Row(get=MANAGERS, post=GET_ONLY),
    "activities:report_csv": Row(get=MANAGERS, post=GET_ONLY),
    "activities:calendar": Row(get=STAFF, post=GET_ONLY),
    "activities:calendar_create": Row(get=POST_ONLY, post=STAFF),
    "activities:calendar_revoke": Row(get=POST_ONLY, post=ans(302)),
    # The feed needs no login, only a valid token: an unknown one is 404 for everyone.
    "activities:calendar_feed": Row(
        get=ans(404), post=GET_ONLY, anonymous=(404, 405), kwargs=lambda w, r: {"token": "ukendt"}
    ),
}

__all__ = ["LOGIN", "ROWS", "extend_world"]

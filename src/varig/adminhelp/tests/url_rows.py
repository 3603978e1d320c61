"""The admin-help tasks' rows of the URL x role matrix (core/tests/url_table.py) and the
records they need in the test world: a task about the advisor's person (own) and one about
another advisor's person (other)."""

from varig.core.tests.url_table import (
    GET_ONLY,
    OTHER,
    OWN,
    PERSON_EDIT,
    PERSON_PAGE,
    POST_ONLY,
    Row,
    ans,
    obj,
    person,
)

# Changing a task: whoever may change the person (consultants only read); an empty POST is
# refused as invalid (400).
PERSON_EDIT_POST = ans(400, advisor=(400, 403), consultant=403)


def extend_world(world) -> None:
    from varig.adminhelp.tests.factories import make_admin_task

    world.admin_task, world.admin_item = {}, {}
    owners = {OWN: world.advisor_user, OTHER: world.other_advisor}
    for record, owner in owners.items():
        task = make_admin_task(job_customer=world.person[record], actor=owner)
        world.admin_task[record] = task
        world.admin_item[record] = task.items.order_by("position").first()


ROWS = {
    "adminhelp:person_tasks": Row(get=PERSON_PAGE, post=GET_ONLY, kwargs=person, scoped=True),
    "adminhelp:person_section": Row(get=PERSON_PAGE, post=GET_ONLY, kwargs=person, scoped=True),
    # An empty POST to a form page is an unbound form: the page again (200).
    "adminhelp:create": Row(get=PERSON_EDIT, post=PERSON_EDIT, kwargs=person, scoped=True),
    "adminhelp:detail": Row(get=PERSON_PAGE, post=GET_ONLY, kwargs=obj("admin_task"), scoped=True),
    "adminhelp:edit": Row(get=PERSON_EDIT, post=PERSON_EDIT, kwargs=obj("admin_task"), scoped=True),
    "adminhelp:status": Row(
        get=POST_ONLY, post=PERSON_EDIT_POST, kwargs=obj("admin_task"), scoped=True
    ),
    "adminhelp:item": Row(
        get=POST_ONLY, post=PERSON_EDIT_POST, kwargs=obj("admin_item"), scoped=True
    ),
}

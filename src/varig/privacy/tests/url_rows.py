"""The privacy app's rows in the URL x role matrix (core/tests/url_table.py)."""

from varig.core.tests.url_table import (
    GET_ONLY,
    MANAGERS,
    OTHER,
    OWN,
    POST_ONLY,
    Row,
    ans,
    obj,
    person,
)

# A person's whole record (health included): their own advisor, managers, administrators;
# never a colleague or consultant it is shared with.
WHOLE_RECORD = ans(200, advisor=(200, 403), consultant=403)
# Erasure: managers and administrators; an empty post is refused as invalid.
ERASURE_POST = ans(403, manager=400, administrator=400)

ROWS = {
    # The audit log: managers and administrators only.
    "audit:log": Row(get=MANAGERS, post=GET_ONLY),
    "privacy:person": Row(get=WHOLE_RECORD, post=GET_ONLY, kwargs=person, scoped=True),
    "privacy:export_json": Row(get=WHOLE_RECORD, post=GET_ONLY, kwargs=person, scoped=True),
    "privacy:export_pdf": Row(get=WHOLE_RECORD, post=GET_ONLY, kwargs=person, scoped=True),
    "privacy:erasure_request": Row(get=POST_ONLY, post=ERASURE_POST, kwargs=person, scoped=True),
    "privacy:erasure_approve": Row(
        get=POST_ONLY, post=ERASURE_POST, kwargs=obj("erasure"), scoped=True
    ),
    "privacy:erasure_reject": Row(
        get=POST_ONLY, post=ERASURE_POST, kwargs=obj("erasure"), scoped=True
    ),
    "privacy:erasure_list": Row(get=MANAGERS, post=GET_ONLY),
}


def extend_world(world) -> None:
    """An open erasure request (asked by the administrator) for each person."""
    from varig.privacy.models import ErasureRequest

    world.erasure = {
        record: ErasureRequest.objects.create(
            job_customer=world.person[record],
            reason="Eget ønske",
            requested_by=world.users["administrator"],
        )
        for record in (OWN, OTHER)
    }

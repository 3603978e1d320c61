"""Rows of the URL x role matrix for the employer collaboration pages of issue 5 (contract
drafts, accommodation guides, support requests, matching). See core/tests/url_table.py."""

from varig.core.tests.url_table import (
    GET_ONLY,
    MANAGERS,
    OTHER,
    OWN,
    PERSON_PAGE,
    PLACEMENT_PAGE,
    POST_ONLY,
    STAFF,
    Row,
    ans,
    obj,
    person,
    single,
)

# A support request about a person follows the person's access (own caseload, shares).
SUPPORT_PAGE = ans(200, advisor=(200, 403), consultant=(200, 403))
SUPPORT_POST = ans(400, advisor=(400, 403), consultant=(400, 403))

ROWS = {
    # Contract drafts of a placement: whoever may see the person's placement.
    "employers:contract": Row(
        get=PLACEMENT_PAGE, post=GET_ONLY, kwargs=obj("placement"), scoped=True
    ),
    "employers:contract_docx": Row(
        get=PLACEMENT_PAGE, post=GET_ONLY, kwargs=obj("placement"), scoped=True
    ),
    "employers:contract_pdf": Row(
        get=PLACEMENT_PAGE, post=GET_ONLY, kwargs=obj("placement"), scoped=True
    ),
    # The accommodation guide: the world's consents cover the company.
    "employers:guide": Row(get=PLACEMENT_PAGE, post=GET_ONLY, kwargs=obj("placement"), scoped=True),
    # Support requests: an empty POST of the form lacks the company and the subject (400).
    "employers:support_list": Row(get=STAFF, post=GET_ONLY),
    "employers:support_create": Row(get=STAFF, post=ans(400)),
    "employers:open_door": Row(get=MANAGERS, post=ans(403, manager=405, administrator=405)),
    "employers:support_detail": Row(
        get=SUPPORT_PAGE, post=GET_ONLY, kwargs=obj("support"), scoped=True
    ),
    "employers:support_answer": Row(
        get=POST_ONLY, post=SUPPORT_POST, kwargs=obj("support"), scoped=True
    ),
    "employers:support_close": Row(
        get=POST_ONLY, post=SUPPORT_POST, kwargs=obj("support"), scoped=True
    ),
    # Matching: suggestions for a person one may see; persons for a company (all staff).
    "employers:match_person": Row(get=PERSON_PAGE, post=GET_ONLY, kwargs=person, scoped=True),
    "employers:match_company": Row(get=STAFF, post=GET_ONLY, kwargs=single("company")),
}


def extend_world(world) -> None:
    """A support request from each of the world's persons (own and other)."""
    import datetime

    from django.utils import timezone

    from varig.employers.models import SupportRequest

    world.support = {
        record: SupportRequest.objects.create(
            source=SupportRequest.Source.JOB_CUSTOMER,
            job_customer=world.person[record],
            channel=SupportRequest.Channel.PHONE,
            subject="Spørgsmål om løn",
            received_at=timezone.now() - datetime.timedelta(hours=1),
        )
        for record in (OWN, OTHER)
    }

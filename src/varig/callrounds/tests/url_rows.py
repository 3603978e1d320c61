"""The call-rounds' rows in the URL x role matrix (core/tests/url_table.py)."""

from varig.core.tests.url_table import MANAGERS, OTHER, OWN, STAFF, Row, ans, obj, single

NOT_ALLOWED = ans(405)
# A manager's form posted empty: handled (a message) and sent back to the campaign page.
MANAGERS_REDIRECT = ans(403, manager=302, administrator=302)


def extend_world(world) -> None:
    """One call-round per advisor's caseload, each advisor calling their own: `world.campaign`
    (the advisor's) and `world.call = {OWN: Mette's call (caller: the advisor), OTHER: Hans's
    call (caller: the other advisor)}`."""
    from varig.callrounds.tests.factories import make_campaign

    manager = world.users["manager"]
    calls = {}
    campaigns = {}
    for record, caller in ((OWN, world.advisor_user), (OTHER, world.other_advisor)):
        campaigns[record] = make_campaign(
            user=manager, callers=[caller], advisor=caller, name=f"Ringerunde {record}"
        )
        calls[record] = campaigns[record].calls.get(job_customer=world.person[record])
    world.campaign = campaigns[OWN]
    world.call = calls


def campaign_and(fmt: str):
    return lambda w, r: {"pk": w.campaign.pk, "fmt": fmt}


ROWS = {
    "callrounds:list": Row(get=MANAGERS, post=NOT_ALLOWED),
    # An empty POST is an unbound form: the page again (200); invalid input gives 400.
    "callrounds:create": Row(get=MANAGERS, post=MANAGERS),
    "callrounds:mine": Row(get=STAFF, post=NOT_ALLOWED),
    # Only the call's caller (about a person they see) or a manager records; empty is invalid.
    "callrounds:record": Row(
        get=NOT_ALLOWED,
        post=ans(400, advisor=(400, 403), consultant=403),
        kwargs=obj("call"),
        scoped=True,
    ),
    "callrounds:detail": Row(get=MANAGERS, post=NOT_ALLOWED, kwargs=single("campaign")),
    "callrounds:export": Row(get=MANAGERS, post=NOT_ALLOWED, kwargs=campaign_and("csv")),
    "callrounds:hand_over": Row(get=NOT_ALLOWED, post=MANAGERS_REDIRECT, kwargs=single("campaign")),
    "callrounds:close": Row(get=NOT_ALLOWED, post=MANAGERS_REDIRECT, kwargs=single("campaign")),
}

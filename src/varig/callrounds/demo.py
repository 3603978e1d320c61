"""Demo data for the crisis call-rounds (`varig demo`): one call-round under way, so the
managers' page has progress and each caller's "I dag" has calls waiting.

It runs through the services (the call list is shared out as in use, outcomes make tasks and
timeline notes), before the alerts hook, so the warnings computed there see today's calls
(and so the ORM's inserts come before any hook's bulk rows in the same tables).
"""

import datetime

from varig.core.models import Role

from .models import Call, CallAttempt, Campaign
from .services import call_record, campaign_create

HELP_NOTES = [
    "Arbejdspladsen har lukket ned; bekymret for, om jobbet er der bagefter.",
    "Føler sig ensom derhjemme og vil gerne have en samtale med sin vejleder.",
    "Usikker på, hvad hjemsendelse betyder for pensionen.",
    "Vil gerne have hjælp til at tale med chefen om nye opgaver hjemmefra.",
]
FINE_NOTES = [
    "",
    "",
    "Arbejder hjemmefra et par timer om ugen.",
    "Har det godt, går ture hver dag.",
]
# Of the calls, this share is made before the demo day ends; of those, how they went.
CALLED_SHARE = 0.55
OUTCOME_WEIGHTS = [(CallAttempt.Outcome.FINE, 70), (CallAttempt.Outcome.NEEDS_HELP, 12),
                   (CallAttempt.Outcome.NOT_REACHED, 18)]  # fmt: skip


def demo_build(builder) -> None:
    """A call-round to everyone in work (at national scale: the first advisor's caseload),
    called by the first three advisors, one employer consultant and the manager, with about
    half the calls made."""
    rng = builder.rng_for("callrounds")
    advisors = builder.staff.get(Role.ADVISOR) or []
    managers = builder.staff.get(Role.MANAGER) or []
    if not advisors or not managers:
        return
    callers = advisors[:3] + (builder.staff.get(Role.CONSULTANT) or [])[:1] + managers[:1]
    campaign = campaign_create(
        user=managers[0],
        name="Corona-ringerunde",
        purpose=(
            "Hør, hvordan det går, om arbejdspladsen holder åben, og om der er brug for "
            "hjælp til papirer, pension eller bare en snak."
        ),
        audience=Campaign.Audience.IN_WORK,
        advisor=advisors[0] if builder.scale_name == "national" else None,
        callers=callers,
        ends_on=builder.today + datetime.timedelta(days=10),
        max_attempts=3,
        retry_after_days=1,
    )
    outcomes = [o for o, _ in OUTCOME_WEIGHTS]
    weights = [w for _, w in OUTCOME_WEIGHTS]
    calls = list(
        Call.objects.filter(campaign=campaign)
        .select_related("caller", "job_customer")
        .order_by("pk")
    )
    made = 0
    for call in calls:
        if rng.random() >= CALLED_SHARE:
            continue
        outcome = rng.choices(outcomes, weights)[0]
        note = rng.choice(HELP_NOTES if outcome == CallAttempt.Outcome.NEEDS_HELP else FINE_NOTES)
        call_record(user=call.caller, call=call, outcome=outcome, note=note)
        made += 1
    builder.count("Call", len(calls))
    builder.count("CallAttempt", made)

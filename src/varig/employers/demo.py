"""Demo data for the employer collaboration (`varig demo`): each company's employer consultant
and what it has been told about the offers.

Called once by `core.demo.DemoBuilder` after the companies and placements exist. Draws from
its own `random.Random`, seeded from the builder's seed, so the rest of the demo data does not
shift when this module changes; rows are bulk-inserted (no audit entries, as for all demo data).
"""

import datetime
import random

from django.db.models import Count, Min

from varig.core.models import Role
from varig.placements.models import Placement

from .models import Company, Offer, OnboardingItem

DEMO_NOTES = ["Ved første møde", "I telefonen", "Med velkomstpakken", "Ved trepartsmødet", ""]


def make_demo_data(builder) -> None:
    """Consultants for the companies and their onboarding checklists."""
    rng = random.Random(builder.seed * 7919 + 5)
    today = builder.today
    consultants = builder.staff[Role.CONSULTANT] or builder.staff[Role.ADVISOR]
    companies = sorted(builder.companies, key=lambda c: c.pk)
    by_consultant: dict[int, list[int]] = {}
    consultant_of: dict[int, object] = {}
    for company in companies:
        consultant = rng.choice(consultants)
        consultant_of[company.pk] = consultant
        by_consultant.setdefault(consultant.pk, []).append(company.pk)
    for consultant_pk, pks in by_consultant.items():
        for start in range(0, len(pks), 500):
            Company.objects.filter(pk__in=pks[start : start + 500]).update(
                consultant_id=consultant_pk
            )

    history = {
        row["company"]: (row["n"], row["first"])
        for row in Placement.objects.values("company")
        .annotate(n=Count("pk"), first=Min("started_on"))
        .order_by("company")
    }
    items = []
    for company in companies:
        n, first = history.get(company.pk, (0, None))
        # Companies with a longer history with us know more of the offers (the report).
        chance = 0.15 + 0.12 * min(n, 6)
        earliest = first or today - datetime.timedelta(days=rng.randint(30, 700))
        for offer in Offer.values:
            if rng.random() >= chance:
                continue
            span = max(0, (today - earliest).days)
            items.append(
                OnboardingItem(
                    company=company,
                    offer=offer,
                    told_on=earliest + datetime.timedelta(days=rng.randint(0, span)),
                    told_by=consultant_of[company.pk],
                    note=rng.choice(DEMO_NOTES),
                )
            )
    OnboardingItem.objects.bulk_create(items, batch_size=2000)
    builder._count("OnboardingItem", len(items))


def delete_demo_data() -> None:
    """Raw deletes of this app's rows that hang on companies (before the companies go)."""
    for model in (OnboardingItem,):
        qs = model.objects.all()
        qs._raw_delete(qs.db)

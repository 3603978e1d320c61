"""Matching: which companies to suggest for a job customer, and which job customers for a
company. Matching only suggests: it never contacts anyone, and each suggestion says whether
the person has a consent that lets us contact that company (contact needs one).

**Scoring a company for a job customer** (points; each suggestion lists its reasons):

- industry: +30 when the company's industry is one of the wished industries;
- tasks: +8 for each wished-job stem found in what the company offers (its tasks and its
  industry), at most +24. A stem is the first five letters of a word of four letters or more,
  so Danish compounds meet: "lagerarbejde" and "lageroprydning" share "lager";
- hours: +10 when the company's placements average within 5 hours a week of the wished hours,
  -5 when they average more than 10 hours more;
- distance by postcode (`postcode_km`): +20 within 10 km, +12 within 25 km, +5 within 50 km,
  beyond that -1 for every 10 km more, at most -20;
- history: for the company's ended placements, +1 per whole month they lasted on average (at
  most +15); -5 instead when two or more ended placements lasted under three months on average;
- load: -8 for each current placement beyond the first (at most -32), so the same few
  companies are not worn out;
- companies where the person is placed now are left out.

**Speed.** The score is computed in SQL for every company in one query over the companies'
matching profiles (`CompanyMatchStats`, one row per company) that returns only the best few:
the person's wishes become constants of the query (the wished industries, a `LIKE` per
wished-job stem on the company's lower-case words, the hours window, and one `CASE` on the
postcode's area giving the distance points, worked out in Python for the ~90 areas), and the
company's own points (history and load) are stored in the profile. `match_stats_refresh`
computes every profile at once (one GROUP BY over the placements) as a daily job and whenever
they are older than today, so the placement figures are as of this morning (a placement
started today counts from tomorrow); the company services update a company's words at once.
The reasons are then worked out in Python for the suggestions shown only, by the same rules
(`_parts`). `varig matching_bench` times it for 20,000 companies (the budget is 200 ms).
"""

import datetime
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from varig.customers.models import (
    Consent,
    JobCustomer,
    JobWishes,
    ReadinessAssessment,
    ReadinessRating,
)
from varig.placements.models import Placement

from .models import Company, CompanyMatchStats

# Approximate centres (latitude, longitude) of the areas of Danish postcodes by their first two
# digits. A postcode's area is a good proxy for where it is: distances between areas come out
# within 10-20 km of the real ones, which is enough to tell "nearby" from "across the country".
POSTCODE_AREAS: dict[str, tuple[float, float]] = {
    "10": (55.68, 12.58), "11": (55.68, 12.58), "12": (55.68, 12.59), "13": (55.68, 12.57),
    "14": (55.67, 12.59), "15": (55.67, 12.56), "16": (55.67, 12.55), "17": (55.67, 12.55),
    "18": (55.68, 12.54), "19": (55.68, 12.53), "20": (55.68, 12.53), "21": (55.71, 12.58),
    "22": (55.70, 12.55), "23": (55.65, 12.60), "24": (55.71, 12.52), "25": (55.66, 12.51),
    "26": (55.66, 12.40), "27": (55.72, 12.43), "28": (55.78, 12.50), "29": (55.75, 12.57),
    "30": (56.03, 12.60), "31": (56.08, 12.40), "32": (56.03, 12.18), "33": (55.97, 12.02),
    "34": (55.90, 12.30), "35": (55.78, 12.37), "36": (55.82, 12.07), "37": (55.10, 14.90),
    "40": (55.64, 12.08), "41": (55.44, 11.79), "42": (55.40, 11.35), "43": (55.72, 11.72),
    "44": (55.68, 11.09), "45": (55.92, 11.67), "46": (55.46, 12.18), "47": (55.23, 11.76),
    "48": (54.77, 11.87), "49": (54.83, 11.14), "50": (55.40, 10.39), "51": (55.40, 10.39),
    "52": (55.38, 10.33), "53": (55.45, 10.66), "54": (55.57, 10.09), "55": (55.50, 9.73),
    "56": (55.27, 9.90), "57": (55.06, 10.61), "58": (55.31, 10.79), "59": (54.94, 10.71),
    "60": (55.49, 9.47), "61": (55.25, 9.49), "62": (55.04, 9.42), "63": (54.92, 9.60),
    "64": (54.91, 9.79), "65": (55.25, 9.30), "66": (55.48, 9.14), "67": (55.47, 8.45),
    "68": (55.62, 8.48), "69": (55.95, 8.50), "70": (55.57, 9.75), "71": (55.71, 9.54),
    "72": (55.76, 8.93), "73": (55.94, 9.12), "74": (56.14, 8.97), "75": (56.36, 8.62),
    "76": (56.49, 8.59), "77": (56.96, 8.69), "78": (56.57, 9.03), "79": (56.79, 8.86),
    "80": (56.16, 10.20), "81": (56.15, 10.15), "82": (56.19, 10.17), "83": (55.98, 10.15),
    "84": (56.30, 10.60), "85": (56.41, 10.88), "86": (56.17, 9.55), "87": (55.86, 9.85),
    "88": (56.45, 9.40), "89": (56.46, 10.04), "90": (57.05, 9.92), "91": (57.05, 9.92),
    "92": (57.02, 9.88), "93": (57.22, 10.30), "94": (57.10, 9.70), "95": (56.64, 9.79),
    "96": (56.80, 9.50), "97": (57.46, 9.98), "98": (57.44, 10.53), "99": (57.72, 10.58),
}  # fmt: skip
SAME_AREA_KM = 5.0


def postcode_km(a: str, b: str) -> float | None:
    """About how many km apart two Danish postcodes are: 0 for the same postcode, 5 within the
    same area (first two digits), else the distance between the areas' centres (flat-earth
    approximation, fine at Denmark's size). None when either is unknown."""
    if not (a and b and len(a) == 4 and len(b) == 4):
        return None
    if a == b:
        return 0.0
    if a[:2] == b[:2]:
        return SAME_AREA_KM if a[:2] in POSTCODE_AREAS else None
    first, second = POSTCODE_AREAS.get(a[:2]), POSTCODE_AREAS.get(b[:2])
    if first is None or second is None:
        return None
    mean_lat = math.radians((first[0] + second[0]) / 2)
    dx = (second[1] - first[1]) * 111.32 * math.cos(mean_lat)
    dy = (second[0] - first[0]) * 110.57
    return math.hypot(dx, dy)


_WORD = re.compile(r"[^\W\d_]+")
STEM = 5


def stems(text: str) -> set[str]:
    """The stems of the words of a text (see the module docstring)."""
    return {word[:STEM] for word in _WORD.findall((text or "").lower()) if len(word) >= 4}


def _items(text: str) -> list[str]:
    """The comma-, semicolon- or line-separated items of a free-text list, trimmed."""
    return [item.strip() for item in re.split(r"[,;\n]", text or "") if item.strip()]


class DaysBetween(Func):
    """Whole days from the first date to the second (portable: julianday on SQLite)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        first, second = self.source_expressions
        first_sql, first_params = compiler.compile(first)
        second_sql, second_params = compiler.compile(second)
        if connection.vendor == "sqlite":
            sql = f"CAST(julianday({second_sql}) - julianday({first_sql}) AS INTEGER)"
        else:
            sql = f"({second_sql} - {first_sql})"
        return sql, (*second_params, *first_params)


# --- The rules ---------------------------------------------------------------------------------

INDUSTRY_POINTS = 30
TASK_POINTS, TASK_MAX = 8, 24
HOURS_NEAR, HOURS_NEAR_POINTS, HOURS_FAR, HOURS_FAR_POINTS = 5, 10, 10, -5
DISTANCE_STEPS = ((10, 20), (25, 12), (50, 5))
DISTANCE_FAR_KM, DISTANCE_FAR_MAX = 50, 20
HISTORY_MAX = 15
SHORT_MONTHS, SHORT_POINTS = 3, -5
LOAD_POINTS, LOAD_MAX = 8, 32
# Whole months from days, in integer arithmetic: days * 100 // (n * 3044) (30.44 days a month).
MONTH_HUNDREDTHS = 3044

Part = tuple[str, tuple, int]  # (reason code, its facts, points)


def distance_points(km: float | None) -> int:
    if km is None:
        return 0
    for limit, points in DISTANCE_STEPS:
        if km <= limit:
            return points
    return -min(DISTANCE_FAR_MAX, int((km - DISTANCE_FAR_KM) // 10))


def company_parts(current: int, past: int, past_days: int) -> list[Part]:
    """The company's own points: how long its ended placements lasted, and its load now. The
    same for every person, so `match_stats_refresh` stores their sum."""
    parts: list[Part] = []
    if past:
        months = (past_days * 100) // (past * MONTH_HUNDREDTHS)
        if past >= 2 and months < SHORT_MONTHS:
            parts.append(("short", (past,), SHORT_POINTS))
        elif months:
            parts.append(("history", (past, months), min(HISTORY_MAX, months)))
    if current > 1:
        parts.append(("load", (current,), -min(LOAD_MAX, LOAD_POINTS * (current - 1))))
    return parts


@dataclass(frozen=True)
class Wishes:
    """A job customer's wishes, prepared once for scoring."""

    industries: frozenset[str]  # lower-case
    job_stems: frozenset[str]
    hours: Decimal | None
    postcode: str

    @classmethod
    def of(cls, *, wished_jobs: str, wished_industries: str, hours, postcode: str) -> "Wishes":
        return cls(
            industries=frozenset(item.lower() for item in _items(wished_industries)),
            job_stems=frozenset(stems(wished_jobs)),
            hours=Decimal(hours) if hours is not None else None,
            postcode=postcode or "",
        )


def _parts(
    wishes: Wishes,
    *,
    industry: str,
    offered: str,
    km: float | None,
    stats: tuple,
    with_company: bool = True,
) -> list[Part]:
    """The points of one company for one person's wishes, as (reason, facts, points): the
    rules of the module docstring, in Python (the SQL of `rank_companies` says the same).
    `with_company=False` leaves out the company's history and load (the same for every person
    when persons are ranked for one company)."""
    parts: list[Part] = []
    if industry and industry.lower() in wishes.industries:
        parts.append(("industry", (industry,), INDUSTRY_POINTS))
    if wishes.job_stems:
        text = f"{offered} {industry}".lower()
        hits = sorted(stem for stem in wishes.job_stems if stem in text)
        if hits:
            parts.append(("tasks", tuple(hits), min(TASK_MAX, TASK_POINTS * len(hits))))
    current, past, past_days, hours = stats
    if wishes.hours is not None and hours is not None:
        if abs(hours - wishes.hours) <= HOURS_NEAR:
            parts.append(("hours_near", (round(hours),), HOURS_NEAR_POINTS))
        elif hours - wishes.hours > HOURS_FAR:
            parts.append(("hours_far", (round(hours),), HOURS_FAR_POINTS))
    points = distance_points(km)
    if points:
        parts.append(("distance", (round(km),), points))
    if with_company:
        parts += company_parts(current, past, past_days)
    return parts


def reason_text(code: str, facts: tuple) -> str:
    """A reason in words, in the user's language."""
    if code == "industry":
        return _("The industry (%(industry)s) is one of the wishes") % {"industry": facts[0]}
    if code == "tasks":
        return _("Offers tasks that match the wished jobs (%(words)s)") % {
            "words": ", ".join(facts)
        }
    if code == "hours_near":
        return _("Its placements are about %(hours)s hours a week, close to the wish") % {
            "hours": facts[0]
        }
    if code == "hours_far":
        return _("Its placements are about %(hours)s hours a week, well above the wish") % {
            "hours": facts[0]
        }
    if code == "distance":
        return _("About %(km)s km away") % {"km": facts[0]}
    if code == "short":
        return ngettext(
            "%(n)d earlier placement lasted under %(months)d months",
            "%(n)d earlier placements lasted under %(months)d months on average",
            facts[0],
        ) % {"n": facts[0], "months": SHORT_MONTHS}
    if code == "history":
        return ngettext(
            "%(n)d earlier placement, lasting %(months)s months",
            "%(n)d earlier placements, lasting %(months)s months on average",
            facts[0],
        ) % {"n": facts[0], "months": facts[1]}
    if code == "load":
        return _("Already has %(n)d current placements: spread the load") % {"n": facts[0]}
    raise ValueError(code)


def _reasons(parts: list[Part]) -> list[tuple[str, int]]:
    return [(reason_text(code, facts), points) for code, facts, points in parts]


@dataclass
class Suggestion:
    """One suggested company (or person) with its points and the reasons for them."""

    score: int
    pk: int
    name: str
    industry: str
    place: str
    reasons: list[tuple[str, int]] = field(default_factory=list)
    km: float | None = None
    current: int = 0
    consent: bool = False


# --- The companies' placement statistics ---------------------------------------------------------

NO_STATS = (0, 0, 0, None)


def company_stats(on: datetime.date, *, company: Company | None = None) -> dict[int, tuple]:
    """Per company: (current placements, ended placements, their total days, the average hours
    a week over all its placements); one GROUP BY query (one company's, when given)."""
    active = Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    ended = Q(ended_on__lt=on)
    placements = Placement.objects.all()
    if company is not None:
        placements = placements.filter(company=company)
    rows = (
        placements.values_list("company_id")
        .annotate(
            current=Count("pk", filter=active),
            past=Count("pk", filter=ended),
            past_days=Sum(DaysBetween(F("started_on"), F("ended_on")), filter=ended),
            hours=Avg("hours_per_week"),
        )
        .order_by()
    )
    return {
        pk: (current, past, max(0, past_days or 0), _hours(hours))
        for pk, current, past, past_days, hours in rows
    }


def _hours(value) -> Decimal | None:
    return round(Decimal(value), 1) if value is not None else None


def _profile(pk, industry, postcode, offered, stats, on) -> CompanyMatchStats:
    current, past, past_days, hours = stats
    return CompanyMatchStats(
        company_id=pk,
        industry_lower=(industry or "").lower(),
        words=f"{offered} {industry}".lower().strip(),
        area=postcode[:2] if postcode and len(postcode) == 4 else "",
        current=current,
        past=past,
        past_days=past_days,
        hours=hours,
        points=sum(part[2] for part in company_parts(current, past, past_days)),
        computed_on=on,
    )


def match_stats_refresh(*, on: datetime.date | None = None) -> int:
    """Recompute every company's matching profile as of `on` (default today), replacing the
    old rows in one transaction. Idempotent; the daily job and `match_stats_ensure` call it.
    Returns the number of companies."""
    on = on or timezone.localdate()
    stats = company_stats(on)
    rows = [
        _profile(pk, industry, postcode, offered, stats.get(pk, NO_STATS), on)
        for pk, industry, postcode, offered in Company.objects.values_list(
            "pk", "industry", "postcode", "offered_jobs"
        ).iterator(chunk_size=5000)
    ]
    with transaction.atomic():
        CompanyMatchStats.objects.all().delete()
        CompanyMatchStats.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def match_profile_update(*, company: Company, on: datetime.date | None = None) -> None:
    """Bring one company's profile up to date (its words now, its statistics as of `on`);
    the company services call it on create and update. Two queries."""
    on = on or timezone.localdate()
    stats = company_stats(on, company=company).get(company.pk, NO_STATS)
    profile = _profile(
        company.pk, company.industry, company.postcode, company.offered_jobs, stats, on
    )
    CompanyMatchStats.objects.filter(pk=company.pk).delete()
    profile.save(force_insert=True)


def match_stats_ensure(*, on: datetime.date) -> None:
    """Refresh the profiles when they are older than `on` (the daily job has not run yet);
    add those of companies that have none (made by an import). Two queries when fresh."""
    newest = (
        CompanyMatchStats.objects.order_by("-computed_on")
        .values_list("computed_on", flat=True)
        .first()
    )
    if newest is None or newest < on:
        if newest is not None or Company.objects.exists():
            match_stats_refresh(on=on)
        return
    missing = list(Company.objects.filter(match_stats__isnull=True)[: MISSING_ONE_BY_ONE + 1])
    if len(missing) > MISSING_ONE_BY_ONE:
        match_stats_refresh(on=on)
    else:
        for company in missing:
            match_profile_update(company=company, on=on)


MISSING_ONE_BY_ONE = 20


def match_stats_daily(*, on: datetime.date) -> dict:
    """The daily job (VARIG_DAILY_JOBS): the statistics as of the day."""
    return {"companies": match_stats_refresh(on=on)}


# --- Companies for a job customer ----------------------------------------------------------------


def _wishes_of(job_customer: JobCustomer) -> Wishes:
    row = JobWishes.objects.filter(job_customer=job_customer).values_list(
        "wished_jobs", "wished_industries", "wished_hours_per_week"
    ).first() or ("", "", None)
    return Wishes.of(
        wished_jobs=row[0], wished_industries=row[1], hours=row[2], postcode=job_customer.postcode
    )


def _score_sql(wishes: Wishes):
    """The score of the module docstring as one SQL expression over a `CompanyMatchStats`
    row (the lower-case words make the stem look-ups plain LIKEs, the same as Python's)."""
    zero = Value(0)
    terms = []
    if wishes.industries:
        terms.append(
            Case(
                When(industry_lower__in=sorted(wishes.industries), then=Value(INDUSTRY_POINTS)),
                default=zero,
            )
        )
    if wishes.job_stems:
        hits = [
            Case(
                When(words__contains=stem, then=Value(TASK_POINTS)),
                default=zero,
            )
            for stem in sorted(wishes.job_stems)
        ]
        total = hits[0]
        for hit in hits[1:]:
            total = total + hit
        terms.append(Least(total, Value(TASK_MAX)) if len(hits) * TASK_POINTS > TASK_MAX else total)
    if wishes.hours is not None:
        terms.append(
            Case(
                When(
                    hours__gte=wishes.hours - HOURS_NEAR,
                    hours__lte=wishes.hours + HOURS_NEAR,
                    then=Value(HOURS_NEAR_POINTS),
                ),
                When(hours__gt=wishes.hours + HOURS_FAR, then=Value(HOURS_FAR_POINTS)),
                default=zero,
            )
        )
    if wishes.postcode:
        by_points: dict[int, list[str]] = {}
        for area in POSTCODE_AREAS:
            points = distance_points(postcode_km(wishes.postcode, f"{area}00"))
            if area == wishes.postcode[:2]:
                points = distance_points(SAME_AREA_KM)
            if points:
                by_points.setdefault(points, []).append(area)
        if by_points:
            terms.append(
                Case(
                    *(
                        When(area__in=areas, then=Value(points))
                        for points, areas in sorted(by_points.items())
                    ),
                    default=zero,
                )
            )
    terms.append(F("points"))
    score = terms[0]
    for term in terms[1:]:
        score = score + term
    return score


def rank_companies(
    *, job_customer: JobCustomer, limit: int = 20, on: datetime.date | None = None
) -> list[Suggestion]:
    """The best `limit` companies for the job customer, best first, each with its reasons
    (see the module docstring). Five queries whatever the number of companies."""
    on = on or timezone.localdate()
    wishes = _wishes_of(job_customer)
    match_stats_ensure(on=on)
    placed_now = Placement.objects.active_on(on).filter(job_customer=job_customer)
    best = list(
        CompanyMatchStats.objects.exclude(company_id__in=placed_now.values("company_id"))
        .annotate(score=_score_sql(wishes))
        .order_by("-score", "company_id")
        .values_list("company_id", "score")[:limit]
    )
    companies = Company.objects.select_related("match_stats").in_bulk([pk for pk, _s in best])
    consented = set(
        Consent.objects.active_on(on)
        .filter(job_customer=job_customer, company_id__in=list(companies), may_contact=True)
        .values_list("company_id", flat=True)
    )
    found = []
    for pk, score in best:
        company = companies[pk]
        stats = getattr(company, "match_stats", None)
        row = (stats.current, stats.past, stats.past_days, stats.hours) if stats else NO_STATS
        km = postcode_km(wishes.postcode, company.postcode)
        parts = _parts(
            wishes, industry=company.industry, offered=company.offered_jobs, km=km, stats=row
        )
        found.append(
            Suggestion(
                score=score,
                pk=pk,
                name=company.name,
                industry=company.industry,
                place=" ".join(part for part in (company.postcode, company.city) if part),
                reasons=_reasons(parts),
                km=km,
                current=row[0],
                consent=pk in consented,
            )
        )
    return found


# --- Job customers for a company -----------------------------------------------------------------


def ready_q() -> Q:
    """Ready for a job: assessed, and no life area whose latest rating is "not yet"."""
    newer = ReadinessAssessment.objects.filter(
        job_customer=OuterRef("job_customer"), area=OuterRef("area")
    ).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    not_yet_now = ReadinessAssessment.objects.filter(
        job_customer=OuterRef("pk"), rating=ReadinessRating.NOT_YET
    ).exclude(Exists(newer))
    assessed = ReadinessAssessment.objects.filter(job_customer=OuterRef("pk"))
    return Q(Exists(assessed)) & ~Q(Exists(not_yet_now))


CANDIDATES_MAX = 2000


def rank_job_customers(
    *, company: Company, visible, limit: int = 25, on: datetime.date | None = None
) -> list[Suggestion]:
    """Job customers for a company: among `visible` (the persons the user may see), those
    associated, not in a praktik or a job now, ready, and whose wishes fit the company (its
    industry is wished, or a wished job matches its tasks); best first with reasons. Four
    queries; at most `CANDIDATES_MAX` fitting persons are scored."""
    on = on or timezone.localdate()
    company_stems = stems(f"{company.offered_jobs} {company.industry}")
    fit = Q()
    if company.industry:
        fit |= Q(job_wishes__wished_industries__icontains=company.industry)
    for stem in sorted(company_stems):
        fit |= Q(job_wishes__wished_jobs__icontains=stem)
    if not fit:
        return []
    rows = (
        visible.associated_on(on)
        .with_status(on)
        .filter(in_work_now=False, in_praktik_now=False)
        .filter(ready_q())
        .filter(fit)
        .order_by("pk")
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "postcode",
            "job_wishes__wished_jobs",
            "job_wishes__wished_industries",
            "job_wishes__wished_hours_per_week",
        )[:CANDIDATES_MAX]
    )
    stats = company_stats(on, company=company).get(company.pk, NO_STATS)
    scored = []
    for pk, first, last, postcode, jobs, industries, hours in rows:
        wishes = Wishes.of(
            wished_jobs=jobs, wished_industries=industries, hours=hours, postcode=postcode
        )
        km = postcode_km(postcode, company.postcode)
        parts = _parts(
            wishes,
            industry=company.industry,
            offered=company.offered_jobs,
            km=km,
            stats=stats,
            with_company=False,
        )
        name = " ".join(part for part in (first, last) if part)
        scored.append((-sum(p[2] for p in parts), name, pk, postcode or "", km, parts))
    scored.sort(key=lambda row: row[:3])
    top = [
        Suggestion(
            score=-score, pk=pk, name=name, industry="", place=place, reasons=_reasons(parts), km=km
        )
        for score, name, pk, place, km, parts in scored[:limit]
    ]
    consented = set(
        Consent.objects.active_on(on)
        .filter(company=company, may_contact=True, job_customer_id__in=[s.pk for s in top])
        .values_list("job_customer_id", flat=True)
    )
    for suggestion in top:
        suggestion.consent = suggestion.pk in consented
    return top

"""The retention figures and the Resultater page's indicators, all aggregated in SQL.

Definitions (DESIGN.md, "Outcome definitions"): associated at D, in work at D (a work
placement active on D, a person counts once), in desired job at D (such a placement marked
`desired_job`). Every function runs a fixed number of queries whatever the data size; Python
only combines the few aggregated rows (never one row per person).
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Sum,
)
from django.utils import timezone

from varig.core.models import User
from varig.customers.models import ContactNote, CustomerStatus, JobCustomer
from varig.customers.status import status_q
from varig.placements.models import WORK_KINDS, FollowUp, Placement, TierChange

# Dates per query for the conditional aggregates (keeps each query's width modest).
DATES_PER_QUERY = 48
# Days per average month; the retention curve is reported by whole months.
DAYS_PER_MONTH = 30.4375
BENCHMARK_MONTHS = 12
BENCHMARK_REMAINING = 0.75  # 25 % of new hires leave within their first year.
PROGRESSION_MONTHS = (12, 24)


class DaysBetween(Func):
    """`end - start` in whole days, for dates (or datetimes, taken as their date)."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        if connection.vendor == "postgresql":
            sql = f"(CAST({end[0]} AS date) - CAST({start[0]} AS date))"
        else:
            sql = f"CAST(julianday(date({end[0]})) - julianday(date({start[0]})) AS INTEGER)"
        return sql, (*end[1], *start[1])


# --- The three retention levels ------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRow:
    reference_date: datetime.date
    associated: int
    in_work: int
    in_desired_job: int

    @property
    def coefficient(self) -> float:
        return self.in_work / self.associated if self.associated else 0.0

    def as_dict(self) -> dict:
        return {
            "reference_date": self.reference_date.isoformat(),
            "associated": self.associated,
            "in_work": self.in_work,
            "in_desired_job": self.in_desired_job,
            "coefficient": self.coefficient,
        }


def _associated_q(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}associated_from__lte": day}) & (
        Q(**{f"{prefix}associated_until__isnull": True})
        | Q(**{f"{prefix}associated_until__gte": day})
    )


def _work_on(day: datetime.date, *, desired: bool = False):
    qs = Placement.objects.active_on(day).work().filter(job_customer=OuterRef("pk"))
    if desired:
        qs = qs.filter(desired_job=True)
    return Exists(qs)


def _customers(advisor=None):
    qs = JobCustomer.objects.all()
    if advisor is not None:
        qs = qs.filter(advisor=advisor)
    return qs


def retention_series(dates, *, advisor=None) -> list[RetentionRow]:
    """Associated / in work / in desired job at each date: two queries per 48 dates.

    Plain SQL, portable to SQLite and PostgreSQL, one pass over each table whatever the
    number of dates: the associated persons are conditional sums over the job customers;
    in work / in desired job are per-person flags (MAX of a condition per date, so a person
    with two jobs counts once) over the work placements, joined with the person and summed.
    """
    dates = list(dates)
    rows = []
    for i in range(0, len(dates), DATES_PER_QUERY):
        rows.extend(_retention_chunk(dates[i : i + DATES_PER_QUERY], advisor))
    return rows


_ASSOC = "c.associated_from <= %s AND (c.associated_until IS NULL OR c.associated_until >= %s)"
_ACTIVE = "p.started_on <= %s AND (p.ended_on IS NULL OR p.ended_on >= %s)"


def _retention_chunk(chunk, advisor) -> list[RetentionRow]:
    customers = JobCustomer._meta.db_table
    placements = Placement._meta.db_table
    first, last = min(chunk), max(chunk)
    by_advisor, advisor_params, own_placements = "", [], ""
    if advisor is not None:
        by_advisor, advisor_params = " AND c.advisor_id = %s", [advisor.pk]
        # One advisor's persons: start from them (the advisor index), not from every placement.
        own_placements = (
            f" AND p.job_customer_id IN (SELECT id FROM {customers} WHERE advisor_id = %s)"
        )

    columns, params = [], []
    for day in chunk:
        columns.append(f"SUM(CASE WHEN {_ASSOC} THEN 1 ELSE 0 END)")
        params += [day, day]
    sql = (
        f"SELECT {', '.join(columns)} FROM {customers} c "
        f"WHERE c.associated_from <= %s AND (c.associated_until IS NULL "
        f"OR c.associated_until >= %s){by_advisor}"
    )
    params += [last, first, *advisor_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        associated = [int(v or 0) for v in cursor.fetchone()]

    # Per person and date: 2 = in a desired work placement that day, 1 = in work, 0 = not
    # (MAX over the person's work placements, so two jobs count once); then summed over the
    # persons associated that day.
    flags, outer, params, outer_params = [], [], [], []
    for n, day in enumerate(chunk):
        flags.append(
            f"MAX(CASE WHEN {_ACTIVE} THEN (CASE WHEN p.desired_job THEN 2 ELSE 1 END) "
            f"ELSE 0 END) AS x{n}"
        )
        params += [day, day]
        outer.append(f"SUM(CASE WHEN f.x{n} >= 1 AND {_ASSOC} THEN 1 ELSE 0 END)")
        outer.append(f"SUM(CASE WHEN f.x{n} = 2 AND {_ASSOC} THEN 1 ELSE 0 END)")
        outer_params += [day, day, day, day]
    kinds = ", ".join(["%s"] * len(WORK_KINDS))
    sql = (
        f"SELECT {', '.join(outer)} FROM ("
        f"SELECT p.job_customer_id, {', '.join(flags)} FROM {placements} p "
        f"WHERE p.kind IN ({kinds}) AND p.started_on <= %s "
        f"AND (p.ended_on IS NULL OR p.ended_on >= %s){own_placements} "
        f"GROUP BY p.job_customer_id) f "
        f"INNER JOIN {customers} c ON c.id = f.job_customer_id "
        f"WHERE c.associated_from <= %s AND (c.associated_until IS NULL "
        f"OR c.associated_until >= %s){by_advisor}"
    )
    params = [
        *outer_params,
        *params,
        *WORK_KINDS,
        last,
        first,
        *advisor_params,
        last,
        first,
        *advisor_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        working = [int(v or 0) for v in cursor.fetchone()]
    return [
        RetentionRow(day, associated[n], working[2 * n], working[2 * n + 1])
        for n, day in enumerate(chunk)
    ]


def retention_on(day: datetime.date, *, advisor=None) -> RetentionRow:
    return retention_series([day], advisor=advisor)[0]


def year_end_dates(first_year: int, last_year: int, *, today: datetime.date | None = None):
    """31 December of each year; the current year (if in range) at `today`."""
    dates = []
    for year in range(first_year, last_year + 1):
        day = datetime.date(year, 12, 31)
        if today is not None and day > today:
            if year == today.year:
                dates.append(today)
            continue
        dates.append(day)
    return dates


def month_end_dates(last: datetime.date, months: int) -> list[datetime.date]:
    """The last day of each of `months` months up to `last` (its own month at `last`)."""
    dates = [last]
    first_of = last.replace(day=1)
    for _ in range(months - 1):
        first_of_prev = (first_of - datetime.timedelta(days=1)).replace(day=1)
        dates.append(first_of - datetime.timedelta(days=1))
        first_of = first_of_prev
    return list(reversed(dates))


# --- Employment retention curve (Kaplan-Meier) ----------------------------------------------


@dataclass
class SurvivalCurve:
    label: str
    placements: int
    # (month, share still employed) from month 0 (1.0) onwards, one point per step.
    points: list[tuple[int, float]] = field(default_factory=list)

    def at(self, month: int) -> float | None:
        """The share still in the job after `month` months (None when no one was followed)."""
        value = None
        for m, s in self.points:
            if m > month:
                break
            value = s
        if self.points and month > self.max_followed:
            return None
        return value

    max_followed: int = 0


def kaplan_meier(groups: list[tuple[int, int, int]]) -> list[tuple[int, float]]:
    """Kaplan-Meier from (duration, events, censored) counts, one row per distinct duration.

    Standard convention: at a duration t the persons at risk are those whose duration is ≥ t;
    events at t are taken before the censorings at t. Returns (t, S(t)) at each event time,
    starting with (0, 1.0).
    """
    at_risk = sum(e + c for _, e, c in groups)
    survival = 1.0
    points = [(0, 1.0)]
    for duration, events, censored in sorted(groups):
        if events and at_risk:
            survival *= 1 - events / at_risk
            points.append((duration, survival))
        at_risk -= events + censored
    return points


def _placements(advisor=None):
    qs = Placement.objects.all()
    if advisor is not None:
        qs = qs.filter(job_customer__advisor=advisor)
    return qs


def _year_sql(column: str) -> str:
    """The calendar year of a date column, as an integer."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"


def _months_sql(days: str) -> str:
    """Whole months in a number of days (days / 30.4375, truncated; integer arithmetic)."""
    return f"(({days}) * 400 / 12175)"


def _own(alias: str, advisor) -> tuple[str, list]:
    """` AND <alias>.job_customer_id IN (the advisor's persons)`, or nothing without one: the
    advisor's persons come from the advisor index, so one advisor's figures stay cheap."""
    if advisor is None:
        return "", []
    customers = JobCustomer._meta.db_table
    return (
        f" AND {alias}.job_customer_id IN (SELECT id FROM {customers} WHERE advisor_id = %s)",
        [advisor.pk],
    )


def employments_sql(*, heads_where: str = "", heads_params=(), advisor=None) -> tuple[str, list]:
    """A `WITH RECURSIVE` prefix that defines `employments(head_id, person, started_on,
    last_day)`: one row per employment, that is a work placement that does not continue
    another work placement (its head), followed through the work placements that continue
    it (`previous`, e.g. a skånejob that becomes a fleksjob). `last_day` is the end of its
    last placement, NULL while any is open. A job that continues as another job has not been
    left. `heads_where` (SQL on the head, alias h, starting with AND) restricts the heads,
    and `advisor` to the advisor's persons (their continuations are theirs too).

    Only the continuations are followed recursively: the recursion starts from the few
    placements that continue a head (the `previous` index), not from every head, and each
    head without one is its own employment (no look-up per head, no guess about the size of
    the recursion for the planner)."""
    placements = Placement._meta.db_table
    kinds = ", ".join(["%s"] * len(WORK_KINDS))
    own_h, own_params = _own("h", advisor)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    sql = (
        f"WITH RECURSIVE heads(id, person, started_on, ended_on) AS ("
        f"SELECT h.id, h.job_customer_id, h.started_on, h.ended_on FROM {placements} h "
        f"WHERE h.kind IN ({kinds}) "
        f"AND NOT EXISTS (SELECT 1 FROM {placements} q WHERE q.id = h.previous_id "
        f"AND q.kind IN ({kinds})){heads_where}{own_h}), "
        # The continuations of each head, link by link (previous is one-to-one).
        f"links(head_id, id, ended_on) AS ("
        f"SELECT h.id, n.id, n.ended_on FROM {placements} n INNER JOIN heads h "
        f"ON h.id = n.previous_id WHERE n.previous_id IS NOT NULL AND n.kind IN ({kinds}) "
        f"UNION ALL SELECT l.head_id, n.id, n.ended_on FROM links l INNER JOIN {placements} n "
        f"ON n.previous_id = l.id WHERE n.kind IN ({kinds})), "
        f"continued(head_id, open_links, last_end) AS ("
        f"SELECT head_id, COUNT(*) - COUNT(ended_on), MAX(ended_on) FROM links GROUP BY head_id), "
        f"employments(head_id, person, started_on, last_day) AS ("
        f"SELECT h.id, h.person, h.started_on, CASE WHEN h.ended_on IS NULL THEN NULL "
        f"WHEN k.head_id IS NULL THEN h.ended_on WHEN k.open_links > 0 THEN NULL "
        f"ELSE {greatest}(h.ended_on, k.last_end) END "
        f"FROM heads h LEFT JOIN continued k ON k.head_id = h.id) "
    )
    return sql, [
        *WORK_KINDS,
        *WORK_KINDS,
        *heads_params,
        *own_params,
        *WORK_KINDS,
        *WORK_KINDS,
    ]


def curve_groups_sql(*, reference, where: str = "", params=()) -> tuple[str, list]:
    """SELECT (cohort, months, is_event, n) over the employments in `employments` (alias e;
    `where` restricts them): the duration in whole months from the start to the last day
    (inclusive), an event when the employment ended by the reference date, else censored at
    the reference date."""
    ended = "(e.last_day IS NOT NULL AND e.last_day <= %s)"
    last = f"CASE WHEN {ended} THEN e.last_day ELSE %s END"
    days = _days_sql(last, "e.started_on") + " + 1"
    sql = (
        f"SELECT {_year_sql('e.started_on')} AS cohort, {_months_sql(days)} AS months, "
        f"CASE WHEN {ended} THEN 1 ELSE 0 END AS is_event, COUNT(*) AS n "
        f"FROM employments e WHERE e.started_on <= %s{where} GROUP BY 1, 2, 3"
    )
    return sql, [reference, reference, reference, reference, *params]


def retention_curves(
    *, first_year: int, last_year: int, reference: datetime.date, advisor=None
) -> list[SurvivalCurve]:
    """Kaplan-Meier by start-year cohort over the employments started in the period.

    An employment is a work placement with the work placements that continue it (see
    `employments_sql`): a skånejob that becomes a fleksjob at the same place is one
    employment, not a person who left. Duration in whole months (days / 30.4375) from the
    start to the last day; one that ended by the reference date is an event, an open one (or
    one ending after the reference date) is censored at the reference date. One query."""
    start_from = datetime.date(first_year, 1, 1)
    start_to = min(datetime.date(last_year, 12, 31), reference)
    prefix, params = employments_sql(
        heads_where=" AND h.started_on >= %s AND h.started_on <= %s",
        heads_params=[start_from, start_to],
        advisor=advisor,
    )
    groups_sql, groups_params = curve_groups_sql(reference=reference)
    with connection.cursor() as cursor:
        cursor.execute(prefix + groups_sql, [*params, *groups_params])
        rows = cursor.fetchall()
    return curves_from_groups(rows)


def curves_from_groups(rows) -> list[SurvivalCurve]:
    """Survival curves per cohort from (cohort, months, is_event, n) rows."""
    by_cohort: dict[int, dict[int, list[int]]] = {}
    for cohort, months, is_event, n in rows:
        counts = by_cohort.setdefault(int(cohort), {}).setdefault(int(months), [0, 0])
        counts[0 if is_event else 1] += int(n)
    curves = []
    for year in sorted(by_cohort):
        groups = [(m, e, c) for m, (e, c) in by_cohort[year].items()]
        curves.append(
            SurvivalCurve(
                label=str(year),
                placements=sum(e + c for _, e, c in groups),
                points=kaplan_meier(groups),
                max_followed=max(m for m, _, _ in groups),
            )
        )
    return curves


# --- Progression up the value chain ----------------------------------------------------------


@dataclass(frozen=True)
class Progression:
    months: int
    persons: int
    to_peripheral: int
    to_core: int

    @property
    def peripheral_share(self) -> float:
        return self.to_peripheral / self.persons if self.persons else 0.0

    @property
    def core_share(self) -> float:
        return self.to_core / self.persons if self.persons else 0.0


def progression_windows(reference: datetime.date, last_year: int) -> dict[int, tuple]:
    """Per window (12, 24 months): its length in days and the latest start it looks at (the
    whole window must lie before the reference date)."""
    windows = {}
    for months in PROGRESSION_MONTHS:
        days = round(months * DAYS_PER_MONTH)
        latest_start = min(
            datetime.date(last_year, 12, 31), reference - datetime.timedelta(days=days)
        )
        windows[months] = (days, latest_start)
    return windows


def tier_reached_sql(*, where: str = "") -> str:
    """SELECT per placement its first change to peripheral-or-core and its first change to
    core (one grouped pass over the tier changes; `where` restricts them)."""
    changes = TierChange._meta.db_table
    return (
        f"SELECT placement_id, "
        f"MIN(CASE WHEN tier IN ('peripheral', 'core') THEN changed_on END) AS first_up, "
        f"MIN(CASE WHEN tier = 'core' THEN changed_on END) AS first_core "
        f"FROM {changes}{where} GROUP BY placement_id"
    )


def progression(
    *, first_year: int, last_year: int, reference: datetime.date, advisor=None
) -> list[Progression]:
    """Persons with a work placement started in the period (and at least 12 / 24 months
    before the reference date, so the whole window is observed) who reached peripheral (or
    core) and core within 12 / 24 months of that placement's start. One query.

    Plain SQL: each placement's first change to peripheral-or-core and first change to core
    come from one grouped pass over the tier changes, joined to the placements (a placement
    reached a tier within N days exactly when its first change to it did), instead of a
    correlated EXISTS per placement, window and tier."""
    windows = progression_windows(reference, last_year)
    placements = Placement._meta.db_table
    up_days = _days_sql("t.first_up", "p.started_on")
    core_days = _days_sql("t.first_core", "p.started_on")
    # Per person (GROUP BY), 1 when any of their placements qualifies; then summed: each
    # person counts once (cheaper than COUNT(DISTINCT ...) per column).
    flags, params = [], []
    for days, latest in windows.values():
        flags += [
            "MAX(CASE WHEN p.started_on <= %s THEN 1 ELSE 0 END)",
            f"MAX(CASE WHEN p.started_on <= %s AND {up_days} <= %s THEN 1 ELSE 0 END)",
            f"MAX(CASE WHEN p.started_on <= %s AND {core_days} <= %s THEN 1 ELSE 0 END)",
        ]
        params += [latest, latest, days, latest, days]
    flags = [f"{flag} AS f{n}" for n, flag in enumerate(flags)]
    sums = ", ".join(f"SUM(g.f{n})" for n in range(len(flags)))
    own, own_params = _own("p", advisor)
    changes_where, changes_params = "", []
    if advisor is not None:
        own_p2, changes_params = _own("p2", advisor)
        changes_where = (
            f" WHERE placement_id IN (SELECT p2.id FROM {placements} p2 WHERE 1 = 1{own_p2})"
        )
    kinds = ", ".join(["%s"] * len(WORK_KINDS))
    sql = (
        f"SELECT {sums} FROM (SELECT {', '.join(flags)} FROM {placements} p "
        f"LEFT JOIN ({tier_reached_sql(where=changes_where)}) t ON t.placement_id = p.id "
        f"WHERE p.kind IN ({kinds}) AND p.started_on >= %s AND p.started_on <= %s{own} "
        f"GROUP BY p.job_customer_id) g"
    )
    params += [
        *changes_params,
        *WORK_KINDS,
        datetime.date(first_year, 1, 1),
        max(latest for _days, latest in windows.values()),
        *own_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = [int(v or 0) for v in cursor.fetchone()]
    return [Progression(months, *values[3 * n : 3 * n + 3]) for n, months in enumerate(windows)]


# --- Follow-up compliance --------------------------------------------------------------------


@dataclass(frozen=True)
class Compliance:
    label: str
    due: int  # follow-ups whose window closed in the period (not cancelled)
    held: int  # of those, held at all
    held_in_window: int

    @property
    def share_of_held(self) -> float:
        return self.held_in_window / self.held if self.held else 0.0

    @property
    def share_of_due(self) -> float:
        return self.held_in_window / self.due if self.due else 0.0


def followup_counts_sql(*, where: str = "") -> str:
    """SELECT per person (job_customer_id, due, held, in_window) over the follow-ups that are
    not cancelled (`where`, starting with AND, restricts them further)."""
    followups = FollowUp._meta.db_table
    # SQLite's planner prefers I dag's (status, window_end) index and then sorts ~700,000
    # rows by person and reads each row (3 s at national scale); the compliance index gives
    # every column in person order (0.5 s). PostgreSQL chooses well by itself.
    indexed = " INDEXED BY followup_compliance_idx" if connection.vendor == "sqlite" else ""
    return (
        f"SELECT f.job_customer_id, COUNT(*) AS due, "
        f"SUM(CASE WHEN f.status = 'held' THEN 1 ELSE 0 END) AS held, "
        f"SUM(CASE WHEN f.status = 'held' AND f.held_on >= f.window_start "
        f"AND f.held_on <= f.window_end THEN 1 ELSE 0 END) AS in_window "
        f"FROM {followups} f{indexed} WHERE f.status <> 'cancelled'{where} "
        f"GROUP BY f.job_customer_id"
    )


def followup_compliance(
    *, first_year: int, last_year: int, reference: datetime.date, advisor=None
) -> tuple[Compliance, list[Compliance]]:
    """Follow-ups whose window closed in the period (before the reference date), not
    cancelled: how many were held, and held inside their window. Overall and per the
    person's advisor (one query; advisors in name order).

    Plain SQL: the follow-ups are counted per person first (one pass in the person index's
    order), and only those per-person rows are joined to the person and the advisor; cheaper
    than joining every follow-up row."""
    customers = JobCustomer._meta.db_table
    users = User._meta.db_table
    own, own_params = _own("f", advisor)
    sql = (
        f"SELECT c.advisor_id, u.name, SUM(g.due), SUM(g.held), SUM(g.in_window) FROM ("
        f"{followup_counts_sql(where=' AND f.window_end >= %s AND f.window_end <= %s' + own)}"
        f") g INNER JOIN {customers} c ON c.id = g.job_customer_id "
        f"LEFT JOIN {users} u ON u.id = c.advisor_id "
        f"GROUP BY c.advisor_id, u.name"
    )
    params = [
        datetime.date(first_year, 1, 1),
        min(datetime.date(last_year, 12, 31), reference),
        *own_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return compliance_from_rows(rows)


def compliance_from_rows(rows) -> tuple[Compliance, list[Compliance]]:
    """(overall, per advisor in name order) from (advisor_id, name, due, held, in_window)."""
    per_advisor = [
        Compliance(name or "", int(due or 0), int(held or 0), int(in_window or 0))
        for _pk, name, due, held, in_window in sorted(
            rows, key=lambda r: (r[1] is None, r[1] or "", r[0] or 0)
        )
        if due
    ]
    return _overall(per_advisor), per_advisor


def _overall(per_advisor: list[Compliance]) -> Compliance:
    """The overall figures: the sums of the few per-advisor rows (no second scan)."""
    return Compliance(
        "",
        sum(c.due for c in per_advisor),
        sum(c.held for c in per_advisor),
        sum(c.held_in_window for c in per_advisor),
    )


# --- Medians in SQL ---------------------------------------------------------------------------


def _median(qs, field_name: str) -> tuple[int, float | None]:
    """(count, median) of the non-null values of an integer annotation, in one SQL query:
    ROW_NUMBER() and COUNT(*) windows pick the middle row(s), AVG takes their mean."""
    inner, params = (
        qs.filter(**{f"{field_name}__isnull": False})
        .order_by()
        .values(field_name)
        .query.sql_with_params()
    )
    return _median_sql(inner, params, field_name)


def _median_sql(inner: str, params, field_name: str, *, prefix: str = "", total: bool = False):
    """(count, median) of the non-null `field_name` column of the SQL query `inner` (after
    `prefix`, a WITH clause the query uses); with `total`, (rows, count, median): the rows
    of `inner` counted in the same pass (its NULLs sort last, so the middle rows are still
    among the first `count`)."""
    value = f"t.{field_name}"
    where = "" if total else f" WHERE {value} IS NOT NULL"
    # The values once (MATERIALIZED): inlined, both databases would compute each value's
    # expression (a correlated subquery, a time-zone conversion) once per use below.
    values = f"median_values AS MATERIALIZED ({inner})"
    with_values = f"{prefix}, {values} " if prefix else f"WITH {values} "
    sql = (
        f"{with_values}SELECT AVG(w.v), MAX(w.n), MAX(w.total) FROM (SELECT {value} AS v, "
        f"ROW_NUMBER() OVER (ORDER BY CASE WHEN {value} IS NULL THEN 1 ELSE 0 END, {value}) "
        f"AS rn, COUNT({value}) OVER () AS n, COUNT(*) OVER () AS total "
        f"FROM median_values t{where}) w "
        f"WHERE w.rn IN ((w.n + 1) / 2, (w.n + 2) / 2)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        median, n, rows = cursor.fetchone()
    n = int(n or 0)
    median = float(median) if median is not None and n else None
    if total:
        return int(rows or 0), n, median
    return n, median


def next_job_sql(employment: str, person: str) -> str:
    """SQL for the start of the person's next job after an employment's last day: the first
    work placement starting later that is not itself the continuation of a work placement."""
    placements = Placement._meta.db_table
    kinds = ", ".join(f"'{k}'" for k in WORK_KINDS)
    return (
        f"(SELECT MIN(n.started_on) FROM {placements} n WHERE n.job_customer_id = {person} "
        f"AND n.kind IN ({kinds}) AND n.started_on > {employment}.last_day "
        f"AND NOT EXISTS (SELECT 1 FROM {placements} q WHERE q.id = n.previous_id "
        f"AND q.kind IN ({kinds})))"
    )


def job_gap(*, first_year: int, last_year: int, reference: datetime.date, advisor=None) -> dict:
    """Days from the last day of a job (an employment, see `employments_sql`, that ended in
    the period) to the start of the same person's next job, median in SQL; also how many
    ended without a next one. A job that continues as another job has not ended. One query:
    the employments are computed once for the count and the median."""
    prefix, params = employments_sql(advisor=advisor)
    gap = _days_sql(next_job_sql("e", "e.person"), "e.last_day")
    inner = f"SELECT {gap} AS gap FROM employments e WHERE e.last_day >= %s AND e.last_day <= %s"
    period = [datetime.date(first_year, 1, 1), min(datetime.date(last_year, 12, 31), reference)]
    total, n, median = _median_sql(inner, [*params, *period], "gap", prefix=prefix, total=True)
    return {"ended": total, "with_next": n, "without_next": total - n, "median_days": median}


# --- IPS fidelity indicators ------------------------------------------------------------------


def caseload(*, reference: datetime.date, advisor=None) -> list[dict]:
    """Associated persons per advisor at the reference date (one grouped query), in name
    order; persons without an advisor last."""
    return caseload_and_pension(reference=reference, advisor=advisor)[0]


@dataclass(frozen=True)
class PensionSavers:
    label: str  # the advisor's name ("" for persons without an advisor, or all)
    in_work: int  # associated and in work at the reference date
    saving: int  # of those, saving for a pension on that day

    @property
    def share(self) -> float | None:
        return self.saving / self.in_work if self.in_work else None


def caseload_and_pension(
    *, reference: datetime.date, advisor=None
) -> tuple[list[dict], list[PensionSavers]]:
    """Per advisor at the reference date, in one grouped query: the associated persons
    (caseload), those in work (a work placement active that day, as in the retention
    figures), and of those the persons saving for a pension that day (a period of pension
    saving, earnings.PensionSaving, started on or before it and not stopped by it)."""
    from varig.earnings.models import PensionSaving

    # In work: the stored status (customers/status.py; a work placement active that day, the
    # association not ended), read from the job customer's own row: the set of every active
    # work placement cost 300 ms at national scale. On a day the stored status does not cover
    # (an earlier reference date) it is derived. The savers as a set (one pass).
    work = status_q(CustomerStatus.IN_WORK, reference)
    saving = (
        PensionSaving.objects.filter(started_on__lte=reference)
        .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gt=reference))
        .values("job_customer_id")
    )
    rows = list(
        _customers(advisor)
        .associated_on(reference)
        .values_list("advisor_id", "advisor__name")
        .annotate(
            n=Count("pk"),
            in_work=Count("pk", filter=work),
            saving=Count("pk", filter=Q(pk__in=saving) & work),
        )
        .order_by()
    )
    ordered = sorted(rows, key=lambda r: (r[0] is None, r[1] or "", r[0] or 0))
    caseload = caseload_from_rows([(pk, name, n) for pk, name, n, _w, _s in ordered])
    pension = [
        PensionSavers(name or "", int(in_work), int(saving))
        for _pk, name, _n, in_work, saving in ordered
        if in_work
    ]
    return caseload, pension


def caseload_from_rows(rows) -> list[dict]:
    """Caseload rows from (advisor_id, name, persons)."""
    ordered = sorted(rows, key=lambda r: (r[0] is None, r[1] or "", r[0] or 0))
    return [{"advisor": name or "", "persons": int(n)} for _pk, name, n in ordered]


def _days_sql(end: str, start: str) -> str:
    if connection.vendor == "postgresql":
        return f"(CAST({end} AS date) - CAST({start} AS date))"
    return f"CAST(julianday(date({end})) - julianday(date({start})) AS INTEGER)"


def first_contact_days_sql(*, where: str = "", advisor=None) -> tuple[str, list]:
    """SELECT per person associated (`where` on alias c, starting with AND) their
    associated_from and the days from it to the first employer contact: the first contact
    note with a company, on its Danish date (a note at 00:30 Danish time on 2 March is 2
    March, though it is stored as 1 March 23:30 UTC), or the first placement start if
    earlier. NULL without either."""
    customers = JobCustomer._meta.db_table
    notes = ContactNote._meta.db_table
    placements = Placement._meta.db_table
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    # The Danish date of each person's first note, converted once per person (on SQLite the
    # conversion is a Python function; the date of the earliest moment is the earliest date).
    note_date, tz_params = connection.ops.datetime_cast_date_sql(
        "MIN(cn.occurred_at)", [], timezone.get_current_timezone_name()
    )
    note_days = _days_sql("n.first_note", "c.associated_from")
    start_days = _days_sql("p.first_start", "c.associated_from")
    own_notes, own_params = _own("cn", advisor)
    own_placements, _ = _own("pl", advisor)
    sql = (
        f"SELECT c.id AS person, c.associated_from AS associated_from, "
        f"{least}(COALESCE({note_days}, {start_days}), "
        f"COALESCE({start_days}, {note_days})) AS days FROM {customers} c "
        f"LEFT JOIN (SELECT cn.job_customer_id, {note_date} AS first_note "
        f"FROM {notes} cn WHERE cn.company_id IS NOT NULL{own_notes} "
        f"GROUP BY cn.job_customer_id) n ON n.job_customer_id = c.id "
        f"LEFT JOIN (SELECT pl.job_customer_id, MIN(pl.started_on) AS first_start "
        f"FROM {placements} pl WHERE 1 = 1{own_placements} GROUP BY pl.job_customer_id) p "
        f"ON p.job_customer_id = c.id "
        f"WHERE 1 = 1{where}"
    )
    return sql, [*tz_params, *own_params, *own_params]


def first_contact(*, first_year: int, last_year: int, reference: datetime.date, advisor=None):
    """Days from association to the first employer contact (see `first_contact_days_sql`),
    for persons associated in the period; median.

    Plain SQL: the first note and first placement per person come from one grouped pass over
    each table (much cheaper than a correlated subquery per person at national scale)."""
    customers = JobCustomer._meta.db_table
    where = " AND c.associated_from >= %s AND c.associated_from <= %s"
    params = [datetime.date(first_year, 1, 1), min(datetime.date(last_year, 12, 31), reference)]
    if advisor is not None:
        where += " AND c.advisor_id = %s"
        params.append(advisor.pk)
    inner, inner_params = first_contact_days_sql(where=where, advisor=advisor)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {customers} c WHERE 1 = 1{where}", params)
        persons = cursor.fetchone()[0]
    n, median = _median_sql(
        f"SELECT d.days FROM ({inner}) d WHERE d.days >= 0", [*inner_params, *params], "days"
    )
    return {"persons": persons, "with_contact": n, "median_days": median}


def employer_diversity(
    *, first_year: int, last_year: int, reference: datetime.date, advisor=None
) -> dict:
    """Distinct companies with a placement started in the period, and the share of those
    placements at the top 10 % of companies (by placements). Three queries."""
    qs = _placements(advisor).filter(
        started_on__gte=datetime.date(first_year, 1, 1),
        started_on__lte=min(datetime.date(last_year, 12, 31), reference),
    )
    totals = qs.aggregate(placements=Count("pk"), companies=Count("company", distinct=True))
    top_n = math.ceil(totals["companies"] / 10) if totals["companies"] else 0
    top = (qs.order_by().values("company").annotate(n=Count("pk")).order_by("-n", "company"))[
        : max(top_n, 1)
    ]
    top_placements = top.aggregate(total=Sum("n"))["total"] or 0
    share = top_placements / totals["placements"] if totals["placements"] else 0.0
    return {
        "placements": totals["placements"],
        "companies": totals["companies"],
        "top_companies": top_n,
        "top_share": share,
    }


def job_types(*, first_year: int, last_year: int, reference: datetime.date, advisor=None):
    """Placements started in the period per kind (one grouped query), in the kinds' order."""
    rows = dict(
        _placements(advisor)
        .filter(
            started_on__gte=datetime.date(first_year, 1, 1),
            started_on__lte=min(datetime.date(last_year, 12, 31), reference),
        )
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return [(kind, label, rows.get(kind, 0)) for kind, label in Placement.Kind.choices]

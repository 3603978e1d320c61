"""Which placements belong together: one unbroken run at one company.

Consecutive placements of one person at the same company count as one when there is no gap
between them: the next starts no later than the day after the run's latest end (an open
placement has no end). Used by the anniversaries (over work placements only, so a praktik
followed directly by employment counts from the employment's start) and by the early
warnings (hours going up, over the whole run, praktik included).
"""

import datetime
from collections.abc import Iterable
from typing import Protocol

ONE_DAY = datetime.timedelta(days=1)


class PlacementLike(Protocol):
    job_customer_id: int
    company_id: int
    started_on: datetime.date
    ended_on: datetime.date | None
    pk: int


def continuous_runs(placements: Iterable[PlacementLike]) -> list[list[PlacementLike]]:
    """Group placements into unbroken runs per (person, company), each run sorted by start."""
    by_pair: dict[tuple[int, int], list[PlacementLike]] = {}
    for placement in placements:
        by_pair.setdefault((placement.job_customer_id, placement.company_id), []).append(placement)
    runs: list[list[PlacementLike]] = []
    for rows in by_pair.values():
        rows.sort(key=lambda p: (p.started_on, p.pk))
        current: list[PlacementLike] = []
        reach = datetime.date.min  # the run's latest end; date.max while one is open
        for placement in rows:
            end = placement.ended_on or datetime.date.max
            if current and (reach == datetime.date.max or placement.started_on <= reach + ONE_DAY):
                current.append(placement)
                reach = max(reach, end)
            else:
                if current:
                    runs.append(current)
                current, reach = [placement], end
        if current:
            runs.append(current)
    return runs


def run_end(run: list[PlacementLike]) -> datetime.date | None:
    """The last day of a run (None while any placement in it is open)."""
    ends = [p.ended_on for p in run]
    return None if any(e is None for e in ends) else max(ends)

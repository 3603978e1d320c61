"""The chart of kept income against hours per week (0 to 37): geometry for an inline SVG.

Pure: from a calculation's inputs and rates to coordinates, ticks and the places where the
curve bends (the pension or the housing benefit starts to fall). The template draws it; there is
no JavaScript (strict CSP), so everything a person reads is also in the table beside it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .calculator import CHART_HOURS, MONTHS, ZERO, Inputs, kroner, reduction_point, scenario

WIDTH = 720
HEIGHT = 320
LEFT = 78  # room for the amounts on the y axis
RIGHT = 16
TOP = 34
BOTTOM = 48  # room for the hours and the axis title
X_TICKS = (0, 5, 10, 15, 20, 25, 30, 37)
NICE_STEPS = (500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000)


@dataclass(frozen=True)
class HourPoint:
    """One whole hour a week: amounts per month, rounded for display."""

    hours: int
    wage: Decimal  # gross wage per month
    kept: Decimal  # kept per month against zero hours
    pension: Decimal  # pension per month
    housing_benefit: Decimal
    next_hour: Decimal | None  # what one more hour a week adds to the kept amount per month
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    value: int
    label: Decimal | int
    position: float  # x for the hours, y for the amounts


@dataclass
class Chart:
    points: list[HourPoint]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    chosen: HourPoint | None  # the hours the person asked about, when a whole hour in 0-37
    pension_falls_from: Decimal | None  # hours a week from which the pension falls (0-37)
    pension_falls_already: bool  # the other income alone already lowers the pension
    housing_falls_from: int | None  # first whole hour with less housing benefit
    pension_zero_from: int | None  # first whole hour with no pension left
    stops_paying_from: int | None  # first whole hour from which one more hour adds nothing
    band_x: float | None = None  # where the shaded "the pension falls" band starts
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    polyline: str = ""
    area: str = ""

    @property
    def band_width(self) -> float:
        return round(self.plot_right - self.band_x, 1) if self.band_x is not None else 0

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top


def _nice_step(top: Decimal) -> int:
    for step in NICE_STEPS:
        if top / step <= 6:
            return step
    return NICE_STEPS[-1]


def _x(hours) -> float:
    span = CHART_HOURS[-1] - CHART_HOURS[0]
    return round(LEFT + (WIDTH - RIGHT - LEFT) * float(hours) / span, 1)


def build_chart(inputs: Inputs, rates: Mapping[str, Decimal]) -> Chart:
    """Kept per month for every whole hour 0-37 (rates must be complete: check them first)."""
    base = scenario(inputs, rates, hours=ZERO)
    rows = []
    for hours in CHART_HOURS:
        point = scenario(inputs, rates, hours=Decimal(hours))
        rows.append((hours, point, (point.disposable - base.disposable) / MONTHS))
    top = max(max((kept for _h, _p, kept in rows), default=ZERO), Decimal(1))
    step = _nice_step(top)
    y_max = (int(top) // step + 1) * step
    bottom_px, top_px = HEIGHT - BOTTOM, TOP

    def y_of(amount: Decimal) -> float:
        amount = max(ZERO, amount)
        return round(bottom_px - (bottom_px - top_px) * float(amount) / y_max, 1)

    points = []
    for i, (hours, point, kept) in enumerate(rows):
        following = rows[i + 1][2] - kept if i + 1 < len(rows) else None
        points.append(
            HourPoint(
                hours=hours,
                wage=kroner(point.gross / MONTHS),
                kept=kroner(kept),
                pension=kroner(point.pension / MONTHS),
                housing_benefit=kroner(point.housing_benefit / MONTHS),
                next_hour=kroner(following) if following is not None else None,
                x=_x(hours),
                y=y_of(kept),
            )
        )
    reduction = reduction_point(inputs, rates)
    pension_falls = None
    if reduction.already:
        pension_falls = ZERO
    elif reduction.hours_per_week is not None and reduction.hours_per_week <= CHART_HOURS[-1]:
        pension_falls = reduction.hours_per_week
    housing_falls = next((h for h, p, _k in rows if p.housing_benefit < base.housing_benefit), None)
    pension_zero = next((h for h, p, _k in rows if p.pension == 0 and base.pension > 0), None)
    stops = next(
        (h for i, (h, _p, kept) in enumerate(rows[:-1]) if rows[i + 1][2] - kept <= 0), None
    )
    chosen = None
    wanted = Decimal(inputs.hours_per_week)
    if wanted == wanted.to_integral_value() and CHART_HOURS[0] <= wanted <= CHART_HOURS[-1]:
        chosen = points[int(wanted)]
    polyline = " ".join(f"{p.x},{p.y}" for p in points)
    area = f"{points[0].x},{bottom_px} {polyline} {points[-1].x},{bottom_px}"
    return Chart(
        points=points,
        x_ticks=[Tick(value=h, label=h, position=_x(h)) for h in X_TICKS],
        y_ticks=[
            Tick(value=v, label=Decimal(v), position=y_of(Decimal(v)))
            for v in range(0, y_max + 1, step)
        ],
        chosen=chosen,
        pension_falls_from=pension_falls,
        pension_falls_already=reduction.already,
        housing_falls_from=housing_falls,
        pension_zero_from=pension_zero,
        stops_paying_from=stops,
        band_x=_x(pension_falls) if pension_falls is not None else None,
        polyline=polyline,
        area=area,
    )

"""The chart of kept income against hours per week (pure, no database)."""

from decimal import Decimal as D

from varig.earnings.calculator import Inputs, calculate, reduction_point
from varig.earnings.chart import build_chart
from varig.earnings.tests.factories import rate_values

RATES = rate_values()


def single(**fields) -> Inputs:
    fields.setdefault("year", 2024)
    fields.setdefault("hours_per_week", D(15))
    fields.setdefault("hourly_wage", D(150))
    return Inputs(**fields)


def test_the_pension_starts_to_fall_where_the_income_reaches_the_deduction():
    # 86,900 kr. income from work is 86,900 / 0.92 = 94,456.52 kr. gross; at 150 kr. for
    # 52 weeks that is 12.11 hours a week.
    point = reduction_point(single(), RATES)
    assert point.income_basis == D(86900)
    assert point.hours_per_week.quantize(D("0.01")) == D("12.11")
    assert reduction_point(single(other_income=D(90000)), RATES).already


def test_the_chart_has_every_hour_from_0_to_37_with_the_kept_amount_per_month():
    inputs = single()
    chart = build_chart(inputs, RATES)
    result = calculate(inputs, RATES)
    assert [p.hours for p in chart.points] == list(range(38))
    assert chart.points[0].kept == 0
    assert chart.points[15].kept == D(5583)  # 66,998.32 / 12, as in the calculator's case
    assert chart.points[15].wage == D(9750)
    assert chart.chosen.hours == 15
    assert chart.points[10].pension == chart.points[0].pension == D(20370)  # 244,440 / 12
    assert chart.points[13].pension < chart.points[12].pension
    assert chart.pension_falls_from.quantize(D("0.01")) == D("12.11")
    assert chart.pension_zero_from is None  # 125 hours are needed for that
    assert chart.stops_paying_from is None
    assert chart.housing_falls_from is None  # no rent, no housing benefit
    assert result.kept > 0


def test_the_chart_geometry_stays_inside_the_plot_and_rises_with_the_kept_amount():
    chart = build_chart(single(), RATES)
    xs = [p.x for p in chart.points]
    ys = [p.y for p in chart.points]
    assert xs == sorted(xs) and xs[0] == chart.plot_left and xs[-1] == chart.plot_right
    assert all(chart.plot_top <= y <= chart.plot_bottom for y in ys)
    assert ys == sorted(ys, reverse=True)  # more kept is higher up
    assert chart.y_ticks[0].value == 0
    assert chart.y_ticks[-1].value >= chart.points[-1].kept
    assert chart.plot_left <= chart.band_x <= chart.plot_right
    assert chart.polyline.count(",") == 38


def test_hours_outside_the_chart_or_between_whole_hours_have_no_marker():
    assert build_chart(single(hours_per_week=D(40)), RATES).chosen is None
    assert build_chart(single(hours_per_week=D("7.5")), RATES).chosen is None


def test_the_chart_says_where_extra_hours_stop_paying():
    # A made-up rule where the pension falls by the whole extra income and nothing is
    # deducted for work: above the deduction an extra hour changes nothing.
    rates = rate_values(reduction_rate="100", employment_deduction_rate="0")
    chart = build_chart(single(hourly_wage=D(200)), rates)
    # 86,900 / 0.92 / (200 x 52) = 9.08 hours: from hour 10 on, nothing more is kept
    assert chart.stops_paying_from == 10
    assert chart.points[10].next_hour == 0


def test_housing_benefit_falling_from_the_first_hour_is_noticed():
    chart = build_chart(single(rent_per_month=D(6000), children=1), RATES)
    assert chart.housing_falls_from == 1  # the pension alone is above the income limit
    assert chart.points[1].housing_benefit < chart.points[0].housing_benefit

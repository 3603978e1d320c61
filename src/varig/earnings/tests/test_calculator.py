"""The formula against cases computed by hand (no database)."""

from decimal import Decimal as D

import pytest

from varig.earnings.calculator import (
    CivilStatus,
    Inputs,
    MissingRates,
    PartnerStatus,
    calculate,
    housing_benefit_for,
    inputs_from_dict,
    inputs_to_dict,
    kroner,
    needed_keys,
    partner_counted,
    pension_for,
    scenario,
    zero_point,
)
from varig.earnings.tests.factories import rate_values

RATES = rate_values()  # 2024-like figures, municipal tax 25 %


def single(**fields) -> Inputs:
    fields.setdefault("year", 2024)
    fields.setdefault("hours_per_week", D(15))
    fields.setdefault("hourly_wage", D(150))
    return Inputs(**fields)


def couple(partner, **fields) -> Inputs:
    return single(civil_status=CivilStatus.MARRIED, partner=partner, **fields)


# --- The zero point ----------------------------------------------------------------------------


def test_the_2022_single_persons_pension_reaches_zero_at_857000():
    """borger.dk: 82,600 kr. deduction + 232,320 kr. full pension / 0.30 = 857,000 kr."""
    rates = rate_values(full_single="232320", deduction_single="82600")
    point = zero_point(single(year=2022), rates)
    assert point.income_basis == D(857000)
    assert pension_for(single(year=2022), rates, D(857000)) == 0
    assert pension_for(single(year=2022), rates, D(856990)) == D(3)  # 30 % of the last 10 kr.


def test_the_zero_point_in_wage_and_hours():
    # 2024-like: 86,900 + 244,440 / 0.30 = 901,700 kr. income basis. Income from work is 92 %
    # of the gross wage, so the gross is 901,700 / 0.92 = 980,108.70 kr.; at 150 kr. for
    # 52 weeks that is 125.65 hours a week.
    point = zero_point(single(), RATES)
    assert point.income_basis == D(901700)
    assert kroner(point.gross) == D(980109)
    assert point.hours_per_week.quantize(D("0.01")) == D("125.65")
    # At the zero point's wage the pension is indeed 0, and just below it is not.
    at = scenario(single(), RATES, hours=D(0), gross=point.gross)
    below = scenario(single(), RATES, hours=D(0), gross=point.gross - 100)
    assert at.pension == 0 < below.pension


def test_other_income_moves_the_zero_point_and_can_make_it_already_reached():
    assert zero_point(single(other_income=D(901700)), RATES).already_zero
    point = zero_point(single(other_income=D(101700)), RATES)
    assert kroner(point.gross) == kroner(D(800000) / D("0.92"))


# --- A full case -------------------------------------------------------------------------------


def test_a_single_person_working_15_hours_at_150_kr():
    """Computed by hand with the 2024 figures and 25 % municipal tax.

    gross 15 x 150 x 52 = 117,000; AM-bidrag 8 % = 9,360; income from work 107,640.
    pension 244,440 - 30 % x (107,640 - 86,900) = 238,218.
    Zero hours: tax 12.01 % x 194,740 + 25 % x 194,740 = 72,073.27; to spend 172,366.73.
    Working: personal income 345,858; employment deduction 10.65 % x 117,000 = 12,460.50;
    bottom tax 12.01 % x 296,158 = 35,568.58; municipal 25 % x 283,697.50 = 70,924.38;
    to spend 239,365.05. Kept 66,998.32 a year, 5,583.19 a month.
    """
    result = calculate(single(), RATES)
    zero, work = result.without_work, result.with_work
    assert zero.pension == D(244440)
    assert zero.tax == D("72073.274")
    assert work.gross == D(117000)
    assert work.am_contribution == D(9360)
    assert work.work_income == D(107640)
    assert work.pension == D(238218)
    assert work.employment_deduction == D("12460.5")
    assert work.bottom_tax == D("35568.5758")
    assert work.municipal_tax == D("70924.375")
    assert result.kept == D("66998.3232")
    assert kroner(result.kept_per_month) == D(5583)
    # The next 100 kr.: 92 after AM-bidrag, 27.60 less pension, tax 12.01 % x 64.40 and
    # 25 % x (64.40 - 10.65): 43.23 kr. kept.
    assert result.extra_100_kept.quantize(D("0.01")) == D("43.23")
    assert result.average_100_kept.quantize(D("0.1")) == D("57.3")


def test_below_the_deduction_work_does_not_touch_the_pension():
    # 10 hours at 150 kr.: income from work 71,760 < 86,900, so the full pension stays.
    result = calculate(single(hours_per_week=D(10)), RATES)
    assert result.with_work.pension == result.without_work.pension == D(244440)


def test_own_pension_contribution_and_atp_lower_the_income_basis():
    plain = scenario(single(), RATES, hours=D(15))
    saving = scenario(
        single(pension_contribution_percent=D(4), atp_per_month=D(99)), RATES, hours=D(15)
    )
    # ATP 1,188 a year, AM-bidrag 8 % of 115,812 = 9,264.96, own pension 4 % of 117,000 = 4,680
    assert saving.atp == D(1188)
    assert saving.am_contribution == D("9264.96")
    assert saving.pension_contribution == D(4680)
    assert saving.work_income == D("101867.04")
    assert saving.pension > plain.pension
    assert scenario(single(atp_per_month=D(99)), RATES, hours=D(0)).atp == 0  # no ATP without work


def test_the_chart_covers_0_to_37_hours_and_starts_at_zero_kept():
    result = calculate(single(), RATES)
    assert [hours for hours, _gross, _kept in result.chart] == list(range(38))
    assert result.chart[0][2] == 0
    assert result.chart[15][2] == result.kept
    kept = [k for _h, _g, k in result.chart]
    assert kept == sorted(kept)  # each hour still adds something here


# --- Partner rules -----------------------------------------------------------------------------


def test_a_partners_wages_count_until_2022_and_not_from_2023():
    kwargs = {"partner_work_income": D(400000)}
    before = couple(PartnerStatus.NOT_PENSIONER, year=2022, **kwargs)
    after = couple(PartnerStatus.NOT_PENSIONER, year=2023, **kwargs)
    # 2022: 400,000 - 275,556 = 124,444 counted (below the cap of 282,600)
    assert partner_counted(before, RATES) == D(124444)
    assert partner_counted(after, RATES) == 0
    assert "partner_deduction" in needed_keys(before)
    assert "partner_deduction" not in needed_keys(after)  # nothing of the partner counts
    pension_2022 = scenario(before, RATES, hours=D(0)).pension
    pension_2023 = scenario(after, RATES, hours=D(0)).pension
    # couple: 207,780 - 30 % x (124,444 - 138,000 -> 0) = full in both, so raise own income
    assert pension_2022 == pension_2023 == D(207780)
    busy_2022 = scenario(before, RATES, hours=D(15)).pension
    busy_2023 = scenario(after, RATES, hours=D(15)).pension
    # own 107,640 (+124,444 in 2022): 207,780 - 30 % x (232,084 - 138,000) = 179,554.80
    assert busy_2022 == D("179554.8")
    assert busy_2023 == D(207780)  # 107,640 is below the couple deduction of 138,000


def test_a_partners_other_income_counts_after_the_deduction_and_up_to_the_cap():
    fields = {"year": 2024}
    assert partner_counted(
        couple(PartnerStatus.NOT_PENSIONER, partner_other_income=D(275556), **fields), RATES
    ) == D(0)
    assert partner_counted(
        couple(PartnerStatus.NOT_PENSIONER, partner_other_income=D(300000), **fields), RATES
    ) == D(24444)
    assert partner_counted(
        couple(PartnerStatus.NOT_PENSIONER, partner_other_income=D(900000), **fields), RATES
    ) == D(282600)  # the cap


def test_the_15_percent_rate_when_the_partner_is_a_pensioner():
    inputs = couple(PartnerStatus.PENSIONER, partner_other_income=D(50000))
    assert "reduction_rate_both" in needed_keys(inputs)
    assert "reduction_rate" not in needed_keys(inputs)
    # own 107,640 + partner 50,000 = 157,640; 207,780 - 15 % x (157,640 - 138,000) = 204,834
    assert scenario(inputs, RATES, hours=D(15)).pension == D(204834)
    # the zero point: 138,000 + 207,780 / 0.15 = 1,523,200
    assert zero_point(inputs, RATES).income_basis == D(1523200)


def test_a_pensioner_partners_social_pension_counts_only_in_the_household_income():
    inputs = couple(PartnerStatus.PENSIONER, partner_social_pension=D(200000))
    work = scenario(inputs, RATES, hours=D(15))
    assert work.partner_counted == 0
    assert work.household_income == work.personal_income + D(200000)


# --- Housing benefit ---------------------------------------------------------------------------


def test_housing_benefit_between_its_limits():
    # rent 6,000 a month = 72,000; household income 200,000, limit 171,500, two children:
    # limit + 45,200 = 216,700 > income, so 60 % x 72,000 = 43,200; maximum 50,760 and
    # 72,000 - 28,900 = 43,100 own-payment ceiling -> 43,100.
    inputs = single(rent_per_month=D(6000), children=2)
    assert housing_benefit_for(inputs, RATES, D(200000)) == D(43100)
    # one child: limit 171,500: 43,200 - 18 % x 28,500 = 38,070
    inputs = single(rent_per_month=D(6000), children=1)
    assert housing_benefit_for(inputs, RATES, D(200000)) == D(38070)


def test_housing_benefit_is_clamped_at_its_maximum():
    inputs = single(rent_per_month=D(15000), children=3)  # 60 % of 180,000 = 108,000
    assert housing_benefit_for(inputs, RATES, D(0)) == D(50760)


def test_housing_benefit_is_clamped_at_zero():
    inputs = single(rent_per_month=D(5000), children=1)
    # 36,000 - 18 % x (600,000 - 171,500) is negative
    assert housing_benefit_for(inputs, RATES, D(600000)) == 0


def test_housing_benefit_without_children_is_at_most_15_percent_of_the_rent():
    inputs = single(rent_per_month=D(5000), children=0)
    assert housing_benefit_for(inputs, RATES, D(100000)) == D(9000)


def test_the_income_limit_rises_for_at_most_four_children():
    four = housing_benefit_for(single(rent_per_month=D(9000), children=4), RATES, D(400000))
    six = housing_benefit_for(single(rent_per_month=D(9000), children=6), RATES, D(400000))
    # limit 171,500 + 3 x 45,200 = 307,100: 64,800 - 18 % x 92,900 = 48,078 (< 50,760, < 79,100)
    assert four == six == D(48078)


def test_each_extra_krone_costs_about_18_ore_of_housing_benefit():
    inputs = single(rent_per_month=D(7000), children=2, hours_per_week=D(5))
    low = scenario(inputs, RATES, hours=D(5))
    high = scenario(inputs, RATES, hours=D(5), gross=low.gross + 1000)
    assert low.housing_benefit - high.housing_benefit == D("0.18") * (
        high.household_income - low.household_income
    )


def test_no_rent_means_no_housing_benefit_and_no_housing_rates_needed():
    assert not any(key.startswith("housing") for key in needed_keys(single()))
    assert scenario(single(), RATES, hours=D(15)).housing_benefit == 0


# --- Missing rates -----------------------------------------------------------------------------


def test_a_missing_rate_is_refused_and_named_never_borrowed():
    rates = rate_values()
    del rates["deduction_single"]
    with pytest.raises(MissingRates) as exc:
        calculate(single(year=2026), rates)
    assert exc.value.year == 2026
    assert exc.value.keys == ["deduction_single"]


def test_every_missing_rate_is_named_at_once():
    rates = {"am_contribution": D(8)}
    with pytest.raises(MissingRates) as exc:
        calculate(single(rent_per_month=D(5000), municipality="Aarhus"), rates)
    assert exc.value.keys[:3] == ["full_single", "deduction_single", "reduction_rate"]
    assert "housing_income_limit" in exc.value.keys
    assert exc.value.keys[-1] == "municipal_tax"
    assert exc.value.municipality == "Aarhus"


def test_only_the_rates_the_situation_needs_are_required():
    rates = rate_values()
    for key in ("full_couple", "deduction_couple", "partner_deduction", "housing_maximum"):
        del rates[key]
    calculate(single(), rates)  # a single person without rent needs none of them


# --- Round trip --------------------------------------------------------------------------------


def test_inputs_survive_a_round_trip_as_text():
    inputs = couple(PartnerStatus.PENSIONER, children=2, rent_per_month=D("5250.50"))
    assert inputs_from_dict(inputs_to_dict(inputs)) == inputs

"""The first rates, copied from the organisation's source notes (shared/BENEFITS.md).

Only what the notes give is entered: a figure they mark unknown is left out (the calculator then
refuses that year and names the missing rate), a figure they mark unverified is entered as
unverified, and no parameter the notes do not give is made up (for example the housing-benefit
income limit for 2025). The notes give no date retrieved, so `retrieved_on` stays empty; where
they name a publication date it is in the note. The data is frozen here on purpose: later
changes are made by an administrator in the app, with history.
"""

from decimal import Decimal

from django.db import migrations

OFFICIAL_UNNAMED = (
    "Officielt ifølge kildenoten, men siden er ikke angivet. Tjek det på bm.dk under "
    "»Satser for {year}«."
)
BM = ("Beskæftigelsesministeriet", "Satser for {year}", "https://bm.dk")
BORGER = ("borger.dk", "Førtidspension", "https://www.borger.dk")
OFFICIAL = ("Officiel kilde, ikke angivet", "", "")
SENIOR = (
    "seniornews.dk og seniorhaandbogen.dk",
    "Satser for {year}",
    "",
)
SENIOR_NOTE = (
    "Kildenoten nævner seniornews.dk (14-01-2023) og seniorhaandbogen.dk for 2023 og 2024. "
    "Tjek tallet på bm.dk under »Satser for {year}«."
)
LAW = ("danskelove.dk", "Pensionsloven § 32 c", "https://danskelove.dk/pensionsloven/32c")
LAW_NOTE = (
    "Reglen i pensionsloven § 32 c: 30 % af indkomsten over fradragsbeløbet, 15 %, når "
    "partneren også får social pension."
)
AELDRE_2025 = ("Ældre Sagen", "Satser for boligstøtte", "https://www.aeldresagen.dk")
AELDRE_2026 = (
    "Ældre Sagen",
    "Beregning af boligstøtte",
    "https://www.aeldresagen.dk/viden-og-raadgivning/vaerd-at-vide/b/bolig/boligstoette/"
    "beregning-af-boligstoette",
)
AELDRE_2026_NOTE = "Ældre Sagens side om boligstøtte, januar 2026."
HOUSING_RULE = (
    "Ældre Sagen; Folketinget (svar fra 2009)",
    "Boligsikring: beregning",
    "",
)
HOUSING_RULE_NOTE = "Reglen for boligsikring, fra et svar fra Folketinget (2009) og Ældre Sagen."
TAX = ("Revisorers skattetabeller", "Skattesatser {year}", "")
TAX_NOTE = "Tjek tallet på skat.dk."
MUNICIPALITIES_SRC = ("Kommuner", "Løntilskud til skånejob", "")
MUNICIPALITIES_NOTE = "Fra kommunernes egne sider."

# (year, key, value, unit, confidence, source, note)
ROWS = [
    # Førtidspension, 2003 rules: full amounts and deductions
    (2020, "full_single", "229104", "kr_year", "official", BM, ""),
    (2020, "full_couple", "194748", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2020, "deduction_single", "80300", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2020, "deduction_couple", "127400", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2020, "partner_deduction", "254472", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2020, "partner_cap", "261000", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2022, "full_single", "232320", "kr_year", "official", BORGER, ""),
    (2022, "full_couple", "197484", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2022, "deduction_single", "82600", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2022, "deduction_couple", "131100", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2023, "full_single", "236856", "kr_year", "secondary", SENIOR, SENIOR_NOTE),
    (2023, "full_couple", "201336", "kr_year", "secondary", SENIOR, SENIOR_NOTE),
    # 2023 deductions: unknown in the notes, not entered.
    (2024, "full_single", "244440", "kr_year", "secondary", SENIOR, SENIOR_NOTE),
    (2024, "full_couple", "207780", "kr_year", "secondary", SENIOR, SENIOR_NOTE),
    (2024, "deduction_single", "86900", "kr_year", "secondary", SENIOR, SENIOR_NOTE),
    (2024, "deduction_couple", "138000", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2024, "partner_deduction", "275556", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2024, "partner_cap", "282600", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    # 2025 full pension for a single person: unknown in the notes, not entered.
    (
        2025,
        "full_couple",
        "215256",
        "kr_year",
        "official",
        ("borger.dk", "Eksempel på beregning af førtidspension", "https://www.borger.dk"),
        "",
    ),
    (
        2025,
        "deduction_single",
        "90000",
        "kr_year",
        "unverified",
        ("Organisationens kildenote", "", ""),
        "Kildenoten siger »omkring 90.000 kr.« og markerer tallet som ikke bekræftet. "
        "Find det rigtige tal på bm.dk under »Satser for 2025«.",
    ),
    (2025, "deduction_couple", "143000", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2025, "partner_deduction", "285556", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    (2025, "partner_cap", "292800", "kr_year", "official", OFFICIAL, OFFICIAL_UNNAMED),
    # Boligsikring
    (2025, "housing_maximum", "49716", "kr_year", "secondary", AELDRE_2025, ""),
    (2025, "housing_min_own_payment", "28300", "kr_year", "secondary", AELDRE_2025, ""),
    # 2025 income limit: not in the notes, not entered.
    (2026, "housing_income_limit", "171500", "kr_year", "secondary", AELDRE_2026, AELDRE_2026_NOTE),
    (
        2026,
        "housing_income_limit_per_child",
        "45200",
        "kr_year",
        "secondary",
        AELDRE_2026,
        AELDRE_2026_NOTE,
    ),
    (2026, "housing_maximum", "50760", "kr_year", "secondary", AELDRE_2026, AELDRE_2026_NOTE),
    (
        2026,
        "housing_min_own_payment",
        "28900",
        "kr_year",
        "secondary",
        AELDRE_2026,
        AELDRE_2026_NOTE,
    ),
    # Tax
    (2024, "am_contribution", "8", "percent", "secondary", TAX, TAX_NOTE),
    (2024, "personal_allowance", "49700", "kr_year", "secondary", TAX, TAX_NOTE),
    (2024, "bottom_tax", "12.01", "percent", "secondary", TAX, TAX_NOTE),
    (2024, "employment_deduction_rate", "10.65", "percent", "secondary", TAX, TAX_NOTE),
    (2024, "employment_deduction_max", "45100", "kr_year", "secondary", TAX, TAX_NOTE),
    (2025, "am_contribution", "8", "percent", "secondary", TAX, TAX_NOTE),
    (2025, "personal_allowance", "51600", "kr_year", "secondary", TAX, TAX_NOTE),
    (2025, "bottom_tax", "12.01", "percent", "secondary", TAX, TAX_NOTE),
    (2025, "employment_deduction_rate", "12.30", "percent", "secondary", TAX, TAX_NOTE),
    (2025, "employment_deduction_max", "55600", "kr_year", "secondary", TAX, TAX_NOTE),
    # Municipal tax per municipality: not in the notes, none entered.
    # Skånejob
    (
        2020,
        "skaanejob_hourly_subsidy",
        "29.13",
        "kr_hour",
        "secondary",
        MUNICIPALITIES_SRC,
        MUNICIPALITIES_NOTE,
    ),
    (
        2023,
        "skaanejob_hourly_subsidy",
        "30.88",
        "kr_hour",
        "secondary",
        MUNICIPALITIES_SRC,
        MUNICIPALITIES_NOTE,
    ),
]

# The reduction rates are the law's (§ 32 c), entered for each year the notes have pension
# figures for; the housing-benefit shares are the rule, entered for the years with housing
# figures. Neither is entered for a year the notes say nothing about.
for year in (2020, 2022, 2023, 2024, 2025):
    ROWS.append((year, "reduction_rate", "30", "percent", "official", LAW, LAW_NOTE))
    ROWS.append((year, "reduction_rate_both", "15", "percent", "official", LAW, LAW_NOTE))
for year, source, confidence in ((2025, HOUSING_RULE, "secondary"), (2026, AELDRE_2026, "secondary")):
    note = HOUSING_RULE_NOTE if year == 2025 else AELDRE_2026_NOTE
    ROWS.append((year, "housing_cost_share", "60", "percent", confidence, source, note))
    ROWS.append((year, "housing_income_share", "18", "percent", confidence, source, note))
    ROWS.append((year, "housing_cap_without_children", "15", "percent", confidence, source, note))


def seed(apps, schema_editor):
    Rate = apps.get_model("earnings", "Rate")
    rows = []
    for year, key, value, unit, confidence, (publisher, title, url), note in ROWS:
        rows.append(
            Rate(
                year=year,
                key=key,
                value=Decimal(value),
                unit=unit,
                confidence=confidence,
                publisher=publisher,
                source_title=title.format(year=year),
                source_url=url,
                note=note.format(year=year),
            )
        )
    Rate.objects.bulk_create(rows)


def unseed(apps, schema_editor):
    apps.get_model("earnings", "Rate").objects.filter(recorded_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("earnings", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

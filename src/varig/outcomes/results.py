"""The Resultater page: its filter form, its tables (also the downloads) and chart geometry.

Every figure comes from `selectors` (aggregated in SQL, a fixed number of queries); this
module only shapes those few rows into tables and SVG coordinates.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field
from functools import partial

from django import forms
from django.core.cache import cache
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varig.core.db import read_concurrently
from varig.core.models import User

from . import selectors

MIN_YEAR = 1990
MAX_YEARS = 30
DEFAULT_YEARS = 10
MONTHS_SHOWN = 24
CURVE_MONTHS = (3, 6, 12, 24, 36)
CURVE_CHART_MONTHS = 36
CURVE_CHART_COHORTS = 5
# The page's figures are kept this long per filter choice (Django's default cache; the page
# says when they were computed). A new placement or follow-up shows within this time.
CACHE_SECONDS = 10 * 60


class ResultsFilterForm(forms.Form):
    advisor = forms.ModelChoiceField(
        label=gettext_lazy("Advisor"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("All advisors"),
    )
    from_year = forms.IntegerField(label=gettext_lazy("From year"), required=False)
    to_year = forms.IntegerField(label=gettext_lazy("To year"), required=False)

    def __init__(self, *args, advisors, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["advisor"].queryset = User.objects.advisors()
        self.fields["advisor"].choices = [("", _("All advisors"))] + [
            (a.pk, a.name) for a in advisors
        ]
        for name in ("from_year", "to_year"):
            self.fields[name].min_value = MIN_YEAR
            self.fields[name].max_value = today.year
            self.fields[name].widget.attrs.update(
                {"min": MIN_YEAR, "max": today.year, "inputmode": "numeric"}
            )

    def clean(self):
        data = super().clean()
        to_year = data.get("to_year") or self.today.year
        from_year = data.get("from_year") or to_year - DEFAULT_YEARS + 1
        if from_year > to_year:
            self.add_error("to_year", _("The to-year must not be before the from-year."))
        elif to_year - from_year + 1 > MAX_YEARS:
            self.add_error("from_year", _("Choose at most %(n)d years.") % {"n": MAX_YEARS})
        data["from_year"], data["to_year"] = from_year, to_year
        return data


@dataclass(frozen=True)
class Filters:
    first_year: int
    last_year: int
    reference: datetime.date
    advisor: User | None = None
    prefetched: dict | None = field(default=None, compare=False, repr=False)

    @classmethod
    def default(cls, today: datetime.date) -> "Filters":
        return cls(today.year - DEFAULT_YEARS + 1, today.year, today)

    @classmethod
    def build(cls, *, first_year, last_year, advisor, today) -> "Filters":
        reference = min(datetime.date(last_year, 12, 31), today)
        return cls(first_year, last_year, reference, advisor)

    @property
    def kwargs(self) -> dict:
        return {
            "first_year": self.first_year,
            "last_year": self.last_year,
            "reference": self.reference,
            "advisor": self.advisor,
        }


# --- Tables ----------------------------------------------------------------------------------

TEXT, INT, PCT, NUM, DATE, AUTO = "text", "int", "pct", "num", "date", "auto"


class Percent(float):
    """A share (0-1) in an AUTO column: shown and exported as a percentage."""


@dataclass
class Table:
    name: str
    title: str
    columns: list[tuple[str, str]]  # (label, kind)
    rows: list[list] = field(default_factory=list)
    note: str = ""
    chart: dict | None = None
    downloads: dict = field(default_factory=dict)  # format -> query string (set by the view)

    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """Localised cell text, and whether the cell is numeric (right-aligned)."""
        return [
            [
                (_display(v, kind), kind != TEXT)
                for v, (_label, kind) in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]

    @property
    def headers(self) -> list[str]:
        return [str(label) for label, _kind in self.columns]


def _display(value, kind: str) -> str:
    if value is None or value == "":
        return "\u2013"
    if kind == AUTO:
        kind = PCT if isinstance(value, Percent) else INT if isinstance(value, int) else NUM
    if kind == PCT:
        return f"{formats.number_format(round(value * 100, 1), 1)} %"
    if kind == NUM:
        return formats.number_format(round(value, 1), 1)
    if kind == INT:
        return formats.number_format(value, 0, force_grouping=True)
    if kind == DATE:
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def years_table(f: Filters, today: datetime.date) -> Table:
    dates = selectors.year_end_dates(f.first_year, f.last_year, today=today)
    rows = _series(f, dates)
    table = Table(
        "years",
        _("Retention coefficient per year"),
        [
            (_("Reference date"), DATE),
            (_("Associated"), INT),
            (_("In work"), INT),
            (_("In desired job"), INT),
            (_("Retention coefficient"), PCT),
        ],
        [
            [r.reference_date, r.associated, r.in_work, r.in_desired_job, r.coefficient]
            for r in rows
        ],
        note=_("On 31 December each year; the current year at today's date."),
    )
    table.chart = bar_chart(
        [(str(r.reference_date.year), r.coefficient) for r in rows],
        title=_("Retention coefficient per year"),
    )
    return table


def months_table(f: Filters) -> Table:
    dates = selectors.month_end_dates(f.reference, MONTHS_SHOWN)
    rows = _series(f, dates)
    table = Table(
        "months",
        _("Persons in work month by month"),
        [
            (_("Date"), DATE),
            (_("Associated"), INT),
            (_("In work"), INT),
            (_("In desired job"), INT),
        ],
        [[r.reference_date, r.associated, r.in_work, r.in_desired_job] for r in rows],
        note=_("On the last day of each month (the current month at the reference date)."),
    )
    table.chart = line_chart(
        [(formats.date_format(r.reference_date, "M Y"), r.in_work) for r in rows],
        title=_("Persons in work month by month"),
    )
    return table


def levels_table(f: Filters) -> Table:
    r = _series(f, [f.reference])[0]
    return Table(
        "levels",
        _("The three retention levels"),
        [(_("Level"), TEXT), (_("Persons"), INT), (_("Share of associated"), PCT)],
        [
            [_("In desired job"), r.in_desired_job, _share(r.in_desired_job, r.associated)],
            [_("On the labour market (in work)"), r.in_work, _share(r.in_work, r.associated)],
            [_("In the course (associated)"), r.associated, _share(r.associated, r.associated)],
        ],
        note=_("At the reference date %(date)s.")
        % {"date": formats.date_format(f.reference, "SHORT_DATE_FORMAT")},
    )


def curve_table(f: Filters) -> Table:
    curves = selectors.retention_curves(**f.kwargs)
    columns = [(_("Start year"), TEXT), (_("Work placements"), INT)]
    columns += [(_("%(n)d months") % {"n": m}, PCT) for m in CURVE_MONTHS]
    rows = [[c.label, c.placements, *(c.at(m) for m in CURVE_MONTHS)] for c in curves]
    rows.append(
        [
            _("Benchmark"),
            None,
            *(selectors.BENCHMARK_REMAINING if m == 12 else None for m in CURVE_MONTHS),
        ]
    )
    table = Table(
        "curve",
        _("Employment retention curve"),
        columns,
        rows,
        note=_(
            "Share of work placements still running (Kaplan-Meier; open placements censored at "
            "the reference date), by the year they started. Benchmark: %(share)d %% of new "
            "hires leave within their first year."
        )
        % {"share": 25},
    )
    table.chart = survival_chart(curves[-CURVE_CHART_COHORTS:], title=table.title)
    return table


def progression_table(f: Filters) -> Table:
    rows = selectors.progression(**f.kwargs)
    return Table(
        "progression",
        _("Progression up the value chain"),
        [
            (_("Within"), TEXT),
            (_("Persons"), INT),
            (_("Reached peripheral or core"), INT),
            (_("Share"), PCT),
            (_("Reached core"), INT),
            (_("Share"), PCT),
        ],
        [
            [
                _("%(n)d months") % {"n": p.months},
                p.persons,
                p.to_peripheral,
                _share(p.to_peripheral, p.persons),
                p.to_core,
                _share(p.to_core, p.persons),
            ]
            for p in rows
        ],
        note=_(
            "Persons with a work placement that started in the period, at least 12 or 24 "
            "months before the reference date, who moved from marginal to peripheral or core "
            "employee within that time of the start."
        ),
    )


def followups_table(f: Filters) -> Table:
    overall, per_advisor = selectors.followup_compliance(**f.kwargs)

    def row(c, label):
        return [
            label,
            c.due,
            c.held,
            c.held_in_window,
            _share(c.held_in_window, c.held),
            _share(c.held_in_window, c.due),
        ]

    return Table(
        "followups",
        _("Follow-ups held within their window"),
        [
            (_("Advisor"), TEXT),
            (_("Due"), INT),
            (_("Held"), INT),
            (_("Held within the window"), INT),
            (_("Share of held"), PCT),
            (_("Share of due"), PCT),
        ],
        [row(overall, _("All")), *(row(c, c.label or _("No advisor")) for c in per_advisor)],
        note=_(
            "Due: follow-ups (not cancelled) whose window closed in the period, up to the "
            "reference date. Held within the window: held between the window's first and last day."
        ),
    )


def gaps_table(f: Filters) -> Table:
    g = selectors.job_gap(**f.kwargs)
    return Table(
        "gaps",
        _("From the end of a job to the next"),
        [(_("Figure"), TEXT), (_("Value"), AUTO)],
        [
            [_("Jobs that ended in the period"), g["ended"]],
            [_("Followed by a new job"), g["with_next"]],
            [_("No new job (yet)"), g["without_next"]],
            [_("Median days to the next job"), g["median_days"]],
        ],
    )


# The key of the per-advisor figures in `Filters.prefetched` (the caseload and the pension
# savers come from one query; the whole page asks it once).
PER_ADVISOR = "per_advisor"


def _per_advisor(f: Filters):
    known = f.prefetched or {}
    if PER_ADVISOR in known:
        return known[PER_ADVISOR]
    return selectors.caseload_and_pension(reference=f.reference, advisor=f.advisor)


def caseload_table(f: Filters) -> Table:
    rows = _per_advisor(f)[0]
    return Table(
        "caseload",
        _("Caseload per advisor"),
        [(_("Advisor"), TEXT), (_("Associated persons"), INT)],
        [[r["advisor"] or _("No advisor"), r["persons"]] for r in rows],
        note=_("At the reference date. IPS fidelity: at most 20 per employment specialist."),
    )


def pension_table(f: Filters) -> Table:
    per_advisor = _per_advisor(f)[1]
    overall = selectors.PensionSavers(
        "", sum(p.in_work for p in per_advisor), sum(p.saving for p in per_advisor)
    )
    return Table(
        "pension",
        _("Persons in work who save for a pension"),
        [
            (_("Advisor"), TEXT),
            (_("In work"), INT),
            (_("Save for a pension"), INT),
            (_("Share"), PCT),
        ],
        [
            [str(label), p.in_work, p.saving, p.share]
            for label, p in [
                (_("All"), overall),
                *((p.label or _("No advisor"), p) for p in per_advisor),
            ]
        ],
        note=_(
            "At the reference date %(date)s: persons associated and in work that day, and of "
            "them those with a pension saving running that day (recorded on the person's "
            "earnings page)."
        )
        % {"date": formats.date_format(f.reference, "SHORT_DATE_FORMAT")},
    )


def contact_table(f: Filters) -> Table:
    c = selectors.first_contact(**f.kwargs)
    return Table(
        "contact",
        _("From association to first employer contact"),
        [(_("Figure"), TEXT), (_("Value"), AUTO)],
        [
            [_("Persons associated in the period"), c["persons"]],
            [_("With an employer contact"), c["with_contact"]],
            [_("Median days to the first employer contact"), c["median_days"]],
        ],
        note=_(
            "The first note about a contact with a company, or the first placement start if "
            "earlier. IPS fidelity: within 30 days."
        ),
    )


def employers_table(f: Filters) -> Table:
    d = selectors.employer_diversity(**f.kwargs)
    return Table(
        "employers",
        _("Diversity of employers"),
        [(_("Figure"), TEXT), (_("Value"), AUTO)],
        [
            [_("Placements started in the period"), d["placements"]],
            [_("Different companies"), d["companies"]],
            [
                _("Share of placements at the top %(pct)d %% of companies") % {"pct": 10},
                Percent(d["top_share"]),
            ],
        ],
    )


def job_types_table(f: Filters) -> Table:
    rows = selectors.job_types(**f.kwargs)
    total = sum(n for _k, _label, n in rows)
    return Table(
        "job_types",
        _("Diversity of job types"),
        [(_("Kind"), TEXT), (_("Placements"), INT), (_("Share"), PCT)],
        [[str(label), n, _share(n, total)] for _k, label, n in rows],
        note=_("Placements started in the period."),
    )


def _builders(today):
    return {
        "levels": levels_table,
        "years": lambda f: years_table(f, today),
        "months": months_table,
        "curve": curve_table,
        "progression": progression_table,
        "followups": followups_table,
        "gaps": gaps_table,
        "pension": pension_table,
        "caseload": caseload_table,
        "contact": contact_table,
        "employers": employers_table,
        "job_types": job_types_table,
    }


TABLE_NAMES = tuple(_builders(None))


def _series(f: Filters, dates) -> list:
    """Retention rows for `dates`, from the page's prefetched rows when they are there."""
    known = f.prefetched or {}
    missing = [d for d in dates if d not in known]
    if missing:
        known = {
            **known,
            **{r.reference_date: r for r in selectors.retention_series(missing, advisor=f.advisor)},
        }
    return [known[d] for d in dates]


# The builders that only shape the retention rows and the per-advisor figures the page
# fetches first; every other builder runs its own queries.
FROM_PREFETCHED = ("levels", "years", "months", "pension", "caseload")
RETENTION = "retention"
# The longest first (national scale, SQLite): the queries run side by side (read_concurrently).
BY_COST = (
    RETENTION,
    "contact",
    "curve",
    PER_ADVISOR,
    "gaps",
    "followups",
    "progression",
    "employers",
    "job_types",
)


def build_tables(f: Filters, *, today: datetime.date, only: str | None = None) -> dict:
    builders = _builders(today)
    if only is not None:
        return {only: builders[only](f)}
    # The whole page: every retention date (years, months, the reference date) in one pass.
    dates = sorted(
        {
            *selectors.year_end_dates(f.first_year, f.last_year, today=today),
            *selectors.month_end_dates(f.reference, MONTHS_SHOWN),
            f.reference,
        }
    )
    jobs = {
        RETENTION: lambda: selectors.retention_series(dates, advisor=f.advisor),
        PER_ADVISOR: lambda: selectors.caseload_and_pension(
            reference=f.reference, advisor=f.advisor
        ),
        **{
            name: partial(build, f)
            for name, build in builders.items()
            if name not in FROM_PREFETCHED
        },
    }
    # Each query reads in autocommit, not in one transaction: on SQLite a transaction is
    # BEGIN IMMEDIATE (the write lock), which held off every writer for the page's seconds and
    # let one thread read at a time; PostgreSQL (READ COMMITTED) gives each statement its own
    # snapshot anyway.
    done = read_concurrently({name: jobs[name] for name in sorted(jobs, key=BY_COST.index)})
    prefetched = {r.reference_date: r for r in done.pop(RETENTION)}
    prefetched[PER_ADVISOR] = done.pop(PER_ADVISOR)
    f = dataclasses.replace(f, prefetched=prefetched)
    done.update({name: builders[name](f) for name in FROM_PREFETCHED})
    return {name: done[name] for name in builders}


def _cache_key(f: Filters, today: datetime.date) -> str:
    advisor = f.advisor.pk if f.advisor is not None else "all"
    language = translation.get_language() or ""
    return (
        f"varig:outcomes:results:{language}:{today.isoformat()}:{f.first_year}:"
        f"{f.last_year}:{f.reference.isoformat()}:{advisor}"
    )


def cached_tables(f: Filters, *, today: datetime.date) -> tuple[dict, datetime.datetime]:
    """The whole page's tables and when they were computed: from the cache when the same
    filters were computed less than CACHE_SECONDS ago (the same day, the same language),
    else built now and kept."""
    key = _cache_key(f, today)
    hit = cache.get(key)
    if hit is None:
        hit = (build_tables(f, today=today), timezone.now())
        cache.set(key, hit, CACHE_SECONDS)
    return hit


def cached_table(f: Filters, name: str, *, today: datetime.date):
    """One table: from the page's cached figures when there (the download then matches the
    page the user saw), else computed alone (not cached)."""
    hit = cache.get(_cache_key(f, today))
    if hit is not None:
        return hit[0][name]
    return build_tables(f, today=today, only=name)[name]


# --- Charts (inline SVG geometry; the template draws it) -------------------------------------

W, H = 880, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36


def _x_scale(n: int):
    inner = W - LEFT - RIGHT
    step = inner / max(n, 1)
    return step, lambda i: LEFT + step * (i + 0.5)


def _y(value: float, top_value: float) -> float:
    inner = H - TOP - BOTTOM
    return round(TOP + inner * (1 - (value / top_value if top_value else 0)), 1)


def _pct_ticks():
    return [{"y": _y(v, 1), "label": f"{int(v * 100)} %"} for v in (0, 0.25, 0.5, 0.75, 1)]


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def _label_every(n: int, room: int) -> int:
    return max(1, -(-n // room))


def bar_chart(values: list[tuple[str, float]], *, title: str) -> dict:
    step, x = _x_scale(len(values))
    width = min(step * 0.6, 48)
    bars = []
    for i, (label, v) in enumerate(values):
        y = _y(v, 1)
        bars.append(
            {
                "x": round(x(i) - width / 2, 1),
                "y": y,
                "w": round(width, 1),
                "h": round(H - BOTTOM - y, 1),
                "cx": round(x(i), 1),
                "label": label,
                "value": f"{formats.number_format(round(v * 100), 0)} %",
            }
        )
    return _chart(title, bars=bars, ticks=_pct_ticks(), kind="bar")


def line_chart(values: list[tuple[str, int]], *, title: str) -> dict:
    top = _nice_top(max((v for _l, v in values), default=0))
    _step, x = _x_scale(len(values))
    every = _label_every(len(values), 6)
    points = [(round(x(i), 1), _y(v, top)) for i, (_l, v) in enumerate(values)]
    labels = [
        {"x": px, "label": label}
        for i, ((label, _v), (px, _py)) in enumerate(zip(values, points, strict=True))
        if i % every == (len(values) - 1) % every
    ]
    ticks = [
        {"y": _y(top * k / 4, top), "label": formats.number_format(top * k / 4, 0)}
        for k in range(5)
    ]
    return _chart(
        title,
        lines=[{"points": " ".join(f"{a},{b}" for a, b in points), "cls": "series-0"}],
        dots=[{"x": a, "y": b} for a, b in points],
        xlabels=labels,
        ticks=ticks,
        kind="line",
    )


def survival_chart(curves, *, title: str) -> dict:
    inner = W - LEFT - RIGHT

    def x(month):
        return round(LEFT + inner * min(month, CURVE_CHART_MONTHS) / CURVE_CHART_MONTHS, 1)

    lines = []
    for n, curve in enumerate(curves):
        pts = []
        last = 1.0
        end = min(curve.max_followed, CURVE_CHART_MONTHS)
        for month, s in curve.points:
            if month > end:
                break
            pts += [(x(month), _y(last, 1)), (x(month), _y(s, 1))]
            last = s
        pts.append((x(end), _y(last, 1)))
        lines.append(
            {
                "points": " ".join(f"{a},{b}" for a, b in pts),
                "cls": f"series-{n}",
                "label": curve.label,
            }
        )
    benchmark = {
        "x1": x(0),
        "x2": x(selectors.BENCHMARK_MONTHS),
        "y1": _y(1, 1),
        "y2": _y(selectors.BENCHMARK_REMAINING, 1),
        "label": _("Benchmark: %(pct)d %% after %(months)d months")
        % {"pct": 75, "months": selectors.BENCHMARK_MONTHS},
    }
    xlabels = [{"x": x(m), "label": str(m)} for m in range(0, CURVE_CHART_MONTHS + 1, 6)]
    return _chart(
        title,
        lines=lines,
        ticks=_pct_ticks(),
        xlabels=xlabels,
        benchmark=benchmark,
        legend=[{"cls": ln["cls"], "label": ln["label"]} for ln in lines],
        kind="survival",
        xtitle=_("Months since the start"),
    )


def _plain(value):
    """Coordinates as plain strings: a float in a template would get a Danish decimal comma."""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _chart(title, **parts) -> dict:
    parts = _plain(parts)
    parts.setdefault("lines", [])
    parts.setdefault("bars", [])
    parts.setdefault("dots", [])
    parts.setdefault("xlabels", [])
    return {
        "title": title,
        "width": W,
        "height": H,
        "left": LEFT,
        "right": W - RIGHT,
        "baseline": H - BOTTOM,
        "label_y": H - BOTTOM + 18,
        **parts,
    }

"""Deterministic, realistic demo data for Varig (`varig demo`).

Everything is drawn from one `random.Random(seed)` and one Faker("da_DK") seeded with the same
seed, in a fixed order, so the same seed on the same day gives the same names, references and
dates. Dates are relative to the day the data is made, so "I dag" always has overdue and
upcoming work.

Speed: the national scale (100,000 job customers, ~300,000 placements, ~3 million rows in all)
is generated as plain rows, person by person, and written through `core.bulk` (explicit ids,
`executemany` on SQLite, `COPY` on PostgreSQL) one chunk of job customers per transaction. No
model instance is built per row and no id is read back, which keeps the build to minutes and
its memory to a few hundred MB. Rows bypass the audit-log signals, which is right for made-up
data.

Fixed points the benchmark (`varig bench`) and the demo rely on, the same for every seed:
- `vejleder1` has a caseload of `Scale.first_caseload` (60 at national scale) with overdue and
  due-soon follow-ups and open tasks;
- the job customer `JK-000007` (in that caseload) has a long history: 10 placements,
  40 follow-ups and 200 notes (`LONG_HISTORY_*`);
- the company `VIRK-00001` has at least `Scale.flagship_past` past placements.

Other apps add their demo data through `APP_DEMO` below (one line per app).
"""

import bisect
import datetime
import itertools
import random
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string
from faker import Faker

from varig.customers.models import (
    Accommodation,
    Consent,
    ContactKind,
    ContactNote,
    HealthInfo,
    JobCustomer,
    JobWishes,
    LifeArea,
    PensionRules,
    PreferredJobType,
    ReadinessAssessment,
    ReadinessRating,
    ReferralSource,
    Task,
    TaskKind,
)
from varig.customers.status import refresh_statuses
from varig.employers.models import Company, CompanyContact, CompanyNote
from varig.placements.anniversaries import refresh_employed_since
from varig.placements.models import WORK_KINDS, FollowUp, Placement, TierChange
from varig.placements.schedule import add_months, followup_schedule

from .bulk import BulkTable, BulkWriter
from .db import analyze, refresh_planner_statistics
from .models import Role, User

DEMO_DOMAIN = "demo.varig.dk"
DEMO_PASSWORD = "Varig-demo-2026"

# --- Demo data of other apps ---------------------------------------------------------------------
# One dotted path per app to a function `make_demo(builder: DemoBuilder) -> None`, called in this
# order after staff, companies, job customers and placements exist, each in its own transaction.
# The builder gives: `builder.rng_for("<app>")` (a Random of its own, so adding an app never
# changes another app's data), `builder.fake` (Faker da_DK), `builder.today`, `builder.scale`
# and `builder.scale_name`, `builder.staff` (role → users), `builder.companies`,
# `builder.people` (every job customer with `.placements`, see DemoPerson and DemoPlacement),
# and `builder.table(Model).add(field=value, ...)` for fast inserts (flushed after the hook).
# Tables a hook fills that hang on job customers, companies or placements are deleted by
# `delete_domain_data()` without more ado; list any other table in `APP_DEMO_TABLES`.
APP_DEMO: list[str] = [
    # Before the alerts: its warnings then see the call-round's contacts.
    "varig.callrounds.demo.demo_build",
    "varig.alerts.demo.demo_build",
    "varig.employers.demo.make_demo",
    "varig.privacy.demo.demo_build",
    "varig.activities.demo.make_demo_data",
    "varig.adminhelp.demo.make_demo_data",
    "varig.earnings.demo.make_demo_data",
]
APP_DEMO_TABLES: list[str] = [  # "app_label.ModelName", deleted before the core tables
    "callrounds.Campaign",
    "activities.Run",
    "activities.NetworkGroup",
]


@dataclass(frozen=True)
class Scale:
    administrators: int
    managers: int
    advisors: int
    consultants: int
    companies: int
    job_customers: int
    chunk: int = 1000
    # The first advisor's caseload (all associated now), with overdue and due-soon work.
    first_caseload: int = 35
    # Past placements given to the first company (VIRK-00001), one per person.
    flagship_past: int = 0
    # The job customer JK-000007 with a long history (10 placements, 40 follow-ups, 200 notes).
    long_history: bool = True
    # How many praktik/job attempts a person's career has (weights for 0, 1, 2, 3, 4).
    attempt_weights: tuple[int, ...] = (5, 25, 35, 35, 0)
    # The chance that a job ends (before today) rather than lasting.
    job_end_chance: float = 0.55
    # Notes a person has (min, max); readiness assessments beyond the first, per area.
    notes: tuple[int, int] = (2, 6)
    extra_assessments: tuple[int, int] = (1, 3)


SCALES = {
    # `tiny` is for the test suite; it is not offered on the command line's help.
    "tiny": Scale(
        1, 1, 2, 1, companies=12, job_customers=30, first_caseload=10, flagship_past=3,
        long_history=False,
    ),
    "small": Scale(1, 1, 4, 2, companies=60, job_customers=150, flagship_past=20),
    # DESIGN.md: 100,000 job customers, 20,000 companies, 300,000 placements, 500 staff.
    "national": Scale(
        5, 20, 400, 75, companies=20_000, job_customers=100_000, chunk=5000, first_caseload=60,
        flagship_past=200, attempt_weights=(0, 0, 5, 15, 30, 50), job_end_chance=0.75, notes=(1, 4),
        extra_assessments=(0, 0),
    ),
}  # fmt: skip

LONG_HISTORY_INDEX = 6  # JK-000007
LONG_HISTORY_PLACEMENTS = 10
LONG_HISTORY_FOLLOWUPS = 40
LONG_HISTORY_NOTES = 200
FLAGSHIP_REF = "VIRK-00001"

PLACES = [
    ("1050", "København K", "København"),
    ("2200", "København N", "København"),
    ("2300", "København S", "København"),
    ("2400", "København NV", "København"),
    ("2500", "Valby", "København"),
    ("2610", "Rødovre", "Rødovre"),
    ("2620", "Albertslund", "Albertslund"),
    ("2650", "Hvidovre", "Hvidovre"),
    ("2700", "Brønshøj", "København"),
    ("2730", "Herlev", "Herlev"),
    ("2750", "Ballerup", "Ballerup"),
    ("2800", "Kongens Lyngby", "Lyngby-Taarbæk"),
    ("2860", "Søborg", "Gladsaxe"),
    ("3400", "Hillerød", "Hillerød"),
    ("4000", "Roskilde", "Roskilde"),
    ("4600", "Køge", "Køge"),
    ("4700", "Næstved", "Næstved"),
    ("5000", "Odense C", "Odense"),
    ("5200", "Odense V", "Odense"),
    ("5700", "Svendborg", "Svendborg"),
    ("6000", "Kolding", "Kolding"),
    ("6700", "Esbjerg", "Esbjerg"),
    ("7100", "Vejle", "Vejle"),
    ("7400", "Herning", "Herning"),
    ("8000", "Aarhus C", "Aarhus"),
    ("8200", "Aarhus N", "Aarhus"),
    ("8700", "Horsens", "Horsens"),
    ("8800", "Viborg", "Viborg"),
    ("8900", "Randers C", "Randers"),
    ("9000", "Aalborg", "Aalborg"),
    ("9200", "Aalborg SV", "Aalborg"),
]

# industry: (name patterns, jobs it can offer, strengths)
INDUSTRIES = {
    "Detailhandel": (
        ["{last}s Købmand", "{city} Dagligvarer", "Butik {last}"],
        "Varepåfyldning, kasse, modtagelse af varer",
        "Faste rutiner og en rolig formiddag",
    ),
    "Lager og logistik": (
        ["{last} Logistik", "{city} Lager & Transport", "Nordic Pak {last}"],
        "Pluk og pak, lageroprydning, truckkørsel",
        "Tydelige opgaver, fast makker",
    ),
    "Café og restaurant": (
        ["Café {last}", "Restaurant {city}", "{last}s Køkken"],
        "Opvask, klargøring af grønt, anretning",
        "Lille team, god stemning",
    ),
    "Rengøring": (
        ["{last} Rengøring", "{city} Service", "Rent & Pænt {last}"],
        "Kontorrengøring, vinduespudsning",
        "Fleksible timer, selvstændigt arbejde",
    ),
    "Gartneri og grønne områder": (
        ["{last}s Planteskole", "{city} Anlægsgartner", "Grøn Vækst {last}"],
        "Ukrudt, plantning, pasning af drivhus",
        "Udendørs, roligt tempo",
    ),
    "Kontor og administration": (
        ["{last} & Partnere", "{city} Revision", "{last} Administration"],
        "Scanning, arkiv, post, enkle bogføringsopgaver",
        "Stille kontor, faste arbejdstider",
    ),
    "Bageri": (
        ["{last}s Bageri", "{city} Brød", "Bager {last}"],
        "Pakning, rengøring af bageriet, ekspedition",
        "Tidligt fri, faste opgaver",
    ),
    "Autoværksted": (
        ["{last} Auto", "{city} Autoservice", "{last}s Dækcenter"],
        "Dækskifte, klargøring og vask af biler",
        "Praktisk arbejde, erfaren mester",
    ),
    "Genbrug": (
        ["{city} Genbrug", "Genbrugsbutikken {last}", "Re-Brug {city}"],
        "Sortering, prismærkning, ekspedition",
        "Meningsfuldt arbejde, plads til alle",
    ),
    "IT-service": (
        ["{last} IT", "{city} Data", "Netværk {last}"],
        "Test af udstyr, opsætning, dokumentation",
        "Stille arbejde med skærm, hjemmearbejde muligt",
    ),
    "Kantine": (
        ["{city} Kantineservice", "Frokost {last}", "{last}s Madhus"],
        "Salatbar, opvask, opfyldning",
        "Faste tider, godt kollegaskab",
    ),
    "Trykkeri": (
        ["{last} Tryk", "{city} Grafisk", "Tryk & Design {last}"],
        "Efterbehandling, pakning af tryksager",
        "Rolige omgivelser, ordentlig oplæring",
    ),
    "Hotel": (
        ["Hotel {city}", "{last}s Kro", "{city} Vandrerhjem"],
        "Housekeeping, morgenmad, vasketøj",
        "Varierede opgaver, mange kolleger",
    ),
    "Bibliotek og kultur": (
        ["{city} Bibliotek", "{city} Kulturhus", "Museum {last}"],
        "Opstilling af bøger, klargøring af lokaler",
        "Stille omgivelser, rummelig arbejdsplads",
    ),
}
INDUSTRY_NAMES = list(INDUSTRIES)

CONTACT_ROLES = ["Indehaver", "Butikschef", "Værkfører", "Afdelingsleder", "HR", "Køkkenchef"]
EDUCATIONS = [
    "Folkeskole",
    "HF",
    "Student (STX)",
    "Påbegyndt universitetsuddannelse",
    "Kontoruddannelse",
    "Faglært tømrer",
    "Faglært kok",
    "Social- og sundhedshjælper",
    "Bachelor i dansk",
    "Lagerassistent",
]
EXPERIENCES = [
    "Har arbejdet i supermarked i fem år.",
    "Lagerarbejde og chaufførjob før sygdommen.",
    "Kontorarbejde i kommunen.",
    "Køkkenmedhjælper på kro.",
    "Ingen erhvervserfaring ud over fritidsjob.",
    "Pædagogmedhjælper i vuggestue.",
    "Har haft egen virksomhed med havearbejde.",
]
COMPETENCES = [
    "Omhyggelig og stabil",
    "God til tal og systemer",
    "Praktisk anlagt",
    "Glad for kundekontakt i små doser",
    "God til dyr og planter",
    "Kørekort B",
    "Erfaren med IT",
]
WISHED_JOBS = [
    "Butiksassistent",
    "Lagermedarbejder",
    "Køkkenmedhjælper",
    "Kontorassistent",
    "Gartnermedhjælper",
    "Bibliotekshjælper",
    "Rengøringsassistent",
    "IT-supporter",
]
DREAM_JOBS = [
    "Arbejde i en boghandel",
    "Have min egen lille café",
    "Arbejde med dyr",
    "Bogholder på et lille kontor",
    "Kok i et rigtigt køkken",
    "Gartner i en botanisk have",
    "",
]
DIAGNOSES = [
    "Skizofreni",
    "Bipolar lidelse",
    "Tilbagevendende depression",
    "Generaliseret angst",
    "OCD",
    "Emotionelt ustabil personlighedsstruktur",
    "PTSD",
]
TASKS_TO_AVOID = [
    "Telefonpasning",
    "Kassearbejde i travle perioder",
    "Tunge løft",
    "Opgaver med mange afbrydelser",
    "Alenearbejde sent",
    "",
]
ENVIRONMENTS = [
    "Roligt sted uden meget larm",
    "Fast arbejdsplads",
    "Mulighed for pauser efter behov",
    "Lille team",
    "",
]
EMPLOYER_TEXTS = [
    "Har brug for en fast kontaktperson og en tydelig plan for dagen.",
    "Arbejder bedst med én opgave ad gangen; giv besked i god tid om ændringer.",
    "Skal kunne holde en kort pause, når det er nødvendigt.",
    "Trives med faste rutiner; start gerne hver dag med samme opgave.",
    "Tal direkte og venligt; spørg hellere én gang for meget.",
]
NOTE_TEXTS = {
    ContactKind.NOTE: [
        "Opdateret jobønsker efter samtale.",
        "Har haft en hård periode; holder lidt lavere tempo.",
        "Deltager i kurset Klædt på til job.",
    ],
    ContactKind.CONVERSATION: [
        "Samtale om mål og delmål: først et job i detailhandlen for at få erfaring.",
        "Vejledningssamtale om pension og arbejdstimer.",
        "God samtale; føler sig klar til praktik.",
    ],
    ContactKind.PHONE: [
        "Ringede for at høre, hvordan det går; alt vel.",
        "Opkald om nyt skema på arbejdet.",
        "Ringede om tilbagefald; aftalt at holde fri resten af ugen.",
    ],
    ContactKind.EMAIL: [
        "Sendt information om skånejob og løntilskud.",
        "Mail med referat af sidste møde.",
    ],
    ContactKind.SMS: ["Påmindelse om møde i morgen.", "Sms: det går fint, ses torsdag."],
    ContactKind.MEETING: [
        "Trepartsmøde med virksomheden; skånehensyn gennemgået.",
        "Møde hos virksomheden om flere timer.",
        "Møde med jobcentret om papirerne.",
    ],
}
TASK_TITLES = [
    "Ring og hør, hvordan det går",
    "Send kontrakt til virksomheden",
    "Hjælp med ansøgning om skånejob",
    "Aftal trepartsmøde",
    "Følg op på pensionsspørgsmål",
    "Find praktikplads i detailhandlen",
    "Ring til mentoren",
]
ACTIONS = [
    "Fortsætter som nu; ny samtale om tre måneder.",
    "Prøver to ekstra timer om ugen fra næste måned.",
    "Mentor tjekker ind hver mandag.",
    "Undersøger truckcertifikat.",
    "Skema justeres, så arbejdet starter kl. 9.",
]
DEVELOPMENT = [
    "Ønsker flere timer på sigt; tages op igen ved næste møde.",
    "Vil gerne lære bogføring; virksomheden er positiv.",
    "Ingen ønsker om ændringer lige nu.",
    "Får nye opgaver på lageret.",
]
ACCOMMODATION_NOTES = [
    "Timerne er gået lidt over i travle uger.",
    "Har fået opgaver i kassen, som var aftalt undgået.",
    "Kontaktpersonen er stoppet; ny aftalt.",
]
PRAKTIK_END_REASONS = [
    (Placement.EndReason.PRAKTIK_COMPLETED, "Praktikken er gennemført; ingen stilling lige nu."),
    (Placement.EndReason.OWN_WISH, "Ønskede at prøve noget andet."),
    (Placement.EndReason.HEALTH, "Tilbagefald; praktikken stoppede før tid."),
    (Placement.EndReason.MISMATCH, "Opgaverne passede ikke til ønskerne."),
]
JOB_END_REASONS = [
    (Placement.EndReason.OWN_WISH, "Ønskede selv at stoppe."),
    (Placement.EndReason.HEALTH, "Helbredet gjorde det for svært at fortsætte."),
    (Placement.EndReason.COMPANY, "Virksomheden lukkede afdelingen."),
    (Placement.EndReason.NEW_JOB, "Skiftede til et job med flere timer."),
    (Placement.EndReason.MISMATCH, "Nærmeste leder stoppede, og samarbejdet gled."),
]


def cvr_with_check_digit(seven: str) -> str | None:
    """Seven digits plus the modulus-11 check digit (None when the digit would be 10)."""
    total = sum(w * int(d) for w, d in zip((2, 7, 6, 5, 4, 3, 2), seven, strict=True))
    digit = (-total) % 11
    return None if digit == 10 else f"{seven}{digit}"


def _aware(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    # The zone once, not per call: timezone.make_aware looks up the active zone every time.
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=_ZONE)


_ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


class DemoCompany:
    """A company the demo made: its id and the facts placements and other apps draw on."""

    __slots__ = ("city", "contacts", "industry", "name", "pk", "postcode", "ref")

    def __init__(self, pk, ref, name, industry, postcode, city):
        self.pk, self.ref, self.name, self.industry = pk, ref, name, industry
        self.postcode, self.city = postcode, city
        self.contacts: list[int] = []  # ids of the contacts who have not left


class DemoPerson:
    """A job customer the demo made, with their placements (oldest first)."""

    __slots__ = (
        "advisor_id", "associated_from", "associated_until", "first_name", "last_name", "pk",
        "placements", "ref",
    )  # fmt: skip

    def __init__(self, pk, ref, first_name, last_name, advisor_id, associated_from, until):
        self.pk, self.ref, self.first_name, self.last_name = pk, ref, first_name, last_name
        self.advisor_id = advisor_id
        self.associated_from, self.associated_until = associated_from, until
        self.placements: list[DemoPlacement] = []


class DemoPlacement:
    """A placement the demo made (the row's fields, by attname)."""

    __slots__ = (
        "company", "contact_id", "desired_job", "end_reason", "end_reason_category", "ended_on",
        "force", "hourly_wage", "hours_per_week", "kind", "lessons_learned", "person",
        "pk", "planned_end_on", "previous_id", "ref", "started_on", "tier", "yearly_followups",
    )  # fmt: skip

    def __init__(self, pk, ref, person, company, kind, started_on, planned_end_on=None):
        self.pk, self.ref, self.person, self.company = pk, ref, person, company
        self.kind, self.started_on, self.planned_end_on = kind, started_on, planned_end_on
        self.ended_on = None
        self.end_reason_category = self.end_reason = self.lessons_learned = ""
        self.hours_per_week = self.hourly_wage = self.contact_id = self.previous_id = None
        self.desired_job = self.yearly_followups = False
        self.tier = Placement.Tier.MARGINAL
        self.force: str | None = None  # "overdue", "due_soon", "held" (all past ones) or None

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS


class _Weighted:
    """rng.choices(values, weights)[0] without its per-call set-up."""

    def __init__(self, values, weights):
        self.values = list(values)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, r: float):
        return self.values[bisect.bisect(self.cumulative, r * self.total)]


REFERRALS = _Weighted(ReferralSource.values, [35, 30, 25, 10])
PENSION_RULES = _Weighted(PensionRules.values, [70, 25, 5])
JOB_KINDS = _Weighted(["skaanejob", "fleksjob", "ordinaert"], [70, 20, 10])
CONVERTED_KINDS = _Weighted(["skaanejob", "fleksjob", "ordinaert"], [75, 17, 8])
WELLBEING = _Weighted([1, 2, 3, 4, 5], [3, 8, 25, 40, 24])
HOURS = {"praktik": (6, 15), "skaanejob": (8, 20), "fleksjob": (12, 25), "ordinaert": (15, 37)}
AGREEMENT = ["yes"] * 8 + ["partly", "partly", "no"]
COMPANY_NOTES = [
    "Meget rummelig virksomhed; har haft flere jobkunder.",
    "Kontakt helst indehaveren om formiddagen.",
    "Har brug for hjælp til papirerne om løntilskud.",
    "Ny leder fra i år; skal introduceres til samarbejdet.",
]
LESSONS = [
    "Kortere dage i starten havde hjulpet.",
    "En fast mentor gør en stor forskel.",
    "Mindre larm og færre afbrydelser.",
]
HEALTH_NOTES = [
    "Stabil på medicin det sidste år.",
    "Søvnen er vigtig; dårlige perioder om vinteren.",
    "Har en fast psykiater og går til samtaler hver måned.",
]
FORCED = {0: "overdue", 1: "overdue", 2: "overdue", 3: "due_soon", 4: "due_soon", 5: "due_soon"}
DAY = datetime.timedelta(days=1)
# Choices' `.values` builds a new list on every access; these run per row.
LIFE_AREAS = LifeArea.values
RATINGS = ReadinessRating.values
CONTACT_KINDS = ContactKind.values
JOB_TYPES = PreferredJobType.values


class DemoBuilder:
    """Builds the demo data for one scale, seed and day. Call `run()`."""

    def __init__(
        self,
        *,
        scale: str,
        seed: int,
        today: datetime.date | None = None,
        log: Callable[[str], None] = lambda message: None,
    ):
        self.scale = SCALES[scale]
        self.scale_name = scale
        self.seed = seed
        self.today = today or timezone.localdate()
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.fake = Faker("da_DK")
        self.fake.seed_instance(seed)
        self.log = log
        self.writer = BulkWriter(now=timezone.now())
        self.placement_seq = 0
        self.staff: dict[str, list[User]] = {}
        self.companies: list[DemoCompany] = []
        self.people: list[DemoPerson] = []
        self.staff_count = 0
        self.extra_counts: dict[str, int] = {}
        weights = self.scale.attempt_weights
        self.attempts = _Weighted(range(len(weights)), weights)

    # --- helpers ---------------------------------------------------------------------------

    def rng_for(self, label: str) -> random.Random:
        """A Random of its own for one app's demo data, from the seed and the app's label."""
        return random.Random(f"{self.seed}:{label}")

    def table(self, model) -> BulkTable:
        return self.writer.table(model)

    def bulk_create(self, model, objs: list) -> None:
        """Write model instances at once through the bulk writer (far cheaper than the ORM's
        bulk_create for tens of thousands); `table()` saves building the instances too."""
        if not objs:
            return
        table = self.table(model)
        pk_name = model._meta.pk.attname
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        ]
        for obj in objs:
            values = {name: getattr(obj, name) for name in names}
            if values.get(pk_name) is None:
                values.pop(pk_name, None)
            obj.pk = table.add(**values)
        table.write(table.take())

    def flush(self) -> None:
        """Write the rows a hook has added so far, in its transaction (for a hook that then
        reads them through the ORM); the builder flushes after each hook anyway. The tables
        written get fresh planner statistics, so the hook's queries over them are planned
        for their real size."""
        pending = [table.model for table in self.writer.tables.values() if table.rows]
        self.writer.flush()
        if pending:
            refresh_planner_statistics(*pending)

    def count(self, name: str, n: int) -> None:
        """Report `n` more rows of `name` in the command's summary."""
        self.extra_counts[name] = self.extra_counts.get(name, 0) + n

    _bulk, _count = bulk_create, count  # the names the first hooks were written against

    def _int(self, low: int, high: int) -> int:
        """A whole number from low to high, both included (cheaper than rng.randint)."""
        return low + int(self.random() * (high - low + 1))

    def _pick(self, seq):
        return seq[int(self.random() * len(seq))]

    def _days(self, low: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(days=self._int(low, high))

    def _between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self._int(0, (end - start).days))

    def _person_name(self) -> str:
        # Faker's name() adds titles ("Dr.", "Univ.Prof."); staff and contacts have none.
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    def _phone(self) -> str:
        digits = [self._int(2, 9) * 10 + self._int(0, 9)] + [self._int(0, 99) for _ in range(3)]
        return " ".join(f"{d:02d}" for d in digits)

    def _address(self) -> str:
        number = self._int(1, 160)
        letter = self._pick("ABC") if self.random() < 0.1 else ""
        floor = (
            f", {self._int(1, 5)}. {self._pick(['th', 'tv', 'mf'])}" if self.random() < 0.3 else ""
        )
        return f"{self._pick(self.streets)} {number}{letter}{floor}"

    # --- staff -----------------------------------------------------------------------------

    def make_staff(self) -> dict[str, list[User]]:
        password = make_password(DEMO_PASSWORD)
        plan = [
            (Role.ADMINISTRATOR, "administrator", self.scale.administrators, False),
            (Role.MANAGER, "leder", self.scale.managers, False),
            (Role.ADVISOR, "vejleder", self.scale.advisors, True),
            (Role.CONSULTANT, "konsulent", self.scale.consultants, True),
        ]
        users: list[tuple[str, User]] = []
        for role, prefix, n, numbered_from_one in plan:
            for i in range(1, n + 1):
                local = f"{prefix}{i}" if numbered_from_one or i > 1 else prefix
                last_login = None
                if self.random() < 0.8:
                    last_login = _aware(
                        self.today - self._days(0, 20), self._int(7, 16), self._int(0, 59)
                    )
                user = User(
                    email=f"{local}@{DEMO_DOMAIN}",
                    name=self._person_name(),
                    password=password,
                    language="da",
                    last_login=last_login,
                )
                users.append((role, user))
        User.objects.bulk_create([u for _, u in users], batch_size=1000)
        groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [Membership(user_id=u.pk, group_id=groups[role].pk) for role, u in users],
            batch_size=1000,
        )
        # Every demo user's authenticator app has the documented demo secret (README.md), so
        # the demo can be logged into; `varig otp_code EMAIL` prints the current code.
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .twofactor import APP_DEVICE_NAME, demo_totp_key

        key = demo_totp_key()
        TOTPDevice.objects.bulk_create(
            [
                TOTPDevice(user_id=u.pk, name=APP_DEVICE_NAME, key=key, confirmed=True)
                for _, u in users
            ],
            batch_size=1000,
        )
        self.staff_count = len(users)
        by_role: dict[str, list[User]] = {r: [] for r in Role.values}
        for role, user in users:
            by_role[role].append(user)
        return by_role

    # --- companies -------------------------------------------------------------------------

    def make_companies(self) -> list[DemoCompany]:
        companies_table = self.table(Company)
        contacts_table = self.table(CompanyContact)
        notes_table = self.table(CompanyNote)
        companies: list[DemoCompany] = []
        cvrs: set[str] = set()
        for i in range(self.scale.companies):
            industry = self._pick(INDUSTRY_NAMES)
            patterns, offered, strengths = INDUSTRIES[industry]
            postcode, city, municipality = self._pick(PLACES)
            if self.random() < 0.35:
                name = self.fake.company()
            else:
                name = self._pick(patterns).format(last=self.fake.last_name(), city=municipality)
                name += self._pick(["", " ApS", " A/S", " I/S"])
            cvr = ""
            if self.random() < 0.85:
                while not cvr:
                    candidate = cvr_with_check_digit(str(self._int(1_000_000, 9_999_999)))
                    if candidate and candidate not in cvrs:
                        cvr = candidate
                        cvrs.add(cvr)
            size = self._pick([3, 5, 8, 12, 20, 35, 60, 150, 400])
            ref = f"VIRK-{i + 1:05d}"
            pk = companies_table.add(
                ref=ref,
                cvr=cvr,
                name=name,
                industry=industry,
                address=self._address(),
                postcode=postcode,
                city=city,
                employees=max(1, size + self._int(-(size // 3), size // 3)),
                offered_jobs=offered,
                strengths=strengths,
            )
            company = DemoCompany(pk, ref, name, industry, postcode, city)
            companies.append(company)
            for c in range(self._pick([1, 1, 2, 2, 3])):
                contact_name = self._person_name()
                left = self.random() < 0.1
                active_from = self.today - self._days(200, 3500)
                until = None
                if left:
                    until = self._between(active_from, self.today - self._days(1, 30))
                contact_pk = contacts_table.add(
                    company_id=pk,
                    name=contact_name,
                    role=self._pick(CONTACT_ROLES),
                    phone=self._phone(),
                    email=f"{contact_name.split()[0].lower()}@virksomhed{ref[-5:]}.dk",
                    is_mentor=c == 0 or self.random() < 0.3,
                    active_from=active_from,
                    active_until=until,
                )
                if until is None:
                    company.contacts.append(contact_pk)
            if self.random() < 0.4:
                notes_table.add(company_id=pk, text=self._pick(COMPANY_NOTES))
        return companies

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        """Make the data. Outside a transaction (the command) the rows are written by a
        background thread, chunk by chunk, while the next chunk is made; inside one (tests,
        or a caller's atomic block) everything is written in the caller's transaction."""
        self.writer.background = not connection.in_atomic_block
        self.writer.on_connect = _large_page_cache
        # With DEBUG on (as `make run` has it) Django would keep and format every query's
        # parameters, which costs more than the inserts; demo data needs no query log.
        with override_settings(DEBUG=False), _bulk_load_pragmas():
            try:
                return self._run()
            finally:
                self.writer.wait()

    def _phase(self, name: str, started: float) -> float:
        """Log how long a phase of the build took (seconds); returns the time now."""
        now = time.monotonic()
        self.log(f"  [{now - started:7.1f} s] {name}")
        self.timings[name] = round(now - started, 1)
        return now

    def _run(self) -> dict[str, int]:
        self.timings: dict[str, float] = {}
        mark = time.monotonic()
        self.streets = [self.fake.street_name() for _ in range(2000)]
        with transaction.atomic():  # committed before the writer thread needs the advisors
            self.staff = self.make_staff()
        self.companies = self.make_companies()
        self.writer.flush()
        mark = self._phase("staff and companies", mark)
        advisors = [u.pk for u in self.staff[Role.ADVISOR]]
        total = self.scale.job_customers
        for start in range(0, total, self.scale.chunk):
            for i in range(start, min(total, start + self.scale.chunk)):
                self._make_person(i, advisors)
            self.writer.flush()  # one transaction a chunk
            if total > self.scale.chunk:
                self.log(f"  {min(total, start + self.scale.chunk):,} / {total:,} job customers")
        # Other apps' data, each in its own transaction, once the core rows are all written
        # (and the id sequences moved on, so hooks may use the ORM too).
        self.writer.finish()
        mark = self._phase("job customers, placements, follow-ups (core rows)", mark)
        # Before any hook queries them: PostgreSQL has no statistics for the rows just loaded
        # and, without them, planned one of the alerts' queries as nested loops over the whole
        # tables (over 50 CPU-minutes at national scale instead of seconds).
        refresh_planner_statistics(User, *self.writer.tables)
        mark = self._phase("planner statistics of the core tables", mark)
        with transaction.atomic():
            # Where the anniversaries count from (placements/anniversaries.py), before the
            # hooks that read them (Godt Gået's celebrations); again after them below.
            refresh_employed_since(JobCustomer.objects.all())
        mark = self._phase("the placements' employment starts", mark)
        self.writer.background = False
        for path in APP_DEMO:
            with transaction.atomic():
                import_string(path)(self)
                mark = self._phase(f"hook {path}", mark)
                self.flush()
                mark = self._phase(f"hook {path}: flush", mark)
        self.writer.finish()
        with transaction.atomic():
            # The stored status (customers/status.py), once every placement is written.
            refresh_statuses(JobCustomer.objects.all(), day=self.today)
            refresh_employed_since(JobCustomer.objects.all())  # hooks may add placements
            analyze(Placement)
            analyze(JobCustomer)
        self._phase("the job customers' stored status", mark)
        counts = {"User (staff)": self.staff_count, **self.writer.counts()}
        for name, n in self.extra_counts.items():
            counts[name] = counts.get(name, 0) + n
        return counts

    # --- a job customer --------------------------------------------------------------------

    def _make_person(self, i: int, advisors: list[int]) -> None:
        today = self.today
        scale = self.scale
        first_caseload = min(scale.first_caseload, scale.job_customers // 3)
        first_advisor = i < first_caseload
        long_history = scale.long_history and first_advisor and i == LONG_HISTORY_INDEX
        flagship = first_caseload <= i < first_caseload + scale.flagship_past
        if first_advisor or len(advisors) == 1:
            advisor = advisors[0]
        else:
            advisor = advisors[1 + int(self.random() * (len(advisors) - 1))]
        force = FORCED.get(i) if first_advisor else None
        earliest = today - datetime.timedelta(days=365 * 11)
        if long_history:
            associated_from = earliest + self._days(20, 60)
        elif force:
            associated_from = today - self._days(500, 1200)
        elif flagship:
            associated_from = self._between(earliest, today - datetime.timedelta(days=3 * 365))
        else:
            associated_from = self._between(earliest, today - datetime.timedelta(days=10))
        associated_until = None
        if not first_advisor and not flagship and self.random() < 0.22:
            until = associated_from + self._days(180, 2600)
            if until < today:
                associated_until = until
        first = self.fake.first_name()
        last = self.fake.last_name()
        postcode, _city, municipality = self._pick(PLACES)
        age = self._int(22, 64)
        ref = f"JK-{i + 1:06d}"
        pk = self.table(JobCustomer).add(
            ref=ref,
            first_name=first,
            last_name=last,
            birth_date=today - datetime.timedelta(days=365 * age + self._int(0, 364)),
            email=f"{first.split()[0].lower()}.{i + 1}@example.dk",
            phone=self._phone(),
            address=self._address(),
            postcode=postcode,
            municipality=municipality,
            advisor_id=advisor,
            associated_from=associated_from,
            associated_until=associated_until,
            referral_source=REFERRALS.draw(self.random()),
            pension_rules=PENSION_RULES.draw(self.random()),
            education=self._pick(EDUCATIONS),
            work_experience=self._pick(EXPERIENCES),
            competences=", ".join(self.rng.sample(COMPETENCES, 2)),
            extra_followup_weeks=4 if long_history or self.random() < 0.08 else None,
        )
        person = DemoPerson(pk, ref, first, last, advisor, associated_from, associated_until)
        self.people.append(person)
        if long_history:
            self._long_career(person)
        else:
            self._career(person, force, flagship)
        for placement in person.placements:
            self._write_placement(placement)
        if long_history:
            self._extra_followups(person, LONG_HISTORY_FOLLOWUPS)
        self._profile(person, long_history)
        self._consents(person)
        self._notes(person, LONG_HISTORY_NOTES if long_history else None)
        self._tasks(person, force)

    # --- placements ------------------------------------------------------------------------

    def _new_placement(self, person, company, kind, started_on, planned_end_on=None):
        self.placement_seq += 1
        placement = DemoPlacement(
            self.table(Placement).allocate(),
            f"PL-{self.placement_seq:06d}",
            person,
            company,
            kind,
            started_on,
            planned_end_on,
        )
        low, high = HOURS[kind]
        placement.hours_per_week = Decimal(self._int(low * 2, high * 2)) / 2
        if kind != "praktik" and self.random() < 0.7:
            placement.hourly_wage = Decimal(self._int(125, 215))
        if company.contacts:
            placement.contact_id = self._pick(company.contacts)
        person.placements.append(placement)
        return placement

    def _limit(self, person: DemoPerson) -> datetime.date:
        return min(person.associated_until or self.today, self.today)

    def _career(self, person: DemoPerson, force: str | None, flagship: bool) -> None:
        """A person's placements over their association: praktik first, then often a job."""
        today = self.today
        limit = self._limit(person)
        cursor = person.associated_from + self._days(20, 300)
        if force:
            # A praktik that became a job, timed so a follow-up is overdue or due soon now.
            months_ago = add_months(today, -3)
            if force == "overdue":
                job_start = months_ago - self._days(16, 40)
            else:
                job_start = months_ago + self._days(2, 11)
            praktik_start = job_start - self._days(60, 90)
            self._praktik_then_job(person, praktik_start, job_start, limit, force)
            return
        if flagship:
            cursor = self._flagship_placement(person, cursor) + self._days(30, 300)
        attempts = self.attempts.draw(self.random())
        for _ in range(attempts):
            if cursor >= limit:
                break
            if self.random() < 0.8:
                end = self._praktik_then_job(person, cursor, None, limit, None)
            else:
                kind = JOB_KINDS.draw(self.random())
                end = self._job(person, kind, cursor, limit, None, None)
            if end is None:
                # Still in work: now and then a second job beside the first.
                placed = person.placements
                if placed and placed[-1].is_work and self.random() < 0.08:
                    second_start = self._between(placed[-1].started_on, limit)
                    self._job(person, "skaanejob", second_start, limit, None, None)
                break
            cursor = end + self._days(30, 300)

    def _flagship_placement(self, person: DemoPerson, start: datetime.date) -> datetime.date:
        """A past praktik or job at the first company (the company page with a long history)."""
        company = self.companies[0]
        latest_end = self.today - self._days(20, 200)
        if self.random() < 0.55:
            planned_end = start + datetime.timedelta(weeks=self._int(6, 13))
            placement = self._new_placement(person, company, "praktik", start, planned_end)
            self._end(placement, min(planned_end, latest_end), PRAKTIK_END_REASONS)
        else:
            placement = self._new_placement(person, company, JOB_KINDS.draw(self.random()), start)
            self._end(placement, min(start + self._days(120, 1500), latest_end), JOB_END_REASONS)
        return placement.ended_on

    def _praktik_then_job(self, person, start, job_start, limit, force) -> datetime.date | None:
        company = self._pick(self.companies)
        planned_end = start + datetime.timedelta(weeks=self._int(6, 13))
        praktik = self._new_placement(person, company, "praktik", start, planned_end)
        if job_start is None:
            if planned_end >= limit:
                if limit < self.today:
                    self._end(praktik, limit, PRAKTIK_END_REASONS)
                    return limit
                return None  # still in praktik
            roll = self.random()
            if roll < 0.25:
                self._end(praktik, planned_end, PRAKTIK_END_REASONS[:1])
                return planned_end
            if roll < 0.40:
                early = self._between(start + datetime.timedelta(days=10), planned_end)
                self._end(praktik, early, PRAKTIK_END_REASONS[1:])
                return early
            job_start = planned_end + DAY
        praktik.ended_on = job_start - DAY
        praktik.end_reason_category = Placement.EndReason.CONVERTED
        praktik.end_reason = "Praktikken blev til ansættelse."
        kind = CONVERTED_KINDS.draw(self.random())
        if job_start > limit:
            return limit
        return self._job(person, kind, job_start, limit, praktik, force)

    def _job(self, person, kind, start, limit, previous, force) -> datetime.date | None:
        company = previous.company if previous else self._pick(self.companies)
        job = self._new_placement(person, company, kind, start)
        if previous is not None:
            job.contact_id = previous.contact_id
            job.previous_id = previous.pk
        job.desired_job = self.random() < 0.35
        job.yearly_followups = self.random() < 0.15
        job.force = force
        end = None
        if not force and self.random() < self.scale.job_end_chance:
            candidate = start + self._days(120, 2200)
            if candidate < limit:
                end = candidate
        if end is None and limit < self.today:
            end = limit  # the association ended, and the job with it
        if end is not None:
            self._end(job, end, JOB_END_REASONS)
        years = ((end or self.today) - start).days / 365
        if years > 4 and self.random() < 0.4:
            job.tier = Placement.Tier.CORE
        elif years > 1.5 and self.random() < 0.5:
            job.tier = Placement.Tier.PERIPHERAL
        return end

    def _end(self, placement: DemoPlacement, day: datetime.date, reasons) -> None:
        category, text = self._pick(reasons)
        placement.ended_on = max(day, placement.started_on)
        placement.end_reason_category = category
        placement.end_reason = text
        if self.random() < 0.5:
            placement.lessons_learned = self._pick(LESSONS)

    def _long_career(self, person: DemoPerson) -> None:
        """Ten placements over eleven years: five praktikker that became jobs, the last one
        still held; every past follow-up held (the long history the benchmark opens)."""
        today = self.today
        rounds = LONG_HISTORY_PLACEMENTS // 2
        start = person.associated_from + self._days(20, 60)
        for n in range(rounds):
            last = n == rounds - 1
            planned_end = start + datetime.timedelta(weeks=self._int(8, 12))
            company = self.companies[1 + int(self.random() * (len(self.companies) - 1))]
            praktik = self._new_placement(person, company, "praktik", start, planned_end)
            praktik.force = "held"
            job_start = planned_end + DAY
            praktik.ended_on = planned_end
            praktik.end_reason_category = Placement.EndReason.CONVERTED
            praktik.end_reason = "Praktikken blev til ansættelse."
            job = self._new_placement(
                person, company, CONVERTED_KINDS.draw(self.random()), job_start
            )
            job.contact_id = praktik.contact_id
            job.previous_id = praktik.pk
            job.force = "held"
            job.desired_job = last
            if last:
                job.tier = Placement.Tier.PERIPHERAL
                break
            self._end(job, job_start + self._days(400, 560), JOB_END_REASONS)
            start = job.ended_on + self._days(40, 90)
        assert start < today - datetime.timedelta(days=500), "the long history must fit"

    def _write_placement(self, p: DemoPlacement) -> None:
        self.table(Placement).add(
            id=p.pk,
            ref=p.ref,
            job_customer_id=p.person.pk,
            company_id=p.company.pk,
            kind=p.kind,
            started_on=p.started_on,
            planned_end_on=p.planned_end_on,
            ended_on=p.ended_on,
            hours_per_week=p.hours_per_week,
            hourly_wage=p.hourly_wage,
            tasks=INDUSTRIES[p.company.industry][1],
            contact_id=p.contact_id,
            desired_job=p.desired_job,
            tier=p.tier,
            yearly_followups=p.yearly_followups,
            end_reason_category=p.end_reason_category,
            end_reason=p.end_reason,
            lessons_learned=p.lessons_learned,
            previous_id=p.previous_id,
        )
        self._followups(p)
        self._tier_changes(p)

    def _tier_changes(self, placement: DemoPlacement) -> None:
        if not placement.is_work or placement.tier == Placement.Tier.MARGINAL:
            return
        last = placement.ended_on or self.today
        table = self.table(TierChange)
        days = [("marginal", placement.started_on)]
        peripheral_on = add_months(placement.started_on, self._int(12, 24))
        days.append(("peripheral", peripheral_on))
        if placement.tier == Placement.Tier.CORE:
            days.append(("core", add_months(peripheral_on, self._int(18, 30))))
        for tier, changed_on in days:
            if changed_on <= last:
                table.add(placement_id=placement.pk, tier=tier, changed_on=changed_on)

    # --- follow-ups ------------------------------------------------------------------------

    def _followups(self, placement: DemoPlacement) -> int:
        today = self.today
        ended = placement.ended_on
        steps = followup_schedule(
            kind=placement.kind,
            started_on=placement.started_on,
            planned_end_on=placement.planned_end_on,
            yearly=placement.yearly_followups,
            until=min(ended or today, today),
        )
        table = self.table(FollowUp)
        force = placement.force
        forced_done = False
        soon = today + datetime.timedelta(days=7)
        for step in steps:
            row = {
                "placement_id": placement.pk,
                "job_customer_id": placement.person.pk,
                "kind": step.kind,
                "months": step.months,
                "due_on": step.due_on,
                "window_start": step.window_start,
                "window_end": step.window_end,
            }
            if ended is not None and step.due_on > ended:
                row["status"] = FollowUp.Status.CANCELLED
            elif step.window_end < today:
                recent = (today - step.window_end).days <= 75
                if force == "overdue" and not forced_done and recent:
                    forced_done = True  # left planned: overdue
                elif force or not recent or self.random() >= 0.35:
                    self._held(row, placement, latest=min(step.window_end, ended or today))
            elif (
                not force and step.window_start < today and step.due_on <= soon
                and self.random() < 0.3
            ):  # fmt: skip
                self._held(row, placement, latest=today - DAY)
            table.add(**row)
        return len(steps)

    def _held(self, row: dict, placement: DemoPlacement, *, latest: datetime.date) -> None:
        r = self.random
        held_on = row["due_on"] + self._days(-10, 8)
        row["status"] = FollowUp.Status.HELD
        row["held_on"] = min(max(held_on, row["window_start"]), latest)
        row["with_job_customer"] = r() < 0.96
        row["with_company_contact"] = r() < 0.85
        row["with_advisor"] = True
        hours = row["hours_kept"] = self._pick(AGREEMENT)
        tasks = row["tasks_kept"] = self._pick(AGREEMENT)
        other = row["other_kept"] = self._pick(AGREEMENT)
        if "no" in (hours, tasks, other) or "partly" in (hours, tasks):
            row["accommodations_note"] = self._pick(ACCOMMODATION_NOTES)
        row["wellbeing"] = WELLBEING.draw(r())
        row["wants_more_hours"] = r() < 0.2
        row["wants_new_tasks"] = r() < 0.15
        row["wants_upskilling"] = r() < 0.1
        row["development_outcome"] = self._pick(DEVELOPMENT)
        row["agreed_actions"] = self._pick(ACTIONS)
        row["recorded_by_id"] = placement.person.advisor_id

    def _extra_followups(self, person: DemoPerson, total: int) -> None:
        """Extra follow-ups every four weeks on the current job up to `total` in all: the
        latest one planned in ten days, the others held."""
        current = person.placements[-1]
        written = sum(
            len(followup_schedule(
                kind=p.kind, started_on=p.started_on, planned_end_on=p.planned_end_on,
                yearly=p.yearly_followups, until=min(p.ended_on or self.today, self.today),
            ))
            for p in person.placements
        )  # fmt: skip
        table = self.table(FollowUp)
        extra = total - written
        for n in range(extra):
            due = self.today + datetime.timedelta(days=10 - 28 * (extra - 1 - n))
            row = {
                "placement_id": current.pk,
                "job_customer_id": person.pk,
                "kind": FollowUp.Kind.EXTRA,
                "months": 0,
                "due_on": due,
                "window_start": due - datetime.timedelta(days=7),
                "window_end": due + datetime.timedelta(days=7),
            }
            if due < self.today:
                self._held(row, current, latest=min(due, self.today - DAY))
            table.add(**row)

    # --- the rest of a person's record -------------------------------------------------------

    def _profile(self, person: DemoPerson, long_history: bool) -> None:
        r = self.random
        start = person.associated_from
        last = self._limit(person)
        advisor = person.advisor_id
        low, high = (3, 3) if long_history else self.scale.extra_assessments
        extra = self._int(low, high)
        dates = sorted({self._between(start, last) for _ in range(extra)} | {start})
        readiness = self.table(ReadinessAssessment)
        for area in LIFE_AREAS:
            level = self._pick([0, 1, 1, 2])  # 0 calm, 1 attention, 2 not yet
            for day in dates:
                readiness.add(
                    job_customer_id=person.pk,
                    area=area,
                    rating=RATINGS[level],
                    assessed_on=day,
                    assessed_by_id=advisor,
                )
                if r() < 0.6:
                    level = max(0, level - 1)  # most areas calm down over time
        if r() < 0.9 or long_history:
            self.table(JobWishes).add(
                job_customer_id=person.pk,
                wished_jobs=", ".join(self.rng.sample(WISHED_JOBS, 2)),
                wished_industries=", ".join(self.rng.sample(INDUSTRY_NAMES, 2)),
                wished_hours_per_week=Decimal(self._pick([8, 10, 12, 15, 20, 25])),
                preferred_job_type=self._pick(JOB_TYPES),
                dream_job=self._pick(DREAM_JOBS),
            )
        placed = person.placements
        if placed or r() < 0.5:
            first = placed[0].started_on if placed else self._between(start, last)
            versions = [max(start, first - self._days(0, 30))]
            if long_history:
                versions += sorted(self._between(versions[0], last) for _ in range(2))
            elif r() < 0.35:
                versions.append(self._between(versions[0], last))
            table = self.table(Accommodation)
            for valid_from in versions:
                table.add(
                    job_customer_id=person.pk,
                    valid_from=valid_from,
                    max_hours_per_week=Decimal(self._pick([8, 10, 12, 15, 18, 20, 25])),
                    max_hours_per_day=Decimal(self._pick([3, 4, 5, 6])),
                    tasks_to_avoid=self._pick(TASKS_TO_AVOID),
                    environment=self._pick(ENVIRONMENTS),
                    fixed_contact_person=r() < 0.6,
                    employer_text=self._pick(EMPLOYER_TEXTS),
                    recorded_by_id=advisor,
                )
        if r() < 0.35 or long_history:
            self.table(HealthInfo).add(
                job_customer_id=person.pk,
                diagnosis=self._pick(DIAGNOSES),
                health_notes=self._pick(HEALTH_NOTES),
                updated_by_id=advisor,
            )

    def _consents(self, person: DemoPerson) -> None:
        seen: set[int] = set()
        table = self.table(Consent)
        for placement in person.placements:
            company = placement.company
            if company.pk in seen:
                continue
            seen.add(company.pk)
            given = max(person.associated_from, placement.started_on - self._days(3, 20))
            withdrawn = None
            if placement.ended_on and self.random() < 0.15:
                withdrawn = self._between(placement.ended_on, self.today)
            table.add(
                job_customer_id=person.pk,
                company_id=company.pk,
                may_contact=True,
                share_accommodations=self.random() < 0.9,
                share_work_situation=self.random() < 0.85,
                given_on=given,
                withdrawn_on=withdrawn,
                recorded_by_id=person.advisor_id,
            )

    def _notes(self, person: DemoPerson, count: int | None) -> None:
        start = person.associated_from
        last = self._limit(person)
        n = count if count is not None else self._int(*self.scale.notes)
        kinds = CONTACT_KINDS
        offset = int(self.random() * len(kinds))
        placed = person.placements
        table = self.table(ContactNote)
        for k in range(n):
            kind = kinds[(offset + k) % len(kinds)]
            company_id = None
            day = self._between(start, last)
            if kind == ContactKind.MEETING and placed:
                placement = self._pick(placed)
                company_id = placement.company.pk
                day = self._between(placement.started_on, placement.ended_on or last)
            table.add(
                job_customer_id=person.pk,
                kind=kind,
                occurred_at=_aware(day, self._int(8, 15), self._pick([0, 15, 30, 45])),
                company_id=company_id,
                text=self._pick(NOTE_TEXTS[kind]),
                author_id=person.advisor_id,
            )

    def _tasks(self, person: DemoPerson, force: str | None) -> None:
        active = person.associated_until is None
        if not active:
            return
        table = self.table(Task)
        advisor = person.advisor_id
        ended_badly = [
            p
            for p in person.placements
            if p.ended_on
            and p.end_reason_category in ("company", "mismatch", "health")
            and (self.today - p.ended_on).days < 120
        ]
        if ended_badly:
            table.add(
                job_customer_id=person.pk,
                assigned_to_id=advisor,
                kind=TaskKind.REPLACEMENT,
                title="Find et nyt job: genplacering ønsket",
                due_on=ended_badly[-1].ended_on + datetime.timedelta(days=14),
                created_by_id=advisor,
            )
        if self.random() < 0.15 or force == "due_soon":
            done = self.random() < 0.3 and not force
            table.add(
                job_customer_id=person.pk,
                assigned_to_id=advisor,
                kind=TaskKind.GENERAL,
                title=self._pick(TASK_TITLES),
                due_on=self.today + self._days(-8, 21) if self.random() < 0.8 else None,
                done_at=_aware(self.today - self._days(1, 20), 10, 0) if done else None,
                created_by_id=advisor,
            )


def _large_page_cache() -> None:
    """On SQLite, a 256 MB page cache for the connection that writes the demo (the default
    2 MB thrashes on indexed tables of millions of rows); nothing to do on PostgreSQL."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")


class _bulk_load_pragmas:
    """The large page cache on this thread's connection while the demo writes, then the old."""

    def __enter__(self):
        self.previous = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                (self.previous,) = cursor.fetchone()
            _large_page_cache()
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(self.previous)}")
        return False


def demo_logins(scale: str) -> list[tuple[str, str]]:
    """(role label, e-mail) for the first user of every role at `scale`."""
    s = SCALES[scale]
    rows = [
        (Role.ADMINISTRATOR.value, f"administrator@{DEMO_DOMAIN}"),
        (Role.MANAGER.value, f"leder@{DEMO_DOMAIN}"),
    ]
    rows += [
        (Role.ADVISOR.value, f"vejleder{i}@{DEMO_DOMAIN}") for i in range(1, min(s.advisors, 4) + 1)
    ]
    rows += [
        (Role.CONSULTANT.value, f"konsulent{i}@{DEMO_DOMAIN}")
        for i in range(1, min(s.consultants, 2) + 1)
    ]
    return rows


def _domain_models() -> list:
    """Every model that holds domain data, those that point at others first: job customers,
    companies and every table (of any app) that hangs on them, directly or through another,
    and the tables named in APP_DEMO_TABLES."""
    from django.apps import apps

    roots = {JobCustomer, Company}
    found = set(roots) | {apps.get_model(label) for label in APP_DEMO_TABLES}
    candidates = [m for m in apps.get_models() if m._meta.app_label not in {"auditlog"}]
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model in found:
                continue
            targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
            if targets & found:
                found.add(model)
                changed = True
    order: list = []
    visiting: set = set()

    def visit(model) -> None:
        # Referrers before the tables they point at.
        if model in order or model in visiting:
            return
        visiting.add(model)
        for other in found:
            if other is not model and any(
                f.is_relation and f.related_model is model for f in other._meta.concrete_fields
            ):
                visit(other)
        order.append(model)

    for model in sorted(found, key=lambda m: m._meta.label):
        visit(model)
    return order


def delete_domain_data() -> None:
    """Delete every job customer and company with everything hanging on them (any app's
    tables), and the demo staff. Raw deletes: at national scale Django's collector would load
    every row."""
    from auditlog.models import LogEntry

    from varig.privacy.audit import RETENTION, audit_maintenance

    with transaction.atomic():
        for model in _domain_models():
            qs = model._base_manager.all()
            qs._raw_delete(qs.db)
        demo_staff = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
        # The audit log is append-only (on PostgreSQL a trigger refuses even the SET NULL of a
        # deleted user): the demo staff's own entries go with them, as the retention job would.
        with audit_maintenance(RETENTION):
            entries = LogEntry.objects.filter(actor__in=demo_staff)
            entries._raw_delete(entries.db)
        demo_staff.delete()

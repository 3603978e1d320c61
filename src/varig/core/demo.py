"""Deterministic, realistic demo data for Varig (`varig demo`).

Everything is drawn from one `random.Random(seed)` and one Faker("da_DK") seeded with the same
seed, in a fixed order, so the same seed on the same day gives the same names, references and
dates. Dates are relative to the day the data is made, so "I dag" always has overdue and
upcoming work. Rows are written with `bulk_create` in chunks of job customers, which keeps the
national scale (100,000 job customers) to minutes and bounded memory. Bulk creation bypasses
the audit-log signals, which is right for made-up data.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
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
from varig.employers import demo as employers_demo
from varig.employers.models import Company, CompanyContact, CompanyNote
from varig.placements.models import FollowUp, Placement, TierChange
from varig.placements.schedule import add_months, followup_schedule

from .models import Role, User

DEMO_DOMAIN = "demo.varig.dk"
DEMO_PASSWORD = "Varig-demo-2026"


@dataclass(frozen=True)
class Scale:
    administrators: int
    managers: int
    advisors: int
    consultants: int
    companies: int
    job_customers: int
    chunk: int = 1000


SCALES = {
    # `tiny` is for the test suite; it is not offered on the command line's help.
    "tiny": Scale(1, 1, 2, 1, companies=12, job_customers=30),
    "small": Scale(1, 1, 4, 2, companies=60, job_customers=150),
    "national": Scale(5, 20, 400, 75, companies=20_000, job_customers=100_000, chunk=2000),
}

# The first demo advisor's caseload: realistic for one person.
FIRST_ADVISOR_CASELOAD = 35

# (postcode, city, municipality)
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
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass
class _FollowUpPlan:
    placement: Placement
    advisor: User | None
    yearly: bool
    force: str | None  # "overdue", "due_soon" or None


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
        self.fake = Faker("da_DK")
        self.fake.seed_instance(seed)
        self.log = log
        self.placement_seq = 0
        self.counts: dict[str, int] = {}

    # --- helpers ---------------------------------------------------------------------------

    def _days(self, low: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(days=self.rng.randint(low, high))

    def _between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def _person_name(self) -> str:
        # Faker's name() adds titles ("Dr.", "Univ.Prof."); staff and contacts have none.
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def _bulk(self, model, objs: list) -> None:
        if objs:
            model.objects.bulk_create(objs, batch_size=1000)
            self._count(model.__name__, len(objs))

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
                if self.rng.random() < 0.8:
                    last_login = _aware(
                        self.today - self._days(0, 20),
                        self.rng.randint(7, 16),
                        self.rng.randint(0, 59),
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
        self._count("User (staff)", len(users))
        by_role: dict[str, list[User]] = {r: [] for r in Role.values}
        for role, user in users:
            by_role[role].append(user)
        return by_role

    # --- companies -------------------------------------------------------------------------

    def make_companies(self) -> tuple[list[Company], dict[int, list[CompanyContact]]]:
        companies: list[Company] = []
        cvrs: set[str] = set()
        for i in range(self.scale.companies):
            industry = self.rng.choice(INDUSTRY_NAMES)
            patterns, offered, strengths = INDUSTRIES[industry]
            postcode, city, municipality = self.rng.choice(PLACES)
            if self.rng.random() < 0.35:
                name = self.fake.company()
            else:
                last = self.fake.last_name()
                name = self.rng.choice(patterns).format(last=last, city=municipality)
                name += self.rng.choice(["", " ApS", " A/S", " I/S"])
            cvr = ""
            if self.rng.random() < 0.85:
                while not cvr:
                    candidate = cvr_with_check_digit(str(self.rng.randint(1_000_000, 9_999_999)))
                    if candidate and candidate not in cvrs:
                        cvr = candidate
                        cvrs.add(cvr)
            size = self.rng.choice([3, 5, 8, 12, 20, 35, 60, 150, 400])
            companies.append(
                Company(
                    ref=f"VIRK-{i + 1:05d}",
                    cvr=cvr,
                    name=name,
                    industry=industry,
                    address=self.fake.street_address(),
                    postcode=postcode,
                    city=city,
                    employees=max(1, size + self.rng.randint(-size // 3, size // 3)),
                    offered_jobs=offered,
                    strengths=strengths,
                    notes="",
                )
            )
        self._bulk(Company, companies)
        contacts: list[CompanyContact] = []
        notes: list[CompanyNote] = []
        for company in companies:
            for c in range(self.rng.choice([1, 1, 2, 2, 3])):
                name = self._person_name()
                left = self.rng.random() < 0.1
                active_from = self.today - self._days(200, 3500)
                contacts.append(
                    CompanyContact(
                        company=company,
                        name=name,
                        role=self.rng.choice(CONTACT_ROLES),
                        phone=self.fake.phone_number(),
                        email=f"{name.split()[0].lower()}@virksomhed{company.ref[-5:]}.dk",
                        is_mentor=c == 0 or self.rng.random() < 0.3,
                        active_from=active_from,
                        active_until=self._between(active_from, self.today - self._days(1, 30))
                        if left
                        else None,
                    )
                )
            if self.rng.random() < 0.4:
                notes.append(
                    CompanyNote(
                        company=company,
                        text=self.rng.choice(
                            [
                                "Meget rummelig virksomhed; har haft flere jobkunder.",
                                "Kontakt helst indehaveren om formiddagen.",
                                "Har brug for hjælp til papirerne om løntilskud.",
                                "Ny leder fra i år; skal introduceres til samarbejdet.",
                            ]
                        ),
                    )
                )
        self._bulk(CompanyContact, contacts)
        self._bulk(CompanyNote, notes)
        by_company: dict[int, list[CompanyContact]] = {}
        for contact in contacts:
            if contact.active_until is None:
                by_company.setdefault(contact.company_id, []).append(contact)
        return companies, by_company

    # --- job customers ---------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        # With DEBUG on (as `make run` has it) Django would keep and format every query's
        # parameters, which costs more than the inserts; demo data needs no query log.
        with override_settings(DEBUG=False):
            return self._run()

    def _run(self) -> dict[str, int]:
        with transaction.atomic():
            staff = self.make_staff()
            companies, contacts = self.make_companies()
        self.staff = staff
        self.companies = companies
        self.contacts = contacts
        advisors = staff[Role.ADVISOR]
        total = self.scale.job_customers
        first_caseload = min(FIRST_ADVISOR_CASELOAD, total // 3)
        for start in range(0, total, self.scale.chunk):
            indexes = range(start, min(total, start + self.scale.chunk))
            with transaction.atomic():
                self._make_chunk(indexes, advisors, first_caseload)
            if total > self.scale.chunk:
                self.log(f"  {min(total, start + self.scale.chunk):,} / {total:,} job customers")
        from varig.alerts.demo import demo_build as issue6_demo_build

        issue6_demo_build(self)
        with transaction.atomic():
            employers_demo.make_demo_data(self)
        return self.counts

    def _make_chunk(self, indexes: range, advisors: list[User], first_caseload: int) -> None:
        today = self.today
        earliest = today - datetime.timedelta(days=365 * 11)
        customers: list[JobCustomer] = []
        forces: list[str | None] = []
        for i in indexes:
            first_advisor = i < first_caseload
            if first_advisor or len(advisors) == 1:
                advisor = advisors[0]
            else:
                advisor = advisors[1 + self.rng.randrange(len(advisors) - 1)]
            force = None
            if first_advisor:
                force = {0: "overdue", 1: "overdue", 2: "overdue", 3: "due_soon", 4: "due_soon"}
                force = force.get(i, "due_soon" if i == 5 else None)
            associated_from = self._between(earliest, today - datetime.timedelta(days=10))
            if force:
                associated_from = today - self._days(500, 1200)
            associated_until = None
            if not first_advisor and self.rng.random() < 0.22:
                until = associated_from + self._days(180, 2600)
                if until < today:
                    associated_until = until
            first = self.fake.first_name()
            last = self.fake.last_name()
            postcode, _city, municipality = self.rng.choice(PLACES)
            age = self.rng.randint(22, 64)
            customers.append(
                JobCustomer(
                    ref=f"JK-{i + 1:06d}",
                    first_name=first,
                    last_name=last,
                    birth_date=today
                    - datetime.timedelta(days=365 * age + self.rng.randint(0, 364)),
                    email=f"{first.split()[0].lower()}.{i + 1}@example.dk",
                    phone=self.fake.phone_number(),
                    address=self.fake.street_address(),
                    postcode=postcode,
                    municipality=municipality,
                    advisor=advisor,
                    associated_from=associated_from,
                    associated_until=associated_until,
                    referral_source=self.rng.choices(
                        ReferralSource.values, weights=[35, 30, 25, 10]
                    )[0],
                    pension_rules=self.rng.choices(PensionRules.values, weights=[70, 25, 5])[0],
                    education=self.rng.choice(EDUCATIONS),
                    work_experience=self.rng.choice(EXPERIENCES),
                    competences=", ".join(self.rng.sample(COMPETENCES, 2)),
                    extra_followup_weeks=4 if self.rng.random() < 0.08 else None,
                )
            )
            forces.append(force)
        self._bulk(JobCustomer, customers)

        first_level: list[Placement] = []
        continuations: list[Placement] = []
        plans: list[_FollowUpPlan] = []
        consents: list[Consent] = []
        notes: list[ContactNote] = []
        tasks: list[Task] = []
        others: dict[type, list] = {
            ReadinessAssessment: [],
            JobWishes: [],
            Accommodation: [],
            HealthInfo: [],
        }
        for customer, force in zip(customers, forces, strict=True):
            placed = self._career(customer, force, first_level, continuations, plans)
            self._profile(customer, placed, others)
            consents.extend(self._consents(customer, placed))
            notes.extend(self._notes(customer, placed))
            tasks.extend(self._tasks(customer, placed, force))

        self._bulk(Placement, first_level)
        self._bulk(Placement, continuations)
        followups: list[FollowUp] = []
        tier_changes: list[TierChange] = []
        for plan in plans:
            followups.extend(self._followups(plan))
            tier_changes.extend(self._tier_changes(plan))
        self._bulk(FollowUp, followups)
        self._bulk(TierChange, tier_changes)
        self._bulk(Consent, consents)
        self._bulk(ContactNote, notes)
        self._bulk(Task, tasks)
        for model, objs in others.items():
            self._bulk(model, objs)

    # --- placements ------------------------------------------------------------------------

    def _new_placement(self, customer: JobCustomer, company: Company, **fields) -> Placement:
        self.placement_seq += 1
        kind = fields["kind"]
        low, high = {
            "praktik": (6, 15),
            "skaanejob": (8, 20),
            "fleksjob": (12, 25),
            "ordinaert": (15, 37),
        }[kind]
        wage = None
        if kind != "praktik" and self.rng.random() < 0.7:
            wage = Decimal(self.rng.randint(125, 215))
        company_contacts = self.contacts.get(company.pk) or [None]
        return Placement(
            ref=f"PL-{self.placement_seq:06d}",
            job_customer=customer,
            company=company,
            hours_per_week=Decimal(self.rng.randint(low * 2, high * 2)) / 2,
            hourly_wage=wage,
            tasks=INDUSTRIES[company.industry][1],
            contact=self.rng.choice(company_contacts),
            **fields,
        )

    def _career(self, customer, force, first_level, continuations, plans) -> list[Placement]:
        """A person's placements over their association: praktik first, then often a job."""
        today = self.today
        limit = min(customer.associated_until or today, today)
        placed: list[Placement] = []
        cursor = customer.associated_from + self._days(20, 300)
        if force:
            # A praktik that became a job, timed so a follow-up is overdue or due soon now.
            months_ago = add_months(today, -3)
            if force == "overdue":
                job_start = months_ago - self._days(16, 40)
            else:
                job_start = months_ago + self._days(2, 11)
            praktik_start = job_start - self._days(60, 90)
            self._praktik_then_job(
                customer,
                praktik_start,
                job_start,
                limit,
                placed,
                first_level,
                continuations,
                plans,
                force,
            )
            return placed
        # DESIGN.md's national scale has three placements a person; small has about two.
        weights = [0, 5, 15, 30, 50] if self.scale_name == "national" else [5, 25, 35, 35, 0]
        attempts = self.rng.choices([0, 1, 2, 3, 4], weights=weights)[0]
        for _ in range(attempts):
            if cursor >= limit:
                break
            if self.rng.random() < 0.8:
                end = self._praktik_then_job(
                    customer, cursor, None, limit, placed, first_level, continuations, plans, None
                )
            else:
                kind = self.rng.choices(["skaanejob", "fleksjob", "ordinaert"], [70, 20, 10])[0]
                end = self._job(
                    customer, kind, cursor, limit, None, placed, first_level, plans, None
                )
            if end is None:
                # Still in work: now and then a second job beside the first.
                if placed and placed[-1].is_work and self.rng.random() < 0.08:
                    second_start = self._between(placed[-1].started_on, limit)
                    self._job(
                        customer, "skaanejob", second_start, limit, None, placed, first_level,
                        plans, None,
                    )  # fmt: skip
                break
            cursor = end + self._days(30, 300)
        return placed

    def _praktik_then_job(
        self, customer, start, job_start, limit, placed, first_level, continuations, plans, force
    ) -> datetime.date | None:
        company = self.rng.choice(self.companies)
        weeks = self.rng.randint(6, 13)
        planned_end = start + datetime.timedelta(weeks=weeks)
        praktik = self._new_placement(
            customer, company, kind="praktik", started_on=start, planned_end_on=planned_end
        )
        placed.append(praktik)
        first_level.append(praktik)
        plans.append(_FollowUpPlan(praktik, customer.advisor, False, None))
        if job_start is None:
            if planned_end >= limit:
                if limit < self.today:
                    self._end(praktik, limit, PRAKTIK_END_REASONS)
                    return limit
                return None  # still in praktik
            roll = self.rng.random()
            if roll < 0.25:
                self._end(praktik, planned_end, PRAKTIK_END_REASONS[:1])
                return planned_end
            if roll < 0.40:
                early = self._between(start + datetime.timedelta(days=10), planned_end)
                self._end(praktik, early, PRAKTIK_END_REASONS[1:])
                return early
            job_start = planned_end + datetime.timedelta(days=1)
        praktik.ended_on = job_start - datetime.timedelta(days=1)
        praktik.end_reason_category = Placement.EndReason.CONVERTED
        praktik.end_reason = "Praktikken blev til ansættelse."
        kind = self.rng.choices(["skaanejob", "fleksjob", "ordinaert"], [75, 17, 8])[0]
        if job_start > limit:
            return limit
        return self._job(
            customer, kind, job_start, limit, praktik, placed, continuations, plans, force
        )

    def _job(
        self, customer, kind, start, limit, previous, placed, bucket, plans, force
    ) -> datetime.date | None:
        company = previous.company if previous else self.rng.choice(self.companies)
        job = self._new_placement(customer, company, kind=kind, started_on=start)
        if previous is not None:
            job.contact = previous.contact
            job.previous = previous
        job.desired_job = self.rng.random() < 0.35
        placed.append(job)
        bucket.append(job)
        yearly = self.rng.random() < 0.15
        job.yearly_followups = yearly
        plans.append(_FollowUpPlan(job, customer.advisor, yearly, force))
        end = None
        if not force and self.rng.random() < 0.55:
            candidate = start + self._days(120, 2200)
            if candidate < limit:
                end = candidate
        if end is None and limit < self.today:
            end = limit  # the association ended, and the job with it
        if end is not None:
            self._end(job, end, JOB_END_REASONS)
        years = ((end or self.today) - start).days / 365
        if years > 4 and self.rng.random() < 0.4:
            job.tier = Placement.Tier.CORE
        elif years > 1.5 and self.rng.random() < 0.5:
            job.tier = Placement.Tier.PERIPHERAL
        return end

    def _end(self, placement: Placement, day: datetime.date, reasons) -> None:
        category, text = self.rng.choice(reasons)
        placement.ended_on = max(day, placement.started_on)
        placement.end_reason_category = category
        placement.end_reason = text
        if self.rng.random() < 0.5:
            placement.lessons_learned = self.rng.choice(
                [
                    "Kortere dage i starten havde hjulpet.",
                    "En fast mentor gør en stor forskel.",
                    "Mindre larm og færre afbrydelser.",
                ]
            )

    def _tier_changes(self, plan: _FollowUpPlan) -> list[TierChange]:
        placement = plan.placement
        if not placement.is_work or placement.tier == Placement.Tier.MARGINAL:
            return []
        rows = [TierChange(placement=placement, tier="marginal", changed_on=placement.started_on)]
        peripheral_on = add_months(placement.started_on, self.rng.randint(12, 24))
        rows.append(TierChange(placement=placement, tier="peripheral", changed_on=peripheral_on))
        if placement.tier == Placement.Tier.CORE:
            core_on = add_months(peripheral_on, self.rng.randint(18, 30))
            rows.append(TierChange(placement=placement, tier="core", changed_on=core_on))
        last = placement.ended_on or self.today
        return [row for row in rows if row.changed_on <= last]

    # --- follow-ups ------------------------------------------------------------------------

    def _followups(self, plan: _FollowUpPlan) -> list[FollowUp]:
        placement = plan.placement
        today = self.today
        steps = followup_schedule(
            kind=placement.kind,
            started_on=placement.started_on,
            planned_end_on=placement.planned_end_on,
            yearly=plan.yearly,
            until=min(placement.ended_on or today, today),
        )
        ended = placement.ended_on
        rows = []
        forced_done = False
        for step in steps:
            row = FollowUp(
                placement=placement,
                job_customer=placement.job_customer,
                kind=step.kind,
                months=step.months,
                due_on=step.due_on,
                window_start=step.window_start,
                window_end=step.window_end,
            )
            rows.append(row)
            if ended is not None and step.due_on > ended:
                row.status = FollowUp.Status.CANCELLED
                continue
            if step.window_end < today:
                recent = (today - step.window_end).days <= 75
                if plan.force == "overdue" and not forced_done and recent:
                    forced_done = True  # left planned: overdue
                elif plan.force or not recent or self.rng.random() >= 0.35:
                    self._held(row, plan, latest=min(step.window_end, ended or today))
            elif (
                not plan.force
                and step.window_start < today
                and step.due_on <= today + datetime.timedelta(days=7)
                and self.rng.random() < 0.3
            ):
                self._held(row, plan, latest=today - datetime.timedelta(days=1))
        return rows

    def _held(self, row: FollowUp, plan: _FollowUpPlan, *, latest: datetime.date) -> None:
        rng = self.rng
        held_on = row.due_on + self._days(-10, 8)
        held_on = min(max(held_on, row.window_start), latest)
        row.status = FollowUp.Status.HELD
        row.held_on = held_on
        row.with_job_customer = rng.random() < 0.96
        row.with_company_contact = rng.random() < 0.85
        row.with_advisor = True
        agreement = ["yes"] * 8 + ["partly", "partly", "no"]
        row.hours_kept = rng.choice(agreement)
        row.tasks_kept = rng.choice(agreement)
        row.other_kept = rng.choice(agreement)
        if "no" in (row.hours_kept, row.tasks_kept, row.other_kept) or "partly" in (
            row.hours_kept,
            row.tasks_kept,
        ):
            row.accommodations_note = rng.choice(ACCOMMODATION_NOTES)
        row.wellbeing = rng.choices([1, 2, 3, 4, 5], weights=[3, 8, 25, 40, 24])[0]
        row.wants_more_hours = rng.random() < 0.2
        row.wants_new_tasks = rng.random() < 0.15
        row.wants_upskilling = rng.random() < 0.1
        row.development_outcome = rng.choice(DEVELOPMENT)
        row.agreed_actions = rng.choice(ACTIONS)
        row.recorded_by = plan.advisor

    # --- the rest of a person's record -------------------------------------------------------

    def _profile(self, customer: JobCustomer, placed: list[Placement], others) -> None:
        rng = self.rng
        start = customer.associated_from
        last = min(customer.associated_until or self.today, self.today)
        # National scale: one assessment per area keeps the table (7 rows a person) in bounds.
        extra = 0 if self.scale_name == "national" else rng.randint(1, 3)
        dates = sorted({self._between(start, last) for _ in range(extra)} | {start})
        for area in LifeArea.values:
            level = rng.choice([0, 1, 1, 2])  # 0 calm, 1 attention, 2 not yet
            for day in dates:
                others[ReadinessAssessment].append(
                    ReadinessAssessment(
                        job_customer=customer,
                        area=area,
                        rating=ReadinessRating.values[level],
                        assessed_on=day,
                        assessed_by=customer.advisor,
                    )
                )
                if rng.random() < 0.6:
                    level = max(0, level - 1)  # most areas calm down over time
        if rng.random() < 0.9:
            others[JobWishes].append(
                JobWishes(
                    job_customer=customer,
                    wished_jobs=", ".join(rng.sample(WISHED_JOBS, 2)),
                    wished_industries=", ".join(rng.sample(INDUSTRY_NAMES, 2)),
                    wished_hours_per_week=Decimal(rng.choice([8, 10, 12, 15, 20, 25])),
                    preferred_job_type=rng.choice(PreferredJobType.values),
                    dream_job=rng.choice(DREAM_JOBS),
                )
            )
        if placed or rng.random() < 0.5:
            first = placed[0].started_on if placed else self._between(start, last)
            versions = [max(start, first - self._days(0, 30))]
            if rng.random() < 0.35:
                versions.append(self._between(versions[0], last))
            for valid_from in versions:
                others[Accommodation].append(
                    Accommodation(
                        job_customer=customer,
                        valid_from=valid_from,
                        max_hours_per_week=Decimal(rng.choice([8, 10, 12, 15, 18, 20, 25])),
                        max_hours_per_day=Decimal(rng.choice([3, 4, 5, 6])),
                        tasks_to_avoid=rng.choice(TASKS_TO_AVOID),
                        environment=rng.choice(ENVIRONMENTS),
                        fixed_contact_person=rng.random() < 0.6,
                        other="",
                        employer_text=rng.choice(EMPLOYER_TEXTS),
                        recorded_by=customer.advisor,
                    )
                )
        if rng.random() < 0.35:
            others[HealthInfo].append(
                HealthInfo(
                    job_customer=customer,
                    diagnosis=rng.choice(DIAGNOSES),
                    health_notes=rng.choice(
                        [
                            "Stabil på medicin det sidste år.",
                            "Søvnen er vigtig; dårlige perioder om vinteren.",
                            "Har en fast psykiater og går til samtaler hver måned.",
                        ]
                    ),
                    updated_by=customer.advisor,
                )
            )

    def _consents(self, customer: JobCustomer, placed: list[Placement]) -> list[Consent]:
        rows = []
        seen: set[int] = set()
        for placement in placed:
            if placement.company.pk in seen:
                continue
            seen.add(placement.company.pk)
            given = max(
                customer.associated_from, placement.started_on - self._days(3, 20)
            )  # fmt: skip
            withdrawn = None
            if placement.ended_on and self.rng.random() < 0.15:
                withdrawn = self._between(placement.ended_on, self.today)
            rows.append(
                Consent(
                    job_customer=customer,
                    company=placement.company,
                    may_contact=True,
                    share_accommodations=self.rng.random() < 0.9,
                    share_work_situation=self.rng.random() < 0.85,
                    given_on=given,
                    withdrawn_on=withdrawn,
                    recorded_by=customer.advisor,
                )
            )
        return rows

    def _notes(self, customer: JobCustomer, placed: list[Placement]) -> list[ContactNote]:
        rng = self.rng
        start = customer.associated_from
        last = min(customer.associated_until or self.today, self.today)
        n = rng.randint(2, 6) if self.scale_name != "national" else rng.randint(1, 4)
        kinds = ContactKind.values
        offset = rng.randrange(len(kinds))
        rows = []
        for k in range(n):
            kind = kinds[(offset + k) % len(kinds)]
            company = None
            day = self._between(start, last)
            if kind == ContactKind.MEETING and placed:
                placement = rng.choice(placed)
                company = placement.company
                day = self._between(placement.started_on, placement.ended_on or last)
            rows.append(
                ContactNote(
                    job_customer=customer,
                    kind=kind,
                    occurred_at=_aware(day, rng.randint(8, 15), rng.choice([0, 15, 30, 45])),
                    company=company,
                    text=rng.choice(NOTE_TEXTS[kind]),
                    author=customer.advisor,
                )
            )
        return rows

    def _tasks(self, customer: JobCustomer, placed: list[Placement], force) -> list[Task]:
        rng = self.rng
        rows = []
        active = customer.associated_until is None
        ended_badly = [
            p
            for p in placed
            if p.ended_on
            and p.end_reason_category in ("company", "mismatch", "health")
            and (self.today - p.ended_on).days < 120
        ]
        if active and ended_badly:
            rows.append(
                Task(
                    job_customer=customer,
                    assigned_to=customer.advisor,
                    kind=TaskKind.REPLACEMENT,
                    title="Find et nyt job: genplacering ønsket",
                    due_on=ended_badly[-1].ended_on + datetime.timedelta(days=14),
                    created_by=customer.advisor,
                )
            )
        if active and (rng.random() < 0.15 or force == "due_soon"):
            done = rng.random() < 0.3 and not force
            rows.append(
                Task(
                    job_customer=customer,
                    assigned_to=customer.advisor,
                    title=rng.choice(TASK_TITLES),
                    due_on=self.today + self._days(-8, 21) if rng.random() < 0.8 else None,
                    done_at=_aware(self.today - self._days(1, 20), 10, 0) if done else None,
                    created_by=customer.advisor,
                )
            )
        return rows


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


def delete_domain_data() -> None:
    """Delete every job customer, company and placement with everything hanging on them, and
    the demo staff. Raw deletes: at national scale Django's collector would load every row."""
    from varig.alerts.demo import demo_tables as issue6_demo_tables
    from varig.customers import models as customers

    employers_demo.delete_demo_data()
    for model in (
        *issue6_demo_tables(),
        FollowUp,
        TierChange,
        customers.Task,
        customers.ContactNote,
        customers.Consent,
        customers.Accommodation,
        customers.JobWishes,
        customers.ReadinessAssessment,
        customers.HealthInfo,
        customers.GoalReview,
        customers.GuidanceSession,
        customers.Goal,
        customers.Plan,
    ):
        qs = model.objects.all()
        qs._raw_delete(qs.db)
    for model in (Placement, JobCustomer, CompanyNote, CompanyContact, Company):
        qs = model.objects.all()
        qs._raw_delete(qs.db)
    User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()

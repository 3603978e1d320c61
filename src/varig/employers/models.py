import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    """A company in the network: what it can offer and what it is good at."""

    ref = models.CharField(_("reference"), max_length=40, unique=True)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    offered_jobs = models.TextField(_("tasks and jobs it can offer"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employer consultant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="companies",
        help_text=_("The person at the organisation the company calls first."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cvr"], condition=~Q(cvr=""), name="employers_company_cvr_unique"
            ),
        ]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["postcode"])]

    def __str__(self):
        return self.name


class CompanyContactQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=day)).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=day)
        )

    def not_left_on(self, day: datetime.date):
        """Still at the company on D or later: active now or starting later."""
        return self.filter(Q(active_until__isnull=True) | Q(active_until__gte=day))

    def left_before(self, day: datetime.date):
        """Former contacts: their last day was before D."""
        return self.filter(active_until__lt=day)


class CompanyContact(models.Model):
    """A person at the company: contact, mentor or nearest leader."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_mentor = models.BooleanField(_("mentor or nearest leader"), default=False)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CompanyContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="employers_contact_active_order",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.active_from is None or self.active_from <= today) and (
            self.active_until is None or self.active_until >= today
        )


class CompanyNote(models.Model):
    """A note about the company itself (not about a person)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="company_notes")
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("company note")
        verbose_name_plural = _("company notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:40]


class Offer(models.TextChoices):
    """What a company should be told about: the offers that keep a placement going.

    The report found that newer companies do not know them; the company page shows the gaps.
    """

    FOLLOWUP_STANDARD = "followup_standard", _("The follow-up standard")
    OPEN_DOOR = "open_door", _("The open door")
    PAPERWORK = "paperwork", _("Help with contracts and paperwork")
    MUNICIPALITY = (
        "municipality",
        _("Help with the municipality's registration of praktik and skånejob"),
    )
    ACTIVITIES = "activities", _("Network and sports activities for the employee")
    COURSES = "courses", _("Courses for the employee")
    RECEIVING_COURSE = "receiving_course", _("The short course on receiving a job customer")
    ANNIVERSARIES = "anniversaries", _("Anniversaries")


class OnboardingItem(models.Model):
    """One offer the company has been told about: when, by whom and how."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="onboarding")
    offer = models.CharField(_("offer"), max_length=30, choices=Offer.choices)
    told_on = models.DateField(_("told on"))
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("told by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("how"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("onboarding item")
        verbose_name_plural = _("onboarding items")
        ordering = ["company", "offer"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "offer"], name="employers_onboarding_one_per_offer"
            ),
        ]

    def __str__(self):
        return f"{self.company}: {self.get_offer_display()}"


class SupportRequestQuerySet(models.QuerySet):
    def open(self):
        """Not closed yet (answered or not)."""
        return self.filter(closed_at__isnull=True)

    def unanswered(self):
        return self.filter(first_response_at__isnull=True, closed_at__isnull=True)


class SupportRequest(models.Model):
    """A company or a job customer asked for help (the open door): how they asked, how urgent
    it was, who answered first and when, and when it was settled.

    The open-door measure is the median time from `received_at` to `first_response_at`.
    The text may touch on a person's health: it is never put in a document for a company and
    is masked in the change log.
    """

    class Source(models.TextChoices):
        COMPANY = "company", _("A company")
        JOB_CUSTOMER = "job_customer", _("A job customer")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")
        IN_PERSON = "in_person", _("In person")
        OTHER = "other", _("Other")

    class Urgency(models.TextChoices):
        URGENT = "urgent", _("Urgent: today")
        NORMAL = "normal", _("Within a few days")
        LOW = "low", _("When there is time")

    source = models.CharField(_("from"), max_length=20, choices=Source.choices)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    contact = models.ForeignKey(
        CompanyContact,
        verbose_name=_("who asked"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    subject = models.CharField(_("what it is about"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    received_at = models.DateTimeField(_("received"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    first_response_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    first_response_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("settled"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("how it was settled"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="company") & Q(company__isnull=False))
                | (Q(source="job_customer") & Q(job_customer__isnull=False)),
                name="employers_support_source_has_its_party",
            ),
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True)
                | Q(first_response_at__gte=models.F("received_at")),
                name="employers_support_answered_after_received",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("received_at")),
                name="employers_support_closed_after_received",
            ),
        ]
        indexes = [
            models.Index(fields=["responsible", "closed_at"]),
            models.Index(fields=["company", "closed_at"]),
            models.Index(fields=["received_at"]),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_answered(self) -> bool:
        return self.first_response_at is not None

    @property
    def response_time(self) -> datetime.timedelta | None:
        if self.first_response_at is None:
            return None
        return self.first_response_at - self.received_at


class CompanyMatchStats(models.Model):
    """What matching reads of a company, one row per company: its words in lower case, the
    area of its postcode, and its placement history and own points as of `computed_on`.

    Ranking 20,000 companies cannot afford to aggregate 300,000 placements (nor lower-case
    every company's text) on every request: `matching.match_stats_refresh` computes every row
    once a day (a daily job, and whenever the rows are older than today), and the company
    services keep a company's words up to date when it is created or changed."""

    company = models.OneToOneField(
        Company, primary_key=True, on_delete=models.CASCADE, related_name="match_stats"
    )
    industry_lower = models.CharField(max_length=120, blank=True)
    # The tasks it offers and its industry, in lower case (wished-job stems are looked up here).
    words = models.TextField(blank=True)
    # The first two digits of the postcode ("" when unknown).
    area = models.CharField(max_length=2, blank=True)
    current = models.PositiveIntegerField(default=0)
    past = models.PositiveIntegerField(default=0)
    past_days = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    # The company's own points (history and load, `matching.company_parts`).
    points = models.IntegerField(default=0)
    computed_on = models.DateField()

    class Meta:
        verbose_name = _("company matching profile")
        verbose_name_plural = _("company matching profiles")

    def __str__(self):
        return f"{self.company_id}: {self.current}/{self.past}"

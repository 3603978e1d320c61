"""Admin-help tasks (myndighedshjælp): the paperwork and the calls to the authorities a job
customer gets help with once they work, each with the checklist of its kind.

The checklist of a kind lives in code (`checklists.py`) and is copied into `ChecklistItem`
rows when a task is created, with the checklist's version on the task: a changed checklist
never rewrites the steps of a task already under way.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from varig.customers.models import JobCustomer

# The status words are common ("Open", "Done"): a context of their own keeps this app's Danish
# apart from other apps' catalogues, which Django merges into one.


class TaskKind(models.TextChoices):
    PENSION_FUND = "pension_fund", _("Contact with the pension fund")
    UDBETALING_DANMARK = "udbetaling_danmark", _("Contact with Udbetaling Danmark")
    PENSION_SUSPENSION = (
        "pension_suspension",
        _("The municipality: suspended or withdrawn førtidspension"),
    )
    HOUSING_BENEFIT = "housing_benefit", _("Housing benefit: report the new income")
    TAX = "tax", _("Tax: update the preliminary income assessment")
    FLEKSJOB = "fleksjob", _("The process towards fleksjob")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("admin-help task", "Open")
    WAITING = "waiting", pgettext_lazy("admin-help task", "Waiting for the authority")
    DONE = "done", pgettext_lazy("admin-help task", "Done")
    CANCELLED = "cancelled", pgettext_lazy("admin-help task", "Cancelled")


OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.WAITING)
STATUS_TONES = {
    TaskStatus.OPEN: "warn",
    TaskStatus.WAITING: "muted",
    TaskStatus.DONE: "ok",
    TaskStatus.CANCELLED: "muted",
}


class AdminTaskQuerySet(models.QuerySet):
    def still_open(self):
        """Open or waiting for the authority: not done and not cancelled."""
        return self.filter(status__in=OPEN_STATUSES)

    def due_on_or_before(self, day):
        return self.still_open().filter(due_on__lte=day)


class AdminTask(models.Model):
    """Help with one matter at an authority (or the pension fund) for one job customer."""

    job_customer = models.ForeignKey(
        JobCustomer,
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        related_name="admin_tasks",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=TaskKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    due_on = models.DateField(_("due date"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible advisor"),
        on_delete=models.PROTECT,
        related_name="admin_tasks",
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_(
            "What was agreed, with whom at the authority, case numbers. Never a diagnosis."
        ),
    )
    checklist_version = models.PositiveIntegerField(_("checklist version"), editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdminTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("admin-help task")
        verbose_name_plural = _("admin-help tasks")
        ordering = ["due_on", "pk"]
        indexes = [
            # "I dag": a responsible advisor's open tasks by due date.
            models.Index(fields=["responsible", "status", "due_on"], name="adminhelp_resp_due"),
            models.Index(fields=["status", "due_on"], name="adminhelp_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=TaskKind.values), name="adminhelp_task_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=TaskStatus.values),
                name="adminhelp_task_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.job_customer}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "muted")


class ChecklistItem(models.Model):
    """One step of a task's checklist, copied from the kind's checklist when the task was made.

    `text` holds the step's source text (English, as in `checklists.py`); it is shown through
    the catalogue, so it reads in the user's language while the catalogue still has it."""

    task = models.ForeignKey(
        AdminTask, verbose_name=_("admin-help task"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.CharField(_("key"), max_length=40)
    text = models.CharField(_("step"), max_length=400)
    done_at = models.DateTimeField(_("ticked"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ticked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["task", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "position"], name="adminhelp_item_position"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.text)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

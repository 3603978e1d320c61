from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles; each is a Group of the same name with its permissions."""

    ADVISOR = "vejleder", _("Advisor")
    CONSULTANT = "virksomhedskonsulent", _("Employer consultant")
    MANAGER = "leder", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator")


class UserQuerySet(models.QuerySet):
    def with_role(self, role: str):
        return self.filter(groups__name=role, is_active=True).distinct()

    def advisors(self):
        return self.with_role(Role.ADVISOR).order_by("name")


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


def role_labels(names) -> list[str]:
    """The labels of the roles named `names`, in the roles' own order."""
    names = set(names)
    return [Role(r).label for r in Role.values if r in names]


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Logs in with e-mail and password; roles are groups."""

    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=5, choices=[("da", "Dansk"), ("en", "English")], default="da"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="core_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def role_names(self) -> set[str]:
        # Cached per instance: templates and access checks ask many times per request.
        if not hasattr(self, "_role_names"):
            self._role_names = {g.name for g in self.groups.all()} if self.pk else set()
        return self._role_names

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.role_names.intersection(roles))

    @property
    def is_advisor(self) -> bool:
        return Role.ADVISOR in self.role_names

    @property
    def is_manager(self) -> bool:
        return self.has_role(Role.MANAGER, Role.ADMINISTRATOR)

    @property
    def is_administrator(self) -> bool:
        return self.has_role(Role.ADMINISTRATOR)

    @property
    def sees_all(self) -> bool:
        """Managers and administrators see every caseload."""
        return self.is_manager

    def role_labels(self) -> list[str]:
        return role_labels(self.role_names)

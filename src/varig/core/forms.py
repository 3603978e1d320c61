from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Role, User
from .services import CANNOT_DEACTIVATE_SELF, CANNOT_REMOVE_OWN_ADMIN, ROLE_REQUIRED

LANGUAGE_CHOICES = [("da", "Dansk"), ("en", "English")]


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with e-mail (case-insensitive) and password."""

    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _("The e-mail address or the password is wrong."),
        "inactive": _("This account is not active."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class OTPCodeForm(forms.Form):
    """The second factor: a code from the authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )


def version_field() -> forms.IntegerField:
    """The hidden field with the version of the record a form was shown with (every edit form
    carries one, so the service can refuse a save over a newer version)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def versioned_kwargs(cleaned_data: dict) -> dict:
    """A versioned form's cleaned data as a service's keywords: `version` is `expected_version`."""
    data = dict(cleaned_data)
    data["expected_version"] = data.pop("version", None)
    return data


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the record's version, so a stale save can be refused."""

    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # 0: the record did not exist yet when the form was shown (a plan's first save).
            self.initial["version"] = self.instance.version if self.instance.pk else 0


class _OnceModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Iterates the field's queryset itself (its result cache) instead of `.iterator()`, so a
    widget that walks its choices twice still asks the database once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class OnceModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose choices cost one query however often the page renders them."""

    iterator = _OnceModelChoiceIterator


class DateInput(forms.DateInput):
    """A text date field shown as dd-mm-åååå in Danish (ISO is accepted too)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("dd-mm-yyyy"), "inputmode": "numeric", **(attrs or {})}
        )


class UserForm(forms.Form):
    """Create or change a user: name, e-mail, roles, language and (optionally) a password.

    Uniqueness of the e-mail, the password rules and the self-demotion rule are checked by the
    services (`user_create`, `user_update`); their errors come back beside the fields.
    """

    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ROLE_REQUIRED},
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="da")
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=_("At least 10 characters; not too common and not only digits."),
    )
    is_active = forms.BooleanField(label=_("Active (may log in)"), required=False, initial=True)
    version = version_field()

    def __init__(self, *args, instance: User | None = None, actor: User | None = None, **kwargs):
        self.instance = instance
        self.actor = actor
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "email": instance.email,
                    "roles": sorted(instance.role_names),
                    "language": instance.language,
                    "is_active": instance.is_active,
                    "version": instance.version,
                },
            )
        super().__init__(*args, **kwargs)
        if instance is None:
            del self.fields["is_active"]
        else:
            password = self.fields["password"]
            password.required = False
            password.label = _("New password")
            password.help_text = _("Leave empty to keep the current password.")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        # The service refuses self-demotion too; checking here shows it with the other errors.
        data = super().clean()
        editing_self = self.instance is not None and self.actor is not None
        if editing_self and self.instance.pk == self.actor.pk:
            roles = data.get("roles")
            is_admin = self.instance.has_role(Role.ADMINISTRATOR)
            if roles and is_admin and Role.ADMINISTRATOR not in roles:
                self.add_error("roles", CANNOT_REMOVE_OWN_ADMIN)
            if "is_active" in self.fields and not data.get("is_active"):
                self.add_error("is_active", CANNOT_DEACTIVATE_SELF)
        return data


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.error_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, exc)

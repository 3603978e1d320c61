from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from varig.alerts.sections import today_section as alerts_today_section

from . import selectors, services, twofactor
from .forms import EmailAuthenticationForm, OTPCodeForm, UserForm, add_service_errors
from .inputs import query_text
from .middleware import mark_activity
from .models import User
from .permissions import administrator_required, staff_required
from .sections import TODAY, sections_for


@require_POST
def set_language(request):
    """Store the user's language choice and go back where they came from."""
    language = request.POST.get("language")
    if language in {"da", "en"}:
        services.user_set_language(user=request.user, language=language)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return HttpResponseRedirect(next_url)


@staff_required
def today(request):
    """What to do today: an advisor's own work; a manager's across all advisors, filterable."""
    user = request.user
    advisors = None
    selected = None
    if user.sees_all:
        advisors = list(selectors.advisor_choices())
        wanted = request.GET.get("advisor", "")
        selected = next((a for a in advisors if str(a.pk) == wanted), None)
        advisor = selected
    else:
        advisor = user
    overview = selectors.today_overview(on=timezone.localdate(), advisor=advisor)
    context = {
        "alerts_today": alerts_today_section(on=overview.day, advisor=advisor),
        "sections": sections_for(TODAY, user=user, advisor=advisor, day=overview.day),
        "nav_section": "today",
        "overview": overview,
        "advisors": advisors,
        "selected_advisor": selected,
        "show_advisor": user.sees_all and selected is None,
    }
    template = "core/today.html#today-work" if request.htmx else "core/today.html"
    return render(request, template, context)


@administrator_required
def user_list(request):
    """Every user with their roles, active flag and last login; paginated, searchable."""
    search = query_text(request.GET.get("q"))
    paginator = Paginator(selectors.user_list(search=search), settings.VARIG_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"nav_section": "users", "page_obj": page, "search": search}
    template = "core/user_list.html#user-table" if request.htmx else "core/user_list.html"
    return render(request, template, context)


@administrator_required
def user_create(request):
    """Create a user with roles, language and an initial password."""
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                name=data["name"],
                email=data["email"],
                roles=data["roles"],
                password=data["password"],
                language=data["language"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": user.name})
            return redirect("core:user_list")
    status = 400 if form.is_bound else 200
    context = {"nav_section": "users", "form": form, "edited": None}
    return render(request, "core/user_form.html", context, status=status)


@administrator_required
def user_edit(request, pk):
    """Change a user; deactivate them; set a new password. Self-demotion is refused."""
    edited = get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
    form = UserForm(request.POST or None, instance=edited, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                user=edited,
                actor=request.user,
                name=data["name"],
                email=data["email"],
                roles=data["roles"],
                language=data["language"],
                is_active=data["is_active"],
                password=data["password"] or None,
                expected_version=data.get("version"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": edited.name})
            return redirect("core:user_list")
    status = 400 if form.is_bound else 200
    context = {
        "nav_section": "users",
        "form": form,
        "edited": edited,
        "two_factor": twofactor.status(edited),
        "locked_out": twofactor.locked_out(edited),
    }
    return render(request, "core/user_form.html", context, status=status)


# --- Logging in: the second factor (issue 7) ------------------------------------------------


def _next_url(request) -> str:
    """Where to go after the second factor: a safe `next`, else "I dag"."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    """E-mail and password; then straight on to the code (or, the first time, to setting up
    the authenticator app), keeping where the user was going."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self):
        user = self.request.user
        next_url = self.get_redirect_url() or resolve_url(settings.LOGIN_REDIRECT_URL)
        # Right after the password request.user is the plain user: never verified yet.
        verified = getattr(user, "is_verified", lambda: False)()
        if user.is_authenticated and not verified:
            step = "core:otp_verify" if user_has_device(user) else "core:otp_setup"
            return _with_next(step, next_url)
        return next_url

    def form_valid(self, form):
        response = super().form_valid(form)
        mark_activity(self.request)
        return response


def otp_verify(request):
    """The second step of logging in: a code from the app, or one of the backup codes."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not user_has_device(user):
        return redirect(_with_next("core:otp_setup", next_url))
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        throttled = twofactor.is_throttled(user=user, code=code)
        device = None if throttled else twofactor.verify_code(user=user, code=code)
        if device is not None:
            twofactor.complete_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a backup code. You have %(count)d left.",
                        "You used a backup code. You have %(count)d left.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        form.add_error("code", twofactor.THROTTLED if throttled else twofactor.WRONG_CODE)
    status = 400 if form.is_bound else 200
    context = {"form": form, "next": next_url}
    return render(request, "registration/otp_verify.html", context, status=status)


def otp_setup(request):
    """Set up the authenticator app: scan the QR code (or type the secret), give a code.

    On the first login (no app yet) and for a verified user who replaces their app; a user who
    has an app but has not given a code this session must give one first.
    """
    user = request.user
    next_url = _next_url(request)
    first_time = not user.is_verified()
    if first_time and user_has_device(user):
        return redirect(_with_next("core:otp_verify", next_url))
    device = twofactor.pending_app(user=user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm_app(user=user, device=device, code=form.cleaned_data["code"]):
            device.refresh_from_db()
            twofactor.complete_login(request, device)
            if first_time or not twofactor.status(user)["backup_codes_left"]:
                request.session[twofactor.NEW_BACKUP_CODES_SESSION_KEY] = (
                    twofactor.backup_codes_new(user=user)
                )
                return redirect(_with_next("core:otp_settings", next_url))
            messages.success(request, _("Your new authenticator app is set up."))
            return redirect("core:otp_settings")
        form.add_error("code", twofactor.WRONG_CODE)
    status = 400 if form.is_bound else 200
    context = {
        "form": form,
        "next": next_url,
        "first_time": first_time,
        "qr_data_uri": twofactor.qr_data_uri(device),
        "secret": twofactor.secret_for_display(device),
    }
    return render(request, "registration/otp_setup.html", context, status=status)


@staff_required
def otp_settings(request):
    """The user's two-factor login: the app, the backup codes left, new backup codes (shown
    once, right after they are made)."""
    user = request.user
    if request.method == "POST":
        request.session[twofactor.NEW_BACKUP_CODES_SESSION_KEY] = twofactor.backup_codes_new(
            user=user
        )
        return redirect("core:otp_settings")
    new_codes = request.session.pop(twofactor.NEW_BACKUP_CODES_SESSION_KEY, None)
    context = {
        "status": twofactor.status(user),
        "new_codes": new_codes,
        "next": _next_url(request) if request.GET.get("next") else None,
    }
    return render(request, "registration/otp_settings.html", context)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login after too many wrong passwords (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"lockout_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


@require_POST
@administrator_required
def user_otp_reset(request, pk):
    """An administrator removes a user's app and backup codes: they set it up again at their
    next login (a lost phone)."""
    edited = get_object_or_404(User, pk=pk)
    twofactor.reset(user=edited)
    messages.success(
        request,
        _("Two-factor login for %(name)s was reset. They set it up again at their next login.")
        % {"name": edited.name},
    )
    return redirect("core:user_edit", pk=edited.pk)


@require_POST
@administrator_required
def user_unlock(request, pk):
    """An administrator lifts a lockout after too many wrong passwords."""
    edited = get_object_or_404(User, pk=pk)
    axes_reset(username=edited.email)
    messages.success(request, _("%(name)s may log in again.") % {"name": edited.name})
    return redirect("core:user_edit", pk=edited.pk)

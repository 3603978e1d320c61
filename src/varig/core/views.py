from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varig.alerts.sections import today_section as alerts_today_section

from . import selectors, services
from .forms import UserForm, add_service_errors
from .models import User
from .permissions import administrator_required, staff_required
from .sections import TODAY, sections_for


@require_POST
def set_language(request):
    """Store the user's language choice and go back where they came from."""
    language = request.POST.get("language")
    if language in {"da", "en"} and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
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
    search = request.GET.get("q", "").strip()
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
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": edited.name})
            return redirect("core:user_list")
    status = 400 if form.is_bound else 200
    context = {"nav_section": "users", "form": form, "edited": edited}
    return render(request, "core/user_form.html", context, status=status)

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .permissions import administrator_required, staff_required


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
    return render(request, "core/today.html", {"nav_section": "today"})


@administrator_required
def user_list(request):
    return render(request, "core/user_list.html", {"nav_section": "users"})


@administrator_required
def user_create(request):
    return render(request, "core/user_form.html", {"nav_section": "users"})


@administrator_required
def user_edit(request, pk):
    return render(request, "core/user_form.html", {"nav_section": "users"})

"""Sharing a job customer with a colleague: two small posts from the shares card of the
job-customer page. An htmx post gets the card back; a plain post is redirected to the page (or
gets the whole page with the errors, status 400)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from varig.core.forms import add_service_errors
from varig.core.permissions import staff_required

from .forms import ShareForm
from .models import CaseloadShare
from .selectors import can_share_job_customer, job_customer_get_for_user
from .sharing import share_candidates, share_create, share_end, shares_card

INVALID = 400


def _card(request, job_customer, *, form=None, saved: str = ""):
    context = {
        "jc": job_customer,
        "shares": shares_card(user=request.user, job_customer=job_customer),
        # The form is fetched when the card's <details> is opened (views.FORM_CARDS).
        "share_form": form,
        "open_form": "share_form" if form is not None else None,
        "shares_saved": saved,
    }
    return render(request, "customers/_shares.html", context)


def _done(request, job_customer, message: str):
    if request.htmx:
        return _card(request, job_customer, saved=message)
    messages.success(request, message)
    return redirect(reverse("customers:detail", args=[job_customer.pk]) + "#shares")


@require_POST
@staff_required
def share_add_view(request, pk: int):
    """Share the person with a colleague (responsible advisor, managers, administrators)."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk, audit=False)
    if not can_share_job_customer(user=request.user, job_customer=job_customer):
        raise PermissionDenied
    form = ShareForm(request.POST, candidates=share_candidates(job_customer=job_customer))
    if form.is_valid():
        try:
            share = share_create(actor=request.user, job_customer=job_customer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(
                request, job_customer, _("Shared with %(name)s.") % {"name": share.user.name}
            )
    if request.htmx:
        return _card(request, job_customer, form=form)  # htmx swaps only 2xx answers
    from .views import _render_detail

    return _render_detail(
        request, pk, forms={"share_form": form, "open_form": "share_form"}, status=INVALID
    )


@require_POST
@staff_required
def share_end_view(request, pk: int, share_pk: int):
    """End a share now: the colleague no longer sees the person."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk, audit=False)
    share = get_object_or_404(
        CaseloadShare.objects.select_related("user"), pk=share_pk, job_customer=job_customer
    )
    try:
        share_end(actor=request.user, share=share)
    except ValidationError as exc:
        message = " ".join(exc.messages)
    else:
        message = _("%(name)s no longer sees this person.") % {"name": share.user.name}
    if share.user_id == request.user.pk and not request.user.sees_all:
        # Handed back: the page is no longer theirs to see.
        messages.success(request, message)
        if request.htmx:
            return HttpResponseClientRedirect(reverse("customers:list"))
        return redirect("customers:list")
    return _done(request, job_customer, message)

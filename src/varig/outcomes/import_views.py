"""The interchange import for administrators: upload, then watch the progress and the outcome."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from varig.core.permissions import administrator_required

from .interchange.forms import ImportUploadForm
from .interchange.jobs import import_job_create, import_jobs_mark_stale
from .models import ImportJob

PROBLEMS_SHOWN = 500
FILE_LABELS = {
    "advisors": _("Advisors"),
    "job_customers": _("Job customers"),
    "companies": _("Companies"),
    "placements": _("Placements"),
}


@administrator_required
def import_start(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            job = import_job_create(user=request.user, files=files)
            return redirect("outcomes:import_detail", pk=job.pk)
        status = 400
    import_jobs_mark_stale()  # a job whose worker was killed must not show "running" forever
    jobs = ImportJob.objects.select_related("created_by")[:10]
    context = {"form": form, "jobs": jobs, "nav_section": "results"}
    return render(request, "outcomes/import_start.html", context, status=status)


@administrator_required
def import_detail(request, pk: int):
    import_jobs_mark_stale()
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    template = "outcomes/import_detail.html"
    if request.htmx:
        template += "#import-status"
    context = {
        "job": job,
        "problems": job.problems[:PROBLEMS_SHOWN],
        "problems_hidden": max(0, job.problem_count - PROBLEMS_SHOWN),
        "summary_rows": [
            (label, job.summary[stem]) for stem, label in FILE_LABELS.items() if stem in job.summary
        ],
        "nav_section": "results",
    }
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@administrator_required
def import_problems(request, pk: int):
    """All stored problems as plain text, one `file:line: column: message` per line."""
    job = get_object_or_404(ImportJob, pk=pk)
    text = "".join(
        f"{f}:{line}: {column}: {message}\n" for f, line, column, message in job.problems
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-problems.txt"'
    return response

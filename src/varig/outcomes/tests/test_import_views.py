"""The import page for administrators: upload, the same problem list, progress by htmx."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from varig.customers.models import JobCustomer
from varig.outcomes.interchange.jobs import import_job_create, import_job_execute
from varig.outcomes.models import ImportFile, ImportJob

pytestmark = pytest.mark.django_db

START = reverse("outcomes:import_start")
CUSTOMERS = b"ref,last_name,associated_from\nJK-1,Andersen,2020-01-01\nJK-2,Bech,2020-01-01\n"
COMPANIES = b"ref,name\nV-1,Firma\n"
PLACEMENTS = (
    b"ref,job_customer_ref,company_ref,kind,started_on\nPL-1,JK-1,V-1,skaanejob,2020-02-01\n"
)


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def upload(*files: tuple[str, bytes]) -> dict:
    return {"files": [SimpleUploadedFile(name, data) for name, data in files]}


def test_anonymous_redirected_to_login(client):
    response = client.get(START)
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


@pytest.mark.parametrize("who", ["advisor_client", "manager_client", "consultant_client"])
def test_others_forbidden(request, who):
    client = request.getfixturevalue(who)
    assert client.get(START).status_code == 403
    assert client.post(START, upload(("job_customers.csv", CUSTOMERS))).status_code == 403
    job = ImportJob.objects.create(source=ImportJob.Source.UPLOAD)
    assert client.get(reverse("outcomes:import_detail", args=[job.pk])).status_code == 403


def test_start_page(administrator_client):
    response = administrator_client.get(START)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html


def test_upload_of_csv_files_imports_them(
    administrator_client, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            START,
            upload(
                ("job_customers.csv", CUSTOMERS),
                ("companies.csv", COMPANIES),
                ("placements.csv", PLACEMENTS),
            ),
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.created_by == administrator
    assert job.summary["job_customers"]["created"] == 2
    assert JobCustomer.objects.count() == 2
    assert not ImportFile.objects.exists()  # the upload is not kept
    page = administrator_client.get(response["Location"])
    assert "Everything was imported." in page.content.decode() or "Alt blev importeret." in (
        page.content.decode()
    )
    assert "hx-trigger" not in page.content.decode()


def test_upload_of_a_workbook(administrator_client, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "job_customers"
    sheet.append(["ref", "last_name", "associated_from"])
    sheet.append(["JK-7", "Jensen", "15-03-2019"])
    data = io.BytesIO()
    workbook.save(data)
    with django_capture_on_commit_callbacks(execute=True):
        administrator_client.post(START, upload(("historik.xlsx", data.getvalue())))
    assert JobCustomer.objects.get(ref="JK-7").last_name == "Jensen"


def test_problems_shown_and_nothing_imported(
    administrator_client, django_capture_on_commit_callbacks
):
    bad = CUSTOMERS.replace(b"JK-2,Bech,2020-01-01", b"JK-2,Bech,2020-02-30")
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(START, upload(("job_customers.csv", bad)))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.problems == [
        ["job_customers.csv", 3, "associated_from", "“2020-02-30” er ikke en rigtig dato"]
    ]
    assert not JobCustomer.objects.exists()
    page = administrator_client.get(response["Location"]).content.decode()
    assert "job_customers.csv" in page and "associated_from" in page
    assert "“2020-02-30” er ikke en rigtig dato" in page
    text = administrator_client.get(reverse("outcomes:import_problems", args=[job.pk]))
    assert text.content.decode() == (
        "job_customers.csv:3: associated_from: “2020-02-30” er ikke en rigtig dato\n"
    )


def test_invalid_upload_rerenders_with_400(administrator_client):
    response = administrator_client.post(
        START, upload(("a.xlsx", b"x"), ("job_customers.csv", CUSTOMERS))
    )
    assert response.status_code == 400
    assert not ImportJob.objects.exists()
    response = administrator_client.post(START, {})
    assert response.status_code == 400


def test_progress_partial_polls_while_running(administrator_client, administrator):
    job = import_job_create(user=administrator, files=[("job_customers.csv", CUSTOMERS)])
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        phase=ImportJob.Phase.VALIDATING,
        rows_done=500,
        rows_total=2000,
    )
    url = reverse("outcomes:import_detail", args=[job.pk])
    response = administrator_client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="import-status"')
    assert "<html" not in html
    assert 'hx-trigger="every 1s"' in html
    assert '<progress id="import-progress-bar" max="100" value="25">' in html
    assert '<label for="import-progress-bar">' in html

    ImportJob.objects.filter(pk=job.pk).update(phase=ImportJob.Phase.WRITING)
    html = administrator_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Skriver…" in html or "Writing…" in html

    # The full page carries the same region.
    page = administrator_client.get(url).content.decode()
    assert "<html" in page and 'id="import-status"' in page


def test_progress_partial_stops_polling_when_done(administrator_client, administrator):
    job = import_job_create(user=administrator, files=[("job_customers.csv", CUSTOMERS)])
    import_job_execute(job.pk)
    html = administrator_client.get(
        reverse("outcomes:import_detail", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in html
    assert "<table>" in html


def test_job_runs_once(administrator):
    job = import_job_create(user=administrator, files=[("job_customers.csv", CUSTOMERS)])
    import_job_execute(job.pk)
    import_job_execute(job.pk)  # a second delivery of the task does nothing
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.summary["job_customers"]["created"] == 2

from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("ny/", views.company_create, name="create"),
    path("valgmuligheder/", views.company_options, name="company_options"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/rediger/", views.company_edit, name="edit"),
    path("<int:pk>/kontakter/ny/", views.contact_create, name="contact_create"),
    path("<int:pk>/noter/ny/", views.note_create, name="note_create"),
    path(
        "<int:pk>/introduktion/resten/",
        views.onboarding_record_gaps,
        name="onboarding_record_gaps",
    ),
    path("<int:pk>/introduktion/<str:offer>/", views.onboarding_record, name="onboarding_record"),
    path(
        "<int:pk>/introduktion/<str:offer>/fortryd/",
        views.onboarding_undo,
        name="onboarding_undo",
    ),
    path("<int:pk>/velkomstpakke.pdf", views.welcome_pack, name="welcome_pack"),
    # Contract drafts for a placement (the placement's pk).
    path("forloeb/<int:pk>/kontrakt/", views.contract, name="contract"),
    path("forloeb/<int:pk>/kontrakt.docx", views.contract_docx, name="contract_docx"),
    path("forloeb/<int:pk>/kontrakt.pdf", views.contract_pdf, name="contract_pdf"),
    path("forloeb/<int:pk>/skaanehensyn.pdf", views.guide, name="guide"),
    # Support requests (the open door).
    path("henvendelser/", views.support_list, name="support_list"),
    path("henvendelser/ny/", views.support_create, name="support_create"),
    path("henvendelser/aaben-doer/", views.open_door, name="open_door"),
    path("henvendelser/<int:pk>/", views.support_detail, name="support_detail"),
    path("henvendelser/<int:pk>/besvaret/", views.support_answer, name="support_answer"),
    path("henvendelser/<int:pk>/afsluttet/", views.support_close, name="support_close"),
    # Matching: suggestions only, never contact.
    path("forslag/jobkunde/<int:pk>/", views.match_person, name="match_person"),
    path("<int:pk>/forslag/", views.match_company, name="match_company"),
    path("kontakter/<int:pk>/rediger/", views.contact_edit, name="contact_edit"),
    path("kontakter/<int:pk>/fratraadt/", views.contact_end, name="contact_end"),
]

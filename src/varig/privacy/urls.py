from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("sletning/", views.erasure_list, name="erasure_list"),
    path("sletning/<int:pk>/godkend/", views.erasure_approve, name="erasure_approve"),
    path("sletning/<int:pk>/afvis/", views.erasure_reject, name="erasure_reject"),
    path("<int:pk>/", views.person, name="person"),
    path("<int:pk>/udtraek.json", views.export_json, name="export_json"),
    path("<int:pk>/udtraek.pdf", views.export_pdf, name="export_pdf"),
    path("<int:pk>/sletning/", views.erasure_request, name="erasure_request"),
]

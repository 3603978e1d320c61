from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.flag_list_view, name="list"),
    path("<int:pk>/loes/", views.flag_resolve_view, name="resolve"),
    path("jobkunde/<int:pk>/", views.person_section_view, name="person_section"),
    path("jobkunde/<int:pk>/perioder/", views.period_add_view, name="period_add"),
    path("perioder/<int:pk>/afslut/", views.period_end_view, name="period_end"),
]

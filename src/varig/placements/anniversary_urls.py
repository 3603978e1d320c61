from django.urls import path

from . import anniversary_views as views

app_name = "anniversaries"

urlpatterns = [
    path("", views.anniversary_list, name="list"),
    path(
        "fejring/<int:job_customer>/<int:company>/<int:years>/",
        views.celebration_edit,
        name="celebration",
    ),
]

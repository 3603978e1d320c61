from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    path("ny/", views.activity_create_view, name="activity_create"),
    path("<int:pk>/", views.activity_detail_view, name="activity_detail"),
    path("<int:pk>/rediger/", views.activity_edit_view, name="activity_edit"),
    path("<int:pk>/hold/nyt/", views.run_create_view, name="run_create"),
    path("hold/<int:pk>/", views.run_detail_view, name="run_detail"),
    path("hold/<int:pk>/rediger/", views.run_edit_view, name="run_edit"),
    path("hold/<int:pk>/tilmeld/", views.enroll_view, name="enroll"),
    path("hold/<int:pk>/moedegange/ny/", views.session_create_view, name="session_create"),
    path("moedegange/<int:pk>/rediger/", views.session_edit_view, name="session_edit"),
    path("moedegange/<int:pk>/fremmoede/", views.attendance_view, name="attendance"),
    path("tilmeldinger/<int:pk>/afmeld/", views.enrollment_cancel_view, name="enrollment_cancel"),
    path(
        "tilmeldinger/<int:pk>/gennemfoert/",
        views.enrollment_complete_view,
        name="enrollment_complete",
    ),
    path("jobkunde/<int:pk>/tilmeld/", views.person_enroll_view, name="person_enroll"),
]

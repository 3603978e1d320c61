from django.urls import path

from . import calendar_views, group_views, people_views, views

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
    path("hold/<int:pk>/kalender.ics", calendar_views.run_ics_view, name="run_ics"),
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
    path("jobkunde/<int:pk>/", people_views.person_section_view, name="person_section"),
    path("jobkunde/<int:pk>/anbefal/", people_views.recommend_view, name="recommend"),
    path(
        "jobkunde/<int:pk>/opkvalificering/ny/",
        people_views.upskilling_create_view,
        name="upskilling_create",
    ),
    path(
        "opkvalificering/<int:pk>/rediger/",
        people_views.upskilling_edit_view,
        name="upskilling_edit",
    ),
    path(
        "opkvalificering/<int:pk>/bevis/",
        people_views.upskilling_certificate_view,
        name="upskilling_certificate",
    ),
    path("grupper/", group_views.group_list_view, name="group_list"),
    path("grupper/ny/", group_views.group_create_view, name="group_create"),
    path("grupper/<int:pk>/", group_views.group_detail_view, name="group_detail"),
    path("grupper/<int:pk>/rediger/", group_views.group_edit_view, name="group_edit"),
    path("grupper/<int:pk>/medlemmer/", group_views.member_add_view, name="member_add"),
    path("grupper/medlemmer/<int:pk>/stop/", group_views.member_end_view, name="member_end"),
    path("grupper/<int:pk>/moeder/ny/", group_views.meeting_create_view, name="meeting_create"),
    path("deltagelse/", calendar_views.report_view, name="report"),
    path("deltagelse.csv", calendar_views.report_csv_view, name="report_csv"),
    path("kalender/", calendar_views.calendar_view, name="calendar"),
    path("kalender/ny/", calendar_views.calendar_create_view, name="calendar_create"),
    path("kalender/tilbagekald/", calendar_views.calendar_revoke_view, name="calendar_revoke"),
    path("kalender/<str:token>.ics", calendar_views.calendar_feed_view, name="calendar_feed"),
]

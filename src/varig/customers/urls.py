from django.urls import path

from . import sharing_views, views

app_name = "customers"

urlpatterns = [
    path("", views.job_customer_list_view, name="list"),
    path("ny/", views.job_customer_create_view, name="create"),
    path("<int:pk>/", views.job_customer_detail_view, name="detail"),
    path("<int:pk>/rediger/", views.job_customer_edit_view, name="edit"),
    path("<int:pk>/parathed/", views.readiness_add_view, name="readiness_add"),
    path("<int:pk>/jobonsker/", views.job_wishes_edit_view, name="job_wishes_edit"),
    path("<int:pk>/skaanehensyn/", views.accommodation_add_view, name="accommodation_add"),
    path("<int:pk>/samtykker/", views.consent_add_view, name="consent_add"),
    path(
        "<int:pk>/samtykker/<int:consent_pk>/tilbagekald/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("<int:pk>/helbred/", views.health_edit_view, name="health_edit"),
    path("<int:pk>/noter/", views.note_add_view, name="note_add"),
    path("<int:pk>/opgaver/", views.task_add_view, name="task_add"),
    path("<int:pk>/opgaver/<int:task_pk>/udfoert/", views.task_done_view, name="task_done"),
    path("<int:pk>/plan/", views.plan_view, name="plan"),
    path("<int:pk>/plan/maal/ny/", views.goal_create_view, name="goal_create"),
    path("<int:pk>/plan/maal/<int:goal_pk>/", views.goal_edit_view, name="goal_edit"),
    path("<int:pk>/vejledning/", views.guidance_list_view, name="guidance_list"),
    path("<int:pk>/vejledning/ny/", views.guidance_create_view, name="guidance_create"),
    path("<int:pk>/deling/", sharing_views.share_add_view, name="share_add"),
    path("<int:pk>/deling/<int:share_pk>/ophoer/", sharing_views.share_end_view, name="share_end"),
]

from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    path("ny/", views.placement_create, name="create"),
    path("kontaktpersoner/", views.contact_options, name="contact_options"),
    path("<int:pk>/", views.placement_detail_view, name="detail"),
    path("<int:pk>/ret/", views.placement_edit, name="edit"),
    path("<int:pk>/afslut/", views.placement_end, name="end"),
    path("<int:pk>/ansaettelse/", views.praktik_convert, name="convert"),
    path("<int:pk>/niveau/", views.placement_tier, name="tier"),
    path("opfoelgning/<int:pk>/", views.followup_record, name="followup_record"),
    path("opfoelgning/<int:pk>/aflys/", views.followup_cancel, name="followup_cancel"),
]

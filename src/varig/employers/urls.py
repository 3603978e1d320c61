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
    path("kontakter/<int:pk>/rediger/", views.contact_edit, name="contact_edit"),
    path("kontakter/<int:pk>/fratraadt/", views.contact_end, name="contact_end"),
]

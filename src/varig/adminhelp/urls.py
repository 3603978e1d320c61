from django.urls import path

from . import views

app_name = "adminhelp"

urlpatterns = [
    path("jobkunde/<int:pk>/", views.person_tasks_view, name="person_tasks"),
    path("jobkunde/<int:pk>/kort/", views.person_section_view, name="person_section"),
    path("jobkunde/<int:pk>/ny/", views.task_create_view, name="create"),
    path("<int:pk>/", views.task_detail_view, name="detail"),
    path("<int:pk>/rediger/", views.task_edit_view, name="edit"),
    path("<int:pk>/status/", views.task_status_view, name="status"),
    path("punkt/<int:pk>/", views.item_set_view, name="item"),
]

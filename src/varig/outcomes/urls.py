from django.urls import path

from . import import_urls, views

app_name = "outcomes"

# The results pages (views.py) and the import pages (import_views.py) share this namespace.
urlpatterns = [
    path("", views.results_view, name="results"),
    path("download/", views.results_download_view, name="results_download"),
    *import_urls.urlpatterns,
]

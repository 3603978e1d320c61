from . import import_urls

app_name = "outcomes"

# The results pages (views.py) and the import pages (import_views.py) share this namespace.
urlpatterns = [
    *import_urls.urlpatterns,
]

from django.urls import path

from . import import_views

# Included by urls.py under the "outcomes" namespace, mounted at resultater/.
urlpatterns = [
    path("import/", import_views.import_start, name="import_start"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/problemer.txt", import_views.import_problems, name="import_problems"),
]

"""The app's URLs with the benchmark's floor, as a VARIG_BENCH server has them."""

from django.urls import include, path

from varig.urls import urlpatterns as app_urlpatterns

urlpatterns = [*app_urlpatterns, path("bench/", include("varig.bench.urls"))]

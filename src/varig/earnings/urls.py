from django.urls import path

from . import views

app_name = "earnings"

urlpatterns = [
    path("beregner/", views.calculator_view, name="calculator"),
    path("saadan-har-vi-regnet/", views.methodology_view, name="methodology"),
    path("satser/", views.rates_view, name="rates"),
    path("satser/ny/", views.rate_add_view, name="rate_add"),
    path("satser/<int:pk>/", views.rate_detail_view, name="rate_detail"),
    path("satser/<int:pk>/ret/", views.rate_correct_view, name="rate_correct"),
    path("satser/<int:pk>/fjern/", views.rate_remove_view, name="rate_remove"),
]

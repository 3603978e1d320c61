from django.urls import path

from . import person_views, views

app_name = "earnings"

urlpatterns = [
    path("beregner/", views.calculator_view, name="calculator"),
    path("saadan-har-vi-regnet/", views.methodology_view, name="methodology"),
    path("satser/", views.rates_view, name="rates"),
    path("satser/ny/", views.rate_add_view, name="rate_add"),
    path("satser/<int:pk>/", views.rate_detail_view, name="rate_detail"),
    path("satser/<int:pk>/ret/", views.rate_correct_view, name="rate_correct"),
    path("satser/<int:pk>/fjern/", views.rate_remove_view, name="rate_remove"),
    # On a job customer's record.
    path("jobkunde/<int:pk>/", person_views.person_view, name="person"),
    path(
        "jobkunde/<int:pk>/beregning/",
        person_views.person_calculator_view,
        name="person_calculator",
    ),
    path(
        "jobkunde/<int:pk>/beregning/gem/",
        person_views.calculation_save_view,
        name="calculation_save",
    ),
    path(
        "jobkunde/<int:pk>/beregninger/<int:calc_pk>/",
        person_views.saved_detail_view,
        name="saved_detail",
    ),
    path(
        "jobkunde/<int:pk>/beregninger/<int:calc_pk>/pdf/",
        person_views.saved_pdf_view,
        name="saved_pdf",
    ),
    path("jobkunde/<int:pk>/pensionsopsparing/", person_views.pension_add_view, name="pension_add"),
    path(
        "jobkunde/<int:pk>/pensionsopsparing/<int:saving_pk>/stop/",
        person_views.pension_stop_view,
        name="pension_stop",
    ),
    path(
        "jobkunde/<int:pk>/pensionsopsparing/<int:saving_pk>/ret/",
        person_views.pension_edit_view,
        name="pension_edit",
    ),
]

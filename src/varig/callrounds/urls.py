from django.urls import path

from . import views

app_name = "callrounds"

urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("ny/", views.campaign_create_view, name="create"),
    path("mine/", views.my_calls_view, name="mine"),
    path("opkald/<int:pk>/", views.call_record_view, name="record"),
    path("<int:pk>/", views.campaign_detail_view, name="detail"),
    path("<int:pk>/eksport.<str:fmt>", views.campaign_export_view, name="export"),
    path("<int:pk>/overdrag/", views.calls_hand_over_view, name="hand_over"),
    path("<int:pk>/luk/", views.campaign_close_view, name="close"),
]

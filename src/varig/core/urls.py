from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import EmailAuthenticationForm

app_name = "core"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprog/", views.set_language, name="set_language"),
    path("", views.today, name="today"),
    path("brugere/", views.user_list, name="user_list"),
    path("brugere/ny/", views.user_create, name="user_create"),
    path("brugere/<int:pk>/", views.user_edit, name="user_edit"),
]

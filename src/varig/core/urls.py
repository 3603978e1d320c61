from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language as django_set_language

from . import views

app_name = "core"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # The second factor (TwoFactorMiddleware sends every unverified user here).
    path("login/kode/", views.otp_verify, name="otp_verify"),
    path("login/opsaetning/", views.otp_setup, name="otp_setup"),
    path("totrinslogin/", views.otp_settings, name="otp_settings"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprog/", views.set_language, name="set_language"),
    # Before login the language lives in a cookie (Django's own view); after login on the user.
    path("i18n/setlang/", login_not_required(django_set_language), name="set_language_anonymous"),
    path("", views.today, name="today"),
    path("brugere/", views.user_list, name="user_list"),
    path("brugere/ny/", views.user_create, name="user_create"),
    path("brugere/<int:pk>/", views.user_edit, name="user_edit"),
    path("brugere/<int:pk>/totrin/nulstil/", views.user_otp_reset, name="user_otp_reset"),
    path("brugere/<int:pk>/laas-op/", views.user_unlock, name="user_unlock"),
]

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Activates the logged-in user's chosen language; Danish is the default for everyone else.

    Before login only an explicit choice (the language cookie set by the switch on the login
    page) changes the language: the browser's Accept-Language does not, so the login page is
    Danish unless the person asks for English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            language = user.language
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in {"da", "en"} else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


# --- Logging in (issue 7) ------------------------------------------------------------------

LAST_ACTIVITY_SESSION_KEY = "varig_last_activity"


def mark_activity(request) -> None:
    """Note the time of the request in the session (at login and by IdleTimeoutMiddleware)."""
    import time

    request.session[LAST_ACTIVITY_SESSION_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Logs a user out after `VARIG_SESSION_IDLE_MINUTES` without a request.

    The time of the last request is kept in the session and written again only when it is older
    than `VARIG_SESSION_ACTIVITY_RESOLUTION_SECONDS` (a minute), so ordinary requests do not
    write the session row. A session without the
    mark (created before this middleware) gets one. After a logout the login page says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.contrib import messages
        from django.contrib.auth import logout
        from django.utils.translation import gettext as _

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            idle = settings.VARIG_SESSION_IDLE_MINUTES * 60
            resolution = settings.VARIG_SESSION_ACTIVITY_RESOLUTION_SECONDS
            if isinstance(last, int) and now - last > idle:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were logged out after %(minutes)s minutes without activity. "
                        "Log in again to continue."
                    )
                    % {"minutes": settings.VARIG_SESSION_IDLE_MINUTES},
                )
            elif not isinstance(last, int) or now - last >= resolution:
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return self.get_response(request)


# Pages a user who has given their password, but not yet their second factor, may reach.
TWO_FACTOR_OPEN = {
    "core:login",
    "core:logout",
    "core:otp_verify",
    "core:otp_setup",
    "core:set_language",
    "core:set_language_anonymous",
}


class TwoFactorMiddleware:
    """Every page needs a second factor: a logged-in user who has not given a code this session
    is sent to enter one, or to set up the authenticator app on their first login.

    Runs after django-otp's OTPMiddleware (which sets `request.user.is_verified()`) and after
    LoginRequiredMiddleware; public pages (`login_not_required`) stay public.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib.auth.views import redirect_to_login
        from django.urls import reverse
        from django_otp import user_has_device

        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_OPEN:
            return None
        target = "core:otp_verify" if user_has_device(user) else "core:otp_setup"
        return redirect_to_login(request.get_full_path(), reverse(target))


class PermissionsPolicyMiddleware:
    """Sends the Permissions-Policy header (`VARIG_PERMISSIONS_POLICY`): Varig needs no camera,
    microphone or location. Django's SecurityMiddleware sends the other security headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "VARIG_PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response

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

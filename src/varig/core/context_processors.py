from django.conf import settings


def navigation(request):
    """Values every page's frame needs: the organisation name and the user's roles."""
    user = getattr(request, "user", None)
    logged_in = user is not None and user.is_authenticated
    # The menu only once the second factor is given (not on the code pages before it).
    verified = logged_in and getattr(user, "is_verified", lambda: False)()
    return {
        "organisation_name": settings.VARIG_ORGANISATION_NAME,
        "nav_user": user if verified else None,
    }

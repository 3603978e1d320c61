from django.conf import settings


def navigation(request):
    """Values every page's frame needs: the organisation name and the user's roles."""
    user = getattr(request, "user", None)
    return {
        "organisation_name": settings.VARIG_ORGANISATION_NAME,
        "nav_user": user if user is not None and user.is_authenticated else None,
    }

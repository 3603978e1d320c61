"""Role checks shared by every app's views."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role

STAFF_ROLES = tuple(Role.values)


def role_required(*roles: str) -> Callable:
    """Allow the view only for users with one of `roles` (superusers always pass)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(*STAFF_ROLES)
administrator_required = role_required(Role.ADMINISTRATOR)
manager_required = role_required(Role.MANAGER, Role.ADMINISTRATOR)

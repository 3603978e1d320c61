"""The staff roles as groups with permissions, kept in step after every migrate."""

from django.contrib.auth.models import Group, Permission

from .models import Role

# (app label, actions) per role; actions are Django's view/add/change/delete.
ROLE_PERMISSIONS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    Role.ADVISOR: [
        ("customers", ("view", "add", "change")),
        ("placements", ("view", "add", "change")),
        ("employers", ("view", "add", "change")),
    ],
    Role.CONSULTANT: [
        ("customers", ("view",)),
        ("placements", ("view", "add", "change")),
        ("employers", ("view", "add", "change", "delete")),
    ],
    Role.MANAGER: [
        ("customers", ("view", "add", "change")),
        ("placements", ("view", "add", "change")),
        ("employers", ("view", "add", "change")),
        ("core", ("view",)),
    ],
    Role.ADMINISTRATOR: [
        ("customers", ("view", "add", "change", "delete")),
        ("placements", ("view", "add", "change", "delete")),
        ("employers", ("view", "add", "change", "delete")),
        ("core", ("view", "add", "change", "delete")),
    ],
}


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups and give them their permissions (idempotent)."""
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for app_label, actions in grants:
            for permission in Permission.objects.filter(content_type__app_label=app_label):
                if permission.codename.split("_", 1)[0] in actions:
                    wanted.append(permission)
        group.permissions.set(wanted)

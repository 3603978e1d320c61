import itertools

from varig.core.models import Role, User

_seq = itertools.count(1)
PASSWORD = "Rolig-Havn-2026"


def make_user(*, role: str | None = Role.ADVISOR, name: str | None = None, **fields) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        email=fields.pop("email", f"user{n}@example.dk"),
        password=fields.pop("password", PASSWORD),
        name=name or f"Bruger {n}",
        **fields,
    )
    if role:
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=role))
    return user

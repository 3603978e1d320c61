"""Prepare the load scenario's database (scripts/bench_load.sh): staff accounts for the
simulated users and the records they work on, written as JSON to the path given as argument.

Each simulated user gets an account of their own (a member of staff logs in once, not 50
times at once): `load-NN@demo.varig.dk`, with the demo password and the demo authenticator
secret (core/twofactor.py), so the scenario logs in through the real login and code pages.
Most are advisors who take over a slice of the demo's job customers as their caseload, the
rest managers (who see everyone).
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varig.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from varig.core.demo import DEMO_DOMAIN, DEMO_PASSWORD  # noqa: E402
from varig.core.models import Role, User  # noqa: E402
from varig.core.twofactor import APP_DEVICE_NAME, DEMO_TOTP_SECRET, demo_totp_key  # noqa: E402
from varig.customers.models import JobCustomer  # noqa: E402
from varig.employers.models import Company  # noqa: E402


def main(path: str, count: int) -> None:
    managers = max(1, count // 10)
    password = make_password(DEMO_PASSWORD)
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    persons = list(JobCustomer.objects.order_by("pk").values_list("pk", flat=True))
    advisors = count - managers
    accounts = []
    for i in range(count):
        email = f"load-{i + 1:02d}@{DEMO_DOMAIN}"
        role = Role.MANAGER if i < managers else Role.ADVISOR
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"name": f"Belastning {i + 1:02d}", "password": password, "is_active": True},
        )
        user.groups.set([groups[role]])
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user, name=APP_DEVICE_NAME, key=demo_totp_key(), confirmed=True
        )
        mine = []
        if role == Role.ADVISOR:
            # Every advisor takes over an equal slice of the caseloads.
            slot = i - managers
            mine = persons[slot::advisors]
            JobCustomer.objects.filter(pk__in=mine).update(advisor=user)
        accounts.append({"email": email, "role": role, "persons": mine[:200], "may_edit": True})
    words = sorted(
        {name[:3] for name in JobCustomer.objects.values_list("last_name", flat=True)[:200]}
    )
    data = {
        "password": DEMO_PASSWORD,
        "totp_secret": DEMO_TOTP_SECRET,
        "accounts": accounts,
        "all_persons": persons[:500],
        "companies": list(Company.objects.order_by("pk").values_list("pk", flat=True)[:500]),
        "search_words": words or ["Jen"],
    }
    with open(path, "w") as out:
        json.dump(data, out)
    print(f"{count} accounts ({managers} managers), {len(persons)} job customers -> {path}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

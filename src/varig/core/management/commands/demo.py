"""`varig demo`: deterministic, realistic demo data and the demo logins."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from varig.core import demo
from varig.core.db import refresh_planner_statistics
from varig.customers.models import JobCustomer
from varig.employers.models import Company


class Command(BaseCommand):
    help = (
        "Create deterministic demo data: staff, companies, job customers, placements and their "
        "follow-ups in every state. The same seed on the same day gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(demo.SCALES),
            default="small",
            help="small (seconds) or national (100,000 job customers; minutes).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when there already are job customers.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all job customers, companies, placements and demo staff first.",
        )

    def handle(self, *args, scale, seed, if_empty, reset, **options):
        if if_empty and JobCustomer.objects.exists():
            self.stdout.write("There already are job customers: no demo data made.")
            return
        if reset:
            demo.delete_domain_data()
        elif JobCustomer.objects.exists() or Company.objects.exists():
            raise CommandError(
                "The database already has job customers or companies. "
                "Use --reset to delete them first, or --if-empty to skip."
            )
        else:
            # Demo staff left from an earlier run without any data: make them anew.
            demo.delete_domain_data()
        started = time.monotonic()
        verbose = options.get("verbosity", 1) >= 1
        builder = demo.DemoBuilder(
            scale=scale,
            seed=seed,
            today=timezone.localdate(),
            log=self.stdout.write if verbose else (lambda message: None),
        )
        counts = builder.run()
        mark = time.monotonic()
        refresh_planner_statistics()  # every table: the hooks also write through the ORM
        builder.log(f"  [{time.monotonic() - mark:7.1f} s] planner statistics of every table")
        if not verbose:
            return
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ({scale}, seed {seed}) made in {elapsed:.1f} s:")
        )
        for name, n in counts.items():
            self.stdout.write(f"  {n:>9,}  {name}")
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (password for all: {demo.DEMO_PASSWORD})")
        )
        for role, email in demo.demo_logins(scale):
            self.stdout.write(f"  {role:<22} {email}")
        from varig.core.twofactor import DEMO_TOTP_SECRET

        self.stdout.write(
            f"Two-factor code: `varig otp_code EMAIL` prints it (DEBUG=1), or add the secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app."
        )

"""Benchmark of matching: rank every company for one job customer (the budget is 200 ms for
20,000 companies). Not a test: run `varig matching_bench`.

By default it builds a synthetic network inside a transaction that is rolled back at the end
(20,000 companies over the country's postcode areas, 300,000 placements past and present, one
job customer with wishes), so it runs on any database, empty or not. `--existing` times the
data already there instead (e.g. after `varig demo --scale national`), for the job customer
with the most wishes.
"""

import datetime
import os
import random
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from varig.core.bulk import BulkWriter
from varig.customers.models import JobCustomer, JobWishes
from varig.employers.matching import POSTCODE_AREAS, match_stats_refresh, rank_companies
from varig.employers.models import Company
from varig.placements.models import Placement

INDUSTRIES = [
    ("Detailhandel", "Varepåfyldning, kasse, modtagelse af varer"),
    ("Lager og logistik", "Pluk og pak, lageroprydning, truckkørsel"),
    ("Café og restaurant", "Opvask, klargøring af grønt, anretning"),
    ("Rengøring", "Kontorrengøring, vinduespudsning"),
    ("Gartneri og grønne områder", "Ukrudt, plantning, pasning af drivhus"),
    ("Kontor og administration", "Scanning, arkiv, post, enkle bogføringsopgaver"),
    ("Bageri", "Pakning, rengøring af bageriet, ekspedition"),
    ("Genbrug", "Sortering, prismærkning, ekspedition"),
]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time ranking every company for one job customer (matching)."

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=20_000)
        parser.add_argument("--placements", type=int, default=300_000)
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument(
            "--existing", action="store_true", help="time the data in the database as it is"
        )

    def handle(self, *args, companies, placements, repeat, existing, **options):
        if existing:
            person = (
                JobCustomer.objects.filter(job_wishes__isnull=False)
                .exclude(job_wishes__wished_industries="")
                .order_by("pk")
                .first()
            )
            if person is None:
                self.stderr.write("No job customer with wishes: run `varig demo` first.")
                return
            self._time(person, repeat)
            return
        try:
            with transaction.atomic():
                person = self._synthetic(companies, placements)
                self._time(person, repeat)
                raise Rollback
        except Rollback:
            self.stdout.write("(synthetic data rolled back)")

    def _synthetic(self, n_companies: int, n_placements: int) -> JobCustomer:
        rng = random.Random(5)
        today = timezone.localdate()
        writer = BulkWriter(now=timezone.now())
        areas = sorted(POSTCODE_AREAS)
        company_table = writer.table(Company)
        company_ids = []
        for i in range(n_companies):
            industry, offered = rng.choice(INDUSTRIES)
            company_ids.append(
                company_table.add(
                    ref=f"BENCH-{i:06d}",
                    name=f"Bench {i} ApS",
                    industry=industry,
                    offered_jobs=offered,
                    postcode=f"{rng.choice(areas)}{rng.randint(0, 99):02d}",
                )
            )
        person_table = writer.table(JobCustomer)
        people = [
            person_table.add(
                ref=f"BENCH-JK-{i:06d}",
                last_name=f"Bench {i}",
                associated_from=today - datetime.timedelta(days=3000),
            )
            for i in range(max(1, n_placements // 10))
        ]
        writer.flush()
        placement_table = writer.table(Placement)
        for i in range(n_placements):
            start = today - datetime.timedelta(days=rng.randint(0, 3000))
            ended = None
            if rng.random() < 0.75:
                ended = min(today, start + datetime.timedelta(days=rng.randint(20, 1500)))
            placement_table.add(
                ref=f"BENCH-PL-{i:07d}",
                job_customer_id=people[i % len(people)],
                company_id=company_ids[rng.randrange(len(company_ids))],
                kind=rng.choice(["praktik", "skaanejob", "fleksjob", "ordinaert"]),
                started_on=start,
                ended_on=ended,
                hours_per_week=Decimal(rng.choice([8, 10, 12, 15, 20, 25])),
            )
            if i % 50_000 == 49_999:
                writer.flush()
        writer.flush()
        person = JobCustomer.objects.get(pk=people[0])
        person.postcode = "8000"
        person.save(update_fields=["postcode"])
        JobWishes.objects.create(
            job_customer=person,
            wished_jobs="Lagerarbejde, butiksassistent",
            wished_industries="Lager og logistik, Detailhandel",
            wished_hours_per_week=Decimal(12),
        )
        self.stdout.write(
            f"synthetic: {Company.objects.count():,} companies, "
            f"{Placement.objects.count():,} placements ({connection.vendor})"
        )
        return person

    def _time(self, person: JobCustomer, repeat: int) -> None:
        companies = Company.objects.count()
        start = time.perf_counter()
        match_stats_refresh()
        self.stdout.write(
            f"placement statistics refreshed in {(time.perf_counter() - start) * 1000:.0f} ms "
            "(the daily job; not part of a ranking)"
        )
        rank_companies(job_customer=person)  # warm the caches once
        times, cpu = [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                best = rank_companies(job_customer=person)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        self.stdout.write(
            f"ranked {companies:,} companies for {person.ref} on {connection.vendor}: "
            f"median {statistics.median(times):.0f} ms, best {min(times):.0f} ms, "
            f"worst {max(times):.0f} ms over {repeat} runs, {len(queries)} queries; "
            f"CPU time of this process (SQLite runs in it) median "
            f"{statistics.median(cpu):.0f} ms; load average {load:.1f} on {os.cpu_count()} cores"
        )
        top = best[0] if best else None
        if top:
            self.stdout.write(f"best: {top.name} ({top.score} points)")

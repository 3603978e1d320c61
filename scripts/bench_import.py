"""Benchmark: import a national-size interchange folder into a fresh SQLite database.

Generates 500 advisors, 20,000 companies, 100,000 job customers and 300,000 placements as CSV
files in a temporary folder, migrates an empty SQLite database there, runs `varig import` and
prints the timings. Not a test; run it by hand:

    .venv/bin/python scripts/bench_import.py [--customers 100000]

With DATABASE_URL set it uses that database instead (it must be empty).
"""

import argparse
import csv
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path


def cvr(seven: str) -> str | None:
    total = sum(w * int(d) for w, d in zip((2, 7, 6, 5, 4, 3, 2), seven, strict=True))
    digit = (-total) % 11
    return None if digit == 10 else f"{seven}{digit}"


def write(path: Path, header: list[str], rows) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        for row in rows:
            out.writerow(row)
            n += 1
    return n


def generate(folder: Path, customers: int, rng: random.Random) -> dict[str, int]:
    today = datetime.date.today()
    advisors = [f"vejleder{i}@bench.varig.dk" for i in range(1, 501)]
    n_companies = max(10, customers // 5)
    counts = {}
    counts["advisors"] = write(
        folder / "advisors.csv",
        ["email", "name"],
        ((email, f"Vejleder {i}") for i, email in enumerate(advisors, 1)),
    )

    def companies():
        used = set()
        for i in range(1, n_companies + 1):
            number = None
            while number is None or number in used:
                number = cvr(str(rng.randint(1000000, 9999999)))
            used.add(number)
            yield (
                f"V-{i:06d}",
                f"Virksomhed {i} ApS",
                number,
                "Detailhandel",
                "8000",
                rng.randint(1, 500),
            )

    counts["companies"] = write(
        folder / "companies.csv",
        ["ref", "name", "cvr", "industry", "postcode", "employees"],
        companies(),
    )

    def job_customers():
        for i in range(1, customers + 1):
            start = today - datetime.timedelta(days=rng.randint(0, 365 * 10))
            until = ""
            if rng.random() < 0.3:
                until = (start + datetime.timedelta(days=rng.randint(30, 2000))).isoformat()
            yield (
                f"JK-{i:07d}",
                "Fornavn",
                f"Efternavn {i}",
                f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"person{i}@example.dk",
                f"{rng.randint(20000000, 99999999)}",
                f"{rng.randint(1000, 9990)}",
                rng.choice(advisors),
                start.isoformat(),
                until,
            )

    counts["job_customers"] = write(
        folder / "job_customers.csv",
        [
            "ref",
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "phone",
            "postcode",
            "advisor_email",
            "associated_from",
            "associated_until",
        ],
        job_customers(),
    )

    def placements():
        n = 0
        for i in range(1, customers + 1):
            day = today - datetime.timedelta(days=rng.randint(30, 365 * 10))
            for _ in range(3):
                n += 1
                kind = rng.choice(["praktik", "skaanejob", "fleksjob", "ordinaert"])
                end = day + datetime.timedelta(days=rng.randint(14, 900))
                ended = "" if end > today or rng.random() < 0.2 else end.isoformat()
                yield (
                    f"PL-{n:07d}",
                    f"JK-{i:07d}",
                    f"V-{rng.randint(1, n_companies):06d}",
                    kind,
                    day.isoformat(),
                    ended,
                    f"{rng.randint(6, 37)}.5",
                    rng.choice(["ja", "nej"]),
                    "Sluttede" if ended else "",
                )
                if not ended:
                    break
                day = end + datetime.timedelta(days=rng.randint(1, 60))
                if day > today:
                    break

    counts["placements"] = write(
        folder / "placements.csv",
        [
            "ref",
            "job_customer_ref",
            "company_ref",
            "kind",
            "started_on",
            "ended_on",
            "hours_per_week",
            "desired_job",
            "end_reason",
        ],
        placements(),
    )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="varig-bench-"))
    folder = tmp / "interchange"
    folder.mkdir()
    if not os.environ.get("DATABASE_URL"):
        os.environ["VARIG_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varig.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

    t0 = time.perf_counter()
    counts = generate(folder, args.customers, random.Random(args.seed))
    t1 = time.perf_counter()
    print(f"generated {counts} in {folder} in {t1 - t0:.1f} s")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from varig.outcomes.interchange import read_path, run_import
    from varig.outcomes.interchange.parse import parse

    t2 = time.perf_counter()
    print(f"migrated in {t2 - t1:.1f} s")
    read = read_path(folder)
    t3 = time.perf_counter()
    print(f"read {read.row_count} rows in {t3 - t2:.1f} s")
    parsed = parse(read)
    t4 = time.perf_counter()
    print(f"validated in {t4 - t3:.1f} s ({len(parsed.problems)} problems)")

    start = time.perf_counter()
    result = run_import(read_path(folder), file_names=folder.name)
    total = time.perf_counter() - start
    print(f"import (read + validate + write): {total:.1f} s; ok={result.ok}")
    for stem, c in result.summary.items():
        print(f"  {stem}: {c}")
    start = time.perf_counter()
    result = run_import(read_path(folder), file_names=folder.name)
    print(f"re-import of the same files (nothing changes): {time.perf_counter() - start:.1f} s")
    print(f"database and files left in {tmp}")


if __name__ == "__main__":
    main()

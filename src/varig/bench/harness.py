"""`varig bench`: build the national dataset once per database, serve it with gunicorn, measure.

Per database (SQLite at var/bench/national.sqlite3, PostgreSQL in the database `varig_bench`):
1. the dataset: `varig demo --scale national --seed N` into a fresh database, once. A stamp
   beside it (var/bench/<db>.json) records the key it was built from (the seed and a hash of
   the demo code: core/demo.py, core/bulk.py and every app's demo hook), the build time and the
   build's peak memory. A run with the same key reuses the data and only applies new
   migrations; `--rebuild` builds it again.
2. `varig bench --step prepare` in that database: the logged-in sessions (made the way the
   tests log in), the URLs, the retention report timed in-process.
3. gunicorn with 2 workers, production settings (DEBUG off, the manifest static files) and
   VARIG_BENCH on, on 127.0.0.1 and a free port; every page is asked for `--warmup` times, then
   `--requests` times one after another, timed on the client. The query count comes from the
   response header the benchmark middleware adds.
4. one table per database, the peak memory of a gunicorn worker (VmHWM), the load average.

Everything this module does outside Django goes through subprocesses with their own
environment, so one run measures both databases.
"""

import contextlib
import datetime
import hashlib
import http.client
import importlib.util
import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .middleware import QUERIES_HEADER, SERVER_MS_HEADER

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/varig_bench"
# The modules whose code decides what the dataset holds (with every APP_DEMO hook).
DEMO_MODULES = ["varig.core.demo", "varig.core.bulk"]


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def dataset_key(scale: str, seed: int) -> str:
    """The seed, the scale and a hash of the demo code: a new key means a new dataset."""
    from varig.core import demo

    digest = hashlib.sha256(f"{scale}:{seed}".encode())
    for name in sorted({*DEMO_MODULES, *(path.rsplit(".", 1)[0] for path in demo.APP_DEMO)}):
        spec = importlib.util.find_spec(name)
        digest.update(name.encode())
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]


def _pg_name(url: str) -> str:
    from dj_database_url import parse

    return parse(url)["NAME"]


def _pg_admin(url: str, **kwargs):
    """A connection to the server's `postgres` database with the credentials of `url`."""
    import psycopg
    from dj_database_url import parse

    db = parse(url)
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        **kwargs,
    )


@dataclass
class Target:
    """One database the benchmark runs against."""

    name: str
    env: dict
    stamp: Path
    sqlite_path: Path | None = None
    pg_url: str | None = None

    def create_empty(self) -> None:
        if self.sqlite_path:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            return
        name = _pg_name(self.pg_url)
        with _pg_admin(self.pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def reachable(self) -> str | None:
        """None when the database server answers, else why not."""
        if self.sqlite_path:
            return None
        import psycopg

        try:
            _pg_admin(self.pg_url, connect_timeout=5).close()
        except psycopg.Error as exc:
            return str(exc).strip()
        return None


def targets(
    names: list[str], pg_url: str, base_env: dict, bench_dir: Path, scale: str
) -> list[Target]:
    """The databases to measure; a scale other than national (for trying the harness out)
    gets files and a database of its own."""
    found = []
    suffix = "" if scale == "national" else f"-{scale}"
    if suffix:
        pg_url = f"{pg_url}_{scale}"
    for name in names:
        env = dict(base_env)
        if name == "sqlite":
            path = bench_dir / f"{scale}.sqlite3"
            env.pop("DATABASE_URL", None)
            env["VARIG_SQLITE_PATH"] = str(path)
            found.append(
                Target("sqlite", env, bench_dir / f"sqlite{suffix}.json", sqlite_path=path)
            )
        else:
            env["DATABASE_URL"] = pg_url
            found.append(
                Target("postgresql", env, bench_dir / f"postgresql{suffix}.json", pg_url=pg_url)
            )
    return found


def varig(*args: str) -> list[str]:
    return [sys.executable, "-m", "varig", *args]


def run(cmd: list[str], env: dict, *, capture: bool = False) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, env=env, text=True, capture_output=capture)
    if result.returncode != 0:
        if capture:
            sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd[2:])}")
    return result


def build(target: Target, scale: str, seed: int, key: str) -> dict:
    """A fresh database with the national dataset; returns what the stamp records."""
    log(f"{target.name}: building the {scale} dataset (seed {seed}); national takes minutes")
    target.create_empty()
    run(varig("migrate", "--noinput", "-v0"), target.env)
    started = time.monotonic()
    proc = subprocess.Popen(
        varig("demo", "--scale", scale, "--seed", str(seed)),
        env=target.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        sys.stderr.write(output)
        raise SystemExit(f"{target.name}: varig demo failed ({proc.returncode})")
    stamp = {
        "key": key,
        "scale": scale,
        "seed": seed,
        "built_on": datetime.date.today().isoformat(),
        "build_seconds": round(elapsed, 1),
        # ru_maxrss is in KiB on Linux: the demo process's peak (not the PostgreSQL server's).
        "build_peak_rss_mb": round(usage.ru_maxrss / 1024),
        "load_during_build": [round(x, 2) for x in os.getloadavg()],
    }
    target.stamp.write_text(json.dumps(stamp, indent=2))
    log(f"{target.name}: built in {elapsed:.0f} s, peak memory {stamp['build_peak_rss_mb']} MB")
    return stamp


def dataset(target: Target, options: dict, key: str) -> tuple:
    """(stamp, prepared data): reuse the cached dataset when its key matches, else build."""
    scale, seed, report_runs = options["scale"], options["seed"], options["report_runs"]
    stamp = None
    if not options["rebuild"] and target.stamp.exists():
        stamp = json.loads(target.stamp.read_text())
        if stamp.get("key") != key:
            log(f"{target.name}: the demo code or seed changed ({stamp.get('key')} -> {key})")
            stamp = None
    if stamp is None:
        stamp = build(target, scale, seed, key)
    else:
        log(f"{target.name}: reusing the dataset built on {stamp['built_on']} (key {key})")
        run(varig("migrate", "--noinput", "-v0"), target.env)
    prepared = prepare(target, report_runs)
    if prepared is None:  # the stamp is there but the data is not
        stamp = build(target, scale, seed, key)
        prepared = prepare(target, report_runs)
    if prepared is None:
        raise SystemExit(f"{target.name}: the dataset lacks its fixed points after a build")
    return stamp, prepared


def prepare(target: Target, report_runs: int) -> dict | None:
    result = subprocess.run(
        varig("bench", "--step", "prepare", "--report-runs", str(report_runs)),
        env=target.env,
        text=True,
        capture_output=True,
    )
    if result.returncode == 3:
        log(f"{target.name}: {result.stderr.strip().splitlines()[-1]}")
        return None
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{target.name}: the prepare step failed")
    return json.loads(result.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, url: str, *, cookie: str = "", headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    all_headers = {"Host": "127.0.0.1", **(headers or {})}
    if cookie:
        all_headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    start = time.perf_counter()
    conn.request("GET", url, headers=all_headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    return response, body, elapsed


@contextlib.contextmanager
def gunicorn(target: Target, workers: int):
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "varig.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        env=target.env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response, _, _ = get(port, "/bench/floor/")
                if response.status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{target.name}: gunicorn did not start")
            time.sleep(0.3)
        yield port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def worker_memory(master_pid: int) -> list[dict]:
    """Peak and current resident memory (MB) of each gunicorn worker, from /proc."""
    path = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    workers = []
    for pid in path.read_text().split() if path.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        values = dict(line.split(":", 1) for line in status.splitlines() if line.startswith("Vm"))
        workers.append(
            {
                "pid": int(pid),
                "peak_mb": round(int(values["VmHWM"].split()[0]) / 1024),
                "rss_mb": round(int(values["VmRSS"].split()[0]) / 1024),
            }
        )
    return workers


@dataclass
class Row:
    name: str
    url: str
    ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    max_queries: int | None = None
    p95_ms: float | None = None
    error: str = ""

    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        misses = []
        if self.max_queries is not None and max(self.queries) > self.max_queries:
            misses.append("queries")
        if self.p95_ms is not None and percentile(self.ms, 95) > self.p95_ms:
            misses.append("p95")
        return "over: " + ", ".join(misses) if misses else "ok"

    def as_dict(self) -> dict:
        if self.error:
            return {"name": self.name, "url": self.url, "error": self.error}
        return {
            "name": self.name,
            "url": self.url,
            "n": len(self.ms),
            "p50_ms": round(percentile(self.ms, 50), 1),
            "p95_ms": round(percentile(self.ms, 95), 1),
            "max_ms": round(max(self.ms), 1),
            "server_p50_ms": round(percentile(self.server_ms, 50), 1) if self.server_ms else None,
            "queries": sorted(set(self.queries)),
            "budget": budget_text(self.max_queries, self.p95_ms),
            "verdict": self.verdict(),
        }


def budget_text(max_queries, p95_ms) -> str:
    parts = []
    if max_queries is not None:
        parts.append(f"≤ {max_queries} q")
    if p95_ms is not None:
        parts.append(f"p95 ≤ {p95_ms:g} ms" if p95_ms < 1000 else f"< {p95_ms / 1000:g} s")
    return ", ".join(parts) or "-"


def measure(port: int, page: dict, warmup: int, requests: int) -> Row:
    row = Row(page["name"], page["url"], max_queries=page["max_queries"], p95_ms=page["p95_ms"])
    for i in range(warmup + requests):
        response, body, elapsed = get(
            port, page["url"], cookie=page["cookie"], headers=page["headers"]
        )
        if response.status != 200:
            where = response.getheader("Location", "")
            row.error = f"HTTP {response.status} {where}".strip()
            if page["cookie"] and "login" in where:
                row.error += " (the session was not accepted: see probe.session_cookie_for)"
            return row
        if i == 0 and page["expect"] and page["expect"].encode() not in body:
            row.error = f"the response does not show {page['expect']!r}"
            return row
        if i < warmup:
            continue
        row.ms.append(elapsed)
        row.queries.append(int(response.getheader(QUERIES_HEADER, "-1")))
        row.server_ms.append(float(response.getheader(SERVER_MS_HEADER, "0")))
    return row


def report_row(timed: dict) -> Row:
    return Row(
        timed["name"] + " (in-process)",
        "",
        ms=timed["ms"],
        queries=timed["queries"],
        max_queries=timed["max_queries"],
        p95_ms=timed["p95_ms"],
    )


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.0f} GB"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def table(rows: list[Row]) -> str:
    lines = [
        "| page | n | p50 ms | p95 ms | max ms | queries | budget | |",
        "|---|--:|--:|--:|--:|--:|---|---|",
    ]
    for row in rows:
        if row.error:
            lines.append(f"| {row.name} | | | | | | | ERROR: {row.error} |")
            continue
        d = row.as_dict()
        queries = "-".join(str(q) for q in (d["queries"][0], d["queries"][-1]))
        if d["queries"][0] == d["queries"][-1]:
            queries = str(d["queries"][0])
        lines.append(
            f"| {row.name} | {d['n']} | {d['p50_ms']:.1f} | {d['p95_ms']:.1f} | "
            f"{d['max_ms']:.1f} | {queries} | {d['budget']} | {d['verdict']} |"
        )
    return "\n".join(lines)


class Unreachable(SystemExit):
    """A database the run was asked to measure does not answer."""


def check_reachable(chosen: list[Target]) -> None:
    """Stop at once, before building or measuring anything, when a chosen database server does
    not answer: a run that silently left PostgreSQL out would look like a complete one."""
    for target in chosen:
        why = target.reachable()
        if why:
            raise Unreachable(
                f"{target.name}: the database server does not answer ({target.pg_url}): {why}\n"
                "Start PostgreSQL, pass --pg-url, or measure SQLite alone with --db sqlite."
            )


def main(options: dict) -> int:
    # A terminated run still stops its gunicorn (the context manager's finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bench_dir = Path(settings.VAR_DIR) / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    base_env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secret,  # the sessions' auth hash: the same for prepare and gunicorn
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(bench_dir / "static"),
        "VARIG_BENCH": "1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    base_env.pop("VARIG_PLAIN_STATIC", None)
    key = dataset_key(options["scale"], options["seed"])
    chosen = targets(options["db"], options["pg_url"], base_env, bench_dir, options["scale"])
    check_reachable(chosen)
    log(f"machine: {machine()}; load {os.getloadavg()}")
    log("collecting static files (the manifest storage of production)")
    shutil.rmtree(bench_dir / "static", ignore_errors=True)
    run(varig("collectstatic", "--noinput", "-v0"), base_env)

    report = {
        "machine": machine(),
        "started": datetime.datetime.now().isoformat(timespec="seconds"),
    }
    failed = False
    for target in chosen:
        stamp, prepared = dataset(target, options, key)
        pages = [p for p in prepared["pages"] if _wanted(p["name"], options["only"])]
        load_before = os.getloadavg()
        rows = []
        with gunicorn(target, options["workers"]) as (port, master):
            for page in pages:
                log(f"{target.name}: {page['name']}")
                requests = options["requests"]
                if page.get("heavy"):
                    requests = min(requests, max(1, options["report_runs"]))
                row = measure(port, page, options["warmup"], requests)
                rows.append(row)
                log(f"{target.name}: {_summary(row)}")
            workers = worker_memory(master)
        if prepared["report"]:
            rows.append(report_row(prepared["report"]))
        load_after = os.getloadavg()
        facts = prepared["database"]
        counts = ", ".join(f"{n:,} {what}" for what, n in facts["counts"].items())
        print()
        print(f"### {facts['version']} ({facts['size_mb']:,} MB; {counts})")
        print()
        print(table(rows))
        print()
        matching = any(p["name"].startswith("matching") for p in prepared["pages"])
        if not matching:
            print("Matching: skipped (no matching URL for a job customer on this branch).")
        print(
            f"Dataset built on {stamp['built_on']} in {stamp['build_seconds']:.0f} s, peak memory "
            f"of the build {stamp['build_peak_rss_mb']:,} MB (load then {stamp['load_during_build']})."
        )
        print(
            "gunicorn workers, peak resident memory: "
            + ", ".join(f"{w['peak_mb']} MB" for w in workers)
        )
        print(
            f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
            f"after: {', '.join(f'{x:.2f}' for x in load_after)}."
        )
        failed |= any(r.error for r in rows)
        report[target.name] = {
            "database": facts,
            "dataset": stamp,
            "rows": [r.as_dict() for r in rows],
            "workers": workers,
            "load_before": load_before,
            "load_after": load_after,
        }
    out = bench_dir / f"results-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    log(f"results written to {out}")
    return 1 if failed else 0


def _summary(row: Row) -> str:
    if row.error:
        return f"{row.name}: ERROR {row.error}"
    d = row.as_dict()
    return (
        f"{row.name}: p50 {d['p50_ms']} ms, p95 {d['p95_ms']} ms, server p50 "
        f"{d['server_p50_ms']} ms, queries {d['queries']}, {d['verdict']}"
    )


def _wanted(name: str, only: list[str]) -> bool:
    return not only or any(word.lower() in name.lower() for word in only)

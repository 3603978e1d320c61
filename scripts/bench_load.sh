#!/usr/bin/env bash
# The load scenario (issue 7): N concurrent staff users (default 50) for a while (default 5
# minutes) against gunicorn and PostgreSQL, on 127.0.0.1 only. A benchmark, not part of CI.
#
#   scripts/bench_load.sh [--duration 5m] [--users 50] [--spawn-rate 2] [--scale small|national]
#                         [--keep-db]
#                         [--port N (default: a free one)] [--workers 3]
#
# 1. a fresh PostgreSQL database `varig_load` (or the one left by the last run, --keep-db) with
#    `varig demo --scale small` and one staff account per simulated user
#    (scripts/bench_load_prepare.py: demo password, demo authenticator secret);
# 2. gunicorn with production settings (DEBUG off, a random SECRET_KEY, the manifest static
#    files, 2FA, CSP, lockout …) on 127.0.0.1; SECURE_COOKIES=0 only because the loopback
#    has no TLS (a client does not send a Secure cookie over http);
# 3. locust, headless (scripts/locustfile.py): each user logs in through the real login page and
#    the two-factor code page, then works (pages, searches, a note now and then);
# 4. the report: requests, errors, median and p95 per page and overall (var/bench-load/);
#    exits non-zero when any request failed.
# Needs the optional `bench` extra (locust): pip install -e '.[bench]' (done here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=5m users=50 spawn_rate=2 scale=small keep_db=0 port="" workers=3
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --spawn-rate) spawn_rate=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --keep-db) keep_db=1; shift ;;
    --port) port=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

bin=.venv/bin
out=var/bench-load
mkdir -p "$out"
[ -x "$bin/locust" ] || "$bin/python" -m pip install -q -e '.[bench]'

pg_url=${VARIG_LOAD_PG:-postgres://postgres@127.0.0.1:5432}
db=varig_load
export DATABASE_URL="$pg_url/$db"
export DEBUG=0 SECRET_KEY="$(openssl rand -hex 40)" ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=0
export STATIC_ROOT="$PWD/$out/static" LOG_LEVEL=ERROR

if [ "$keep_db" = 0 ] || ! psql "$pg_url/postgres" -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
  echo "== building $db (demo --scale $scale)"
  psql "$pg_url/postgres" -qc "drop database if exists $db" -c "create database $db"
  "$bin/varig" migrate --noinput -v0
  "$bin/varig" demo --scale "$scale" --seed 1 -v0
else
  echo "== reusing $db"
  "$bin/varig" migrate --noinput -v0
fi
"$bin/varig" collectstatic --noinput -v0
"$bin/python" scripts/bench_load_prepare.py "$out/users.json" "$users"

# A free port on the loopback (another engineer's server may hold any fixed one).
[ -n "$port" ] || port=$("$bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "== gunicorn on 127.0.0.1:$port ($workers workers x 4 threads)"
"$bin/gunicorn" varig.wsgi:application --bind "127.0.0.1:$port" --workers "$workers" \
  --threads 4 --worker-class gthread --log-level warning --error-logfile "$out/gunicorn.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  kill -0 $server 2>/dev/null || { echo "gunicorn did not start: $out/gunicorn.log" >&2; exit 1; }
  curl -fs -o /dev/null "http://127.0.0.1:$port/login/" && break
  sleep 1
done

echo "== locust: $users users for $duration"
started=$(date +%s)
set +e
VARIG_LOAD_USERS="$out/users.json" VARIG_LOAD_SUMMARY="$out/summary.json" \
  "$bin/locust" -f scripts/locustfile.py --headless --users "$users" --spawn-rate "$spawn_rate" --run-time "$duration" --host "http://127.0.0.1:$port" \
  --csv "$out/result" --only-summary --loglevel WARNING > "$out/locust.log" 2>&1
status=$?
set -e
echo "== load average after the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"

"$bin/python" - "$out/result_stats.csv" "$out/result_failures.csv" "$users" "$duration" "$started" "$out/summary.json" <<'PY'
import csv, sys, datetime, json
stats, failures, users, duration, started, summary = sys.argv[1:]
rows = list(csv.DictReader(open(stats)))
print(f"{'page':<28}{'requests':>9}{'errors':>8}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'req/s':>8}")
for row in rows:
    print(
        f"{row['Name'][:27]:<28}{row['Request Count']:>9}{row['Failure Count']:>8}"
        f"{row['50%']:>11}{row['95%']:>9}{float(row['Max Response Time']):>9.0f}"
        f"{float(row['Requests/s']):>8.1f}"
    )
total = next(r for r in rows if r["Name"] == "Aggregated")
print(
    f"\n{users} users, {duration}, started {datetime.datetime.fromtimestamp(int(started)):%Y-%m-%d %H:%M}: "
    f"{total['Request Count']} requests, {total['Failure Count']} errors, "
    f"p95 {total['95%']} ms, median {total['50%']} ms"
)
work = json.load(open(summary))
print(
    f"without the login steps: {work['work_requests']} requests, "
    f"p50 {work['work_p50_ms']} ms, p95 {work['work_p95_ms']} ms, p99 {work['work_p99_ms']} ms"
)
for row in csv.DictReader(open(failures)):
    print(f"  error: {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")
PY
exit $status

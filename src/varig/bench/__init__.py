"""The national-scale benchmark (`varig bench`, `make bench`; issue 9). Not part of CI.

`harness.py` drives a run: it builds the national demo dataset once per database (cached under
`var/bench/` and in the PostgreSQL database `varig_bench`), serves the app with gunicorn and
measures the pages over HTTP. `probe.py` holds the steps that run inside Django against the
benchmark database (logins, the URLs to measure, the retention report). `middleware.py` and
`views.py` are only wired in when the setting `VARIG_BENCH` is on (the environment variable of
the same name): a response header with the request's query count, and a view that touches no
database (the framework floor).
"""

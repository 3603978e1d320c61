# Two commands for a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Every app with a locale folder (a new app needs nothing here).
APPS := $(patsubst src/varig/%/locale,%,$(wildcard src/varig/*/locale))

.PHONY: run test setup messages browser lint fmt check-deploy clean bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

setup: $(STAMP) messages

# Compile the translations (the .mo files are build output, not committed).
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq gettext >/dev/null; }
	@for app in $(APPS); do (cd src/varig/$$app && ../../../$(BIN)/varig compilemessages -v0); done

# Debian's Chromium for the browser tests (Playwright cannot download a browser here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

run: setup
	DEBUG=1 $(BIN)/varig migrate --noinput -v0
	DEBUG=1 $(BIN)/varig demo --scale small --seed 1 --if-empty
	@# The task worker (background imports) runs alongside the server and stops with it.
	DEBUG=1 $(BIN)/varig worker --no-reload -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	  DEBUG=1 $(BIN)/varig runserver 127.0.0.1:8000

test: setup browser
	$(BIN)/pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check src scripts
	$(BIN)/ruff format --check src scripts

fmt: $(STAMP)
	$(BIN)/ruff check --fix src scripts
	$(BIN)/ruff format src scripts

# The national-scale benchmark (issue 9; not part of CI; see BENCHMARKS.md). The dataset is built
# once per database and reused. Options through ARGS, e.g. make bench ARGS="--db sqlite".
bench: setup
	$(BIN)/varig bench $(ARGS)

# Production settings must pass Django's deployment checks.
check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=varig.example.dk SECURE_SSL_REDIRECT=1 \
	  $(BIN)/varig check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var staticfiles

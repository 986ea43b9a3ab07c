# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev serve test test-postgres test-redis test-e2e audit lint format install seed bench bench-search clean

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# The local settings file the site reads (see .env.example); the real environment wins over it.
ENV_FILE ?= .env

# Made once, never overwritten: .env.example with a generated SECRET_KEY. An install that already
# keeps its key in var/secret_key gets none here, so the site goes on reading that one (and its sessions).
$(ENV_FILE):
	@umask 077; if [ -f "$${VAR_DIR:-var}/secret_key" ]; then cp .env.example $@; else \
		key=$$($(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))"); \
		sed "s/^SECRET_KEY=.*/SECRET_KEY=$$key/" .env.example > $@; fi
	@echo "Wrote $@ (local settings, see .env.example)."

# Where `make run` and `make dev` listen, and what they print; the site's own links follow it
# unless SITE_URL says otherwise.
LOCAL_URL = http://$(HOST):$(PORT)/
SITE_URL ?= http://$(HOST):$(PORT)
# gunicorn as in production: a few processes, each with threads.
WORKERS ?= 2
THREADS ?= 4
GUNICORN = $(BIN)/gunicorn glossary_site.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
	--worker-class gthread --threads $(THREADS) --keep-alive 5

## Set up everything and serve the site as readers see it: gunicorn, DEBUG off.
run: install $(ENV_FILE) seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py demo_accounts --url $(LOCAL_URL)
	@echo "Serving on $(LOCAL_URL) with gunicorn; Ctrl-C stops it."
	SITE_URL=$(SITE_URL) $(GUNICORN)

## Django's development server with DEBUG on, reloading on every change.
dev: install $(ENV_FILE) seed
	$(BIN)/python manage.py demo_accounts --url $(LOCAL_URL)
	SITE_URL=$(SITE_URL) DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## The production server: gunicorn, configured by the environment (see .env.example).
# It writes no .env: app servers behind one load balancer must share one SECRET_KEY, given to them.
serve: install seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(GUNICORN) --access-logfile -

## Measure reader pages under load against a trivial endpoint (not part of `make test`).
bench: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py bench $(BENCH_ARGS)

## Time search and suggestions in-process at 1,000 and 100,000 terms (not part of `make test`).
bench-search: install
	$(BIN)/python manage.py bench_search $(BENCH_SEARCH_ARGS)

## Lighthouse scores for home, the A–Z index and a term page, served by gunicorn (needs npm; not part of `make test`).
audit: install
	$(BIN)/python manage.py audit $(AUDIT_ARGS)

## Migrate and load the starter glossary into an empty database.
seed: install
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python manage.py seed

# axe-core for the browser tests' accessibility checks (from the npm registry; installed again when its pin changes).
AXE := var/axe/node_modules/axe-core/axe.min.js
$(AXE): .ci/install-axe
	bash .ci/install-axe

## The whole suite: lint, migrations check, tests.
# The tests without a browser run on every core (pytest-xdist), each worker with its own test
# database; the browser tests share one served site, so they run in one process afterwards.
test: install lint $(AXE)
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/python -m pytest --numprocesses auto -m "not e2e"
	$(BIN)/python -m pytest -m e2e

## The tests again against the database in DATABASE_URL (see .ci/with-postgres).
test-postgres: install
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL to a PostgreSQL database, or run: bash .ci/with-postgres make test-postgres"; exit 2;; esac
	$(BIN)/python -m pytest --numprocesses auto -m "not e2e"

## The caching tests against the Redis in CACHE_URL, with two app servers sharing it (see .ci/with-redis).
test-redis: install
	@case "$$CACHE_URL" in redis://*) ;; *) echo "Set CACHE_URL to a Redis server, or run: bash .ci/with-redis make test-redis"; exit 2;; esac
	$(BIN)/python -m pytest tests/test_caching.py tests/test_redis.py

## Only the browser tests (tests/e2e): Debian's Chromium, driven by Playwright.
test-e2e: install $(AXE)
	$(BIN)/python -m pytest tests/e2e

## Ruff, and import-linter's contracts between the layers (pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

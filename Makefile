# LUK-portalen. `make run` to try it, `make test` for the whole suite. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install setup run worker test lint format messages bench demo-code clean

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo

# With REDIS_URL set, a Celery worker runs beside the server and stops with it.
run: setup
	@echo "LUK-portalen on http://$(HOST):$(PORT)/ (stop with Ctrl-C)"
	@mkdir -p var
	@if [ -n "$$REDIS_URL" ]; then \
		$(BIN)/celery -A luk_portal worker --beat --schedule=var/celerybeat-schedule --loglevel=INFO --concurrency=2 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT); \
	else \
		$(BIN)/python manage.py runserver $(HOST):$(PORT); \
	fi

# The demo staff's current second-factor code (they share demo.people.DEMO_TOTP_SECRET).
demo-code: install
	@$(BIN)/python manage.py demo_totp

worker: install
	mkdir -p var
	$(BIN)/celery -A luk_portal worker --beat --schedule=var/celerybeat-schedule --loglevel=INFO

# The OpenID Connect provider the sign-in tests run against (npm, pinned by its package-lock.json); skipped
# without Node.js (and then its tests skip, except under CI).
OIDC := accounts/tests/oidc
$(OIDC)/node_modules/.package-lock.json: $(OIDC)/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix $(OIDC) --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the sign-in tests with an OpenID Connect provider will skip"; fi

test: install $(OIDC)/node_modules/.package-lock.json
	$(BIN)/pytest

# The rooms depend one way (the import-linter contracts in pyproject.toml), then style and templates.
lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Needs GNU gettext (apt-get install gettext). The compiled catalogues are committed, so run and test do not.
messages: install
	$(BIN)/python manage.py makemessages -l nn -l nb -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=static
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Prints the figures the README explains; seeds a database per scale (var/bench/, or luk_bench_N on PostgreSQL).
bench: install
	$(BIN)/python manage.py bench

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 var .pytest_cache .ruff_cache

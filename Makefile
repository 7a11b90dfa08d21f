# PIL Tracker — the two commands of the README, and a few helpers.
#
#   make run        install, migrate, load the demo data once, run web + worker + beat (Ctrl-C stops all)
#   make dev        the same for developers: DEBUG on, the web server reloads on code changes
#   make test       install and run the whole test suite (honours DATABASE_URL / REDIS_URL)
#   make messages   re-extract the translatable strings (needs GNU gettext) and compile the catalogs
#   make compile-messages   compile locale/*/LC_MESSAGES/*.po to .mo (no gettext needed)
#   make lint       ruff check + format check
#   make typecheck  mypy (with django-stubs) over every app's services and selectors
#   make backup     one archive of the database and the uploaded files under var/backups/ (BACKUP_DIR)
#   make restore FILE=var/backups/pil-tracker-….tar.gz [FORCE=1]   restore it (docs/operations.md)
#
# Everything installs into .venv/ (Python) and node_modules/ (front-end), both from pinned files.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Not a secret: lets the test run start without a configured SECRET_KEY (the settings refuse to
# start without one unless DEBUG is on). An explicit SECRET_KEY in the environment wins.
TEST_SECRET_KEY := insecure-test-only-key-not-a-secret

.DEFAULT_GOAL := help
.PHONY: help install run dev test lint typecheck format messages compile-messages clean backup restore

help:
	@sed -n '3,12p' Makefile | sed 's/^# *//'

# ---- installation --------------------------------------------------------------------------

# The stamp is rebuilt when a requirements file changes (requirements.txt is the entry point for
# pip and IDEs: base.txt + postgres.txt). psycopg2 builds from source and needs pg_config
# (libpq-dev); without it, psycopg2-binary of the same version is installed instead.
$(BIN)/.installed: requirements.txt requirements/base.txt requirements/dev.txt requirements/postgres.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "PIL Tracker needs Python 3.11 or newer (set PYTHON=python3.11)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	@if command -v pg_config >/dev/null 2>&1; then \
		echo "pg_config found: installing psycopg2 from source (requirements/postgres.txt)"; \
		$(BIN)/python -m pip uninstall --quiet --yes psycopg2-binary >/dev/null 2>&1 || true; \
		$(BIN)/python -m pip install --quiet -r requirements/postgres.txt; \
	else \
		echo "pg_config not found: installing psycopg2-binary instead of psycopg2 (see README)"; \
		$(BIN)/python -m pip uninstall --quiet --yes psycopg2 >/dev/null 2>&1 || true; \
		$(BIN)/python -m pip install --quiet \
			$$(sed -n 's/^psycopg2==/psycopg2-binary==/p' requirements/postgres.txt); \
	fi
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(BIN)/.installed node_modules/.installed

# ---- the product ---------------------------------------------------------------------------

# scripts/run.py migrates, seeds the demo data once, then runs web (PORT, default 8000), the
# Celery worker and beat, and stops all three on Ctrl-C. `make run` serves with DEBUG off (the
# product's own error pages, a secret key generated once into var/); `make dev` with DEBUG on and
# runserver's auto-reload.
run: install
	$(BIN)/python scripts/run.py

dev: install
	$(BIN)/python scripts/run.py --dev
# ---- operations ----------------------------------------------------------------------------

# scripts/backup.py: pg_dump (custom format) or SQLite's online backup, plus MEDIA_ROOT, in one
# timestamped archive; restore refuses a non-empty database or media folder unless FORCE=1.
backup: $(BIN)/.installed
	$(BIN)/python scripts/backup.py backup

restore: $(BIN)/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/pil-tracker-….tar.gz [FORCE=1]"; exit 1; }
	$(BIN)/python scripts/backup.py restore "$(FILE)" $(if $(FORCE),--force)

# ---- tests and checks ----------------------------------------------------------------------

# Extra pytest arguments: make test ARGS="-k recommendation -x"
test: install
	SECRET_KEY="$${SECRET_KEY:-$(TEST_SECRET_KEY)}" $(BIN)/python -m pytest $(ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The files and the django-stubs plugin are configured in pyproject.toml ([tool.mypy]); the plugin
# imports the settings, hence the same SECRET_KEY fallback as the tests.
typecheck: $(BIN)/.installed
	SECRET_KEY="$${SECRET_KEY:-$(TEST_SECRET_KEY)}" $(BIN)/mypy --config-file pyproject.toml

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# ---- translations --------------------------------------------------------------------------

# makemessages needs GNU gettext (Debian: apt-get install gettext) — a developer's tool only;
# compiling needs nothing but polib, so a fresh clone never needs gettext.
messages: $(BIN)/.installed
	@command -v xgettext >/dev/null 2>&1 \
		|| { echo "make messages needs GNU gettext (apt-get install gettext)."; exit 1; }
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete \
		--ignore=node_modules --ignore=staticfiles --ignore=var --ignore=tests --ignore=bench --ignore=docs
	$(BIN)/python scripts/compile_messages.py

compile-messages: $(BIN)/.installed
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .mypy_cache

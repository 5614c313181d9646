# The commands a person types. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# settings.py makes SITE_URL from these, so that `make run PORT=8101` links to port 8101.
export HOST PORT

.PHONY: run install demo test worker fmt lint bench clean

# A virtual environment with the project and its development tools, rebuilt when
# pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

# Migrate and load the demo data (both idempotent), then serve the portal.
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole test suite on the embedded default; set DATABASE_URL (and CELERY_BROKER_URL) to
# run it on PostgreSQL (and Redis).
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# A Celery worker with the beat scheduler, for the production way to run.
worker: install
	$(BIN)/celery -A multiply worker --beat --loglevel=info

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Each benchmark runs on a database of its own (bench/common.py bench_env): bench/var/<name>.sqlite3,
# or <database>_<name> on DATABASE_URL's PostgreSQL server. documents renders the MULTIPLY plan,
# ten times MULTIPLY and 1,000 synthetic meetings: seconds, pages per second, WeasyPrint's alone.
bench: install
	$(BIN)/python bench/calendar_page.py
	$(BIN)/python bench/registrations.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/invitations.py
	$(BIN)/python bench/api_meetings.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

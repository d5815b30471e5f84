# pixoffice — two commands on a fresh machine:
#   make run    set up, migrate, load the demo data, serve http://127.0.0.1:8000 (SQLite, eager tasks)
#   make test   set up and run the whole test suite (local PostgreSQL and Redis on 127.0.0.1)
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pixoffice
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PROD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pixoffice
PROD_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run setup test lint check-migrations lint-imports bench worker beat web-prod stack messages clean

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	  $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

check-migrations: setup
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: setup
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python bench/run.py

messages: setup
	$(BIN)/python manage.py makemessages -l en -l fr --no-location --ignore=.venv --ignore=var
	$(BIN)/python manage.py fill_french_plurals
	$(BIN)/python manage.py compilemessages -l en -l fr --ignore=.venv

# --- the production-like stack without Docker (local PostgreSQL and Redis) -----------
web-prod: setup
	DATABASE_URL=$(PROD_DATABASE_URL) REDIS_URL=$(PROD_REDIS_URL) DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(PROD_DATABASE_URL) REDIS_URL=$(PROD_REDIS_URL) DEBUG=1 $(BIN)/gunicorn pixoffice.wsgi -b 127.0.0.1:8000 -w 2

worker: setup
	DATABASE_URL=$(PROD_DATABASE_URL) REDIS_URL=$(PROD_REDIS_URL) $(BIN)/celery -A pixoffice worker -Q default,imports,mail -l info -c 2

beat: setup
	DATABASE_URL=$(PROD_DATABASE_URL) REDIS_URL=$(PROD_REDIS_URL) $(BIN)/celery -A pixoffice beat -l info -s var/celerybeat-schedule

clean:
	rm -rf $(VENV) var/pixoffice.sqlite3

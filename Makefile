# Two commands for a newcomer: `make run` (the service on the embedded default) and
# `make test` (every test, ruff and mypy). Both create and fill the virtualenv themselves.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# Websocket limits (docs/security.md): larger messages close with 1009, invalid UTF-8 with
# 1007 (poradnia.serve is Daphne sending close frames); a handshake not finished in 10 s is
# dropped. The Dockerfile's CMD sets the same.
DAPHNE_LIMITS := --websocket-max-message-size 65536 --websocket-max-frame-size 65536 \
	--websocket_connect_timeout 10

.PHONY: install run test lint test-embedded test-services

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

run: install
	$(BIN)/python manage.py compile_catalogues
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_data
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python -m poradnia.serve -b 127.0.0.1 -p $(PORT) $(DAPHNE_LIMITS) poradnia.asgi:application

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

# Pass 1: the embedded default (SQLite, in-memory channel layer) plus the Redis-layer tests;
# then the browser tests in a process of their own (Playwright's sync API keeps an event loop
# running, which async tests must not share). Pass 2: the suite on PostgreSQL and Redis.
test-embedded: install node_modules/.installed
	$(BIN)/python manage.py compile_catalogues
	$(BIN)/python -m pytest -m "not browser" -p no:cacheprovider
	$(BIN)/python -m pytest -m browser -p no:cacheprovider tests/browser

test-services: install
	@$(BIN)/python tests/services_available.py; status=$$?; \
	if [ $$status -eq 0 ]; then \
		DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DJANGO_DEBUG=1 STAFF_TWO_FACTOR=0 \
		SECRET_KEY=test-only-secret $(BIN)/python -m pytest -m "not browser" -p no:cacheprovider; \
	elif [ $$status -ne 1 ]; then exit 1; fi

test: lint test-embedded test-services

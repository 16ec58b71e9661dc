# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX ?= $(or $(GUIDELINE_QA_INDEX),index)
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test index lint bench fuzz clean browser install lock

# Every dependency, direct and transitive, at the version and SHA-256 of requirements.lock; then the
# project itself with no dependency of its own choosing.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# After changing a dependency in pyproject.toml: compile requirements.lock again (pip-tools in a
# throwaway venv, never in .venv; pip's own configuration says where packages come from).
PIP_TOOLS ?= pip-tools==7.6.2
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check '$(PIP_TOOLS)'
	.lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra test \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml
	rm -rf .lock-venv

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

# The property tests with the deep budget (3,000 examples per importer), and the hostile-file builds.
fuzz: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider --hypothesis-profile=deep --hypothesis-show-statistics \
		tests/indexer/test_fuzz.py tests/assistant/test_batch_fuzz.py
	$(PY) -m benchmarks.hostile_input

MEDQUAD ?= ../shared/medquad
SPEED_CORPUS ?= $(MEDQUAD)/1_CancerGov_QA
bench: $(STAMP) browser
	$(PY) -m benchmarks.build_throughput
	$(PY) -m indexer build --corpus $(CORPUS) --index .bench/sample --if-stale
	$(PY) -m indexer build --corpus $(MEDQUAD) --index .bench/medquad --if-stale
	$(PY) -m benchmarks.ask_latency .bench/sample .bench/medquad
	$(PY) -m benchmarks.load --index .bench/sample
	$(PY) -m benchmarks.speed --corpus $(SPEED_CORPUS)

clean:
	rm -rf $(VENV) $(INDEX) .pytest_cache .ruff_cache .mypy_cache

# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX ?= index
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test index lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	$(PY) -m indexer build --corpus $(CORPUS) --index $(INDEX) --if-stale

run: index
	$(PY) -m streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--browser.gatherUsageStats false --server.headless true -- --index $(INDEX)

lint: $(STAMP)
	$(PY) -m ruff check .

test: lint
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m benchmarks.build_throughput

clean:
	rm -rf $(VENV) $(INDEX) .pytest_cache .ruff_cache

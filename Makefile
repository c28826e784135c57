# Two commands matter: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench serve clean launcher cluster

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: install
	$(BIN)/python ingest.py add
	$(BIN)/flask --app web run --host 127.0.0.1 --port 5000

serve: install
	$(BIN)/flask --app web run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/search.py

# The OpenSearch test cluster (tests/opensearch_cluster.py); `make test` builds it when needed.
launcher: install
	$(BIN)/python tests/opensearch_cluster.py --build-only

cluster: install
	$(BIN)/python tests/opensearch_cluster.py --nodes 3

clean:
	rm -rf $(VENV) instance .pytest_cache opensearch-launcher/target

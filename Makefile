# Two commands matter: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

AXE    := node_modules/axe-core/axe.min.js
# pytest workers (pytest-xdist); tests/conftest.py schedules a module, and all the cluster tests, as one unit
TEST_WORKERS ?= 2

.PHONY: install demo test bench serve clean screenshots launcher cluster

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

# axe-core (pinned in package.json, from the npm registry) for the browser tests' accessibility checks
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(AXE)

test: install $(AXE)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

# The README's screenshots of the search page (desktop and phone), rewritten on purpose only
screenshots: install
	$(BIN)/python tests/screenshots.py

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
	rm -rf $(VENV) instance .pytest_cache node_modules opensearch-launcher/target

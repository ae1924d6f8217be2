# Two commands: `make run` serves the bundled fixture on http://127.0.0.1:8000,
# `make test` runs the whole suite but the browser tests (`make test-ui`: headless Chromium).
# Both create .venv and install on first use (`make test` also runs `npm ci` in tests/interop/openim_js).
# `make wheel` builds dist/im_emulator-*.whl; `make image` the container image (IMAGE, from
# python:3.11-slim, or where no registry answers from Debian's packages: see docker/build-image.sh);
# `make image-test` builds it, runs it and checks it (needs Docker; not part of `make test`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2
IMAGE ?= im-emulator:latest

.PHONY: run test test-ui fuzz bench wheel image image-test clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/im-emulator

# The interop suite's Node.js package (tests/interop/openim_js: an official JavaScript client SDK),
# installed by npm from its lock file with the machine's Node.js 20.
NODE_SDK := tests/interop/openim_js
NODE_STAMP := $(NODE_SDK)/node_modules/.installed
$(NODE_STAMP): $(NODE_SDK)/package-lock.json
	cd $(NODE_SDK) && npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --ignore=tests/ui

# The web inspector in headless Chromium (Debian's chromium; `apt-get install chromium
# chromium-driver`), driven by Playwright (the ui extra); screenshots in build/ui-artifacts/.
UI_STAMP := $(VENV)/.installed-ui
$(UI_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,ui]'
	touch $(UI_STAMP)

test-ui: $(UI_STAMP)
	$(BIN)/python -m pytest tests/ui

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -n $(PYTEST_WORKERS) tests/properties

# make bench BENCH_ARGS='--only P1,P2 --compare ../before' runs both checkouts alternately.
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

wheel: $(STAMP)
	$(BIN)/python -m pip wheel -q --no-deps -w dist .

image:
	PYTHON=$(PYTHON) docker/build-image.sh $(IMAGE)

image-test: $(STAMP)
	PYTHON=$(PYTHON) SMOKE_PYTHON=$(BIN)/python docker/image-test.sh $(IMAGE)

clean:
	rm -rf $(VENV) build dist *.egg-info $(NODE_SDK)/node_modules

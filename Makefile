# newsflow developer tasks.  `make test` on a fresh clone: venv, Kafka jars, then pytest.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.newsflow-installed
PYTEST_ARGS ?=

.PHONY: venv kafka test test-native lint demo bench clean broker-start broker-stop

venv: $(STAMP)

# Re-installs when pyproject.toml or the Rust core changes (or the venv is missing); the
# install compiles workers/native with cargo (setuptools-rust).
NATIVE := workers/native/Cargo.toml workers/native/Cargo.lock $(wildcard workers/native/src/*.rs)
$(STAMP): pyproject.toml $(NATIVE)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

# Downloads the Kafka 4.1.1 jars with Maven into ~/.cache/newsflow (or $$NEWSFLOW_KAFKA_HOME).
kafka: venv
	$(BIN)/python -m workers.broker install

test: venv kafka test-native
	$(BIN)/python -m pytest -q $(PYTEST_ARGS) || { rc=$$?; echo "pytest exited with code $$rc" >&2; exit $$rc; }

# The Rust core's own unit tests link libpython, which only a Python built with
# --enable-shared provides (pyenv, python.org builds; Debian: libpython3.X-dev). The check
# runs in the recipe: at parse time a fresh clone has no venv yet.
PY_CONFIG = $(BIN)/python -c "import sysconfig as s, sys; print(s.get_config_var(sys.argv[1]) or 0)"
test-native: venv
	@if [ "$$($(PY_CONFIG) Py_ENABLE_SHARED)" = 1 ]; then \
		set -x; PYO3_PYTHON=$(abspath $(BIN)/python) LD_LIBRARY_PATH="$$($(PY_CONFIG) LIBDIR)" \
			cargo test -q --no-default-features --manifest-path workers/native/Cargo.toml; \
	else \
		echo "Rust unit tests skipped: $(BIN)/python has no shared libpython to link them against" >&2; \
	fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	cargo fmt --manifest-path workers/native/Cargo.toml --check
	cargo clippy -q --release --manifest-path workers/native/Cargo.toml -- -D warnings

demo: venv kafka
	$(BIN)/newsflow demo

bench: venv
	$(BIN)/newsflow bench

broker-start: venv kafka
	$(BIN)/python -m workers.broker start

broker-stop: venv
	$(BIN)/python -m workers.broker stop

clean:
	-test -x $(BIN)/python && $(BIN)/python -m workers.broker stop
	rm -rf var build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint demo-data bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/c1 run --raw data/raw --out data/published --work work

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

# Regenerate the shipped demo election (deterministic: byte-identical files).
demo-data: $(STAMP)
	$(BIN)/c1 demo-data data/raw

bench: $(STAMP)
	$(BIN)/python benchmarks/national.py

clean:
	rm -rf work data/published/*/ .pytest_cache

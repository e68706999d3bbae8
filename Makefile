PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test torture bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/acuplan

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

torture: $(STAMP)
	ACUPLAN_TORTURE=full $(BIN)/python -m pytest tests/reliability -m torture -p no:cacheprovider
	$(BIN)/python benchmarks/crash_states.py --full

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info

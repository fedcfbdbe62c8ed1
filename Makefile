# miner: two commands do everything (see README.md).
#   make app   install, build the demo data if missing, open the Streamlit app
#   make test  install, ruff check, ruff format --check, pytest
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := data/demo/feedback.csv
DEMO_RUN := runs/demo
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install app test demo demo-run lint format clean bench

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# torch first, pinned to the CPU wheel, so nothing pulls a CUDA build.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

$(DEMO): data/make_demo.py | $(STAMP)
	$(BIN)/python data/make_demo.py --out data/demo

demo: $(DEMO)

$(DEMO_RUN)/documents.parquet: $(DEMO) | $(STAMP)
	$(BIN)/miner fit $(DEMO) --text-col comment --id-col customer_id --out $(DEMO_RUN)

demo-run: $(DEMO_RUN)/documents.parquet

app: demo-run
	$(BIN)/python -m miner.app_server -- --run $(DEMO_RUN)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

bench: install demo
	$(BIN)/python bench/fit_speed.py

clean:
	rm -rf $(VENV) runs data/demo .pytest_cache

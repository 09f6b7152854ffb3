# PlainDesk: `make run` opens the agent console on a demo database; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: install bytecode run kiosk test bench bench-quick eval screenshots lint clean

install: $(STAMP)

# Reinstall only when the project's dependencies change, so a second `make run` starts at once.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

$(DEMO_DB): | $(STAMP)
	$(BIN)/plaindesk demo --db $(DEMO_DB)

run: install bytecode $(DEMO_DB)
	$(BIN)/plaindesk --db $(DEMO_DB)

kiosk: install bytecode $(DEMO_DB)
	$(BIN)/plaindesk kiosk --db $(DEMO_DB)

# Compiled modules, kept up to date: with PYTHONDONTWRITEBYTECODE set (common in containers) Python
# would otherwise compile all of PlainDesk again at every start, a third of the time to the first frame.
bytecode: install
	@$(BIN)/python -m compileall -q tui

test: install
	$(BIN)/python -m pytest

bench: install bytecode
	$(BIN)/python bench/run.py

bench-quick: install bytecode
	$(BIN)/python bench/run.py --quick

# The plain-language checker on labelled replies: recall and false flags, per category.
eval: install
	$(BIN)/python -m tui.plain.evaluate ../shared/eval/plain_public.yaml tests/eval/plain_labelled.yaml --held-out tests/eval/plain_heldout.yaml tests/eval/plain_heldout2.yaml tests/eval/plain_heldout3.yaml

screenshots: install
	$(BIN)/python screenshots/make.py

lint: install
	$(BIN)/ruff check tui tests bench screenshots
	$(BIN)/ruff format --check tui tests bench screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv

.PHONY: demo test install clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/meeting --data ./data demo

test: $(VENV)/.installed
	VENV=$(VENV) ./scripts/test

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache

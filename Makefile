# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv

.PHONY: demo test install clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

# The paper reader's PDF.js, at the version of clients/web/package-lock.json (Python only).
WEB_VENDOR = clients/web/vendor/pdfjs/VERSION
$(WEB_VENDOR): clients/web/package-lock.json scripts/web_vendor.py
	$(PYTHON) scripts/web_vendor.py

install: $(VENV)/.installed $(WEB_VENDOR)

demo: $(VENV)/.installed $(WEB_VENDOR)
	$(VENV)/bin/meeting --data ./data demo

test: $(VENV)/.installed $(WEB_VENDOR)
	VENV=$(VENV) ./scripts/test

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache clients/web/vendor

# Frontline Trainer: `make run` to try it, `make test` to test it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test validate translations i18n-extract clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Catalogs are compiled from the committed .po files, never committed as binaries.
translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d trainer/translations

install: $(STAMP) translations

run: install
	$(BIN)/trainer init
	$(BIN)/trainer demo
	$(BIN)/trainer serve

test: install
	$(BIN)/pytest

validate: install
	$(BIN)/trainer validate --bar

# After changing UI strings: refresh the template and merge it into the catalogs.
i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --omit-header -o trainer/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --width 100 -i trainer/translations/messages.pot -d trainer/translations

clean:
	rm -rf $(VENV) .pytest_cache

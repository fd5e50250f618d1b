# Sarangbang: `make run` sets everything up and runs the demo; `make test` sets up and tests.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# pytest-xdist workers: two per core, at most six. A third of the suite waits on brokers,
# processes and clocks rather than computing, and each kiosk worker holds its own window
# (~1.3 GB): on CI's 2 cores, 4 workers finish sooner than 2 (README, Tests)
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n * 2 > 6 ? 6 : n * 2 )))

.PHONY: run kiosk test setup system lint typecheck check-lessons bench clean demo-class central gallery practice-matrix

# the whole platform: central (broker, intake, dashboard), a site bridged to it over TLS,
# a simulated robot, the class runner, a sync agent and the kiosk (scripts/demo.sh)
run: setup
	$(PY) -m lessons check lessons/library
	./scripts/demo.sh

# the kiosk alone on a demo roster, no network
kiosk: setup
	$(PY) -m kiosk_app --demo var/kiosk-demo

# central alone: its broker, intake and the instructor dashboard (first admin printed once)
central: setup
	@./scripts/run-central.sh

test: setup lint typecheck
	$(PY) -m lessons check lessons/library
	$(PY) -m lessons lint lessons/library --baseline lessons/library/lint-baseline.txt
	$(PY) -m pytest -q -n $(TEST_WORKERS) -m "not alone"
	$(PY) -m pytest -q -m alone

setup: system $(STAMP)

system:
	@./scripts/install-system-packages.sh

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,kiosk,voice,bridge,central]'
	touch $@

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy lessons kiosk_app central robot_bridge

# A robot-led class on a private broker with a simulated robot; exits when the class ends.
demo-class: setup
	./scripts/demo-class.sh

# every screen state of the library, side by side: the practice play-through on the 24-inch
# screen in Korean takes a screenshot of each, then artifacts/practice/index.html shows them
gallery: setup
	rm -rf artifacts/practice
	SARANGBANG_GALLERY=1 $(PY) -m pytest -q tests/kiosk_app/test_practice_play.py -k "every_practice_step and 24in and ko"
	$(PY) scripts/gallery_index.py

# every practice of every lesson by touch on both screens, both languages, two text sizes
practice-matrix: setup
	SARANGBANG_PRACTICE_MATRIX=full $(PY) -m pytest -q tests/kiosk_app/test_practice_play.py

bench: setup
	@for f in bench/*.py; do [ -e "$$f" ] || continue; echo "== $$f"; $(PY) "$$f"; done

clean:
	rm -rf $(VENV) var artifacts .pytest_cache .mypy_cache .ruff_cache

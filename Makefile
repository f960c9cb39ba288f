# Rounds — two commands: `make run` and `make test`. Everything else is a helper target.
SHELL := /bin/bash
# A Python 3.12 or newer, found by scripts/find_python.sh unless PYTHON=... is given.
PYTHON ?= $(shell scripts/find_python.sh 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
# Exact versions with hashes; `make lock` refreshes them from the ranges in pyproject.toml.
LOCK_RUN := requirements/run.lock
LOCK_TEST := requirements/test.lock
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
# Shared libraries Qt (widgets, multimedia, pdf) needs at run time on Debian.
APT_PACKAGES := libpulse0 libxrandr2 libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libglib2.0-0 \
	libfontconfig1 libfreetype6 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 \
	xvfb binutils
# What the packaging tests check the .deb's desktop entry and AppStream metainfo with.
PACKAGING_TOOLS := appstream desktop-file-utils
NPM_CACHE := $(HOME)/.cache/rounds-test-npm
RALPH_VENV := $(HOME)/.cache/rounds-test-ralph
RALPH_VERSION := 5.1.0
export QT_LOGGING_RULES ?= qt.multimedia*=false

.PHONY: run test sysdeps pydeps install install-test lock lint typecheck contracts pytest bench dist clean \
	translations qm screenshots postgres ralph oidc icons deb

# A venv made by a Python older than 3.12 (an earlier checkout) is replaced.
ifneq ($(wildcard $(PY)),)
ifneq ($(shell $(PY) -c 'import sys; print(sys.version_info >= (3, 12))' 2>/dev/null),True)
$(shell rm -rf $(VENV))
endif
endif

run: install
	$(PY) -m desktop_app --demo

test: install-test lrs ralph oidc postgres
	$(MAKE) --no-print-directory lint typecheck contracts pytest

sysdeps:
	@missing=$$(for p in $(APT_PACKAGES) $(PACKAGING_TOOLS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system libraries: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The chosen Python's venv module (Debian ships it apart, as python3.X-venv).
pydeps:
	@scripts/find_python.sh "$(PYTHON)" >/dev/null
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
		pkg=python$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv; \
		echo "Installing $$pkg"; SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$pkg >/dev/null; }

$(PY):
	$(MAKE) --no-print-directory sysdeps pydeps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP_RUN): pyproject.toml $(LOCK_RUN) | $(PY)
	$(MAKE) --no-print-directory sysdeps
	$(PY) -m pip install -q --require-hashes -r $(LOCK_RUN)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

$(STAMP_TEST): pyproject.toml $(LOCK_TEST) | $(PY)
	$(MAKE) --no-print-directory sysdeps
	$(PY) -m pip install -q --require-hashes -r $(LOCK_TEST)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $@ $(STAMP_RUN)

# Re-resolve the locked versions within pyproject.toml's ranges (needs the network).
lock: | $(PY)
	$(PY) -m pip install -q "uv>=0.9,<0.14"
	$(VENV)/bin/uv pip compile pyproject.toml requirements/build.in --extra server --universal --python-version 3.12 \
		--generate-hashes --no-header -q -o $(LOCK_RUN)
	$(VENV)/bin/uv pip compile pyproject.toml requirements/build.in --extra test --universal --python-version 3.12 \
		--generate-hashes --no-header -q -o $(LOCK_TEST)

# The translations are built, not committed: every target that installs has them.
install: $(STAMP_RUN)
	@$(MAKE) --no-print-directory qm
install-test: $(STAMP_TEST)
	@$(MAKE) --no-print-directory qm

# The window's text from desktop_app/ into resources/translations/*.ts (new text unfinished).
translations: | $(PY)
	$(PY) scripts/translations.py update

# The .ts sources compiled to the .qm files the app loads.
TS_FILES := $(wildcard resources/translations/rounds_*.ts)
qm: $(TS_FILES:.ts=.qm)
resources/translations/%.qm: resources/translations/%.ts | $(PY)
	$(PY) scripts/translations.py release --only $*

# The application's icon: resources/icons/rounds.svg rendered to the PNG sizes and rounds.ico
# beside it (committed, so a checkout and a build have them; run again after editing the SVG).
icons: | $(PY)
	$(PY) scripts/icons.py

# A PNG of every page (light, dark, Spanish at 150 %) into docs/screenshots/.
screenshots: install-test
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshots.py

# The third-party Learning Record Store used by the interoperability tests.
lrs: $(NPM_CACHE)/node_modules/xapi-statements/package.json
$(NPM_CACHE)/node_modules/xapi-statements/package.json:
	@command -v npm >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	mkdir -p $(NPM_CACHE)
	cd $(NPM_CACHE) && npm install --no-audit --no-fund --silent xapi-statements@5.0.1

# The certified OpenID Connect provider the single sign-on tests run (tests/sso/provider.js).
oidc: $(NPM_CACHE)/node_modules/oidc-provider/package.json
$(NPM_CACHE)/node_modules/oidc-provider/package.json: | $(NPM_CACHE)/node_modules/xapi-statements/package.json
	cd $(NPM_CACHE) && npm install --no-audit --no-fund --silent oidc-provider@9.13.3

# ralph, the second third-party LRS of the interoperability tests (tests/lrs/ralph.py), in a venv
# of its own: its pins conflict with ours. Its CLI extra and requests are imported by its API.
ralph: $(RALPH_VENV)/.installed-$(RALPH_VERSION)
$(RALPH_VENV)/.installed-$(RALPH_VERSION): | $(PY)
	rm -rf $(RALPH_VENV)
	$(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/python -m pip install -q "ralph-malph[cli,lrs]==$(RALPH_VERSION)" requests
	touch $@

# PostgreSQL's programs for the server tests, which start a throwaway cluster of their own
# (tests/server/postgres_cluster.py); Debian's package when none is installed.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { \
		echo "Installing PostgreSQL"; SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
		postgresql >/dev/null; }

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy

contracts:
	$(VENV)/bin/lint-imports

# Two worker processes, each taking a whole test file (or an xdist_group) at a time, the slow
# ones first (tests/plugins/workers.py); PYTEST_WORKERS=0 runs everything in this process.
PYTEST_WORKERS ?= 2
pytest:
	QT_QPA_PLATFORM=offscreen ROUNDS_LRS_DIR=$(NPM_CACHE) $(PY) -m pytest -q -p no:cacheprovider \
		-n $(PYTEST_WORKERS) --dist loadgroup; \
	rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

bench: install-test
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

# dist/rounds/ (rounds, rounds-cli, _internal/) and its bill of materials dist/rounds.cdx.json
dist: install-test
	$(VENV)/bin/pyinstaller --noconfirm --clean build.spec
	$(PY) scripts/sbom.py --out dist/rounds.cdx.json

# dist/rounds_VERSION_amd64.deb from the build (installs under /opt/rounds)
deb: dist
	$(PY) scripts/deb.py --dist dist/rounds --out dist

clean:
	rm -rf build dist .mypy_cache .ruff_cache

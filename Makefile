# The README's two commands. Both create .venv and install tunebench on first use.
PY := .venv/bin/python
PIP := .venv/bin/pip
STAMP := .venv/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)

.PHONY: demo test install clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	# torch first, pinned: takes the CPU wheel on this disk instead of a multi-GB CUDA build
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[test]'
	rm -f .venv/.installed-* && touch $@

install: $(STAMP)

demo: $(STAMP)
	.venv/bin/tunebench demo $(DEMO_ARGS)

# The report's browser test drives Debian's chromium and the store tests a real PostgreSQL server
# (tests/postgres.py starts a throw-away cluster); both are installed here when this machine allows it
# (root and apt-get), otherwise those tests are skipped and say why.
test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; } \
		|| echo "tunebench: chromium could not be installed here; the browser test will be skipped"
	@{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || \
		{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1; } \
		|| echo "tunebench: PostgreSQL could not be installed here; the server-store tests will be skipped"
	$(PY) -m pytest -q $(PYTEST_ARGS)

clean:
	rm -rf .venv tunebench-out .pytest_cache

# Developer entry points. Each target installs what it needs on first use (see README.md).
.PHONY: help test test-quick sanity units integration inventory lint pytest chaos demo build clean

help:
	@echo "make test        all tests on ansible-core 2.16, 2.19 and 2.21 (sanity, units, integration, pytest)"
	@echo "make test-quick  the same on ansible-core 2.19 only"
	@echo "make sanity | units | integration | inventory | lint | pytest   one kind of stage"
	@echo "make chaos       run examples/site.yml 20 times through random API faults (CHAOS_RUNS, CHAOS_SEED)"
	@echo "make demo        run examples/site.yml twice against the API simulator"
	@echo "make build       build the collection tarball"
	@echo "make clean       remove venvs, test output and built tarballs"

test:
	bash tests/run-tests.sh

test-quick:
	RUNCLOUD_TEST_QUICK=1 bash tests/run-tests.sh

sanity units integration inventory lint pytest:
	bash tests/run-tests.sh $@

CHAOS_RUNS ?= 20
CHAOS_SEED ?= 1
chaos:
	bash -c 'source tests/lib/bootstrap.sh && rc_ensure_main_venv "$$PWD"' && .venv/bin/python tests/chaos/chaos.py --runs $(CHAOS_RUNS) --seed $(CHAOS_SEED)

demo:
	bash examples/run-demo.sh

build:
	bash -c 'source tests/lib/bootstrap.sh && rc_ensure_main_venv "$$PWD"' && .venv/bin/ansible-galaxy collection build --force

clean:
	rm -rf .venv .venvs tests/output .pytest_cache runcloud-cloud-*.tar.gz

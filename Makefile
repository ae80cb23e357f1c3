# Developer entry points. Each target installs what it needs on first use (see README.md).
.PHONY: help test test-quick sanity units integration inventory adopt lint galaxy-importer eda variants pytest chaos demo awx-job adopt-roundtrip build docs clean

help:
	@echo "make test        every stage: sanity, units, integration, inventory, adopt on the ansible-core lanes (tests/run-tests.sh --plan: today's splits); examples, variants, awx, eda on API v2 and v3; galaxy-importer, docs, lint, pytest (logs in tests/output/logs)"
	@echo "make test-quick  the same with only ansible-core 2.19 for the per-version stages"
	@echo "make sanity | units | integration | inventory | lint | galaxy-importer | eda | variants | pytest   one kind of stage"
	@echo "make docs        lint the docs and build the documentation site (docs/site/build/html)"
	@echo "make chaos       run examples/site.yml 20 times through random API faults (CHAOS_RUNS, CHAOS_SEED)"
	@echo "make demo        run examples/site.yml and examples/fleet.yml twice each against the API simulator"
	@echo "make awx-job     examples/fleet.yml from the tarball through AWX's steps (project sync, inventory update, jobs, slices); EE definitions"
	@echo "make adopt-roundtrip  the export round trip on more and larger random accounts (ROUNDTRIP_ACCOUNTS, ROUNDTRIP_SIZE, ROUNDTRIP_SEED)"
	@echo "make build       build the collection tarball (SITE_PAGES=1: with the documentation site's guide pages, as for a release)"
	@echo "make clean       remove venvs, test output and built tarballs"

test:
	bash tests/run-tests.sh

test-quick:
	RUNCLOUD_TEST_QUICK=1 bash tests/run-tests.sh

sanity units integration inventory adopt lint galaxy-importer eda variants pytest:
	bash tests/run-tests.sh $@

CHAOS_RUNS ?= 20
CHAOS_SEED ?= 1
chaos:
	bash -c 'source tests/lib/bootstrap.sh && rc_ensure_main_venv "$$PWD"' && .venv/bin/python tests/chaos/chaos.py --runs $(CHAOS_RUNS) --seed $(CHAOS_SEED)

demo:
	bash examples/run-demo.sh

awx-job:
	bash tests/awx/run-awx-job.sh

SITE_PAGES ?= 0
ROUNDTRIP_ACCOUNTS ?= 40
ROUNDTRIP_SIZE ?= medium
adopt-roundtrip:
	ROUNDTRIP_ACCOUNTS=$(ROUNDTRIP_ACCOUNTS) ROUNDTRIP_SIZE=$(ROUNDTRIP_SIZE) bash tests/adopt/run-roundtrip.sh

build:
	RUNCLOUD_BUILD_SITE_PAGES=$(SITE_PAGES) bash -c 'source tests/lib/bootstrap.sh && rc_build_collection "$$PWD" "$$PWD"'

docs:
	bash tests/docs-site.sh

clean:
	rm -rf .venv .venvs tests/output .pytest_cache docs/site runcloud-cloud-*.tar.gz

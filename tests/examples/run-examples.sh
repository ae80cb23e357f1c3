#!/usr/bin/env bash
# The `examples` stage of tests/run-tests.sh: the playbooks of the README and the role READMEs run as
# written against the simulator, check mode compared with the real run (check_examples.py), and the
# quick start from an installed tarball (check_installed.py). Uses the main venv.
#
#   tests/examples/run-examples.sh [pytest args, e.g. -k laravel]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"
rc_ensure_main_venv "$ROOT"
cd "$ROOT/tests/examples"
exec "$ROOT/.venv/bin/python" -m pytest -p no:cacheprovider check_examples.py check_installed.py "$@"

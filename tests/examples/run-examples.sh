#!/usr/bin/env bash
# The `examples` stage of tests/run-tests.sh: the playbooks of the README and the role READMEs run as
# written against the simulator, check mode compared with the real run (check_examples.py), and the
# quick start from an installed tarball (check_installed.py). Uses the main venv, or with --core the
# venv of that ansible-core (its ansible-playbook and ansible-galaxy run the examples); with --api 3
# against the simulator's API v3 (its URL and JWT, nothing else changed), by default API v2.
# Some tests run against one API version whatever --api says (pytest markers v3_only and v2_setup, see
# pytest.ini); --without MARKER leaves them out, so that a full run has each of them once.
#
# --daily-half runs the playbooks of examples/ and half of the README examples, the other half on the
# next UTC day (RUNCLOUD_TEST_DATE=YYYY-MM-DD another day's): the examples-2.22 stage on API v3.
#
#   tests/examples/run-examples.sh [--core 2.22] [--api 3] [--without v3_only] [--daily-half] [pytest args, e.g. -k laravel]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"
venv=.venv
if [ "${1:-}" = --core ]; then
    row="$(rc_core_venv "${2:-}")" || rc_die "no venv for ansible-core ${2:-} (2.16, 2.19, 2.21 or 2.22)"
    read -r venv python req <<< "$row"
    shift 2
    rc_ensure_venv "$ROOT/$venv" "$python" "$ROOT/$req"
else
    rc_ensure_main_venv "$ROOT"
fi
export RUNCLOUD_TEST_API_VERSION=2
if [ "${1:-}" = --api ]; then
    case "${2:-}" in 2|3) RUNCLOUD_TEST_API_VERSION="$2" ;; *) rc_die "--api takes 2 or 3, not '${2:-}'" ;; esac
    shift 2
fi
without=()
while [ "${1:-}" = --without ]; do
    case "${2:-}" in v3_only|v2_setup) without+=("not $2") ;; *) rc_die "--without takes v3_only or v2_setup, not '${2:-}'" ;; esac
    shift 2
done
if [ "${1:-}" = --daily-half ]; then
    shift
    RUNCLOUD_EXAMPLES_HALF=$(( $(date -u -d "${RUNCLOUD_TEST_DATE:-now}" +%s) / 86400 % 2 ))
    export RUNCLOUD_EXAMPLES_HALF
    rc_log "the examples/ playbooks and half $RUNCLOUD_EXAMPLES_HALF of the README examples (the other half on the next UTC day)"
fi
selection=()
if [ "${#without[@]}" -gt 0 ]; then
    joined="$(printf ' and %s' "${without[@]}")"
    selection=(-m "${joined# and }")
fi
rc_log "examples against the simulator's API v$RUNCLOUD_TEST_API_VERSION${selection[*]:+ (${selection[*]})}"
cd "$ROOT/tests/examples"
exec "$ROOT/$venv/bin/python" -m pytest -p no:cacheprovider "${selection[@]}" check_examples.py check_installed.py "$@"

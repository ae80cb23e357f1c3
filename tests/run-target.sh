#!/usr/bin/env bash
# Runs integration targets straight from the checkout with the main venv (.venv), without
# ansible-test: the quickest way to try a target while working on it.
#
#   tests/run-target.sh web_app [more targets...] [-- extra ansible-playbook args]
#
# ansible-test (make integration) remains the reference run; this only saves its setup time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"
rc_ensure_main_venv "$ROOT"

targets=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    targets+=("$1")
    shift
done
[ "${1:-}" = "--" ] && shift
[ "${#targets[@]}" -gt 0 ] || { echo "usage: $0 TARGET... [-- ansible-playbook args]" >&2; exit 2; }

collections="$(mktemp -d)"
trap 'rm -rf "$collections"' EXIT
mkdir -p "$collections/ansible_collections/runcloud"
ln -s "$ROOT" "$collections/ansible_collections/runcloud/cloud"

status=0
for target in "${targets[@]}"; do
    dir="$ROOT/tests/integration/targets/$target"
    [ -x "$dir/runme.sh" ] || { echo "no runnable target: $target" >&2; status=1; continue; }
    rc_log "target $target"
    if ! (cd "$dir" && PATH="$ROOT/.venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$collections" \
            RUNCLOUD_SIM_SCRIPT="$ROOT/tests/simulator/runcloud_sim.py" \
            ANSIBLE_TEST_PYTHON_INTERPRETER="$ROOT/.venv/bin/python" ./runme.sh "$@"); then
        rc_log "target $target FAILED"
        status=1
    fi
done
exit "$status"

#!/usr/bin/env bash
# `make demo`: runs examples/site.yml, then examples/fleet.yml, twice each against the RunCloud API
# simulator (seeded with three servers for the fleet).
#
# - makes sure the main venv (.venv, ansible-core + requests) exists (tests/lib/bootstrap.sh);
# - starts tests/simulator/runcloud_sim.py on a free loopback port and reads its URL;
# - exposes this checkout as runcloud.cloud through a temporary collections directory;
# - runs the playbook twice with examples/demo-inventory.yml (the machine itself plays the new server)
#   and fails if the second run reports any change, or if any run prints a [WARNING] (the demo is what a
#   new user sees first: a warning there is the collection's to fix).
# Environment: RUNCLOUD_DEMO_PLAYBOOK (default examples/site.yml), RUNCLOUD_DEMO_INVENTORY (default
# examples/demo-inventory.yml), RUNCLOUD_DEMO_API_VERSION (2, the default, or 3: the same playbooks
# against the simulator's API v3, with its URL and token and nothing else changed); extra arguments go to
# ansible-playbook (e.g. -v).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"

PLAYBOOK="${RUNCLOUD_DEMO_PLAYBOOK:-examples/site.yml}"
INVENTORY="${RUNCLOUD_DEMO_INVENTORY:-examples/demo-inventory.yml}"
[ -f "$PLAYBOOK" ] || rc_die "playbook not found: $PLAYBOOK"

rc_ensure_main_venv "$ROOT"
VENV="$ROOT/.venv"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/runcloud-demo.XXXXXX")"
cleanup() {
    rc_stop_simulator
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rc_log "starting the RunCloud API simulator"
API_VERSION="${RUNCLOUD_DEMO_API_VERSION:-2}"
rc_start_simulator "$VENV/bin/python" "$ROOT" "$WORK" --seed-servers 3 --api-version "$API_VERSION"
RUNCLOUD_API_URL="$RC_SIM_URL"
export RUNCLOUD_API_URL
RUNCLOUD_API_TOKEN="$RC_SIM_TOKEN"  # on v3 the simulator's JWT
export RUNCLOUD_API_TOKEN
rc_log "simulator at $RUNCLOUD_API_URL"

# This checkout as runcloud.cloud, without installing it anywhere.
mkdir -p "$WORK/collections/ansible_collections/runcloud"
ln -s "$ROOT" "$WORK/collections/ansible_collections/runcloud/cloud"
export ANSIBLE_COLLECTIONS_PATH="$WORK/collections"
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_NOCOLOR=1
export PATH="$VENV/bin:$PATH"

# recap_changed LOG -> total of changed=N over all hosts in the PLAY RECAP.
recap_changed() {
    sed -n '/^PLAY RECAP/,$p' "$1" | grep -oE 'changed=[0-9]+' | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }'
}

# Warnings that are not the collection's doing, as extended regular expressions, each with its reason.
# None so far: this script turns off the localhost and unparsed-inventory notices above.
NOT_THE_COLLECTIONS_WARNINGS=()

# fail_on_warnings LOG WHAT : dies if the ansible-playbook stderr in LOG has a [WARNING] or
# [DEPRECATION WARNING] line that NOT_THE_COLLECTIONS_WARNINGS does not list.
fail_on_warnings() {
    local warnings pattern
    warnings="$(grep -E '^\[(DEPRECATION )?WARNING\]' "$1" || true)"
    for pattern in "${NOT_THE_COLLECTIONS_WARNINGS[@]}"; do
        warnings="$(printf '%s\n' "$warnings" | grep -Ev -- "$pattern" || true)"
    done
    [ -z "$warnings" ] || rc_die "$2 printed warnings:
$warnings"
}

sim_requests() {
    rc_sim_requests "$VENV/bin/python" "$RUNCLOUD_API_URL" "$1"
}

# show_playbook ARGS... LOG : ansible-playbook ARGS, its stdout shown and kept in LOG (the recap is
# read from there), its stderr (warnings, errors) kept apart in LOG.err and shown after it.
show_playbook() {
    local log="${*: -1}" rc
    ansible-playbook "${@:1:$#-1}" 2> "$log.err" | tee "$log"
    rc="${PIPESTATUS[0]}"
    cat "$log.err" >&2
    return "$rc"
}

# run_twice PLAYBOOK INVENTORY [ansible-playbook args]: a check-mode run (no write), then two runs;
# the second must change and write nothing.
run_twice() {
    local playbook="$1" inventory="$2" name log n
    shift 2
    name="$(basename "$playbook" .yml)"
    local check_writes
    # A check-mode run first: it predicts everything and must not write.
    sim_requests DELETE > /dev/null
    printf '\n==================== demo check run: ansible-playbook --check -i %s %s ====================\n' "$inventory" "$playbook"
    show_playbook --check -i "$inventory" "$playbook" "$@" "$WORK/$name-check.log" || rc_die "$playbook: the check-mode run failed"
    fail_on_warnings "$WORK/$name-check.log.err" "$playbook: the check-mode run"
    read -r _ check_writes < <(sim_requests GET)
    [ "$check_writes" = 0 ] || rc_die "$playbook: the check-mode run sent $check_writes write requests"
    for n in 1 2; do
        log="$WORK/$name-run$n.log"
        [ "$n" = 2 ] && sim_requests DELETE > /dev/null
        printf '\n==================== demo run %s: ansible-playbook -i %s %s ====================\n' "$n" "$inventory" "$playbook"
        show_playbook -i "$inventory" "$playbook" "$@" "$log" || rc_die "$playbook: run $n failed"
        fail_on_warnings "$log.err" "$playbook: run $n"
    done
    local first_changed second_changed second_gets second_writes
    first_changed="$(recap_changed "$WORK/$name-run1.log")"
    second_changed="$(recap_changed "$WORK/$name-run2.log")"
    read -r second_gets second_writes < <(sim_requests GET)
    echo
    [ "$second_changed" = 0 ] || rc_die "$playbook: the second run reported changed=$second_changed; it is not idempotent"
    [ "$second_writes" = 0 ] || rc_die "$playbook: the second run sent $second_writes write requests to the API"
    SUMMARY+=("$playbook OK: first run changed=$first_changed, second run changed=0 ($second_gets GET requests, no write)")
}

SUMMARY=()
if [ -n "${RUNCLOUD_DEMO_PLAYBOOK:-}" ]; then
    run_twice "$PLAYBOOK" "$INVENTORY" "$@"
else
    run_twice examples/site.yml examples/demo-inventory.yml "$@"
    # The fleet: the servers the simulator was seeded with, plus the one site.yml connected.
    run_twice examples/fleet.yml examples/fleet.runcloud.yml "$@"
fi
echo
printf 'demo %s\n' "${SUMMARY[@]}"

#!/usr/bin/env bash
# `make demo`: runs examples/site.yml twice against the RunCloud API simulator.
#
# - makes sure the main venv (.venv, ansible-core + requests) exists (tests/lib/bootstrap.sh);
# - starts tests/simulator/runcloud_sim.py on a free loopback port and reads its URL;
# - exposes this checkout as runcloud.cloud through a temporary collections directory;
# - runs the playbook twice with examples/demo-inventory.yml (the machine itself plays the new server)
#   and fails if the second run reports any change.
# Environment: RUNCLOUD_DEMO_PLAYBOOK (default examples/site.yml), RUNCLOUD_DEMO_INVENTORY (default
# examples/demo-inventory.yml); extra arguments go to
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
SIM_PID=""
cleanup() {
    if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rc_log "starting the RunCloud API simulator"
"$VENV/bin/python" tests/simulator/runcloud_sim.py --port 0 > "$WORK/sim.out" 2> "$WORK/sim.err" &
SIM_PID=$!
RUNCLOUD_API_URL=""
for _ in $(seq 1 100); do
    RUNCLOUD_API_URL="$(sed -n '1s/^RUNCLOUD_API_URL=//p' "$WORK/sim.out")"
    [ -n "$RUNCLOUD_API_URL" ] && break
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
        cat "$WORK/sim.err" >&2
        rc_die "the simulator exited before printing its URL"
    fi
    sleep 0.1
done
[ -n "$RUNCLOUD_API_URL" ] || { cat "$WORK/sim.err" >&2; rc_die "the simulator printed no URL within 10 s"; }
export RUNCLOUD_API_URL
export RUNCLOUD_API_TOKEN=runcloud-sim-token
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

run_playbook() {
    local n="$1" log="$WORK/run$1.log"
    shift
    printf '\n==================== demo run %s: ansible-playbook %s ====================\n' "$n" "$PLAYBOOK"
    ansible-playbook -i "$INVENTORY" "$PLAYBOOK" "$@" 2>&1 | tee "$log"
    return "${PIPESTATUS[0]}"
}

run_playbook 1 "$@" || rc_die "first run failed"
first_changed="$(recap_changed "$WORK/run1.log")"
# The second run's API requests, from the simulator's request log: "<GETs> <writes>".
sim_requests() {
    "$VENV/bin/python" - "${RUNCLOUD_API_URL%/api/v2}/__sim__/requests" "$1" <<'PYTHON'
import json, sys, urllib.request
url, method = sys.argv[1], sys.argv[2]
request = urllib.request.Request(url, method=method)
counters = json.load(urllib.request.urlopen(request, timeout=10)).get("counters", {})
print(counters.get("by_method", {}).get("GET", 0), counters.get("writes", 0))
PYTHON
}

sim_requests DELETE > /dev/null
run_playbook 2 "$@" || rc_die "second run failed"
second_changed="$(recap_changed "$WORK/run2.log")"
read -r second_gets second_writes < <(sim_requests GET)

echo
if [ "$second_changed" != 0 ]; then
    rc_die "the second run reported changed=$second_changed; the playbook is not idempotent"
fi
[ "$second_writes" = 0 ] || rc_die "the second run sent $second_writes write requests to the API"
echo "demo OK: first run changed=$first_changed, second run changed=0 ($second_gets GET requests, no write)"

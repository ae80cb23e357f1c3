#!/usr/bin/env bash
# Runs examples/fleet.yml the way an AWX job template does (docs/awx.md), against the API simulator:
# ansible-runner with a private data directory holding the project, the inventory source file
# (examples/fleet.runcloud.yml), the environment the "RunCloud API" credential type injects, the
# job template's forks and extra variables. Runs the job twice; the second run must report
# changed=0 and send no write request.
#
#   tests/awx/run-fleet-job.sh          (makes .venvs/awx with tests/requirements-awx.txt on first use)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"
VENV="$ROOT/.venvs/awx"
rc_ensure_venv "$VENV" 3.11 "$ROOT/tests/requirements-awx.txt"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/runcloud-awx.XXXXXX")"
cleanup() {
    rc_stop_simulator
    rm -rf "$WORK"
}
trap cleanup EXIT

rc_start_simulator "$VENV/bin/python" "$ROOT" "$WORK" --seed-servers 4
api_url="$RC_SIM_URL"

# The private data directory, laid out as AWX hands it to ansible-runner.
pdd="$WORK/private_data_dir"
mkdir -p "$pdd/project" "$pdd/inventory" "$pdd/env" "$WORK/collections/ansible_collections/runcloud"
cp "$ROOT/examples/fleet.yml" "$pdd/project/"
cp "$ROOT/examples/fleet.runcloud.yml" "$pdd/inventory/"
ln -s "$ROOT" "$WORK/collections/ansible_collections/runcloud/cloud"
# What the credential type's injector sets (docs/awx.md: all three variables, the unused ones
# empty), plus the collection AWX installs from the
# project's collections/requirements.yml.
cat > "$pdd/env/envvars" <<ENVVARS
RUNCLOUD_API_TOKEN: runcloud-sim-token
RUNCLOUD_API_KEY: ""
RUNCLOUD_API_SECRET: ""
RUNCLOUD_API_URL: $api_url
ANSIBLE_COLLECTIONS_PATH: $WORK/collections
ANSIBLE_NOCOLOR: "1"
ENVVARS
# The job template's forks and extra variables.
echo '--forks 5' > "$pdd/env/cmdline"
echo 'fleet_batch: 2' > "$pdd/env/extravars"

run_job() {  # run_job IDENT -> the job's stdout in $WORK/IDENT.out
    local ident="$1" status
    PATH="$VENV/bin:$PATH" "$VENV/bin/ansible-runner" run "$pdd" --playbook fleet.yml --ident "$ident" > "$WORK/$ident.out" 2>&1 || true
    status="$(cat "$pdd/artifacts/$ident/status" 2>/dev/null || echo missing)"
    if [ "$status" != successful ]; then
        cat "$WORK/$ident.out" >&2
        rc_die "job $ident: status $status"
    fi
}

run_job first
rc_sim_requests "$VENV/bin/python" "$api_url" DELETE > /dev/null
run_job second
read -r gets writes < <(rc_sim_requests "$VENV/bin/python" "$api_url" GET)
recap="$(sed -n '/^PLAY RECAP/,$p' "$WORK/second.out")"
hosts="$(grep -c ' : ok=' <<< "$recap" || true)"
changed="$(grep -oE 'changed=[0-9]+' <<< "$recap" | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }')"
failed="$(grep -oE 'failed=[0-9]+' <<< "$recap" | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }')"
grep -q 'Baseline of web-01' "$WORK/first.out" || { cat "$WORK/first.out" >&2; rc_die "the job did not reach the inventory's hosts"; }
[ "$hosts" -ge 1 ] || { cat "$WORK/second.out" >&2; rc_die "no host in the second run's recap"; }
if [ "$changed" != 0 ] || [ "$failed" != 0 ]; then
    echo "$recap" >&2
    rc_die "second job: changed=$changed failed=$failed"
fi
[ "$writes" = 0 ] || rc_die "second job sent $writes write requests"
echo "AWX-style fleet job: $hosts hosts, second run changed=0, $gets GET requests, no write"

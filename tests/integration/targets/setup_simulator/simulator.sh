# shellcheck shell=bash
# Sourced by the runme.sh of every integration target: starts a private RunCloud API simulator on a
# free loopback port, exports what the modules need, and stops it when the target ends.
#
#   source ../setup_simulator/simulator.sh [simulator flags...]
#
# Exports RUNCLOUD_API_URL, RUNCLOUD_API_TOKEN, RUNCLOUD_SIM_CONTROL (the /__sim__ control API),
# ANSIBLE_ROLES_PATH (so playbooks can use the setup_simulator role's task files), and
# RUNCLOUD_SIM_VARIANT: the variant answer shape (docs/simulator.md) in which the simulator answers
# between the clear_log and read_log task files, i.e. during the target's converge checks. It rotates:
# one variant per target and day (a checksum of the target's directory name and the UTC date), so
# the targets cover the variants over the days; set RUNCLOUD_SIM_VARIANT yourself to pick one, or
# to "none" for the default shape only. string-scalars is not in the rotation: the targets assert
# on the API's values in results (true, 5), which that variant changes by design; the variant runs
# of the examples (tests/variants/run-variants.sh) cover it.
# RUNCLOUD_SIM_API_VERSION: the API version the target runs against, 2 or 3 (RUNCLOUD_API_URL ends in
# /api/v3 and RUNCLOUD_API_TOKEN is the simulator's JWT). It rotates like the variant: one version per
# target and day (another checksum of the same two), so both versions are covered over the targets;
# set it yourself to pick one.

_sim_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
_sim_script="${RUNCLOUD_SIM_SCRIPT:-}"
if [ -z "${_sim_script}" ]; then
    # ansible-test points ANSIBLE_COLLECTIONS_PATH at the collection root it runs from.
    _sim_script="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/runcloud/cloud/tests/simulator/runcloud_sim.py"
fi
if [ ! -f "${_sim_script}" ]; then
    echo "setup_simulator: cannot find runcloud_sim.py (set RUNCLOUD_SIM_SCRIPT)" >&2
    exit 1
fi

_sim_variants=(omit-optional null-for-empty empty-for-null extra-fields flatten-nested timestamps
    bare-lists no-pagination-meta laravel-pagination fixed-page-size)
if [ -z "${RUNCLOUD_SIM_VARIANT:-}" ]; then
    _sim_pick="$(printf '%s %s' "$(basename "$(pwd)")" "$(date -u +%F)" | cksum | cut -d' ' -f1)"
    RUNCLOUD_SIM_VARIANT="${_sim_variants[$((_sim_pick % ${#_sim_variants[@]}))]}"
fi
[ "${RUNCLOUD_SIM_VARIANT}" = none ] && RUNCLOUD_SIM_VARIANT=""
if [ -z "${RUNCLOUD_SIM_API_VERSION:-}" ]; then
    _sim_pick="$(printf 'api %s %s' "$(basename "$(pwd)")" "$(date -u +%F)" | cksum | cut -d' ' -f1)"
    RUNCLOUD_SIM_API_VERSION=$((2 + _sim_pick % 2))
fi
export RUNCLOUD_SIM_API_VERSION
export RUNCLOUD_SIM_VARIANT
[ -z "${RUNCLOUD_SIM_VARIANT}" ] || echo "setup_simulator: converge checks answer in the variant ${RUNCLOUD_SIM_VARIANT}"

# The execution path of the module tasks: RUNCLOUD_RUN_ON_CONTROLLER=false runs every task of the
# collection as a module process (the path of remote and become tasks) instead of in the controller's
# process. ansible-test passes no variable of its caller to a target, so tests/run-tests.sh writes the
# value into tests/integration/run_on_controller of the collection it tests: one word for every
# target, or lines "TARGET true|false" (its split of the targets between the paths; a target not
# listed keeps the default).
_sim_path_file="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/runcloud/cloud/tests/integration/run_on_controller"
if [ -z "${RUNCLOUD_RUN_ON_CONTROLLER:-}" ] && [ -f "${_sim_path_file}" ]; then
    RUNCLOUD_RUN_ON_CONTROLLER="$(awk -v target="$(basename "$(pwd)")" \
        'NF == 1 { value = $1 } NF == 2 && $1 == target { value = $2 } END { print value }' "${_sim_path_file}")"
fi
if [ -n "${RUNCLOUD_RUN_ON_CONTROLLER:-}" ]; then
    export RUNCLOUD_RUN_ON_CONTROLLER
    echo "setup_simulator: module tasks run with run_on_controller=${RUNCLOUD_RUN_ON_CONTROLLER}"
fi

_sim_dir="$(mktemp -d)"
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" "${_sim_script}" --port 0 --api-version "${RUNCLOUD_SIM_API_VERSION:-2}" "$@" >"${_sim_dir}/stdout" 2>"${_sim_dir}/stderr" &
RUNCLOUD_SIM_PID=$!

_sim_stop() {
    kill "${RUNCLOUD_SIM_PID}" 2>/dev/null || true
    wait "${RUNCLOUD_SIM_PID}" 2>/dev/null || true
    rm -rf "${_sim_dir}"
}
trap _sim_stop EXIT

for _ in $(seq 1 100); do
    # With --api-version 3 the token follows on the second line.
    if grep -q "^RUNCLOUD_API_$([ "${RUNCLOUD_SIM_API_VERSION:-2}" = 3 ] && echo TOKEN || echo URL)=" "${_sim_dir}/stdout" 2>/dev/null; then
        break
    fi
    if ! kill -0 "${RUNCLOUD_SIM_PID}" 2>/dev/null; then
        cat "${_sim_dir}/stderr" >&2
        echo "setup_simulator: the simulator exited early" >&2
        exit 1
    fi
    sleep 0.1
done

RUNCLOUD_API_URL="$(sed -n 's/^RUNCLOUD_API_URL=//p' "${_sim_dir}/stdout" | head -n 1)"
if [ -z "${RUNCLOUD_API_URL}" ]; then
    echo "setup_simulator: the simulator did not announce its URL" >&2
    exit 1
fi
export RUNCLOUD_API_URL
export RUNCLOUD_API_TOKEN="runcloud-sim-token"
if [ "${RUNCLOUD_SIM_API_VERSION:-2}" = 3 ]; then
    RUNCLOUD_API_TOKEN="$(sed -n 's/^RUNCLOUD_API_TOKEN=//p' "${_sim_dir}/stdout" | head -n 1)"
fi
# Read by tests/run-tests.sh to name the version of a target that failed.
echo "setup_simulator: API v${RUNCLOUD_SIM_API_VERSION:-2} at ${RUNCLOUD_API_URL}"
export RUNCLOUD_SIM_CONTROL="${RUNCLOUD_API_URL%/api/v[23]}/__sim__"
ANSIBLE_ROLES_PATH="$(dirname "${_sim_here}")${ANSIBLE_ROLES_PATH:+:${ANSIBLE_ROLES_PATH}}"
export ANSIBLE_ROLES_PATH

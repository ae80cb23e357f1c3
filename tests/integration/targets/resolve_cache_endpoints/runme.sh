#!/usr/bin/env bash
set -eu
source ../setup_simulator/simulator.sh

# A second API endpoint that accepts the same token: another simulator with its own servers.
second_dir="$(mktemp -d)"
# shellcheck disable=SC2154  # _sim_script: the simulator simulator.sh found
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" "${_sim_script}" --port 0 >"${second_dir}/stdout" 2>"${second_dir}/stderr" &
second_pid=$!
trap 'kill "${second_pid}" 2>/dev/null || true; wait "${second_pid}" 2>/dev/null || true; rm -rf "${second_dir}"; _sim_stop' EXIT
for _ in $(seq 1 100); do
    grep -q '^RUNCLOUD_API_URL=' "${second_dir}/stdout" 2>/dev/null && break
    kill -0 "${second_pid}" 2>/dev/null || { cat "${second_dir}/stderr" >&2; exit 1; }
    sleep 0.1
done
SECOND_API_URL="$(sed -n 's/^RUNCLOUD_API_URL=//p' "${second_dir}/stdout" | head -n 1)"
[ -n "${SECOND_API_URL}" ] || { echo "the second simulator did not announce its URL" >&2; exit 1; }
export SECOND_API_URL

ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"

#!/usr/bin/env bash
# server_connect registers the test machine, runs the real (simulated) agent installation script on it,
# waits for the connection; a second run changes nothing; the script's token never shows in the output;
# a server that does not connect in time fails with what RunCloud last reported.
set -euo pipefail
source ../setup_simulator/simulator.sh
run() {
    ansible-playbook -i inventory.yml -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" "$@"
}
output="$(mktemp)"
trap '_sim_stop; rm -f "${output}" "${output}.converged"' EXIT

run playbook.yml -e server_connect_test_phase=connect -vvv "$@" | tee "${output}"
run playbook.yml -e server_connect_test_phase=converged "$@" | tee "${output}.converged"
sed -n '/^PLAY RECAP/,$p' "${output}.converged" | grep -q 'new-web-01 .* changed=0 '
cat "${output}.converged" >> "${output}"

# The agent token (and so the script) never appears in the output, even at -vvv.
token="$("${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -c '
import json, sys, urllib.request
state = json.load(urllib.request.urlopen(sys.argv[1] + "/state"))
print(next(s["_agentToken"] for s in state["servers"].values() if s["name"] == "new-web-01"))
' "${RUNCLOUD_SIM_CONTROL}")"
[ -n "${token}" ]
if grep -q -e "${token}" -e 'agent_token=' "${output}"; then
    echo "the installation script leaked into the output" >&2
    exit 1
fi

if run playbook.yml -e server_connect_test_phase=slow "$@" > "${output}" 2>&1; then
    cat "${output}"
    echo "a server that never connects must fail the play" >&2
    exit 1
fi
grep -q 'RunCloud does not report server slow-web-02 (id [0-9]*) connected after 2 checks 1 s apart' "${output}" || { cat "${output}"; exit 1; }
grep -q '"connected": false' "${output}" || { cat "${output}"; exit 1; }
if grep -q -e 'agent_token=' "${output}"; then
    echo "the installation script leaked into the output" >&2
    exit 1
fi

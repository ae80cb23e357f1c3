#!/usr/bin/env bash
set -eu
source ../setup_simulator/simulator.sh

# The ad-hoc connection check the module documents: API URL and token from the environment only.
adhoc="$(ansible localhost -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -m runcloud.cloud.server_info 2>&1)" || {
    echo "${adhoc}" >&2
    exit 1
}
echo "${adhoc}" | grep -q 'SUCCESS' || { echo "ad-hoc server_info did not succeed: ${adhoc}" >&2; exit 1; }
echo "${adhoc}" | grep -q '"servers": \[\]' || { echo "ad-hoc server_info did not list the (empty) servers: ${adhoc}" >&2; exit 1; }
if echo "${adhoc}" | grep -q "${RUNCLOUD_API_TOKEN}"; then
    echo "ad-hoc server_info showed the token" >&2
    exit 1
fi

ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"

#!/usr/bin/env bash
# The server_baseline role hardens a server, and changes nothing on a second run.
set -eu
source ../setup_simulator/simulator.sh
run() {
    ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" "$@"
}
run playbook.yml -e server_baseline_test_phase=build "$@"
run playbook.yml -e server_baseline_test_phase=converged "$@"

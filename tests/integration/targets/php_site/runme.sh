#!/usr/bin/env bash
# The php_site role builds a site, changes nothing on a second run, and removes it again.
set -eu
source ../setup_simulator/simulator.sh
run() {
    ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" "$@"
}
run playbook.yml -e php_site_test_phase=build "$@"
run playbook.yml -e php_site_test_phase=converged "$@"
run playbook.yml -e php_site_test_phase=remove "$@"

#!/usr/bin/env bash
# The laravel_app role builds a Laravel application with its queue worker and scheduler, and changes
# nothing on a second run.
set -eu
source ../setup_simulator/simulator.sh
run() {
    ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" "$@"
}
run playbook.yml -e laravel_app_test_phase=build "$@"
run playbook.yml -e laravel_app_test_phase=converged "$@"

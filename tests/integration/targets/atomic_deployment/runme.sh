#!/usr/bin/env bash
# A laravel_app release through atomic deployment, twice: the second run releases nothing; a new commit
# is released once, a failed build fails with its log. Atomic deployment exists on API v3 only.
set -eu
export RUNCLOUD_SIM_API_VERSION=3
source ../setup_simulator/simulator.sh
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"

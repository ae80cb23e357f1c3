#!/usr/bin/env bash
set -eu
source ../setup_simulator/simulator.sh
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"

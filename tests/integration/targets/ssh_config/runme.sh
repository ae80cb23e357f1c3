#!/usr/bin/env bash
set -eu
# ssh_config exists on API v3 only.
export RUNCLOUD_SIM_API_VERSION=3
source ../setup_simulator/simulator.sh
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"

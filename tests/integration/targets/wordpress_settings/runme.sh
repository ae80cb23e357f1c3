#!/usr/bin/env bash
set -eu
# The module exists on API v3 alone; its writes land after the simulator's land delay, kept short here.
export RUNCLOUD_SIM_API_VERSION=3
source ../setup_simulator/simulator.sh --land-delay 0.2
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"

#!/usr/bin/env bash
set -eu
# web_app_clone exists on API v3 only; a short landing delay keeps the target quick.
export RUNCLOUD_SIM_API_VERSION=3
source ../setup_simulator/simulator.sh --land-delay 0.2
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"

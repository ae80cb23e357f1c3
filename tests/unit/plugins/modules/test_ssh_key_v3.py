# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""An ssh_key task is idempotent on API v3 (the key moved to /ssh/credentials and names its user), on
every run of the unit tests, whatever API version the integration targets rotate to that day."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

from ansible_collections.runcloud.cloud.plugins.modules import ssh_key
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module_against, sim_control as control

SIMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'simulator')
sys.path.insert(0, SIMULATOR_DIR)

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

KEY = dict(server='web-01', label='laptop', system_user='app', public_key='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB alice@laptop')


@pytest.fixture(scope='module', name='sim')
def fixture_sim():
    with Simulator(token='v2-token') as simulator:
        yield simulator


def requests_sent(sim):
    return [(entry['method'], entry['path'], entry['version']) for entry in control(sim, 'GET', '/requests')['requests']]


@pytest.mark.parametrize('variants', [[], ['v3-v2-paths'], ['links-pagination', 'string-ids']])
def test_an_ssh_key_task_is_idempotent_on_v3(monkeypatch, sim, variants):
    control(sim, 'POST', '/reset')
    control(sim, 'POST', '/seed', {'servers': 1, 'fixtures': True})
    control(sim, 'POST', '/variants', {'variants': variants})
    try:
        first = run_module_against(monkeypatch, ssh_key.main, KEY, sim.url_v3, sim.token_v3)
        assert not first['failed'], first
        assert first['changed'] is True and first['ssh_key']['label'] == 'laptop'
        assert ('POST', '/servers/1/ssh/credentials', 3) in requests_sent(sim)
        for check_mode in (True, False):
            control(sim, 'DELETE', '/requests')
            again = run_module_against(monkeypatch, ssh_key.main, KEY, sim.url_v3, sim.token_v3, check_mode=check_mode)
            assert not again['failed'], again
            assert again['changed'] is False, again
            sent = requests_sent(sim)
            assert [request for request in sent if request[0] != 'GET'] == [] and all(request[2] == 3 for request in sent)
    finally:
        control(sim, 'POST', '/variants', {'variants': []})
    server = next(iter(control(sim, 'GET', '/state')['servers'].values()))
    assert [key['label'] for key in server['_sshcredentials'].values()].count('laptop') == 1

# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""100 servers in every list shape the simulator's variants give: the client reads all of them,
sequentially and with the inventory plugin's concurrency, and finds one by name."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils.client import RunCloudClient

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'simulator'))
from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

LIST_SHAPES = [[], ['bare-lists'], ['no-pagination-meta'], ['laravel-pagination'], ['fixed-page-size'],
               ['bare-lists', 'fixed-page-size'], ['no-pagination-meta', 'fixed-page-size'], ['laravel-pagination', 'fixed-page-size'],
               ['links-pagination'], ['links-pagination', 'string-ids', 'data-envelope']]


@pytest.fixture(scope='module', name='sim')
def fixture_sim():
    with Simulator(token='t') as sim:
        sim.handle_control('POST', '/seed', json.dumps({'servers': 100}))
        yield sim


@pytest.mark.parametrize('variants', LIST_SHAPES, ids=lambda names: '+'.join(names) or 'default')
def test_every_server_is_listed_in_every_list_shape(sim, variants):
    sim.handle_control('POST', '/variants', json.dumps({'variants': variants}))
    client = RunCloudClient(api_url=sim.url, api_token='t')
    assert len(client.list_all('servers')) == 100
    assert len(client.list_all('servers', concurrency=4)) == 100
    assert len(set(server['id'] for server in client.iter_items('servers'))) == 100
    assert client.find_by_field('servers', 'web-100', 'name', searchable=False)['name'] == 'web-100'

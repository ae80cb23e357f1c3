# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils.errors import ConfigurationError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import credentials
from ansible_collections.runcloud.cloud.plugins.modules import service
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

ALL_INJECTED = dict(RUNCLOUD_API_TOKEN='', RUNCLOUD_API_KEY='env-key', RUNCLOUD_API_SECRET='env-secret')
SERVICES = {'nginx': {'realName': 'nginx-rc', 'name': 'NGiNX', 'running': True, 'version': '1.25'}}


@pytest.mark.parametrize('task, environ, expected', [
    (dict(api_key='k', api_secret='s'), dict(RUNCLOUD_API_TOKEN='env-token'), (None, 'k', 's')),
    (dict(api_token='t'), dict(RUNCLOUD_API_KEY='env-key', RUNCLOUD_API_SECRET='env-secret'), ('t', None, None)),
    (dict(), ALL_INJECTED, (None, 'env-key', 'env-secret')),
    (dict(), dict(RUNCLOUD_API_TOKEN='env-token', RUNCLOUD_API_KEY='', RUNCLOUD_API_SECRET=''), ('env-token', None, None)),
    (dict(api_token='', api_key='k'), dict(RUNCLOUD_API_SECRET='env-secret'), (None, 'k', 'env-secret')),
], ids=['task-pair-beats-env-token', 'task-token-beats-env-pair', 'awx-injects-all-three', 'empty-pair-is-unset',
        'pair-half-from-env'])
def test_task_credentials_beat_the_environment_and_empty_means_unset(task, environ, expected):
    assert credentials(task, environ) == expected


def test_both_kinds_on_the_task_are_refused():
    with pytest.raises(ConfigurationError, match='not both'):
        credentials(dict(api_token='t', api_key='k', api_secret='s'), {})


def test_a_module_uses_the_task_pair_despite_a_token_in_the_environment(monkeypatch):
    monkeypatch.setenv('RUNCLOUD_API_TOKEN', 'env-token')
    monkeypatch.setenv('RUNCLOUD_API_URL', '')
    result, session = run_module(monkeypatch, service.main, dict(
        api_token=None, api_key='task-key', api_secret='task-secret', server=3, name='nginx-rc', state='started'), [
        Exchange('GET', '/servers/3/services', answer(200, SERVICES)),
    ])
    assert result['failed'] is False
    assert session.sent[0]['headers']['Authorization'] == 'Basic ' + base64.b64encode(b'task-key:task-secret').decode('ascii')


def test_a_task_that_fails_after_a_write_reports_a_change(monkeypatch):
    stopped = {'nginx': dict(SERVICES['nginx'], running=False)}
    result, _session = run_module(monkeypatch, service.main, dict(server=3, name='nginx-rc', state='restarted'), [
        Exchange('GET', '/servers/3/services', answer(200, stopped)),
        Exchange('PATCH', '/servers/3/services', answer(500, {'message': 'Server Error'})),
    ])
    assert result['failed'] is True
    assert result['changed'] is True
    assert result['maybe_applied'] is True

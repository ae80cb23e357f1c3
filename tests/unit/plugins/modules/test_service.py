# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.modules import service
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

NGINX = {'realName': 'nginx-rc', 'name': 'NGiNX', 'running': True, 'version': '1.25'}
MEMCACHED = {'realName': 'memcached', 'name': 'Memcached', 'running': False, 'version': '1.6'}
SERVICES = {'nginx': NGINX, 'memcached': MEMCACHED}


def test_started_service_is_unchanged_without_write(monkeypatch):
    result, session = run_module(monkeypatch, service.main, dict(server=3, name='nginx-rc', state='started'), [
        Exchange('GET', '/servers/3/services', answer(200, SERVICES)),
    ], diff=True)
    assert result['changed'] is False
    assert result['service'] == snake_case_keys(dict(NGINX, key='nginx'))
    assert result['diff'] == {'before': {'running': True}, 'after': {'running': True}}
    session.assert_done()


def test_start_a_stopped_service_by_key(monkeypatch):
    started = dict(MEMCACHED, running=True)
    result, session = run_module(monkeypatch, service.main, dict(server=3, name='memcached', state='started'), [
        Exchange('GET', '/servers/3/services', answer(200, SERVICES)),
        Exchange('PATCH', '/servers/3/services', answer(200, dict(SERVICES, memcached=started)),
                 body={'action': 'start', 'realName': 'memcached'}),
    ], diff=True)
    assert result['changed'] is True
    assert result['service'] == snake_case_keys(dict(started, key='memcached'))
    assert result['diff'] == {'before': {'running': False}, 'after': {'running': True}}
    session.assert_done()


def test_stop_in_check_mode_predicts_without_writing(monkeypatch):
    result, session = run_module(monkeypatch, service.main, dict(server=3, name='nginx', state='stopped'), [
        Exchange('GET', '/servers/3/services', answer(200, SERVICES)),
    ], check_mode=True)
    assert result['changed'] is True
    assert result['service']['running'] is False
    session.assert_done()


def test_reload_always_acts(monkeypatch):
    result, session = run_module(monkeypatch, service.main, dict(server=3, name='nginx', state='reloaded'), [
        Exchange('GET', '/servers/3/services', answer(200, SERVICES)),
        Exchange('PATCH', '/servers/3/services', answer(200, SERVICES), body={'action': 'reload', 'realName': 'nginx-rc'}),
    ])
    assert result['changed'] is True
    session.assert_done()


def test_restart_of_a_stopped_service_starts_it(monkeypatch):
    result, session = run_module(monkeypatch, service.main, dict(server=3, name='memcached', state='restarted'), [
        Exchange('GET', '/servers/3/services', answer(200, SERVICES)),
        Exchange('PATCH', '/servers/3/services', answer(200, {'message': 'ok'}), body={'action': 'restart', 'realName': 'memcached'}),
    ])
    assert result['changed'] is True
    assert result['service'] == snake_case_keys(dict(MEMCACHED, key='memcached', running=True))
    session.assert_done()


def test_unknown_service_lists_the_known_ones(monkeypatch):
    result, _session = run_module(monkeypatch, service.main, dict(server=3, name='postgres', state='started'), [
        Exchange('GET', '/servers/3/services', answer(200, SERVICES)),
    ])
    assert result['failed'] is True
    assert result['msg'] == "the server has no service 'postgres'; it has memcached (memcached), nginx (nginx-rc)"


@pytest.mark.parametrize('name, state, changed', [
    ('nginx', 'started', False), ('nginx-rc', 'started', False), ('memcached', 'started', True),
    ('nginx', 'stopped', True), ('memcached', 'stopped', False), ('nginx', 'restarted', True), ('redis', 'reloaded', True),
])
def test_under_a_predicted_server_check_mode_predicts_a_new_servers_services(monkeypatch, name, state, changed):
    # An earlier task of the play predicted the server (the action plugin says so in predicted_parents).
    result, session = run_module(monkeypatch, service.main, dict(server='web-new', name=name, state=state,
                                                                 predicted_parents=['server']), [], check_mode=True)
    assert result['failed'] is False
    assert result['changed'] is changed
    assert result['service']['running'] is (state != 'stopped')
    session.assert_done()


REDIS = {'realName': 'redis-server', 'name': 'Redis', 'running': False, 'version': '7.2'}


def test_names_read_the_services_once_and_change_only_what_differs(monkeypatch):
    services = dict(SERVICES, redis=REDIS)
    result, session = run_module(monkeypatch, service.main, dict(server=3, names=['nginx', 'memcached', 'redis-server'], state='started'), [
        Exchange('GET', '/servers/3/services', answer(200, services)),
        Exchange('PATCH', '/servers/3/services', answer(200, dict(services, memcached=dict(MEMCACHED, running=True))),
                 body={'action': 'start', 'realName': 'memcached'}),
        Exchange('PATCH', '/servers/3/services', answer(200, {'message': 'ok'}), body={'action': 'start', 'realName': 'redis-server'}),
    ], diff=True)
    assert result['changed'] is True
    assert [entry['key'] for entry in result['services']] == ['nginx', 'memcached', 'redis']
    assert [entry['running'] for entry in result['services']] == [True, True, True]
    assert 'service' not in result
    assert result['diff'] == {'before': {'nginx': {'running': True}, 'memcached': {'running': False}, 'redis': {'running': False}},
                              'after': {'nginx': {'running': True}, 'memcached': {'running': True}, 'redis': {'running': True}}}
    assert result['api'] == {'requests': 3, 'writes': 2, 'rate_limit': {'limit': None, 'remaining': None}}
    session.assert_done()


def test_names_all_converged_is_one_read_and_no_write(monkeypatch):
    result, session = run_module(monkeypatch, service.main, dict(server=3, names=['nginx', 'nginx-rc'], state='started'), [
        Exchange('GET', '/servers/3/services', answer(200, SERVICES, headers={'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '41'})),
    ])
    assert result['changed'] is False
    # Named twice (key and system name): one service.
    assert result['services'] == [snake_case_keys(dict(NGINX, key='nginx'))]
    assert result['api'] == {'requests': 1, 'writes': 0, 'rate_limit': {'limit': 60, 'remaining': 41}}
    session.assert_done()


def test_names_with_an_unknown_service_fail_before_any_write(monkeypatch):
    result, session = run_module(monkeypatch, service.main, dict(server=3, names=['memcached', 'postgres'], state='started'), [
        Exchange('GET', '/servers/3/services', answer(200, SERVICES)),
    ])
    assert result['failed'] is True
    assert result['msg'].startswith("the server has no service 'postgres'")
    session.assert_done()


def test_empty_names_send_nothing(monkeypatch):
    result, session = run_module(monkeypatch, service.main, dict(server='web-01', names=[], state='started'), [])
    assert result['changed'] is False
    assert result['services'] == []
    session.assert_done()


def test_names_under_a_predicted_server_are_predicted_in_check_mode(monkeypatch):
    result, session = run_module(monkeypatch, service.main, dict(server='web-new', names=['nginx', 'memcached'], state='started',
                                                                 predicted_parents=['server']), [], check_mode=True)
    assert result['changed'] is True
    assert [entry['running'] for entry in result['services']] == [True, True]
    session.assert_done()


def test_name_and_names_together_are_refused(monkeypatch):
    result, session = run_module(monkeypatch, service.main, dict(server=3, name='nginx', names=['redis'], state='started'), [])
    assert result['failed'] is True
    assert 'mutually exclusive' in result['msg']
    session.assert_done()

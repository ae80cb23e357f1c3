# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.plugins.modules import server_health, server_info, web_app_info
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

HEALTH = {'totalMemory': 957.27, 'availableMemory': 498.83, 'availableDiskSpace': 33364.58, 'updated_at': '6 seconds ago'}
WEB = {'id': 42, 'name': 'web'}
PARTNER = {'id': 77, 'name': 'partner'}


def entries(first, count):
    return [{'kind': 'server', 'content': 'event %d' % number, 'created_at': '2024-05-01 10:00:00'} for number in range(first, first + count)]


def test_health_is_read_without_change(monkeypatch):
    result, session = run_module(monkeypatch, server_health.main, dict(server=42), [
        Exchange('GET', '/servers/42/health/latest', answer(200, HEALTH)),
    ])
    assert result['changed'] is False and result['health'] == snake_case_keys(HEALTH) and result['disk_cleaned'] is False
    session.assert_done()


def test_clean_disk_is_an_action_that_changes(monkeypatch):
    result, session = run_module(monkeypatch, server_health.main, dict(server=42, clean_disk=True), [
        Exchange('GET', '/servers/42/health/latest', answer(200, HEALTH)),
        Exchange('POST', '/servers/42/health/diskcleaner', answer(200, {'message': 'Disk cleaner has been executed.'})),
    ])
    assert result['changed'] is True and result['disk_cleaned'] is True and result['health'] == snake_case_keys(HEALTH)
    session.assert_done()


def test_clean_disk_in_check_mode_writes_nothing(monkeypatch):
    result, session = run_module(monkeypatch, server_health.main, dict(server=42, clean_disk=True), [
        Exchange('GET', '/servers/42/health/latest', answer(200, HEALTH)),
    ], check_mode=True)
    assert result['changed'] is True and result['disk_cleaned'] is True
    session.assert_done()


def test_no_sample_fails_cleanly(monkeypatch):
    result, _session = run_module(monkeypatch, server_health.main, dict(server=42), [
        Exchange('GET', '/servers/42/health/latest', answer(404, {'message': 'Not found'})),
    ])
    assert result['failed'] is True and 'no health sample' in result['msg']


def test_server_logs_read_only_the_pages_the_limit_needs(monkeypatch):
    result, session = run_module(monkeypatch, server_info.main, dict(id=42, logs=True, logs_limit=50), [
        Exchange('GET', '/servers/42', answer(200, WEB)),
        Exchange('GET', '/servers/42/logs', listing(*entries(0, 40), page=1, total_pages=3), query={'page': 1, 'perPage': 40}),
        Exchange('GET', '/servers/42/logs', listing(*entries(40, 40), page=2, total_pages=3), query={'page': 2}),
    ])
    assert result['changed'] is False
    assert result['servers'][0]['logs'] == entries(0, 50)
    session.assert_done()


def test_a_bad_log_limit_fails_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, server_info.main, dict(logs=True, logs_limit=0), [])
    assert result['failed'] is True and result['msg'] == 'logs_limit must be a positive number of entries, not 0'
    session.assert_done()


def test_shared_servers_are_appended_and_marked(monkeypatch):
    result, session = run_module(monkeypatch, server_info.main, dict(include_shared=True), [
        Exchange('GET', '/servers', listing(WEB)),
        Exchange('GET', '/servers/shared', listing(PARTNER)),
    ])
    assert result['servers'] == [dict(WEB, shared=False), dict(PARTNER, shared=True)]
    session.assert_done()


def test_a_server_read_by_id_is_marked_from_the_shared_list(monkeypatch):
    result, session = run_module(monkeypatch, server_info.main, dict(id=77, include_shared=True), [
        Exchange('GET', '/servers/77', answer(200, PARTNER)),
        Exchange('GET', '/servers/shared', listing(PARTNER)),
    ])
    assert result['servers'] == [dict(PARTNER, shared=True)]
    session.assert_done()


def test_web_app_log(monkeypatch):
    result, session = run_module(monkeypatch, web_app_info.main, dict(server=3, id=9, log=True, log_limit=2), [
        Exchange('GET', '/servers/3/webapps/9', answer(200, {'id': 9, 'name': 'shop'})),
        Exchange('GET', '/servers/3/webapps/9/log', listing(*entries(0, 2), total_pages=4), query={'page': 1, 'perPage': 2}),
    ])
    assert result['changed'] is False and result['web_apps'][0]['log'] == entries(0, 2)
    session.assert_done()


def test_ping_checks_the_connection_only(monkeypatch):
    result, session = run_module(monkeypatch, server_info.main, dict(ping=True, logs=True), [
        Exchange('GET', '/ping', answer(200, {'message': 'pong'})),
    ])
    assert result['changed'] is False and result['servers'] == [] and result['ping'] == {'message': 'pong'}
    session.assert_done()


def test_check_mode_under_a_predicted_server(monkeypatch):
    result, session = run_module(monkeypatch, server_health.main, dict(server='new-web', clean_disk=True, predicted_parents=['server']),
                                 [], check_mode=True)
    assert result['changed'] is True and result['disk_cleaned'] is True and result['health'] == {}
    session.assert_done()

# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import server_info
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

WEB = {'id': 42, 'name': 'web'}
DB = {'id': 43, 'name': 'db'}


def page(items, number=1, total_pages=1):
    return answer(200, {'data': list(items), 'meta': {'pagination': {'current_page': number, 'total_pages': total_pages}}})


def test_all_servers_every_page_without_details(monkeypatch):
    result, session = run_module(monkeypatch, server_info.main, dict(), [
        Exchange('GET', '/servers', page([WEB], 1, 2), query={'page': 1, 'perPage': 40}),
        Exchange('GET', '/servers', page([DB], 2, 2), query={'page': 2}),
    ])
    assert result['changed'] is False
    assert result['servers'] == [WEB, DB]
    assert session.sent[0]['params'].get('search') is None
    session.assert_done()


def test_each_detail_is_one_get_per_server(monkeypatch):
    services = {'nginx': {'realName': 'nginx-rc', 'running': True}}
    result, session = run_module(monkeypatch, server_info.main, dict(search='e', services=True, php_versions=True), [
        Exchange('GET', '/servers', page([WEB, DB]), query={'search': 'e'}),
        Exchange('GET', '/servers/42/php/version', answer(200, ['php81rc', 'php82rc'])),
        Exchange('GET', '/servers/42/services', answer(200, services)),
        Exchange('GET', '/servers/43/php/version', answer(200, ['php83rc'])),
        Exchange('GET', '/servers/43/services', answer(200, {})),
    ])
    assert result['servers'][0] == snake_case_keys(dict(WEB, php_versions=['php81rc', 'php82rc'], services=services))
    assert result['servers'][1] == dict(DB, php_versions=['php83rc'], services={})
    session.assert_done()


def test_one_server_by_id_with_stats_hardware_health_and_ssh(monkeypatch):
    result, session = run_module(monkeypatch, server_info.main, dict(id=42, stats=True, hardware=True, health=True, ssh_settings=True), [
        Exchange('GET', '/servers/42', answer(200, WEB)),
        Exchange('GET', '/servers/42/stats', answer(200, {'stats': {'database': 1}})),
        Exchange('GET', '/servers/42/hardwareinfo', answer(200, {'totalCPUCore': 2})),
        Exchange('GET', '/servers/42/health/latest', answer(200, {'loadAverage': 0.1})),
        Exchange('GET', '/servers/42/settings/ssh', answer(200, {'useDns': False})),
    ])
    assert set(result['servers'][0]) == {'id', 'name', 'stats', 'hardware', 'health', 'ssh_settings'}
    session.assert_done()


def test_unknown_name_is_an_empty_list(monkeypatch):
    result, session = run_module(monkeypatch, server_info.main, dict(name='web', hardware=True), [
        Exchange('GET', '/servers', page([dict(WEB, name='web-2')]), query={'search': 'web'}),
    ])
    assert result['servers'] == [] and not result['failed']
    session.assert_done()

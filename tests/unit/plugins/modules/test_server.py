# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import requests

from ansible_collections.runcloud.cloud.plugins.modules import server
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.tests.unit.module_runner import API_URL, run_module, run_module_with_args
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, MeetingSession, absence_proof, answer, listing

WEB = {'id': 42, 'name': 'web', 'provider': 'Hetzner', 'ipAddress': '203.0.113.10', 'phpCLIVersion': 'php81rc',
       'softwareUpdate': False, 'securityUpdate': True, 'connected': False}
SSH = {'passwordlessLogin': False, 'useDns': False, 'preventRootLogin': False}


def test_converged_by_name_is_one_get(monkeypatch):
    options = dict(name='web', ip_address='203.0.113.10', provider='Hetzner', php_cli_version='php81rc', security_update=True)
    result, session = run_module(monkeypatch, server.main, options, [
        Exchange('GET', '/servers', listing(dict(WEB, id=43, name='web-2'), WEB), query={'search': 'web'}),
    ])
    assert result['changed'] is False
    assert result['server'] == snake_case_keys(WEB)
    session.assert_done()


def test_connect_then_apply_settings_and_return_the_script(monkeypatch):
    created = dict(WEB, provider=None)
    options = dict(name='web', ip_address='203.0.113.10', php_cli_version='php82rc', prevent_root_login=True, return_installation_script=True)
    result, session = run_module(monkeypatch, server.main, options, [
        Exchange('GET', '/servers', listing()),
        absence_proof('/servers'),
        Exchange('POST', '/servers', answer(200, created), body={'name': 'web', 'ipAddress': '203.0.113.10'}),
        Exchange('GET', '/servers/42/settings/ssh', answer(200, SSH)),
        Exchange('PATCH', '/servers/42/php/cli', answer(200, dict(created, phpCLIVersion='php82rc')), body={'phpVersion': 'php82rc'}),
        Exchange('PATCH', '/servers/42/settings/ssh', answer(200, dict(SSH, preventRootLogin=True)),
                 body={'passwordlessLogin': False, 'useDns': False, 'preventRootLogin': True}),
        Exchange('GET', '/servers/42/installationscript', answer(200, {'script': 'curl ... | bash'})),
    ])
    assert result['changed'] is True
    assert result['server']['php_cli_version'] == 'php82rc'
    assert result['server']['ssh_settings'] == snake_case_keys(dict(SSH, preventRootLogin=True))
    assert result['installation_script'] == 'curl ... | bash'
    session.assert_done()


def test_rename_by_id_sends_name_and_current_provider(monkeypatch):
    renamed = dict(WEB, name='web-new')
    result, session = run_module(monkeypatch, server.main, dict(id=42, name='web-new'), [
        Exchange('GET', '/servers/42', answer(200, WEB)),
        Exchange('PATCH', '/servers/42/settings/meta', answer(200, renamed), body={'name': 'web-new', 'provider': 'Hetzner'}),
    ], diff=True)
    assert result['changed'] is True
    assert result['diff'] == snake_case_keys({'before': WEB, 'after': renamed})
    session.assert_done()


def test_provider_change_sends_the_required_name(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(name='web', provider='AWS'), [
        Exchange('GET', '/servers', listing(WEB)),
        Exchange('PATCH', '/servers/42/settings/meta', answer(200, dict(WEB, provider='AWS')), body={'name': 'web', 'provider': 'AWS'}),
    ])
    assert result['changed'] is True and result['server']['provider'] == 'AWS'
    session.assert_done()


def test_one_autoupdate_flag_sends_both(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(name='web', software_update=True), [
        Exchange('GET', '/servers', listing(WEB)),
        Exchange('PATCH', '/servers/42/settings/autoupdate', answer(200, dict(WEB, softwareUpdate=True)),
                 body={'softwareUpdate': True, 'securityUpdate': True}),
    ])
    assert result['changed'] is True
    session.assert_done()


def test_ssh_settings_already_set_cost_one_read_and_no_write(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(name='web', use_dns=False), [
        Exchange('GET', '/servers', listing(WEB)),
        Exchange('GET', '/servers/42/settings/ssh', answer(200, SSH)),
    ])
    assert result['changed'] is False
    assert result['server']['ssh_settings'] == snake_case_keys(SSH)
    session.assert_done()


def test_different_ip_address_fails_clearly(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(name='web', ip_address='198.51.100.1'), [
        Exchange('GET', '/servers', listing(WEB)),
    ])
    assert result['failed'] is True
    assert result['msg'] == ('the server %r (id 42) exists with different ip_address, which the API cannot change: ip_address is '
                             '203.0.113.10, the task has 198.51.100.1. To manage the existing server, give the task its current '
                             'ip_address; to make another one, give it another name.' % 'web')
    session.assert_done()


def test_new_server_without_address_fails_before_writing(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(name='web'), [
        Exchange('GET', '/servers', listing()),
    ])
    assert result['failed'] is True
    assert result['msg'] == 'ip_address is required to connect a new server'
    session.assert_done()


def test_check_mode_create_predicts_without_the_script(monkeypatch):
    options = dict(name='web', ip_address='203.0.113.10', use_dns=True, return_installation_script=True)
    result, session = run_module(monkeypatch, server.main, options, [
        Exchange('GET', '/servers', listing()),
    ], check_mode=True)
    assert result['changed'] is True
    assert result['server'] == {'id': None, 'name': 'web', 'ip_address': '203.0.113.10', 'ssh_settings': {'use_dns': True}, 'provider': None,
                                'php_cli_version': None, 'software_update': None, 'security_update': None, 'connected': False,
                                'online': False, 'os': None, 'os_version': None, 'agent_version': None, 'created_at': None}
    assert 'installation_script' not in result
    session.assert_done()


def test_delete_by_id(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(id=42, state='absent'), [
        Exchange('GET', '/servers/42', answer(200, WEB)),
        Exchange('DELETE', '/servers/42', answer(200, WEB)),
    ])
    assert result['changed'] is True and result['server'] == {}
    session.assert_done()


def test_a_server_create_of_unknown_outcome_is_never_sent_twice(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(name='web', ip_address='203.0.113.10'), [
        Exchange('GET', '/servers', listing()),
        absence_proof('/servers'),
        Exchange('POST', '/servers', requests.exceptions.ReadTimeout('read timed out')),
        absence_proof('/servers'),
        absence_proof('/servers'),
    ], extra_args=dict(api_timeout=1, api_retry_budget=30))
    assert result['failed'] is True and result['changed'] is True
    assert "was not created a second time" in result['msg'] and 'server_info' in result['msg']
    session.assert_done()


def test_a_server_create_that_landed_late_is_found_by_the_re_read(monkeypatch):
    created = {'id': 42, 'name': 'web', 'ipAddress': '203.0.113.10'}
    result, session = run_module(monkeypatch, server.main, dict(name='web', ip_address='203.0.113.10'), [
        Exchange('GET', '/servers', listing()),
        absence_proof('/servers'),
        Exchange('POST', '/servers', answer(504, {})),
        absence_proof('/servers'),
        absence_proof('/servers', created),
    ], extra_args=dict(api_timeout=3, api_retry_budget=30))
    assert result['failed'] is False and result['server']['id'] == 42
    session.assert_done()


def test_a_server_by_id_and_its_ssh_settings_are_read_at_the_same_time(monkeypatch):
    session = MeetingSession(API_URL, [
        Exchange('GET', '/servers/42/settings/ssh', answer(200, SSH)),
        Exchange('GET', '/servers/42', answer(200, WEB)),
    ])
    args = dict(api_url=API_URL, api_token='unit-test-token', api_retry_budget=0, id=42, use_dns=False, security_update=True)
    result = run_module_with_args(monkeypatch, server.main, args, session, False, False)
    assert result['changed'] is False
    assert result['server']['ssh_settings'] == snake_case_keys(SSH)
    assert result['api']['requests'] == 2
    session.assert_done()


def test_a_server_by_id_without_ssh_options_reads_no_ssh_settings(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(id=42, security_update=True), [
        Exchange('GET', '/servers/42', answer(200, WEB)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_a_deleted_server_by_id_reads_no_ssh_settings(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(id=42, state='absent', use_dns=True), [
        Exchange('GET', '/servers/42', answer(404, {'message': 'Not found'})),
    ])
    assert result['changed'] is False
    session.assert_done()

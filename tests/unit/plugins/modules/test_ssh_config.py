# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ssh_config: API v3's SSH configuration, read from the server's SSH settings, changed by PATCH ssh/config."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import ssh_config
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

SETTINGS = {'passwordlessLogin': False, 'useDns': True, 'preventRootLogin': False}
RECORD = {'id': 31, 'server_id': 3, 'passwordlessLogin': True, 'useDns': True, 'preventRootLogin': False,
          'created_at': '2024-01-01 00:00:00', 'updated_at': '2024-01-02 00:00:00'}


def test_a_change_sends_every_flag_to_ssh_config(monkeypatch):
    result, session = run_v3(monkeypatch, ssh_config.main, dict(server=3, passwordless_login=True), [
        Exchange('GET', '/servers/3/settings/ssh', answer(200, SETTINGS)),
        Exchange('PATCH', '/servers/3/ssh/config', answer(200, RECORD),
                 body={'passwordlessLogin': True, 'useDns': True, 'preventRootLogin': False}),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['ssh_config']['passwordless_login'] is True
    session.assert_done()


def test_settings_that_hold_already_send_nothing(monkeypatch):
    result, session = run_v3(monkeypatch, ssh_config.main, dict(server=3, use_dns=True, prevent_root_login=False), [
        Exchange('GET', '/servers/3/settings/ssh', answer(200, dict(SETTINGS, useDns='1', preventRootLogin=0))),
    ])
    assert not result['failed'] and result['changed'] is False
    assert result['api']['writes'] == 0
    session.assert_done()


def test_check_mode_predicts_and_writes_nothing(monkeypatch):
    result, session = run_v3(monkeypatch, ssh_config.main, dict(server=3, prevent_root_login=True), [
        Exchange('GET', '/servers/3/settings/ssh', answer(200, SETTINGS)),
    ], check_mode=True)
    assert result['changed'] is True and result['ssh_config']['prevent_root_login'] is True
    session.assert_done()


def test_an_unreadable_flag_is_unknown_and_not_changed(monkeypatch):
    result, session = run_v3(monkeypatch, ssh_config.main, dict(server=3, use_dns=False), [
        Exchange('GET', '/servers/3/settings/ssh', answer(200, {'passwordlessLogin': True})),
    ])
    assert not result['failed'] and result['changed'] is False
    assert any('use_dns' in warning for warning in result['warnings'])
    session.assert_done()


def test_refused_on_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, ssh_config.main, dict(server=3, use_dns=False), [])
    assert result['failed'] and 'only exists on RunCloud API v3' in result['msg']
    assert session.sent == []

# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared option handling: api_endpoint, ca_path, and what is refused before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.module_utils.module import control_character_problems
from ansible_collections.runcloud.cloud.plugins.modules import cron_job, firewall, system_user
from ansible_collections.runcloud.cloud.tests.unit.module_runner import API_URL, run_module_with_args
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, ScriptedSession, listing

USER = {'id': 7, 'username': 'shop', 'deploymentKey': None, 'created_at': '2024-01-01 00:00:00'}


def test_api_endpoint_is_an_alias_of_api_url(monkeypatch):
    session = ScriptedSession(API_URL, [Exchange('GET', '/servers/3/users', listing(USER))])
    args = dict(api_endpoint=API_URL, api_token='t', api_retry_budget=0, server=3, username='shop')
    result = run_module_with_args(monkeypatch, system_user.main, args, session, False, False)
    assert result['failed'] is False and result['changed'] is False


def test_ca_path_from_the_environment_must_exist(monkeypatch, tmp_path):
    monkeypatch.setenv('RUNCLOUD_CA_PATH', str(tmp_path / 'missing.pem'))
    result = run_module_with_args(monkeypatch, system_user.main, dict(api_url=API_URL, api_token='t', server=3, username='shop'),
                                  ScriptedSession(API_URL, []), False, False)
    assert result['failed'] and result['msg'].startswith('ca_path names a CA bundle that does not exist')


def test_a_newline_in_a_cron_command_is_refused_naming_the_option(monkeypatch):
    session = ScriptedSession(API_URL, [])
    args = dict(api_url=API_URL, api_token='t', server=3, label='backup', command='backup.sh\n* * * * * curl evil', schedule='@daily')
    result = run_module_with_args(monkeypatch, cron_job.main, args, session, False, False)
    assert result['failed'] and result['msg'] == ('command must be a single line without NUL, carriage return or line feed '
                                                  'characters; it contains a line feed')
    assert session.sent == []


def test_nested_options_are_checked_too(monkeypatch):
    session = ScriptedSession(API_URL, [])
    rules = [{'port': '80'}, {'port': '443', 'ip_address': '10.0.0.1\n'}]
    result = run_module_with_args(monkeypatch, firewall.main, dict(api_url=API_URL, api_token='t', server=3, rules=rules),
                                  session, False, False)
    assert result['failed'] and result['msg'].startswith('rules[1].ip_address must be a single line')
    assert session.sent == []


def test_multi_line_options_keep_their_line_breaks_and_a_key_file_may_end_with_one():
    spec = dict(deploy_script=dict(type='str'), public_key=dict(type='str'), label=dict(type='str'), port=dict(type='int'))
    assert control_character_problems(spec, dict(deploy_script='a\nb\r\n', public_key='ssh-ed25519 AAAA x\n', port=5)) == []
    assert control_character_problems(spec, dict(public_key='ssh-ed25519 AAAA\nx\n'))
    assert control_character_problems(spec, dict(label='x' * 4097)) == ['label is 4097 characters long; at most 4096 are accepted']

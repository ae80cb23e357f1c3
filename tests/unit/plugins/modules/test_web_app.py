# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""web_app: create defaults, owner lookup, PHP/FPM updates, default app on/off, alias, rebuild."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.modules import web_app
from ansible_collections.runcloud.cloud.tests.unit.module_runner import API_URL, run_module, run_module_with_args
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, MeetingSession, absence_proof, answer, listing

APP = {'id': 9, 'server_user_id': 7, 'name': 'shop', 'rootPath': '/home/shop/webapps/shop', 'publicPath': '/home/shop/webapps/shop',
       'phpVersion': 'php82rc', 'stack': 'hybrid', 'stackMode': 'production', 'type': 'custom', 'defaultApp': False, 'alias': None}
SETTINGS = {'publicPath': None, 'stack': 'hybrid', 'stackMode': 'production', 'clickjackingProtection': True, 'xssProtection': True,
            'mimeSniffingProtection': True, 'processManager': 'ondemand', 'processManagerStartServers': 1,
            'processManagerMinSpareServers': 1, 'processManagerMaxSpareServers': 1, 'processManagerMaxChildren': 50,
            'processManagerMaxRequests': 500, 'openBasedir': '', 'timezone': 'UTC', 'disableFunctions': '', 'maxExecutionTime': 30,
            'maxInputTime': 60, 'maxInputVars': 1000, 'memoryLimit': 256, 'postMaxSize': 256, 'uploadMaxFilesize': 256,
            'sessionGcMaxlifetime': 1440, 'allowUrlFopen': True}


def test_create_sends_runcloud_defaults_and_the_owner_id(monkeypatch):
    expected = {'name': 'shop', 'domainName': 'shop.example.com', 'user': 7, 'phpVersion': 'php82rc', 'stack': 'hybrid',
                'stackMode': 'production', 'clickjackingProtection': True, 'xssProtection': True, 'mimeSniffingProtection': True,
                'processManager': 'ondemand', 'processManagerMaxChildren': 50, 'processManagerMaxRequests': 500, 'timezone': 'UTC',
                'maxExecutionTime': 30, 'maxInputTime': 60, 'maxInputVars': 1000, 'memoryLimit': 256, 'postMaxSize': 256,
                'uploadMaxFilesize': 256, 'sessionGcMaxlifetime': 1440, 'allowUrlFopen': True}
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', domain_name='shop.example.com', system_user='shop'), [
        Exchange('GET', '/servers/3/webapps', listing(), query={'search': 'shop'}),
        Exchange('GET', '/servers/3/users', listing({'id': 7, 'username': 'shop'}), query={'search': 'shop'}),
        absence_proof('/servers/3/webapps'),
        Exchange('POST', '/servers/3/webapps/custom', answer(200, APP), body=expected),
    ])
    assert result['changed'] is True and result['web_app']['id'] == 9
    session.assert_done()


def test_create_without_owner_fails_before_writing(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop'), [
        Exchange('GET', '/servers/3/webapps', listing()),
    ])
    assert result['failed'] is True
    assert result['msg'] == "domain_name and system_user are required to create the web application 'shop'"
    session.assert_done()


def test_converged_app_with_settings_reads_settings_once_and_writes_nothing(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', system_user='shop', domain_name='other.example.com',
                                                                 php_version='php82rc', public_path='/', memory_limit=256, stack='hybrid'), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('GET', '/servers/3/users', listing({'id': 7, 'username': 'shop'}), query={'search': 'shop'}),
        Exchange('GET', '/servers/3/webapps/9/settings', answer(200, SETTINGS)),
    ], diff=True)
    assert result['changed'] is False
    assert result['diff']['before']['settings']['memory_limit'] == 256
    session.assert_done()


def test_php_version_change_is_one_patch_without_reading_settings(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', php_version='php83rc'), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('PATCH', '/servers/3/webapps/9/settings/php', answer(200, dict(APP, phpVersion='php83rc')), body={'phpVersion': 'php83rc'}),
    ], diff=True)
    assert result['changed'] is True
    assert result['diff']['before']['php_version'] == 'php82rc' and result['diff']['after']['php_version'] == 'php83rc'
    session.assert_done()


def test_settings_change_sends_the_full_set_with_current_values(monkeypatch):
    expected = dict(SETTINGS, memoryLimit=512, publicPath='/public')
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', memory_limit=512, public_path='/public'), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('GET', '/servers/3/webapps/9/settings', answer(200, SETTINGS)),
        Exchange('PATCH', '/servers/3/webapps/9/settings/fpmnginx', answer(200, APP), body=expected),
    ])
    assert result['changed'] is True
    assert result['web_app']['settings']['memory_limit'] == 512
    session.assert_done()


def test_the_full_set_echoes_what_was_read_in_the_documented_form_and_leaves_out_what_was_not(monkeypatch):
    # "true", "Hybrid" and "512" are read (and sent back as true, hybrid and 512); a value of no known form
    # is unknown: it is left out, never echoed for the API to refuse in the name of the user's option.
    spelled = dict(SETTINGS, stack='Hybrid', stackMode='PRODUCTION', processManager='OnDemand', allowUrlFopen='true',
                   xssProtection='1', clickjackingProtection='perhaps', maxInputVars='1000')
    expected = dict(SETTINGS, memoryLimit=512, publicPath='/public')
    del expected['clickjackingProtection']
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', memory_limit=512, public_path='/public'), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('GET', '/servers/3/webapps/9/settings', answer(200, spelled)),
        Exchange('PATCH', '/servers/3/webapps/9/settings/fpmnginx', answer(200, APP), body=expected),
    ])
    assert result['changed'] is True
    session.assert_done()


def test_default_app_on_posts_and_off_deletes(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', default_app=True), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('POST', '/servers/3/webapps/9/default', answer(200, dict(APP, defaultApp=True))),
    ])
    assert result['changed'] is True and result['web_app']['default_app'] is True
    session.assert_done()
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', default_app=False), [
        Exchange('GET', '/servers/3/webapps', listing(dict(APP, defaultApp=True))),
        Exchange('DELETE', '/servers/3/webapps/9/default', answer(200, APP)),
    ])
    assert result['changed'] is True and result['web_app']['default_app'] is False
    session.assert_done()


def test_other_owner_fails_without_writing(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', system_user='other'), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('GET', '/servers/3/users', listing({'id': 8, 'username': 'other'}), query={'search': 'other'}),
    ])
    assert result['failed'] is True
    assert 'different system_user' in result['msg']
    session.assert_done()


def test_owner_is_decided_by_server_user_id_not_by_the_root_path(monkeypatch):
    # The directory names one user, the API's owner id another: the id decides.
    moved = dict(APP, rootPath='/home/shop/webapps/shop', server_user_id=8)
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', system_user='shop'), [
        Exchange('GET', '/servers/3/webapps', listing(moved)),
        Exchange('GET', '/servers/3/users', listing({'id': 7, 'username': 'shop'}), query={'search': 'shop'}),
    ])
    assert result['failed'] is True and 'different system_user' in result['msg']
    session.assert_done()


def test_owner_by_id_is_compared_with_server_user_id(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', system_user=7), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
    ])
    assert result['changed'] is False and not result['failed']
    session.assert_done()


def test_alias_is_created_under_its_parent(monkeypatch):
    alias = dict(APP, id=10, name='shop2', alias=9)
    result, session = run_module(monkeypatch, web_app.main,
                                 dict(server=3, name='shop2', alias_of='shop', domain_name='shop2.example.com', system_user=7), [
                                     Exchange('GET', '/servers/3/webapps', listing(), query={'search': 'shop2'}),
                                     Exchange('GET', '/servers/3/webapps', listing(APP), query={'search': 'shop'}),
                                     absence_proof('/servers/3/webapps', APP),
                                     Exchange('POST', '/servers/3/webapps/9/alias', answer(200, alias)),
                                 ])
    assert result['changed'] is True and result['web_app']['alias'] == 9
    session.assert_done()


def test_rebuild_runs_every_time_but_not_in_check_mode(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', rebuild=True), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('POST', '/servers/3/webapps/9/rebuild', answer(200, APP)),
    ])
    assert result['changed'] is True
    session.assert_done()
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', rebuild=True), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
    ], check_mode=True)
    assert result['changed'] is True
    session.assert_done()


def test_check_mode_create_predicts_without_writing(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main,
                                 dict(server=3, name='shop', domain_name='shop.example.com', system_user=7, memory_limit=512), [
                                     Exchange('GET', '/servers/3/webapps', listing()),
                                 ], check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['web_app']['id'] is None and result['web_app']['name'] == 'shop'
    assert result['diff']['before'] == {}
    session.assert_done()


def test_webhook_keys_are_not_in_the_result_nor_the_diff(monkeypatch):
    with_keys = dict(APP, pullKey1='KEY-ONE-SECRET', pullKey2='KEY-TWO-SECRET')
    result, _session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', php_version='php83rc'), [
        Exchange('GET', '/servers/3/webapps', listing(with_keys)),
        Exchange('PATCH', '/servers/3/webapps/9/settings/php', answer(200, dict(with_keys, phpVersion='php83rc'))),
    ], diff=True)
    assert result['changed'] is True
    assert 'KEY-ONE-SECRET' not in repr(result) and 'KEY-TWO-SECRET' not in repr(result)


@pytest.mark.parametrize('option, value, message', [
    ('memory_limit', 268435456, 'memory_limit must be between 1 and 65536 (MB)'),
    ('upload_max_filesize', 0, 'upload_max_filesize must be between 1 and 65536 (MB)'),
    ('max_input_time', -2, 'max_input_time must be between -1 and 86400'),
    ('public_path', '/public/../../etc', "public_path must be a folder inside the application root, without '..'"),
])
def test_values_the_api_should_not_get_are_refused_before_any_request(monkeypatch, option, value, message):
    result, session = run_module(monkeypatch, web_app.main, dict({'server': 3, 'name': 'shop', option: value}), [])
    assert result['failed'] is True and message in result['msg']
    session.assert_done()


def test_a_timezone_missing_from_the_api_list_is_refused_before_the_write(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', timezone='europe/berlin'), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('GET', '/servers/3/webapps/9/settings', answer(200, SETTINGS)),
        Exchange('GET', '/static/timezones', answer(200, ['Europe/Berlin', 'UTC'])),
    ])
    assert result['failed'] is True and 'did you mean Europe/Berlin' in result['msg']
    session.assert_done()


def test_a_listed_timezone_is_sent(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', timezone='Europe/Berlin'), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('GET', '/servers/3/webapps/9/settings', answer(200, SETTINGS)),
        Exchange('GET', '/static/timezones', answer(200, {'data': [{'name': 'Europe/Berlin'}, {'name': 'UTC'}]})),
        Exchange('PATCH', '/servers/3/webapps/9/settings/fpmnginx', answer(200, APP)),
    ])
    assert result['failed'] is False and result['changed'] is True
    session.assert_done()


def test_an_app_by_id_and_its_settings_are_read_at_the_same_time(monkeypatch):
    session = MeetingSession(API_URL, [
        Exchange('GET', '/servers/3/webapps/9/settings', answer(200, SETTINGS)),
        Exchange('GET', '/servers/3/webapps/9', answer(200, APP)),
    ])
    args = dict(api_url=API_URL, api_token='unit-test-token', api_retry_budget=0, server=3, id=9, name='shop', memory_limit=256)
    result = run_module_with_args(monkeypatch, web_app.main, args, session, False, False)
    assert result['changed'] is False
    assert result['web_app']['settings']['memory_limit'] == 256
    assert result['api']['requests'] == 2
    session.assert_done()


def test_an_app_by_id_must_carry_its_name(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, id=9, name='blog', php_version='php82rc'), [
        Exchange('GET', '/servers/3/webapps/9', answer(200, APP)),
    ])
    assert result['failed'] is True
    assert result['msg'] == "the web application with id 9 has name 'shop', not 'blog'"
    session.assert_done()

# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The declarative module base, exercised through system_user with scripted HTTP."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import system_user
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, absence_proof, answer, listing

USER = {'id': 7, 'username': 'shop', 'deploymentKey': None, 'deleteable': True, 'created_at': '2024-01-01 00:00:00'}


def servers_named_web():
    return Exchange('GET', '/servers', listing({'id': 3, 'name': 'web'}, {'id': 4, 'name': 'web-2'}), query={'search': 'web'})


def test_check_mode_create_predicts_without_writing(monkeypatch):
    result, session = run_module(monkeypatch, system_user.main, dict(server='web', username='shop', password='pw'), [
        servers_named_web(),
        Exchange('GET', '/servers/3/users', listing(), query={'search': 'shop'}),
    ], check_mode=True, diff=True)
    assert result['changed'] is True and not result['failed']
    assert result['system_user'] == {'id': None, 'username': 'shop', 'deployment_key': None, 'deleteable': True, 'created_at': None}
    assert result['diff'] == {'before': {}, 'after': result['system_user']}
    session.assert_done()


def test_create_sends_only_documented_fields_and_generates_the_key(monkeypatch):
    with_key = dict(USER, deploymentKey='ssh-rsa AAAA')
    result, session = run_module(monkeypatch, system_user.main, dict(server=3, username='shop', password='pw', deployment_key=True), [
        Exchange('GET', '/servers/3/users', listing(), query={'search': 'shop'}),
        absence_proof('/servers/3/users'),
        Exchange('POST', '/servers/3/users', answer(200, USER), body={'username': 'shop', 'password': 'pw'}),
        Exchange('PATCH', '/servers/3/users/7/deploymentkey', answer(200, with_key)),
    ])
    assert result['changed'] is True
    assert result['system_user'] == snake_case_keys(with_key)
    session.assert_done()


def test_converged_user_by_server_id_is_one_get_and_no_write(monkeypatch):
    result, session = run_module(monkeypatch, system_user.main, dict(server='3', username='shop', password='pw'), [
        Exchange('GET', '/servers/3/users', listing(USER), query={'search': 'shop'}),
    ])
    assert result['changed'] is False
    assert 'password' not in result['system_user']
    session.assert_done()


def test_update_password_always_sends_the_password(monkeypatch):
    result, session = run_module(monkeypatch, system_user.main,
                                 dict(server=3, username='shop', password='new', update_password='always'), [
                                     Exchange('GET', '/servers/3/users', listing(USER)),
                                     Exchange('PATCH', '/servers/3/users/7/password', answer(200, USER), body={'password': 'new'}),
                                 ])
    assert result['changed'] is True
    session.assert_done()


def test_delete_then_delete_again(monkeypatch):
    result, session = run_module(monkeypatch, system_user.main, dict(server=3, username='shop', state='absent'), [
        Exchange('GET', '/servers/3/users', listing(USER)),
        Exchange('DELETE', '/servers/3/users/7', answer(200, USER)),
    ], diff=True)
    assert result['changed'] is True
    assert result['diff']['after'] == {}
    session.assert_done()
    result, session = run_module(monkeypatch, system_user.main, dict(server=3, username='shop', state='absent'), [
        Exchange('GET', '/servers/3/users', listing()),
    ])
    assert result['changed'] is False


def test_unknown_server_name_fails_cleanly(monkeypatch):
    result, _session = run_module(monkeypatch, system_user.main, dict(server='nope', username='shop'), [
        Exchange('GET', '/servers', listing(), query={'search': 'nope'}),
        # The search found nothing: the first page of the list, for a "did you mean".
        Exchange('GET', '/servers', listing({'id': 3, 'name': 'web-01'})),
    ])
    assert result['failed'] is True
    assert result['msg'] == "GET /servers: no server with name 'nope'"
    assert result['kind'] == 'not_found'


def test_a_server_name_close_to_an_existing_one_gets_a_did_you_mean(monkeypatch):
    result, session = run_module(monkeypatch, system_user.main, dict(server='web-1', username='shop'), [
        Exchange('GET', '/servers', listing(), query={'search': 'web-1'}),
        Exchange('GET', '/servers', listing({'id': 3, 'name': 'web-01'}, {'id': 4, 'name': 'db-01'})),
    ])
    assert result['failed'] is True and result['kind'] == 'not_found'
    assert result['msg'] == "GET /servers: no server with name 'web-1' (did you mean 'web-01'?)"
    assert 'search' not in (session.sent[1]['params'] or {})
    session.assert_done()


def test_the_names_the_search_read_give_the_did_you_mean_without_another_request(monkeypatch):
    result, session = run_module(monkeypatch, system_user.main, dict(server='Web', username='shop'), [
        Exchange('GET', '/servers', listing({'id': 3, 'name': 'web'}, {'id': 4, 'name': 'web-old'}), query={'search': 'Web'}),
    ])
    assert result['msg'] == "GET /servers: no server with name 'Web' (did you mean 'web'?)"
    session.assert_done()


def test_api_validation_error_is_reported_with_fields_and_without_the_token(monkeypatch):
    body = {'message': 'The given data was invalid.', 'errors': {'username': ['The username format is invalid.']}}
    result, _session = run_module(monkeypatch, system_user.main, dict(server=3, username='Bad Name'), [
        Exchange('GET', '/servers/3/users', listing()),
        absence_proof('/servers/3/users'),
        Exchange('POST', '/servers/3/users', answer(422, body)),
        # A refused create re-reads the list: a run beside this one may have made the user meanwhile.
        absence_proof('/servers/3/users'),
    ])
    assert result['failed'] is True
    assert result['status'] == 422 and result['method'] == 'POST' and result['path'] == '/servers/3/users'
    assert result['field_errors'] == body['errors']
    assert 'unit-test-token' not in repr(result)


def test_a_user_another_run_created_meanwhile_is_converged_not_failed(monkeypatch):
    taken = {'message': 'The given data was invalid.', 'errors': {'username': ['The username has already been taken.']}}
    result, session = run_module(monkeypatch, system_user.main, dict(server=3, username='shop'), [
        Exchange('GET', '/servers/3/users', listing(), query={'search': 'shop'}),
        absence_proof('/servers/3/users'),
        Exchange('POST', '/servers/3/users', answer(422, taken)),
        absence_proof('/servers/3/users', USER),
    ])
    assert not result['failed'], result
    # The other run made it, as this task wants it: this run changed nothing.
    assert result['changed'] is False and result['system_user']['id'] == 7
    session.assert_done()


def test_lost_post_answer_is_resolved_by_reading_the_state(monkeypatch):
    import requests
    dropped = requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('closed'))")
    result, session = run_module(monkeypatch, system_user.main, dict(server=3, username='shop'), [
        Exchange('GET', '/servers/3/users', listing()),
        absence_proof('/servers/3/users'),
        Exchange('POST', '/servers/3/users', dropped),
        Exchange('GET', '/servers/3/users', listing(USER)),
    ])
    assert result['changed'] is True and not result['failed']
    assert result['system_user']['id'] == 7
    session.assert_done()


def test_retries_are_listed_in_the_result_at_verbosity_3(monkeypatch):
    script = [
        Exchange('GET', '/servers/3/users', answer(429, {'message': 'Too Many Attempts.'}, {'Retry-After': '0'})),
        Exchange('GET', '/servers/3/users', listing(USER)),
    ]
    result, _session = run_module(monkeypatch, system_user.main, dict(server=3, username='shop', api_retry_budget=5,
                                                                      _ansible_verbosity=3), script)
    assert result['changed'] is False
    assert len(result['api_log']) == 1
    assert 'GET /servers/3/users' in result['api_log'][0] and 'try 2 of 5' in result['api_log'][0]
    quiet, _session = run_module(monkeypatch, system_user.main, dict(server=3, username='shop', api_retry_budget=5), list(script))
    assert 'api_log' not in quiet

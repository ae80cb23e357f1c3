# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The declarative base with a made-up resource that uses every feature."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Action,
    Field,
    Reader,
    ResourceModule,
    UpdateGroup,
    camel_case,
    normalize,
    resource_argument_spec,
)
from ansible_collections.runcloud.cloud.plugins.modules import system_user
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, absence_proof, answer

WIDGET = {'id': 5, 'name': 'w', 'color': 'red', 'size': 3, 'enabled': 1, 'shape': 'round'}
TUNING = {'speed': 10, 'quiet': False}


class WidgetModule(ResourceModule):
    resource = 'widget'
    result_key = 'widget'
    parents = (SERVER,)
    list_path = 'servers/{server_id}/widgets'
    item_path = 'servers/{server_id}/widgets/{id}'
    fields = (
        Field('name'),
        Field('shape'),
        Field('color', update='looks'),
        Field('size', kind='int', update='looks', create_default=1),
        Field('enabled', kind='bool', update='looks'),
        Field('speed', kind='int', create=False, update='tuning', reader='tuning'),
        Field('quiet', kind='bool', create=False, update='tuning', reader='tuning'),
        Field('pinned', kind='bool', create=False, update='pin'),
    )
    readers = (Reader('tuning', 'servers/{server_id}/widgets/{id}/tuning', 'tuning'),)
    update_groups = (
        UpdateGroup('looks', 'servers/{server_id}/widgets/{id}/looks'),
        UpdateGroup('tuning', 'servers/{server_id}/widgets/{id}/tuning', send='all'),
        UpdateGroup('pin', 'servers/{server_id}/widgets/{id}/pin', method='POST', send='none'),
    )
    actions = (Action('polish', 'servers/{server_id}/widgets/{id}/polish'),
               Action('launch', 'servers/{server_id}/widgets/{id}/launch', method='PUT'))
    on_immutable_change = 'option'


def main():
    WidgetModule(argument_spec=resource_argument_spec(
        server=dict(type='raw', required=True), name=dict(type='str', required=True), shape=dict(type='str'),
        color=dict(type='str'), size=dict(type='int'), enabled=dict(type='bool'), speed=dict(type='int'),
        quiet=dict(type='bool'), polish=dict(type='bool', default=False), replace=dict(type='bool', default=False),
        pinned=dict(type='bool'), launch=dict(type='bool', default=False),
    ), supports_check_mode=True).main()


def found(*items):
    return answer(200, {'data': list(items), 'meta': {'pagination': {'total_pages': 1}}})


def test_normalize_makes_api_types_comparable():
    assert normalize('bool', 1) is True and normalize('bool', '0') is False and normalize('bool', 'true') is True
    assert normalize('int', '80') == 80 and normalize('int', 'abc') == 'abc'
    assert normalize('str', '') is None and normalize('str', 5) == '5'
    assert camel_case('php_cli_version') == 'phpCliVersion' and camel_case('name') == 'name'


def test_create_sends_create_defaults_and_then_the_fields_only_updates_can_set(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', color='red', speed=20), [
        Exchange('GET', '/servers/1/widgets', found()),
        absence_proof('/servers/1/widgets'),
        Exchange('POST', '/servers/1/widgets', answer(200, dict(WIDGET, size=1)), body={'name': 'w', 'color': 'red', 'size': 1}),
        Exchange('GET', '/servers/1/widgets/5/tuning', answer(200, TUNING)),
        Exchange('PATCH', '/servers/1/widgets/5/tuning', answer(200, {'speed': 20, 'quiet': False}), body={'speed': 20, 'quiet': False}),
    ])
    assert result['changed'] is True
    assert result['widget']['tuning'] == {'speed': 20, 'quiet': False}
    session.assert_done()


def test_unset_options_and_equal_values_after_normalising_are_no_change(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', size='3', enabled=True), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_only_differing_fields_are_sent_and_the_reader_is_skipped_when_unused(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', color='blue', size=3), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('PATCH', '/servers/1/widgets/5/looks', answer(200, dict(WIDGET, color='blue')), body={'color': 'blue'}),
    ], diff=True)
    assert result['changed'] is True
    assert result['diff']['before']['color'] == 'red' and result['diff']['after']['color'] == 'blue'
    session.assert_done()


def test_send_all_groups_fill_unset_fields_from_the_current_values(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', quiet=True), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('GET', '/servers/1/widgets/5/tuning', answer(200, TUNING)),
        Exchange('PATCH', '/servers/1/widgets/5/tuning', answer(200, {}), body={'speed': 10, 'quiet': True}),
    ], diff=True)
    assert result['changed'] is True
    assert result['diff']['after']['tuning'] == {'speed': 10, 'quiet': True}
    assert result['diff']['before']['tuning'] == TUNING
    session.assert_done()


def test_check_mode_update_reads_but_never_writes(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', color='blue', speed=99, polish=True), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('GET', '/servers/1/widgets/5/tuning', answer(200, TUNING)),
    ], check_mode=True)
    assert result['changed'] is True
    assert result['widget']['color'] == 'blue' and result['widget']['tuning']['speed'] == 99
    session.assert_done()


def test_an_immutable_difference_fails_and_names_the_field(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', shape='square'), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
    ])
    assert result['failed'] is True
    assert 'different shape' in result['msg'] and 'replace=true' in result['msg']
    session.assert_done()


def test_an_immutable_difference_is_replaced_when_allowed(monkeypatch):
    square = dict(WIDGET, id=6, shape='square', size=1)
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', shape='square', replace=True), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('DELETE', '/servers/1/widgets/5', answer(200, WIDGET)),
        Exchange('POST', '/servers/1/widgets', answer(200, square), body={'name': 'w', 'shape': 'square', 'size': 1}),
    ])
    assert result['changed'] is True and result['widget']['id'] == 6
    session.assert_done()


def test_actions_always_run_and_report_a_change(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', polish=True), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('POST', '/servers/1/widgets/5/polish', answer(200, {})),
    ])
    assert result['changed'] is True
    session.assert_done()


@pytest.mark.parametrize('state', ['present', 'absent'])
def test_ambiguous_names_fail_and_ask_for_the_id(monkeypatch, state):
    result, _session = run_module(monkeypatch, main, dict(server=1, name='w', state=state), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET, dict(WIDGET, id=9))),
    ])
    assert result['failed'] is True and result['kind'] == 'ambiguous'
    assert 'give the id' in result['msg']


# -- unknown outcomes and the proof of absence --------------------------------------------------------

def test_a_create_is_not_sent_when_the_unsearched_list_has_the_name(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', color='red'), [
        Exchange('GET', '/servers/1/widgets', found(), query={'search': 'w'}),
        absence_proof('/servers/1/widgets', WIDGET),
    ])
    assert result['changed'] is False and result['widget']['id'] == 5
    session.assert_done()


def test_a_create_answered_500_is_found_by_the_re_read_and_not_sent_again(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', size=3), [
        Exchange('GET', '/servers/1/widgets', found()),
        absence_proof('/servers/1/widgets'),
        Exchange('POST', '/servers/1/widgets', answer(500, {'message': 'Server Error'})),
        absence_proof('/servers/1/widgets', WIDGET),
    ])
    assert result['failed'] is False and result['changed'] is True and result['widget']['id'] == 5
    session.assert_done()


def test_a_resent_create_refused_as_taken_succeeds_when_the_first_try_landed(monkeypatch):
    taken = {'message': 'The given data was invalid.', 'errors': {'name': ['The name has already been taken.']}}
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', size=3), [
        Exchange('GET', '/servers/1/widgets', found()),
        absence_proof('/servers/1/widgets'),
        Exchange('POST', '/servers/1/widgets', answer(502, {})),
        absence_proof('/servers/1/widgets'),
        absence_proof('/servers/1/widgets'),
        Exchange('POST', '/servers/1/widgets', answer(422, taken)),
        absence_proof('/servers/1/widgets', WIDGET),
    ], extra_args=dict(api_retry_budget=30, api_timeout=0.5))
    assert result['failed'] is False and result['widget']['id'] == 5
    session.assert_done()


def test_a_state_setting_post_with_a_lost_answer_is_checked_not_resent(monkeypatch):
    pinned = dict(WIDGET, pinned=True)
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', pinned=True), [
        Exchange('GET', '/servers/1/widgets', found(dict(WIDGET, pinned=False))),
        Exchange('POST', '/servers/1/widgets/5/pin', answer(503, {})),
        Exchange('GET', '/servers/1/widgets/5', answer(200, pinned)),
    ])
    assert result['failed'] is False and result['changed'] is True
    session.assert_done()


def test_a_put_action_with_a_lost_answer_is_not_repeated_and_reports_a_change(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', launch=True), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('PUT', '/servers/1/widgets/5/launch', requests.exceptions.ReadTimeout('read timed out')),
    ], extra_args=dict(api_retry_budget=30))
    assert result['failed'] is True and result['changed'] is True
    assert 'not repeated' in result['msg']
    session.assert_done()


def test_an_api_field_named_like_a_reader_does_not_replace_the_read(monkeypatch):
    with_field = dict(WIDGET, tuning='not the settings')
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', speed=10), [
        Exchange('GET', '/servers/1/widgets', found(with_field)),
        Exchange('GET', '/servers/1/widgets/5/tuning', answer(200, TUNING)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_a_key_generation_with_a_lost_answer_is_checked_not_repeated(monkeypatch):
    user = {'id': 7, 'username': 'shop', 'deploymentKey': None}
    result, session = run_module(monkeypatch, system_user.main, dict(server=3, username='shop', deployment_key=True), [
        Exchange('GET', '/servers/3/users', found(user)),
        Exchange('PATCH', '/servers/3/users/7/deploymentkey', requests.exceptions.ReadTimeout('read timed out')),
        Exchange('GET', '/servers/3/users/7', answer(200, dict(user, deploymentKey='ssh-rsa AAAA shop@runcloud'))),
    ], extra_args=dict(api_retry_budget=30))
    assert result['failed'] is False and result['changed'] is True
    session.assert_done()

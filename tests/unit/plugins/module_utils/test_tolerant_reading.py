# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tolerant reading: a compared field the answer lacks, or holds in a shape the module cannot read,
is unknown - never a reason to update, replace or fail."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.module_utils.resource import UNKNOWN_IN_DIFF, normalize
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.module_utils.test_resource import WIDGET, found, main
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer


def without(resource, *keys):
    return dict((key, value) for key, value in resource.items() if key not in keys)


def test_a_field_missing_from_the_answer_is_unknown_not_a_change(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', color='blue'), [
        Exchange('GET', '/servers/1/widgets', found(without(WIDGET, 'color'))),
    ], diff=True)
    assert result['failed'] is False and result['changed'] is False
    assert len(result['warnings']) == 1
    assert 'color' in result['warnings'][0] and 'GET /servers/1/widgets' in result['warnings'][0]
    assert result['diff']['before']['color'] == UNKNOWN_IN_DIFF == result['diff']['after']['color']
    session.assert_done()


def test_an_immutable_field_missing_from_the_answer_never_fails_nor_replaces(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', shape='square'), [
        Exchange('GET', '/servers/1/widgets', found(without(WIDGET, 'shape'))),
    ])
    assert result['failed'] is False and result['changed'] is False
    assert 'shape' in result['warnings'][0]
    session.assert_done()


def test_a_value_of_an_unreadable_shape_is_unknown(monkeypatch):
    odd = dict(WIDGET, size={'value': 3}, enabled='perhaps')
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', size=4, enabled=False), [
        Exchange('GET', '/servers/1/widgets', found(odd)),
    ])
    assert result['failed'] is False and result['changed'] is False
    assert len(result['warnings']) == 2
    session.assert_done()


def test_values_in_other_forms_compare_equal(monkeypatch):
    variant = dict(WIDGET, size='3', enabled='1', color='red')
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', size=3, enabled=True, color='red'), [
        Exchange('GET', '/servers/1/widgets', found(variant)),
    ])
    assert result['changed'] is False and result['warnings'] == []
    session.assert_done()


def test_a_known_difference_is_still_changed_next_to_an_unknown_one(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', color='blue', shape='square'), [
        Exchange('GET', '/servers/1/widgets', found(without(WIDGET, 'shape'))),
        Exchange('PATCH', '/servers/1/widgets/5/looks', answer(200, dict(WIDGET, color='blue')), body={'color': 'blue'}),
    ])
    assert result['changed'] is True and result['widget']['color'] == 'blue'
    session.assert_done()


def test_a_reader_answer_of_another_shape_makes_its_fields_unknown(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', speed=20), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('GET', '/servers/1/widgets/5/tuning', answer(200, [1, 2])),
    ])
    assert result['changed'] is False and 'GET /servers/1/widgets/5/tuning' in result['warnings'][0]
    session.assert_done()


def test_a_full_set_update_leaves_out_unknown_fields(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', speed=20), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('GET', '/servers/1/widgets/5/tuning', answer(200, {'speed': 10})),
        Exchange('PATCH', '/servers/1/widgets/5/tuning', answer(200, {}), body={'speed': 20}),
    ])
    assert result['changed'] is True
    session.assert_done()


def test_right_after_a_create_a_missing_field_is_one_to_set(monkeypatch):
    created = without(WIDGET, 'pinned')
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', pinned=True), [
        Exchange('GET', '/servers/1/widgets', found()),
        Exchange('GET', '/servers/1/widgets', found()),
        Exchange('POST', '/servers/1/widgets', answer(200, created)),
        Exchange('POST', '/servers/1/widgets/5/pin', answer(200, {})),
    ])
    assert result['changed'] is True and result['widget']['pinned'] is True
    session.assert_done()


def test_normalisation_both_ways():
    assert normalize('int', '80') == normalize('int', 80) == normalize('int', 80.0) == 80
    assert normalize('bool', 'false') is False and normalize('bool', '0') is False and normalize('bool', 0) is False
    assert normalize('bool', True) is normalize('bool', 1) is normalize('bool', '1') is True
    assert normalize('str', '') is None and normalize('int', '') is None and normalize('bool', '') is None
    assert normalize('domain', 'Shop.Example.COM.') == normalize('domain', 'shop.example.com') == 'shop.example.com'


def test_a_422_without_field_names_fails_with_the_api_words(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', color='blue'), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('PATCH', '/servers/1/widgets/5/looks',
                 answer(422, {'message': 'The given data was invalid.', 'errors': ['The color is not available.']})),
    ])
    assert result['failed'] is True and 'The color is not available.' in result['msg']
    assert result['api_details'] == ['The color is not available.']
    session.assert_done()


def test_a_full_set_update_sends_the_unset_fields_as_read_in_the_documented_form(monkeypatch):
    result, session = run_module(monkeypatch, main, dict(server=1, name='w', speed=20), [
        Exchange('GET', '/servers/1/widgets', found(WIDGET)),
        Exchange('GET', '/servers/1/widgets/5/tuning', answer(200, {'data': {'speed': '10', 'quiet': 'FALSE'}})),
        Exchange('PATCH', '/servers/1/widgets/5/tuning', answer(200, {}), body={'speed': 20, 'quiet': False}),
    ])
    assert result['changed'] is True
    session.assert_done()

# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The value model: every spelling the references show or leave open reads as one value, what cannot
be read stays unknown (never true, never a change), and requests carry the documented form."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import ANSWER_TYPES
from ansible_collections.runcloud.cloud.plugins.module_utils.values import (
    BOOLEAN, DOMAIN, ENUM, ID, INTEGER, NUMBER, PHP_VERSION, RAW, TEXT, TIME, Enumeration, error_details, read_answer, unwrap,
)


@pytest.mark.parametrize('spelling', [True, 1, 1.0, '1', 'true', 'TRUE', ' True ', 'yes', 'on'])
def test_true_in_every_spelling(spelling):
    assert BOOLEAN.read(spelling) is True and BOOLEAN.write(spelling) is True


@pytest.mark.parametrize('spelling', [False, 0, '0', 'false', 'False', 'no', 'off'])
def test_false_in_every_spelling(spelling):
    assert BOOLEAN.read(spelling) is False and BOOLEAN.write(spelling) is False


@pytest.mark.parametrize('odd', [2, -1, 'perhaps', {'value': 1}, [1]])
def test_a_flag_that_is_neither_is_unknown_never_true(odd):
    assert not BOOLEAN.readable(odd) and BOOLEAN.read(odd) == odd and BOOLEAN.same(odd, True) is None


@pytest.mark.parametrize('spelling', [42, '42', ' 42 ', 42.0, '42.0'])
def test_ids_and_integers_as_strings(spelling):
    assert ID.read(spelling) == 42 and INTEGER.read(spelling) == 42 and isinstance(ID.write(spelling), int)


@pytest.mark.parametrize('odd', [True, '4.5', 'web-01', -3, {'id': 4}])
def test_what_is_not_an_id(odd):
    assert not ID.readable(odd)


def test_a_boolean_is_not_a_number():
    assert not INTEGER.readable(True) and not NUMBER.readable(False)
    assert NUMBER.read('0.94') == 0.94 and NUMBER.read('20') == 20 and not NUMBER.readable('nan')


def test_enumerations_in_any_case_read_as_the_documented_spelling():
    stack = ANSWER_TYPES['stack']
    assert stack.read('Hybrid') == 'hybrid' and stack.read('NGINX') == 'nginx' and stack.write('NativeNginx') == 'nativenginx'
    assert ANSWER_TYPES['protocol'].read('TCP') == 'tcp' and ANSWER_TYPES['type'].read('Global') == 'global'
    installers = Enumeration('phpMyAdmin', 'wordpress')
    assert installers.read('PHPMYADMIN') == 'phpMyAdmin' and installers.read('Joomla') == 'Joomla'
    assert ENUM.same('Ondemand', 'ondemand') is True and ENUM.same('static', 'dynamic') is False


@pytest.mark.parametrize('spelling', ['php82rc', 'PHP82RC', '8.2', 8.2, 'php8.2', 'PHP 8.2', '8.2.10', 'php82'])
def test_php_versions_in_every_spelling(spelling):
    assert PHP_VERSION.read(spelling) == 'php82rc' and PHP_VERSION.same(spelling, 'php82rc') is True


def test_php_version_names_of_another_form_are_kept():
    assert PHP_VERSION.read('hhvm') == 'hhvm' and PHP_VERSION.same('8.1', 'php82rc') is False


@pytest.mark.parametrize('spelling', ['2019-06-20 18:10:23', '2019-06-20T18:10:23.000000Z', '2019-06-20T20:10:23+02:00',
                                      '2019-06-20T18:10:23Z', '2019-06-20T13:10:23-0500'])
def test_plain_and_iso_times(spelling):
    assert TIME.read(spelling) == '2019-06-20 18:10:23'
    assert TIME.moment(spelling) == datetime.datetime(2019, 6, 20, 18, 10, 23, tzinfo=datetime.timezone.utc)


def test_a_human_time_is_unknown():
    assert not TIME.readable('6 seconds ago') and TIME.read('6 seconds ago') == '6 seconds ago'


def test_domains_and_text():
    assert DOMAIN.read('Shop.Example.COM.') == 'shop.example.com'
    assert TEXT.read(80) == '80' and TEXT.same('80', 80) is True and not TEXT.readable({'a': 1})
    assert TEXT.write('') == '' and BOOLEAN.write('') is None and RAW.read('') == ''


def test_empty_is_null_for_every_type_but_raw():
    for value_type in (TEXT, INTEGER, ID, BOOLEAN, ENUM, PHP_VERSION, DOMAIN, TIME):
        assert value_type.read('') is None and value_type.same('', None) is True


def test_an_answer_is_read_field_by_field_at_any_depth():
    answer = {'data': [{'id': '4', 'connected': '0', 'online': 'true', 'phpCLIVersion': '8.2', 'stack': 'NGINX',
                        'name': '0', 'provider': 'TRUE', 'created_at': '2024-07-09T07:02:13.000000Z', 'odd': '1'}],
              'services': {'nginx': {'running': '1', 'memory': '1.2 MB'}}}
    server = read_answer(answer, ANSWER_TYPES)['data'][0]
    assert server == {'id': 4, 'connected': False, 'online': True, 'phpCLIVersion': 'php82rc', 'stack': 'nginx', 'name': '0',
                      'provider': 'TRUE', 'created_at': '2024-07-09 07:02:13', 'odd': '1'}
    assert read_answer(answer, ANSWER_TYPES)['services']['nginx'] == {'running': True, 'memory': '1.2 MB'}
    assert read_answer({'connected': 'perhaps'}, ANSWER_TYPES) == {'connected': 'perhaps'}


def test_single_objects_are_unwrapped_lists_are_not():
    assert unwrap({'data': {'id': 1}}) == {'id': 1}
    assert unwrap({'data': {'id': 1}, 'message': 'ok'}) == {'id': 1}
    assert unwrap({'data': [{'id': 1}], 'meta': {}}) == {'data': [{'id': 1}], 'meta': {}}
    assert unwrap({'data': {'x': 1}, 'id': 3}) == {'data': {'x': 1}, 'id': 3}


@pytest.mark.parametrize('errors,fields,general', [
    ({'name': ['The name has already been taken.']}, {'name': ['The name has already been taken.']}, []),
    ({'name': 'The name has already been taken.'}, {'name': ['The name has already been taken.']}, []),
    (['The name has already been taken.'], {}, ['The name has already been taken.']),
    ([{'message': 'The name has already been taken.'}], {}, ['The name has already been taken.']),
    ([{'name': ['The name has already been taken.']}], {'name': ['The name has already been taken.']}, []),
    ('The name has already been taken.', {}, ['The name has already been taken.']),
    (None, {}, []),
])
def test_validation_errors_in_every_shape(errors, fields, general):
    assert error_details(errors) == (fields, general)

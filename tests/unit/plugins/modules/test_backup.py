# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""backup: a web application's or database's backup policy on API v3, found by what it covers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import backup
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

POLICY = {'id': 12, 'label': 'shop nightly', 'items': {'webApplicationId': 4, 'databaseId': None}, 'storage': 'runcloud',
          'type': 'full backup', 'frequency': '1 day', 'size': '0B', 'status': 'active'}
OTHER = dict(POLICY, id=11, label='blog', items={'webApplicationId': 5, 'databaseId': None})
BY_SERVER = {'server_id': '3', 'perPage': '40'}


def policies(*items):
    return Exchange('GET', '/backups', listing(*items))


def test_a_policy_is_created_with_what_it_covers_and_its_settings(monkeypatch):
    args = dict(server=3, web_app=4, name='shop nightly', frequency='1 day', retention='1 month', format='tar', fail_notification=True)
    result, session = run_v3(monkeypatch, backup.main, args, [
        policies(OTHER),
        Exchange('POST', '/backups', answer(200, {'message': 'Backup instance has been successfully created.', 'backup': POLICY}),
                 body={'name': 'shop nightly', 'webApplicationId': 4, 'storage': 'runcloud', 'backupType': 'full', 'format': 'tar',
                       'frequency': '1 day', 'retention': '1 month', 'failNotification': True}),
        policies(OTHER, POLICY),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['backup']['id'] == 12 and result['backup']['retention'] == '1 month'
    assert result['api']['writes'] == 1
    session.assert_done()


def test_a_converged_policy_sends_nothing_for_settings_the_api_does_not_show_and_does_not_warn_about_them(monkeypatch):
    args = dict(server=3, web_app=4, name='shop nightly', frequency='1 day', retention='1 month', backup_type='full', storage='runcloud',
                fail_notification=True, exclude_tables=['wp_sessions'])
    result, session = run_v3(monkeypatch, backup.main, args, [policies(OTHER, POLICY)], diff=True)
    assert not result['failed'] and result['changed'] is False
    assert result['api']['writes'] == 0
    assert not result.get('warnings'), result.get('warnings')
    # Unknown, not absent: the diff says so.
    assert 'unknown' in str(result['diff']['before'].get('retention')).lower()
    session.assert_done()


def test_a_setting_the_api_shows_but_an_answer_lacks_is_warned_about_and_not_changed(monkeypatch):
    args = dict(server=3, web_app=4, frequency='3 days')
    without_frequency = dict((key, value) for key, value in POLICY.items() if key != 'frequency')
    result, session = run_v3(monkeypatch, backup.main, args, [policies(OTHER, without_frequency)])
    assert not result['failed'] and result['changed'] is False
    assert result['api']['writes'] == 0
    assert any('frequency' in warning for warning in result['warnings'])
    session.assert_done()


def test_a_changed_setting_is_patched_and_read_until_it_shows(monkeypatch):
    args = dict(server=3, web_app=4, frequency='3 days')
    result, session = run_v3(monkeypatch, backup.main, args, [
        policies(POLICY),
        Exchange('PATCH', '/backups/12', answer(200, {'message': 'Backup settings have been successfully updated.'}),
                 body={'frequency': '3 days'}),
        Exchange('GET', '/backups/12', answer(200, POLICY)),
        Exchange('GET', '/backups/12', answer(200, dict(POLICY, frequency='3 days'))),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['backup']['frequency'] == '3 days'
    assert [exchange['method'] for exchange in session.sent].count('PATCH') == 1
    session.assert_done()


def test_check_mode_predicts_a_new_policy(monkeypatch):
    args = dict(server=3, web_app=4, database=7, name='shop', frequency='1 day', retention='1 month', backup_type='incremental')
    result, session = run_v3(monkeypatch, backup.main, args, [policies(OTHER)], check_mode=True)
    assert result['changed'] is True and result['backup']['id'] is None
    assert result['backup']['items'] == {'web_application_id': 4, 'database_id': 7}
    assert result['backup']['type'] == 'incremental backup'
    session.assert_done()


def test_a_policy_of_another_type_is_not_replaced(monkeypatch):
    result, session = run_v3(monkeypatch, backup.main, dict(server=3, web_app=4, backup_type='incremental'), [policies(POLICY)])
    assert result['failed'] and 'backup_type' in result['msg']
    assert result['api']['writes'] == 0
    session.assert_done()


def test_a_policy_whose_coverage_is_unreadable_is_found_by_its_name(monkeypatch):
    unreadable = dict(POLICY)
    del unreadable['items']
    result, session = run_v3(monkeypatch, backup.main, dict(server=3, web_app=4, name='shop nightly', frequency='1 day'),
                             [policies(unreadable)])
    assert not result['failed'] and result['changed'] is False
    session.assert_done()


def test_creating_without_frequency_names_the_options(monkeypatch):
    result, session = run_v3(monkeypatch, backup.main, dict(server=3, web_app=4, name='x'), [policies()])
    assert result['failed'] and 'frequency and retention are required' in result['msg']
    assert result['api']['writes'] == 0


def test_removal(monkeypatch):
    result, session = run_v3(monkeypatch, backup.main, dict(server=3, web_app=4, state='absent'), [
        policies(POLICY),
        Exchange('DELETE', '/backups/12', answer(200, {'message': 'Backup instance has been successfully deleted.'})),
    ])
    assert not result['failed'] and result['changed'] is True and result['backup'] == {}
    session.assert_done()


def test_refused_on_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, backup.main, dict(server=3, web_app=4), [])
    assert result['failed'] and 'only exists on RunCloud API v3' in result['msg']
    assert session.sent == []


def test_check_mode_under_a_web_app_an_earlier_task_predicted(monkeypatch):
    args = dict(server=3, web_app='shop', name='shop', frequency='1 day', retention='1 month', predicted_parents=['web_app'])
    result, session = run_v3(monkeypatch, backup.main, args, [], check_mode=True)
    assert not result['failed'], result
    assert result['changed'] is True and result['backup']['id'] is None
    assert session.sent == []

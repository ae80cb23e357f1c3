# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""backup_restore: one snapshot restored once, predicted in check mode, never sent twice."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import requests

from ansible_collections.runcloud.cloud.plugins.modules import backup_restore
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

POLICY = {'id': 12, 'label': 'shop nightly', 'items': {'webApplicationId': 4, 'databaseId': 7}, 'storage': 'runcloud',
          'type': 'full backup', 'frequency': '1 day', 'status': 'active'}
SNAPSHOTS = [
    {'id': 83, 'runDate': '2024-07-17 03:00:00', 'backupId': 12, 'status': 'FAILED', 'type': 'full', 'size': {}},
    {'id': 82, 'runDate': '2024-07-16 03:00:00', 'backupId': 12, 'status': 'COMPLETED', 'type': 'full', 'size': {}},
    {'id': 81, 'runDate': '2024-07-15 03:00:00', 'backupId': 12, 'status': 'COMPLETED', 'type': 'full', 'size': {}},
]
RESTORE = '/backups/12/snapshots/82/restore'
ACK = answer(200, {'message': 'Backup restore process will begin shortly'})


def reads():
    return [Exchange('GET', '/backups', listing(POLICY)), Exchange('GET', '/backups/12/snapshots', answer(200, SNAPSHOTS))]


def test_the_newest_completed_snapshot_is_restored_into_what_the_policy_covers(monkeypatch):
    result, session = run_v3(monkeypatch, backup_restore.main, dict(server=3, web_app=4), reads() + [
        Exchange('POST', RESTORE, ACK, body={'restoreTarget': 'current', 'clearFiles': False}),
    ])
    assert not result['failed'], result
    restore = result['restore']
    assert result['changed'] is True and restore['snapshot']['id'] == 82
    assert (restore['web_app_id'], restore['database_id'], restore['message']) == (4, 7, 'Backup restore process will begin shortly')
    session.assert_done()


def test_check_mode_predicts_the_restore_and_sends_nothing(monkeypatch):
    result, session = run_v3(monkeypatch, backup_restore.main, dict(server=3, web_app=4), reads(), check_mode=True)
    assert result['changed'] is True and result['restore']['snapshot']['id'] == 82 and 'message' not in result['restore']
    assert result['api']['writes'] == 0
    session.assert_done()


def test_a_restore_into_other_targets_sends_their_ids_as_strings(monkeypatch):
    args = dict(server=3, web_app=4, snapshot='81', target='other', target_web_app=9, target_database='shop_staging', clear_files=True)
    result, session = run_v3(monkeypatch, backup_restore.main, args, reads() + [
        Exchange('GET', '/servers/3/databases', listing({'id': 15, 'name': 'shop_staging'})),
        Exchange('POST', '/backups/12/snapshots/81/restore', ACK,
                 body={'restoreTarget': 'other', 'clearFiles': True, 'webapp': '9', 'database': '15'}),
    ])
    assert not result['failed'], result
    assert (result['restore']['web_app_id'], result['restore']['database_id']) == (9, 15)
    session.assert_done()


def test_a_lost_answer_fails_the_task_and_is_never_sent_again(monkeypatch):
    result, session = run_v3(monkeypatch, backup_restore.main, dict(server=3, web_app=4, api_retry_budget=30), reads() + [
        Exchange('POST', RESTORE, requests.exceptions.ReadTimeout('read timed out')),
    ])
    assert result['failed'] and result['changed'] is True
    assert 'it was not repeated' in result['msg'] and 'The restore may have started' in result['msg']
    assert [exchange['method'] for exchange in session.sent].count('POST') == 1
    session.assert_done()


def test_a_server_error_after_the_post_is_not_retried(monkeypatch):
    result, session = run_v3(monkeypatch, backup_restore.main, dict(server=3, web_app=4, api_retry_budget=30), reads() + [
        Exchange('POST', RESTORE, answer(502, {'message': 'Bad Gateway'})),
    ])
    assert result['failed'] and result['changed'] is True
    assert [exchange['method'] for exchange in session.sent].count('POST') == 1
    session.assert_done()


def test_a_failed_snapshot_is_refused(monkeypatch):
    result, session = run_v3(monkeypatch, backup_restore.main, dict(server=3, web_app=4, snapshot='83'), reads())
    assert result['failed'] and 'failed (status FAILED)' in result['msg']
    assert result['api']['writes'] == 0


def test_without_a_policy_the_task_fails_naming_what_it_looked_for(monkeypatch):
    result, session = run_v3(monkeypatch, backup_restore.main, dict(server=3, web_app=5), [Exchange('GET', '/backups', listing(POLICY))])
    assert result['failed'] and "no backup policy covers web_app 5" in result['msg']

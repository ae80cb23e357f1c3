# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""backup_info: policies with their snapshots and which of them failed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import backup_info
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

SHOP = {'id': 12, 'label': 'shop', 'items': {'webApplicationId': 4, 'databaseId': 7}, 'status': 'active'}
BLOG = {'id': 13, 'label': 'blog', 'items': {'webApplicationId': 5, 'databaseId': None}, 'status': 'active'}
SNAPSHOTS = [{'id': 83, 'status': 'FAILED'}, {'id': 82, 'status': 'COMPLETED'}, {'id': 80}]


def test_the_policy_of_a_web_app_with_its_snapshots(monkeypatch):
    result, session = run_v3(monkeypatch, backup_info.main, dict(server=3, web_app=4), [
        Exchange('GET', '/backups', listing(SHOP, BLOG)),
        Exchange('GET', '/backups/12/snapshots', answer(200, SNAPSHOTS)),
    ])
    assert not result['failed'] and result['changed'] is False
    assert [policy['id'] for policy in result['backups']] == [12]
    assert result['backups'][0]['failed_snapshots'] == [83] and len(result['backups'][0]['snapshots']) == 3
    session.assert_done()


def test_every_policy_of_the_workspace_without_snapshots(monkeypatch):
    result, session = run_v3(monkeypatch, backup_info.main, dict(snapshots=False), [Exchange('GET', '/backups', listing(SHOP, BLOG))])
    assert [policy['id'] for policy in result['backups']] == [12, 13] and 'snapshots' not in result['backups'][0]
    session.assert_done()


def test_an_unknown_id_is_an_empty_list(monkeypatch):
    result, session = run_v3(monkeypatch, backup_info.main, dict(id=99), [Exchange('GET', '/backups/99', answer(404, {'message': 'Resources not found.'}))])
    assert not result['failed'] and result['backups'] == []

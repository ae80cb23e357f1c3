# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import cron_job_info
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

BACKUP = {'id': 9, 'label': 'backup', 'username': 'root', 'time': '30 3 * * *', 'command': '/backup.sh'}
BACKUP2 = dict(BACKUP, id=10, label='backup2')


def test_label_matches_exactly_after_the_search(monkeypatch):
    result, session = run_module(monkeypatch, cron_job_info.main, dict(server=3, label='backup'), [
        Exchange('GET', '/servers/3/cronjobs', listing(BACKUP2, BACKUP), query={'search': 'backup'}),
    ])
    assert result['changed'] is False
    assert result['cron_jobs'] == [BACKUP]
    session.assert_done()


def test_server_by_name_and_job_by_id(monkeypatch):
    result, session = run_module(monkeypatch, cron_job_info.main, dict(server='web-01', id=9), [
        Exchange('GET', '/servers', listing({'id': 3, 'name': 'web-01'}), query={'search': 'web-01'}),
        Exchange('GET', '/servers/3/cronjobs/9', answer(200, BACKUP)),
    ])
    assert result['cron_jobs'] == [BACKUP]
    session.assert_done()


def test_unknown_id_is_an_empty_list(monkeypatch):
    result, session = run_module(monkeypatch, cron_job_info.main, dict(server=3, id=99), [
        Exchange('GET', '/servers/3/cronjobs/99', answer(404, {'message': 'Cron job not found'})),
    ])
    assert result['failed'] is False and result['cron_jobs'] == []
    session.assert_done()

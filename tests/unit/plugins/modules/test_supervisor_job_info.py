# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import supervisor_job_info
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

QUEUE = {'id': 4, 'label': 'queue', 'numprocs': 2, 'command': '/usr/bin/node worker.js'}
MAIL = {'id': 5, 'label': 'mail', 'numprocs': 1, 'command': '/usr/bin/node mail.js'}
ROWS = [
    {'supervisorId': 4, 'name': 'queue:queue_00', 'state': 'RUNNING', 'description': 'pid 1'},
    {'supervisorId': 4, 'name': 'queue:queue_01', 'state': 'FATAL', 'description': 'Exited too quickly'},
    {'supervisorId': 5, 'name': 'mail:mail_00', 'state': 'RUNNING', 'description': 'pid 3'},
]


def test_status_and_binaries_cost_one_request_each(monkeypatch):
    result, session = run_module(monkeypatch, supervisor_job_info.main, dict(server=3, status=True, binaries=True), [
        Exchange('GET', '/servers/3/supervisors', listing(QUEUE, MAIL)),
        Exchange('GET', '/servers/3/supervisors/status', answer(200, ROWS)),
        Exchange('GET', '/servers/3/supervisors/binaries', answer(200, ['', '/usr/bin/node'])),
    ])
    assert result['changed'] is False
    assert [row['state'] for row in result['supervisor_jobs'][0]['processes']] == ['RUNNING', 'FATAL']
    assert [row['name'] for row in result['supervisor_jobs'][1]['processes']] == ['mail:mail_00']
    assert result['binaries'] == ['/usr/bin/node']
    session.assert_done()


def test_status_rows_without_id_are_matched_by_group_name():
    rows = [{'name': 'queue:queue_00', 'state': 'RUNNING'}, {'name': 'queue2:queue2_00', 'state': 'RUNNING'}]
    assert supervisor_job_info.processes_of(QUEUE, rows) == rows[:1]


def test_label_matches_exactly(monkeypatch):
    result, session = run_module(monkeypatch, supervisor_job_info.main, dict(server=3, label='queue'), [
        Exchange('GET', '/servers/3/supervisors', listing(dict(QUEUE, id=7, label='queue2'), QUEUE), query={'search': 'queue'}),
    ])
    assert result['supervisor_jobs'] == [QUEUE]
    assert 'binaries' not in result
    session.assert_done()

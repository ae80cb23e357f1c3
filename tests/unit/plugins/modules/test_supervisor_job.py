# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""supervisor_job: the stored command is binary + command; any difference replaces the job, delete-first."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.modules import supervisor_job
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, absence_proof, answer, listing

JOBS = '/servers/3/supervisors'
PHP = '/RunCloud/Packages/php83rc/bin/php'
BINARIES = answer(200, ['', '/RunCloud/Packages/php81rc/bin/php', PHP, '/usr/bin/node'])
JOB = {'id': 4, 'label': 'queue', 'username': 'app', 'numprocs': 2, 'autoStart': True, 'autoRestart': True,
       'directory': '/home/app', 'command': PHP + ' artisan queue:work', 'created_at': '2024-01-01 00:00:00'}
WANTED = dict(server=3, label='queue', user='app', binary=PHP, command='artisan queue:work', processes=2, directory='/home/app/')


def test_create_checks_the_binary_then_posts(monkeypatch):
    result, session = run_module(monkeypatch, supervisor_job.main, WANTED, [
        Exchange('GET', JOBS, listing(), query={'search': 'queue'}),
        Exchange('GET', JOBS + '/binaries', BINARIES),
        absence_proof(JOBS),
        Exchange('POST', JOBS, answer(200, JOB), body={'label': 'queue', 'username': 'app', 'numprocs': 2, 'binary': PHP,
                                                       'command': 'artisan queue:work', 'directory': '/home/app/'}),
    ])
    assert result['changed'] is True
    assert result['supervisor_job']['id'] == 4
    session.assert_done()


def test_binary_and_command_are_compared_with_the_stored_command(monkeypatch):
    result, session = run_module(monkeypatch, supervisor_job.main, WANTED, [Exchange('GET', JOBS, listing(JOB))])
    assert result['changed'] is False
    session.assert_done()
    # Without binary, the command still matches the end of the stored command line.
    result, session = run_module(monkeypatch, supervisor_job.main, dict(server=3, label='queue', command='artisan queue:work'), [
        Exchange('GET', JOBS, listing(JOB)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_processes_difference_replaces_delete_first_keeping_the_rest(monkeypatch):
    new_job = dict(JOB, id=5, numprocs=4)
    result, session = run_module(monkeypatch, supervisor_job.main, dict(server=3, label='queue', numprocs=4), [
        Exchange('GET', JOBS, listing(JOB)),
        Exchange('DELETE', JOBS + '/4', answer(200, JOB)),
        Exchange('POST', JOBS, answer(200, new_job), body={
            'label': 'queue', 'username': 'app', 'numprocs': 4, 'command': PHP + ' artisan queue:work',
            'directory': '/home/app', 'autoStart': True, 'autoRestart': True}),
    ], diff=True)
    assert result['changed'] is True
    assert result['supervisor_job']['id'] == 5
    assert result['diff']['before']['numprocs'] == 2 and result['diff']['after']['numprocs'] == 4
    session.assert_done()


def test_new_binary_keeps_the_command_and_is_checked_before_the_delete(monkeypatch):
    node = '/usr/bin/node'
    result, session = run_module(monkeypatch, supervisor_job.main, dict(server=3, label='queue', binary='/usr/bin/nodejs'), [
        Exchange('GET', JOBS, listing(JOB)),
        Exchange('GET', JOBS + '/binaries', BINARIES),
    ])
    assert result['failed'] is True
    assert result['msg'] == ("binary must be one of the server's allowed binaries: /RunCloud/Packages/php81rc/bin/php, "
                             "%s, %s; got '/usr/bin/nodejs'" % (PHP, node))
    session.assert_done()
    result, session = run_module(monkeypatch, supervisor_job.main, dict(server=3, label='queue', binary=node), [
        Exchange('GET', JOBS, listing(JOB)),
        Exchange('GET', JOBS + '/binaries', BINARIES),
    ], check_mode=True)
    assert result['changed'] is True
    assert result['supervisor_job']['command'] == node + ' artisan queue:work'
    assert result['supervisor_job']['id'] is None
    session.assert_done()


def test_reload_and_rebuild_act_on_every_run(monkeypatch):
    result, session = run_module(monkeypatch, supervisor_job.main, dict(server=3, label='queue', reload=True, rebuild=True), [
        Exchange('GET', JOBS, listing(JOB)),
        Exchange('POST', JOBS + '/rebuild', answer(200, {'message': 'Supervisor jobs have been rebuilt.'})),
        Exchange('POST', JOBS + '/4/reload', answer(200, JOB)),
    ])
    assert result['changed'] is True
    session.assert_done()


@pytest.mark.parametrize('options, message', [
    (dict(binary='php'), "binary must be the absolute path of one of the server's allowed binaries"),
    (dict(user='App User'), 'user must be root'),
])
def test_bad_input_fails_before_any_request(monkeypatch, options, message):
    result, session = run_module(monkeypatch, supervisor_job.main, dict(WANTED, **options), [])
    assert result['failed'] is True
    assert message in result['msg']


@pytest.mark.parametrize('binary, command, stored, same', [
    (PHP, 'artisan queue:work', PHP + ' artisan queue:work', True),
    (PHP, 'artisan queue:work', '/usr/bin/node artisan queue:work', False),
    (None, 'artisan queue:work', PHP + ' artisan queue:work', True),
    (None, 'queue:work', PHP + ' artisan queue:work', False),
    ('', 'artisan queue:work', PHP + ' artisan queue:work', False),
    ('', 'node server.js', 'node server.js', True),
])
def test_command_matches(binary, command, stored, same):
    assert supervisor_job.command_matches(binary, command, stored) is same


@pytest.mark.parametrize('directory', ['home/app', '/home/app/../../etc', '/home/app/..'])
def test_a_relative_directory_or_one_with_dot_dot_is_refused_before_any_request(monkeypatch, directory):
    result, session = run_module(monkeypatch, supervisor_job.main, dict(WANTED, directory=directory), [])
    assert result['failed'] and result['msg'].startswith("directory must be an absolute path without '..'")
    assert session.sent == []


@pytest.mark.parametrize('command', ['artisan queue:work\nrm -rf /', 'artisan\x00queue', 'artisan\rqueue'])
def test_a_command_over_several_lines_is_refused_before_any_request(monkeypatch, command):
    result, session = run_module(monkeypatch, supervisor_job.main, dict(WANTED, command=command), [])
    assert result['failed'] and result['msg'].startswith('command must be a single line')
    assert session.sent == []

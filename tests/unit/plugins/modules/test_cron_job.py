# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cron_job: schedule as one string or five fields, compared with ``time``; replaced create-first."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.modules import cron_job
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, absence_proof, answer, listing

JOBS = '/servers/3/cronjobs'
JOB = {'id': 9, 'label': 'backup', 'username': 'root', 'time': '30 3 * * *', 'command': '/usr/local/bin/backup.sh',
       'created_at': '2024-01-01 00:00:00'}
WANTED = dict(server=3, label='backup', user='root', command='/usr/local/bin/backup.sh')
CREATE_BODY = {'label': 'backup', 'username': 'root', 'command': '/usr/local/bin/backup.sh',
               'minute': '30', 'hour': '3', 'dayOfMonth': '*', 'month': '*', 'dayOfWeek': '*'}


def test_create_splits_the_schedule_into_the_five_fields(monkeypatch):
    result, session = run_module(monkeypatch, cron_job.main, dict(WANTED, schedule='30  3 * * *'), [
        Exchange('GET', JOBS, listing(), query={'search': 'backup'}),
        absence_proof(JOBS),
        Exchange('POST', JOBS, answer(200, JOB), body=CREATE_BODY),
    ])
    assert result['changed'] is True
    assert result['cron_job'] == JOB
    session.assert_done()


def test_single_fields_default_to_star_and_match_time(monkeypatch):
    result, session = run_module(monkeypatch, cron_job.main, dict(WANTED, minute='30', hour='3'), [
        Exchange('GET', JOBS, listing(JOB)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_unset_schedule_is_not_compared_but_a_new_job_runs_every_minute(monkeypatch):
    result, session = run_module(monkeypatch, cron_job.main, WANTED, [Exchange('GET', JOBS, listing(JOB))])
    assert result['changed'] is False
    result, session = run_module(monkeypatch, cron_job.main, WANTED, [
        Exchange('GET', JOBS, listing()),
        absence_proof(JOBS),
        Exchange('POST', JOBS, answer(200, dict(JOB, time='* * * * *')),
                 body=dict(CREATE_BODY, minute='*', hour='*')),
    ])
    assert result['changed'] is True
    session.assert_done()


def test_a_different_schedule_creates_the_new_job_before_deleting_the_old(monkeypatch):
    new_job = dict(JOB, id=10, time='0 4 * * *')
    result, session = run_module(monkeypatch, cron_job.main, dict(server=3, label='backup', schedule='0 4 * * *'), [
        Exchange('GET', JOBS, listing(JOB)),
        Exchange('POST', JOBS, answer(200, new_job), body=dict(CREATE_BODY, minute='0', hour='4')),
        Exchange('DELETE', JOBS + '/9', answer(200, JOB)),
    ], diff=True)
    assert result['changed'] is True
    assert result['cron_job'] == new_job
    assert result['diff']['before']['time'] == '30 3 * * *'
    assert result['diff']['after']['time'] == '0 4 * * *'
    session.assert_done()


def test_replacement_in_check_mode_writes_nothing(monkeypatch):
    result, session = run_module(monkeypatch, cron_job.main, dict(WANTED, command='/usr/local/bin/other.sh'), [
        Exchange('GET', JOBS, listing(JOB)),
    ], check_mode=True)
    assert result['changed'] is True
    assert result['cron_job']['id'] is None
    assert result['cron_job']['command'] == '/usr/local/bin/other.sh'
    assert result['cron_job']['time'] == '30 3 * * *'
    session.assert_done()


def test_a_lost_create_answer_during_a_replacement_finds_the_new_job_not_the_old(monkeypatch):
    import requests
    new_job = dict(JOB, id=10, username='shop')
    result, session = run_module(monkeypatch, cron_job.main, dict(server=3, label='backup', user='shop'), [
        Exchange('GET', JOBS, listing(JOB)),
        Exchange('POST', JOBS, requests.exceptions.ReadTimeout('read timed out')),
        Exchange('GET', JOBS, listing(JOB, new_job)),
        Exchange('DELETE', JOBS + '/9', answer(200, JOB)),
    ])
    assert result['changed'] is True
    assert result['cron_job']['id'] == 10
    session.assert_done()


def test_user_given_by_id_is_read_once_for_its_name(monkeypatch):
    result, session = run_module(monkeypatch, cron_job.main, dict(WANTED, user=142), [
        Exchange('GET', '/servers/3/users/142', answer(200, {'id': 142, 'username': 'root'})),
        Exchange('GET', JOBS, listing(JOB)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_rebuild_runs_after_converging(monkeypatch):
    result, session = run_module(monkeypatch, cron_job.main, dict(WANTED, rebuild=True), [
        Exchange('GET', JOBS, listing(JOB)),
        Exchange('POST', JOBS + '/rebuild', answer(200, {'message': 'Cron jobs have been rebuilt.'})),
    ])
    assert result['changed'] is True
    assert result['cron_job'] == JOB
    session.assert_done()


@pytest.mark.parametrize('options, message', [
    (dict(schedule='*/5 * * *'), "schedule must be five crontab fields"),
    (dict(schedule='61 * * * *'), "the minute field of schedule must be crontab syntax: a number 0-59"),
    (dict(minute='*/0'), "minute must be crontab syntax"),
    (dict(hour='5-2'), "runs backwards"),
    (dict(month='foo'), "month must be crontab syntax: a number 1-12 or jan-dec"),
    (dict(day_of_week='mon-fri,8'), "'8' is outside 0-7"),
    (dict(user='Not A User'), "user must be root, the name of a system user"),
])
def test_bad_input_fails_before_any_request(monkeypatch, options, message):
    result, session = run_module(monkeypatch, cron_job.main, dict(WANTED, **options), [])
    assert result['failed'] is True
    assert message in result['msg']


@pytest.mark.parametrize('schedule, fields', [
    ('@daily', '0 0 * * *'),
    ('*/15 9-17 1,15 jan-mar,DEC mon-fri', '*/15 9-17 1,15 jan-mar,DEC mon-fri'),
    ('0-30/5 0 L * *', None),
    ('5/10 * * * 7', '5/10 * * * 7'),
])
def test_schedule_syntax(schedule, fields):
    text, errors, given = cron_job.schedule_from_params(dict(schedule=schedule))
    assert given is True
    if fields is None:
        assert errors
    else:
        assert errors == [] and text == fields


def test_missing_command_is_named_before_writing(monkeypatch):
    result, session = run_module(monkeypatch, cron_job.main, dict(server=3, label='backup', user='root'), [
        Exchange('GET', JOBS, listing()),
    ])
    assert result['failed'] is True
    assert result['msg'] == "command is required to create the cron job 'backup'"
    session.assert_done()


def test_check_mode_under_a_server_not_created_yet_predicts_without_reading_the_user(monkeypatch):
    result, session = run_module(monkeypatch, cron_job.main, dict(WANTED, server='web-09', user=142, schedule='@hourly'), [
        Exchange('GET', '/servers', listing(), query={'search': 'web-09'}),
    ], check_mode=True)
    assert result['changed'] is True
    assert result['cron_job']['id'] is None and result['cron_job']['time'] == '0 * * * *'
    session.assert_done()


@pytest.mark.parametrize('wanted, current', [
    ('*/15 * * * *', '0-59/15 * * * *'),
    ('0,15,30,45 * * * *', '*/15 * * * *'),
    ('0 9 * * mon-fri', '0 9 * * 1-5'),
    ('0 9 * * 0', '0 9 * * 7'),
    ('0 9 * * sun', '0 9 * * 7'),
    ('@daily', '0 0 * * *'),
    ('0 0 1 jan *', '0 0 1 1 *'),
    ('5/20 * * * *', '5,25,45 * * * *'),
    ('0 0 1-31 * 1', '0 0 * * *'),
    ('0 0 1,15 * 0-6', '0 0 * * *'),
    ('0 0 * * *', '0 0 * * 0-7'),
    ('30 3 * * *', '30  3 * * *'),
])
def test_schedules_are_compared_by_meaning(wanted, current):
    assert cron_job.same_schedule(wanted, current)


@pytest.mark.parametrize('wanted, current', [
    ('*/15 * * * *', '*/20 * * * *'),
    ('0 9 * * 1-5', '0 9 * * 1-6'),
    # cron runs a job whose two day fields are both restricted when either matches.
    ('0 0 1-31 * 1', '0 0 * * 1'),
    ('0 0 1 * 1', '0 0 */1 * 1'),
    ('30 3 * * *', '@reboot'),
])
def test_different_schedules_differ(wanted, current):
    assert not cron_job.same_schedule(wanted, current)


def test_a_time_the_api_did_not_answer_is_no_reason_to_replace():
    assert cron_job.same_schedule('30 3 * * *', None)
    assert cron_job.same_schedule('30 3 * * *', {'minute': '30'})


def test_the_same_schedule_in_another_spelling_keeps_the_job(monkeypatch):
    result, session = run_module(monkeypatch, cron_job.main, dict(WANTED, schedule='*/15 * * * *'), [
        Exchange('GET', JOBS, listing(dict(JOB, time='0-59/15 * * * *'))),
    ])
    assert result['changed'] is False
    assert result['cron_job']['time'] == '0-59/15 * * * *'
    session.assert_done()

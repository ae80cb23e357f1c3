# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Modules on API v3: the version comes from api_url; cron jobs and domains change in place; a
v3-only option is refused on v2 before any request; the token's expiry is read before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import time

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3_ONLY
from ansible_collections.runcloud.cloud.plugins.module_utils.module import RunCloudModule
from ansible_collections.runcloud.cloud.plugins.modules import cron_job, domain, ssh_key
from ansible_collections.runcloud.cloud.plugins.modules import web_app_ssl as ssl
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module, run_module_with_args
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, ScriptedSession, answer, listing

V3_URL = 'https://manage.runcloud.io/api/v3'
JOB = {'id': 9, 'label': 'backup', 'username': 'root', 'time': '30 3 * * *', 'command': '/usr/local/bin/backup.sh',
       'created_at': '2024-01-01 00:00:00'}


def jwt(expiry):
    payload = base64.urlsafe_b64encode(json.dumps({'exp': expiry}).encode('utf-8')).decode('ascii').rstrip('=')
    return 'eyJhbGciOiJIUzI1NiJ9.%s.c2ln' % payload


def run_v3(monkeypatch, main, args, script, token=None, check_mode=False, diff=False):
    session = ScriptedSession(V3_URL, script)
    full_args = dict(api_url=V3_URL, api_token=token or jwt(int(time.time()) + 90 * 86400), api_retry_budget=0)
    full_args.update(args)
    return run_module_with_args(monkeypatch, main, full_args, session, check_mode, diff), session


def test_a_cron_job_changes_in_place_on_v3(monkeypatch):
    moved = dict(JOB, time='0 4 * * *')
    result, session = run_v3(monkeypatch, cron_job.main, dict(server=3, label='backup', schedule='0 4 * * *'), [
        Exchange('GET', '/servers/3/cronjobs', listing(JOB), query={'search': 'backup'}),
        Exchange('PATCH', '/servers/3/cronjobs/9', answer(200, {'message': 'cron job backup successfully updated.'}),
                 body={'label': 'backup', 'username': 'root', 'command': '/usr/local/bin/backup.sh',
                       'minute': '0', 'hour': '4', 'dayOfMonth': '*', 'month': '*', 'dayOfWeek': '*'}),
        Exchange('GET', '/servers/3/cronjobs/9', answer(200, moved)),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['cron_job'] == moved
    session.assert_done()


def test_a_cron_job_change_in_check_mode_on_v3_writes_nothing(monkeypatch):
    result, session = run_v3(monkeypatch, cron_job.main, dict(server=3, label='backup', schedule='0 4 * * *'), [
        Exchange('GET', '/servers/3/cronjobs', listing(JOB), query={'search': 'backup'}),
    ], check_mode=True)
    assert result['changed'] is True and result['cron_job']['id'] == 9 and result['cron_job']['time'] == '0 4 * * *'
    session.assert_done()


def test_a_domain_changes_in_place_on_v3_sending_only_what_was_set(monkeypatch):
    current = {'id': 5, 'name': 'shop.example.org', 'type': 'alias', 'www': 0, 'redirection': 'none'}
    result, session = run_v3(monkeypatch, domain.main, dict(server=3, web_app=4, name='shop.example.org', type='redirect', www=True), [
        Exchange('GET', '/servers/3/webapps/4/domains', listing(current)),
        Exchange('PATCH', '/servers/3/webapps/4/domains/5/meta', answer(200, {'message': 'Domain settings have been successfully updated.'}),
                 body={'type': 'redirect', 'www': True}),
        Exchange('GET', '/servers/3/webapps/4/domains/5', answer(200, dict(current, type='redirect', www=1))),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['domain']['type'] == 'redirect' and result['domain']['www'] is True
    session.assert_done()


def test_a_v3_only_option_is_refused_on_v2_before_any_request(monkeypatch):
    args = dict(server=3, label='k', system_user='shop', public_key='ssh-ed25519 AAAA', temporary=True)
    result, session = run_module(monkeypatch, ssh_key.main, args, [])
    assert result['failed'] and 'temporary only exists on RunCloud API v3' in result['msg']
    assert session.sent == []


def test_an_expired_token_fails_the_task_before_any_request(monkeypatch):
    token = jwt(int(time.time()) - 86400)
    result, session = run_v3(monkeypatch, cron_job.main, dict(server=3, label='backup'), [], token=token)
    assert result['failed'] and 'expired on' in result['msg'] and token not in json.dumps(result)
    assert session.sent == []


def test_a_token_that_expires_soon_is_a_warning(monkeypatch):
    result, session = run_v3(monkeypatch, cron_job.main, dict(server=3, label='backup'), [
        Exchange('GET', '/servers/3/cronjobs', listing(JOB), query={'search': 'backup'}),
    ], token=jwt(int(time.time()) + 3 * 86400))
    assert not result['failed'] and result['changed'] is False
    assert len(result['warnings']) == 1 and 'expires on' in result['warnings'][0]
    session.assert_done()


DOMAIN_SSL = '/servers/3/webapps/9/domains/21/ssl'
CERTIFICATE = {'id': 40, 'method': 'letsencrypt', 'privateKey': 'KEY', 'certificate': 'CERT', 'enableHttp': False,
               'enableHsts': False, 'validUntil': '2030-01-01 00:00:00'}


def domain_certificate_script(*reads_after_the_post):
    return [
        Exchange('GET', '/servers/3/webapps/9/domains', listing({'id': 21, 'name': 'www.shop.example.com'})),
        Exchange('GET', DOMAIN_SSL, answer(200, {'message': 'SSL not installed!'})),
        Exchange('POST', DOMAIN_SSL, answer(200, {})),
    ] + [Exchange('GET', DOMAIN_SSL, reply) for reply in reads_after_the_post]


def test_a_write_v3_only_acknowledges_is_read_until_it_lands(monkeypatch):
    pending = answer(200, {'message': 'SSL not installed!'})
    result, session = run_v3(monkeypatch, ssl.main, dict(server=3, web_app=9, domain='www.shop.example.com', provider='letsencrypt'),
                             domain_certificate_script(pending, pending, answer(200, CERTIFICATE)))
    assert not result['failed'], result
    assert result['changed'] is True and result['ssl']['id'] == 40
    session.assert_done()


def test_a_write_that_does_not_land_in_time_fails_and_is_not_sent_again(monkeypatch):
    pending = answer(200, {'message': 'SSL not installed!'})
    # wait_timeout 3: reads after pauses of 1 and 2 seconds, then the task gives up.
    args = dict(server=3, web_app=9, domain='www.shop.example.com', provider='letsencrypt', wait_timeout=3)
    result, session = run_v3(monkeypatch, ssl.main, args, domain_certificate_script(pending, pending, pending))
    assert result['failed'] and result['changed'] is True
    assert 'did not show within wait_timeout (3s); it was not sent again' in result['msg']
    assert [exchange['method'] for exchange in session.sent].count('POST') == 1
    session.assert_done()


def test_without_wait_the_task_ends_after_the_answer(monkeypatch):
    pending = answer(200, {'message': 'SSL not installed!'})
    args = dict(server=3, web_app=9, domain='www.shop.example.com', provider='letsencrypt', wait=False)
    result, session = run_v3(monkeypatch, ssl.main, args, domain_certificate_script(pending))
    assert not result['failed'] and result['changed'] is True and result['ssl']['id'] is None
    session.assert_done()


class _V3OnlyModule(RunCloudModule):
    api_versions = V3_ONLY


def _v3_only_main():
    module = _V3OnlyModule(dict())
    module.module.exit_json(changed=False, api_version=module.client.api_version)


def test_a_v3_only_module_is_refused_on_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, _v3_only_main, dict(), [])
    assert result['failed'] and 'only exists on RunCloud API v3' in result['msg'] and '.../api/v3' in result['msg']
    assert session.sent == []


def test_a_v3_only_module_runs_on_v3(monkeypatch):
    result, session = run_v3(monkeypatch, _v3_only_main, dict(), [])
    assert not result.get('failed'), result
    assert result['api_version'] == 3

# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""atomic_deployment: nothing is deployed when the live release is the commit; a deploy is sent once,
followed to its end, never repeated after a lost answer; a failed one carries the project's log."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import atomic_deployment
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

OLD = 'a' * 40
NEW = 'b' * 40
PROJECT = {'id': 12, 'name': 'shop', 'branch': 'main', 'repository': 'acme/shop'}


def release(ident, commit, status='COMPLETED', end='2026-12-07 17:22:41'):
    return {'id': ident, 'hash': commit, 'hashShort': commit[:7], 'branch': 'main', 'releaseName': '202612071722%02d' % ident,
            'status': status, 'startTime': '2026-12-07 17:22:05', 'endTime': end}


def run(monkeypatch, args, script, check_mode=False):
    return run_v3(monkeypatch, atomic_deployment.main, dict(dict(project='shop'), **args), script, check_mode=check_mode)


PROJECTS = Exchange('GET', '/atomic', listing(PROJECT))
DEPLOYMENTS = '/atomic/12/deployments'
DEPLOY = '/atomic/12/forcedeploy'


def test_nothing_is_deployed_when_the_live_release_is_the_commit(monkeypatch):
    result, session = run(monkeypatch, dict(commit=NEW[:7]), [
        PROJECTS,
        Exchange('GET', DEPLOYMENTS, listing(release(3, NEW), release(2, OLD))),
    ])
    assert not result['failed'], result
    assert (result['changed'], result['deployed'], result['deployment']['id']) == (False, False, 3)
    assert all(request['method'] == 'GET' for request in session.sent)
    session.assert_done()


def test_a_new_commit_is_deployed_once_and_followed_until_it_is_live(monkeypatch):
    result, session = run(monkeypatch, dict(commit=NEW), [
        PROJECTS,
        Exchange('GET', DEPLOYMENTS, listing(release(2, OLD))),
        Exchange('PUT', DEPLOY, answer(200, {'message': 'Deployment 20261207172205 will start in a moment'})),
        Exchange('GET', DEPLOYMENTS, listing(release(3, NEW, 'DEPLOYING', None), release(2, OLD))),
        Exchange('GET', DEPLOYMENTS + '/3', answer(200, release(3, NEW, 'DEPLOYING', None))),
        Exchange('GET', DEPLOYMENTS + '/3', answer(200, release(3, NEW))),
    ])
    assert not result['failed'], result
    assert (result['changed'], result['deployed'], result['deployment']['status']) == (True, True, 'COMPLETED')
    assert result['deployment']['release_name'] == '20261207172203'
    session.assert_done()


def test_check_mode_predicts_the_deployment_and_sends_no_write(monkeypatch):
    result, session = run(monkeypatch, dict(commit=NEW), [
        PROJECTS,
        Exchange('GET', DEPLOYMENTS, listing(release(2, OLD))),
    ], check_mode=True)
    assert (result['changed'], result['deployed'], result['deployment']) == (True, True, {'id': None, 'hash': NEW, 'status': None})
    session.assert_done()


def test_a_running_deployment_of_the_commit_is_followed_not_repeated(monkeypatch):
    result, session = run(monkeypatch, dict(commit=NEW), [
        PROJECTS,
        Exchange('GET', DEPLOYMENTS, listing(release(3, NEW, 'DEPLOYING', None), release(2, OLD))),
        Exchange('GET', DEPLOYMENTS + '/3', answer(200, release(3, NEW))),
    ])
    assert not result['failed'], result
    assert (result['changed'], result['deployed'], result['deployment']['id']) == (False, False, 3)
    session.assert_done()


def test_a_lost_answer_is_resolved_by_reading_the_deployments_never_by_deploying_again(monkeypatch):
    result, session = run(monkeypatch, dict(commit=NEW), [
        PROJECTS,
        Exchange('GET', DEPLOYMENTS, listing(release(2, OLD))),
        Exchange('PUT', DEPLOY, answer(502, {'message': 'Bad gateway'})),
        Exchange('GET', DEPLOYMENTS, listing(release(3, NEW), release(2, OLD))),
        Exchange('GET', DEPLOYMENTS, listing(release(3, NEW), release(2, OLD))),
    ])
    assert not result['failed'], result
    assert (result['changed'], result['deployment']['id']) == (True, 3)
    assert [request['method'] for request in session.sent].count('PUT') == 1
    session.assert_done()


def test_a_lost_answer_without_a_new_deployment_fails_without_a_second_deploy(monkeypatch):
    before = listing(release(2, OLD))
    script = [PROJECTS, Exchange('GET', DEPLOYMENTS, before), Exchange('PUT', DEPLOY, answer(502, {'message': 'Bad gateway'}))]
    script += [Exchange('GET', DEPLOYMENTS, listing(release(2, OLD))) for _read in range(40)]
    result, session = run(monkeypatch, dict(commit=NEW, api_timeout=2), script)
    assert result['failed'] and result['changed'] and 'not sent again' in result['msg'], result
    assert [request['method'] for request in session.sent].count('PUT') == 1


def test_a_failed_deployment_fails_with_the_project_log(monkeypatch):
    log = [{'performedBy': 'RunCloud', 'kind': 'Error', 'content': 'composer install exited with code 1',
            'created_at': '2026-12-07T17:22:41.000000Z'}]
    result, session = run(monkeypatch, dict(commit=NEW), [
        PROJECTS,
        Exchange('GET', DEPLOYMENTS, listing(release(2, OLD))),
        Exchange('PUT', DEPLOY, answer(200, {'message': 'Deployment 20261207172205 will start in a moment'})),
        Exchange('GET', DEPLOYMENTS, listing(release(3, NEW, 'DEPLOYING', None), release(2, OLD))),
        Exchange('GET', DEPLOYMENTS + '/3', answer(200, release(3, NEW, 'FAILED'))),
        Exchange('GET', '/atomic/12/logs', listing(*log)),
    ])
    assert result['failed'] and result['changed'] and 'failed (status FAILED)' in result['msg'], result
    assert result['log'][0]['content'] == 'composer install exited with code 1' and result['log'][0]['performed_by'] == 'RunCloud'
    assert result['deployment']['status'] == 'FAILED'
    session.assert_done()


def test_a_release_of_another_commit_is_reported_with_a_warning(monkeypatch):
    result, session = run(monkeypatch, dict(commit=NEW, project=12), [
        Exchange('GET', DEPLOYMENTS, listing(release(2, OLD))),
        Exchange('PUT', DEPLOY, answer(200, {'message': 'Deployment will start in a moment'})),
        Exchange('GET', DEPLOYMENTS, listing(release(3, OLD), release(2, OLD))),
    ])
    assert not result['failed'], result
    assert result['deployed'] and any('not %s' % NEW in warning for warning in result['warnings'])
    session.assert_done()


def test_a_commit_that_is_not_a_hash_is_refused_before_any_request(monkeypatch):
    result, session = run(monkeypatch, dict(commit='main'), [])
    assert result['failed'] and 'commit must be a commit hash' in result['msg']
    assert session.sent == []


def test_the_module_is_refused_on_api_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, atomic_deployment.main, dict(project='shop', commit=NEW), [])
    assert result['failed'] and 'only exists on RunCloud API v3' in result['msg']
    assert session.sent == []

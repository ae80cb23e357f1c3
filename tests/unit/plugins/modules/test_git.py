# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""git: repository matched against repositoryData, branch and script updates, deploy action, replace."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.modules import git
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

GIT = '/servers/3/webapps/9/git'
REPO = {'id': 59, 'provider': 'github', 'gitHost': None, 'gitUser': None, 'branch': 'main',
        'repositoryData': {'url': 'https://github.com/acme/shop', 'repo': 'git@github.com:acme/shop.git'},
        'atomic': False, 'atomic_project_id': None, 'autoDeploy': False, 'deployScript': None}
ARGS = dict(server=3, web_app=9, provider='github', repository='acme/shop', branch='main')


@pytest.mark.parametrize('address', ['acme/shop', 'https://github.com/acme/shop', 'git@github.com:acme/shop.git', 'acme/shop.git'])
def test_repository_forms_match_the_repository_data(address):
    assert git.repository_matches(address, REPO['repositoryData'])


def test_other_repository_does_not_match():
    assert not git.repository_matches('acme/shop-old', REPO['repositoryData'])


def test_no_repository_answers_404_and_is_cloned_then_configured(monkeypatch):
    configured = dict(REPO, autoDeploy=True, deployScript='make')
    result, session = run_module(monkeypatch, git.main, dict(ARGS, auto_deploy=True, deploy_script='make'), [
        Exchange('GET', GIT, answer(404, {'message': 'Git not found'})),
        Exchange('POST', GIT, answer(200, REPO), body={'provider': 'github', 'repository': 'acme/shop', 'branch': 'main'}),
        Exchange('PATCH', GIT + '/59/script', answer(200, configured), body={'autoDeploy': True, 'deployScript': 'make'}),
    ])
    assert result['changed'] is True and result['git'] == snake_case_keys(configured)
    session.assert_done()


def test_converged_repository_is_one_get_per_level(monkeypatch):
    result, session = run_module(monkeypatch, git.main, dict(ARGS, repository='https://github.com/acme/shop', auto_deploy=False), [
        Exchange('GET', GIT, answer(200, REPO)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_branch_change_patches_the_branch_only(monkeypatch):
    result, session = run_module(monkeypatch, git.main, dict(ARGS, branch='dev'), [
        Exchange('GET', GIT, answer(200, REPO)),
        Exchange('PATCH', GIT + '/59/branch', answer(200, dict(REPO, branch='dev')), body={'branch': 'dev'}),
    ], diff=True)
    assert result['changed'] is True
    assert result['diff']['before']['branch'] == 'main' and result['diff']['after']['branch'] == 'dev'
    session.assert_done()


def test_script_update_sends_both_script_fields(monkeypatch):
    result, session = run_module(monkeypatch, git.main, dict(server=3, web_app=9, deploy_script='make deploy'), [
        Exchange('GET', GIT, answer(200, REPO)),
        Exchange('PATCH', GIT + '/59/script', answer(200, dict(REPO, deployScript='make deploy')),
                 body={'autoDeploy': False, 'deployScript': 'make deploy'}),
    ])
    assert result['changed'] is True
    session.assert_done()


def test_other_repository_fails_unless_replace(monkeypatch):
    result, session = run_module(monkeypatch, git.main, dict(ARGS, repository='acme/blog'), [
        Exchange('GET', GIT, answer(200, REPO)),
    ])
    assert result['failed'] is True
    assert 'different repository' in result['msg'] and 'replace=true' in result['msg']
    session.assert_done()
    blog = dict(REPO, id=60, repositoryData={'url': 'https://github.com/acme/blog', 'repo': 'git@github.com:acme/blog.git'})
    result, session = run_module(monkeypatch, git.main, dict(ARGS, repository='acme/blog', replace=True), [
        Exchange('GET', GIT, answer(200, REPO)),
        Exchange('DELETE', GIT + '/59', answer(200, REPO)),
        Exchange('POST', GIT, answer(200, blog)),
    ])
    assert result['changed'] is True and result['git']['id'] == 60
    session.assert_done()


def test_deploy_puts_the_script_every_time(monkeypatch):
    result, session = run_module(monkeypatch, git.main, dict(server=3, web_app=9, deploy=True), [
        Exchange('GET', GIT, answer(200, REPO)),
        Exchange('PUT', GIT + '/59/script', answer(200, {})),
    ])
    assert result['changed'] is True and result['git']['id'] == 59
    session.assert_done()


def test_deploy_without_repository_says_what_is_missing(monkeypatch):
    result, session = run_module(monkeypatch, git.main, dict(server=3, web_app=9, deploy=True), [
        Exchange('GET', GIT, answer(404, {'message': 'Git not found'})),
    ])
    assert result['failed'] is True
    assert result['msg'] == 'provider, repository and branch are required to clone a repository'
    session.assert_done()

# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""atomic_project_info: projects by name, by id or all, with their web apps, symlinks and newest
deployments; no pull key, config content or secret key ever shows; refused on v2."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import atomic_project_info
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

SHOP = {'id': 12, 'name': 'shop', 'branch': 'main', 'repository': 'acme/shop', 'autoDeploy': False,
        'pullKey1': 'secret-pull-key-1', 'pullKey2': 'secret-pull-key-2',
        'latestDeployment': {'id': 31, 'hashShort': '3f2a9c1', 'status': 'COMPLETED'}}
BLOG = {'id': 13, 'name': 'blog', 'branch': 'main', 'repository': 'acme/blog', 'autoDeploy': True, 'latestDeployment': None}
APP = {'id': 4, 'name': 'shop', 'pullKey1': 'secret-app-key-1', 'pullKey2': 'secret-app-key-2'}
# An answer that carried a config file's content and secret key (the reference shows neither): never shown.
ENV = {'id': 7, 'atomic_project_id': 12, 'type': 'config', 'linkFrom': '.env', 'linkTo': 'shared/.env',
       'assignedWebApplicationIds': [4], 'content': 'APP_KEY=secret-config', 'secretKey': 'secret-symlink-key'}
DEPLOYMENTS = [{'id': 30, 'hashShort': '1b2c3d4', 'status': 'FAILED'}, {'id': 31, 'hashShort': '3f2a9c1', 'status': 'COMPLETED'}]


def run(monkeypatch, args, script):
    return run_v3(monkeypatch, atomic_project_info.main, args, script)


def test_one_project_by_name_with_its_members_and_newest_deployments_first(monkeypatch):
    result, session = run(monkeypatch, dict(name='shop', deployments=True), [
        # The project list's search is not documented: the whole list is read, without a search.
        Exchange('GET', '/atomic', listing(BLOG, SHOP), query={'search': None}),
        Exchange('GET', '/atomic/12/webapps', listing(APP)),
        Exchange('GET', '/atomic/12/symlinks', listing(ENV)),
        Exchange('GET', '/atomic/12/deployments', listing(*DEPLOYMENTS)),
    ])
    assert not result['failed'], result
    assert result['changed'] is False
    [project] = result['atomic_projects']
    assert project['id'] == 12 and project['auto_deploy'] is False and project['latest_deployment']['hash_short'] == '3f2a9c1'
    assert [app['name'] for app in project['web_apps']] == ['shop']
    assert project['symlinks'] == [{'id': 7, 'atomic_project_id': 12, 'type': 'config', 'link_from': '.env',
                                    'link_to': 'shared/.env', 'assigned_web_application_ids': [4]}]
    assert [deployment['id'] for deployment in project['deployments']] == [31, 30]
    assert 'secret' not in str(result)
    assert result['api']['writes'] == 0
    session.assert_done()


def test_every_project_without_details_costs_one_request(monkeypatch):
    result, session = run(monkeypatch, dict(web_apps=False, symlinks=False), [Exchange('GET', '/atomic', listing(SHOP, BLOG))])
    assert not result['failed'], result
    assert [project['name'] for project in result['atomic_projects']] == ['shop', 'blog']
    assert 'web_apps' not in result['atomic_projects'][0] and 'deployments' not in result['atomic_projects'][0]
    assert 'secret' not in str(result)
    session.assert_done()


def test_every_project_reads_its_members(monkeypatch):
    result, session = run(monkeypatch, dict(), [
        Exchange('GET', '/atomic', listing(SHOP, BLOG)),
        Exchange('GET', '/atomic/12/webapps', listing(APP)),
        Exchange('GET', '/atomic/12/symlinks', listing(ENV)),
        Exchange('GET', '/atomic/13/webapps', listing()),
        Exchange('GET', '/atomic/13/symlinks', listing()),
    ])
    assert not result['failed'], result
    assert [len(project['web_apps']) for project in result['atomic_projects']] == [1, 0]
    assert 'secret' not in str(result)
    session.assert_done()


def test_one_project_by_id(monkeypatch):
    result, session = run(monkeypatch, dict(id=12, web_apps=False, symlinks=False), [Exchange('GET', '/atomic/12', answer(200, SHOP))])
    assert not result['failed'], result
    assert [project['name'] for project in result['atomic_projects']] == ['shop'] and 'secret' not in str(result)
    session.assert_done()


def test_an_unknown_name_or_id_is_an_empty_list(monkeypatch):
    result, session = run(monkeypatch, dict(id=99), [Exchange('GET', '/atomic/99', answer(404, {'message': 'Resources not found.'}))])
    assert not result['failed'] and result['atomic_projects'] == []
    session.assert_done()
    result, session = run(monkeypatch, dict(name='nope'), [Exchange('GET', '/atomic', listing(SHOP))])
    assert not result['failed'] and result['atomic_projects'] == []
    session.assert_done()


def test_a_read_answered_503_is_sent_again(monkeypatch):
    result, session = run_v3(monkeypatch, atomic_project_info.main, dict(name='shop', web_apps=False, symlinks=False, api_retry_budget=5), [
        Exchange('GET', '/atomic', answer(503, {'message': 'Service Unavailable'}, headers={'Retry-After': '0'})),
        Exchange('GET', '/atomic', listing(SHOP)),
    ])
    assert not result['failed'], result
    assert [project['id'] for project in result['atomic_projects']] == [12] and result['api']['requests'] == 2
    session.assert_done()


def test_the_module_is_refused_on_api_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, atomic_project_info.main, dict(name='shop'), [])
    assert result['failed'] and 'only exists on RunCloud API v3' in result['msg']
    assert session.sent == []

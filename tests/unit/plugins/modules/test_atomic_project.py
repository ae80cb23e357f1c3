# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""atomic_project: a create the API only acknowledges is read back; web apps and symlinks converge by
name and source; write-only content is sent, never compared or shown; pull keys never show."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import atomic_project
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

SERVER = {'id': 3, 'name': 'web-01'}
APP = {'id': 4, 'name': 'shop'}
APP_EU = {'id': 5, 'name': 'shop-eu'}
PROJECT = {'id': 12, 'name': 'shop', 'branch': 'main', 'repository': 'acme/shop', 'autoDeploy': False,
           'pullKey1': 'secret-pull-key-1', 'pullKey2': 'secret-pull-key-2', 'latestDeployment': None}
ENV = {'id': 7, 'atomic_project_id': 12, 'type': 'config', 'linkFrom': '.env', 'linkTo': 'shared/.env', 'assignedWebApplicationIds': [4]}


def run(monkeypatch, args, script, check_mode=False):
    return run_v3(monkeypatch, atomic_project.main, dict(dict(name='shop'), **args), script, check_mode=check_mode)


def test_a_project_is_created_from_the_web_app_and_read_back(monkeypatch):
    result, session = run(monkeypatch, dict(server='web-01', web_app='shop', auto_deploy=False), [
        Exchange('GET', '/servers', listing(SERVER), query={'search': 'web-01'}),
        Exchange('GET', '/servers/3/webapps', listing(APP), query={'search': 'shop'}),
        Exchange('GET', '/atomic', listing()),
        Exchange('POST', '/atomic', answer(200, {'message': 'Project shop has been successfully added.'}),
                 body={'name': 'shop', 'autoDeploy': False, 'webApplication': 4}),
        Exchange('GET', '/atomic', listing(PROJECT)),
    ])
    assert not result['failed'], result
    assert result['changed'] and result['atomic_project']['id'] == 12
    assert 'pull_key1' not in result['atomic_project'] and 'secret-pull-key' not in str(result)
    session.assert_done()


def test_an_existing_project_with_its_members_sends_no_write(monkeypatch):
    result, session = run(monkeypatch, dict(server=3, web_app=4, web_apps=['shop-eu'],
                                            symlinks=[dict(link_from='.env', link_to='shared/.env', type='config', content='APP_KEY=x',
                                                           web_apps=['shop'])]), [
        Exchange('GET', '/atomic', listing(PROJECT)),
        Exchange('GET', '/atomic/12/webapps', listing(APP, APP_EU)),
        Exchange('GET', '/atomic/12/symlinks', listing(ENV)),
        Exchange('GET', '/servers/3/webapps', listing(APP, APP_EU)),
    ])
    assert not result['failed'], result
    assert result['changed'] is False and result['web_apps'] == ['shop', 'shop-eu']
    assert 'APP_KEY' not in str(result)
    session.assert_done()


def test_members_are_added_removed_and_changed_with_the_content_sent_along(monkeypatch):
    other = {'id': 6, 'name': 'old'}
    result, session = run(monkeypatch, dict(server=3, web_app=4, web_apps=['shop-eu'],
                                            symlinks=[dict(link_from='.env', link_to='shared/prod.env', type='config', content='APP_KEY=x'),
                                                      dict(link_from='storage', link_to='shared/storage')]), [
        Exchange('GET', '/atomic', listing(PROJECT)),
        Exchange('GET', '/atomic/12/webapps', listing(APP, other)),
        Exchange('GET', '/servers/3/webapps', listing(APP, APP_EU, other)),
        Exchange('POST', '/atomic/12/webapps', answer(200, {}), body={'webApplicationId': 5}),
        Exchange('DELETE', '/atomic/12/webapps/6', answer(200, {})),
        Exchange('GET', '/atomic/12/symlinks', listing(ENV)),
        Exchange('PATCH', '/atomic/12/symlinks/7', answer(200, {'message': 'saved'}),
                 body={'linkTo': 'shared/prod.env', 'linkFrom': '.env', 'content': 'APP_KEY=x', 'type': 'config'}),
        Exchange('POST', '/atomic/12/symlinks', answer(200, {'message': 'A new symlink has been successfully added.'}),
                 body={'type': 'directory', 'linkTo': 'shared/storage', 'linkFrom': 'storage'}),
        Exchange('GET', '/atomic/12/symlinks', listing(dict(ENV, linkTo='shared/prod.env'),
                                                       {'id': 8, 'type': 'directory', 'linkFrom': 'storage', 'linkTo': 'shared/storage'})),
    ])
    assert not result['failed'], result
    assert result['changed'] and result['web_apps'] == ['shop', 'shop-eu']
    assert sorted(link['link_from'] for link in result['symlinks']) == ['.env', 'storage']
    session.assert_done()


def test_check_mode_under_a_predicted_web_app_predicts_the_project_without_reading_it(monkeypatch):
    result, session = run(monkeypatch, dict(server=3, web_app='shop', web_apps=[], predicted_parents=['web_app']), [], check_mode=True)
    assert not result['failed'], result
    assert result['changed'] and result['atomic_project']['id'] is None and result['web_apps'] == ['shop']
    session.assert_done()


def test_a_create_without_the_web_app_names_it(monkeypatch):
    result, session = run(monkeypatch, dict(), [Exchange('GET', '/atomic', listing())])
    assert result['failed'] and 'server and web_app are required to create the atomic project' in result['msg'], result
    session.assert_done()


def test_the_module_is_refused_on_api_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, atomic_project.main, dict(name='shop', server=3, web_app=4), [])
    assert result['failed'] and 'only exists on RunCloud API v3' in result['msg']
    assert session.sent == []


def test_web_apps_without_the_project_s_own_web_app_are_refused_before_any_request(monkeypatch):
    result, session = run(monkeypatch, dict(server=3, web_apps=['shop-eu']), [])
    assert result['failed'] and 'web_app' in result['msg'], result
    assert session.sent == []

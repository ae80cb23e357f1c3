# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""web_app_info: every page, by name or id, details only on request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import web_app_info
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

APPS = '/servers/3/webapps'


def page(items, current, total_pages):
    pagination = {'total': 41, 'count': len(items), 'per_page': 40, 'current_page': current, 'total_pages': total_pages, 'links': {}}
    return answer(200, {'data': items, 'meta': {'pagination': pagination}})


def test_all_pages_without_details(monkeypatch):
    first = [{'id': n, 'name': 'app%d' % n} for n in range(1, 41)]
    result, session = run_module(monkeypatch, web_app_info.main, dict(server=3), [
        Exchange('GET', APPS, page(first, 1, 2), query={'page': 1, 'perPage': 40}),
        Exchange('GET', APPS, page([{'id': 41, 'name': 'app41'}], 2, 2), query={'page': 2}),
    ])
    assert result['changed'] is False and len(result['web_apps']) == 41
    session.assert_done()


def test_by_name_with_every_detail(monkeypatch):
    ssl = {'id': 5, 'method': 'custom', 'privateKey': 'SECRET', 'certificate': 'CERT'}
    result, session = run_module(monkeypatch, web_app_info.main,
                                 dict(server=3, name='shop', settings=True, domains=True, ssl=True, git=True, installer=True), [
                                     Exchange('GET', APPS, page([{'id': 8, 'name': 'shop-old'}, {'id': 9, 'name': 'shop'}], 1, 1),
                                              query={'search': 'shop'}),
                                     Exchange('GET', APPS + '/9/settings', answer(200, {'timezone': 'UTC'})),
                                     Exchange('GET', APPS + '/9/domains', page([{'id': 1, 'name': 'shop.example.com', 'www': 1, 'wildcard': 0}], 1, 1)),
                                     Exchange('GET', APPS + '/9/ssl', answer(200, ssl)),
                                     Exchange('GET', APPS + '/9/ssl/advanced', answer(200, {'advancedSSL': False, 'autoSSL': False})),
                                     Exchange('GET', APPS + '/9/git', answer(404, {'message': 'Git not found'})),
                                     Exchange('GET', APPS + '/9/installer', answer(404, {'message': 'Installer not found'})),
                                 ])
    app = result['web_apps'][0]
    assert [a['id'] for a in result['web_apps']] == [9]
    assert app['settings'] == {'timezone': 'UTC'}
    assert app['domains'][0]['www'] is True and app['domains'][0]['wildcard'] is False
    assert app['ssl'] == {'id': 5, 'method': 'custom', 'certificate': 'CERT'}
    assert app['git'] is None and app['installer'] is None
    assert 'SECRET' not in repr(result)
    session.assert_done()


def test_ssl_not_installed_is_none(monkeypatch):
    result, session = run_module(monkeypatch, web_app_info.main, dict(server=3, id=9, ssl=True), [
        Exchange('GET', APPS + '/9', answer(200, {'id': 9, 'name': 'shop'})),
        Exchange('GET', APPS + '/9/ssl', answer(200, {'message': 'SSL not installed!'})),
        Exchange('GET', APPS + '/9/ssl/advanced', answer(200, {'advancedSSL': False, 'autoSSL': False})),
    ])
    assert result['web_apps'][0]['ssl'] is None
    session.assert_done()


def test_unknown_id_or_name_is_an_empty_list(monkeypatch):
    result, session = run_module(monkeypatch, web_app_info.main, dict(server=3, id=99), [
        Exchange('GET', APPS + '/99', answer(404, {'message': 'Web application not found'})),
    ])
    assert result['web_apps'] == [] and not result['failed']
    session.assert_done()
    result, session = run_module(monkeypatch, web_app_info.main, dict(server=3, name='nope'), [
        Exchange('GET', APPS, page([], 1, 1)),
    ])
    assert result['web_apps'] == []
    session.assert_done()


def test_webhook_keys_are_never_returned_and_the_url_only_on_request(monkeypatch):
    app = {'id': 9, 'name': 'shop', 'pullKey1': 'KEY-ONE-SECRET', 'pullKey2': 'KEY-TWO-SECRET'}
    result, _session = run_module(monkeypatch, web_app_info.main, dict(server=3), [
        Exchange('GET', APPS, page([app], 1, 1)),
    ])
    assert 'KEY-ONE-SECRET' not in repr(result) and 'KEY-TWO-SECRET' not in repr(result)
    result, _session = run_module(monkeypatch, web_app_info.main, dict(server=3, git_webhook_url=True), [
        Exchange('GET', APPS, page([app], 1, 1)),
    ])
    assert result['web_apps'][0]['git_webhook_url'] == 'https://api.example.test/webhooks/git/KEY-ONE-SECRET/KEY-TWO-SECRET'
    assert not set(result['web_apps'][0]) & {'pullKey1', 'pull_key1', 'pullKey2', 'pull_key2'}

# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""domain: found by listing (no search), 0/1 booleans, no update endpoint (fail or replace)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import domain
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

DOMAINS = '/servers/3/webapps/9/domains'
WWW = {'id': 21, 'name': 'www.shop.example.com', 'type': 'alias', 'www': 0, 'redirection': 'none', 'wildcard': 0,
       'dns_integration': 'none', 'status': None}


def test_existing_domain_is_matched_without_search_and_ignoring_case(monkeypatch):
    result, session = run_module(monkeypatch, domain.main, dict(server=3, web_app=9, name='WWW.Shop.example.com', www=False, type='alias'), [
        Exchange('GET', DOMAINS, listing({'id': 20, 'name': 'shop.example.com', 'type': 'primary'}, WWW)),
    ])
    assert result['changed'] is False
    assert 'search' not in (session.sent[0]['params'] or {})
    assert result['domain']['www'] is False and result['domain']['wildcard'] is False
    session.assert_done()


def test_create_sends_the_lower_case_name(monkeypatch):
    result, session = run_module(monkeypatch, domain.main, dict(server=3, web_app=9, name='WWW.shop.example.com', www=True), [
        Exchange('GET', DOMAINS, listing()),
        Exchange('POST', DOMAINS, answer(200, dict(WWW, www=1)), body={'name': 'www.shop.example.com', 'www': True}),
    ])
    assert result['changed'] is True and result['domain']['www'] is True
    session.assert_done()


def test_different_settings_fail_and_name_the_fields(monkeypatch):
    result, session = run_module(monkeypatch, domain.main,
                                 dict(server=3, web_app=9, name='www.shop.example.com', www=True, type='redirect', redirection='none'), [
                                     Exchange('GET', DOMAINS, listing(WWW)),
                                 ])
    assert result['failed'] is True
    assert result['msg'] == ('the domain name %r (id 21) exists with different type, www, which the API cannot change: '
                             'type is alias, the task has redirect; www is False, the task has True. To manage the existing '
                             'domain name, give the task its current type, www; to make another one, give it another name. '
                             'Set replace=true to delete and re-create it.' % 'www.shop.example.com')
    session.assert_done()


def test_replace_deletes_and_adds_again(monkeypatch):
    replaced = dict(WWW, id=22, type='redirect')
    result, session = run_module(monkeypatch, domain.main,
                                 dict(server=3, web_app=9, name='www.shop.example.com', type='redirect', replace=True), [
                                     Exchange('GET', DOMAINS, listing(WWW)),
                                     Exchange('DELETE', DOMAINS + '/21', answer(200, WWW)),
                                     Exchange('POST', DOMAINS, answer(200, replaced), body={'name': 'www.shop.example.com', 'type': 'redirect'}),
                                 ], diff=True)
    assert result['changed'] is True and result['domain']['id'] == 22
    assert result['diff']['before']['type'] == 'alias' and result['diff']['after']['type'] == 'redirect'
    session.assert_done()


def test_web_app_by_name_is_resolved_on_the_server(monkeypatch):
    result, session = run_module(monkeypatch, domain.main, dict(server=3, web_app='shop', name='www.shop.example.com', state='absent'), [
        Exchange('GET', '/servers/3/webapps', listing({'id': 9, 'name': 'shop'}), query={'search': 'shop'}),
        Exchange('GET', DOMAINS, listing(WWW)),
        Exchange('DELETE', DOMAINS + '/21', answer(200, WWW)),
    ])
    assert result['changed'] is True and result['domain'] == {}
    session.assert_done()


def test_a_domain_given_by_id_is_read_directly(monkeypatch):
    result, session = run_module(monkeypatch, domain.main, dict(server=3, web_app=9, id=21, name='www.shop.example.com', type='alias'), [
        Exchange('GET', DOMAINS + '/21', answer(200, WWW)),
    ])
    assert result['changed'] is False and result['domain']['id'] == 21
    session.assert_done()

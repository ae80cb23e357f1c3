# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""web_app_ssl: "SSL not installed!" is absent, provider read as method, mode first, domain certificates, renew."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import web_app_ssl as ssl
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

SSL = '/servers/3/webapps/9/ssl'
MODE = SSL + '/advanced'
NONE = answer(200, {'message': 'SSL not installed!'})
LE = {'id': 31, 'method': 'letsencrypt', 'privateKey': 'KEY', 'certificate': 'CERT', 'enableHttp': False, 'enableHsts': False,
      'authorizationMethod': 'http-01', 'staging': False, 'apiId': None, 'ssl_protocol_id': None}
PEM = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'
KEY = '-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----'
CUSTOM = dict(LE, method='custom', authorizationMethod=None, certificate=PEM, privateKey=KEY)


def test_not_installed_message_means_absent_and_letsencrypt_gets_http01(monkeypatch):
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, provider='letsencrypt', enable_hsts=True), [
        Exchange('GET', SSL, NONE),
        Exchange('POST', SSL, answer(200, dict(LE, enableHsts=True)),
                 body={'provider': 'letsencrypt', 'authorizationMethod': 'http-01', 'enableHttp': False, 'enableHsts': True}),
    ])
    assert result['changed'] is True
    assert 'privateKey' not in result['ssl'] and result['ssl']['method'] == 'letsencrypt'
    session.assert_done()


def test_installed_provider_is_compared_with_method_and_environment_with_staging(monkeypatch):
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, provider='letsencrypt', environment='live'), [
        Exchange('GET', SSL, answer(200, LE)),
    ])
    assert result['changed'] is False
    session.assert_done()
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, provider='letsencrypt', environment='staging'), [
        Exchange('GET', SSL, answer(200, LE)),
    ])
    assert result['failed'] is True and 'different environment' in result['msg']
    session.assert_done()


def test_hsts_change_is_one_patch_without_the_certificate(monkeypatch):
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, enable_hsts=True), [
        Exchange('GET', SSL, answer(200, LE)),
        Exchange('PATCH', SSL + '/31', answer(200, dict(LE, enableHsts=True)), body={'enableHttp': False, 'enableHsts': True, 'ssl_protocol_id': None}),
    ], diff=True)
    assert result['changed'] is True
    assert 'privateKey' not in result['diff']['before'] and 'privateKey' not in result['diff']['after']
    session.assert_done()


def test_new_custom_certificate_is_sent_with_its_key(monkeypatch):
    new_pem = PEM.replace('AAAA', 'CCCC')
    result, session = run_module(monkeypatch, ssl.main,
                                 dict(server=3, web_app=9, provider='custom', certificate=new_pem + '\n', private_key=KEY), [
                                     Exchange('GET', SSL, answer(200, CUSTOM)),
                                     Exchange('PATCH', SSL + '/31', answer(200, dict(CUSTOM, certificate=new_pem)),
                                              body={'enableHttp': False, 'enableHsts': False, 'ssl_protocol_id': None,
                                                    'certificate': new_pem + '\n', 'privateKey': KEY}),
                                 ])
    assert result['changed'] is True and KEY not in repr(result)
    session.assert_done()
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, provider='custom', certificate=PEM, private_key=KEY), [
        Exchange('GET', SSL, answer(200, CUSTOM)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_mode_is_converged_before_the_domain_certificate(monkeypatch):
    domain_ssl = '/servers/3/webapps/9/domains/21/ssl'
    result, session = run_module(monkeypatch, ssl.main,
                                 dict(server=3, web_app=9, domain='www.shop.example.com', advanced_ssl=True, provider='letsencrypt'), [
                                     Exchange('GET', '/servers/3/webapps/9/domains', listing({'id': 21, 'name': 'www.shop.example.com'})),
                                     Exchange('GET', MODE, answer(200, {'advancedSSL': False, 'autoSSL': False})),
                                     Exchange('POST', MODE, answer(200, {'advancedSSL': True, 'autoSSL': False}),
                                              body={'advancedSSL': True, 'autoSSL': False}),
                                     Exchange('GET', domain_ssl, NONE),
                                     Exchange('POST', domain_ssl, answer(200, dict(LE, id=40))),
                                 ], diff=True)
    assert result['changed'] is True
    assert result['ssl_mode'] == {'advanced_ssl': True, 'auto_ssl': False}
    assert result['diff']['before']['ssl_mode']['advanced_ssl'] is False
    session.assert_done()


def test_check_mode_does_not_read_a_domain_certificate_before_advanced_mode(monkeypatch):
    result, session = run_module(monkeypatch, ssl.main,
                                 dict(server=3, web_app=9, domain=21, advanced_ssl=True, provider='letsencrypt'), [
                                     Exchange('GET', MODE, answer(200, {'advancedSSL': False, 'autoSSL': False})),
                                 ], check_mode=True)
    assert result['changed'] is True and result['ssl']['id'] is None
    session.assert_done()


def test_mode_only_task_needs_no_provider(monkeypatch):
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, advanced_ssl=True, auto_ssl=True), [
        Exchange('GET', MODE, answer(200, {'advancedSSL': True, 'autoSSL': True})),
        Exchange('GET', SSL, NONE),
    ])
    assert result['changed'] is False and result['ssl'] == {}
    session.assert_done()


def test_install_without_provider_fails(monkeypatch):
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, enable_hsts=True), [
        Exchange('GET', SSL, NONE),
    ])
    assert result['failed'] is True and result['msg'] == 'provider is required to install a certificate'
    session.assert_done()


def test_renew_puts_and_refuses_custom(monkeypatch):
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, renew=True), [
        Exchange('GET', SSL, answer(200, LE)),
        Exchange('PUT', SSL + '/31', answer(200, {})),
    ])
    assert result['changed'] is True
    session.assert_done()
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, renew=True), [
        Exchange('GET', SSL, answer(200, CUSTOM)),
    ])
    assert result['failed'] is True and 'Let\'s Encrypt' in result['msg']
    session.assert_done()


def test_remove(monkeypatch):
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, state='absent'), [
        Exchange('GET', SSL, answer(200, LE)),
        Exchange('DELETE', SSL + '/31', answer(200, LE)),
    ])
    assert result['changed'] is True and result['ssl'] == {}
    session.assert_done()


def test_dns01_key_given_by_label_is_searched_once_and_sent_by_id(monkeypatch):
    key = {'id': 28, 'label': 'cloudflare-dns', 'service': 'Cloudflare', 'username': 'ops@example.com', 'secret': 'abcd...'}
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, provider='letsencrypt', authorization_method='dns-01',
                                                             external_api='cloudflare-dns'), [
        Exchange('GET', '/settings/externalapi', listing(key), query={'search': 'cloudflare-dns'}),
        Exchange('GET', SSL, NONE),
        Exchange('POST', SSL, answer(200, dict(LE, authorizationMethod='dns-01', apiId=28)),
                 body={'provider': 'letsencrypt', 'authorizationMethod': 'dns-01', 'externalApi': 28, 'enableHttp': False, 'enableHsts': False}),
    ])
    assert result['changed'] is True
    session.assert_done()
    result, session = run_module(monkeypatch, ssl.main, dict(server=3, web_app=9, provider='letsencrypt', authorization_method='dns-01',
                                                             external_api=28), [
        Exchange('GET', SSL, answer(200, dict(LE, authorizationMethod='dns-01', apiId=28))),
    ])
    assert result['changed'] is False
    session.assert_done()

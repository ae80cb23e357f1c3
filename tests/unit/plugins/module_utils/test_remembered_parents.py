# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A parent id that an earlier task remembered (parent_ids) is trusted only until the API says
otherwise: a 404 on a path built from it, or an answer that names another object, fails the task with
stale_parent_ids (the action plugin then resolves the names again), whatever the module would have
concluded; nothing is written under it before it is read once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils import module
from ansible_collections.runcloud.cloud.plugins.module_utils.client import RunCloudClient
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import StaleParentIdError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import RememberedParents
from ansible_collections.runcloud.cloud.plugins.modules import database_user, service, system_user, system_user_info, web_app_ssl
from ansible_collections.runcloud.cloud.tests.unit.module_runner import API_URL as URL
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, ScriptedSession, absence_proof, answer, listing

SERVER = {'id': 3, 'name': 'web'}
SHOP_APP = {'id': 31, 'name': 'shop'}
SHOP_USER = {'id': 7, 'username': 'shop'}
GONE = answer(404, {'message': 'Server not found'})
SSL_ABSENT = dict(server='web', web_app='shop', state='absent', parent_ids=dict(server=3, web_app=31))


def remembered(**ids):
    return dict(parent_ids=ids)


def assert_stale(result, **ids):
    assert result['failed'] is True
    assert result['stale_parent_ids'] == ids
    assert result['kind'] == 'stale_parent_id'
    assert 'outside the play' in result['msg']
    assert not result.get('changed')


def test_an_info_module_by_id_on_a_remembered_server_that_is_gone_is_sent_back(monkeypatch):
    result, session = run_module(monkeypatch, system_user_info.main, dict(server='web', id=7, **remembered(server=3)), [
        Exchange('GET', '/servers/3/users/7', answer(404, {'message': 'System user not found'})),
        Exchange('GET', '/servers/3', GONE),
    ])
    # Not "0 users": the server the id was remembered for is not there any more.
    assert_stale(result, server=3)
    session.assert_done()


def test_a_404_below_a_remembered_server_that_is_still_there_is_the_modules(monkeypatch):
    result, session = run_module(monkeypatch, system_user_info.main, dict(server='web', id=7, **remembered(server=3)), [
        Exchange('GET', '/servers/3/users/7', answer(404, {'message': 'System user not found'})),
        Exchange('GET', '/servers/3', answer(200, SERVER)),
    ])
    assert result['failed'] is False and result['system_users'] == []
    session.assert_done()


def test_a_list_under_a_remembered_server_that_is_gone(monkeypatch):
    result, session = run_module(monkeypatch, system_user_info.main, dict(server='web', **remembered(server=3)), [
        Exchange('GET', '/servers/3/users', GONE),
        Exchange('GET', '/servers/3', GONE),
    ])
    assert_stale(result, server=3)
    session.assert_done()


def test_absent_on_a_remembered_server_that_is_gone_is_not_already_absent(monkeypatch):
    args = dict(server='web', id=5, username='shop', state='absent', **remembered(server=3))
    result, session = run_module(monkeypatch, database_user.main, args, [
        Exchange('GET', '/servers/3/databaseusers/5', answer(404, {'message': 'Database user not found'})),
        Exchange('GET', '/servers/3', GONE),
    ])
    assert_stale(result, server=3)
    session.assert_done()


def test_absent_under_a_remembered_web_app_that_is_gone(monkeypatch):
    result, session = run_module(monkeypatch, web_app_ssl.main, SSL_ABSENT, [
        Exchange('GET', '/servers/3/webapps/31/ssl', answer(404, {'message': 'Web application not found'})),
        Exchange('GET', '/servers/3', answer(200, SERVER)),
        Exchange('GET', '/servers/3/webapps/31', answer(404, {'message': 'Web application not found'})),
    ])
    assert_stale(result, web_app=31)
    session.assert_done()


def test_absent_with_every_remembered_parent_there_is_absent(monkeypatch):
    result, session = run_module(monkeypatch, web_app_ssl.main, SSL_ABSENT, [
        Exchange('GET', '/servers/3/webapps/31/ssl', answer(404, {'message': 'SSL not found'})),
        Exchange('GET', '/servers/3', answer(200, SERVER)),
        Exchange('GET', '/servers/3/webapps/31', answer(200, SHOP_APP)),
    ])
    assert result['failed'] is False and result['changed'] is False
    session.assert_done()


def test_nothing_is_written_on_a_remembered_server_that_now_has_another_name(monkeypatch):
    result, session = run_module(monkeypatch, system_user.main, dict(server='web', username='shop', password='S3cret-pass!',
                                                                     **remembered(server=3)), [
        Exchange('GET', '/servers/3/users', listing(), query={'search': 'shop'}),
        absence_proof('/servers/3/users'),
        Exchange('GET', '/servers/3', answer(200, dict(SERVER, name='web-renamed'))),
    ])
    assert_stale(result, server=3)
    assert "now has name 'web-renamed'" in result['msg']
    session.assert_done()


def test_a_remembered_server_is_read_once_before_the_first_write(monkeypatch):
    result, session = run_module(monkeypatch, system_user.main, dict(server='web', username='shop', password='S3cret-pass!',
                                                                     **remembered(server=3)), [
        Exchange('GET', '/servers/3/users', listing(), query={'search': 'shop'}),
        absence_proof('/servers/3/users'),
        Exchange('GET', '/servers/3', answer(200, SERVER)),
        Exchange('POST', '/servers/3/users', answer(200, SHOP_USER)),
    ])
    assert result['failed'] is False and result['changed'] is True
    session.assert_done()


def test_a_settings_module_writes_nothing_on_a_remembered_server_that_now_has_another_name(monkeypatch):
    services = {'memcached': {'realName': 'memcached', 'name': 'Memcached', 'running': False}}
    result, session = run_module(monkeypatch, service.main, dict(server='web', name='memcached', state='started',
                                                                 **remembered(server=3)), [
        Exchange('GET', '/servers/3/services', answer(200, services)),
        Exchange('GET', '/servers/3', answer(200, dict(SERVER, name='web-renamed'))),
    ])
    assert_stale(result, server=3)
    session.assert_done()


def test_an_answer_without_a_readable_name_keeps_the_id_trusted(monkeypatch):
    services = {'memcached': {'realName': 'memcached', 'name': 'Memcached', 'running': False}}
    result, session = run_module(monkeypatch, service.main, dict(server='web', name='memcached', state='started',
                                                                 **remembered(server=3)), [
        Exchange('GET', '/servers/3/services', answer(200, services)),
        Exchange('GET', '/servers/3', answer(200, {'id': 3})),
        Exchange('PATCH', '/servers/3/services', answer(200, services)),
    ])
    assert result['failed'] is False and result['changed'] is True
    session.assert_done()


def test_ids_the_user_gave_are_not_checked(monkeypatch):
    result, session = run_module(monkeypatch, system_user_info.main, dict(server=3, id=7), [
        Exchange('GET', '/servers/3/users/7', answer(404, {'message': 'System user not found'})),
    ])
    assert result['failed'] is False and result['system_users'] == []
    session.assert_done()


def test_an_answer_the_module_reads_that_names_another_object_is_stale():
    session = ScriptedSession(URL, [Exchange('GET', '/servers/3', answer(200, dict(SERVER, name='web-renamed')))])
    client = RunCloudClient(URL, api_token='unit-test-token')
    client.session = session
    watched = RememberedParents(client)
    client.watcher = watched
    watched.add(module.SERVER, 3, 'servers', 'web')
    with pytest.raises(StaleParentIdError) as raised:
        client.get('servers/3')
    assert raised.value.to_dict()['stale_parent_ids'] == {'server': 3}
    # Once stale, every later write is refused before it is sent.
    with pytest.raises(StaleParentIdError):
        client.post('servers/3/users', {'username': 'shop'})
    session.assert_done()

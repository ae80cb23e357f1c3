# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""script_installer: a singleton without update: another script fails unless replace; absent by name."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import script_installer
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

INSTALLER = '/servers/3/webapps/9/installer'
WORDPRESS = {'id': 78, 'name': 'wordpress', 'realName': 'WordPress', 'created_at': '2024-07-09 07:02:13'}


def test_install_when_none_is_installed(monkeypatch):
    result, session = run_module(monkeypatch, script_installer.main, dict(server=3, web_app=9, name='wordpress'), [
        Exchange('GET', INSTALLER, answer(404, {'message': 'Installer not found'})),
        Exchange('POST', INSTALLER, answer(200, WORDPRESS), body={'name': 'wordpress'}),
    ])
    assert result['changed'] is True and result['script_installer'] == snake_case_keys(WORDPRESS)
    session.assert_done()


def test_same_script_is_not_changed(monkeypatch):
    result, session = run_module(monkeypatch, script_installer.main, dict(server=3, web_app=9, name='wordpress'), [
        Exchange('GET', INSTALLER, answer(200, WORDPRESS)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_other_script_fails_without_replace_and_is_replaced_with_it(monkeypatch):
    result, session = run_module(monkeypatch, script_installer.main, dict(server=3, web_app=9, name='drupal'), [
        Exchange('GET', INSTALLER, answer(200, WORDPRESS)),
    ])
    assert result['failed'] is True and 'different name' in result['msg']
    session.assert_done()
    drupal = {'id': 79, 'name': 'drupal', 'realName': 'Drupal'}
    result, session = run_module(monkeypatch, script_installer.main, dict(server=3, web_app=9, name='drupal', replace=True), [
        Exchange('GET', INSTALLER, answer(200, WORDPRESS)),
        Exchange('DELETE', INSTALLER + '/78', answer(200, WORDPRESS)),
        Exchange('POST', INSTALLER, answer(200, drupal), body={'name': 'drupal'}),
    ])
    assert result['changed'] is True and result['script_installer']['id'] == 79
    session.assert_done()


def test_absent_with_another_name_leaves_the_installed_script(monkeypatch):
    result, session = run_module(monkeypatch, script_installer.main, dict(server=3, web_app=9, name='drupal', state='absent'), [
        Exchange('GET', INSTALLER, answer(200, WORDPRESS)),
    ])
    assert result['changed'] is False and result['script_installer'] == {}
    session.assert_done()


def test_absent_without_name_removes_any_script(monkeypatch):
    result, session = run_module(monkeypatch, script_installer.main, dict(server=3, web_app=9, state='absent'), [
        Exchange('GET', INSTALLER, answer(200, WORDPRESS)),
        Exchange('DELETE', INSTALLER + '/78', answer(200, WORDPRESS)),
    ])
    assert result['changed'] is True
    session.assert_done()

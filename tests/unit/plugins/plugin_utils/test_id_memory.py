# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run's id memory: what a task's report changes, and the keeper process that holds it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import subprocess
import sys
import time

import pytest

from ansible_collections.runcloud.cloud.plugins.plugin_utils import id_memory
from ansible_collections.runcloud.cloud.plugins.plugin_utils.id_memory import IdMemory, account_key

ACCOUNT = 'account'


def known(memory):
    return dict(((kind, server_id, name), value) for kind, server_id, name, value in memory.entries(ACCOUNT))


def present(kind, name, ident, server_id=None):
    return dict(kind=kind, server_id=server_id, name=name, id=ident, state='present')


def test_found_and_created_resources_are_remembered_by_kind_server_and_name():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('server', 'web-01', 7), present('system_user', 'shop', 70, server_id=7)])
    assert known(memory) == {('server', None, 'web-01'): 7, ('system_user', 7, 'shop'): 70}
    assert memory.entries('another account') == []


def test_a_rename_replaces_the_old_name():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('server', 'web-01', 7)])
    memory.apply(ACCOUNT, [present('server', 'web-02', 7)])
    assert known(memory) == {('server', None, 'web-02'): 7}


def test_a_deleted_server_takes_what_was_on_it():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('server', 'web-01', 7), present('web_app', 'shop', 71, server_id=7),
                           present('server', 'web-02', 8), present('web_app', 'shop', 81, server_id=8)])
    memory.apply(ACCOUNT, [dict(kind='server', server_id=None, name='web-01', id=7, state='absent')])
    assert known(memory) == {('server', None, 'web-02'): 8, ('web_app', 8, 'shop'): 81}


def test_absent_without_id_and_forget_drop_the_name():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('database', 'db', 5, server_id=7), present('database', 'other', 6, server_id=7)])
    memory.apply(ACCOUNT, [dict(kind='database', server_id=7, name='db', id=None, state='absent'),
                           dict(kind='database', server_id=7, name='other', state='forget')])
    assert known(memory) == {}


def test_a_prediction_is_remembered_without_id_and_a_real_id_replaces_it():
    memory = IdMemory()
    memory.apply(ACCOUNT, [dict(kind='server', server_id=None, name='new', id=None, state='predicted')])
    assert known(memory) == {('server', None, 'new'): None}
    memory.apply(ACCOUNT, [present('server', 'new', 9)])
    assert known(memory) == {('server', None, 'new'): 9}


def test_the_account_key_is_salted_and_holds_no_secret():
    first = account_key('salt-1', 'https://api.example.test/api/v2', 'token:very-secret-token')
    assert 'very-secret' not in first and len(first) == 64
    assert first != account_key('salt-2', 'https://api.example.test/api/v2', 'token:very-secret-token')
    assert first != account_key('salt-1', 'https://other.example.test/api/v2', 'token:very-secret-token')
    assert first != account_key('salt-1', 'https://api.example.test/api/v2', 'token:another-token')


@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='the keeper test watches a process through /proc')
def test_the_keeper_serves_every_task_of_a_run_and_ends_with_the_run():
    run = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    address = id_memory.address_for(run.pid, id_memory.process_start_time(run.pid))
    try:
        first = id_memory.connect(run.pid)
        first.apply(ACCOUNT, [present('server', 'web-01', 7)])
        first.close()
        second = id_memory.connect(run.pid)
        assert second.read(ACCOUNT) == [['server', None, 'web-01', 7]]
        assert second.salt == first.salt
        second.close()
        id_memory._connect(address).close()
    finally:
        run.kill()
        run.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            id_memory._connect(address).close()
        except OSError:
            break
        time.sleep(0.1)
    else:
        pytest.fail('the keeper still answers after the run ended')

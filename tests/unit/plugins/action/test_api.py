# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How the action plugin uses what the run remembers: names get their ids, predictions become predicted_parents."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.plugin_utils import id_memory
from ansible_collections.runcloud.cloud.plugins.plugin_utils.action import Memory, RunMemory
from ansible_collections.runcloud.cloud.plugins.plugin_utils.controller_run import module_short_name


class FakeClient:
    def __init__(self, entries):
        self.entries = dict(((kind, server_id, name), value) for kind, server_id, name, value in entries)
        self.applied = []
        self.asked = []

    def lookup(self, account, keys):
        self.asked.append(list(keys))
        return dict((key, self.entries[key]) for key in keys if key in self.entries)

    def apply(self, account, changes):
        self.applied.extend(changes)

    def close(self):
        self.closed = True


ENTRIES = [['server', None, 'web-01', 7], ['web_app', 7, 'shop', 71], ['system_user', 7, 'shop', 70],
           ['server', None, 'new-web', None], ['database', 7, 'new_db', None], ['web_app', 8, 'shop', 81]]


def memory(check_mode=False):
    return Memory(FakeClient(ENTRIES), 'account', check_mode)


def test_remembered_names_get_their_ids_under_the_right_server():
    args = dict(server='web-01', web_app='shop', system_user='shop', name='www.example.com')
    used = memory().substitute(args)
    assert args == dict(server='web-01', web_app='shop', system_user='shop', name='www.example.com',
                        parent_ids=dict(server=7, web_app=71, system_user=70))
    assert used == [('server', None, 'web-01'), ('web_app', 7, 'shop'), ('system_user', 7, 'shop')]


def test_a_task_asks_only_for_the_names_it_gives():
    remembered = memory()
    remembered.substitute(dict(server='web-01', web_app='shop', system_user='shop', name='www.example.com'))
    # The server first (everything else is keyed by its id), then the rest in one request.
    assert remembered.client.asked == [[('server', None, 'web-01')], [('system_user', 7, 'shop'), ('web_app', 7, 'shop')]]
    remembered = memory()
    remembered.substitute(dict(server='8', web_app='shop', username='x'))
    assert remembered.client.asked == [[('web_app', 8, 'shop')]]
    remembered = memory()
    remembered.substitute(dict(server='web-09', web_app='shop'))
    assert remembered.client.asked == [[('server', None, 'web-09')]]


def test_a_server_given_by_id_scopes_the_other_parents():
    args = dict(server='8', web_app='shop')
    memory().substitute(args)
    assert args == dict(server='8', web_app='shop', parent_ids=dict(web_app=81))


def test_unknown_names_stay_names():
    args = dict(server='web-09', web_app='shop')
    assert memory().substitute(args) == []
    assert args == dict(server='web-09', web_app='shop')


def test_predictions_count_in_check_mode_only():
    args = dict(server='new-web', name='x')
    memory(check_mode=True).substitute(args)
    assert args == dict(server='new-web', name='x', predicted_parents=['server'])
    args = dict(server='web-01', database='new_db', database_user='shop', predicted_parents=['database_user'])
    memory(check_mode=True).substitute(args)
    assert args == dict(server='web-01', database='new_db', database_user='shop', parent_ids=dict(server=7),
                        predicted_parents=['database', 'database_user'])
    args = dict(server='new-web', name='x')
    memory(check_mode=False).substitute(args)
    assert args == dict(server='new-web', name='x')


def test_what_a_task_reports_is_passed_on_for_the_kinds_other_tasks_name():
    remembered = memory()
    remembered.learn(dict(resolved=[
        dict(kind='server', server_id=None, name='web-01', id=7, state='present'),
        dict(kind='web_app', server_id=None, name='shop', id=None, state='predicted'),
        dict(kind='domain', server_id=7, name='example.com', id=3, state='present'),
        dict(kind='database', server_id=7, name='db', id=5, state='absent'),
    ]))
    assert [change['kind'] for change in remembered.client.applied] == ['server', 'database']
    assert remembered.client.applied[0] == dict(kind='server', server_id=None, name='web-01', id=7, state='present')


def run_memory(monkeypatch, connect):
    monkeypatch.setattr(id_memory, 'connect', connect)
    return RunMemory(4242, ('https://api.example.invalid/v2', 'token:x'), False)


def test_a_task_with_ids_only_that_learns_nothing_never_connects_to_the_keeper(monkeypatch):
    def connect(run_pid):
        raise AssertionError('connected to the keeper of run %s' % run_pid)
    remembered = run_memory(monkeypatch, connect)
    args = dict(server='8', web_app='12', name='x')
    assert remembered.substitute(args) == []
    assert args == dict(server='8', web_app='12', name='x')
    remembered.learn(dict(resolved=[dict(kind='domain', server_id=8, name='example.com', id=3, state='present')]))
    remembered.learn(dict(changed=False))
    remembered.close()


def test_the_keeper_is_connected_once_when_a_task_names_a_parent_or_learns_one(monkeypatch):
    clients = []

    def connect(run_pid):
        client = FakeClient(ENTRIES)
        client.salt = '0' * 32
        clients.append(client)
        return client
    remembered = run_memory(monkeypatch, connect)
    args = dict(server='web-01', web_app='shop')
    assert remembered.substitute(args) == [('server', None, 'web-01'), ('web_app', 7, 'shop')]
    remembered.learn(dict(resolved=[dict(kind='server', server_id=None, name='web-02', id=8, state='present')]))
    remembered.close()
    assert len(clients) == 1 and clients[0].closed
    assert clients[0].applied == [dict(kind='server', server_id=None, name='web-02', id=8, state='present')]
    assert remembered.account == id_memory.account_key('0' * 32, 'https://api.example.invalid/v2', 'token:x')


def test_a_keeper_that_cannot_be_had_is_tried_once_per_task(monkeypatch):
    attempts = []

    def connect(run_pid):
        attempts.append(run_pid)
        raise id_memory.MemoryUnavailable('no keeper')
    remembered = run_memory(monkeypatch, connect)
    for _attempt in range(2):
        try:
            remembered.substitute(dict(server='web-01'))
        except id_memory.MemoryUnavailable:
            pass
        else:
            raise AssertionError('a lookup without a keeper answered')
    try:
        remembered.learn(dict(resolved=[dict(kind='server', server_id=None, name='web-02', id=8, state='present')]))
    except id_memory.MemoryUnavailable:
        pass
    remembered.close()
    assert attempts == [4242]


def test_only_modules_of_the_collection_run_in_the_controller_process():
    assert module_short_name('runcloud.cloud.web_app') == 'web_app'
    assert module_short_name('ansible.builtin.uri') is None
    assert module_short_name('runcloud.cloud.../x') is None

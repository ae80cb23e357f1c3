# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run's id memory: what a task's report changes, the keeper process that holds it, and how a task
treats a keeper that answers anything but the protocol."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from ansible_collections.runcloud.cloud.plugins.plugin_utils import id_memory
from ansible_collections.runcloud.cloud.plugins.plugin_utils.action import ActionModule
from ansible_collections.runcloud.cloud.plugins.plugin_utils.id_memory import IdMemory, MemoryUnavailable, account_key

ACCOUNT = 'account'
linux_only = pytest.mark.skipif(not sys.platform.startswith('linux'), reason='the keeper tests watch processes through /proc')


def known(memory, *keys):
    return dict(((kind, server_id, name), value) for kind, server_id, name, value in memory.lookup(ACCOUNT, keys))


def present(kind, name, ident, server_id=None):
    return dict(kind=kind, server_id=server_id, name=name, id=ident, state='present')


WEB_01 = ('server', None, 'web-01')
WEB_02 = ('server', None, 'web-02')


def test_found_and_created_resources_are_remembered_by_kind_server_and_name():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('server', 'web-01', 7), present('system_user', 'shop', 70, server_id=7)])
    assert known(memory, WEB_01, ('system_user', 7, 'shop'), ('system_user', 8, 'shop')) == {WEB_01: 7, ('system_user', 7, 'shop'): 70}
    assert memory.lookup('another account', [WEB_01]) == []


def test_a_rename_replaces_the_old_name():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('server', 'web-01', 7)])
    memory.apply(ACCOUNT, [present('server', 'web-02', 7)])
    assert known(memory, WEB_01, WEB_02) == {WEB_02: 7}
    assert len(memory) == 1


def test_a_name_given_to_another_id_leaves_no_trace_of_the_first():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('server', 'web-01', 7)])
    memory.apply(ACCOUNT, [present('server', 'web-01', 9)])
    # The rename of 7 must not drop the name that now belongs to 9.
    memory.apply(ACCOUNT, [present('server', 'web-01-old', 7)])
    assert known(memory, WEB_01, ('server', None, 'web-01-old')) == {WEB_01: 9, ('server', None, 'web-01-old'): 7}


def test_a_deleted_server_takes_what_was_on_it():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('server', 'web-01', 7), present('web_app', 'shop', 71, server_id=7),
                           present('server', 'web-02', 8), present('web_app', 'shop', 81, server_id=8)])
    memory.apply(ACCOUNT, [dict(kind='server', server_id=None, name='web-01', id=7, state='absent')])
    assert known(memory, WEB_01, WEB_02, ('web_app', 7, 'shop'), ('web_app', 8, 'shop')) == {WEB_02: 8, ('web_app', 8, 'shop'): 81}
    assert len(memory) == 2 and len(memory.names) == 2 and len(memory.on_server) == 1


def test_absent_without_id_and_forget_drop_the_name():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('database', 'db', 5, server_id=7), present('database', 'other', 6, server_id=7)])
    memory.apply(ACCOUNT, [dict(kind='database', server_id=7, name='db', id=None, state='absent'),
                           dict(kind='database', server_id=7, name='other', state='forget')])
    assert known(memory, ('database', 7, 'db'), ('database', 7, 'other')) == {}
    assert (len(memory), memory.names, memory.on_server) == (0, {}, {})


def test_a_prediction_is_remembered_without_id_and_a_real_id_replaces_it():
    memory = IdMemory()
    memory.apply(ACCOUNT, [dict(kind='server', server_id=None, name='new', id=None, state='predicted')])
    assert known(memory, ('server', None, 'new')) == {('server', None, 'new'): None}
    memory.apply(ACCOUNT, [present('server', 'new', 9)])
    assert known(memory, ('server', None, 'new')) == {('server', None, 'new'): 9}


def test_changes_of_another_shape_are_ignored():
    memory = IdMemory()
    memory.apply(ACCOUNT, [present('server', 'web-01', '7'), present('server', 'web-01', True), present(['server'], 'web-01', 7),
                           present('server', 'x' * (id_memory.MAX_NAME + 1), 7), dict(present('server', 'web-01', 7), state='maybe'),
                           present('web_app', 'shop', 71, server_id='7')])
    assert len(memory) == 0


def test_a_full_memory_keeps_what_it_has_and_remembers_nothing_new():
    memory = IdMemory(max_entries=2)
    memory.apply(ACCOUNT, [present('server', 'a', 1), present('server', 'b', 2), present('server', 'c', 3)])
    assert len(memory) == 2 and known(memory, ('server', None, 'c')) == {}
    memory.apply(ACCOUNT, [present('server', 'a', 4), present('server', 'b2', 2)])
    assert known(memory, ('server', None, 'a'), ('server', None, 'b2')) == {('server', None, 'a'): 4, ('server', None, 'b2'): 2}


def test_the_account_key_is_salted_and_holds_no_secret():
    first = account_key('salt-1', 'https://api.example.test/api/v2', 'token:very-secret-token')
    assert 'very-secret' not in first and len(first) == 64
    assert first != account_key('salt-2', 'https://api.example.test/api/v2', 'token:very-secret-token')
    assert first != account_key('salt-1', 'https://other.example.test/api/v2', 'token:very-secret-token')
    assert first != account_key('salt-1', 'https://api.example.test/api/v2', 'token:another-token')


# -- the keeper process ----------------------------------------------------------------------------

class Run:
    """A process that plays the ansible-playbook process of a run, and the address of its keeper."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
        self.pid = self.process.pid
        self.address = id_memory.address_for(self.pid, id_memory.process_start_time(self.pid))

    def end(self, reap=True):
        self.process.kill()
        if reap:
            self.process.wait()


@pytest.fixture(name='run')
def fixture_run():
    run = Run()
    yield run
    run.end()


def wait_until_gone(address, limit):
    """Seconds until nothing answers on ``address`` any more; fails after ``limit``."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            id_memory._connect(address).close()
        except (OSError, MemoryUnavailable):
            return time.monotonic() - started
        time.sleep(0.02)
    pytest.fail('the keeper still answers %.1fs after the run ended' % limit)


@linux_only
def test_the_keeper_serves_every_task_of_a_run_and_ends_with_the_run(run):
    first = id_memory.connect(run.pid)
    first.apply(ACCOUNT, [present('server', 'web-01', 7)] + [present('server', 'other-%d' % n, 100 + n) for n in range(40)])
    first.close()
    second = id_memory.connect(run.pid)
    assert second.lookup(ACCOUNT, [WEB_01, WEB_02]) == {WEB_01: 7}
    assert second.lookup(ACCOUNT, [('server', None, 'other-%d' % n) for n in range(40)])[('server', None, 'other-39')] == 139
    assert second.salt == first.salt
    second.close()
    run.end()
    assert wait_until_gone(run.address, 5) < 1.0


@linux_only
def test_the_keeper_ends_within_a_second_of_a_run_that_ended_but_was_not_reaped(run):
    id_memory.connect(run.pid).close()
    # Not waited for: the run stays a zombie of this process until the fixture reaps it.
    run.end(reap=False)
    assert wait_until_gone(run.address, 5) < 1.0
    assert os.path.exists('/proc/%d' % run.pid)


@linux_only
def test_the_keeper_drops_a_line_longer_than_a_message_and_serves_on(run):
    id_memory.connect(run.pid).close()
    flood = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    flood.settimeout(5)
    flood.connect(run.address)
    chunk = b'x' * 65536
    with pytest.raises(OSError):
        for dummy in range(id_memory.MAX_MESSAGE // len(chunk) + 64):
            flood.sendall(chunk)
    flood.close()
    raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    raw.settimeout(5)
    raw.connect(run.address)
    stream = raw.makefile('rwb')
    for request in (b'[1, 2]\n', b'not json\n', b'{"op": "lookup", "account": "a", "keys": [[1, 2, 3]]}\n',
                    b'{"op": "apply", "account": "a", "changes": 5}\n', b'{"op": "drop"}\n'):
        stream.write(request)
        stream.flush()
        assert 'error' in json.loads(stream.readline().decode('utf-8'))
    raw.close()
    client = id_memory.connect(run.pid)
    client.apply(ACCOUNT, [present('server', 'web-01', 7)])
    assert client.lookup(ACCOUNT, [WEB_01]) == {WEB_01: 7}
    client.close()


# -- a keeper that answers something else ------------------------------------------------------------

def client_of(answers):
    """A MemoryClient talking to a stand-in that sends the canned ``answers`` (bytes) one per request."""
    ours, theirs = socket.socketpair()
    ours.settimeout(2)

    def serve():
        stream = theirs.makefile('rwb')
        for canned in answers:
            if not stream.readline():
                break
            stream.write(canned)
            stream.flush()
        theirs.close()

    threading.Thread(target=serve, daemon=True).start()
    return id_memory.MemoryClient(ours)


HELLO = json.dumps(dict(protocol=id_memory.PROTOCOL, salt='0' * 32)).encode('utf-8') + b'\n'


@pytest.mark.parametrize('hello', [
    b'{"protocol": 2, "salt": 5}\n', b'{"protocol": "2", "salt": "00000000000000000000000000000000"}\n',
    b'{"protocol": 1, "salt": "00000000000000000000000000000000"}\n', b'5\n', b'[]\n', b'\xff\n', b'{"protocol"\n',
    b'{"error": "no"}\n', b'', b'{"protocol": 2, "salt": "' + b'0' * id_memory.MAX_MESSAGE + b'"}\n', b'[' * 100000 + b'\n',
])
def test_a_hello_of_another_shape_means_no_memory(hello):
    with pytest.raises(MemoryUnavailable):
        client_of([hello])


@pytest.mark.parametrize('found', [
    b'{"found": 5}\n', b'{"found": [["server", null, "web-02", 9]]}\n', b'{"found": [["server", null, "web-01", "7"]]}\n',
    b'{"found": [["server", null, "web-01"]]}\n', b'{"found": [[["server"], null, "web-01", 7]]}\n', b'{}\n', b'',
])
def test_a_lookup_answer_of_another_shape_means_no_memory(found):
    client = client_of([HELLO, found])
    with pytest.raises(MemoryUnavailable):
        client.lookup(ACCOUNT, [WEB_01])


def test_an_unconfirmed_change_means_no_memory():
    client = client_of([HELLO, b'{"ok": 1}\n'])
    with pytest.raises(MemoryUnavailable):
        client.apply(ACCOUNT, [present('server', 'web-01', 7)])


def test_a_message_longer_than_the_keeper_reads_is_not_sent():
    client = client_of([HELLO])
    with pytest.raises(MemoryUnavailable):
        client.lookup('x' * id_memory.MAX_MESSAGE, [WEB_01])


@linux_only
def test_a_stranger_on_the_address_of_the_run_means_no_memory_not_a_failed_task(run):
    # What a keeper of another protocol (or anything else on its address) does to a task: it runs without memory.
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(run.address)
        listener.listen(1)

        def answer_once():
            connection, _address = listener.accept()
            connection.makefile('rb').readline()
            connection.sendall(b'{"protocol": 2, "salt": 5}\n')
            connection.close()

        threading.Thread(target=answer_once, daemon=True).start()
        with pytest.raises(MemoryUnavailable):
            id_memory.connect(run.pid)
    finally:
        listener.close()


def test_the_action_plugin_runs_on_when_the_memory_is_unavailable():
    def lost():
        raise MemoryUnavailable('the keeper closed the connection')

    assert ActionModule._guarded(object(), lost, 'the default') == 'the default'

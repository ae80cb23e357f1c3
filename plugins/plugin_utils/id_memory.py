# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the action plugin remembers between the tasks of one playbook run: the ids of servers and of
the resources other modules name as parents (web applications, system users, databases, database
users), and what check mode only predicted.

Ansible runs every task in a worker process forked for it, so nothing a task keeps in memory reaches
the next one. The first task that needs the memory starts a small keeper process; later tasks talk to
it over a Unix socket. The keeper holds everything in RAM only and ends when the ``ansible-playbook``
(or ``ansible``) process that started the run ends. On Linux the socket lives in the abstract
namespace (no file at all) and both sides check that the other end runs as the same user; elsewhere
it is a socket file in a directory only the user may enter.

Nothing here may import Ansible: the keeper runs this file as a script with the bare interpreter.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import hashlib
import json
import os
import socket
import stat
import struct
import sys
import tempfile
import threading
import time

PROTOCOL = 1
# How often the keeper checks that the run it belongs to is still going.
WATCH_INTERVAL = 0.5
# How long a task waits for a keeper that another task of the same moment is starting.
CONNECT_PATIENCE = 2.0
SOCKET_TIMEOUT = 5.0


class IdMemory:
    """Ids by account, kind, server and name.

    An entry is keyed ``(kind, server_id, name)``: ``server_id`` is None for servers, the server's id
    for everything that lives on a server. Its value is an id, or None for a resource that check
    mode only predicted (created by an earlier task of a check run).
    """

    def __init__(self):
        self.accounts = {}

    def entries(self, account):
        return [[kind, server_id, name, value] for (kind, server_id, name), value in self.accounts.get(account, {}).items()]

    def apply(self, account, changes):
        """Apply what a task reported: ``{'state': present|predicted|absent|forget, 'kind', 'server_id', 'name', 'id'}``."""
        known = self.accounts.setdefault(account, {})
        for change in changes:
            kind, server_id, name = change.get('kind'), change.get('server_id'), change.get('name')
            state, ident = change.get('state'), change.get('id')
            key = (kind, server_id, name)
            if state == 'present' and ident is not None:
                # One id has one name: a rename drops the old one.
                self._drop(known, lambda k, v: k[0] == kind and k[1] == server_id and v == ident)
                if name is not None:
                    known[key] = ident
            elif state == 'predicted' and name is not None:
                known[key] = None
            elif state in ('absent', 'forget'):
                known.pop(key, None)
                if state == 'absent' and ident is not None:
                    self._drop(known, lambda k, v: k[0] == kind and k[1] == server_id and v == ident)
                    if kind == 'server':
                        # Everything on a deleted server went with it.
                        self._drop(known, lambda k, v: k[1] == ident)

    @staticmethod
    def _drop(known, condition):
        for key in [key for key, value in known.items() if condition(key, value)]:
            del known[key]


def account_key(salt, api_url, credential):
    """The memory's key for one API endpoint and credential: a salted hash, never the secret itself.
    The salt is random per run, so the key says nothing outside it."""
    digest = hashlib.sha256()
    for part in (salt, api_url, credential):
        digest.update(part.encode('utf-8'))
        digest.update(b'\0')
    return digest.hexdigest()


# -- where the keeper listens ----------------------------------------------------------------------

def process_start_time(pid):
    """A token that tells one process from a later one with the same pid ('' where unknown)."""
    try:
        with open('/proc/%d/stat' % pid) as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
        return fields[19]
    except (IOError, OSError, IndexError):
        return ''


def run_is_alive(pid, start_time):
    try:
        os.kill(pid, 0)
    except OSError as error:
        if error.errno != errno.EPERM:
            return False
    return process_start_time(pid) == start_time


def uses_abstract_namespace():
    return sys.platform.startswith('linux')


def address_for(run_pid, start_time):
    name = 'runcloud.cloud-ids-%d-%d-%s' % (os.getuid(), run_pid, start_time or '0')
    if uses_abstract_namespace():
        return '\0' + name
    directory = os.path.join(tempfile.gettempdir(), 'runcloud.cloud-%d' % os.getuid())
    try:
        os.mkdir(directory, 0o700)
    except OSError as error:
        if error.errno != errno.EEXIST:
            raise
    info = os.lstat(directory)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise OSError(errno.EPERM, 'unsafe directory for the id memory socket: %s' % directory)
    return os.path.join(directory, name + '.sock')


def peer_is_same_user(connection):
    """Whether the other end of a Unix socket runs as this user. Where the system cannot tell, the
    socket's private directory is the protection."""
    if not hasattr(socket, 'SO_PEERCRED'):
        return True
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize('3i'))
    _pid, uid, _gid = struct.unpack('3i', credentials)
    return uid == os.getuid()


# -- the keeper ------------------------------------------------------------------------------------

class Keeper:
    def __init__(self, listener, run_pid, start_time, address):
        self.listener = listener
        self.run_pid = run_pid
        self.start_time = start_time
        self.address = address
        self.memory = IdMemory()
        self.salt = os.urandom(16).hex()
        self.lock = threading.Lock()

    def serve(self):
        watcher = threading.Thread(target=self.watch)
        watcher.daemon = True
        watcher.start()
        while True:
            connection, _address = self.listener.accept()
            worker = threading.Thread(target=self.talk, args=(connection,))
            worker.daemon = True
            worker.start()

    def watch(self):
        while run_is_alive(self.run_pid, self.start_time):
            time.sleep(WATCH_INTERVAL)
        if not self.address.startswith('\0'):
            try:
                os.unlink(self.address)
            except OSError:
                pass
        os._exit(0)

    def talk(self, connection):
        try:
            if not peer_is_same_user(connection):
                return
            stream = connection.makefile('rwb')
            for line in stream:
                stream.write(json.dumps(self.answer(json.loads(line.decode('utf-8')))).encode('utf-8') + b'\n')
                stream.flush()
        except (OSError, ValueError):
            pass
        finally:
            connection.close()

    def answer(self, request):
        operation = request.get('op')
        with self.lock:
            if operation == 'hello':
                return dict(protocol=PROTOCOL, salt=self.salt)
            if operation == 'read':
                return dict(entries=self.memory.entries(request['account']))
            if operation == 'apply':
                self.memory.apply(request['account'], request.get('changes') or [])
                return dict(ok=True)
        return dict(error='unknown operation')


def keeper_main(argv):
    """``python id_memory.py FD RUN_PID START_TIME ADDRESS``: serve on the inherited listening socket."""
    fd, run_pid, start_time, address = int(argv[1]), int(argv[2]), argv[3], argv[4]
    if address.startswith('@'):
        address = '\0' + address[1:]
    listener = socket.socket(fileno=fd)
    Keeper(listener, run_pid, start_time if start_time != '-' else '', address).serve()


# -- a task's side ---------------------------------------------------------------------------------

class MemoryClient:
    """One task's connection to the keeper of its run."""

    def __init__(self, connection):
        self.connection = connection
        self.stream = connection.makefile('rwb')
        hello = self.call('hello')
        if hello.get('protocol') != PROTOCOL:
            raise OSError(errno.EPROTO, 'id memory protocol mismatch')
        self.salt = hello['salt']

    def call(self, operation, **fields):
        fields['op'] = operation
        self.stream.write(json.dumps(fields).encode('utf-8') + b'\n')
        self.stream.flush()
        line = self.stream.readline()
        if not line:
            raise OSError(errno.ECONNRESET, 'the id memory keeper closed the connection')
        return json.loads(line.decode('utf-8'))

    def read(self, account):
        return self.call('read', account=account)['entries']

    def apply(self, account, changes):
        if changes:
            self.call('apply', account=account, changes=changes)

    def close(self):
        try:
            self.stream.close()
        finally:
            self.connection.close()


def _connect(address):
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(SOCKET_TIMEOUT)
    try:
        connection.connect(address)
        if not peer_is_same_user(connection):
            raise OSError(errno.EPERM, 'the id memory socket belongs to another user')
    except Exception:
        connection.close()
        raise
    return MemoryClient(connection)


def _start_keeper(address, run_pid, start_time):
    """Bind the address (only one task of a run wins) and hand the socket to a new keeper process.
    Returns False when another task bound it first."""
    import subprocess
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(address)
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            return False
        raise
    try:
        if not address.startswith('\0'):
            os.chmod(address, 0o600)
        listener.listen(64)
        with open(os.devnull, 'r+b') as devnull:
            subprocess.Popen(
                [sys.executable, '-I', '-S', os.path.abspath(__file__), str(listener.fileno()), str(run_pid), start_time or '-',
                 '@' + address[1:] if address.startswith('\0') else address],
                pass_fds=(listener.fileno(),), stdin=devnull, stdout=devnull, stderr=devnull, close_fds=True,
                start_new_session=True, cwd='/')
    finally:
        listener.close()
    return True


def connect(run_pid):
    """A client for the keeper of the run with process id ``run_pid``, started if there is none yet."""
    start_time = process_start_time(run_pid)
    address = address_for(run_pid, start_time)
    try:
        return _connect(address)
    except (OSError, socket.error) as error:
        if error.errno not in (errno.ECONNREFUSED, errno.ENOENT):
            raise
    if not address.startswith('\0'):
        try:
            # A file left by a keeper that was killed: nobody listens on it any more.
            os.unlink(address)
        except OSError:
            pass
    _start_keeper(address, run_pid, start_time)
    deadline = time.monotonic() + CONNECT_PATIENCE
    while True:
        try:
            return _connect(address)
        except (OSError, socket.error) as error:
            if error.errno not in (errno.ECONNREFUSED, errno.ENOENT) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


if __name__ == '__main__':
    keeper_main(sys.argv)

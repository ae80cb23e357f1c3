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

PROTOCOL = 2
# How often the keeper checks that the run it belongs to is still going.
WATCH_INTERVAL = 0.5
# How long a task waits for a keeper that another task of the same moment is starting.
CONNECT_PATIENCE = 2.0
SOCKET_TIMEOUT = 2.0
# The longest request or answer (one JSON line). A task sends a handful of names (at most MAX_KEYS, each
# at most MAX_NAME characters); a longer line is not from a task of the run, and the keeper drops the
# connection after reading that much of it.
MAX_MESSAGE = 512 * 1024
MAX_KEYS = 16
MAX_NAME = 4096
# Names remembered by one run at most; beyond that new names are not remembered (only looked up again).
MAX_ENTRIES = 250000
STATES = frozenset(['present', 'predicted', 'absent', 'forget'])


class MemoryUnavailable(Exception):
    """The keeper cannot be reached, or answered something other than the protocol: the task runs
    without memory (names are looked up), it never fails for it."""


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


def valid_key(kind, server_id, name):
    """Whether ``(kind, server_id, name)`` has the shape of a key of the memory."""
    return (isinstance(kind, str) and 0 < len(kind) <= 64 and (server_id is None or _is_id(server_id))
            and isinstance(name, str) and len(name) <= MAX_NAME)


class IdMemory:
    """Ids by account, kind, server and name.

    An entry is keyed ``(account, kind, server_id, name)``: ``server_id`` is None for servers, the
    server's id for everything that lives on a server. Its value is an id, or None for a resource that
    check mode only predicted (created by an earlier task of a check run). Two indexes make every
    operation cost what it touches, never the size of the memory: the names of each id (a rename drops
    the old name) and the entries on each server (a deleted server takes them with it).
    """

    def __init__(self, max_entries=MAX_ENTRIES):
        self.max_entries = max_entries
        self.ids = {}
        # (account, kind, server_id, id) -> names with that id
        self.names = {}
        # (account, server_id) -> keys of the entries on that server
        self.on_server = {}

    def __len__(self):
        return len(self.ids)

    def lookup(self, account, keys):
        """``[[kind, server_id, name, id], ...]`` of the ``keys`` (``(kind, server_id, name)``) remembered."""
        found = []
        for kind, server_id, name in keys:
            key = (account, kind, server_id, name)
            if key in self.ids:
                found.append([kind, server_id, name, self.ids[key]])
        return found

    def apply(self, account, changes):
        """Apply what a task reported: ``{'state': present|predicted|absent|forget, 'kind', 'server_id', 'name', 'id'}``."""
        for change in changes:
            kind, server_id, name = change.get('kind'), change.get('server_id'), change.get('name')
            state, ident = change.get('state'), change.get('id')
            if (state not in STATES or (ident is not None and not _is_id(ident))
                    or not valid_key(kind, server_id, '' if name is None else name)):
                continue
            key = (account, kind, server_id, name)
            if state == 'present' and ident is not None:
                # One id has one name: a rename drops the old one.
                self._drop_names_of(account, kind, server_id, ident)
                if name is not None:
                    self._set(key, ident)
            elif state == 'predicted' and name is not None:
                self._set(key, None)
            elif state in ('absent', 'forget'):
                self._remove(key)
                if state == 'absent' and ident is not None:
                    self._drop_names_of(account, kind, server_id, ident)
                    if kind == 'server':
                        # Everything on a deleted server went with it.
                        for on_it in list(self.on_server.get((account, ident), ())):
                            self._remove(on_it)

    def _drop_names_of(self, account, kind, server_id, ident):
        for name in list(self.names.get((account, kind, server_id, ident), ())):
            self._remove((account, kind, server_id, name))

    def _set(self, key, value):
        if key in self.ids:
            self._remove(key)
        elif len(self.ids) >= self.max_entries:
            return
        account, kind, server_id, name = key
        self.ids[key] = value
        if value is not None:
            self.names.setdefault((account, kind, server_id, value), set()).add(name)
        if server_id is not None:
            self.on_server.setdefault((account, server_id), set()).add(key)

    def _remove(self, key):
        if key not in self.ids:
            return
        value = self.ids.pop(key)
        account, kind, server_id, name = key
        if value is not None:
            _discard(self.names, (account, kind, server_id, value), name)
        if server_id is not None:
            _discard(self.on_server, (account, server_id), key)


def _discard(index, slot, member):
    members = index.get(slot)
    if members is not None:
        members.discard(member)
        if not members:
            del index[slot]


def account_key(salt, api_url, credential):
    """The memory's key for one API endpoint and credential: a salted hash, never the secret itself.
    The salt is random per run, so the key says nothing outside it."""
    digest = hashlib.sha256()
    for part in (salt, api_url, credential):
        digest.update(part.encode('utf-8'))
        digest.update(b'\0')
    return digest.hexdigest()


# -- where the keeper listens ----------------------------------------------------------------------

def _process_stat(pid):
    """(state, start time) of a process from /proc ('', '' where unknown): the start time tells one
    process from a later one with the same pid, the state an ended one its parent has not reaped yet."""
    try:
        with open('/proc/%d/stat' % pid) as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
        return fields[0], fields[19]
    except (IOError, OSError, IndexError):
        return '', ''


def process_start_time(pid):
    """A token that tells one process from a later one with the same pid ('' where unknown)."""
    return _process_stat(pid)[1]


def run_is_alive(pid, start_time):
    try:
        os.kill(pid, 0)
    except OSError as error:
        if error.errno != errno.EPERM:
            return False
    state, started = _process_stat(pid)
    # A zombie (Z, or X while it goes) has ended: whether its parent reaps it soon does not matter.
    return state not in ('Z', 'X', 'x') and started == start_time


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
            try:
                connection, _address = self.listener.accept()
            except OSError:
                # Out of file descriptors for a moment: the tasks waiting retry or go without memory.
                time.sleep(0.05)
                continue
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
            while True:
                line = stream.readline(MAX_MESSAGE + 1)
                if not line.endswith(b'\n'):
                    # The end of the connection, or a line longer than any task sends: not read further.
                    return
                stream.write(json.dumps(self.answer(line)).encode('utf-8') + b'\n')
                stream.flush()
        except Exception:  # pylint: disable=broad-except
            # Whatever a client sends costs it its connection, never the keeper.
            pass
        finally:
            connection.close()

    def answer(self, line):
        try:
            request = json.loads(line.decode('utf-8'))
        except (ValueError, RecursionError):
            return dict(error='not a JSON line')
        if not isinstance(request, dict):
            return dict(error='not a request')
        operation = request.get('op')
        if operation == 'hello':
            return dict(protocol=PROTOCOL, salt=self.salt)
        account = request.get('account')
        if not isinstance(account, str) or len(account) > 128:
            return dict(error='no account')
        if operation == 'lookup':
            keys = request.get('keys')
            if (not isinstance(keys, list) or len(keys) > MAX_KEYS
                    or not all(isinstance(key, list) and len(key) == 3 and valid_key(*key) for key in keys)):
                return dict(error='keys must be at most %d [kind, server id, name]' % MAX_KEYS)
            with self.lock:
                return dict(found=self.memory.lookup(account, keys))
        if operation == 'apply':
            changes = request.get('changes')
            if not isinstance(changes, list) or len(changes) > MAX_KEYS or not all(isinstance(change, dict) for change in changes):
                return dict(error='changes must be at most %d objects' % MAX_KEYS)
            with self.lock:
                self.memory.apply(account, changes)
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
    """One task's connection to the keeper of its run. Anything but an answer of the protocol raises
    MemoryUnavailable."""

    def __init__(self, connection):
        self.connection = connection
        self.stream = connection.makefile('rwb')
        hello = self.call('hello')
        if not _is_id(hello.get('protocol')) or hello['protocol'] != PROTOCOL:
            raise MemoryUnavailable('the keeper speaks another protocol (%r)' % (hello.get('protocol'),))
        salt = hello.get('salt')
        if not isinstance(salt, str) or len(salt) != 32 or salt.strip('0123456789abcdef'):
            raise MemoryUnavailable('the keeper sent no usable salt')
        self.salt = salt

    def call(self, operation, **fields):
        fields['op'] = operation
        try:
            message = json.dumps(fields).encode('utf-8') + b'\n'
        except (TypeError, ValueError) as error:
            raise MemoryUnavailable('a %s that cannot be sent (%s)' % (operation, error))
        if len(message) > MAX_MESSAGE:
            raise MemoryUnavailable('a %s of %d bytes is longer than the keeper reads' % (operation, len(message)))
        try:
            self.stream.write(message)
            self.stream.flush()
            line = self.stream.readline(MAX_MESSAGE + 1)
        except (OSError, ValueError) as error:
            raise MemoryUnavailable('no answer from the keeper (%s)' % error)
        if not line:
            raise MemoryUnavailable('the keeper closed the connection')
        if not line.endswith(b'\n'):
            raise MemoryUnavailable('an answer longer than %d bytes' % MAX_MESSAGE)
        try:
            answer = json.loads(line.decode('utf-8'))
        except (ValueError, RecursionError):
            raise MemoryUnavailable('an answer that is not JSON')
        if not isinstance(answer, dict):
            raise MemoryUnavailable('an answer that is not an object')
        if 'error' in answer:
            raise MemoryUnavailable('the keeper refused the %s: %s' % (operation, str(answer['error'])[:200]))
        return answer

    def lookup(self, account, keys):
        """``{(kind, server_id, name): id or None}`` of the ``keys`` the run remembers."""
        keys = [tuple(key) for key in keys]
        found = {}
        for start in range(0, len(keys), MAX_KEYS):
            chunk = keys[start:start + MAX_KEYS]
            entries = self.call('lookup', account=account, keys=[list(key) for key in chunk]).get('found')
            if not isinstance(entries, list):
                raise MemoryUnavailable('a lookup answer without entries')
            for entry in entries:
                if not (isinstance(entry, list) and len(entry) == 4 and tuple(entry[:3]) in chunk
                        and (entry[3] is None or _is_id(entry[3]))):
                    raise MemoryUnavailable('a lookup answer with an entry that was not asked for: %.200r' % (entry,))
                found[tuple(entry[:3])] = entry[3]
        return found

    def apply(self, account, changes):
        for start in range(0, len(changes), MAX_KEYS):
            if self.call('apply', account=account, changes=changes[start:start + MAX_KEYS]).get('ok') is not True:
                raise MemoryUnavailable('the keeper did not confirm the change')

    def close(self):
        try:
            self.stream.close()
        except (OSError, ValueError):
            pass
        finally:
            self.connection.close()


def _connect(address):
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(SOCKET_TIMEOUT)
    try:
        connection.connect(address)
        if not peer_is_same_user(connection):
            raise OSError(errno.EPERM, 'the id memory socket belongs to another user')
        return MemoryClient(connection)
    except BaseException:
        connection.close()
        raise


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
    """A client for the keeper of the run with process id ``run_pid``, started if there is none yet.
    Raises MemoryUnavailable when there is none to be had."""
    try:
        return _connect_or_start(run_pid)
    except (OSError, ValueError) as error:
        raise MemoryUnavailable(str(error))


def _connect_or_start(run_pid):
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

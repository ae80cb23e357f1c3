# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin in front of every module of the collection (plugins/action/server.py, routed to
every other module in meta/runtime.yml).

1. Names of parents resolved once per playbook run: the ids that tasks found or created (servers,
   and the web applications, system users, databases and database users on them) are remembered
   on the controller per API endpoint and credential, and later tasks get the id instead of the name.
   Check mode remembers what it only predicted, so a later task reads nothing below it, and a parent
   that nobody predicted fails the check run like the real run. See plugin_utils/id_memory.py.
2. Cheaper tasks: with a local connection and no become the module's code runs in the task's worker
   process instead of a new Python (plugin_utils/controller_run.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import multiprocessing
import os

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import PARENT_OPTIONS
from ansible_collections.runcloud.cloud.plugins.module_utils.client import choose_credentials, credentials_in_environment
from ansible_collections.runcloud.cloud.plugins.module_utils.module import api_url_in_use, is_id
from ansible_collections.runcloud.cloud.plugins.plugin_utils import controller_run, id_memory

display = Display()

# Servers are keyed by name alone, everything else by the server's id and its name
# (PARENT_OPTIONS, from the catalogue, names the options and the kinds).
REMEMBERED_KINDS = frozenset(kind for _option, kind in PARENT_OPTIONS)


def present(value):
    return value is not None and str(value).strip() != ''


def memory_scope(args, environment):
    """(api_url, credential) the module will use with the task options ``args`` in ``environment``,
    which keys the memory, or None when the controller cannot tell (the module reports any conflict)."""
    api_url = api_url_in_use(args, environment)
    try:
        token, key, secret = choose_credentials(args, credentials_in_environment(environment))
    except Exception:  # pylint: disable=broad-except
        return None
    if api_url is None:
        return None
    if token:
        return api_url, 'token:%s' % token
    if key and secret:
        return api_url, 'basic:%s:%s' % (key, secret)
    return None


class Memory:
    """One task's view of what the run remembers for one account: it asks the keeper only for the
    names the task gives and tells it only what the task learnt."""

    def __init__(self, client, account, check_mode):
        self.client = client
        self.account = account
        self.check_mode = check_mode

    def keeper(self):
        """The keeper's client and the task's account in it; RunMemory connects here, on first use."""
        return self.client, self.account

    def lookup(self, keys):
        client, account = self.keeper()
        return client.lookup(account, keys)

    def apply(self, changes):
        if changes:
            client, account = self.keeper()
            client.apply(account, changes)

    def close(self):
        if self.client is not None:
            self.client.close()

    def substitute(self, args):
        """Give the module the remembered ids of parents named in ``args`` (in place, as ``parent_ids``:
        the names stay, for messages and results) and add the parents check mode only predicted to
        ``predicted_parents``. Returns the keys that were used."""
        used = []
        predicted = []
        ids = {}
        server = args.get('server')
        server_id = int(server) if present(server) and is_id(server) else None
        if present(server) and not is_id(server):
            # Everything else is keyed by the server's id: the server first.
            keys = [('server', ('server', None, str(server)))]
            found = self.lookup([keys[0][1]])
            server_id = self._use(keys, found, ids, used, predicted).get('server')
        if server_id is not None:
            keys = [(option, (kind, server_id, str(args[option]))) for option, kind in PARENT_OPTIONS
                    if kind != 'server' and present(args.get(option)) and not is_id(args[option])]
            found = self.lookup(sorted(set(key for _option, key in keys))) if keys else {}
            self._use(keys, found, ids, used, predicted)
        if ids:
            args['parent_ids'] = ids
        if predicted:
            args['predicted_parents'] = sorted(set(list(args.get('predicted_parents') or []) + predicted))
        return used

    def _use(self, keys, found, ids, used, predicted):
        """Take the remembered ids of ``keys`` (``[(option, key)]``) from ``found`` into ``ids`` and ``used``;
        a prediction only into ``predicted``, and only in check mode: it exists in a check run's future,
        never in a real run."""
        for option, key in keys:
            if key not in found:
                continue
            if found[key] is None:
                if self.check_mode:
                    predicted.append(key[0])
                continue
            ids[option] = found[key]
            used.append(key)
        return ids

    def forget(self, keys):
        self.apply([dict(kind=kind, server_id=server_id, name=name, state='forget') for kind, server_id, name in keys])

    def learn(self, result):
        entries = result.get('resolved')
        if not isinstance(entries, list):
            return
        fields = ('kind', 'server_id', 'name', 'id', 'state')
        changes = [dict((field, entry.get(field)) for field in fields) for entry in entries
                   if isinstance(entry, dict) and entry.get('kind') in REMEMBERED_KINDS
                   and (entry.get('kind') == 'server' or entry.get('server_id') is not None)]
        self.apply(changes)


class RunMemory(Memory):
    """The memory of the running playbook, for the account ``scope`` ((api_url, credential)), connected to
    the run's keeper only when the task has something to ask or to tell: a task whose parents are all
    ids and that learns nothing (a fleet's tasks, parents from the inventory) costs no connection."""

    def __init__(self, run_pid, scope, check_mode):
        super(RunMemory, self).__init__(None, None, check_mode)
        self.run_pid = run_pid
        self.scope = scope
        self.failure = None

    def keeper(self):
        if self.failure is not None:
            # Tried once for this task: a keeper that cannot be had is not waited for again.
            raise self.failure
        if self.client is None:
            try:
                self.client = id_memory.connect(self.run_pid)
            except id_memory.MemoryUnavailable as error:
                self.failure = error
                raise
            self.account = id_memory.account_key(self.client.salt, *self.scope)
        return self.client, self.account


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp

        args = dict(self._task.args)
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        local = self._connection_is_local()
        # The module's name is resolved once per task (a plugin loader search): None when it runs as a process.
        module_name = self._module_name()
        on_controller = (local and not wrap_async and not self._task.async_val and not self._play_context.become
                         and self._run_on_controller_option(args) and controller_run.interpreter_is_controller(self._task_interpreter(task_vars))
                         and controller_run.module_short_name(module_name) is not None
                         and controller_run.requests_available())
        in_worker = module_name if on_controller else None
        memory = self._memory(args, local) if self._option(args, 'resolve_cache') else None

        original = dict(args)
        used = self._guarded(memory, lambda: memory.substitute(args), [])
        module_result = self._run_module(args, task_vars, in_worker, wrap_async)
        if used and module_result.get('stale_parent_ids') and not module_result.get('changed'):
            # A remembered id the API no longer knows, or that names another object now (changed outside
            # the play; module.RememberedParents): by name, once, whatever the module made of it.
            display.vvv('runcloud.cloud: %s; resolving %s by name again' % (module_result.get('msg'), ', '.join(key[0] for key in used)))
            self._guarded(memory, lambda: memory.forget(used), None)
            if 'predicted_parents' in args:
                original['predicted_parents'] = args['predicted_parents']
            module_result = self._run_module(original, task_vars, in_worker, wrap_async)
        self._guarded(memory, lambda: memory.learn(module_result), None)
        if memory is not None:
            memory.close()

        result = merge_hash(result, module_result)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    # -- running the module ------------------------------------------------------------------------

    def _module_name(self):
        """The module's full name (``resolved_action`` names this action plugin)."""
        context = self._shared_loader_obj.module_loader.find_plugin_with_context(self._task.action, collection_list=self._task.collections)
        return context.resolved_fqcn if context.resolved else self._task.action

    def _run_module(self, args, task_vars, in_worker, wrap_async):
        """Run the module: in this worker when ``in_worker`` is its full name, else as a module process."""
        if in_worker:
            display.vvv('runcloud.cloud: running %s in the controller process' % in_worker)
            return controller_run.execute_in_worker(self, controller_run.module_short_name(in_worker), args, task_vars)
        return self._execute_module(module_name=self._task.action, module_args=args, task_vars=task_vars, wrap_async=wrap_async)

    def _vars_of_the_target(self, task_vars):
        """The variables of the host the module runs on (the delegated host, as ``_configure_module`` does)."""
        if self._task.delegate_to:
            delegated = (task_vars.get('ansible_delegated_vars') or {}).get(self._task.delegate_to)
            if delegated is not None:
                return delegated
        return task_vars

    def _task_interpreter(self, task_vars):
        """The task's ``ansible_python_interpreter``, templated as Ansible templates it for a module
        process (``{{ ansible_playbook_python }}``); None when unset, the raw value when it cannot be."""
        interpreter = self._vars_of_the_target(task_vars).get('ansible_python_interpreter')
        if not isinstance(interpreter, str) or '{{' not in interpreter:
            return interpreter
        try:
            return self._templar.template(interpreter)
        except Exception:  # pylint: disable=broad-except
            return interpreter  # not templatable here: a module process decides

    def _connection_is_local(self):
        transport = getattr(self._connection, 'transport', None)
        return isinstance(transport, str) and transport.rsplit('.', 1)[-1] == 'local'

    @staticmethod
    def _option(args, name):
        value = args.get(name)
        return True if value is None else boolean(value, strict=False)

    @classmethod
    def _run_on_controller_option(cls, args):
        """``run_on_controller``: the task's (or ``module_defaults``'), else the controller's
        ``RUNCLOUD_RUN_ON_CONTROLLER`` (every task of a run as a module process, as one CI lane runs them)."""
        if args.get('run_on_controller') is None and os.environ.get('RUNCLOUD_RUN_ON_CONTROLLER', '').strip():
            return cls._option(dict(run_on_controller=os.environ['RUNCLOUD_RUN_ON_CONTROLLER'].strip()), 'run_on_controller')
        return cls._option(args, 'run_on_controller')

    # -- the memory ------------------------------------------------------------------------------

    @staticmethod
    def _guarded(memory, operation, default):
        """Run a memory operation; a keeper that went away costs requests, never the task."""
        if memory is None:
            return default
        try:
            return operation()
        except id_memory.MemoryUnavailable as error:
            display.vvv('runcloud.cloud: the id memory is not available (%s); names are looked up' % error)
            return default

    def _environment_of_module(self, local):
        """The environment the module will read its credentials and endpoint from, as far as the
        controller can tell: the controller's own only when the module runs here as this user."""
        task_environment = {}
        self._compute_environment_string(raw_environment_out=task_environment)
        if not local or self._play_context.become:
            return task_environment
        environment = dict(os.environ)
        environment.update(task_environment)
        return environment

    def _memory(self, args, local):
        """The run's memory for the task's account, or None when it cannot be used."""
        run = multiprocessing.parent_process() if hasattr(multiprocessing, 'parent_process') else None
        if run is None or run.pid is None:
            # Not in one of Ansible's task workers: no run to belong to.
            return None
        scope = memory_scope(args, self._environment_of_module(local))
        if scope is None:
            # An endpoint or credential the controller cannot see (the remote environment): nothing to key by.
            display.vvv('runcloud.cloud: ids are not remembered for this task (its API endpoint or credential is not known on the controller)')
            return None
        return RunMemory(run.pid, scope, bool(self._task.check_mode))

# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""runcloud.cloud.account_export runs on the controller: it reads the account through the one client
and writes the inventory directory there (the documentation is in plugins/modules/account_export.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.action import ActionBase

from ansible_collections.runcloud.cloud.plugins.module_utils.client import (
    CONNECTION_ALIASES,
    CONNECTION_OPTIONS,
    HAS_REQUESTS,
    client_from_options,
    connection_settings,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.module import single_line_problem
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import RunCloudError
from ansible_collections.runcloud.cloud.plugins.module_utils.masking import register_credentials
from ansible_collections.runcloud.cloud.plugins.plugin_utils.account_export import HEADER, AccountExport, AccountReader

CONNECTION = frozenset(option for option, _variable, _convert, _default in CONNECTION_OPTIONS)
OPTIONS = (frozenset(['dest', 'servers', 'search', 'concurrency', 'api_token', 'api_key', 'api_secret']) | CONNECTION
           | frozenset(alias for aliases in CONNECTION_ALIASES.values() for alias in aliases))


def single_line_problems(args):
    """The options that must not hold a line break (a path, a search term, server names)."""
    values = [('dest', args.get('dest')), ('search', args.get('search'))]
    servers = args.get('servers')
    values += [('servers', server) for server in (servers if isinstance(servers, list) else [servers])]
    return [problem for problem in (single_line_problem(option, value) for option, value in values) if problem]


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _VALID_ARGS = OPTIONS

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        dest = args.get('dest')
        if not dest:
            raise AnsibleActionFail('dest is required: the directory the inventory is written to')
        servers = args.get('servers')
        if servers is not None and not isinstance(servers, list):
            servers = [servers]
        try:
            concurrency = int(args.get('concurrency', 4))
        except (TypeError, ValueError):
            raise AnsibleActionFail('concurrency must be a number, not %r' % (args.get('concurrency'),))
        if concurrency < 1:
            raise AnsibleActionFail('concurrency must be at least 1')
        if not HAS_REQUESTS:
            raise AnsibleActionFail('runcloud.cloud.account_export needs the Python library "requests" on the controller')

        problems = single_line_problems(args)
        if problems:
            raise AnsibleActionFail('account_export: %s' % problems[0])
        try:
            # The modules' rules: task options, then non-empty environment variables, then the defaults.
            options = connection_settings(args, os.environ)
        except RunCloudError as error:
            raise AnsibleActionFail('account_export: %s' % to_native(error))
        api_log = []

        def log(message):
            # As the modules do: retries and pauses go into api_log (shown at -vvv), and to the display at -vvvv.
            api_log.append(message)
            self._display.vvvv(message)

        started = time.monotonic()
        try:
            register_credentials(options['credentials'])
            client = client_from_options(options, options['credentials'], log, 'account_export', pool_size=max(10, concurrency))
            reader = AccountReader(client, concurrency)
            chosen = reader.servers(servers, args.get('search'))
            data = reader.read(chosen)
            keys = reader.external_api_keys()
        except (RunCloudError, ValueError) as error:
            raise AnsibleActionFail('account_export: %s' % to_native(error), result=dict(api_log=api_log) if self._display.verbosity >= 3 else None)
        export = AccountExport()
        files = export.files(data, keys)
        changes = self.write(os.path.expanduser(dest), files)

        result.update(
            changed=bool(changes),
            dest=dest,
            files=sorted(files),
            changed_files=sorted(path for path, _before, _after in changes),
            servers=sorted(str(server.get('name')) for server in chosen),
            vault_variables=sorted(export.vault.entries),
            api=dict(client.usage(), seconds=round(time.monotonic() - started, 3)),
        )
        if api_log and self._display.verbosity >= 3:
            result['api_log'] = api_log
        if self._task.diff:
            result['diff'] = [dict(before_header=os.path.join(dest, path), after_header=os.path.join(dest, path),
                                   before=before, after=after) for path, before, after in changes]
        return result

    def write(self, dest, files):
        """[(path, before, after)] of the files that differ; written unless in check mode. Host files of
        an earlier export whose server is no longer exported are removed."""
        changes = []
        for path in sorted(files):
            full = os.path.join(dest, path)
            before = read_text(full)
            if before != files[path]:
                changes.append((path, before or '', files[path]))
        host_dir = os.path.join(dest, 'host_vars')
        if os.path.isdir(host_dir):
            for name in sorted(os.listdir(host_dir)):
                path = 'host_vars/' + name
                text = read_text(os.path.join(host_dir, name))
                if path not in files and text is not None and text.startswith(HEADER):
                    changes.append((path, text, ''))
        if self._task.check_mode:
            return changes
        for path, _before, after in changes:
            full = os.path.join(dest, path)
            if not after:
                os.remove(full)
                continue
            os.makedirs(os.path.dirname(full), exist_ok=True)
            temporary = full + '.tmp'
            with open(temporary, 'w') as handle:
                handle.write(after)
            os.replace(temporary, full)
        return changes


def read_text(path):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return None

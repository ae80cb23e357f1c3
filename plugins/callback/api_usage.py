# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: api_usage
type: aggregate
short_description: What a run cost of the RunCloud API quota
version_added: 0.1.0
description:
  - At the end of each play, shows the RunCloud API requests and writes that the collection's tasks sent,
    per host and in total, and the rate-limit headroom (C(X-RateLimit-Remaining)) of the last answer.
    At the end of the run it adds the requests of the P(runcloud.cloud.runcloud#inventory) inventory
    plugin and the total of the run.
  - RunCloud meters API calls per month and blocks every request once the quota is used up; this is what
    a run spends of it.
  - The numbers come from the C(api) block that every module of the collection returns (and
    M(runcloud.cloud.account_export)); a request is counted once it was sent, retries included, whatever
    its answer. A host is the inventory host of the task, also when the task is delegated.
  - A task with C(no_log) hides its result, and with it what the task cost; such results are counted
    and named at the end instead. Requests of the P(runcloud.cloud.static#lookup) lookup are not counted.
  - It shows numbers and host names only, never a credential, an option or an API answer.
  - Enable it with C(callbacks_enabled = runcloud.cloud.api_usage) in the C([defaults]) section of
    C(ansible.cfg), or C(ANSIBLE_CALLBACKS_ENABLED=runcloud.cloud.api_usage). In AWX, put the
    C(ansible.cfg) in the project; the lines appear at the end of the job output.
author:
  - runcloud.cloud contributors (@runcloud-community)
requirements:
  - enabled in C(callbacks_enabled)
seealso:
  - ref: ansible_collections.runcloud.cloud.docsite.awx
    description: The collection in AWX, and where a job shows what it cost.
options:
  per_host:
    description:
      - Show a line for every host. With V(false), only the totals.
    type: bool
    default: true
    env:
      - name: RUNCLOUD_API_USAGE_PER_HOST
    ini:
      - section: callback_runcloud_api_usage
        key: per_host
'''

import sys

from ansible.plugins.callback import CallbackBase

COLLECTION_PREFIX = 'runcloud.cloud.'
# Where the inventory plugin notes what its runs in this process cost (plugins/inventory/runcloud.py).
INVENTORY_MODULE = 'ansible_collections.runcloud.cloud.plugins.inventory.runcloud'


def _count(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _parts(result):
    """(host name, task, result dict) of a task result on every supported ansible-core."""
    host = getattr(result, 'host', None)
    if host is not None:  # ansible-core >= 2.19 (its private _host, _task and _result are deprecated)
        return host.get_name(), result.task, result.result
    return result._host.get_name(), result._task, result._result


class Usage:
    """Requests and writes, added up."""

    def __init__(self):
        self.requests = 0
        self.writes = 0

    def add(self, block):
        self.requests += _count(block.get('requests'))
        self.writes += _count(block.get('writes'))

    def __str__(self):
        return 'requests=%-6d writes=%d' % (self.requests, self.writes)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'runcloud.cloud.api_usage'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.run = Usage()
        self.play = None
        self.play_name = None
        self.hosts = {}
        self.hidden = 0
        self.rate_limit = None

    # -- collecting ------------------------------------------------------------------------------

    def v2_playbook_on_play_start(self, play):
        # With ``serial`` every batch starts the play again: one summary per play, not per batch.
        ident = getattr(play, '_uuid', None)
        if self.play is not None and ident == self.play:
            return
        self._show_play()
        self.play = ident
        self.play_name = play.get_name().strip() if hasattr(play, 'get_name') else ''
        self.hosts = {}

    def v2_runner_on_ok(self, result):
        self._collect(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._collect(result)

    def v2_runner_on_async_ok(self, result):
        self._collect(result)

    def v2_runner_on_async_failed(self, result):
        self._collect(result)

    def _collect(self, result):
        host, task, data = _parts(result)
        action = getattr(task, 'resolved_action', None) or getattr(task, 'action', None) or ''
        if not str(action).startswith(COLLECTION_PREFIX) or not isinstance(data, dict):
            return
        # A loop's result holds one result per item.
        items = data.get('results') if isinstance(data.get('results'), list) else [data]
        for item in items:
            if not isinstance(item, dict):
                continue
            block = item.get('api')
            if not isinstance(block, dict):
                if 'censored' in item:
                    self.hidden += 1
                continue
            self.hosts.setdefault(host, Usage()).add(block)
            self.run.add(block)
            limit = block.get('rate_limit')
            if isinstance(limit, dict) and limit.get('remaining') is not None:
                self.rate_limit = (limit.get('remaining'), limit.get('limit'))

    # -- showing ---------------------------------------------------------------------------------

    def _line(self, label, text):
        self._display.display('%-30s : %s' % (label, text))

    @staticmethod
    def _inventory_usage():
        """The inventory plugin's reads in this process (none when it did not run here)."""
        module = sys.modules.get(INVENTORY_MODULE)
        return [block for block in getattr(module, 'API_USAGE', None) or [] if isinstance(block, dict)]

    def _show_rate_limit(self):
        latest = self.rate_limit
        for block in self._inventory_usage() if latest is None else ():
            # The inventory is read before the first task: its answer is the last only when no task's carried the headers.
            limit = block.get('rate_limit') if isinstance(block.get('rate_limit'), dict) else {}
            if limit.get('remaining') is not None:
                latest = (limit.get('remaining'), limit.get('limit'))
        if latest is None:
            self._line('rate limit', 'no answer carried X-RateLimit-Remaining')
            return
        remaining, limit = latest
        self._line('rate limit', '%s of %s requests left in the window (X-RateLimit-Remaining of the last answer)'
                   % (remaining, limit if limit is not None else 'an unknown number of'))

    def _show_play(self):
        if self.play is None or not self.hosts:
            return
        self._display.banner('RUNCLOUD API USAGE: %s' % (self.play_name or 'play'))
        total = Usage()
        for host in sorted(self.hosts):
            total.requests += self.hosts[host].requests
            total.writes += self.hosts[host].writes
            if self.get_option('per_host'):
                self._line(host, self.hosts[host])
        self._line('play total', '%s (%d host%s)' % (total, len(self.hosts), '' if len(self.hosts) == 1 else 's'))
        self._show_rate_limit()

    def v2_playbook_on_stats(self, stats):
        self._show_play()
        inventory = Usage()
        for block in self._inventory_usage():
            inventory.add(block)
        if not (self.run.requests or inventory.requests or self.hidden):
            return
        self._display.banner('RUNCLOUD API USAGE: the run')
        if inventory.requests:
            self._line('inventory plugin', inventory)
        total = Usage()
        total.requests = self.run.requests + inventory.requests
        total.writes = self.run.writes + inventory.writes
        self._line('run total', total)
        if self.hidden:
            self._line('not counted', '%d result%s hidden by no_log' % (self.hidden, '' if self.hidden == 1 else 's'))
        self._show_rate_limit()

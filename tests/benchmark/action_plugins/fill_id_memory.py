# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark helper (id_memory_benchmark.py): fills the run's id memory with ``entries`` names of the
account the task's environment names (RUNCLOUD_API_URL, RUNCLOUD_API_TOKEN), as a long run would have."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import multiprocessing
import os

from ansible.plugins.action import ActionBase

from ansible_collections.runcloud.cloud.plugins.plugin_utils import id_memory
from ansible_collections.runcloud.cloud.plugins.plugin_utils.action import memory_scope


def filler_changes(count):
    """``count`` entries: servers, and a system user on each."""
    changes = []
    for number in range(count):
        server_id = 1000000 + number // 2
        if number % 2 == 0:
            changes.append(dict(kind='server', server_id=None, name='filler-%06d' % (number // 2), id=server_id, state='present'))
        else:
            changes.append(dict(kind='system_user', server_id=server_id, name='user', id=2000000 + number, state='present'))
    return changes


class ActionModule(ActionBase):

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        scope = memory_scope({}, dict(os.environ))
        client = id_memory.connect(multiprocessing.parent_process().pid)
        try:
            client.apply(id_memory.account_key(client.salt, *scope), filler_changes(int(self._task.args['entries'])))
        finally:
            client.close()
        result['changed'] = False
        return result
